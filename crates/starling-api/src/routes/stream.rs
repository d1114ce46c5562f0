//! `GET /api/stream`: live updates over a WebSocket. The protocol (subscriptions,
//! acknowledgements, pings, close codes) is here; the fan-out and the stream's bounds
//! are the [`Hub`](crate::hub::Hub).

use crate::AppState;
use crate::client::limit_key;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::QueryParams;
use crate::guard::ClientIp;
use crate::hub::{Outgoing, Reached, StreamLimits, encode};
use crate::slots::Refused;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use starling_core::{TweetId, UserId};
use starling_engine::{Engine, Session, SessionId};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::broadcast;

const MAX_SUBSCRIBED_IDS: usize = 1000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    /// A per-user stream (`home`), for a signed-in socket.
    #[serde(default)]
    stream: Option<String>,
}

/// A new notification, and the unread count with it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationEvent<'a> {
    notification: crate::routes::notifications::NotificationDto<'a>,
    unread_count: u64,
}

/// The acknowledgement of a subscription to a per-user stream.
#[derive(Serialize)]
struct StreamSubscribed<'a> {
    stream: &'a str,
    on: bool,
}

/// The acknowledgement of a client message: the ids that message named, not the whole
/// subscription (which a client could make the server repeat, 1,000 ids at a time).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Subscribed<'a> {
    all: bool,
    tweet_ids: &'a [TweetId],
    /// Tweet ids subscribed to now, in all.
    count: usize,
}

/// The answer to a client's `ping`, with the server's clock (milliseconds since the epoch).
#[derive(Serialize)]
struct Pong {
    at: i64,
}

#[derive(Serialize)]
struct StreamError<'a> {
    code: &'a str,
    message: &'a str,
}

#[utoipa::path(get, path = "/api/stream", tag = "stream", params(StreamParams),
    responses((status = 101, description = "Switching to the WebSocket protocol; see docs/API.md"),
        (status = 400, description = "Not a WebSocket upgrade request (plain text, from axum's upgrade extractor)",
            content_type = "text/plain"),
        (status = 401, body = ErrorBody, description = "`unauthorized`: the `token` is unknown or revoked"),
        (status = 429, body = ErrorBody, description = "`rate_limited`: too many open sockets from this address"),
        (status = 503, body = ErrorBody, description = "`overloaded`: too many open sockets")))]
pub async fn stream(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<StreamParams>,
    client_ip: Option<axum::Extension<ClientIp>>,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    let session = match params.token.as_deref().filter(|t| !t.is_empty()) {
        Some(token) => Some(state.engine.authenticate_session(token).await?.1),
        None => None,
    };
    let signed_in = session.is_some();
    let hub = &state.hub;
    let ip = client_ip.map(|c| limit_key(c.0.0));
    // Taken before the upgrade and held by the socket's task: the bound is exact.
    let socket_slot = hub.sockets.try_take(ip).map_err(|refused| match refused {
        Refused::ClientFull => ApiError::rate_limited(5),
        Refused::Full => ApiError::overloaded(),
    })?;
    let anonymous_slot = if signed_in {
        None
    } else {
        Some(
            hub.anonymous
                .try_take(None)
                .map_err(|_| ApiError::overloaded())?,
        )
    };
    let rx = hub.tx.subscribe();
    let ended = hub.ended.subscribe();
    let limits = hub.limits;
    let telemetry = state.telemetry.clone();
    let engine = state.engine.clone();
    Ok(ws
        .max_message_size(limits.max_message)
        // A frame is buffered whole before the message limit is checked: the same bound.
        .max_frame_size(limits.max_message)
        // Small buffers: an idle socket should cost a few KiB, not tungstenite's 128 KiB.
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(limits.max_message * 2)
        .on_upgrade(move |socket| async move {
            telemetry.websockets.fetch_add(1, Ordering::Relaxed);
            client(socket, rx, limits, session, ended, engine).await;
            telemetry.websockets.fetch_sub(1, Ordering::Relaxed);
            drop((socket_slot, anonymous_slot));
        }))
}

