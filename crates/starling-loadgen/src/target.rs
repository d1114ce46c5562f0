//! The address under load. This workplace forbids load traffic to anything but the loopback
//! interface, so a target is only ever built from a loopback URL.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use anyhow::{Context, Result, bail};
use hyper::Uri;
use hyper::header::HeaderValue;

#[derive(Debug, Clone)]
pub struct Target {
    pub addr: SocketAddr,
    /// The `Host` header every request carries, built once.
    pub host_header: HeaderValue,
    /// `http://host:port`, for messages and reports.
    pub base: String,
}

impl Target {
    /// Accepts `http://127.x.x.x[:port]`, `http://localhost[:port]` and `http://[::1][:port]`.
    pub fn parse(url: &str) -> Result<Self> {
        let uri: Uri = url.parse().with_context(|| format!("not a URL: {url}"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some(other) => bail!("only http:// targets are supported, not {other}://"),
            None => bail!("the URL needs a scheme: http://127.0.0.1:PORT"),
        }
        let host = uri.host().context("the URL has no host")?;
        let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        } else {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            bare.parse()
                .with_context(|| format!("refusing host {host}: only loopback targets (127.0.0.1, localhost, [::1]) are allowed"))?
        };
        if !ip.is_loopback() {
            bail!(
                "refusing host {host}: only loopback targets (127.0.0.1, localhost, [::1]) are allowed"
            );
        }
        if let Some(pq) = uri.path_and_query()
            && pq.as_str() != "/"
            && !pq.as_str().is_empty()
        {
            bail!(
                "give the server's base URL without a path (got {})",
                pq.as_str()
            );
        }
        let port = uri.port_u16().unwrap_or(80);
        let addr = SocketAddr::new(ip, port);
        let base = match ip {
            IpAddr::V4(_) => format!("http://{ip}:{port}"),
            IpAddr::V6(_) => format!("http://[{ip}]:{port}"),
        };
        let host_header = HeaderValue::from_str(base.trim_start_matches("http://"))?;
        Ok(Target {
            addr,
            host_header,
            base,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_loopback_only() {
        assert_eq!(
            Target::parse("http://127.0.0.1:3001").unwrap().addr.port(),
            3001
        );
        assert_eq!(
            Target::parse("http://localhost:8080/").unwrap().base,
            "http://127.0.0.1:8080"
        );
        assert!(
            Target::parse("http://[::1]:9000")
                .unwrap()
                .addr
                .ip()
                .is_loopback()
        );
        assert!(Target::parse("http://127.1.2.3:9000").is_ok());
        for bad in [
            "http://10.0.0.1:3001",
            "http://192.168.1.2",
            "http://example.com",
            "http://8.8.8.8:80",
            "https://127.0.0.1:3001",
            "127.0.0.1:3001",
            "http://127.0.0.1:3001/api",
            "http://[::2]:80",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
