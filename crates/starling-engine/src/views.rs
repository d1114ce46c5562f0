//! Views are counted in memory and written behind once a second: a view is the most
//! frequent and least valuable event, so it does not get its own durable write.

use parking_lot::Mutex;
use starling_core::TweetId;
use std::collections::HashMap;

#[derive(Default)]
pub struct ViewBuffer {
    inner: Mutex<Buffers>,
}

#[derive(Default)]
struct Buffers {
    /// Views not yet handed to the store.
    pending: HashMap<TweetId, i64>,
    /// Views being written now: still counted in reads until the write lands.
    in_flight: HashMap<TweetId, i64>,
}

impl ViewBuffer {
    pub fn add(&self, id: TweetId) {
        *self.inner.lock().pending.entry(id).or_default() += 1;
    }

    /// Views of `id` not yet reflected in the store's counters.
    pub fn unflushed(&self, id: TweetId) -> i64 {
        let b = self.inner.lock();
        b.pending.get(&id).copied().unwrap_or(0) + b.in_flight.get(&id).copied().unwrap_or(0)
    }

    pub fn total_unflushed(&self) -> i64 {
        let b = self.inner.lock();
        b.pending.values().sum::<i64>() + b.in_flight.values().sum::<i64>()
    }

    /// Move the pending views into flight and return them for writing.
    pub fn begin_flush(&self) -> Vec<(TweetId, i64)> {
        let mut b = self.inner.lock();
        let taken = std::mem::take(&mut b.pending);
        let batch = taken.iter().map(|(k, v)| (*k, *v)).collect();
        b.in_flight = taken;
        batch
    }

    /// The write landed (`ok`) and its counters are visible; or it failed and the
    /// views go back to pending for the next attempt.
    pub fn end_flush(&self, ok: bool) {
        let mut b = self.inner.lock();
        let flown = std::mem::take(&mut b.in_flight);
        if !ok {
            for (id, n) in flown {
                *b.pending.entry(id).or_default() += n;
            }
        }
    }
}
