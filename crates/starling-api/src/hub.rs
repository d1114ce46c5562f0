//! The live fan-out: one task turns engine events into JSON once, for every client;
//! engagement updates are coalesced per tweet (at most one per [`COALESCE`] window).
//! Each client reads from a bounded broadcast, so a client that falls behind is
//! disconnected rather than slowing anyone else. The hub also holds the stream's
//! bounds (open sockets, overall, per address, anonymous) and tells clients when their
//! session ended. The WebSocket protocol itself is `routes/stream.rs`.
//!
//! Key decision: the hub consumes the engine's event bus and nothing else, so events
//! from other nodes (a cross-node bus) reach its clients the same way.

use crate::dto::{EngagementDto, TweetDto};
use crate::slots::Slots;
use axum::extract::ws::Utf8Bytes;
use serde::Serialize;
use starling_core::{TweetId, UserId, Viewer};
use starling_engine::{Counters, EngagementView, Engine, Event, SessionId};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

const COALESCE: Duration = Duration::from_millis(250);

/// Bounds on the live stream: how many sockets, how slow a client may be, how chatty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct StreamLimits {
    /// Messages a client may fall behind by before it is dropped.
    pub backlog: usize,
    /// Longest a single send to a client may block before it is dropped.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub send_timeout: Duration,
    /// Open sockets at most, over the whole server.
    pub max_connections: usize,
    /// Open sockets from one client address (IPv6: one /64).
    pub max_per_client: usize,
    /// Open sockets without a token at most: signed-in users keep room when anonymous
    /// clients flood the stream.
    pub max_anonymous: usize,
    /// Largest client message (and frame) accepted.
    pub max_message: usize,
    /// The server pings this often; a pong (or any message) proves the client is there.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub ping_interval: Duration,
    /// A client from which nothing arrives for this long is closed.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub idle_timeout: Duration,
    /// Client messages per second, with a burst of four times as many; a client that
    /// sends faster is closed with 1008.
    pub messages_per_second: u32,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self {
            backlog: 1024,
            send_timeout: Duration::from_secs(5),
            max_connections: 10_000,
            max_per_client: 32,
            max_anonymous: 5_000,
            max_message: 64 * 1024,
            ping_interval: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(40),
            messages_per_second: 5,
        }
    }
}

/// Whose home timelines an entry entered.
pub(crate) enum Reached {
    /// These users' (a page of its author's followers, or the author).
    Users(Arc<[UserId]>),
    /// Everyone following its author (an author merged at read time).
    Followers,
}

/// One message for every client subscribed to `tweet` (or to everything, when
/// `listed`), except those who may not be sent `author`'s tweets.
pub struct Outgoing {
    pub(crate) tweet: TweetId,
    /// The tweet's author, when the message shows the tweet or its counts.
    pub(crate) author: Option<UserId>,
    /// Whether the tweet belongs in public lists (`public` visibility): only then do
    /// subscribers to everything get it; subscribers to its id get it either way.
    pub(crate) listed: bool,
    pub(crate) text: Utf8Bytes,
    /// Not a message: these two users' standing changed, and sockets of theirs read
    /// again whom to leave out. In the same channel as the tweets, so a tweet that
    /// follows a block in the engine's order follows it here too.
    pub(crate) graph: Option<(UserId, UserId)>,
    /// Not a message either: the entry `tweet` by `author` entered these home timelines.
    /// Each of their users' sockets subscribed to `home` presents it for its own user.
    pub(crate) home: Option<Reached>,
    /// Not a message either: a notification (its id) was made for this user, or (no id)
    /// their unread count changed otherwise; their sockets subscribed to `notifications`
    /// present it.
    pub(crate) notified: Option<(UserId, Option<i64>)>,
}

impl Outgoing {
    /// For `user`'s `notifications` stream: a new notification, or (no id) a new count.
    fn notified(user: UserId, id: Option<i64>) -> Self {
        Self {
            tweet: TweetId(0),
            author: None,
            listed: false,
            text: Utf8Bytes::from_static(""),
            graph: None,
            home: None,
            notified: Some((user, id)),
        }
    }
}

pub struct Hub {
    /// Every client's feed: one serialized message, shared.
    pub(crate) tx: broadcast::Sender<Arc<Outgoing>>,
    /// The stream's bounds, read by each socket.
    pub(crate) limits: StreamLimits,
    /// Open sockets, overall and per client address.
    pub(crate) sockets: Arc<Slots>,
    /// Open sockets without a token.
    pub(crate) anonymous: Arc<Slots>,
    /// Sessions that ended (logout, revocation): their sockets close.
    pub(crate) ended: broadcast::Sender<Arc<[SessionId]>>,
}

#[derive(Serialize)]
struct Envelope<T> {
    #[serde(rename = "type")]
    kind: &'static str,
    data: T,
}

#[derive(Serialize)]
struct IdOnly {
    id: TweetId,
}

