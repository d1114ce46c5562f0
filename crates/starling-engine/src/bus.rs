//! The event bus: how what happened reaches the live stream. One node today
//! ([`LocalBus`]); a bus that crosses nodes (Redis, say) implements the same trait and
//! delivers other nodes' events to this node's subscribers.

use crate::Event;
use tokio::sync::broadcast;

pub trait EventBus: Send + Sync + 'static {
    /// Tell every subscriber, on every node the bus reaches. Never blocks; a subscriber
    /// that falls behind misses events and is told so (`RecvError::Lagged`).
    fn publish(&self, event: Event);
    /// Everything published from now on.
    fn subscribe(&self) -> broadcast::Receiver<Event>;
}

/// The bus of a single process: a bounded broadcast channel.
pub struct LocalBus {
    tx: broadcast::Sender<Event>,
}

impl LocalBus {
    pub fn new(capacity: usize) -> Self {
        Self {
            tx: broadcast::channel(capacity.max(1)).0,
        }
    }
}

impl EventBus for LocalBus {
    fn publish(&self, event: Event) {
        // No subscribers is fine.
        let _ = self.tx.send(event);
    }

    fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }
}
