//! Per-token and per-IP rate limits (429 with `Retry-After`), and a lower one for the
//! account endpoints (`/api/auth/*`), where every request costs an argon2 hash. Keys are
//! forgotten once their buckets refill, so the limiter's memory stays bounded by recent
//! clients. IPv6 clients count per /64 ([`crate::client::limit_key`]).
//!
//! In a cluster the buckets are shared by every node (`Cluster::limiter`, Redis): a
//! client spreading its requests over the nodes gets the same allowance as one that
//! reaches a single node. When the shared buckets do not answer within
//! [`SHARED_TIMEOUT`], this node's own buckets decide: limits become per node until
//! the shared ones are back.

use crate::client::limit_key;
use crate::error::ApiError;
use crate::extract::bearer;
use crate::guard::ClientIp;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use starling_engine::cluster::{Bucket, SharedLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// How long a request waits for the shared buckets before this node decides alone.
pub const SHARED_TIMEOUT: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Requests per second and burst, per client IP.
    pub per_ip: (u32, u32),
    /// Requests per second and burst, per bearer token.
    pub per_token: (u32, u32),
    /// Requests per second and burst, per client IP, to `/api/auth/*`.
    pub auth_per_ip: (u32, u32),
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            per_ip: (200, 400),
            per_token: (100, 200),
            auth_per_ip: (2, 20),
        }
    }
}

impl RateLimits {
    /// The `rate-limit` setting: `on` (the defaults), `off` (none: load tests), or
    /// `IP_RPS/IP_BURST,TOKEN_RPS/TOKEN_BURST`.
    pub fn parse_setting(raw: &str) -> Result<Option<RateLimits>, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "off" | "false" | "0" | "none" => return Ok(None),
            "on" | "true" | "" => return Ok(Some(RateLimits::default())),
            _ => {}
        }
        let pair = |s: &str| -> Result<(u32, u32), String> {
            let (rate, burst) = s.split_once('/').ok_or("expected RATE/BURST")?;
            let n = |x: &str| {
                x.trim()
                    .parse::<u32>()
                    .map_err(|_| format!("not a number: {x}"))
            };
            Ok((n(rate)?, n(burst)?))
        };
        let (ip, token) = raw
            .split_once(',')
            .ok_or("expected on, off or IP_RPS/IP_BURST,TOKEN_RPS/TOKEN_BURST")?;
        Ok(Some(RateLimits {
            per_ip: pair(ip)?,
            per_token: pair(token)?,
            ..RateLimits::default()
        }))
    }
}

/// Deserialize the `rate-limit` setting (a string or a boolean) with
/// [`RateLimits::parse_setting`].
pub fn setting<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<RateLimits>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Flag(bool),
        Text(String),
    }
    let raw = match <Raw as serde::Deserialize>::deserialize(d)? {
        Raw::Flag(on) => if on { "on" } else { "off" }.to_string(),
        Raw::Text(t) => t,
    };
    RateLimits::parse_setting(&raw).map_err(serde::de::Error::custom)
}

pub struct Limiter {
    limits: RateLimits,
    /// The cluster's buckets, when there is a cluster.
    shared: Option<Arc<dyn SharedLimiter>>,
    ip: DefaultKeyedRateLimiter<IpAddr>,
    token: DefaultKeyedRateLimiter<String>,
    auth: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota((per_second, burst): (u32, u32)) -> Quota {
    let rate = NonZeroU32::new(per_second.max(1)).expect("non-zero");
    Quota::per_second(rate).allow_burst(NonZeroU32::new(burst.max(1)).expect("non-zero"))
}

impl Limiter {
    pub fn new(limits: RateLimits, shared: Option<Arc<dyn SharedLimiter>>) -> Self {
        Self {
            limits,
            shared,
            ip: DefaultKeyedRateLimiter::keyed(quota(limits.per_ip)),
            token: DefaultKeyedRateLimiter::keyed(quota(limits.per_token)),
            auth: DefaultKeyedRateLimiter::keyed(quota(limits.auth_per_ip)),
        }
    }

    /// Forget clients whose buckets are full again.
    pub fn shrink(&self) {
        self.ip.retain_recent();
        self.token.retain_recent();
        self.auth.retain_recent();
        self.ip.shrink_to_fit();
        self.token.shrink_to_fit();
        self.auth.shrink_to_fit();
    }

    /// The shared buckets' verdict, or this node's own when they do not answer.
    async fn check(&self, ip: IpAddr, token: Option<&str>, auth: bool) -> Result<(), u64> {
        if let Some(shared) = &self.shared {
            // Keys name the client, never the token: a hash of the token's prefix.
            let ip_key = format!("ip:{ip}");
            let auth_key = format!("auth:{ip}");
            let token_key = token.map(|t| {
                let prefix: String = t.chars().take(24).collect();
                format!("token:{}", starling_engine::auth::short_digest(&prefix))
            });
            let bucket = |key, (per_second, burst): (u32, u32)| Bucket {
                key,
                per_second,
                burst,
            };
            let mut buckets = vec![bucket(&ip_key, self.limits.per_ip)];
            if auth {
                buckets.push(bucket(&auth_key, self.limits.auth_per_ip));
            }
            if let Some(key) = &token_key {
                buckets.push(bucket(key, self.limits.per_token));
            }
            match tokio::time::timeout(SHARED_TIMEOUT, shared.take(&buckets)).await {
                Ok(Ok(None)) => return Ok(()),
                Ok(Ok(Some(wait))) => return Err(wait.max(1)),
                Ok(Err(_)) | Err(_) => {}
            }
        }
        self.check_here(ip, token, auth)
    }

    fn check_here(&self, ip: IpAddr, token: Option<&str>, auth: bool) -> Result<(), u64> {
        // The limiter's own clock: building a quanta clock probes the CPU with CPUID,
        // which in a VM traps to the hypervisor (~0.1 ms), on every request.
        let clock = self.ip.clock();
        let wait =
            |nu: governor::NotUntil<_>| nu.wait_time_from(clock.now()).as_secs_f64().ceil() as u64;
        self.ip.check_key(&ip).map_err(wait)?;
        if auth {
            self.auth.check_key(&ip).map_err(wait)?;
        }
        if let Some(token) = token {
            // Only a prefix of the token is kept as the key: enough to tell clients apart.
            let key: String = token.chars().take(24).collect();
            self.token.check_key(&key).map_err(wait)?;
        }
        Ok(())
    }
}

pub async fn enforce(State(limiter): State<Arc<Limiter>>, req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ClientIp>()
        .map(|c| limit_key(c.0))
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let auth = req.uri().path().starts_with("/api/auth/");
    let (parts, body) = req.into_parts();
    let verdict = limiter.check(ip, bearer(&parts), auth).await;
    let req = Request::from_parts(parts, body);
    match verdict {
        Ok(()) => next.run(req).await,
        Err(retry_after) => ApiError::rate_limited(retry_after).into_response(),
    }
}