#[derive(Serialize)]
struct EngagementData {
    id: TweetId,
    engagement: EngagementDto,
}

/// `{"type": kind, "data": data}`, serialized once.
pub(crate) fn encode<T: Serialize>(kind: &'static str, data: T) -> Utf8Bytes {
    serde_json::to_string(&Envelope { kind, data })
        .expect("serializable")
        .into()
}

impl Hub {
    pub fn start(engine: Arc<Engine>, limits: StreamLimits) -> Arc<Self> {
        let (tx, _) = broadcast::channel(limits.backlog.max(1));
        let hub = Arc::new(Self {
            tx: tx.clone(),
            limits,
            sockets: Slots::new(limits.max_connections, limits.max_per_client),
            anonymous: Slots::new(limits.max_anonymous, usize::MAX),
            ended: broadcast::channel(64).0,
        });
        tokio::spawn(fan_out(engine, tx, hub.ended.clone()));
        hub
    }
}

async fn fan_out(
    engine: Arc<Engine>,
    tx: broadcast::Sender<Arc<Outgoing>>,
    ended: broadcast::Sender<Arc<[SessionId]>>,
) {
    let mut events = engine.subscribe();
    let mut pending: HashMap<TweetId, Counters> = HashMap::new();
    let mut tick = tokio::time::interval(COALESCE);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let send = |tweet: TweetId, author: Option<UserId>, listed: bool, text: Utf8Bytes| {
        let _ = tx.send(Arc::new(Outgoing {
            tweet,
            author,
            listed,
            text,
            graph: None,
            home: None,
            notified: None,
        }));
    };
    loop {
        tokio::select! {
            event = events.recv() => match event {
                // Nobody listening: skip the serialization (the common case under load).
                Ok(Event::Created(_) | Event::Updated(_)) if tx.receiver_count() == 0 => {}
                // The engine emits only tweets anyone may open by their link; this holds
                // for other nodes' events too, whatever their version.
                Ok(Event::Created(record) | Event::Updated(record)) if !record.visibility.is_open() => {}
                Ok(Event::Created(record)) => {
                    let (id, author, listed) = (record.id, record.author.id, record.visibility.is_listed_publicly());
                    let view = engine.public_view(record);
                    send(id, Some(author), listed, encode("tweet.created", TweetDto::from(&view)));
                }
                Ok(Event::Updated(record)) => {
                    let (id, author, listed) = (record.id, record.author.id, record.visibility.is_listed_publicly());
                    let view = engine.public_view(record);
                    send(id, Some(author), listed, encode("tweet.updated", TweetDto::from(&view)));
                }
                Ok(Event::Removed(id)) => {
                    pending.remove(&id);
                    send(id, None, true, encode("tweet.deleted", IdOnly { id }));
                }
                Ok(Event::Graph(a, b)) => {
                    let _ = tx.send(Arc::new(Outgoing {
                        tweet: TweetId(0),
                        author: None,
                        listed: false,
                        text: Utf8Bytes::from_static(""),
                        graph: Some((a, b)),
                        home: None,
            notified: None,
                    }));
                }
                Ok(Event::Delivered(..) | Event::Notified(..) | Event::Unread(..)) if tx.receiver_count() == 0 => {}
                Ok(Event::Unread(user)) => {
                    let _ = tx.send(Arc::new(Outgoing::notified(user, None)));
                }
                Ok(Event::Notified(user, id)) => {
                    let _ = tx.send(Arc::new(Outgoing::notified(user, Some(id))));
                }
                Ok(Event::Delivered(id, author, to)) => {
                    let _ = tx.send(Arc::new(Outgoing {
                        tweet: id,
                        author: Some(author),
                        listed: false,
                        text: Utf8Bytes::from_static(""),
                        graph: None,
                        home: Some(match to {
                            Some(users) => Reached::Users(users),
                            None => Reached::Followers,
                        }),
                        notified: None,
                    }));
                }
                Ok(Event::SessionsEnded(ids)) => {
                    let _ = ended.send(ids);
                }
                // For the nodes' velocity, not for clients.
                Ok(Event::Activity(..)) => {}
                Ok(Event::Engagement(id, counters)) => {
                    let slot = pending.entry(id).or_insert(counters);
                    if counters.rev >= slot.rev {
                        *slot = counters;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(missed = n, "stream fan-out fell behind the engine");
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = tick.tick() => {
                for (id, counters) in pending.drain() {
                    // The one visibility rule: only tweets everyone may read are streamed.
                    let Ok(record) = engine.readable(id, Viewer::ANONYMOUS).await else {
                        continue;
                    };
                    let view = EngagementView { counters, liked: false, retweeted: false, velocity: engine.velocity_of(id) };
                    send(id, Some(record.author.id), record.visibility.is_listed_publicly(),
                        encode("engagement.updated", EngagementData { id, engagement: (&view).into() }));
                }
            }
        }
    }
}
