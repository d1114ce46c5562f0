//! The one HTTP client of the tests: raw requests (`get`, `post`, …, answering
//! `reqwest::Response`), requests that report transport failures (`call`, `try_*`,
//! answering [`Reply`]), and typed helpers for the calls most tests make.

use super::{PASSWORD, REQUEST_TIMEOUT};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

/// A response: status and JSON body (`Null` when empty or not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn error_code(&self) -> Option<&str> {
        self.body["error"]["code"].as_str()
    }
}

/// A registered user.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub token: String,
}

impl Account {
    pub fn id_i64(&self) -> i64 {
        self.id.parse().expect("user ids are decimal strings")
    }
}

/// A client of one server; cheap to clone.
#[derive(Clone)]
pub struct Client {
    /// `http://127.0.0.1:<port>`
    pub base: String,
    pub http: reqwest::Client,
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .build()
                .expect("HTTP client"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `ws://127.0.0.1:<port><path>`
    pub fn ws_url(&self, path: &str) -> String {
        format!("ws{}{}", self.base.trim_start_matches("http"), path)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut req = self.http.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req
    }

    /// A request without a body.
    pub async fn send(&self, method: Method, path: &str, token: Option<&str>) -> Response {
        self.request(method.clone(), path, token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
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

    /// A request (with a JSON body, if any) that must answer `status`; its JSON body.
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        status: StatusCode,
    ) -> Value {
        let resp = match body {
            Some(body) => self.send_json(method, path, token, body).await,
            None => self.send(method, path, token).await,
        };
        expect_status(resp, status).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::GET, path, token).await
    }

    /// GET expecting 200, returning the JSON body.
    pub async fn get_ok(&self, path: &str, token: Option<&str>) -> Value {
        self.expect(Method::GET, path, token, None, StatusCode::OK)
            .await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send_json(Method::POST, path, token, body).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send_json(Method::PUT, path, token, body).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::DELETE, path, token).await
    }

    /// POST without a body (the lifecycle transitions).
    pub async fn post_empty(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Method::POST, path, token).await
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
        let created = StatusCode::CREATED;
        self.expect(
            Method::POST,
            "/api/tweets",
            Some(token),
            Some(body),
            created,
        )
        .await
    }

    /// Like, unlike, retweet, unretweet or view; expecting 200 and returning the engagement.
    pub async fn engage(&self, token: &str, id: &str, action: &str) -> Value {
        let path = format!("/api/tweets/{id}/engagement");
        let body = json!({"action": action});
        self.expect(
            Method::POST,
            &path,
            Some(token),
            Some(&body),
            StatusCode::OK,
        )
        .await
    }

    /// Edit, expecting 200 and returning the tweet.
    pub async fn edit(&self, token: &str, id: &str, content: &str) -> Value {
        let path = format!("/api/tweets/{id}");
        let body = json!({"content": content});
        self.expect(Method::PUT, &path, Some(token), Some(&body), StatusCode::OK)
            .await
    }

    /// A lifecycle transition (`publish`, `archive`), expecting 200 and returning the tweet.
    pub async fn transition(&self, token: &str, id: &str, action: &str) -> Value {
        let path = format!("/api/tweets/{id}/{action}");
        self.expect(Method::POST, &path, Some(token), None, StatusCode::OK)
            .await
    }

    /// Every change to the tweet at `path` by `token` (edit, delete, the `transition`,
    /// restoring version 1) answers `status` with `code`.
    pub async fn expect_changes_refused(
        &self,
        path: &str,
        token: Option<&str>,
        transition: &str,
        status: StatusCode,
        code: &str,
    ) {
        let changes = [
            (
                Method::PUT,
                path.to_string(),
                Some(json!({"content": "changed"})),
            ),
            (Method::DELETE, path.to_string(), None),
            (Method::POST, format!("{path}/{transition}"), None),
            (
                Method::POST,
                format!("{path}/restore"),
                Some(json!({"version": 1})),
            ),
        ];
        for (method, path, body) in changes {
            let resp = match &body {
                Some(body) => self.send_json(method, &path, token, body).await,
                None => self.send(method, &path, token).await,
            };
            expect_error(resp, status, code).await;
        }
    }

    pub async fn stats(&self) -> Value {
        self.get_ok("/api/tweets/system/stats", None).await
    }

    /// One request; transport failures (refused, reset, timeout) are `Err`.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Result<Reply, reqwest::Error> {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Reply { status, body })
    }

    /// A request that must reach the server.
    pub async fn must(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let what = format!("{method} {path}");
        self.call(method, path, token, body)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    /// A GET that must reach the server, whatever it answers.
    pub async fn get_reply(&self, path: &str, token: Option<&str>) -> Reply {
        self.must(reqwest::Method::GET, path, token, None).await
    }

    /// Register `username`, expecting 201.
    pub async fn account(&self, username: &str) -> Account {
        let reply = self
            .must(
                reqwest::Method::POST,
                "/api/auth/register",
                None,
                Some(json!({"username": username, "password": PASSWORD})),
            )
            .await;
        assert_eq!(reply.status, 201, "register {username}: {:?}", reply.body);
        Account {
            id: reply.body["user"]["id"]
                .as_str()
                .expect("user.id is a string")
                .to_string(),
            username: username.to_string(),
            token: reply.body["token"]
                .as_str()
                .expect("token is a string")
                .to_string(),
        }
    }

    pub async fn try_post(
        &self,
        token: &str,
        content: &str,
        reply_to: Option<&str>,
    ) -> Result<Reply, reqwest::Error> {
        let mut body = json!({"content": content});
        if let Some(parent) = reply_to {
            body["replyToId"] = json!(parent);
        }
        self.call(
            reqwest::Method::POST,
            "/api/tweets",
            Some(token),
            Some(body),
        )
        .await
    }

    pub async fn try_edit(
        &self,
        token: &str,
        id: &str,
        content: &str,
        expected_version: Option<i64>,
    ) -> Result<Reply, reqwest::Error> {
        let mut body = json!({"content": content});
        if let Some(v) = expected_version {
            body["expectedVersion"] = json!(v);
        }
        self.call(
            reqwest::Method::PUT,
            &format!("/api/tweets/{id}"),
            Some(token),
            Some(body),
        )
        .await
    }

    pub async fn try_engage(
        &self,
        token: &str,
        id: &str,
        action: &str,
    ) -> Result<Reply, reqwest::Error> {
        self.call(
            reqwest::Method::POST,
            &format!("/api/tweets/{id}/engagement"),
            Some(token),
            Some(json!({"action": action})),
        )
        .await
    }

    pub async fn like(&self, token: &str, id: &str) -> Reply {
        self.try_engage(token, id, "like")
            .await
            .expect("POST engagement like")
    }

    /// `GET /api/tweets/:id` that must answer 200.
    pub async fn tweet(&self, id: &str, token: Option<&str>) -> Value {
        let reply = self.get_reply(&format!("/api/tweets/{id}"), token).await;
        assert_eq!(reply.status, 200, "GET tweet {id}: {:?}", reply.body);
        reply.body
    }

    /// `GET /api/tweets/:id/versions` items, which must answer 200.
    pub async fn versions(&self, id: &str) -> Vec<Value> {
        let reply = self
            .get_reply(&format!("/api/tweets/{id}/versions"), None)
            .await;
        assert_eq!(reply.status, 200, "GET versions {id}: {:?}", reply.body);
        reply.body["items"]
            .as_array()
            .expect("versions.items is an array")
            .clone()
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