/// Close with `code` if the socket still takes a frame within the send timeout, then
/// read (and drop) what the client still sends until it answers the close or a second
/// passes: closing with unread data would make the kernel reset the connection, and the
/// client would never see the code.
async fn close_with(
    sink: &mut futures::stream::SplitSink<WebSocket, Message>,
    incoming: &mut futures::stream::SplitStream<WebSocket>,
    code: u16,
    reason: &'static str,
    send_timeout: Duration,
) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let grace = send_timeout.min(Duration::from_secs(1));
    let sent = tokio::time::timeout(grace, async {
        sink.send(Message::Close(Some(frame))).await?;
        sink.flush().await
    })
    .await;
    if matches!(sent, Ok(Ok(()))) {
        let _ = tokio::time::timeout(grace, async {
            while let Some(Ok(message)) = incoming.next().await {
                if matches!(message, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }
}

async fn client(
    socket: WebSocket,
    mut rx: broadcast::Receiver<Arc<Outgoing>>,
    limits: StreamLimits,
    session: Option<Session>,
    mut ended: broadcast::Receiver<Arc<[SessionId]>>,
    // For its clock (a session's expiry is judged by the engine's time) and the graph.
    engine: Arc<Engine>,
) {
    let (mut sink, mut incoming) = socket.split();
    // Whose tweets this user is never sent: blocked either way, or muted. Read again
    // whenever the user's standing with someone changes.
    let me = session.as_ref().map(|s| s.user);
    let hidden_of = |user: Option<UserId>| {
        let engine = engine.clone();
        async move {
            match user {
                Some(user) => engine.hidden_authors(user).await.map(HashSet::from_iter),
                None => Ok(HashSet::new()),
            }
        }
    };
    let Ok(mut hidden) = hidden_of(me).await else {
        close_with(
            &mut sink,
            &mut incoming,
            1011,
            "try again later",
            limits.send_timeout,
        )
        .await;
        return;
    };
    let mut all = false;
    let mut home = false;
    let mut notifications = false;
    let mut ids: HashSet<TweetId> = HashSet::new();
    let mut ping = tokio::time::interval(limits.ping_interval);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.reset();
    let mut heard = tokio::time::Instant::now();
    let rate = limits.messages_per_second.max(1) as f64;
    let burst = rate * 4.0;
    let mut allowance = burst;
    let mut last_message = tokio::time::Instant::now();
    let send_timeout = limits.send_timeout;
    loop {
        let silent_until = heard + limits.idle_timeout;
        tokio::select! {
            message = incoming.next() => {
                heard = tokio::time::Instant::now();
                let text = match message {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    // Pongs and pings only prove the client is there (tungstenite answers pings).
                    Some(Ok(_)) => continue,
                };
                // A token bucket per socket: each message costs parsing and a reply.
                allowance = (allowance + heard.duration_since(last_message).as_secs_f64() * rate).min(burst);
                last_message = heard;
                if allowance < 1.0 {
                    close_with(&mut sink, &mut incoming, 1008, "too many messages", send_timeout).await;
                    break;
                }
                allowance -= 1.0;
                let reply = match serde_json::from_str::<ClientMessage>(&text) {
                    // The client's heartbeat: browsers answer the server's ping frames
                    // but cannot see them, so a page learns that a connection went silent
                    // (a sleeping laptop, a dropped network) only from a missing answer.
                    Ok(m) if m.kind == "ping" => encode("pong", Pong { at: engine.now() }),
                    Ok(m) if (m.kind == "subscribe" || m.kind == "unsubscribe") && m.stream.is_some() => {
                        let on = m.kind == "subscribe";
                        match (m.stream.as_deref(), me) {
                            (Some("home"), Some(_)) => {
                                home = on;
                                encode("subscribed", StreamSubscribed { stream: "home", on })
                            }
                            (Some("notifications"), Some(_)) => {
                                notifications = on;
                                encode("subscribed", StreamSubscribed { stream: "notifications", on })
                            }
                            (Some("home" | "notifications"), None) => encode("error", StreamError { code: "unauthorized", message: "per-user streams need a token" }),
                            _ => encode("error", StreamError { code: "bad_message", message: "unknown stream (expected \"home\" or \"notifications\")" }),
                        }
                    }
                    Ok(m) if m.kind == "subscribe" || m.kind == "unsubscribe" => {
                        let on = m.kind == "subscribe";
                        if let Some(flag) = m.all {
                            all = if on { flag } else { all && !flag };
                        }
                        for id in &m.tweet_ids {
                            if on { ids.insert(*id); } else { ids.remove(id); }
                        }
                        if ids.len() > MAX_SUBSCRIBED_IDS {
                            ids.clear();
                            encode("error", StreamError { code: "too_many_ids", message: "subscribe to at most 1000 tweet ids; subscription cleared" })
                        } else {
                            encode("subscribed", Subscribed { all, tweet_ids: &m.tweet_ids, count: ids.len() })
                        }
                    }
                    _ => encode("error", StreamError { code: "bad_message", message: "expected {\"type\":\"subscribe\"|\"unsubscribe\", \"all\"?, \"tweetIds\"?, \"stream\"?} or {\"type\":\"ping\"}" }),
                };
                if !matches!(tokio::time::timeout(send_timeout, sink.send(Message::Text(reply))).await, Ok(Ok(()))) {
                    close_with(&mut sink, &mut incoming, 1008, "too slow", send_timeout).await;
                    break;
                }
            }
            event = rx.recv() => match event {
                Ok(out) => {
                    if let Some((a, b)) = out.graph {
                        if me.is_some() && (me == Some(a) || me == Some(b)) {
                            match hidden_of(me).await {
                                Ok(now) => hidden = now,
                                // Cannot tell whom to leave out: close; the client reconnects.
                                Err(_) => {
                                    close_with(&mut sink, &mut incoming, 1011, "try again later", send_timeout).await;
                                    break;
                                }
                            }
                        }
                        continue;
                    }
                    if let Some((recipient, id)) = out.notified {
                        if !notifications || me != Some(recipient) {
                            continue;
                        }
                        let Some(id) = id else {
                            // Read elsewhere, or one withdrawn: the count and the mark.
                            let (Ok(unread), Ok(mark)) = (
                                engine.unread_notifications(recipient).await,
                                engine.notifications_read_mark(recipient).await,
                            ) else {
                                continue;
                            };
                            let text = encode("notifications.count", crate::routes::notifications::ReadMark {
                                read_up_to: mark.to_string(),
                                unread_count: unread,
                            });
                            if !matches!(tokio::time::timeout(send_timeout, sink.send(Message::Text(text))).await, Ok(Ok(()))) {
                                close_with(&mut sink, &mut incoming, 1008, "too slow: fell behind the stream", send_timeout).await;
                                break;
                            }
                            continue;
                        };
                        // As the user sees it now, with the count the badge shows.
                        let (Ok(Some(n)), Ok(unread)) = (
                            engine.notification(recipient, id).await,
                            engine.unread_notifications(recipient).await,
                        ) else {
                            continue;
                        };
                        let text = encode("notification", NotificationEvent {
                            notification: crate::routes::notifications::notification_dto(&n),
                            unread_count: unread,
                        });
                        if !matches!(tokio::time::timeout(send_timeout, sink.send(Message::Text(text))).await, Ok(Ok(()))) {
                            close_with(&mut sink, &mut incoming, 1008, "too slow: fell behind the stream", send_timeout).await;
                            break;
                        }
                        continue;
                    }
                    if let Some(reached) = &out.home {
                        let Some((user, author)) = me.zip(out.author).filter(|(_, a)| home && !hidden.contains(a)) else {
                            continue;
                        };
                        let recipient = match reached {
                            Reached::Users(users) => users.contains(&user),
                            Reached::Followers => engine.follows(user, author).await.unwrap_or(false),
                        };
                        if !recipient {
                            continue;
                        }
                        // As this user sees it in their home timeline, if they do.
                        let Ok(Some(view)) = engine.home_entry(user, out.tweet, author).await else {
                            continue;
                        };
                        let text = encode("home.update", crate::dto::TweetDto::from(&view));
                        if !matches!(tokio::time::timeout(send_timeout, sink.send(Message::Text(text))).await, Ok(Ok(()))) {
                            close_with(&mut sink, &mut incoming, 1008, "too slow: fell behind the stream", send_timeout).await;
                            break;
                        }
                        continue;
                    }
                    if !((all && out.listed) || ids.contains(&out.tweet)) {
                        continue;
                    }
                    if out.author.is_some_and(|a| hidden.contains(&a)) {
                        continue;
                    }
                    if !matches!(tokio::time::timeout(send_timeout, sink.send(Message::Text(out.text.clone()))).await, Ok(Ok(()))) {
                        close_with(&mut sink, &mut incoming, 1008, "too slow: fell behind the stream", send_timeout).await;
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    close_with(&mut sink, &mut incoming, 1008, "too slow: fell behind the stream", send_timeout).await;
                    break;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            revoked = ended.recv(), if session.is_some() => {
                let mine = session.as_ref().map(|s| s.id);
                let gone = match revoked {
                    Ok(ids) => ids.iter().any(|id| Some(*id) == mine),
                    // Missed some: cannot tell, so close; the client reconnects if still signed in.
                    Err(broadcast::error::RecvError::Lagged(_)) => true,
                    Err(broadcast::error::RecvError::Closed) => false,
                };
                if gone {
                    close_with(&mut sink, &mut incoming, 1008, "signed out", send_timeout).await;
                    break;
                }
            }
            _ = ping.tick() => {
                if session.as_ref().is_some_and(|s| s.expires_at <= engine.now()) {
                    close_with(&mut sink, &mut incoming, 1008, "session expired", send_timeout).await;
                    break;
                }
                if !matches!(tokio::time::timeout(send_timeout, sink.send(Message::Ping(Default::default()))).await, Ok(Ok(()))) {
                    close_with(&mut sink, &mut incoming, 1008, "too slow", send_timeout).await;
                    break;
                }
            }
            () = tokio::time::sleep_until(silent_until) => {
                close_with(&mut sink, &mut incoming, 1001, "no answer to pings", send_timeout).await;
                break;
            }
        }
    }
}
