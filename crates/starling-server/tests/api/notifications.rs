//! Notifications (docs/API.md, "Notifications"): one test per kind and per rule, grouping,
//! the unread count and read mark, and the live `notifications` stream.

use crate::support::{Client, eventually, expect_status, id_of, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// `token`'s notifications, one by one, as (type, actor username, tweet id or "").
async fn single(c: &Client, token: &str) -> Vec<(String, String, String)> {
    let page = c
        .get_ok("/api/notifications?grouped=false&limit=100", Some(token))
        .await;
    assert_eq!(page["grouped"], false);
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["type"].as_str().unwrap().to_owned(),
                n["actor"]["username"].as_str().unwrap().to_owned(),
                n["tweet"]["id"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Wait until `token`'s notifications are `expected` (they are made asynchronously).
async fn until(c: &Client, token: &str, expected: &[(&str, &str, &str)], what: &str) {
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(k, a, t)| (k.to_string(), a.to_string(), t.to_string()))
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let got = single(c, token).await;
        if got == expected {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            assert_eq!(got, expected, "{what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn act(c: &Client, token: &str, path: &str, method: Method) {
    let reply = c.must(method, path, Some(token), None).await;
    assert!(reply.is_success(), "{path}: {:?}", reply.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_notifies_its_recipient_once() {
    let app = spawn(|_| {}).await;
    let c = app.client();
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let tweet = id_of(&app.post_tweet(&ada, "notice me").await);
    // follow
    act(&c, &bob, "/api/users/@ada/follow", Method::POST).await;
    until(&c, &ada, &[("follow", "bob", "")], "follow").await;
    // like, then unlike: withdrawn
    app.engage(&bob, &tweet, "like").await;
    until(
        &c,
        &ada,
        &[("like", "bob", &tweet), ("follow", "bob", "")],
        "like",
    )
    .await;
    app.engage(&bob, &tweet, "unlike").await;
    until(&c, &ada, &[("follow", "bob", "")], "unlike withdraws").await;
    // retweet, then unretweet: withdrawn
    let path = format!("/api/tweets/{tweet}/retweet");
    act(&c, &bob, &path, Method::POST).await;
    until(
        &c,
        &ada,
        &[("retweet", "bob", &tweet), ("follow", "bob", "")],
        "retweet",
    )
    .await;
    act(&c, &bob, &path, Method::DELETE).await;
    until(&c, &ada, &[("follow", "bob", "")], "unretweet withdraws").await;
    // reply, quote, mention: about the new tweet
    let reply = app
        .create(&bob, &json!({"content": "answering", "replyToId": tweet}))
        .await;
    let reply = id_of(&reply);
    let quote = id_of(
        &app.create(&bob, &json!({"content": "look", "quoteOfId": tweet}))
            .await,
    );
    let mention = id_of(&app.post_tweet(&bob, "hello @ada").await);
    until(
        &c,
        &ada,
        &[
            ("mention", "bob", &mention),
            ("quote", "bob", &quote),
            ("reply", "bob", &reply),
            ("follow", "bob", ""),
        ],
        "reply, quote, mention",
    )
    .await;
    // A reply that mentions its parent's author notifies once, as a reply.
    let both = id_of(
        &app.create(&bob, &json!({"content": "@ada again", "replyToId": tweet}))
            .await,
    );
    let got = eventually(Duration::from_secs(10), "the reply", || {
        let c = c.clone();
        let ada = ada.clone();
        async move {
            let got = single(&c, &ada).await;
            (got.len() == 5).then_some(got)
        }
    })
    .await;
    assert_eq!(got[0], ("reply".into(), "bob".into(), both));
    // follow request, to a protected account
    let (_, cy) = app.register("cy").await;
    let patch = c
        .send_json(
            Method::PATCH,
            "/api/me",
            Some(&cy),
            &json!({"protected": true}),
        )
        .await;
    expect_status(patch, StatusCode::OK).await;
    act(&c, &bob, "/api/users/@cy/follow", Method::POST).await;
    until(&c, &cy, &[("follow_request", "bob", "")], "request").await;
    // Answered, the request is no longer there to act on; the follow it made is.
    let bob_id = c.get_ok("/api/users/@bob", None).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/me/follow-requests/{bob_id}/accept");
    act(&c, &cy, &path, Method::POST).await;
    until(&c, &cy, &[("follow", "bob", "")], "an accepted request").await;
    // Withdrawn, likewise.
    let (_, dee) = app.register("dee").await;
    act(&c, &dee, "/api/users/@cy/follow", Method::POST).await;
    until(
        &c,
        &cy,
        &[("follow_request", "dee", ""), ("follow", "bob", "")],
        "a second request",
    )
    .await;
    act(&c, &dee, "/api/users/@cy/follow", Method::DELETE).await;
    until(&c, &cy, &[("follow", "bob", "")], "a withdrawn request").await;
    // Filtered by type.
    let likes = c
        .get_ok(
            "/api/notifications?types=follow,mention&grouped=false",
            Some(&ada),
        )
        .await;
    let kinds: Vec<&str> = likes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["mention", "follow"]);
    let bad = c.get("/api/notifications?types=poke", Some(&ada)).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = c.get("/api/notifications?cursor=zzz", Some(&ada)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        c.get("/api/notifications", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn none_to_oneself_from_the_hidden_or_about_the_unseen() {
    let app = spawn(|_| {}).await;
    let c = app.client();
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, cy) = app.register("cy").await;
    let tweet = id_of(&app.post_tweet(&ada, "mine").await);
    // Oneself: liking and answering one's own tweet.
    app.engage(&ada, &tweet, "like").await;
    app.create(
        &ada,
        &json!({"content": "me again @ada", "replyToId": tweet}),
    )
    .await;
    // Muted: cy's like notifies nothing; a followers-only reply ada may not read either.
    act(&c, &ada, "/api/users/@cy/mute", Method::POST).await;
    app.engage(&cy, &tweet, "like").await;
    app.create(
        &bob,
        &json!({"content": "for my followers", "replyToId": tweet, "visibility": "followers"}),
    )
    .await;
    // Then one that does notify, so the ones before had their chance.
    app.engage(&bob, &tweet, "like").await;
    until(&c, &ada, &[("like", "bob", &tweet)], "only bob's like").await;
    // Blocking bob later hides his notification too.
    act(&c, &ada, "/api/users/@bob/block", Method::POST).await;
    until(&c, &ada, &[], "blocked").await;
    assert_eq!(
        c.get_ok("/api/notifications/unread-count", Some(&ada))
            .await["count"],
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grouped_by_kind_and_tweet_with_a_read_mark() {
    let app = spawn(|_| {}).await;
    let c = app.client();
    let (_, ada) = app.register("ada").await;
    let first = id_of(&app.post_tweet(&ada, "first").await);
    let second = id_of(&app.post_tweet(&ada, "second").await);
    let mut fans = Vec::new();
    for i in 0..5 {
        fans.push(app.register(&format!("fan{i}")).await.1);
    }
    for fan in &fans {
        app.engage(fan, &first, "like").await;
    }
    app.engage(&fans[0], &second, "like").await;
    for fan in &fans[..2] {
        act(&c, fan, "/api/users/@ada/follow", Method::POST).await;
    }
    eventually(Duration::from_secs(10), "eight notifications", || {
        let (c, ada) = (c.clone(), ada.clone());
        async move { (single(&c, &ada).await.len() == 8).then_some(()) }
    })
    .await;
    let grouped = c.get_ok("/api/notifications", Some(&ada)).await;
    assert_eq!(grouped["grouped"], true);
    let items = grouped["items"].as_array().unwrap();
    let shape: Vec<(String, i64, Vec<String>)> = items
        .iter()
        .map(|g| {
            (
                g["type"].as_str().unwrap().to_owned(),
                g["count"].as_i64().unwrap(),
                g["actors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["username"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        shape,
        vec![
            ("follow".into(), 2, names(&["fan1", "fan0"])),
            ("like".into(), 1, names(&["fan0"])),
            ("like".into(), 5, names(&["fan4", "fan3", "fan2"])),
        ]
    );
    assert_eq!(items[2]["tweet"]["id"], first.as_str());
    assert!(items.iter().all(|g| g["unread"] == true));
    // Pages of groups continue where they stopped.
    let page = c.get_ok("/api/notifications?limit=2", Some(&ada)).await;
    let next = page["nextCursor"].as_str().unwrap().to_owned();
    let rest = c
        .get_ok(
            &format!("/api/notifications?limit=2&cursor={next}"),
            Some(&ada),
        )
        .await;
    assert_eq!(rest["items"][0]["count"], 5);
    assert_eq!(rest["nextCursor"], Value::Null);
    // Unread until read; the mark moves forward only.
    let unread = || async {
        c.get_ok("/api/notifications/unread-count", Some(&ada))
            .await["count"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(unread().await, 8);
    let like_group = items[1]["id"].as_str().unwrap().to_owned();
    let marked = c
        .post(
            "/api/notifications/read",
            Some(&ada),
            &json!({"upTo": like_group}),
        )
        .await;
    let marked = expect_status(marked, StatusCode::OK).await;
    assert_eq!(marked["unreadCount"], 2);
    assert_eq!(unread().await, 2);
    let back = c
        .post("/api/notifications/read", Some(&ada), &json!({"upTo": "1"}))
        .await;
    assert_eq!(expect_status(back, StatusCode::OK).await["unreadCount"], 2);
    // No body at all (as `{}`): everything is read.
    let all = c.post_empty("/api/notifications/read", Some(&ada)).await;
    assert_eq!(expect_status(all, StatusCode::OK).await["unreadCount"], 0);
    let bad = c
        .post("/api/notifications/read", Some(&ada), &json!({"upTo": "x"}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notifications_stream_sends_each_with_the_unread_count() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let app = spawn(|_| {}).await;
    let c = app.client();
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let tweet = id_of(&app.post_tweet(&ada, "hello").await);
    let (mut ws, _) =
        tokio_tungstenite::connect_async(c.ws_url(&format!("/api/stream?token={ada}")))
            .await
            .expect("connect");
    let subscribe = json!({"type": "subscribe", "stream": "notifications"}).to_string();
    ws.send(Message::text(subscribe)).await.unwrap();
    let mut next = async || loop {
        let m = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message in time")
            .expect("open")
            .expect("a frame");
        if let Message::Text(t) = m {
            return serde_json::from_str::<Value>(&t).unwrap();
        }
    };
    assert_eq!(next().await["type"], "subscribed");
    app.engage(&bob, &tweet, "like").await;
    let event = next().await;
    assert_eq!(event["type"], "notification", "{event}");
    assert_eq!(event["data"]["notification"]["type"], "like");
    assert_eq!(event["data"]["notification"]["actor"]["username"], "bob");
    assert_eq!(event["data"]["unreadCount"], 1);
    act(&c, &bob, "/api/users/@ada/follow", Method::POST).await;
    let event = next().await;
    assert_eq!(event["data"]["notification"]["type"], "follow");
    assert_eq!(event["data"]["unreadCount"], 2);
    let follow_id = event["data"]["notification"]["id"].clone();
    // An undone like withdraws its notification: the count says so at once.
    app.engage(&bob, &tweet, "unlike").await;
    let event = next().await;
    assert_eq!(event["type"], "notifications.count", "{event}");
    assert_eq!(event["data"], json!({"readUpTo": "0", "unreadCount": 1}));
    // Read on another device: this one hears the mark and the count.
    let read = c.post_empty("/api/notifications/read", Some(&ada)).await;
    assert_eq!(expect_status(read, StatusCode::OK).await["unreadCount"], 0);
    let event = next().await;
    assert_eq!(event["type"], "notifications.count", "{event}");
    assert_eq!(
        event["data"],
        json!({"readUpTo": follow_id, "unreadCount": 0})
    );
}
