//! The one test harness: the server in-process on the backend under test ([`spawn`]),
//! the real binary for what needs a process boundary ([`Server`]: kill -9, signals,
//! restarts), and one HTTP client ([`Client`]) for both.
//!
//! Each test binary compiles this module and uses a different part of it.
#![allow(dead_code, unused_imports)]

pub mod app;
pub mod binary;
pub mod client;
pub mod cluster;

pub use app::{Backend, TestApp, spawn, spawn_on};
pub use binary::Server;
pub use client::{Account, Client, Reply, assert_error_shape, expect_error, expect_status, id_of};

use starling_api::rate_limit::RateLimits;
use std::time::{Duration, Instant};

/// Passwords are not what these tests are about; all users share one.
pub const PASSWORD: &str = "correct horse battery";
/// Every HTTP request in these tests is bounded, so a hung server fails the test.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Limits small enough for a test to exceed them in a few requests.
pub const TIGHT_LIMITS: RateLimits = RateLimits {
    per_ip: (5, 5),
    per_token: (5, 5),
    auth_per_ip: (5, 5),
};

/// A tiny deterministic generator, so the load is varied but reproducible.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Poll `check` until it returns `Some`, or panic with `what` after `within`.
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Wait until `check` holds, polling; fails the test after `within`.
pub async fn eventually_ok<F, Fut>(within: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + within;
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "the condition did not hold within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
