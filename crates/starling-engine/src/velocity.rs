//! Engagement velocity: likes, retweets and replies per minute over the last 1, 5 and 60
//! minutes, from per-minute buckets kept for tweets with recent activity.
//!
//! In memory on purpose: it is derived data. At start-up it is rebuilt from the stored
//! likes, retweets and replies of the last hour ([`Velocity::rebuild`]).

use parking_lot::Mutex;
use starling_core::TweetId;
use std::collections::HashMap;

const MINUTES: usize = 60;
const MINUTE_MS: i64 = 60_000;

/// Per-minute rates, averaged over each window.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    pub one_minute: f64,
    pub five_minutes: f64,
    pub sixty_minutes: f64,
}

struct Ring {
    /// counts[m % 60] holds minute m, valid while m > newest - 60.
    counts: [u32; MINUTES],
    newest: i64,
}

impl Ring {
    fn new(minute: i64) -> Self {
        Self {
            counts: [0; MINUTES],
            newest: minute,
        }
    }

    fn advance(&mut self, minute: i64) {
        if minute <= self.newest {
            return;
        }
        let steps = (minute - self.newest).min(MINUTES as i64);
        for m in 1..=steps {
            self.counts[((self.newest + m) as usize) % MINUTES] = 0;
        }
        self.newest = minute;
    }

    fn add(&mut self, minute: i64) {
        self.advance(minute);
        if minute > self.newest - MINUTES as i64 {
            self.counts[(minute as usize) % MINUTES] += 1;
        }
    }

    /// Events in the `n` minutes ending with `minute` (inclusive).
    fn sum(&self, minute: i64, n: i64) -> u64 {
        (minute - n + 1..=minute)
            .filter(|m| *m > self.newest - MINUTES as i64 && *m <= self.newest && *m >= 0)
            .map(|m| self.counts[(m as usize) % MINUTES] as u64)
            .sum()
    }

    fn rates(&self, now_ms: i64) -> Rates {
        let minute = now_ms.div_euclid(MINUTE_MS);
        // The current minute is partial: scale the one-minute window by elapsed time so
        // a burst shows at once instead of a minute later.
        let elapsed = ((now_ms.rem_euclid(MINUTE_MS)) as f64 / MINUTE_MS as f64).max(1.0 / 60.0);
        let last = self.sum(minute, 1) as f64;
        let prev = self.sum(minute - 1, 1) as f64;
        Rates {
            one_minute: last + prev * (1.0 - elapsed),
            five_minutes: self.sum(minute, 5) as f64 / 5.0,
            sixty_minutes: self.sum(minute, 60) as f64 / 60.0,
        }
    }
}

#[derive(Default)]
pub struct Velocity {
    /// One mutex: recording is a few arithmetic operations, far cheaper than the
    /// write that precedes it.
    rings: Mutex<HashMap<TweetId, Ring>>,
}

impl Velocity {
    pub fn record(&self, id: TweetId, at_ms: i64) {
        let minute = at_ms.div_euclid(MINUTE_MS);
        self.rings
            .lock()
            .entry(id)
            .or_insert_with(|| Ring::new(minute))
            .add(minute);
    }

    pub fn rebuild(&self, events: impl IntoIterator<Item = (TweetId, i64)>) {
        for (id, at) in events {
            self.record(id, at);
        }
    }

    pub fn rates(&self, id: TweetId, now_ms: i64) -> Rates {
        self.rings
            .lock()
            .get(&id)
            .map(|r| r.rates(now_ms))
            .unwrap_or_default()
    }

    /// The `n` tweets with the highest velocity: one-minute, then five, then sixty.
    pub fn top(&self, n: usize, now_ms: i64) -> Vec<(TweetId, Rates)> {
        let rings = self.rings.lock();
        let mut all: Vec<(TweetId, Rates)> = rings
            .iter()
            .map(|(id, r)| (*id, r.rates(now_ms)))
            .filter(|(_, r)| r.sixty_minutes > 0.0)
            .collect();
        drop(rings);
        all.sort_by(|a, b| {
            let key = |r: &Rates| (r.one_minute, r.five_minutes, r.sixty_minutes);
            key(&b.1)
                .partial_cmp(&key(&a.1))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.0.cmp(&a.0))
        });
        all.truncate(n);
        all
    }

    /// Forget tweets with no activity in the last hour.
    pub fn prune(&self, now_ms: i64) {
        let minute = now_ms.div_euclid(MINUTE_MS);
        self.rings
            .lock()
            .retain(|_, r| r.newest > minute - MINUTES as i64);
    }

    pub fn tracked(&self) -> usize {
        self.rings.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000_000 - 1_800_000_000_000 % MINUTE_MS;

    #[test]
    fn windows_average_per_minute() {
        let v = Velocity::default();
        let id = TweetId(1);
        for i in 0..10 {
            v.record(id, T0 + i * MINUTE_MS); // one per minute for ten minutes
        }
        for _ in 0..30 {
            v.record(id, T0 + 9 * MINUTE_MS + 1_000);
        }
        let r = v.rates(id, T0 + 10 * MINUTE_MS - 1);
        assert!((r.one_minute - 31.0).abs() < 1.0, "{r:?}");
        assert!((r.five_minutes - (4.0 + 31.0) / 5.0).abs() < 1e-9, "{r:?}");
        assert!((r.sixty_minutes - 40.0 / 60.0).abs() < 1e-9, "{r:?}");
    }

    #[test]
    fn old_activity_expires_and_is_pruned() {
        let v = Velocity::default();
        v.record(TweetId(1), T0);
        v.record(TweetId(2), T0 + 30 * MINUTE_MS);
        let later = T0 + 61 * MINUTE_MS;
        assert_eq!(v.rates(TweetId(1), later).sixty_minutes, 0.0);
        assert!(v.rates(TweetId(2), later).sixty_minutes > 0.0);
        assert_eq!(
            v.top(10, later)
                .iter()
                .map(|(id, _)| *id)
                .collect::<Vec<_>>(),
            [TweetId(2)]
        );
        v.prune(later);
        assert_eq!(v.tracked(), 1);
    }

    #[test]
    fn top_orders_by_recent_velocity() {
        let v = Velocity::default();
        for _ in 0..5 {
            v.record(TweetId(1), T0);
        }
        for _ in 0..3 {
            v.record(TweetId(2), T0 + 10 * MINUTE_MS);
        }
        let top = v.top(2, T0 + 10 * MINUTE_MS + 100);
        assert_eq!(top[0].0, TweetId(2));
        assert_eq!(top[1].0, TweetId(1));
    }
}
