//! Failed-login throttling: after a few free failures, each further failure for the
//! same account (or from the same address) doubles the wait before the next attempt.
//!
//! Key decision: the wait is decided before any password is hashed, so a throttled
//! guess costs the server nothing; and an unknown username is throttled exactly like a
//! known one, so the throttle does not reveal which accounts exist. Memory is bounded:
//! the least recently failing keys are forgotten first.

use parking_lot::Mutex;
use std::net::IpAddr;
use std::num::NonZeroUsize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LoginThrottleConfig {
    /// Failures for one account allowed before waits begin.
    pub free_per_account: u32,
    /// Failures from one address allowed before waits begin (higher: many people may
    /// share an address).
    pub free_per_address: u32,
    /// The first wait, in milliseconds; each further failure doubles it.
    pub first_wait_ms: i64,
    /// The longest wait, in milliseconds.
    pub max_wait_ms: i64,
}

impl Default for LoginThrottleConfig {
    fn default() -> Self {
        Self {
            free_per_account: 5,
            free_per_address: 20,
            first_wait_ms: 1_000,
            max_wait_ms: 15 * 60_000,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    /// No attempt is heard before this (Unix ms).
    blocked_until: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

pub struct LoginThrottle {
    config: LoginThrottleConfig,
    failures: Mutex<lru::LruCache<Key, Failures>>,
}

/// Keys remembered at most (about 100 bytes each).
const CAPACITY: usize = 100_000;

impl LoginThrottle {
    pub fn new(config: LoginThrottleConfig) -> Self {
        Self {
            config,
            failures: Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(CAPACITY).expect("non-zero"),
            )),
        }
    }

    fn keys(username: &str, address: Option<IpAddr>) -> impl Iterator<Item = Key> {
        std::iter::once(Key::Account(username.to_ascii_lowercase()))
            .chain(address.map(Key::Address))
    }

    /// `Err(seconds to wait)` while the account or the address is throttled.
    pub fn check(&self, username: &str, address: Option<IpAddr>, now: i64) -> Result<(), u64> {
        let failures = self.failures.lock();
        let wait = Self::keys(username, address)
            .filter_map(|k| failures.peek(&k).map(|f| f.blocked_until - now))
            .max()
            .unwrap_or(0);
        if wait > 0 {
            Err((wait as u64).div_ceil(1000))
        } else {
            Ok(())
        }
    }

    pub fn failed(&self, username: &str, address: Option<IpAddr>, now: i64) {
        let c = self.config;
        let mut failures = self.failures.lock();
        for key in Self::keys(username, address) {
            let free = match key {
                Key::Account(_) => c.free_per_account,
                Key::Address(_) => c.free_per_address,
            };
            let f = failures.get_or_insert_mut(key, || Failures {
                count: 0,
                blocked_until: 0,
            });
            f.count = f.count.saturating_add(1);
            if f.count > free {
                let doublings = (f.count - free - 1).min(30);
                let wait = c
                    .first_wait_ms
                    .saturating_mul(1 << doublings)
                    .min(c.max_wait_ms);
                f.blocked_until = now + wait;
            }
        }
    }

    /// A successful login clears the account's failures (not the address's: one right
    /// password must not reset a guesser's count for every other account).
    pub fn succeeded(&self, username: &str) {
        self.failures
            .lock()
            .pop(&Key::Account(username.to_ascii_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_past_the_free_ones_double_the_wait_and_success_resets() {
        let t = LoginThrottle::new(LoginThrottleConfig::default());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let mut now = 0;
        for _ in 0..5 {
            assert!(t.check("Ada", Some(ip), now).is_ok());
            t.failed("Ada", Some(ip), now);
        }
        assert!(t.check("ada", None, now).is_ok(), "five failures are free");
        t.failed("ada", Some(ip), now);
        assert_eq!(t.check("ADA", None, now), Err(1));
        now += 1_000;
        assert!(t.check("ada", None, now).is_ok());
        t.failed("ada", Some(ip), now);
        assert_eq!(t.check("ada", None, now), Err(2), "doubled");
        // Another account from another address is not affected.
        assert!(t.check("bob", None, now).is_ok());
        t.succeeded("ada");
        assert!(t.check("ada", None, now).is_ok());
        // The address's own count: 20 free, then waits for any account from it.
        for i in 0..20 {
            t.failed(&format!("user{i}"), Some(ip), now);
        }
        assert!(t.check("someone_else", Some(ip), now).is_err());
        assert!(t.check("someone_else", None, now).is_ok());
    }

    #[test]
    fn the_wait_is_capped() {
        let t = LoginThrottle::new(LoginThrottleConfig::default());
        for _ in 0..200 {
            t.failed("ada", None, 0);
        }
        assert_eq!(t.check("ada", None, 0), Err(15 * 60));
    }
}
