//! Issue 14's account and leak items over real HTTP: login throttling and the bounded
//! hashing queue, the password policy, refused characters, authorization before
//! validation, views once per viewer, the public history of a published draft, and
//! reply counts that follow public visibility.

use crate::support::{PASSWORD, expect_error, expect_status, id_of, spawn};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn login(app: &crate::support::TestApp, user: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/auth/login",
        None,
        &json!({"username": user, "password": password}),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_throttled_per_account_with_backoff() {
    let app = spawn(|_| {}).await;
    app.register("ada").await;
    app.register("bob").await;
    for _ in 0..5 {
        expect_error(
            login(&app, "ada", "wrong password").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    // The sixth failure starts the waits; from then on even the right password waits.
    login(&app, "ada", "wrong password").await;
    let resp = login(&app, "Ada", PASSWORD).await;
    assert!(resp.headers().contains_key("retry-after"));
    expect_error(resp, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // Unknown accounts are throttled the same way: the throttle reveals no usernames.
    for _ in 0..6 {
        login(&app, "nobody_here", "wrong password").await;
    }
    expect_error(
        login(&app, "nobody_here", "wrong password").await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // Another account is not affected.
    expect_status(login(&app, "bob", PASSWORD).await, StatusCode::OK).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_flood_meets_a_bounded_queue_and_a_legitimate_login_still_gets_through() {
    let app = spawn(|c| {
        c.engine.hashing_concurrency = 1;
        // Deeper than one address's burst of account requests: the queue bounds the
        // many, the per-address limit bounds the one.
        c.engine.hashing_queue = 16;
        c.api.rate_limits = Some(starling_api::rate_limit::RateLimits {
            per_ip: (1000, 1000),
            per_token: (1000, 1000),
            auth_per_ip: (2, 10),
        });
    })
    .await;
    app.register("ada").await;
    // The flood comes from another address, 64 logins at a time.
    let attacker = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let url = app.url("/api/auth/login");
    let flood = (0..64).map(|i| {
        let attacker = attacker.clone();
        let url = url.clone();
        async move {
            attacker
                .post(url)
                .json(&json!({"username": format!("victim{i}"), "password": "guess guess"}))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    });
    let flooding = tokio::spawn(futures::future::join_all(flood));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    expect_status(login(&app, "ada", PASSWORD).await, StatusCode::OK).await;
    let took = started.elapsed();
    let statuses = flooding.await.unwrap();
    assert!(
        took < Duration::from_secs(3),
        "the legitimate login took {took:?}"
    );
    // The flood got few hashes: most were refused by the address's limit or the queue.
    let hashed = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        hashed <= 14,
        "{hashed} of the flood's logins were hashed: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [401, 429, 503].contains(s)),
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn common_passwords_and_the_username_as_password_are_refused() {
    let app = spawn(|_| {}).await;
    for (user, password) in [
        ("ada", "qwertyuiop"),
        ("bob", "PassWord1"),
        ("carol_c", "Carol_C"),
        ("carol_c", "carol_c1"),
    ] {
        let resp = app
            .post(
                "/api/auth/register",
                None,
                &json!({"username": user, "password": password}),
            )
            .await;
        if password == "carol_c1" {
            expect_status(resp, StatusCode::CREATED).await;
            continue;
        }
        let body = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(body["field"], "password", "{user}/{password}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_bidi_and_invisible_text_is_refused_and_ids_are_strings() {
    let app = spawn(|_| {}).await;
    for name in [
        "Ada\u{202E}lol",
        "\u{200B}\u{200B}",
        "a\u{0}b",
        "x\u{2066}y",
    ] {
        let resp = app
            .post(
                "/api/auth/register",
                None,
                &json!({"username": "ada", "password": PASSWORD, "displayName": name}),
            )
            .await;
        let body = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(body["field"], "displayName", "{name:?}");
    }
    let (_, ada) = app.register("ada").await;
    for content in ["nul\u{0}byte", "evil\u{202E}txt.exe", "\u{3164}\u{200B}"] {
        let resp = app
            .post("/api/tweets", Some(&ada), &json!({"content": content}))
            .await;
        let body = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(body["field"], "content", "{content:?}");
    }
    // Ids in bodies are strings only: a number may already have lost precision.
    let parent = id_of(&app.post_tweet(&ada, "parent").await);
    let as_number: i64 = parent.parse().unwrap();
    let resp = app
        .post(
            "/api/tweets",
            Some(&ada),
            &json!({"content": "reply", "replyToId": as_number}),
        )
        .await;
    let body = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["field"], "replyToId");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strangers_invalid_edit_is_forbidden_not_invalid() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let id = id_of(&app.post_tweet(&ada, "mine").await);
    for content in ["", "x".repeat(400).as_str(), "fine"] {
        let resp = app
            .put(
                &format!("/api/tweets/{id}"),
                Some(&bob),
                &json!({"content": content}),
            )
            .await;
        expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // The author still gets the validation error.
    let resp = app
        .put(
            &format!("/api/tweets/{id}"),
            Some(&ada),
            &json!({"content": ""}),
        )
        .await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_viewer_counts_once_per_tweet_per_window() {
    let clock = starling_engine::clock::Clock::manual();
    let app = spawn(|c| c.engine.clock = clock.clone()).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let id = id_of(&app.post_tweet(&ada, "look").await);
    let mut last = Value::Null;
    for _ in 0..10 {
        last = app.engage(&bob, &id, "view").await;
    }
    assert_eq!(last["views"], 1, "{last}");
    let both = app.engage(&ada, &id, "view").await;
    assert_eq!(both["views"], 2, "{both}");
    // After the window, the same viewer counts again.
    clock.advance(Duration::from_secs(30 * 60));
    assert_eq!(app.engage(&bob, &id, "view").await["views"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_drafts_earlier_versions_stay_private() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let id = id_of(&app.post_draft(&ada, "secret first thoughts").await);
    app.edit(&ada, &id, "still private").await;
    app.edit(&ada, &id, "the public text").await;
    app.transition(&ada, &id, "publish").await;
    app.edit(&ada, &id, "the public text, edited").await;
    let texts = |versions: &Value| -> Vec<String> {
        versions
            .as_array()
            .or_else(|| versions["items"].as_array())
            .expect("a list of versions")
            .iter()
            .map(|v| v["content"].as_str().unwrap().to_string())
            .collect()
    };
    let public = expect_status(
        app.get(&format!("/api/tweets/{id}/versions"), None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        texts(&public),
        ["the public text", "the public text, edited"],
        "{public}"
    );
    let own = expect_status(
        app.get(&format!("/api/tweets/{id}/versions"), Some(&ada))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(texts(&own).len(), 4, "{own}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_count_while_publicly_visible() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let parent = id_of(&app.post_tweet(&ada, "parent").await);
    let count = || async {
        let t = app.get_ok(&format!("/api/tweets/{parent}"), None).await;
        t["engagement"]["replies"].as_i64().unwrap()
    };
    let draft = id_of(
        &app.create(
            &bob,
            &json!({"content": "draft reply", "replyToId": parent, "draft": true}),
        )
        .await,
    );
    assert_eq!(count().await, 0, "a draft reply was counted");
    app.transition(&bob, &draft, "publish").await;
    assert_eq!(count().await, 1);
    let other = id_of(
        &app.create(
            &bob,
            &json!({"content": "public reply", "replyToId": parent}),
        )
        .await,
    );
    assert_eq!(count().await, 2);
    expect_status(
        app.delete(&format!("/api/tweets/{other}"), Some(&bob))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    app.transition(&bob, &draft, "archive").await;
    assert_eq!(
        count().await,
        0,
        "replies that left public view still count"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_listed_revoked_and_expire_and_their_streams_close() {
    use futures::StreamExt;
    let clock = starling_engine::clock::Clock::manual();
    let app = spawn(|c| {
        c.engine.clock = clock.clone();
        c.engine.session_ttl = Duration::from_secs(3600);
        c.engine.session_renewal = Duration::from_secs(24 * 3600);
    })
    .await;
    let (_, first) = app.register("ada").await;
    let second = expect_status(login(&app, "ada", PASSWORD).await, StatusCode::OK).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, bob) = app.register("bob").await;
    let sessions = app.get_ok("/api/me/sessions", Some(&second)).await;
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["current"], true, "newest first: {sessions:?}");
    let first_id = sessions[1]["id"].as_str().unwrap().to_string();

    // A live stream opened with the first token closes when that session is revoked.
    let (mut ws, _) =
        tokio_tungstenite::connect_async(app.ws_url(&format!("/api/stream?token={first}")))
            .await
            .unwrap();
    // Bob cannot revoke Ada's session; Ada can.
    expect_error(
        app.delete(&format!("/api/me/sessions/{first_id}"), Some(&bob))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_status(
        app.delete(&format!("/api/me/sessions/{first_id}"), Some(&second))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    expect_error(
        app.get("/api/me", Some(&first)).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match ws.next().await {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame))) => {
                    return frame.map(|f| u16::from(f.code));
                }
                Some(Ok(_)) => continue,
                _ => return None,
            }
        }
    })
    .await
    .expect("the revoked session's stream stayed open");
    assert_eq!(closed, Some(1008));

    // Logging out everywhere ends the rest.
    let third = expect_status(login(&app, "ada", PASSWORD).await, StatusCode::OK).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    expect_status(
        app.post_empty("/api/auth/logout-all", Some(&second)).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    for token in [&second, &third] {
        expect_error(
            app.get("/api/me", Some(token)).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    // Bob's session expires after its lifetime (an hour here) without use.
    assert_eq!(app.get("/api/me", Some(&bob)).await.status(), 200);
    clock.advance(Duration::from_secs(3601));
    expect_error(
        app.get("/api/me", Some(&bob)).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_in_use_is_renewed_and_one_left_alone_expires() {
    // The server trusts sessions it holds in memory while it is the store's only writer;
    // renewal must still reach the store, or a session in daily use would end.
    let clock = starling_engine::clock::Clock::manual();
    let app = spawn(|c| {
        c.engine.clock = clock.clone();
        c.engine.session_ttl = Duration::from_secs(3600);
        c.engine.session_renewal = Duration::from_secs(600);
    })
    .await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    for _ in 0..8 {
        // 20 minutes apart: three hours in all, three times the lifetime.
        clock.advance(Duration::from_secs(1200));
        assert_eq!(app.get("/api/me", Some(&ada)).await.status(), 200);
    }
    expect_error(
        app.get("/api/me", Some(&bob)).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let sessions = app.get_ok("/api/me/sessions", Some(&ada)).await;
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_reused_for_another_request_is_refused() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let send = |content: &'static str| {
        app.request(reqwest::Method::POST, "/api/tweets", Some(&ada))
            .header("idempotency-key", "k-1")
            .json(&json!({"content": content}))
            .send()
    };
    let first = expect_status(send("hello").await.unwrap(), StatusCode::CREATED).await;
    let again = expect_status(send("hello").await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(first["id"], again["id"]);
    let body = expect_error(
        send("something else").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["field"], "Idempotency-Key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_hashtag_filter_matches_nothing() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    app.post_tweet(&ada, "#rust is here").await;
    for filter in ["%23", "%23%23", "%EF%BC%83"] {
        let page = app
            .get_ok(&format!("/api/tweets?hashtag={filter}"), None)
            .await;
        assert_eq!(page["items"], json!([]), "hashtag={filter}");
    }
    let all = app.get_ok("/api/tweets?hashtag=", None).await;
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        1,
        "an absent filter"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_hashing_queue_answers_503_at_once() {
    let app = spawn(|c| {
        c.engine.hashing_concurrency = 1;
        c.engine.hashing_queue = 2;
    })
    .await;
    let logins = (0..30).map(|i| {
        let app = &app;
        async move {
            let resp = login(app, &format!("user{i}"), "wrong password").await;
            (
                resp.status().as_u16(),
                resp.headers().contains_key("retry-after"),
            )
        }
    });
    let answers = futures::future::join_all(logins).await;
    let refused: Vec<_> = answers.iter().filter(|(s, _)| *s == 503).collect();
    assert!(!refused.is_empty(), "{answers:?}");
    assert!(refused.iter().all(|(_, retry)| *retry));
    assert!(
        answers.iter().all(|(s, _)| [401, 503].contains(s)),
        "{answers:?}"
    );
}
