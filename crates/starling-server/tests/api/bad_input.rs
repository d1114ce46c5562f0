//! Bad input answers the right 4xx with the JSON error shape, and never a 5xx.

use crate::support::{
    TIGHT_LIMITS, TestApp, assert_error_shape, expect_error, expect_status, id_of, spawn,
};
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use starling_api::rate_limit::RateLimits;

/// Send raw bytes as `application/json`.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    app.request(method, path, token)
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .expect("request")
}

async fn expect_validation(resp: reqwest::Response, field: &str) -> Value {
    let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error["field"], field, "{error}");
    error
}

/// A body every JSON endpoint exercised here accepts, with `extra` as one more member and
/// `after` appended.
fn valid_shape(extra: &[u8], after: &[u8]) -> Vec<u8> {
    let mut body =
        br#"{"content": "hi", "action": "view", "username": "ada", "password": "wrong password""#
            .to_vec();
    if !extra.is_empty() {
        body.extend_from_slice(b", ");
        body.extend_from_slice(extra);
    }
    body.push(b'}');
    body.extend_from_slice(after);
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_that_are_not_json_are_400() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    let id = id_of(&app.post_tweet(&token, "target").await);
    let deep_nesting = "[".repeat(60_000);

    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", br#"{"content": "#.to_vec()),
        ("not json", b"content=hello".to_vec()),
        ("empty", b"".to_vec()),
        ("single quotes", br#"{'content': 'x'}"#.to_vec()),
        ("trailing comma", br#"{"content": "x",}"#.to_vec()),
        ("trailing garbage", br#"{"content": "x"} garbage"#.to_vec()),
        ("trailing brace", br#"{"content": "x"}}"#.to_vec()),
        (
            "two values",
            br#"{"content": "x"} {"content": "y"}"#.to_vec(),
        ),
        (
            "invalid utf-8 in a string",
            b"{\"content\": \"caf\xe9\"}".to_vec(),
        ),
        (
            "invalid utf-8 bytes",
            b"{\"content\": \"\xff\xfe\xfd\"}".to_vec(),
        ),
        ("overlong utf-8", b"{\"content\": \"\xc0\xaf\"}".to_vec()),
        (
            "utf-8 outside strings",
            b"\xef\xbb\xbf\xff{\"content\": \"x\"}".to_vec(),
        ),
        ("deeply nested, never closed", deep_nesting.into_bytes()),
        // Bodies whose shape would be accepted by every target but for the defect.
        (
            "invalid utf-8 in an unknown field",
            valid_shape(b"\"note\": \"\xff\"", b""),
        ),
        (
            "trailing garbage after a valid body",
            valid_shape(b"", b" x"),
        ),
        ("a second valid body", valid_shape(b"", b"{}")),
    ];
    let targets = [
        (Method::POST, "/api/tweets".to_string()),
        (Method::PUT, format!("/api/tweets/{id}")),
        (Method::POST, format!("/api/tweets/{id}/engagement")),
        (Method::POST, "/api/auth/login".to_string()),
    ];
    for (what, body) in &bodies {
        for (method, path) in &targets {
            let resp = raw(&app, method.clone(), path, Some(&token), body.clone()).await;
            let status = resp.status();
            let error = expect_error(resp, StatusCode::BAD_REQUEST, "malformed_json").await;
            assert!(
                status.is_client_error(),
                "{what} to {method} {path}: {error}"
            );
        }
    }
    // A lone surrogate is grammatical JSON but no string: as the content it is malformed.
    let resp = raw(
        &app,
        Method::POST,
        "/api/tweets",
        Some(&token),
        br#"{"content": "\ud800"}"#.to_vec(),
    )
    .await;
    expect_error(resp, StatusCode::BAD_REQUEST, "malformed_json").await;

    // Deep nesting where a string belongs is the wrong shape, and costs no stack.
    let nested = format!(
        r#"{{"content": {}{}}}"#,
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let resp = raw(&app, Method::POST, "/api/tweets", Some(&token), nested).await;
    let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error["field"], "content");

    // Nothing was changed by any of them.
    let tweet = app.get_ok(&format!("/api/tweets/{id}"), None).await;
    assert_eq!(tweet["version"], 1);
    assert_eq!(
        app.get_ok("/api/tweets", None).await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_64_kib_are_413() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    let id = id_of(&app.post_tweet(&token, "target").await);

    let big = json!({"content": "a".repeat(64 * 1024)}).to_string();
    assert!(big.len() > 64 * 1024);
    for (method, path) in [
        (Method::POST, "/api/tweets".to_string()),
        (Method::PUT, format!("/api/tweets/{id}")),
        (Method::POST, format!("/api/tweets/{id}/engagement")),
    ] {
        let resp = raw(&app, method, &path, Some(&token), big.clone()).await;
        expect_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    }
    let resp = raw(&app, Method::POST, "/api/auth/register", None, big.clone()).await;
    expect_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // Far over the limit too. The server answers without reading it all and closes the
    // connection, so the client may see that as a failed body write instead of the 413.
    let huge = vec![b' '; 8 * 1024 * 1024];
    let sent = app
        .request(Method::POST, "/api/tweets", Some(&token))
        .header(CONTENT_TYPE, "application/json")
        .body(huge)
        .send()
        .await;
    match sent {
        Ok(resp) => {
            expect_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        }
        Err(e) => assert!(e.is_request(), "not a refused body write: {e:?}"),
    }

    // Just under the limit is read (and then judged on its content).
    let under = json!({"content": "a".repeat(60 * 1024)}).to_string();
    let resp = raw(&app, Method::POST, "/api/tweets", Some(&token), under).await;
    let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error["field"], "content");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_without_a_json_content_type_are_415() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    let body = r#"{"content": "hello"}"#;

    // No Content-Type at all, then ones that are not JSON.
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonx"),
        Some("json"),
        Some(""),
    ] {
        let mut request = app.request(Method::POST, "/api/tweets", Some(&token));
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let resp = request.body(body).send().await.unwrap();
        expect_error(
            resp,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        )
        .await;
    }
    // A form is taken there (the text and its files in one request): JSON sent as one
    // is a form that cannot be read.
    let resp = app
        .request(Method::POST, "/api/tweets", Some(&token))
        .header(CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(body)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::BAD_REQUEST, "malformed_body").await;
    let resp = app
        .request(Method::POST, "/api/auth/login", None)
        .body(r#"{"username": "ada", "password": "whatever1"}"#)
        .send()
        .await
        .unwrap();
    expect_error(
        resp,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    // A charset parameter or different case is still JSON.
    for content_type in ["application/json; charset=utf-8", "Application/JSON"] {
        let resp = app
            .request(Method::POST, "/api/tweets", Some(&token))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        expect_status(resp, StatusCode::CREATED).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_of_the_wrong_shape_is_422_naming_the_field() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    let id = id_of(&app.post_tweet(&token, "target").await);
    let tweet = format!("/api/tweets/{id}");
    let engagement = format!("/api/tweets/{id}/engagement");
    let restore = format!("/api/tweets/{id}/restore");

    let cases: Vec<(&str, Value, &str)> = vec![
        ("/api/tweets", json!({}), "content"),
        ("/api/tweets", json!({"content": 5}), "content"),
        ("/api/tweets", json!({"content": null}), "content"),
        ("/api/tweets", json!({"content": ["a"]}), "content"),
        (
            "/api/tweets",
            json!({"content": "x", "draft": "yes"}),
            "draft",
        ),
        (
            "/api/tweets",
            json!({"content": "x", "replyToId": "abc"}),
            "replyToId",
        ),
        (
            "/api/tweets",
            json!({"content": "x", "replyToId": -1}),
            "replyToId",
        ),
        (
            "/api/tweets",
            json!({"content": "x", "replyToId": 1.5}),
            "replyToId",
        ),
        (
            "/api/tweets",
            json!({"content": "x", "replyToId": "99999999999999999999"}),
            "replyToId",
        ),
        (&engagement, json!({}), "action"),
        (&engagement, json!({"action": 1}), "action"),
        (&restore, json!({"version": "one"}), "version"),
        (&restore, json!({}), "version"),
        ("/api/auth/register", json!({"username": "x"}), "password"),
        (
            "/api/auth/register",
            json!({"username": 7, "password": "long enough"}),
            "username",
        ),
        ("/api/auth/login", json!({"password": "x"}), "username"),
    ];
    for (path, body, field) in &cases {
        let resp = app.post(path, Some(&token), body).await;
        let error = expect_validation(resp, field).await;
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    for body in [json!([]), json!("content"), json!(42), json!(null)] {
        let resp = app.post("/api/tweets", Some(&token), &body).await;
        let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(error["field"].is_string(), "{error}");
    }
    let resp = app
        .put(
            &tweet,
            Some(&token),
            &json!({"content": "x", "expectedVersion": "two"}),
        )
        .await;
    expect_validation(resp, "expectedVersion").await;

    // Account rules.
    for (body, field) in [
        (
            json!({"username": "", "password": "long enough"}),
            "username",
        ),
        (
            json!({"username": "has space", "password": "long enough"}),
            "username",
        ),
        (
            json!({"username": "sixteen_chars_xx", "password": "long enough"}),
            "username",
        ),
        (
            json!({"username": "bobby_tables';", "password": "long enough"}),
            "username",
        ),
        (json!({"username": "bob", "password": "short"}), "password"),
        (
            json!({"username": "bob", "password": "p".repeat(129)}),
            "password",
        ),
        (
            json!({"username": "bob", "password": "long enough", "displayName": "d".repeat(51)}),
            "displayName",
        ),
    ] {
        let resp = app.post("/api/auth/register", None, &body).await;
        expect_validation(resp, field).await;
    }

    // A bad Idempotency-Key.
    for key in ["k".repeat(129).into_bytes(), b"caf\xc3\xa9".to_vec()] {
        let resp = app
            .request(Method::POST, "/api/tweets", Some(&token))
            .header(
                "Idempotency-Key",
                reqwest::header::HeaderValue::from_bytes(&key).unwrap(),
            )
            .json(&json!({"content": "keyed"}))
            .send()
            .await
            .unwrap();
        expect_validation(resp, "Idempotency-Key").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_rules_use_weighted_length() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    let id = id_of(&app.post_tweet(&token, "target").await);

    let url = format!("https://example.com/{}", "p".repeat(80));
    let too_long = [
        String::new(),
        " ".to_string(),
        " \n\t\r  \u{3000}".to_string(),
        "a".repeat(281),
        // Most CJK characters weigh 2: 141 of them weigh 282.
        "漢".repeat(141),
        "🐦".repeat(141),
        // A URL weighs 23 whatever its length: 257 + 1 + 23 = 281.
        format!("{} {url}", "a".repeat(257)),
        "a".repeat(10_000),
    ];
    for content in &too_long {
        let resp = app
            .post("/api/tweets", Some(&token), &json!({"content": content}))
            .await;
        expect_validation(resp, "content").await;
        let resp = app
            .put(
                &format!("/api/tweets/{id}"),
                Some(&token),
                &json!({"content": content}),
            )
            .await;
        expect_validation(resp, "content").await;
    }

    for content in [
        "a".repeat(280),
        "漢".repeat(140),
        format!("{} {url}", "a".repeat(256)),
        "x".to_string(),
    ] {
        let tweet = app.post_tweet(&token, &content).await;
        assert_eq!(tweet["content"], content.as_str());
    }
    // Only the five accepted tweets and the target exist.
    let page = app.get_ok("/api/tweets?limit=100", None).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert_eq!(
        app.get_ok(&format!("/api/tweets/{id}"), None).await["version"],
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_engagement_actions_are_422() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    let id = id_of(&app.post_tweet(&token, "target").await);
    for action in ["love", "", "LIKE", " like", "like; DROP TABLE likes"] {
        let resp = app
            .post(
                &format!("/api/tweets/{id}/engagement"),
                Some(&token),
                &json!({"action": action}),
            )
            .await;
        expect_validation(resp, "action").await;
    }
    let tweet = app.get_ok(&format!("/api/tweets/{id}"), None).await;
    assert_eq!(tweet["engagement"]["likes"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_that_are_not_numbers_are_400() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;

    let bad_ids = [
        "abc",
        "-1",
        "+1",
        "1.5",
        "1e3",
        "0x10",
        "%20",
        "1%20",
        "9223372036854775808",
        "99999999999999999999999999",
        "%F0%9F%90%A6",
        "1;DROP%20TABLE%20tweets",
    ];
    for id in bad_ids {
        let get = [
            format!("/api/tweets/{id}"),
            format!("/api/tweets/{id}/versions"),
            format!("/api/tweets/{id}/events"),
        ];
        for path in &get {
            let resp = app.get(path, Some(&token)).await;
            expect_error(resp, StatusCode::BAD_REQUEST, "invalid_id").await;
        }
        let resp = app.delete(&format!("/api/tweets/{id}"), Some(&token)).await;
        expect_error(resp, StatusCode::BAD_REQUEST, "invalid_id").await;
        let resp = app
            .put(
                &format!("/api/tweets/{id}"),
                Some(&token),
                &json!({"content": "x"}),
            )
            .await;
        expect_error(resp, StatusCode::BAD_REQUEST, "invalid_id").await;
        for action in ["publish", "archive"] {
            let resp = app
                .post_empty(&format!("/api/tweets/{id}/{action}"), Some(&token))
                .await;
            expect_error(resp, StatusCode::BAD_REQUEST, "invalid_id").await;
        }
        let resp = app
            .post(
                &format!("/api/tweets/{id}/engagement"),
                Some(&token),
                &json!({"action": "like"}),
            )
            .await;
        expect_error(resp, StatusCode::BAD_REQUEST, "invalid_id").await;
    }
    // The largest 64-bit id is a number: simply not found.
    let resp = app.get("/api/tweets/9223372036854775807", None).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    let resp = app.get("/api/tweets/0", None).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_cursors_and_limits() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    for cursor in [
        "abc",
        // A bare tweet id is not a cursor: cursors are opaque.
        "386478977465712640",
        "t0000",
        "T5BD1E9952F6CA3B7",
        "-1",
        "1.5",
        "99999999999999999999",
        "%27%20OR%201%3D1",
    ] {
        for path in ["/api/tweets", "/api/me/tweets"] {
            let resp = app
                .get(&format!("{path}?cursor={cursor}"), Some(&token))
                .await;
            let error = expect_error(resp, StatusCode::BAD_REQUEST, "invalid_cursor").await;
            assert_eq!(error["field"], "cursor");
        }
    }
    for limit in ["0", "101", "-1", "1000000"] {
        for path in ["/api/tweets", "/api/me/tweets", "/api/trends/tweets"] {
            let resp = app
                .get(&format!("{path}?limit={limit}"), Some(&token))
                .await;
            let error =
                expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
            assert_eq!(error["field"], "limit", "{path}?limit={limit}");
        }
    }
    for limit in ["abc", "1.5", "99999999999999999999"] {
        let resp = app.get(&format!("/api/tweets?limit={limit}"), None).await;
        expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let resp = app.get("/api/me/tweets?state=deleted", Some(&token)).await;
    expect_validation(resp, "state").await;
    let resp = app.get("/api/me/tweets?state=bogus", Some(&token)).await;
    expect_validation(resp, "state").await;
    for limit in ["1", "100"] {
        app.get_ok(&format!("/api/tweets?limit={limit}"), None)
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_looking_strings_are_stored_literally() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;

    let nasty = [
        "'); DROP TABLE tweets;--",
        "\" OR 1=1 --",
        "Robert'); DELETE FROM likes; -- #sql",
        "%' OR '%'='",
        "\\'; SELECT * FROM users; --",
    ];
    let mut ids = Vec::new();
    for content in nasty {
        let tweet = app.post_tweet(&token, content).await;
        assert_eq!(tweet["content"], content);
        ids.push(id_of(&tweet));
    }
    for (id, content) in ids.iter().zip(nasty) {
        let tweet = app.get_ok(&format!("/api/tweets/{id}"), None).await;
        assert_eq!(tweet["content"], content);
        let versions = app
            .get_ok(&format!("/api/tweets/{id}/versions"), None)
            .await;
        assert_eq!(versions["items"][0]["content"], content);
    }
    let edited = app
        .edit(&token, &ids[0], "x'; UPDATE tweets SET state=0; --")
        .await;
    assert_eq!(edited["content"], "x'; UPDATE tweets SET state=0; --");

    // SQL in query parameters matches nothing and breaks nothing.
    for query in [
        "author=%27%20OR%20%271%27%3D%271",
        "author=ada%27--",
        "hashtag=%27%20OR%201%3D1%20--",
        "hashtag=%25",
    ] {
        let page = app.get_ok(&format!("/api/tweets?{query}"), None).await;
        assert_eq!(page["items"], json!([]), "{query}");
    }
    let resp = app
        .post(
            "/api/auth/login",
            None,
            &json!({"username": "ada' OR '1'='1", "password": "' OR '1'='1"}),
        )
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    // The server keeps working and every tweet is there.
    let page = app.get_ok("/api/tweets", None).await;
    assert_eq!(page["items"].as_array().unwrap().len(), nasty.len());
    let tagged = app.get_ok("/api/tweets?hashtag=sql", None).await;
    assert_eq!(tagged["items"].as_array().unwrap().len(), 1);
    app.post_tweet(&token, "still here").await;
    app.engage(&token, &ids[1], "like").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_and_wrong_tokens_are_401() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    let id = id_of(&app.post_tweet(&token, "target").await);
    let tweet = format!("/api/tweets/{id}");

    let writes: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::POST,
            "/api/tweets".into(),
            Some(json!({"content": "x"})),
        ),
        (Method::PUT, tweet.clone(), Some(json!({"content": "x"}))),
        (Method::DELETE, tweet.clone(), None),
        (Method::POST, format!("{tweet}/publish"), None),
        (Method::POST, format!("{tweet}/archive"), None),
        (
            Method::POST,
            format!("{tweet}/restore"),
            Some(json!({"version": 1})),
        ),
        (
            Method::POST,
            format!("{tweet}/engagement"),
            Some(json!({"action": "like"})),
        ),
        (Method::POST, "/api/auth/logout".into(), None),
        (Method::GET, "/api/me".into(), None),
        (Method::GET, "/api/me/tweets".into(), None),
    ];
    let reads = [
        tweet.clone(),
        format!("{tweet}/versions"),
        format!("{tweet}/events"),
        "/api/tweets".to_string(),
        "/api/trends/tweets".to_string(),
    ];
    let wrong_headers = [
        "Bearer not-a-real-token",
        "Bearer ",
        "Bearer",
        "Basic YWRhOnBhc3N3b3Jk",
        &format!("Bearer {token}x"),
        &format!("Token {token}"),
        "",
    ];

    for (method, path, body) in &writes {
        let mut req = app.request(method.clone(), path, None);
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.unwrap();
        expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
        for header in wrong_headers {
            let mut req = app
                .request(method.clone(), path, None)
                .header("Authorization", header);
            if let Some(body) = body {
                req = req.json(body);
            }
            let resp = req.send().await.unwrap();
            expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
    // Reads work anonymously, but a token that is present and wrong is still a 401.
    for path in &reads {
        for header in wrong_headers {
            let resp = app
                .request(Method::GET, path, None)
                .header("Authorization", header)
                .send()
                .await
                .unwrap();
            expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
        }
    }
    // None of it changed anything.
    let t = app.get_ok(&tweet, Some(&token)).await;
    assert_eq!(
        (t["version"].as_i64(), t["state"].as_str()),
        (Some(1), Some("published"))
    );
    assert_eq!(t["engagement"]["likes"], 0);
    app.get_ok("/api/me", Some(&token)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_are_404_and_wrong_methods_405_in_json() {
    let app = spawn(|_| {}).await;
    for path in [
        "/api",
        "/api/",
        "/api/nope",
        "/api/tweets/1/nope",
        "/api/tweets/1/versions/2",
        "/api/auth",
    ] {
        for method in [Method::GET, Method::POST, Method::DELETE] {
            let resp = app.request(method, path, None).send().await.unwrap();
            expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
        }
    }
    for (method, path) in [
        (Method::PATCH, "/api/tweets"),
        (Method::DELETE, "/api/tweets"),
        (Method::PUT, "/api/tweets/1/engagement"),
        (Method::GET, "/api/auth/login"),
        (Method::GET, "/api/tweets/1/publish"),
        (Method::DELETE, "/api/health"),
        (Method::POST, "/api/openapi.json"),
        (Method::POST, "/metrics"),
    ] {
        let resp = app.request(method, path, None).send().await.unwrap();
        expect_error(resp, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exceeding_rate_limits_is_429_with_retry_after() {
    let app = spawn(|c| c.api.rate_limits = Some(TIGHT_LIMITS)).await;

    let health = || app.get("/api/health", None);
    let (before, resp) = until_limited(health).await;
    // A burst of 5 is allowed first.
    assert!(before >= 5, "limited after {before} requests");
    let retry_after: u64 = resp.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After is a number of seconds");
    assert!(
        (1..=60).contains(&retry_after),
        "Retry-After: {retry_after}"
    );
    expect_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // Writes are limited too, with the same shape.
    let account = json!({"username": "ada", "password": "long enough"});
    let register = || app.post("/api/auth/register", None, &account);
    let (_, resp) = until_limited(register).await;
    assert!(resp.headers().contains_key(RETRY_AFTER));
    expect_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_apply_per_token() {
    let per_token_only = RateLimits {
        per_ip: (1000, 1000),
        per_token: (5, 5),
        ..RateLimits::default()
    };
    let app = spawn(|c| c.api.rate_limits = Some(per_token_only)).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let (passed, resp) = until_limited(|| app.get("/api/me", Some(&ada))).await;
    assert!(passed >= 5, "limited after {passed} requests");
    assert!(resp.headers().contains_key(RETRY_AFTER));
    expect_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Other tokens, and requests without one, have their own budgets.
    app.get_ok("/api/me", Some(&bob)).await;
    app.get_ok("/api/health", None).await;
}

/// Send until the server answers 429: the number of requests let through, and the 429.
async fn until_limited<F, Fut>(mut send: F) -> (usize, reqwest::Response)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = reqwest::Response>,
{
    for passed in 0..50 {
        let resp = send().await;
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            return (passed, resp);
        }
        assert!(!resp.status().is_server_error(), "{}", resp.status());
    }
    panic!("50 requests in a row were never rate limited");
}

/// xorshift64*: a tiny deterministic generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Random bytes, random mutations of valid bodies, and valid JSON with strange strings.
fn fuzz_body(rng: &mut Rng) -> Vec<u8> {
    const SEEDS: &[&str] = &[
        r#"{"content": "hello #tag @user https://example.com"}"#,
        r#"{"content": "x", "replyToId": "1", "draft": true}"#,
        r#"{"content": "x", "expectedVersion": 1}"#,
        r#"{"content": "\u0000\uffff\ud83d\ude00"}"#,
    ];
    const CHARS: &[char] = &[
        'a',
        ' ',
        '#',
        '@',
        '$',
        '/',
        ':',
        '.',
        '\0',
        '\u{7}',
        '\u{200d}',
        '\u{202e}',
        '\u{feff}',
        '\u{301}',
        '\u{fffd}',
        '\u{10ffff}',
        '漢',
        '🐦',
        '👩',
        '\u{fe0f}',
        'ﷺ',
        '\n',
        '"',
        '\\',
    ];
    match rng.below(4) {
        0 => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
        1 => {
            let mut bytes = rng.pick(SEEDS).as_bytes().to_vec();
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len() + 1);
                match rng.below(3) {
                    0 if at < bytes.len() => bytes[at] = rng.next() as u8,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, rng.next() as u8),
                }
            }
            bytes
        }
        2 => {
            let content: String = (0..rng.below(400)).map(|_| *rng.pick(CHARS)).collect();
            let mut body = json!({"content": content});
            if rng.below(2) == 0 {
                body["expectedVersion"] = json!(rng.next() as i64);
            }
            if rng.below(3) == 0 {
                body["replyToId"] = json!((rng.next() >> 1).to_string());
            }
            body.to_string().into_bytes()
        }
        _ => {
            let values = [
                json!(null),
                json!(true),
                json!(-0.0),
                json!(1e308),
                json!(u64::MAX),
                json!(i64::MIN),
                json!(""),
                json!([]),
                json!({}),
            ];
            let mut body = json!({});
            for key in ["content", "draft", "replyToId", "expectedVersion", "extra"] {
                if rng.below(2) == 0 {
                    body[key] = rng.pick(&values).clone();
                }
            }
            body.to_string().into_bytes()
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_bodies_never_yield_a_5xx() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    let id = id_of(&app.post_tweet(&token, "fuzz target").await);
    let mut rng = Rng(0x5EED_5EED_1234_5678);

    for i in 0..400 {
        let body = fuzz_body(&mut rng);
        let (method, path) = if i % 2 == 0 {
            (Method::POST, "/api/tweets".to_string())
        } else {
            (Method::PUT, format!("/api/tweets/{id}"))
        };
        let resp = raw(&app, method.clone(), &path, Some(&token), body.clone()).await;
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(
            !status.is_server_error(),
            "#{i} {method} {path} {:?} answered {status}: {text}",
            String::from_utf8_lossy(&body)
        );
        if status.is_client_error() {
            let parsed: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("#{i}: error body is not JSON ({e}): {text}"));
            assert_error_shape(&parsed);
        }
    }
    // And it still serves.
    app.get_ok(&format!("/api/tweets/{id}"), None).await;
    app.post_tweet(&token, "after the fuzz").await;
}
