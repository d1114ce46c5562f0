//! The HTTP API's behaviour, through real HTTP against the real server (docs/API.md).

use crate::support::{PASSWORD, TestApp, expect_error, expect_status, id_of, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `2026-11-22T10:00:00.123Z`: RFC 3339, UTC, milliseconds.
fn assert_timestamp(value: &Value) {
    let s = value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"));
    let b = s.as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
    let ok = b.len() == 24
        && digits.iter().all(|&i| b[i].is_ascii_digit())
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z';
    assert!(ok, "not an RFC 3339 UTC timestamp with milliseconds: {s}");
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set(items: &[&'static str]) -> BTreeSet<&'static str> {
    items.iter().copied().collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id_of)
        .collect()
}

async fn list(app: &TestApp, query: &str, token: Option<&str>) -> Vec<String> {
    ids(&app.get_ok(&format!("/api/tweets?{query}"), token).await)
}

async fn own(app: &TestApp, token: &str) -> Vec<String> {
    ids(&app.get_ok("/api/me/tweets", Some(token)).await)
}

// ---- accounts ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_login_logout_and_me() {
    let app = spawn(|_| {}).await;

    let resp = app
        .post(
            "/api/auth/register",
            None,
            &json!({"username": "ada", "password": PASSWORD, "displayName": "Ada L."}),
        )
        .await;
    let raw = resp.text().await.unwrap();
    assert!(!raw.contains(PASSWORD), "the password is echoed: {raw}");
    assert!(
        !raw.contains("argon2"),
        "a password hash is returned: {raw}"
    );
    let body: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(keys(&body), set(&["user", "token"]));
    let user = &body["user"];
    assert_eq!(
        keys(user),
        set(&["id", "username", "displayName", "createdAt"])
    );
    assert!(user["id"].as_str().unwrap().parse::<u64>().is_ok());
    assert_eq!(user["username"], "ada");
    assert_eq!(user["displayName"], "Ada L.");
    assert_timestamp(&user["createdAt"]);
    let token = body["token"].as_str().unwrap().to_string();
    assert!(token.len() >= 16, "a guessable token: {token}");

    let me = app.get_ok("/api/me", Some(&token)).await;
    assert_eq!(&me, user);

    // Without a display name it defaults to the username.
    let (bob, _) = app.register("bob").await;
    assert_eq!(bob["displayName"], "bob");
    assert_ne!(bob["id"], user["id"]);

    // Unique case-insensitively.
    for taken in ["ada", "ADA", "Ada"] {
        let resp = app
            .post(
                "/api/auth/register",
                None,
                &json!({"username": taken, "password": PASSWORD}),
            )
            .await;
        expect_error(resp, StatusCode::CONFLICT, "username_taken").await;
    }

    let resp = app
        .post(
            "/api/auth/login",
            None,
            &json!({"username": "ada", "password": "not the password"}),
        )
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let resp = app
        .post(
            "/api/auth/login",
            None,
            &json!({"username": "nobody", "password": PASSWORD}),
        )
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    let resp = app
        .post(
            "/api/auth/login",
            None,
            &json!({"username": "ada", "password": PASSWORD}),
        )
        .await;
    let login = expect_status(resp, StatusCode::OK).await;
    assert_eq!(&login["user"], user);
    assert!(!login.to_string().contains("argon2"));
    let second = login["token"].as_str().unwrap().to_string();
    assert_ne!(second, token);
    assert_eq!(app.get_ok("/api/me", Some(&second)).await["id"], user["id"]);

    // Logout revokes that token at once, and only that one.
    let resp = app.post_empty("/api/auth/logout", Some(&token)).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let resp = app.get("/api/me", Some(&token)).await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let resp = app
        .post("/api/tweets", Some(&token), &json!({"content": "hi"}))
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let resp = app.post_empty("/api/auth/logout", Some(&token)).await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.get_ok("/api/me", Some(&second)).await["id"], user["id"]);

    let resp = app.get("/api/me", None).await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

// ---- creating and reading ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_returns_the_full_tweet() {
    let app = spawn(|_| {}).await;
    let (ada, token) = app.register("ada").await;

    let content = "Hello #starling @bob https://example.com";
    let tweet = app.post_tweet(&token, content).await;
    assert_eq!(
        keys(&tweet),
        set(&[
            "id",
            "author",
            "content",
            "contentHash",
            "version",
            "state",
            "createdAt",
            "updatedAt",
            "replyToId",
            "replyToUserId",
            "kind",
            "visibility",
            "conversationId",
            "entities",
            "media",
            "engagement",
        ])
    );
    assert_eq!(tweet["media"], serde_json::json!([]));
    let id = tweet["id"].as_str().expect("the id is a string");
    assert!(
        id.parse::<u64>().is_ok(),
        "the id is a decimal number: {id}"
    );
    assert_eq!(
        tweet["author"],
        json!({"id": ada["id"], "username": "ada", "displayName": "ada"})
    );
    assert_eq!(tweet["content"], content);
    let hash = tweet["contentHash"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(hash, sha256_hex(content));
    assert_eq!(tweet["version"], 1);
    assert_eq!(tweet["state"], "published");
    assert_timestamp(&tweet["createdAt"]);
    assert_eq!(tweet["createdAt"], tweet["updatedAt"]);
    assert_eq!(tweet["replyToId"], Value::Null);
    assert_eq!(tweet["replyToUserId"], Value::Null);
    assert_eq!(tweet["kind"], "tweet");
    assert_eq!(tweet["visibility"], "public");
    assert_eq!(tweet["conversationId"], tweet["id"]);
    assert_eq!(
        tweet["entities"],
        json!({
            "hashtags": [{"tag": "starling", "indices": [6, 15]}],
            // Nobody is called bob here.
            "mentions": [{"username": "bob", "indices": [16, 20], "userId": null}],
            "urls": [{"url": "https://example.com", "indices": [21, 40]}],
            "cashtags": [],
        })
    );
    assert_eq!(
        tweet["engagement"],
        json!({
            "likes": 0, "retweets": 0, "replies": 0, "quotes": 0, "views": 0,
            "likedByCurrentUser": false, "retweetedByCurrentUser": false,
            "velocity": {"oneMinute": 0.0, "fiveMinutes": 0.0, "sixtyMinutes": 0.0},
        })
    );

    // GET by id answers the same tweet, to the author and to anyone.
    let got = app.get_ok(&format!("/api/tweets/{id}"), Some(&token)).await;
    assert_eq!(got, tweet);
    let anonymous = app.get_ok(&format!("/api/tweets/{id}"), None).await;
    assert_eq!(anonymous, tweet);

    // Ids are k-sorted: a later tweet has a larger id.
    let later = app.post_tweet(&token, "later").await;
    assert!(id_of(&later).parse::<u64>().unwrap() > id.parse::<u64>().unwrap());

    let resp = app.get("/api/tweets/1", None).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_is_nfc_normalized_and_indices_count_code_points() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;

    // "e" + COMBINING ACUTE ACCENT is stored as the one code point "é".
    let tweet = app.post_tweet(&token, "Cafe\u{301} au lait").await;
    assert_eq!(tweet["content"], "Caf\u{e9} au lait");
    assert_eq!(tweet["contentHash"], sha256_hex("Caf\u{e9} au lait"));
    let composed = app.post_tweet(&token, "Caf\u{e9} au lait").await;
    assert_eq!(composed["contentHash"], tweet["contentHash"]);

    // Each bird is one code point but two UTF-16 units and four bytes.
    let (bob, _) = app.register("bob").await;
    let tweet = app.post_tweet(&token, "🐦🐦 #rust @Bob").await;
    assert_eq!(
        tweet["entities"]["hashtags"],
        json!([{"tag": "rust", "indices": [3, 8]}])
    );
    assert_eq!(
        tweet["entities"]["mentions"],
        json!([{"username": "Bob", "indices": [9, 13], "userId": bob["id"]}]),
        "a mention names the account, whatever the case it is written in"
    );
}

// ---- lists ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_is_newest_first_and_pages_neither_skip_nor_repeat() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;

    let mut posted = Vec::new();
    for i in 0..7 {
        posted.push(id_of(&app.post_tweet(&token, &format!("tweet {i}")).await));
    }
    let newest_first: Vec<String> = posted.iter().rev().cloned().collect();

    let all = app.get_ok("/api/tweets", None).await;
    assert_eq!(keys(&all), set(&["items", "nextCursor"]));
    assert_eq!(ids(&all), newest_first);
    assert_eq!(all["nextCursor"], Value::Null);

    // Page through while new tweets keep arriving.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for page_no in 0.. {
        assert!(page_no < 10, "pagination does not end");
        let query = match &cursor {
            Some(c) => format!("limit=3&cursor={c}"),
            None => "limit=3".to_string(),
        };
        let page = app.get_ok(&format!("/api/tweets?{query}"), None).await;
        let items = ids(&page);
        assert!(items.len() <= 3);
        seen.extend(items);
        app.post_tweet(&token, &format!("arrived during page {page_no}"))
            .await;
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, newest_first, "pages skipped or repeated a tweet");

    // The default page is 20.
    let total = 7 + 3;
    for i in total..22 {
        app.post_tweet(&token, &format!("filler {i}")).await;
    }
    let page = app.get_ok("/api/tweets", None).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 20);
    let rest = app
        .get_ok(
            &format!(
                "/api/tweets?cursor={}",
                page["nextCursor"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 2);
}

/// A draft published later lists where a tweet posted then would (first), in the public
/// list, its author's and its hashtag's, page after page; its `createdAt` is when it was
/// published, while its link and its version history keep the draft's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_published_later_is_listed_as_new() {
    let clock = starling_engine::clock::Clock::manual();
    let app = spawn(|c| c.engine.clock = clock.clone()).await;
    let (ada_user, ada) = app.register("ada").await;
    let draft = app.post_draft(&ada, "written first #later").await;
    let id = id_of(&draft);
    clock.advance(std::time::Duration::from_secs(60));
    let mut posted = Vec::new();
    for i in 0..3 {
        posted.push(id_of(
            &app.post_tweet(&ada, &format!("posted {i} #later")).await,
        ));
    }
    clock.advance(std::time::Duration::from_secs(60));
    let published = app.transition(&ada, &id, "publish").await;
    assert_eq!(published["id"], id.as_str(), "the link stays");
    assert_ne!(published["createdAt"], draft["createdAt"]);
    assert_eq!(
        published["createdAt"], published["updatedAt"],
        "{published}"
    );
    let newest_first = [
        id.clone(),
        posted[2].clone(),
        posted[1].clone(),
        posted[0].clone(),
    ];
    let ada_id = ada_user["id"].as_str().unwrap();
    for query in ["", "hashtag=later", "author=ada"] {
        // A page of one at a time: each goes on after the last one listed.
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..10 {
            let cursor_param = cursor
                .as_ref()
                .map_or(String::new(), |c| format!("&cursor={c}"));
            let page = app
                .get_ok(&format!("/api/tweets?limit=1&{query}{cursor_param}"), None)
                .await;
            seen.extend(ids(&page));
            match page["nextCursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen, newest_first, "{query}");
    }
    let profile = app
        .get_ok(&format!("/api/users/{ada_id}/tweets"), None)
        .await;
    assert_eq!(ids(&profile), newest_first);
    let versions = app
        .get_ok(&format!("/api/tweets/{id}/versions"), Some(&ada))
        .await;
    let versions = versions["items"].as_array().unwrap();
    assert_eq!(
        versions[0]["createdAt"], draft["createdAt"],
        "the draft's own time stays in its history"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_filters_by_author_and_hashtag() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (bob_user, bob) = app.register("bob").await;

    let rust = id_of(&app.post_tweet(&ada, "#Rust is fun").await);
    let rustacean = id_of(&app.post_tweet(&ada, "a proud #rustacean").await);
    let bob_rust = id_of(&app.post_tweet(&bob, "me too #RUST").await);
    let no_tag = id_of(&app.post_tweet(&ada, "no tags, just rust").await);

    let tagged: HashSet<String> = list(&app, "hashtag=rust", None).await.into_iter().collect();
    assert!(tagged.contains(&rust) && tagged.contains(&bob_rust));
    assert!(!tagged.contains(&rustacean), "#rustacean is not #rust");
    assert!(!tagged.contains(&no_tag), "a substring is not a hashtag");
    assert_eq!(
        list(&app, "hashtag=%23RuSt", None).await,
        list(&app, "hashtag=rust", None).await,
        "with `#` and any case"
    );
    assert_eq!(
        list(&app, "hashtag=rustacean", None).await,
        vec![rustacean.clone()]
    );

    let by_ada = list(&app, "author=ada", None).await;
    assert_eq!(by_ada.len(), 3);
    assert!(!by_ada.contains(&bob_rust));
    let bob_id = bob_user["id"].as_str().unwrap();
    assert_eq!(
        list(&app, &format!("author={bob_id}"), None).await,
        vec![bob_rust.clone()]
    );
    assert!(list(&app, "author=nobody", None).await.is_empty());
    assert_eq!(
        list(&app, "author=bob&hashtag=%23rust", None).await,
        vec![bob_rust]
    );
}

// ---- edits and versions ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_make_versions_and_stale_versions_conflict() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let tweet = app.post_tweet(&ada, "first #one").await;
    let id = id_of(&tweet);
    let path = format!("/api/tweets/{id}");

    let edited = app.edit(&ada, &id, "second #two").await;
    assert_eq!(edited["id"], tweet["id"]);
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["state"], "edited");
    assert_eq!(edited["content"], "second #two");
    assert_eq!(edited["contentHash"], sha256_hex("second #two"));
    assert_eq!(edited["createdAt"], tweet["createdAt"]);
    assert!(edited["updatedAt"].as_str() >= tweet["updatedAt"].as_str());
    assert_eq!(edited["entities"]["hashtags"][0]["tag"], "two");
    // Reads see the edit at once (no stale cache).
    assert_eq!(app.get_ok(&path, None).await["content"], "second #two");
    assert_eq!(list(&app, "hashtag=two", None).await, vec![id.clone()]);
    assert!(list(&app, "hashtag=one", None).await.is_empty());

    // Stale expectedVersion: 409 naming the current version; nothing changes.
    let resp = app
        .put(
            &path,
            Some(&ada),
            &json!({"content": "third", "expectedVersion": 1}),
        )
        .await;
    let error = expect_error(resp, StatusCode::CONFLICT, "version_conflict").await;
    assert!(error["message"].as_str().unwrap().contains('2'), "{error}");
    assert_eq!(app.get_ok(&path, None).await["version"], 2);
    let resp = app
        .put(
            &path,
            Some(&ada),
            &json!({"content": "third", "expectedVersion": 2}),
        )
        .await;
    assert_eq!(expect_status(resp, StatusCode::OK).await["version"], 3);

    // Someone else's tweet: 403, and nothing changes.
    app.expect_changes_refused(
        &path,
        Some(&bob),
        "archive",
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let resp = app.put(&path, None, &json!({"content": "anonymous"})).await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.get_ok(&path, None).await["version"], 3);

    let versions = app.get_ok(&format!("{path}/versions"), None).await;
    assert_eq!(keys(&versions), set(&["items"]));
    let items = versions["items"].as_array().unwrap();
    let got: Vec<(i64, &str)> = items
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["content"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(1, "first #one"), (2, "second #two"), (3, "third")]
    );
    for v in items {
        assert_eq!(
            keys(v),
            set(&["version", "content", "contentHash", "createdAt", "media"])
        );
        assert_eq!(v["contentHash"], sha256_hex(v["content"].as_str().unwrap()));
        assert_timestamp(&v["createdAt"]);
    }

    // Editing a draft keeps it a draft.
    let draft = app.post_draft(&ada, "draft v1").await;
    let edited = app.edit(&ada, &id_of(&draft), "draft v2").await;
    assert_eq!(edited["state"], "draft");
    assert_eq!(edited["version"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_makes_a_new_version_with_the_old_content() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let first = app.post_tweet(&ada, "the first words").await;
    let id = id_of(&first);
    app.edit(&ada, &id, "the second words").await;

    let resp = app
        .post(
            &format!("/api/tweets/{id}/restore"),
            Some(&ada),
            &json!({"version": 1}),
        )
        .await;
    let restored = expect_status(resp, StatusCode::OK).await;
    assert_eq!(restored["version"], 3);
    assert_eq!(restored["content"], "the first words");
    assert_eq!(restored["contentHash"], first["contentHash"]);
    assert_eq!(restored["state"], "edited");

    let versions = app
        .get_ok(&format!("/api/tweets/{id}/versions"), None)
        .await;
    let items = versions["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[2]["contentHash"], items[0]["contentHash"]);
    assert_eq!(items[1]["content"], "the second words");

    for bad in [0, 9, -1] {
        let resp = app
            .post(
                &format!("/api/tweets/{id}/restore"),
                Some(&ada),
                &json!({"version": bad}),
            )
            .await;
        let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(error["field"], "version");
    }
    // Restoring stores no new body.
    let stats = app.stats().await;
    assert_eq!(stats["tweets"]["versions"], 3);
    assert_eq!(stats["tweets"]["uniqueBodies"], 2);
}

// ---- lifecycle and visibility ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_visible_to_their_author_only() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let draft = app.post_draft(&ada, "not yet #secret").await;
    assert_eq!(draft["state"], "draft");
    let id = id_of(&draft);
    let path = format!("/api/tweets/{id}");

    assert_eq!(app.get_ok(&path, Some(&ada)).await["state"], "draft");
    for viewer in [Some(bob.as_str()), None] {
        for sub in ["", "/versions", "/events"] {
            let resp = app.get(&format!("{path}{sub}"), viewer).await;
            expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
        }
        assert!(!list(&app, "", viewer).await.contains(&id));
        assert!(list(&app, "hashtag=secret", viewer).await.is_empty());
        assert!(list(&app, "author=ada", viewer).await.is_empty());
    }
    for action in ["like", "retweet", "view"] {
        let resp = app
            .post(
                &format!("{path}/engagement"),
                Some(&bob),
                &json!({"action": action}),
            )
            .await;
        expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    }
    let resp = app.post_empty(&format!("{path}/publish"), Some(&bob)).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    let resp = app.put(&path, Some(&bob), &json!({"content": "x"})).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    let resp = app
        .post(
            "/api/tweets",
            Some(&bob),
            &json!({"content": "re", "replyToId": id}),
        )
        .await;
    let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error["field"], "replyToId");
    // Not even the author sees a draft in the public list; it is in their own list.
    assert!(!list(&app, "", Some(&ada)).await.contains(&id));
    assert_eq!(own(&app, &ada).await, vec![id.clone()]);
    let drafts = app.get_ok("/api/me/tweets?state=draft", Some(&ada)).await;
    assert_eq!(ids(&drafts), vec![id.clone()]);
    assert!(own(&app, &bob).await.is_empty());

    let published = app.transition(&ada, &id, "publish").await;
    assert_eq!(published["state"], "published");
    assert_eq!(published["version"], 1);
    assert_eq!(app.get_ok(&path, Some(&bob)).await["state"], "published");
    assert_eq!(app.get_ok(&path, None).await["id"], id.as_str());
    assert_eq!(list(&app, "hashtag=secret", None).await, vec![id.clone()]);

    let resp = app.post_empty(&format!("{path}/publish"), Some(&ada)).await;
    let error = expect_error(resp, StatusCode::CONFLICT, "illegal_transition").await;
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("publish") && message.contains("published"),
        "the message names the transition: {message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archived_tweets_are_author_only_and_read_only() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let id = id_of(&app.post_tweet(&ada, "soon archived").await);
    let path = format!("/api/tweets/{id}");
    app.engage(&bob, &id, "like").await;
    let archived = app.transition(&ada, &id, "archive").await;
    assert_eq!(archived["state"], "archived");
    assert_eq!(archived["engagement"]["likes"], 1);

    assert_eq!(app.get_ok(&path, Some(&ada)).await["state"], "archived");
    for viewer in [Some(bob.as_str()), None] {
        let resp = app.get(&path, viewer).await;
        expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
        assert!(!list(&app, "", viewer).await.contains(&id));
    }
    assert!(!list(&app, "", Some(&ada)).await.contains(&id));
    let archived_own = app
        .get_ok("/api/me/tweets?state=archived", Some(&ada))
        .await;
    assert_eq!(ids(&archived_own), vec![id.clone()]);

    for action in ["like", "unlike", "retweet", "view"] {
        let resp = app
            .post(
                &format!("{path}/engagement"),
                Some(&ada),
                &json!({"action": action}),
            )
            .await;
        expect_error(resp, StatusCode::CONFLICT, "read_only").await;
        let resp = app
            .post(
                &format!("{path}/engagement"),
                Some(&bob),
                &json!({"action": action}),
            )
            .await;
        expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    }
    let resp = app
        .put(&path, Some(&ada), &json!({"content": "changed"}))
        .await;
    let error = expect_error(resp, StatusCode::CONFLICT, "illegal_transition").await;
    assert!(
        error["message"].as_str().unwrap().contains("archived"),
        "{error}"
    );
    for action in ["archive", "publish"] {
        let resp = app
            .post_empty(&format!("{path}/{action}"), Some(&ada))
            .await;
        let error = expect_error(resp, StatusCode::CONFLICT, "illegal_transition").await;
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(action) && message.contains("archived"),
            "{message}"
        );
    }
    assert_eq!(
        app.get_ok(&path, Some(&ada)).await["content"],
        "soon archived"
    );

    // A draft cannot be archived.
    let draft = id_of(&app.post_draft(&ada, "a draft").await);
    let resp = app
        .post_empty(&format!("/api/tweets/{draft}/archive"), Some(&ada))
        .await;
    let error = expect_error(resp, StatusCode::CONFLICT, "illegal_transition").await;
    assert!(
        error["message"].as_str().unwrap().contains("draft"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_tweets_disappear_from_every_read() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let id = id_of(&app.post_tweet(&ada, "short-lived #gone").await);
    app.edit(&ada, &id, "short-lived, edited #gone").await;
    app.engage(&bob, &id, "like").await;
    let path = format!("/api/tweets/{id}");

    let resp = app.delete(&path, Some(&ada)).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert!(resp.text().await.unwrap().is_empty());

    for viewer in [Some(ada.as_str()), Some(bob.as_str()), None] {
        for sub in ["", "/versions", "/events"] {
            let resp = app.get(&format!("{path}{sub}"), viewer).await;
            expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
        }
        assert!(!list(&app, "", viewer).await.contains(&id));
        assert!(list(&app, "hashtag=gone", viewer).await.is_empty());
    }
    assert!(own(&app, &ada).await.is_empty());
    assert!(
        ids(&app.get_ok("/api/trends/tweets", None).await)
            .iter()
            .all(|t| *t != id)
    );
    for token in [&ada, &bob] {
        let resp = app
            .post(
                &format!("{path}/engagement"),
                Some(token),
                &json!({"action": "like"}),
            )
            .await;
        expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    }
    app.expect_changes_refused(
        &path,
        Some(&ada),
        "publish",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // A draft can be deleted too.
    let draft = id_of(&app.post_draft(&ada, "draft to delete").await);
    let resp = app
        .delete(&format!("/api/tweets/{draft}"), Some(&ada))
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let resp = app.get(&format!("/api/tweets/{draft}"), Some(&ada)).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_show_the_author_the_audit_trail() {
    let app = spawn(|_| {}).await;
    let (ada_user, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let id = id_of(&app.post_draft(&ada, "v1").await);
    let events = format!("/api/tweets/{id}/events");
    let resp = app.get(&events, Some(&bob)).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;

    app.edit(&ada, &id, "v2").await;
    app.transition(&ada, &id, "publish").await;
    app.edit(&ada, &id, "v3").await;
    let resp = app
        .post(
            &format!("/api/tweets/{id}/restore"),
            Some(&ada),
            &json!({"version": 1}),
        )
        .await;
    expect_status(resp, StatusCode::OK).await;

    // Others who can see the tweet may not read its audit trail.
    let resp = app.get(&events, Some(&bob)).await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    let resp = app.get(&events, None).await;
    let status = resp.status();
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED,
        "anonymous read of an audit trail: {status}"
    );

    app.transition(&ada, &id, "archive").await;
    let trail = app.get_ok(&events, Some(&ada)).await;
    let items = trail["items"].as_array().unwrap();
    let got: Vec<(&str, i64)> = items
        .iter()
        .map(|e| (e["type"].as_str().unwrap(), e["version"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("created", 1),
            ("edited", 2),
            ("published", 2),
            ("edited", 3),
            ("restored", 4),
            ("archived", 4),
        ]
    );
    let mut last_seq = i64::MIN;
    for e in items {
        assert_eq!(
            keys(e),
            set(&[
                "seq",
                "type",
                "version",
                "contentHash",
                "actorId",
                "createdAt"
            ])
        );
        let seq = e["seq"].as_i64().unwrap();
        assert!(seq > last_seq, "events oldest first");
        last_seq = seq;
        assert_eq!(e["actorId"], ada_user["id"]);
        assert_timestamp(&e["createdAt"]);
    }
    // contentHash is the tweet's after the event.
    assert_eq!(items[0]["contentHash"], sha256_hex("v1"));
    assert_eq!(items[2]["contentHash"], sha256_hex("v2"));
    assert_eq!(items[4]["contentHash"], sha256_hex("v1"));
}

// ---- idempotency and content addressing ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_key_retries_create_nothing() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let create = |token: &str, key: &str, content: &str| {
        app.request(Method::POST, "/api/tweets", Some(token))
            .header("Idempotency-Key", key)
            .json(&json!({"content": content}))
            .send()
    };
    let first = expect_status(
        create(&ada, "key-1", "once only").await.unwrap(),
        StatusCode::CREATED,
    )
    .await;
    for _ in 0..3 {
        let retry = expect_status(
            create(&ada, "key-1", "once only").await.unwrap(),
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(retry["id"], first["id"]);
        assert_eq!(retry["content"], "once only");
    }
    // A key reused with a different body is refused (issue 14), not answered with the
    // original as if it had been this request.
    expect_error(
        create(&ada, "key-1", "something else").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    // Another key, or the same key by another user, is another tweet.
    let other_key = expect_status(
        create(&ada, "key-2", "once only").await.unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(other_key["id"], first["id"]);
    let other_user = expect_status(
        create(&bob, "key-1", "once only").await.unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(other_user["id"], first["id"]);

    assert_eq!(list(&app, "author=ada", None).await.len(), 2);
    let stats = app.stats().await;
    assert_eq!(stats["tweets"]["total"], 3, "{stats}");
    assert_eq!(stats["tweets"]["versions"], 3, "{stats}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_content_is_stored_once() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let a = app.post_tweet(&ada, "great minds").await;
    let b = app.post_tweet(&bob, "great minds").await;
    assert_ne!(a["id"], b["id"]);
    assert_eq!(a["contentHash"], b["contentHash"]);
    // Equal after NFC normalization is identical too.
    let c = app.post_tweet(&ada, "na\u{ef}ve").await;
    let d = app.post_tweet(&bob, "nai\u{308}ve").await;
    assert_eq!(c["contentHash"], d["contentHash"]);
    // An edit back to a known body stores nothing new.
    app.edit(&ada, &id_of(&c), "great minds").await;

    let stats = app.stats().await;
    assert_eq!(stats["tweets"]["total"], 4, "{stats}");
    assert_eq!(stats["tweets"]["versions"], 5, "{stats}");
    assert_eq!(stats["tweets"]["uniqueBodies"], 2, "{stats}");
}

// ---- engagement ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engagement_is_per_user_and_idempotent() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let id = id_of(&app.post_tweet(&ada, "engage with me").await);
    let path = format!("/api/tweets/{id}");

    let e = app.engage(&bob, &id, "like").await;
    assert_eq!(
        keys(&e),
        set(&[
            "likes",
            "retweets",
            "replies",
            "quotes",
            "views",
            "likedByCurrentUser",
            "retweetedByCurrentUser",
            "velocity",
        ])
    );
    assert_eq!(
        (e["likes"].as_i64(), e["likedByCurrentUser"].as_bool()),
        (Some(1), Some(true))
    );
    let e = app.engage(&bob, &id, "like").await;
    assert_eq!(e["likes"], 1, "liking twice counts once");
    let e = app.engage(&ada, &id, "like").await;
    assert_eq!(e["likes"], 2);
    let e = app.engage(&bob, &id, "retweet").await;
    let e2 = app.engage(&bob, &id, "retweet").await;
    assert_eq!(e["retweets"], 1);
    assert_eq!(e2["retweets"], 1, "retweeting twice counts once");
    assert_eq!(e2["retweetedByCurrentUser"], true);
    assert_eq!(e2["likedByCurrentUser"], true);

    // The flags are the caller's.
    let as_bob = app.get_ok(&path, Some(&bob)).await["engagement"].clone();
    assert_eq!(as_bob["likes"], 2);
    assert_eq!(as_bob["retweets"], 1);
    assert_eq!(as_bob["likedByCurrentUser"], true);
    assert_eq!(as_bob["retweetedByCurrentUser"], true);
    let as_ada = app.get_ok(&path, Some(&ada)).await["engagement"].clone();
    assert_eq!(as_ada["likedByCurrentUser"], true);
    assert_eq!(as_ada["retweetedByCurrentUser"], false);
    let anonymous = app.get_ok(&path, None).await["engagement"].clone();
    assert_eq!(anonymous["likes"], 2);
    assert_eq!(anonymous["likedByCurrentUser"], false);
    assert_eq!(anonymous["retweetedByCurrentUser"], false);
    let listed = app.get_ok("/api/tweets", Some(&bob)).await;
    assert_eq!(listed["items"][0]["engagement"]["likedByCurrentUser"], true);
    let listed = app.get_ok("/api/tweets", None).await;
    assert_eq!(
        listed["items"][0]["engagement"]["likedByCurrentUser"],
        false
    );

    let e = app.engage(&bob, &id, "unlike").await;
    assert_eq!(
        (e["likes"].as_i64(), e["likedByCurrentUser"].as_bool()),
        (Some(1), Some(false))
    );
    let e = app.engage(&bob, &id, "unlike").await;
    assert_eq!(e["likes"], 1, "unliking twice counts once");
    let e = app.engage(&bob, &id, "unretweet").await;
    let e = {
        assert_eq!(e["retweets"], 0);
        app.engage(&bob, &id, "unretweet").await
    };
    assert_eq!(e["retweets"], 0, "never below zero");
    assert_eq!(e["retweetedByCurrentUser"], false);

    // One viewer counts once per tweet within the view window.
    for _ in 1..=3 {
        let e = app.engage(&bob, &id, "view").await;
        assert_eq!(e["views"], 1);
    }
    assert_eq!(app.engage(&ada, &id, "view").await["views"], 2);
    assert_eq!(app.get_ok(&path, None).await["engagement"]["views"], 2);

    // Replies count on the parent.
    let resp = app
        .post(
            "/api/tweets",
            Some(&bob),
            &json!({"content": "a reply", "replyToId": id}),
        )
        .await;
    let reply = expect_status(resp, StatusCode::CREATED).await;
    assert_eq!(reply["replyToId"], id.as_str());
    assert_eq!(app.get_ok(&path, None).await["engagement"]["replies"], 1);
    let resp = app
        .post(
            "/api/tweets",
            Some(&bob),
            &json!({"content": "to nothing", "replyToId": "12345"}),
        )
        .await;
    let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error["field"], "replyToId");

    let resp = app
        .post(
            &format!("{path}/engagement"),
            None,
            &json!({"action": "like"}),
        )
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let stats = app.stats().await;
    assert_eq!(
        stats["engagement"],
        json!({"likes": 1, "retweets": 0, "replies": 1, "views": 2}),
        "{stats}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trends_put_the_engaged_tweet_first() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let quiet = id_of(&app.post_tweet(&ada, "quiet").await);
    let hot = id_of(&app.post_tweet(&ada, "hot").await);
    let warm = id_of(&app.post_tweet(&bob, "warm").await);
    let _ = quiet;

    app.engage(&ada, &hot, "like").await;
    app.engage(&bob, &hot, "like").await;
    app.engage(&bob, &hot, "retweet").await;
    app.engage(&ada, &warm, "like").await;

    let trends = app.get_ok("/api/trends/tweets?limit=5", None).await;
    let got = ids(&trends);
    assert_eq!(got.first(), Some(&hot), "{trends}");
    assert_eq!(got.get(1), Some(&warm), "{trends}");
    let velocity = &trends["items"][0]["engagement"]["velocity"];
    assert!(velocity["oneMinute"].as_f64().unwrap() > 0.0, "{velocity}");
    assert!(
        velocity["oneMinute"].as_f64()
            > trends["items"][1]["engagement"]["velocity"]["oneMinute"].as_f64()
    );
    assert_eq!(
        ids(&app.get_ok("/api/trends/tweets?limit=1", None).await),
        vec![hot]
    );
}

// ---- operations ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_stats_and_metrics() {
    let app = spawn(|_| {}).await;

    let health = app.get_ok("/api/health", None).await;
    assert_eq!(keys(&health), set(&["status", "version", "uptimeSeconds"]));
    assert_eq!(health["status"], "ok");
    assert!(health["version"].is_string());
    assert!(health["uptimeSeconds"].is_u64());

    let stats = app.stats().await;
    assert_eq!(
        keys(&stats),
        set(&[
            "node",
            "uptimeSeconds",
            "memory",
            "requests",
            "tweets",
            "engagement",
            "websockets",
            "home"
        ])
    );
    // A single process: node 0, no other nodes to hear from.
    assert_eq!(
        stats["node"],
        json!({"id": 0, "linked": null, "eventsDropped": 0})
    );
    assert_eq!(keys(&stats["memory"]), set(&["rssBytes"]));
    assert!(
        stats["memory"]["rssBytes"].as_u64().unwrap() > 1 << 20,
        "{stats}"
    );
    assert_eq!(
        keys(&stats["requests"]),
        set(&["total", "perSecond", "latencyMs"])
    );
    assert!(stats["requests"]["total"].as_u64().unwrap() >= 1, "{stats}");
    assert!(stats["requests"]["perSecond"].is_number());
    assert_eq!(
        keys(&stats["requests"]["latencyMs"]),
        set(&["p50", "p95", "p99"])
    );
    for p in ["p50", "p95", "p99"] {
        assert!(stats["requests"]["latencyMs"][p].is_number());
    }
    assert_eq!(
        keys(&stats["tweets"]),
        set(&["total", "versions", "uniqueBodies", "createdPerSecond"])
    );
    assert_eq!(stats["tweets"]["total"], 0);
    assert!(stats["tweets"]["createdPerSecond"].is_number());
    assert_eq!(
        keys(&stats["engagement"]),
        set(&["likes", "retweets", "replies", "views"])
    );
    assert_eq!(keys(&stats["websockets"]), set(&["open"]));
    assert_eq!(stats["websockets"]["open"], 0);
    // Nothing delivered yet; timelines in this process's memory.
    assert_eq!(
        stats["home"],
        json!({"backlog": 0, "backlogAgeMs": 0, "deliveries": 0, "delivered": 0,
               "latencyMs": {"p50": 0, "p99": 0}, "rebuilds": 0, "timelines": 0, "entries": 0,
               "memoryBytes": 0, "mergeThreshold": 10_000, "cluster": null})
    );

    let resp = app.get("/metrics", None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = resp.text().await.unwrap();
    assert!(text.contains("starling_http_requests_total"), "{text}");
    assert!(text.contains("starling_node_id 0"), "{text}");
    assert!(text.contains("starling_bus_linked -1"), "{text}");
    assert!(text.contains("starling_home_backlog 0"), "{text}");
    assert!(text.contains("starling_home_timelines 0"), "{text}");
    assert!(text.contains("# TYPE"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_every_route() {
    let app = spawn(|_| {}).await;
    let doc = app.get_ok("/api/openapi.json", None).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );

    let documented: BTreeMap<String, BTreeSet<String>> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(path, item)| {
            let methods = item
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "put", "delete", "patch"].contains(&k.as_str()))
                .cloned()
                .collect();
            (path.clone(), methods)
        })
        .collect();
    // The document is generated from the router's one route list, so it names every
    // route; what is left to check is that it names nothing the router does not serve
    // and that every method it omits is refused: each listed method is routed, every
    // other method answers 405.
    assert!(documented.len() >= 20, "{documented:?}");
    for (path, methods) in &documented {
        let concrete = path.replace("{id}", "1");
        for method in ["get", "post", "put", "delete", "patch"] {
            let resp = app
                .request(method.to_uppercase().parse().unwrap(), &concrete, None)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let body = resp.text().await.unwrap();
            if methods.contains(method) {
                assert!(
                    status != StatusCode::METHOD_NOT_ALLOWED && !body.contains("no such endpoint"),
                    "{method} {path} is documented but not served: {status} {body}"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is served but not documented: {body}"
                );
            }
        }
    }
}

/// `GET /api/tweets/lookup`: what a client shows, as it is now. Each item is exactly what
/// `GET /api/tweets/{id}` answers that viewer, and an id is missing exactly when that read
/// is a 404 (deleted, archived, hidden, never existed: one answer for all).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_answers_each_id_as_a_single_read_would() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let public = id_of(&app.post_tweet(&ada, "public").await);
    let followers = id_of(
        &app.create(
            &ada,
            &json!({"content": "for followers", "visibility": "followers"}),
        )
        .await,
    );
    let deleted = id_of(&app.post_tweet(&ada, "soon gone").await);
    let edited = id_of(&app.post_tweet(&ada, "before").await);
    let archived = id_of(&app.post_tweet(&ada, "soon archived").await);
    let draft = id_of(&app.post_draft(&ada, "a draft").await);
    app.engage(&bob, &public, "like").await;
    // A retweet entry is looked up by its own id (a client shows entries, not originals).
    let retweet = id_of(
        &expect_status(
            app.post_empty(&format!("/api/tweets/{public}/retweet"), Some(&bob))
                .await,
            StatusCode::CREATED,
        )
        .await,
    );
    app.edit(&ada, &edited, "after").await;
    app.transition(&ada, &archived, "archive").await;
    expect_status(
        app.delete(&format!("/api/tweets/{deleted}"), Some(&ada))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;

    let unknown = "7".repeat(15);
    let asked = [
        &public, &followers, &deleted, &edited, &archived, &draft, &unknown, &retweet, &public,
    ];
    let query = asked
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",");
    for viewer in [Some(ada.as_str()), Some(bob.as_str()), None] {
        let answer = app
            .get_ok(&format!("/api/tweets/lookup?ids={query}"), viewer)
            .await;
        let mut want_items = Vec::new();
        let mut want_missing = Vec::new();
        for id in asked.iter().take(8) {
            let resp = app.get(&format!("/api/tweets/{id}"), viewer).await;
            if resp.status() == StatusCode::NOT_FOUND {
                want_missing.push(json!(id));
            } else {
                want_items.push(expect_status(resp, StatusCode::OK).await);
            }
        }
        assert_eq!(answer["items"], json!(want_items), "viewer {viewer:?}");
        assert_eq!(answer["missing"], json!(want_missing), "viewer {viewer:?}");
    }
    // The cases this covers, spelled out for one viewer.
    let bobs = app
        .get_ok(&format!("/api/tweets/lookup?ids={query}"), Some(&bob))
        .await;
    assert_eq!(ids(&bobs), vec![public.clone(), edited.clone(), retweet]);
    assert_eq!(bobs["items"][0]["engagement"]["likedByCurrentUser"], true);
    assert_eq!(bobs["items"][1]["content"], "after");
    assert_eq!(bobs["items"][2]["retweetOf"]["id"], public.as_str());
    assert_eq!(
        bobs["missing"],
        json!([followers, deleted, archived, draft, unknown])
    );

    let hundred: Vec<String> = (1..=100).map(|n| n.to_string()).collect();
    let answer = app
        .get_ok(
            &format!("/api/tweets/lookup?ids={}", hundred.join(",")),
            None,
        )
        .await;
    assert_eq!(answer["missing"].as_array().unwrap().len(), 100);
    for bad in [
        "",
        "abc",
        "1,,2",
        "-1",
        &format!("{},101", hundred.join(",")),
    ] {
        let resp = app
            .get(&format!("/api/tweets/lookup?ids={bad}"), None)
            .await;
        expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let resp = app.get("/api/tweets/lookup", None).await;
    assert!(resp.status().is_client_error(), "{}", resp.status());
}

/// `POST /api/tweets/views`: what a client showed its user counts once per viewer per
/// window; what the caller may not read is passed over exactly like what does not exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_of_shown_tweets_count_once_and_hidden_ones_not_at_all() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, carol) = app.register("carol").await;
    let public = id_of(&app.post_tweet(&ada, "public").await);
    let followers = id_of(
        &app.create(
            &ada,
            &json!({"content": "for followers", "visibility": "followers"}),
        )
        .await,
    );
    let archived = id_of(&app.post_tweet(&ada, "soon archived").await);
    app.transition(&ada, &archived, "archive").await;
    let entry = id_of(
        &expect_status(
            app.post_empty(&format!("/api/tweets/{public}/retweet"), Some(&carol))
                .await,
            StatusCode::CREATED,
        )
        .await,
    );
    let views = |token: &str, ids: Vec<&str>| {
        let token = token.to_string();
        let body = json!({ "ids": ids });
        let app = &app;
        async move {
            let resp = app.post("/api/tweets/views", Some(&token), &body).await;
            expect_status(resp, StatusCode::OK).await["counted"].clone()
        }
    };
    let unknown = "9".repeat(15);
    // The retweet entry stands for the original, seen once.
    let asked = vec![
        public.as_str(),
        followers.as_str(),
        archived.as_str(),
        unknown.as_str(),
        entry.as_str(),
    ];
    assert_eq!(views(&bob, asked.clone()).await, 1);
    assert_eq!(
        views(&bob, asked.clone()).await,
        0,
        "repeated within the window"
    );
    assert_eq!(views(&carol, vec![entry.as_str()]).await, 1);
    // The author reads her followers-only tweet.
    assert_eq!(views(&ada, vec![followers.as_str()]).await, 1);
    assert_eq!(
        app.tweet(&public, Some(&bob)).await["engagement"]["views"],
        2
    );
    assert_eq!(
        app.tweet(&followers, Some(&ada)).await["engagement"]["views"],
        1
    );

    let too_many: Vec<String> = (1..=101).map(|n| n.to_string()).collect();
    for bad in [
        json!({"ids": []}),
        json!({"ids": too_many}),
        json!({"ids": ["x"]}),
        json!({}),
    ] {
        let resp = app.post("/api/tweets/views", Some(&bob), &bad).await;
        expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let resp = app
        .post("/api/tweets/views", None, &json!({"ids": [public]}))
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
