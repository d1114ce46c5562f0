//! The live stream at `/api/stream` (docs/API.md, "Live updates"). Every wait has a
//! deadline; nothing waits by sleeping.

use crate::support::{TestApp, expect_status, id_of, spawn};
use futures::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long any one expected message may take.
const DEADLINE: Duration = Duration::from_secs(5);

async fn connect(app: &TestApp) -> Ws {
    let (ws, response) = tokio_tungstenite::connect_async(app.ws_url("/api/stream"))
        .await
        .expect("WebSocket handshake");
    assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
    ws
}

async fn send(ws: &mut Ws, message: Value) {
    ws.send(Message::text(message.to_string()))
        .await
        .expect("send");
}

/// The next JSON text message, skipping control frames; fails after [`DEADLINE`].
async fn next(ws: &mut Ws) -> Value {
    let read = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) => {
                    return serde_json::from_str::<Value>(&text)
                        .unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => panic!("the stream ended or sent something else: {other:?}"),
            }
        }
    };
    tokio::time::timeout(DEADLINE, read)
        .await
        .expect("no message before the deadline")
}

/// Read until a message satisfies `done`; returns every message read, the match last.
async fn until(ws: &mut Ws, what: &str, done: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut seen = Vec::new();
    let read = async {
        loop {
            let message = next(ws).await;
            let matched = done(&message);
            seen.push(message);
            if matched {
                return;
            }
        }
    };
    if tokio::time::timeout(DEADLINE, read).await.is_err() {
        panic!("no {what} before the deadline; got {seen:#?}");
    }
    seen
}

/// Subscribe and wait for the acknowledgement, which is returned.
async fn subscribe(ws: &mut Ws, request: Value) -> Value {
    send(ws, request).await;
    let ack = next(ws).await;
    assert_eq!(ack["type"], "subscribed", "{ack}");
    ack["data"].clone()
}

