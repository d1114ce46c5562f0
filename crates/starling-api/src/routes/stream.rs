//! `GET /api/stream`: live updates over a WebSocket.
//!
//! One fan-out task turns engine events into JSON once, for every client; engagement
//! updates are coalesced per tweet (at most one per [`COALESCE`] window). Each client
//! reads from a bounded broadcast: a client that falls behind is disconnected rather
//! than slowing anyone else.

use crate::AppState;
use crate::dto::{EngagementDto, TweetDto};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::QueryParams;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use starling_core::TweetId;
use starling_engine::{Counters, EngagementView, Engine, Event};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::broadcast;

const COALESCE: Duration = Duration::from_millis(250);
/// Messages a client may fall behind by before it is dropped.
/// When a client is too slow for the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// Messages a client may fall behind by before it is dropped.
    pub backlog: usize,
    /// Longest a single send to a client may block before it is dropped.
    pub send_timeout: Duration,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self {
            backlog: 1024,
            send_timeout: Duration::from_secs(5),
        }
    }
}
const MAX_SUBSCRIBED_IDS: usize = 1000;
const MAX_CONNECTIONS: i64 = 10_000;

pub struct Outgoing {
    tweet: TweetId,
    text: Utf8Bytes,
}

pub struct Hub {
    tx: broadcast::Sender<Arc<Outgoing>>,
    limits: StreamLimits,
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

fn encode<T: Serialize>(kind: &'static str, data: T) -> Utf8Bytes {
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
        });
        tokio::spawn(fan_out(engine, tx));
        hub
    }
}

async fn fan_out(engine: Arc<Engine>, tx: broadcast::Sender<Arc<Outgoing>>) {
    let mut events = engine.subscribe();
    let mut pending: HashMap<TweetId, Counters> = HashMap::new();
    let mut tick = tokio::time::interval(COALESCE);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let send = |tweet: TweetId, text: Utf8Bytes| {
        let _ = tx.send(Arc::new(Outgoing { tweet, text }));
    };
    loop {
        tokio::select! {
            event = events.recv() => match event {
                // Nobody listening: skip the serialization (the common case under load).
                Ok(Event::Created(_) | Event::Updated(_)) if tx.receiver_count() == 0 => {}
                Ok(Event::Created(record)) => {
                    let id = record.id;
                    let view = engine.public_view(record);
                    send(id, encode("tweet.created", TweetDto::from(&view)));
                }
                Ok(Event::Updated(record)) => {
                    let id = record.id;
                    let view = engine.public_view(record);
                    send(id, encode("tweet.updated", TweetDto::from(&view)));
                }
                Ok(Event::Removed(id)) => {
                    pending.remove(&id);
                    send(id, encode("tweet.deleted", IdOnly { id }));
                }
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
                    if engine.readable(id, None).await.is_err() {
                        continue;
                    }
                    let view = EngagementView { counters, liked: false, retweeted: false, velocity: engine.velocity_of(id) };
                    send(id, encode("engagement.updated", EngagementData { id, engagement: (&view).into() }));
                }
            }
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StreamParams {
    /// Optional bearer token (browsers cannot set headers on a WebSocket).
    pub token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientMessage {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    all: Option<bool>,
    #[serde(default)]
    tweet_ids: Vec<TweetId>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Subscribed<'a> {
    all: bool,
    tweet_ids: Vec<&'a TweetId>,
}

#[derive(Serialize)]
struct StreamError<'a> {
    code: &'a str,
    message: &'a str,
}

#[utoipa::path(get, path = "/api/stream", tag = "stream", params(StreamParams),
    responses((status = 101, description = "Switching to the WebSocket protocol; see docs/API.md"),
        (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn stream(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<StreamParams>,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    if let Some(token) = params.token.as_deref().filter(|t| !t.is_empty()) {
        state.engine.authenticate(token).await?;
    }
    if state.telemetry.websockets.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
        return Err(ApiError::overloaded());
    }
    let rx = state.hub.tx.subscribe();
    let limits = state.hub.limits;
    let telemetry = state.telemetry.clone();
    Ok(ws
        .max_message_size(64 * 1024)
        .on_upgrade(move |socket| async move {
            telemetry.websockets.fetch_add(1, Ordering::Relaxed);
            client(socket, rx, limits.send_timeout).await;
            telemetry.websockets.fetch_sub(1, Ordering::Relaxed);
        }))
}

async fn client(
    socket: WebSocket,
    mut rx: broadcast::Receiver<Arc<Outgoing>>,
    send_timeout: Duration,
) {
    let (mut sink, mut incoming) = socket.split();
    let mut all = false;
    let mut ids: HashSet<TweetId> = HashSet::new();
    loop {
        tokio::select! {
            message = incoming.next() => {
                let text = match message {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                let reply = match serde_json::from_str::<ClientMessage>(&text) {
                    Ok(m) if m.kind == "subscribe" || m.kind == "unsubscribe" => {
                        let on = m.kind == "subscribe";
                        if let Some(flag) = m.all {
                            all = if on { flag } else { all && !flag };
                        }
                        for id in m.tweet_ids {
                            if on { ids.insert(id); } else { ids.remove(&id); }
                        }
                        if ids.len() > MAX_SUBSCRIBED_IDS {
                            ids.clear();
                            encode("error", StreamError { code: "too_many_ids", message: "subscribe to at most 1000 tweet ids; subscription cleared" })
                        } else {
                            encode("subscribed", Subscribed { all, tweet_ids: ids.iter().collect() })
                        }
                    }
                    _ => encode("error", StreamError { code: "bad_message", message: "expected {\"type\":\"subscribe\"|\"unsubscribe\", \"all\"?, \"tweetIds\"?}" }),
                };
                if !matches!(tokio::time::timeout(send_timeout, sink.send(Message::Text(reply))).await, Ok(Ok(()))) {
                    break;
                }
            }
            event = rx.recv() => match event {
                Ok(out) => {
                    if !(all || ids.contains(&out.tweet)) {
                        continue;
                    }
                    if !matches!(tokio::time::timeout(send_timeout, sink.send(Message::Text(out.text.clone()))).await, Ok(Ok(()))) {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let frame = CloseFrame { code: 1008, reason: "too slow: fell behind the stream".into() };
                    let _ = tokio::time::timeout(send_timeout, sink.send(Message::Close(Some(frame)))).await;
                    break;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    }
}
