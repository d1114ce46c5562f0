//! Events per second over a sliding window of whole seconds.

use parking_lot::Mutex;

pub struct RateWindow {
    seconds: usize,
    /// (second, count) ring.
    slots: Mutex<Vec<(i64, u64)>>,
}

impl RateWindow {
    pub fn new(seconds: usize) -> Self {
        Self {
            seconds,
            slots: Mutex::new(vec![(i64::MIN, 0); seconds + 1]),
        }
    }

    pub fn add(&self, now_ms: i64, n: u64) {
        let sec = now_ms.div_euclid(1000);
        let mut slots = self.slots.lock();
        let len = slots.len();
        let slot = &mut slots[(sec.rem_euclid(len as i64)) as usize];
        if slot.0 != sec {
            *slot = (sec, 0);
        }
        slot.1 += n;
    }

    /// Average per second over the last `seconds` complete seconds.
    pub fn per_second(&self, now_ms: i64) -> f64 {
        let sec = now_ms.div_euclid(1000);
        let slots = self.slots.lock();
        let total: u64 = slots
            .iter()
            .filter(|(s, _)| *s < sec && *s >= sec - self.seconds as i64)
            .map(|(_, n)| n)
            .sum();
        total as f64 / self.seconds as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_complete_seconds() {
        let r = RateWindow::new(10);
        for s in 0..10 {
            r.add(1_000_000 + s * 1000, 5);
        }
        r.add(1_000_000 + 10_000, 1_000); // the current, partial second is not counted
        assert_eq!(r.per_second(1_000_000 + 10_500), 5.0);
        assert_eq!(r.per_second(1_000_000 + 30_000), 0.0);
    }
}
