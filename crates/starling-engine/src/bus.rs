//! The event bus: how what happened reaches the live stream and the other nodes. One
//! process ([`LocalBus`]), or a bus that crosses nodes (`starling-redis`), which
//! implements the same trait and also delivers other nodes' events to this node.

use crate::Event;
use tokio::sync::broadcast;

pub trait EventBus: Send + Sync + 'static {
    /// Tell every subscriber, on every node the bus reaches. Never blocks; a subscriber
    /// that falls behind misses events and is told so (`RecvError::Lagged`).
    fn publish(&self, event: Event);
    /// Everything published from now on, here and on the other nodes.
    fn subscribe(&self) -> broadcast::Receiver<Event>;
    /// Only what other nodes publish from now on: the engine keeps its derived state
    /// (velocity, caches, sessions) in step with their writes. `None` when the bus
    /// reaches no other node.
    fn subscribe_remote(&self) -> Option<broadcast::Receiver<Event>> {
        None
    }
    /// Whether other nodes' events are reaching this node right now; `None` when the
    /// bus reaches no other node.
    fn linked(&self) -> Option<bool> {
        None
    }
    /// Events that reached this node's subscribers only (the link was down).
    fn dropped(&self) -> u64 {
        0
    }
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
