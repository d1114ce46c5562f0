//! Where the engine's time comes from: the system clock, or a manual one that tests move
//! (session expiry, view windows, velocity, and the timelines and notifications to come).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Unix milliseconds, from the system or from a test.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Stands still until moved; clones share one time.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock at the system's current time.
    pub fn manual() -> Self {
        Clock::Manual(Arc::new(AtomicI64::new(starling_core::now_millis())))
    }

    pub fn now(&self) -> i64 {
        match self {
            Clock::System => starling_core::now_millis(),
            Clock::Manual(ms) => ms.load(Ordering::Acquire),
        }
    }

    /// Move a manual clock forward; a no-op on the system clock.
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(ms) = self {
            ms.fetch_add(by.as_millis() as i64, Ordering::AcqRel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let clock = Clock::manual();
        let twin = clock.clone();
        let start = clock.now();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now(), start);
        twin.advance(Duration::from_secs(2));
        assert_eq!(clock.now(), start + 2_000);
        assert!(Clock::System.now() >= start);
    }
}
