//! The cross-node event bus over Redis pub/sub.
//!
//! Publishing hands the event to this node's subscribers at once and queues it for the
//! other nodes; one task sends the queue to Redis in batches (one `PUBLISH` per batch,
//! so a burst of likes costs a few round trips, not one each). One task per node
//! listens on the channel and hands other nodes' events to this node's subscribers;
//! a node skips its own batches, so every subscriber sees each event once.
//!
//! Delivery is at most once: pub/sub keeps nothing for a node that is not listening
//! (Redis down, a reconnect in progress). Live clients catch up by reading the API; the
//! truth is in the database.

use crate::Commands;
use futures::StreamExt;
use starling_engine::Event;
use starling_engine::bus::EventBus;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};

/// The one channel every node publishes on and listens to.
pub const CHANNEL: &str = "starling:events";
/// Events waiting to be sent to Redis at most; beyond, new ones reach this node only.
const OUTBOX: usize = 16_384;
/// Events in one `PUBLISH` at most.
const BATCH: usize = 512;
/// Events each subscriber may fall behind by.
const BACKLOG: usize = 4096;
/// A listener that hears nothing for this long pings Redis, and reconnects if the ping
/// fails: a half-open connection is found within about twice this.
const LISTEN_PING: Duration = Duration::from_secs(5);

#[derive(serde::Serialize, serde::Deserialize)]
struct Batch {
    /// The node that published it.
    from: String,
    events: Vec<Event>,
}

pub struct RedisBus {
    /// This node's subscribers: its own events and the other nodes'.
    local: broadcast::Sender<Event>,
    /// Only the other nodes' events (for the engine's derived state).
    remote: broadcast::Sender<Event>,
    outbox: mpsc::Sender<Event>,
    /// Events that never left this node (Redis away, or the outbox full).
    dropped: Arc<AtomicU64>,
    /// Whether the listener is subscribed right now.
    linked: Arc<AtomicBool>,
}

impl RedisBus {
    pub(crate) fn start(
        client: redis::Client,
        commands: Commands,
        node: String,
        stop: watch::Receiver<bool>,
    ) -> Self {
        let (local, _) = broadcast::channel(BACKLOG);
        let (remote, _) = broadcast::channel(BACKLOG);
        let (outbox, queued) = mpsc::channel(OUTBOX);
        let dropped = Arc::new(AtomicU64::new(0));
        let linked = Arc::new(AtomicBool::new(false));
        tokio::spawn(send(
            commands,
            node.clone(),
            queued,
            dropped.clone(),
            stop.clone(),
        ));
        let listener = Listener {
            client,
            node,
            local: local.clone(),
            remote: remote.clone(),
            linked: linked.clone(),
        };
        tokio::spawn(listener.run(stop));
        Self {
            local,
            remote,
            outbox,
            dropped,
            linked,
        }
    }
}

impl EventBus for RedisBus {
    fn publish(&self, event: Event) {
        let _ = self.local.send(event.clone());
        if self.outbox.try_send(event).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }

    fn subscribe_remote(&self) -> Option<broadcast::Receiver<Event>> {
        Some(self.remote.subscribe())
    }

    fn linked(&self) -> Option<bool> {
        Some(self.linked.load(Ordering::Relaxed))
    }

    fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

/// Send queued events to Redis in batches, in order.
async fn send(
    commands: Commands,
    node: String,
    mut queued: mpsc::Receiver<Event>,
    dropped: Arc<AtomicU64>,
    mut stop: watch::Receiver<bool>,
) {
    let mut batch = Batch {
        from: node,
        events: Vec::with_capacity(BATCH),
    };
    loop {
        let first = tokio::select! {
            _ = stop.changed() => return,
            event = queued.recv() => match event {
                Some(event) => event,
                None => return,
            },
        };
        batch.events.push(first);
        while batch.events.len() < BATCH {
            match queued.try_recv() {
                Ok(event) => batch.events.push(event),
                Err(_) => break,
            }
        }
        let count = batch.events.len() as u64;
        let payload = serde_json::to_vec(&batch).expect("events serialize");
        batch.events.clear();
        let Some(mut connection) = commands.get() else {
            dropped.fetch_add(count, Ordering::Relaxed);
            continue;
        };
        let mut publish = redis::cmd("PUBLISH");
        publish.arg(CHANNEL).arg(payload);
        if let Err(e) = publish.query_async::<i64>(&mut connection).await {
            dropped.fetch_add(count, Ordering::Relaxed);
            tracing::debug!(
                error = e.category(),
                "publishing to redis failed; events stay on this node"
            );
        }
    }
}

/// Hears other nodes' events and hands them to this node's subscribers.
struct Listener {
    client: redis::Client,
    node: String,
    local: broadcast::Sender<Event>,
    remote: broadcast::Sender<Event>,
    linked: Arc<AtomicBool>,
}

impl Listener {
    /// Listen, reconnecting whenever the subscription breaks, until told to stop.
    async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut warned = false;
        loop {
            tokio::select! {
                _ = stop.changed() => return,
                outcome = self.listen_once() => {
                    self.linked.store(false, Ordering::Relaxed);
                    if let Err(e) = outcome && !warned {
                        tracing::warn!(error = e.category(), "not hearing other nodes' events; reconnecting to redis");
                        warned = true;
                    }
                }
            }
            tokio::select! {
                _ = stop.changed() => return,
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            }
        }
    }

    /// One subscription, until it breaks.
    async fn listen_once(&self) -> redis::RedisResult<()> {
        let connect = tokio::time::timeout(LISTEN_PING, self.client.get_async_pubsub());
        let mut pubsub = connect.await.map_err(timed_out)??;
        pubsub.subscribe(CHANNEL).await?;
        self.linked.store(true, Ordering::Relaxed);
        tracing::info!("hearing other nodes' events through redis");
        let (mut sink, mut messages) = pubsub.split();
        loop {
            let message = match tokio::time::timeout(LISTEN_PING, messages.next()).await {
                Ok(Some(message)) => message,
                Ok(None) => return Ok(()),
                Err(_) => {
                    // Quiet: make sure the connection is alive. A subscribed connection
                    // answers a ping with an array (["pong", ""]), not a status.
                    let ping = tokio::time::timeout(LISTEN_PING, sink.ping::<redis::Value>());
                    ping.await.map_err(timed_out)??;
                    continue;
                }
            };
            let Ok(batch) = serde_json::from_slice::<Batch>(message.get_payload_bytes()) else {
                tracing::warn!("ignoring a malformed message on the event channel");
                continue;
            };
            if batch.from == self.node {
                continue;
            }
            for event in batch.events {
                let _ = self.remote.send(event.clone());
                let _ = self.local.send(event);
            }
        }
    }
}

fn timed_out(_: tokio::time::error::Elapsed) -> redis::RedisError {
    redis::RedisError::from(std::io::Error::from(std::io::ErrorKind::TimedOut))
}