fn is(kind: &'static str, id: String) -> impl Fn(&Value) -> bool {
    move |m| m["type"] == kind && m["data"]["id"] == id.as_str()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_to_all_receive_public_tweet_events() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let mut ws = connect(&app).await;
    let ack = subscribe(&mut ws, json!({"type": "subscribe", "all": true})).await;
    assert_eq!(ack, json!({"all": true, "tweetIds": [], "count": 0}));

    let tweet = app.post_tweet(&ada, "live #now").await;
    let id = id_of(&tweet);
    let created = next(&mut ws).await;
    assert_eq!(created["type"], "tweet.created", "{created}");
    assert_eq!(created["data"], tweet, "the stream carries the tweet JSON");

    let edited = app.edit(&ada, &id, "live, edited").await;
    let updated = next(&mut ws).await;
    assert_eq!(updated["type"], "tweet.updated", "{updated}");
    assert_eq!(updated["data"]["id"], id.as_str());
    assert_eq!(updated["data"]["content"], "live, edited");
    assert_eq!(updated["data"]["version"], 2);
    assert_eq!(updated["data"]["contentHash"], edited["contentHash"]);

    // Archiving takes it out of public view.
    app.transition(&ada, &id, "archive").await;
    let gone = next(&mut ws).await;
    assert_eq!(gone, json!({"type": "tweet.deleted", "data": {"id": id}}));

    let other = id_of(&app.post_tweet(&ada, "to be deleted").await);
    until(&mut ws, "tweet.created", is("tweet.created", other.clone())).await;
    let resp = app
        .delete(&format!("/api/tweets/{other}"), Some(&ada))
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let deleted = next(&mut ws).await;
    assert_eq!(
        deleted,
        json!({"type": "tweet.deleted", "data": {"id": other}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_never_streamed_until_published() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let mut ws = connect(&app).await;
    subscribe(&mut ws, json!({"type": "subscribe", "all": true})).await;

    let draft = id_of(&app.post_draft(&ada, "secret draft").await);
    app.edit(&ada, &draft, "secret draft, edited").await;
    // Events are delivered in order: if the draft were streamed, it would come first.
    let marker = id_of(&app.post_tweet(&ada, "public marker").await);
    let seen = until(&mut ws, "the marker", is("tweet.created", marker)).await;
    assert_eq!(seen.len(), 1, "the draft leaked into the stream: {seen:#?}");
    assert!(!serde_json::to_string(&seen).unwrap().contains("secret"));

    let published = app.transition(&ada, &draft, "publish").await;
    let created = next(&mut ws).await;
    assert_eq!(created["type"], "tweet.created", "{created}");
    assert_eq!(created["data"]["id"], draft.as_str());
    assert_eq!(created["data"]["state"], "published");
    assert_eq!(created["data"]["content"], published["content"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engagement_updates_are_coalesced_per_tweet() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let id = id_of(&app.post_tweet(&ada, "like me").await);
    let quiet = id_of(&app.post_tweet(&ada, "not subscribed").await);

    let mut ws = connect(&app).await;
    let ack = subscribe(&mut ws, json!({"type": "subscribe", "tweetIds": [id]})).await;
    assert_eq!(ack, json!({"all": false, "tweetIds": [id], "count": 1}));

    // 40 changes to the like count as fast as the server takes them, ending at 2 likes.
    let mut changes = 0;
    for _ in 0..19 {
        app.engage(&ada, &id, "like").await;
        app.engage(&ada, &id, "unlike").await;
        changes += 2;
    }
    app.engage(&bob, &quiet, "like").await;
    app.engage(&ada, &id, "like").await;
    let last = app.engage(&bob, &id, "like").await;
    changes += 2;
    assert_eq!(last["likes"], 2);

    let seen = until(&mut ws, "the final like count", |m| {
        m["type"] == "engagement.updated" && m["data"]["engagement"]["likes"] == 2
    })
    .await;
    for m in &seen {
        assert_eq!(m["type"], "engagement.updated", "{m}");
        assert_eq!(
            m["data"]["id"],
            id.as_str(),
            "only the subscribed tweet: {m}"
        );
    }
    assert!(
        seen.len() < changes,
        "{} messages for {changes} changes: not coalesced",
        seen.len()
    );
    let final_engagement = &seen.last().unwrap()["data"]["engagement"];
    assert_eq!(final_engagement["retweets"], 0);
    // Stream data is viewer-neutral.
    assert_eq!(final_engagement["likedByCurrentUser"], false);

    // Nothing stale follows the final count: the next update is the next change.
    app.engage(&bob, &id, "retweet").await;
    let after = until(&mut ws, "the retweet", |m| {
        m["data"]["engagement"]["retweets"] == 1
    })
    .await;
    for m in &after {
        assert_eq!(m["data"]["engagement"]["likes"], 2, "a stale count: {m}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tweet_subscription_sees_its_deletion_and_nothing_else() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let id = id_of(&app.post_tweet(&ada, "watched").await);
    let mut ws = connect(&app).await;
    subscribe(&mut ws, json!({"type": "subscribe", "tweetIds": [id]})).await;

    let other = id_of(&app.post_tweet(&ada, "unwatched").await);
    app.edit(&ada, &other, "unwatched, edited").await;
    app.engage(&ada, &id, "view").await;
    let resp = app.delete(&format!("/api/tweets/{id}"), Some(&ada)).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);

    let seen = until(&mut ws, "tweet.deleted", is("tweet.deleted", id.clone())).await;
    for m in &seen {
        assert_eq!(m["data"]["id"], id.as_str(), "another tweet's event: {m}");
    }
    assert_eq!(
        seen.last().unwrap(),
        &json!({"type": "tweet.deleted", "data": {"id": id}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_client_messages_get_an_error_and_the_connection_stays_open() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let watched = id_of(&app.post_tweet(&ada, "watched").await);

    let resp = tokio_tungstenite::connect_async(app.ws_url("/api/stream?token=wrong")).await;
    match resp {
        Err(tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED)
        }
        other => panic!("a wrong token was not refused: {other:?}"),
    }
    let (mut ws, _) =
        tokio_tungstenite::connect_async(app.ws_url(&format!("/api/stream?token={ada}")))
            .await
            .expect("a valid token is accepted");

    for bad in [
        "not json",
        "{",
        r#"{"type": "dance"}"#,
        r#"{"type": "subscribe", "tweetIds": ["abc"]}"#,
        r#"{"type": "subscribe", "tweetIds": "1"}"#,
        "[]",
    ] {
        ws.send(Message::text(bad)).await.unwrap();
        let reply = next(&mut ws).await;
        assert_eq!(reply["type"], "error", "{bad}: {reply}");
        assert!(reply["data"]["code"].is_string(), "{reply}");
        assert!(reply["data"]["message"].is_string(), "{reply}");
    }

    // Still open and working: the client's heartbeat is answered with the server's clock,
    // subscriptions are acknowledged and events arrive.
    send(&mut ws, json!({"type": "ping"})).await;
    let pong = next(&mut ws).await;
    assert_eq!(pong["type"], "pong", "{pong}");
    let at = pong["data"]["at"].as_i64().expect("a time");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!((now - at).abs() < 60_000, "{at} vs {now}");
    let ack = subscribe(&mut ws, json!({"type": "subscribe", "all": true})).await;
    assert_eq!(ack["all"], true);
    let stats = app.stats().await;
    assert_eq!(stats["websockets"]["open"], 1, "{stats}");
    let first = id_of(&app.post_tweet(&ada, "first").await);
    until(&mut ws, "tweet.created", is("tweet.created", first)).await;

    // Unsubscribing from all keeps the id subscriptions.
    subscribe(&mut ws, json!({"type": "subscribe", "tweetIds": [watched]})).await;
    let ack = subscribe(&mut ws, json!({"type": "unsubscribe", "all": true})).await;
    assert_eq!(ack, json!({"all": false, "tweetIds": [], "count": 1}));
    app.post_tweet(&ada, "not for us").await;
    app.engage(&ada, &watched, "like").await;
    let seen = until(&mut ws, "the watched tweet's engagement", |m| {
        m["type"] == "engagement.updated"
    })
    .await;
    assert_eq!(seen.len(), 1, "events after unsubscribing: {seen:#?}");
    assert_eq!(seen[0]["data"]["id"], watched.as_str());

    let ack = subscribe(
        &mut ws,
        json!({"type": "unsubscribe", "tweetIds": [watched]}),
    )
    .await;
    assert_eq!(
        ack,
        json!({"all": false, "tweetIds": [watched], "count": 0})
    );

    ws.close(None).await.unwrap();
    let _ = expect_status(app.get("/api/health", None).await, StatusCode::OK).await;
}

/// The stream carries only what the viewer may list: no followers-only or unlisted
/// tweets for subscribers to everything, and, once a user blocks or mutes someone, none
/// of that author's tweets (the socket reads the change at once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_leaves_out_what_the_viewer_may_not_list() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, cy) = app.register("cy").await;
    let (mut ws, _) =
        tokio_tungstenite::connect_async(app.ws_url(&format!("/api/stream?token={bob}")))
            .await
            .expect("WebSocket handshake");
    let mut anonymous = connect(&app).await;
    subscribe(&mut ws, json!({"type": "subscribe", "all": true})).await;
    subscribe(&mut anonymous, json!({"type": "subscribe", "all": true})).await;
    let private = app
        .create(
            &ada,
            &json!({"content": "for followers", "visibility": "followers"}),
        )
        .await;
    let unlisted = app
        .create(
            &ada,
            &json!({"content": "by link", "visibility": "unlisted"}),
        )
        .await;
    let marker = id_of(&app.post_tweet(&ada, "public").await);
    let hidden = [id_of(&private), id_of(&unlisted)];
    for socket in [&mut ws, &mut anonymous] {
        let seen = until(
            socket,
            "the public tweet",
            is("tweet.created", marker.clone()),
        )
        .await;
        for m in &seen {
            assert!(
                !hidden.iter().any(|id| m["data"]["id"] == id.as_str()),
                "streamed a tweet it may not list: {m}"
            );
        }
    }
    // Bob blocks ada: her next tweet reaches the anonymous client, not bob.
    app.expect(
        reqwest::Method::POST,
        "/api/users/@ada/block",
        Some(&bob),
        None,
        StatusCode::OK,
    )
    .await;
    let after_block = id_of(&app.post_tweet(&ada, "after the block").await);
    until(
        &mut anonymous,
        "ada's tweet",
        is("tweet.created", after_block.clone()),
    )
    .await;
    let cy_marker = id_of(&app.post_tweet(&cy, "from cy").await);
    let seen = until(&mut ws, "cy's tweet", is("tweet.created", cy_marker)).await;
    assert!(
        seen.iter().all(|m| m["data"]["id"] != after_block.as_str()),
        "a blocked author's tweet reached the blocker: {seen:#?}"
    );
    // Unblocked, then muted: the same.
    app.expect(
        reqwest::Method::DELETE,
        "/api/users/@ada/block",
        Some(&bob),
        None,
        StatusCode::OK,
    )
    .await;
    app.expect(
        reqwest::Method::POST,
        "/api/users/@ada/mute",
        Some(&bob),
        None,
        StatusCode::OK,
    )
    .await;
    let muted = id_of(&app.post_tweet(&ada, "muted").await);
    let cy_again = id_of(&app.post_tweet(&cy, "cy again").await);
    let seen = until(&mut ws, "cy's second tweet", is("tweet.created", cy_again)).await;
    assert!(
        seen.iter().all(|m| m["data"]["id"] != muted.as_str()),
        "{seen:#?}"
    );
    app.expect(
        reqwest::Method::DELETE,
        "/api/users/@ada/mute",
        Some(&bob),
        None,
        StatusCode::OK,
    )
    .await;
    let back = id_of(&app.post_tweet(&ada, "unmuted").await);
    until(
        &mut ws,
        "ada's tweet once unmuted",
        is("tweet.created", back),
    )
    .await;
}
