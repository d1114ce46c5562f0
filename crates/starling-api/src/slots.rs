//! Bounded slots, overall and per client: open connections, requests in flight, open
//! WebSockets. Taking a slot is one atomic check-and-add under a lock, so a burst of
//! clients cannot overshoot the bound (a load followed later by an add could); the
//! slot is returned when its guard drops.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

pub struct Slots {
    max_total: usize,
    max_per_client: usize,
    /// One lock for both counts: they must move together. Held for a hash lookup only.
    inner: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    total: usize,
    /// Only clients holding a slot: entries are removed at zero, so the map is bounded
    /// by `max_total`.
    per_client: HashMap<IpAddr, usize>,
}

/// Why no slot was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Every slot is taken.
    Full,
    /// This client holds its share.
    ClientFull,
}

/// A taken slot; dropping it gives it back.
pub struct Slot {
    slots: Arc<Slots>,
    client: Option<IpAddr>,
}

impl Slots {
    pub fn new(max_total: usize, max_per_client: usize) -> Arc<Self> {
        Arc::new(Self {
            max_total: max_total.max(1),
            max_per_client: max_per_client.max(1),
            inner: Mutex::new(Counts::default()),
        })
    }

    /// Take a slot for `client` (counted against its share), or for a client whose
    /// share is not counted (`None`: a trusted proxy's connection carries many clients).
    pub fn try_take(self: &Arc<Self>, client: Option<IpAddr>) -> Result<Slot, Refused> {
        let mut counts = self.inner.lock();
        if counts.total >= self.max_total {
            return Err(Refused::Full);
        }
        if let Some(ip) = client {
            let held = counts.per_client.entry(ip).or_insert(0);
            if *held >= self.max_per_client {
                return Err(Refused::ClientFull);
            }
            *held += 1;
        }
        counts.total += 1;
        Ok(Slot {
            slots: self.clone(),
            client,
        })
    }

    #[cfg(test)]
    fn taken(&self) -> usize {
        self.inner.lock().total
    }

    #[cfg(test)]
    fn held_by(&self, client: IpAddr) -> usize {
        self.inner
            .lock()
            .per_client
            .get(&client)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.slots.inner.lock();
        counts.total -= 1;
        if let Some(ip) = self.client
            && let Some(held) = counts.per_client.get_mut(&ip)
        {
            *held -= 1;
            if *held == 0 {
                counts.per_client.remove(&ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_bound_the_total_and_each_client_and_come_back() {
        let slots = Slots::new(3, 2);
        let a: IpAddr = "1.1.1.1".parse().unwrap();
        let b: IpAddr = "2.2.2.2".parse().unwrap();
        let a1 = slots.try_take(Some(a)).unwrap();
        let _a2 = slots.try_take(Some(a)).unwrap();
        assert_eq!(slots.try_take(Some(a)).err(), Some(Refused::ClientFull));
        let _b1 = slots.try_take(Some(b)).unwrap();
        assert_eq!(slots.try_take(None).err(), Some(Refused::Full));
        drop(a1);
        assert_eq!(slots.held_by(a), 1);
        let _n = slots.try_take(None).unwrap();
        assert_eq!(slots.taken(), 3);
    }
}
