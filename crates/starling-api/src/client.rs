//! Who the client is: its address, read through trusted reverse proxies, and the key
//! under which per-client limits count it.
//!
//! Key decision: `Forwarded` and `X-Forwarded-For` are believed only when the TCP peer
//! is a configured proxy, and then read from the right, skipping further trusted hops:
//! the first address a trusted proxy did not add itself is the client. Anything else
//! would let a client pick the address its limits are counted under.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The addresses of reverse proxies whose forwarding headers are believed. In
/// configuration: a list of addresses and CIDR ranges, or one comma-separated string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl<'de> serde::Deserialize<'de> for TrustedProxies {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            List(Vec<String>),
            Text(String),
        }
        let joined = match Raw::deserialize(d)? {
            Raw::List(items) => items.join(","),
            Raw::Text(t) => t,
        };
        TrustedProxies::parse(&joined).map_err(serde::de::Error::custom)
    }
}

impl TrustedProxies {
    /// A comma-separated list of addresses or CIDR ranges (`127.0.0.1, 10.0.0.0/8`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = match item.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => item
                    .parse::<IpAddr>()
                    .map(IpNet::from)
                    .map_err(|_| format!("not an address or CIDR range: {item}"))?,
            };
            nets.push(net);
        }
        Ok(Self(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request that arrived from `peer`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.contains(peer) {
            return peer;
        }
        // `Forwarded` (RFC 7239) wins over the de-facto header when both are present.
        let hops = forwarded_for(headers).or_else(|| x_forwarded_for(headers));
        let Some(hops) = hops else { return peer };
        // From the right: each trusted hop vouches for the one before it.
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            let Some(ip) = hop else {
                // An unparsable hop: stop at the last address a trusted proxy vouched for.
                return client;
            };
            client = canonical(ip);
            if !self.contains(client) {
                return client;
            }
        }
        client
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are the IPv4 address they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The key per-client limits count under: the address for IPv4, its /64 for IPv6
/// (one subscriber usually holds a whole /64, so counting single addresses would give
/// one client 2^64 budgets).
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

/// The `for=` addresses of every `Forwarded` header, in order; `None` for a hop that
/// is obfuscated or unparsable.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut hops = Vec::new();
    for value in headers.get_all("forwarded") {
        let value = value.to_str().ok()?;
        for element in value.split(',') {
            let for_value = element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| v.trim())
            });
            if let Some(v) = for_value {
                hops.push(parse_node(v.trim_matches('"')));
            }
        }
    }
    (!hops.is_empty()).then_some(hops)
}

fn x_forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let value = value.to_str().ok()?;
        hops.extend(value.split(',').map(|h| parse_node(h.trim())));
    }
    (!hops.is_empty()).then_some(hops)
}

/// `1.2.3.4`, `1.2.3.4:80`, `[2001:db8::1]`, `[2001:db8::1]:80` or a bare IPv6 address.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    node.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        let spoofed = headers(&[("x-forwarded-for", "6.6.6.6")]);
        // A client that is not a proxy cannot choose its address.
        assert_eq!(proxies.client_ip(ip("9.9.9.9"), &spoofed), ip("9.9.9.9"));
        // Through the proxy: the address the proxy saw.
        let via = headers(&[("x-forwarded-for", "6.6.6.6, 5.5.5.5")]);
        assert_eq!(proxies.client_ip(ip("127.0.0.1"), &via), ip("5.5.5.5"));
        // Trusted hops are skipped from the right.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 5.5.5.5, 10.1.2.3")]);
        assert_eq!(proxies.client_ip(ip("127.0.0.1"), &chain), ip("5.5.5.5"));
        // Forwarded wins, with ports and brackets.
        let fwd = headers(&[
            ("forwarded", "for=\"[2001:db8::7]:4711\";proto=http"),
            ("x-forwarded-for", "5.5.5.5"),
        ]);
        assert_eq!(proxies.client_ip(ip("127.0.0.1"), &fwd), ip("2001:db8::7"));
        let fwd4 = headers(&[("forwarded", "for=1.2.3.4:99, for=10.0.0.1")]);
        assert_eq!(proxies.client_ip(ip("10.0.0.2"), &fwd4), ip("1.2.3.4"));
        // Garbage stops at the last vouched-for hop.
        let junk = headers(&[("x-forwarded-for", "nonsense, 10.9.9.9")]);
        assert_eq!(proxies.client_ip(ip("127.0.0.1"), &junk), ip("10.9.9.9"));
        // No proxies configured: the peer, always.
        let none = TrustedProxies::default();
        assert_eq!(none.client_ip(ip("127.0.0.1"), &via), ip("127.0.0.1"));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }

    #[test]
    fn ipv6_clients_are_limited_per_64() {
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa::1")),
            limit_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(limit_key(ip("::ffff:1.2.3.4")), ip("1.2.3.4"));
    }
}
