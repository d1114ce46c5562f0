//! Who sees what: the authorization matrix. One oracle (written here, independently of
//! the server's policy) says for each viewer, visibility and state whether a tweet
//! exists for the viewer; every read endpoint is checked against it, and every hidden
//! answer is compared byte for byte with the answer for a tweet that never existed.

use crate::support::{TestApp, expect_status, id_of, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Author,
    Follower,
    Stranger,
    /// Asked to follow the (protected) author; not yet accepted.
    Pending,
    /// Named in every tweet.
    Mentioned,
    /// The author blocks them.
    Blocked,
    /// They block the author.
    Blocker,
    /// They mute the author.
    Muter,
}

const VIEWERS: [Who; 9] = [
    Who::Anonymous,
    Who::Author,
    Who::Follower,
    Who::Stranger,
    Who::Pending,
    Who::Mentioned,
    Who::Blocked,
    Who::Blocker,
    Who::Muter,
];

const VISIBILITIES: [&str; 3] = ["public", "unlisted", "followers"];
const STATES: [&str; 5] = ["published", "edited", "draft", "archived", "deleted"];

/// The oracle: does the tweet exist for the viewer?
fn readable(who: Who, visibility: &str, state: &str) -> bool {
    let lifecycle = match state {
        "published" | "edited" => true,
        "draft" | "archived" => who == Who::Author,
        _ => false,
    };
    let audience = match who {
        Who::Author => true,
        Who::Blocked | Who::Blocker => false,
        Who::Follower | Who::Mentioned => true,
        Who::Anonymous | Who::Stranger | Who::Pending | Who::Muter => visibility != "followers",
    };
    lifecycle && audience
}

/// In the author's tweet list: readable, public state, and not muted.
fn in_profile(who: Who, visibility: &str, state: &str) -> bool {
    readable(who, visibility, state) && matches!(state, "published" | "edited") && who != Who::Muter
}

/// In public lists (latest, hashtags): only `public` tweets.
fn in_public_lists(who: Who, visibility: &str, state: &str) -> bool {
    in_profile(who, visibility, state) && visibility == "public"
}

struct Tweet {
    id: String,
    visibility: &'static str,
    state: &'static str,
    /// A neutral user's retweet and quote of it, made while it was published (only
    /// public and unlisted tweets can be).
    retweet: Option<String>,
    quote: Option<String>,
}

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (StatusCode, String) {
    let resp = match body {
        Some(body) => app.send_json(method, path, token, body).await,
        None => app.send(method, path, token).await,
    };
    let status = resp.status();
    (status, resp.text().await.unwrap())
}

