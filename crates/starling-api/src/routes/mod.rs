//! Handlers, one module per URL prefix.

pub mod auth;
pub mod me;
pub mod notifications;
pub mod sessions;
pub mod stream;
pub mod system;
pub mod timelines;
pub mod trends;
pub mod tweets;
pub mod users;

use crate::AppState;
use crate::error::{ApiError, ErrorCode};
use crate::openapi::Doc;
use serde::Deserialize;
use starling_core::TweetId;
use utoipa::{IntoParams, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every documented route, once: this list both routes requests (each handler's
/// `#[utoipa::path]` names its method and path) and makes the OpenAPI document
/// ([`crate::openapi::document`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(Doc::openapi())
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(sessions::logout_all))
        .routes(routes!(auth::me, users::update_me))
        .routes(routes!(users::search))
        .routes(routes!(users::suggestions))
        .routes(routes!(users::profile))
        .routes(routes!(users::follow, users::unfollow))
        .routes(routes!(users::block, users::unblock))
        .routes(routes!(users::mute, users::unmute))
        .routes(routes!(users::user_tweets))
        .routes(routes!(users::followers))
        .routes(routes!(users::following))
        .routes(routes!(users::follow_requests))
        .routes(routes!(users::accept))
        .routes(routes!(users::reject))
        .routes(routes!(users::blocks))
        .routes(routes!(users::mutes))
        .routes(routes!(sessions::list))
        .routes(routes!(sessions::revoke))
        .routes(routes!(me::own_tweets))
        .routes(routes!(tweets::list, tweets::create))
        .routes(routes!(system::stats))
        .routes(routes!(tweets::get, tweets::edit, tweets::delete))
        .routes(routes!(tweets::thread))
        .routes(routes!(tweets::versions))
        .routes(routes!(tweets::events))
        .routes(routes!(tweets::publish))
        .routes(routes!(tweets::archive))
        .routes(routes!(tweets::restore))
        .routes(routes!(tweets::engage))
        .routes(routes!(tweets::retweet, tweets::unretweet))
        .routes(routes!(tweets::quotes))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::unread_count))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(timelines::home))
        .routes(routes!(timelines::public))
        .routes(routes!(trends::tweets))
        .routes(routes!(stream::stream))
        .routes(routes!(system::health))
        .routes(routes!(system::openapi))
        .routes(routes!(system::metrics))
}

/// `cursor` and `limit` of list endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Opaque cursor from a previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// 1-100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

impl PageParams {
    /// A tweet list's position and page size.
    pub fn parse(&self) -> Result<(Option<TweetId>, usize), ApiError> {
        self.parse_with(decode_cursor)
    }

    /// The page size and the position `decode` reads from the cursor: 422 for a limit
    /// out of range, 400 `invalid_cursor` for a cursor `decode` does not recognise.
    pub fn parse_with<P>(
        &self,
        decode: impl FnOnce(&str) -> Option<P>,
    ) -> Result<(Option<P>, usize), ApiError> {
        let limit = match self.limit {
            None => 20,
            Some(n @ 1..=100) => n as usize,
            Some(_) => {
                return Err(ApiError::validation(
                    "limit",
                    "limit must be between 1 and 100",
                ));
            }
        };
        let before = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(c) => Some(decode(c).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidCursor,
                    "the cursor is not one this server produced",
                )
                .with_field("cursor")
            })?),
        };
        Ok((before, limit))
    }
}

/// Cursors are opaque: a version letter and 16 hex digits. Clients pass back what they
/// were given; anything else (a bare tweet id included) is refused, so the format can
/// change (to a position in commit order, say) without clients noticing.
/// A page of tweets as every list endpoint answers it.
pub(crate) fn tweet_page(page: &starling_engine::Page) -> axum::response::Response {
    json_page(
        &crate::dto::TweetPage {
            items: page.items.iter().map(crate::dto::TweetDto::from).collect(),
            next_cursor: page.next_cursor.map(encode_cursor),
        },
        page.items.len(),
    )
}

/// A page of `items` tweets as JSON, written into a buffer sized for it at once: grown
/// from axum's 128 bytes, a 20-tweet page was copied a dozen times over.
pub(crate) fn json_page<T: serde::Serialize>(value: &T, items: usize) -> axum::response::Response {
    use axum::response::IntoResponse;
    const PER_TWEET: usize = 1_024;
    let mut body = Vec::with_capacity(64 + items * PER_TWEET);
    match serde_json::to_writer(&mut body, value) {
        Ok(()) => (
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        // Not for these types (string keys only); axum's answer if it ever were.
        Err(_) => axum::Json(value).into_response(),
    }
}

pub fn encode_cursor(last: TweetId) -> String {
    format!("t{:016x}", last.0 as u64 ^ CURSOR_MASK)
}

fn decode_cursor(cursor: &str) -> Option<TweetId> {
    let hex = cursor.strip_prefix('t')?;
    if hex.len() != 16
        || !hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return None;
    }
    let id = u64::from_str_radix(hex, 16).ok()? ^ CURSOR_MASK;
    i64::try_from(id).ok().map(TweetId)
}

/// Keeps cursors from reading as tweet ids (which clients would then build themselves).
const CURSOR_MASK: u64 = 0x5bd1_e995_2f6c_a3b7;
