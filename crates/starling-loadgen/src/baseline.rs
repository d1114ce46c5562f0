//! The minimal handler: the same routes as Starling for the operations the benchmark measures,
//! answered from memory with fixed, tweet-shaped JSON. Measured in the same run, it is this
//! machine's HTTP ceiling (axum + hyper + tokio on loopback), so the server's figures read as a
//! fraction of what any axum server could do here.
//!
//! Registration, `/api/me` and likes are implemented just enough for every scenario to run
//! against it (likes are tracked per user, so the exact-count check holds here too).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Result;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

/// What `GET /api/health` answers as `version`, so a report can tell the baseline from Starling.
pub const VERSION: &str = "baseline";

const HEALTH: &str = r#"{"status":"ok","version":"baseline","uptimeSeconds":0}"#;
const FIXED_ID: u64 = 7_254_916_810_850_304;

#[derive(Default)]
struct Likes {
    /// Lets `GET /api/tweets/:id` serve its fixed body with one atomic load until the first like.
    any: AtomicBool,
    /// Tweet id → tokens that like it. A std mutex: held for a hash lookup, never across an await.
    by_tweet: Mutex<HashMap<u64, HashSet<Bytes>>>,
}

type Shared = Arc<Likes>;

pub fn router() -> Router {
    Router::new()
        .route(
            "/api/health",
            get(|| async { json(StatusCode::OK, Bytes::from_static(HEALTH.as_bytes())) }),
        )
        .route("/api/auth/register", post(register))
        .route("/api/me", get(me))
        .route("/api/tweets", post(create))
        .route("/api/tweets/system/stats", get(stats))
        .route("/api/tweets/{id}", get(tweet))
        .route("/api/tweets/{id}/engagement", post(engage))
        .with_state(Shared::default())
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    axum::serve(listener, router())
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

fn json(status: StatusCode, body: Bytes) -> Response {
    (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response()
}

/// A tweet as the API describes it, about 600 bytes.
fn tweet_json(id: u64, likes: u64) -> String {
    format!(
        concat!(
            r#"{{"id":"{id}","author":{{"id":"7254916781490176","username":"ada","displayName":"Ada"}},"#,
            r#""content":"Starlings turning over the river at dusk #starling","#,
            r#""contentHash":"5b0c6f1e4d0bd2f0e6a3c0f9a1f7d3c2b8e4a6d5c7b9e1f3a5c7e9b1d3f5a7c9","version":1,"state":"published","#,
            r#""createdAt":"2026-11-22T10:00:00.123Z","updatedAt":"2026-11-22T10:00:00.123Z","replyToId":null,"#,
            r#""entities":{{"hashtags":[{{"tag":"starling","indices":[41,50]}}],"mentions":[],"urls":[],"cashtags":[]}},"#,
            r#""engagement":{{"likes":{likes},"retweets":0,"replies":0,"views":0,"likedByCurrentUser":false,"#,
            r#""retweetedByCurrentUser":false,"velocity":{{"oneMinute":0.0,"fiveMinutes":0.0,"sixtyMinutes":0.0}}}}}}"#
        ),
        id = id,
        likes = likes
    )
}

fn fixed_tweet() -> Bytes {
    static FIXED: OnceLock<Bytes> = OnceLock::new();
    FIXED
        .get_or_init(|| Bytes::from(tweet_json(FIXED_ID, 0)))
        .clone()
}

async fn tweet(State(likes): State<Shared>, Path(id): Path<u64>) -> Response {
    if !likes.any.load(Ordering::Relaxed) {
        return json(StatusCode::OK, fixed_tweet());
    }
    let count = likes
        .by_tweet
        .lock()
        .expect("not poisoned")
        .get(&id)
        .map_or(0, |s| s.len() as u64);
    json(StatusCode::OK, Bytes::from(tweet_json(id, count)))
}

async fn create(headers: HeaderMap, _body: Bytes) -> Response {
    if !headers.contains_key(AUTHORIZATION) {
        return unauthorized();
    }
    json(StatusCode::CREATED, fixed_tweet())
}

#[derive(Deserialize)]
struct Register {
    username: String,
}

async fn register(body: Bytes) -> Response {
    let Ok(r) = serde_json::from_slice::<Register>(&body) else {
        return json(
            StatusCode::BAD_REQUEST,
            Bytes::from_static(
                br#"{"error":{"code":"malformed_json","message":"malformed JSON"}}"#,
            ),
        );
    };
    let body = serde_json::json!({
        "user": {"id": "1", "username": r.username, "displayName": r.username, "createdAt": "2026-11-22T10:00:00.123Z"},
        "token": format!("baseline-{}", r.username),
    });
    json(StatusCode::CREATED, Bytes::from(body.to_string()))
}

async fn me(headers: HeaderMap) -> Response {
    if !headers.contains_key(AUTHORIZATION) {
        return unauthorized();
    }
    json(StatusCode::OK, Bytes::from_static(br#"{"id":"1","username":"baseline","displayName":"baseline","createdAt":"2026-11-22T10:00:00.123Z"}"#))
}

#[derive(Deserialize)]
struct Engage {
    action: String,
}

async fn engage(
    State(likes): State<Shared>,
    Path(id): Path<u64>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(token) = headers.get(AUTHORIZATION) else {
        return unauthorized();
    };
    let Ok(engage) = serde_json::from_slice::<Engage>(&body) else {
        return json(
            StatusCode::BAD_REQUEST,
            Bytes::from_static(
                br#"{"error":{"code":"malformed_json","message":"malformed JSON"}}"#,
            ),
        );
    };
    let count = {
        let mut map = likes.by_tweet.lock().expect("not poisoned");
        let set = map.entry(id).or_default();
        match engage.action.as_str() {
            "like" => {
                set.insert(Bytes::copy_from_slice(token.as_bytes()));
            }
            "unlike" => {
                set.remove(token.as_bytes());
            }
            "view" | "retweet" | "unretweet" => {}
            _ => {
                return json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Bytes::from_static(br#"{"error":{"code":"validation_failed","message":"unknown action","field":"action"}}"#),
                );
            }
        }
        set.len()
    };
    likes.any.store(true, Ordering::Relaxed);
    let body = format!(
        r#"{{"likes":{count},"retweets":0,"replies":0,"views":0,"likedByCurrentUser":false,"retweetedByCurrentUser":false,"velocity":{{"oneMinute":0.0,"fiveMinutes":0.0,"sixtyMinutes":0.0}}}}"#
    );
    json(StatusCode::OK, Bytes::from(body))
}

async fn stats() -> Response {
    let (_, rss) = crate::memory::proc_status(std::process::id());
    let body = format!(
        r#"{{"uptimeSeconds":0,"memory":{{"rssBytes":{}}}}}"#,
        rss.unwrap_or(0)
    );
    json(StatusCode::OK, Bytes::from(body))
}

fn unauthorized() -> Response {
    json(
        StatusCode::UNAUTHORIZED,
        Bytes::from_static(br#"{"error":{"code":"unauthorized","message":"missing token"}}"#),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_tweet_is_valid_json_of_tweet_size() {
        let body = fixed_tweet();
        assert!((550..=700).contains(&body.len()), "{}", body.len());
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["id"], "7254916810850304");
        assert_eq!(v["engagement"]["likes"], 0);
    }
}