fn ids(page: &Value) -> BTreeSet<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_path_answers_as_the_oracle_says() {
    let app = spawn(|_| {}).await;
    let (author, author_token) = app.register("author").await;
    let mut tokens: Vec<(Who, Option<String>)> = vec![
        (Who::Anonymous, None),
        (Who::Author, Some(author_token.clone())),
    ];
    for (who, name) in [
        (Who::Follower, "follower"),
        (Who::Stranger, "stranger"),
        (Who::Pending, "pending"),
        (Who::Mentioned, "mentioned"),
        (Who::Blocked, "blocked"),
        (Who::Blocker, "blocker"),
        (Who::Muter, "muter"),
    ] {
        let (_, token) = app.register(name).await;
        tokens.push((who, Some(token)));
    }
    assert_eq!(
        tokens.iter().map(|(w, _)| *w).collect::<Vec<_>>(),
        VIEWERS,
        "every viewer, once"
    );
    let token_of = |who: Who| tokens.iter().find(|(w, _)| *w == who).unwrap().1.clone();
    let ok = |status| move |resp| expect_status(resp, status);
    let post = |path: String, token: Option<String>| {
        let app = &app;
        async move { app.send(Method::POST, &path, token.as_deref()).await }
    };
    // The graph: a protected author with an approved follower and a waiting one.
    ok(StatusCode::OK)(
        app.send_json(
            Method::PATCH,
            "/api/me",
            Some(&author_token),
            &json!({"protected": true}),
        )
        .await,
    )
    .await;
    ok(StatusCode::OK)(post("/api/users/@author/follow".into(), token_of(Who::Follower)).await)
        .await;
    ok(StatusCode::OK)(post("/api/users/@author/follow".into(), token_of(Who::Pending)).await)
        .await;
    let follower_id = app.get_ok("/api/users/@follower", None).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok(StatusCode::OK)(
        post(
            format!("/api/me/follow-requests/{follower_id}/accept"),
            Some(author_token.clone()),
        )
        .await,
    )
    .await;
    ok(StatusCode::OK)(
        post(
            "/api/users/@blocked/block".into(),
            Some(author_token.clone()),
        )
        .await,
    )
    .await;
    ok(StatusCode::OK)(post("/api/users/@author/block".into(), token_of(Who::Blocker)).await).await;
    ok(StatusCode::OK)(post("/api/users/@author/mute".into(), token_of(Who::Muter)).await).await;
    let (_, relay) = app.register("relay").await;
    let rel = app
        .get_ok("/api/users/@author", token_of(Who::Pending).as_deref())
        .await;
    assert_eq!(rel["relationship"]["requested"], true);

    // Every visibility in every state, each naming @mentioned and tagged #matrix.
    let mut tweets = Vec::new();
    for visibility in VISIBILITIES {
        for state in STATES {
            let body = json!({
                "content": format!("{visibility} {state} @mentioned #matrix"),
                "visibility": visibility,
                "draft": state == "draft",
            });
            let created = app.create(&author_token, &body).await;
            assert_eq!(created["visibility"], visibility);
            let id = id_of(&created);
            let (mut retweet, mut quote) = (None, None);
            if state != "draft" && visibility != "followers" {
                let resp = app
                    .post_empty(&format!("/api/tweets/{id}/retweet"), Some(&relay))
                    .await;
                retweet = Some(id_of(&expect_status(resp, StatusCode::CREATED).await));
                let quoted = app
                    .create(&relay, &json!({"content": "look", "quoteOfId": id}))
                    .await;
                quote = Some(id_of(&quoted));
            }
            match state {
                "edited" => {
                    app.edit(
                        &author_token,
                        &id,
                        &format!("{visibility} edited @mentioned #matrix"),
                    )
                    .await;
                }
                "archived" => {
                    app.transition(&author_token, &id, "archive").await;
                }
                "deleted" => {
                    let resp = app
                        .delete(&format!("/api/tweets/{id}"), Some(&author_token))
                        .await;
                    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
                }
                _ => {}
            }
            tweets.push(Tweet {
                id,
                visibility,
                state,
                retweet,
                quote,
            });
        }
    }
    let missing = "1234567890123";

    for (who, token) in &tokens {
        let token = token.as_deref();
        for t in &tweets {
            let expected = readable(*who, t.visibility, t.state);
            let context = format!("{who:?} reading a {} {} tweet", t.visibility, t.state);
            // Each single-tweet read path, and its answer for a tweet that never existed.
            let mut paths = vec![
                (Method::GET, "".to_string(), None),
                (Method::GET, "/versions".to_string(), None),
                (Method::GET, "/thread".to_string(), None),
                (Method::GET, "/quotes".to_string(), None),
                // The audit trail is the author's: others who may see the tweet get 403.
                (Method::GET, "/events".to_string(), None),
            ];
            if token.is_some() {
                paths.push((
                    Method::POST,
                    "/engagement".into(),
                    Some(json!({"action": "view"})),
                ));
                paths.push((
                    Method::POST,
                    "/engagement".into(),
                    Some(json!({"action": "unlike"})),
                ));
            }
            for (method, suffix, body) in paths {
                let path = format!("/api/tweets/{}{suffix}", t.id);
                let (status, text) = raw(&app, method.clone(), &path, token, body.as_ref()).await;
                if expected {
                    assert_ne!(status, StatusCode::NOT_FOUND, "{context}: {method} {path}");
                } else {
                    let (missing_status, missing_text) = raw(
                        &app,
                        method.clone(),
                        &format!("/api/tweets/{missing}{suffix}"),
                        token,
                        body.as_ref(),
                    )
                    .await;
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "{context}: {method} {path}: {text}"
                    );
                    assert_eq!(
                        (status, &text),
                        (missing_status, &missing_text),
                        "{context}: hidden must answer like missing"
                    );
                }
            }
            // A retweet exists for the viewer exactly while its original does; a quote
            // always does, embedding the original or its id alone.
            if let Some(retweet) = &t.retweet {
                let path = format!("/api/tweets/{retweet}");
                let (status, text) = raw(&app, Method::GET, &path, token, None).await;
                // Archived: out of view for everyone, its author included.
                if expected && matches!(t.state, "published" | "edited") {
                    assert_eq!(status, StatusCode::OK, "{context}: its retweet");
                    let entry: Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(entry["retweetOf"]["id"], t.id.as_str(), "{context}");
                } else {
                    let missing_path = format!("/api/tweets/{missing}");
                    let missing_answer = raw(&app, Method::GET, &missing_path, token, None).await;
                    assert_eq!((status, text), missing_answer, "{context}: its retweet");
                }
            }
            if let Some(quote) = &t.quote {
                let quoted = app.get_ok(&format!("/api/tweets/{quote}"), token).await;
                if expected {
                    assert_eq!(quoted["quoteOf"]["id"], t.id.as_str(), "{context}");
                    assert!(
                        quoted["quoteOf"]["content"].is_string(),
                        "{context}: {quoted}"
                    );
                } else {
                    let gap = json!({"id": t.id, "unavailable": true});
                    assert_eq!(quoted["quoteOf"], gap, "{context}: its quote");
                }
            }
            // Replying: a hidden parent answers like a missing one.
            if let Some(token) = token {
                let reply = |parent: &str| json!({"content": "a reply", "replyToId": parent, "visibility": "followers"});
                let (status, text) = raw(
                    &app,
                    Method::POST,
                    "/api/tweets",
                    Some(token),
                    Some(&reply(&t.id)),
                )
                .await;
                let engageable = expected && matches!(t.state, "published" | "edited");
                if engageable {
                    assert_eq!(status, StatusCode::CREATED, "{context}: reply: {text}");
                } else {
                    let missing_answer = raw(
                        &app,
                        Method::POST,
                        "/api/tweets",
                        Some(token),
                        Some(&reply(missing)),
                    )
                    .await;
                    if !expected {
                        assert_eq!((status, text), missing_answer, "{context}: reply to hidden");
                    }
                }
            }
        }
        // The lists.
        let profile = app
            .get_ok("/api/users/@author/tweets?limit=100", token)
            .await;
        let latest = app
            .get_ok("/api/tweets?author=author&limit=100", token)
            .await;
        let tagged = app
            .get_ok("/api/tweets?hashtag=matrix&limit=100", token)
            .await;
        let expect = |rule: fn(Who, &str, &str) -> bool| -> BTreeSet<String> {
            tweets
                .iter()
                .filter(|t| rule(*who, t.visibility, t.state))
                .map(|t| t.id.clone())
                .collect()
        };
        assert_eq!(
            ids(&profile),
            expect(in_profile),
            "{who:?}: the author's tweets"
        );
        // The relay's profile: its retweets of what the viewer may list (a mute of the
        // original's author hides them too), and its quotes, always.
        let relayed = ids(&app
            .get_ok("/api/users/@relay/tweets?limit=100", token)
            .await);
        for t in &tweets {
            if let Some(retweet) = &t.retweet {
                let listed = in_profile(*who, t.visibility, t.state);
                let context = format!(
                    "{who:?}: the retweet of a {} {} tweet",
                    t.visibility, t.state
                );
                assert_eq!(relayed.contains(retweet), listed, "{context}");
            }
            if let Some(quote) = &t.quote {
                assert!(
                    relayed.contains(quote),
                    "{who:?}: the relay's quotes are listed"
                );
            }
        }
        assert_eq!(
            ids(&latest),
            expect(in_public_lists),
            "{who:?}: latest by author"
        );
        assert_eq!(
            ids(&tagged),
            expect(in_public_lists),
            "{who:?}: the hashtag"
        );
        // Replies appear in the profile only when asked for, and only the viewer's own
        // readable ones (every reply above is followers-only, so by whoever wrote it).
        let with_replies = app
            .get_ok("/api/users/@author/tweets?limit=100&replies=true", token)
            .await;
        assert!(ids(&with_replies).is_superset(&ids(&profile)));
    }
    // The author's own list holds every matrix tweet but the deleted ones (and the
    // author's replies posted above).
    let own = app
        .get_ok("/api/me/tweets?limit=100", Some(&author_token))
        .await;
    let own: BTreeSet<String> = own["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["replyToId"].is_null())
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    let not_deleted: BTreeSet<String> = tweets
        .iter()
        .filter(|t| t.state != "deleted")
        .map(|t| t.id.clone())
        .collect();
    assert_eq!(own, not_deleted);
    assert_eq!(author["username"], "author");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_inherit_visibility_and_never_widen_it() {
    let app = spawn(|_| {}).await;
    let (ada, ada_token) = app.register("ada").await;
    let (_, bob_token) = app.register("bob").await;
    let root = app
        .create(
            &ada_token,
            &json!({"content": "unlisted root", "visibility": "unlisted"}),
        )
        .await;
    let root_id = id_of(&root);
    let reply = app
        .create(
            &bob_token,
            &json!({"content": "a reply", "replyToId": root_id}),
        )
        .await;
    assert_eq!(
        reply["visibility"], "unlisted",
        "a reply defaults to its parent's visibility"
    );
    assert_eq!(reply["kind"], "reply");
    assert_eq!(reply["conversationId"], root["id"]);
    assert_eq!(reply["replyToUserId"], ada["id"]);
    let resp = app
        .post(
            "/api/tweets",
            Some(&bob_token),
            &json!({"content": "wider", "replyToId": root_id, "visibility": "public"}),
        )
        .await;
    let body = expect_status(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["field"], "visibility", "{body}");
    let deeper = app
        .create(
            &ada_token,
            &json!({"content": "deeper", "replyToId": id_of(&reply), "visibility": "followers"}),
        )
        .await;
    assert_eq!(deeper["conversationId"], root["id"]);
    // A protected account posts to its followers unless it asks otherwise.
    app.expect(
        Method::PATCH,
        "/api/me",
        Some(&ada_token),
        Some(&json!({"protected": true})),
        StatusCode::OK,
    )
    .await;
    let private = app.post_tweet(&ada_token, "for my followers").await;
    assert_eq!(private["visibility"], "followers");
    // Only public and unlisted tweets can be retweeted.
    let resp = app
        .post(
            &format!("/api/tweets/{}/engagement", id_of(&deeper)),
            Some(&ada_token),
            &json!({"action": "retweet"}),
        )
        .await;
    expect_status(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
    app.engage(&bob_token, &root_id, "retweet").await;
    let resp = app
        .post(
            "/api/tweets",
            Some(&ada_token),
            &json!({"content": "x", "visibility": "secret"}),
        )
        .await;
    expect_status(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
}
