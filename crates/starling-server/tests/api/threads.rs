//! `GET /api/tweets/:id/thread`: the chain above a tweet and the replies beneath it,
//! depth first, in the order people expect, paginated, as the viewer may see them.

use crate::support::{TestApp, id_of, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn reply(app: &TestApp, token: &str, to: &str, text: &str) -> String {
    id_of(
        &app.create(token, &json!({"content": text, "replyToId": to}))
            .await,
    )
}

fn ids(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .expect("an array")
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_come_depth_first_own_replies_first_then_by_engagement() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, cy) = app.register("cy").await;
    let (_, dee) = app.register("dee").await;
    let root = id_of(&app.post_tweet(&ada, "a thread 1/3").await);
    let from_bob = reply(&app, &bob, &root, "nice").await;
    let self_1 = reply(&app, &ada, &root, "2/3").await;
    let self_2 = reply(&app, &ada, &self_1, "3/3").await;
    let from_cy = reply(&app, &cy, &root, "popular").await;
    let from_dee = reply(&app, &dee, &root, "quiet").await;
    let under_bob = reply(&app, &cy, &from_bob, "under bob").await;
    for token in [bob.as_str(), dee.as_str()] {
        app.engage(token, &from_cy, "like").await;
    }
    let thread = app
        .get_ok(&format!("/api/tweets/{root}/thread"), None)
        .await;
    assert_eq!(thread["ancestors"], json!([]));
    assert_eq!(thread["tweet"]["id"], root.as_str());
    let items = &thread["descendants"]["items"];
    // ada's own replies first and in order; then cy (2 likes), bob (1 reply) with the
    // reply beneath it, then dee.
    assert_eq!(
        ids(items),
        [
            self_1.as_str(),
            self_2.as_str(),
            from_cy.as_str(),
            from_bob.as_str(),
            under_bob.as_str(),
            from_dee.as_str()
        ]
    );
    let depths: Vec<u64> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["depth"].as_u64().unwrap())
        .collect();
    assert_eq!(depths, [1, 2, 1, 1, 2, 1]);
    assert_eq!(items[0]["content"], "2/3", "a reply is a whole tweet");
    assert!(thread["descendants"]["nextCursor"].is_null());

    // Pages of two neither skip nor repeat.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/tweets/{root}/thread?limit=2&cursor={c}"),
            None => format!("/api/tweets/{root}/thread?limit=2"),
        };
        let page = app.get_ok(&path, None).await;
        seen.extend(
            ids(&page["descendants"]["items"])
                .into_iter()
                .map(String::from),
        );
        match page["descendants"]["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ids(items));

    // From the bottom: the chain above, root first.
    let deep = app
        .get_ok(&format!("/api/tweets/{self_2}/thread"), None)
        .await;
    assert_eq!(ids(&deep["ancestors"]), [root.as_str(), self_1.as_str()]);
    assert_eq!(deep["descendants"]["items"], json!([]));
    // A deleted ancestor keeps its place, as its id only.
    let resp = app
        .delete(&format!("/api/tweets/{self_1}"), Some(&ada))
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let deep = app
        .get_ok(&format!("/api/tweets/{self_2}/thread"), None)
        .await;
    assert_eq!(deep["ancestors"][0]["id"], root.as_str());
    assert_eq!(
        deep["ancestors"][1],
        json!({"id": self_1, "unavailable": true})
    );
    // ... and the replies beneath a deleted tweet leave the root's thread with it.
    let thread = app
        .get_ok(&format!("/api/tweets/{root}/thread"), None)
        .await;
    assert_eq!(
        ids(&thread["descendants"]["items"]),
        [
            from_cy.as_str(),
            from_bob.as_str(),
            under_bob.as_str(),
            from_dee.as_str()
        ]
    );
}

/// A reply drafted first and published later is as new as its publication: below the
/// replies posted meanwhile, as every list orders it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_published_later_comes_after_those_posted_meanwhile() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, cy) = app.register("cy").await;
    let root = id_of(&app.post_tweet(&ada, "what do you think?").await);
    let drafted = id_of(
        &app.create(
            &bob,
            &json!({"content": "thought about it", "replyToId": root, "draft": true}),
        )
        .await,
    );
    let from_cy = reply(&app, &cy, &root, "quick answer").await;
    app.transition(&bob, &drafted, "publish").await;
    let thread = app
        .get_ok(&format!("/api/tweets/{root}/thread"), None)
        .await;
    assert_eq!(
        ids(&thread["descendants"]["items"]),
        [from_cy.as_str(), drafted.as_str()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_shows_each_viewer_only_what_they_may_see() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, cy) = app.register("cy").await;
    let (_, eve) = app.register("eve").await;
    let root = id_of(&app.post_tweet(&ada, "public root").await);
    // bob answers for his followers only; cy, a follower, answers bob (no wider).
    app.expect(
        Method::POST,
        "/api/users/@bob/follow",
        Some(&cy),
        None,
        StatusCode::OK,
    )
    .await;
    let private = id_of(
        &app.create(
            &bob,
            &json!({"content": "followers only", "replyToId": root, "visibility": "followers"}),
        )
        .await,
    );
    let under = reply(&app, &cy, &private, "under a private reply").await;
    // eve follows cy, not bob: she sees cy's reply, and bob's as a gap.
    app.expect(
        Method::POST,
        "/api/users/@cy/follow",
        Some(&eve),
        None,
        StatusCode::OK,
    )
    .await;
    let thread = app
        .get_ok(&format!("/api/tweets/{under}/thread"), Some(&eve))
        .await;
    assert_eq!(thread["ancestors"][0]["id"], root.as_str());
    assert_eq!(
        thread["ancestors"][1],
        json!({"id": private, "unavailable": true})
    );
    // Nor does the root's thread show her the private reply, or what lies beneath it.
    let from_root = app
        .get_ok(&format!("/api/tweets/{root}/thread"), Some(&eve))
        .await;
    assert_eq!(from_root["descendants"]["items"], json!([]));
    // A follower of bob sees the whole chain.
    let from_root = app
        .get_ok(&format!("/api/tweets/{root}/thread"), Some(&cy))
        .await;
    assert_eq!(
        ids(&from_root["descendants"]["items"]),
        [private.as_str(), under.as_str()]
    );
    // A block hides the blocked side's replies, and its threads answer like missing ones.
    app.expect(
        Method::POST,
        "/api/users/@cy/block",
        Some(&bob),
        None,
        StatusCode::OK,
    )
    .await;
    let from_root = app
        .get_ok(&format!("/api/tweets/{root}/thread"), Some(&bob))
        .await;
    assert_eq!(ids(&from_root["descendants"]["items"]), [private.as_str()]);
    let hidden = app
        .get(&format!("/api/tweets/{private}/thread"), Some(&cy))
        .await;
    let hidden = (hidden.status(), hidden.text().await.unwrap());
    let missing = app.get("/api/tweets/1234567890123/thread", Some(&cy)).await;
    assert_eq!(hidden, (missing.status(), missing.text().await.unwrap()));
    assert_eq!(hidden.0, StatusCode::NOT_FOUND);
}
