//! `spawn_app`: the real server, in-process, on a random port with a fresh data
//! directory, and a client with helpers for the calls most tests make.
//!
//! Each integration test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use starling_api::rate_limit::RateLimits;
use starling_server::config::Config;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct horse battery";

/// Limits small enough for a test to exceed them in a few requests.
pub const TIGHT_LIMITS: RateLimits = RateLimits {
    per_ip: (5, 5),
    per_token: (5, 5),
    auth_per_ip: (5, 5),
};

/// A running server. Dropping it signals shutdown; the test's runtime ends the rest.
pub struct TestApp {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:<port>`
    pub base: String,
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// Kept so the directory outlives the server.
    _data_dir: tempfile::TempDir,
}

/// The server with rate limits off, as load tests run it.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(None).await
}

/// The server with the given rate limits (see [`TIGHT_LIMITS`]).
pub async fn spawn_app_with(rate_limits: Option<RateLimits>) -> TestApp {
    spawn_app_configured(|config| config.api.rate_limits = rate_limits).await
}

/// The server with rate limits off and whatever `tweak` changes in its configuration.
pub async fn spawn_app_configured(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary data directory");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let addr = listener.local_addr().expect("local address");
    let mut config = Config::new(
        &addr.ip().to_string(),
        addr.port(),
        data_dir.path().join("data"),
    );
    config.engine.cache_capacity = 1_000;
    config.api.rate_limits = None;
    tweak(&mut config);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = rx.await;
        };
        // Not a panic: when a test ends, its runtime cancels the server mid-shutdown.
        if let Err(e) = starling_server::run(config, listener, shutdown).await {
            eprintln!("the server stopped with an error: {e:#}");
        }
    });
    // The listener is already bound, so requests queue in its backlog until the server
    // accepts them: no need to wait for start-up. The timeout turns a hang into a failure.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("http client");
    TestApp {
        addr,
        base: format!("http://{addr}"),
        client,
        shutdown: Some(tx),
        task: Some(task),
        _data_dir: data_dir,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl TestApp {
    /// Signal shutdown and wait for the server to finish it; `None` if it has not
    /// within `within`.
    pub async fn shut_down(mut self, within: Duration) -> Option<Duration> {
        let started = std::time::Instant::now();
        let _ = self.shutdown.take().expect("shut down once").send(());
        let task = self.task.take().expect("shut down once");
        tokio::time::timeout(within, task)
            .await
            .ok()
            .map(|_| started.elapsed())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `ws://127.0.0.1:<port><path>`
    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{}", self.addr, path)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token)
            .send()
            .await
            .expect("GET")
    }

    /// GET expecting 200, returning the JSON body.
    pub async fn get_ok(&self, path: &str, token: Option<&str>) -> Value {
        let resp = self.get(path, token).await;
        let status = resp.status();
        let body = resp.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        serde_json::from_str(&body).expect("JSON body")
    }

    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        self.request(method.clone(), path, token)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send_json(Method::POST, path, token, body).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send_json(Method::PUT, path, token, body).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::DELETE, path, token)
            .send()
            .await
            .expect("DELETE")
    }

    /// POST without a body (the lifecycle transitions).
    pub async fn post_empty(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::POST, path, token)
            .send()
            .await
            .expect("POST")
    }

    /// Register `name` and return `(user, token)`.
    pub async fn register(&self, name: &str) -> (Value, String) {
        let resp = self
            .post(
                "/api/auth/register",
                None,
                &json!({"username": name, "password": PASSWORD}),
            )
            .await;
        let body = expect_status(resp, StatusCode::CREATED).await;
        let token = body["token"].as_str().expect("token").to_string();
        (body["user"].clone(), token)
    }

    /// Post a published tweet, expecting 201.
    pub async fn post_tweet(&self, token: &str, content: &str) -> Value {
        self.create(token, &json!({"content": content})).await
    }

    /// Post a draft, expecting 201.
    pub async fn post_draft(&self, token: &str, content: &str) -> Value {
        self.create(token, &json!({"content": content, "draft": true}))
            .await
    }

    pub async fn create(&self, token: &str, body: &Value) -> Value {
        let resp = self.post("/api/tweets", Some(token), body).await;
        expect_status(resp, StatusCode::CREATED).await
    }

    /// Like, unlike, retweet, unretweet or view; expecting 200 and returning the engagement.
    pub async fn engage(&self, token: &str, id: &str, action: &str) -> Value {
        let resp = self
            .post(
                &format!("/api/tweets/{id}/engagement"),
                Some(token),
                &json!({"action": action}),
            )
            .await;
        expect_status(resp, StatusCode::OK).await
    }

    /// Edit, expecting 200 and returning the tweet.
    pub async fn edit(&self, token: &str, id: &str, content: &str) -> Value {
        let resp = self
            .put(
                &format!("/api/tweets/{id}"),
                Some(token),
                &json!({"content": content}),
            )
            .await;
        expect_status(resp, StatusCode::OK).await
    }

    /// A lifecycle transition (`publish`, `archive`), expecting 200 and returning the tweet.
    pub async fn transition(&self, token: &str, id: &str, action: &str) -> Value {
        let resp = self
            .post_empty(&format!("/api/tweets/{id}/{action}"), Some(token))
            .await;
        expect_status(resp, StatusCode::OK).await
    }

    pub async fn stats(&self) -> Value {
        self.get_ok("/api/tweets/system/stats", None).await
    }
}

/// Assert the status and return the JSON body.
pub async fn expect_status(resp: Response, status: StatusCode) -> Value {
    let url = resp.url().clone();
    let got = resp.status();
    let text = resp.text().await.expect("body");
    assert_eq!(got, status, "{url}: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}"))
    }
}

/// Assert an error response: the status, the JSON shape `{"error": {code, message, field?}}`
/// and the code. Returns the `error` object.
pub async fn expect_error(resp: Response, status: StatusCode, code: &str) -> Value {
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = expect_status(resp, status).await;
    assert!(
        content_type.starts_with("application/json"),
        "error content type {content_type:?}"
    );
    assert_error_shape(&body);
    assert_eq!(body["error"]["code"], code, "{body}");
    body["error"].clone()
}

/// `{"error": {"code": string, "message": string, "field"?: string}}` and nothing else.
pub fn assert_error_shape(body: &Value) {
    let outer = body.as_object().expect("error body is an object");
    assert_eq!(outer.len(), 1, "only `error` at the top: {body}");
    let error = body["error"].as_object().expect("`error` is an object");
    assert!(error["code"].is_string(), "{body}");
    assert!(error["message"].is_string(), "{body}");
    for key in error.keys() {
        assert!(
            ["code", "message", "field"].contains(&key.as_str()),
            "unexpected key {key}: {body}"
        );
    }
    if let Some(field) = error.get("field") {
        assert!(field.is_string(), "{body}");
    }
}

/// The `id` of a tweet JSON.
pub fn id_of(tweet: &Value) -> String {
    tweet["id"].as_str().expect("ids are strings").to_string()
}

/// Wait until `check` holds, polling; fails the test after `within`.
pub async fn eventually_ok<F, Fut>(within: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + within;
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "the condition did not hold within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
