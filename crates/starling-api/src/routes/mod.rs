//! Handlers, one module per URL prefix.

pub mod auth;
pub mod me;
pub mod media;
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
        .routes(routes!(tweets::lookup))
        .routes(routes!(tweets::thread))
        .routes(routes!(tweets::versions))
        .routes(routes!(tweets::events))
        .routes(routes!(tweets::publish))
        .routes(routes!(tweets::archive))
        .routes(routes!(tweets::restore))
        .routes(routes!(tweets::engage))
        .routes(routes!(tweets::views))
        .routes(routes!(tweets::retweet, tweets::unretweet))
        .routes(routes!(tweets::quotes))
        .routes(routes!(media::upload_media))
        .routes(routes!(media::get_media, media::describe_media))
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
    page_response(&page.items, page.next_cursor, None)
}

/// A page of tweets as JSON (`TweetPage`, or `HomePageDto` with `partial`), written
/// directly: each tweet by [`crate::dto::write_tweet`], into a buffer sized for the page
/// (grown from axum's 128 bytes, a 20-tweet page was copied a dozen times over).
pub(crate) fn page_response(
    items: &[starling_engine::TweetView],
    next_cursor: Option<TweetId>,
    partial: Option<bool>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let body = page_json(items, next_cursor, partial);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

fn page_json(
    items: &[starling_engine::TweetView],
    next_cursor: Option<TweetId>,
    partial: Option<bool>,
) -> Vec<u8> {
    const PER_TWEET: usize = 1_024;
    let mut out = Vec::with_capacity(64 + items.len() * PER_TWEET);
    out.extend_from_slice(b"{\"items\":");
    crate::dto::write_tweets(&mut out, items);
    out.extend_from_slice(b",\"nextCursor\":");
    match next_cursor {
        // A cursor is `t` and hex digits: nothing to escape.
        Some(last) => {
            out.push(b'"');
            out.extend_from_slice(encode_cursor(last).as_bytes());
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    if let Some(partial) = partial {
        out.extend_from_slice(b",\"partial\":");
        out.extend_from_slice(if partial { b"true" } else { b"false" });
    }
    out.push(b'}');
    out
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

#[cfg(test)]
mod tests {
    use super::timelines::HomePageDto;
    use super::*;
    use crate::dto::{TweetDto, TweetPage};
    use starling_core::content::Content;
    use starling_core::records::{Counters, Mention, TweetRecord, User};
    use starling_core::{TweetState, UserId, Visibility};
    use starling_engine::reading::Embedded;
    use starling_engine::velocity::Rates;
    use starling_engine::{EngagementView, TweetView};
    use std::sync::Arc;

    fn record(id: i64, text: &str, retweet_of: Option<i64>, quote_of: Option<i64>) -> TweetRecord {
        let content = Content::parse(text).unwrap();
        TweetRecord {
            id: TweetId(id),
            position: TweetId(id),
            author: Arc::new(User {
                id: UserId(7),
                username: "ada".into(),
                display_name: "Ada \"the\" Countess \\ 語 🐦".into(),
                created_at: 1,
            }),
            content: content.text().into(),
            content_hash: content.hash(),
            entities_json: content.entities_json().into(),
            version: 2,
            state: TweetState::Published,
            created_at: 1_764_000_000_123,
            updated_at: 1_764_000_100_456,
            reply_to: Some(TweetId(3)),
            reply_to_user: Some(UserId(9)),
            conversation_id: TweetId(3),
            visibility: Visibility::Unlisted,
            mentions: Arc::from([Mention {
                name: "bob".into(),
                user: UserId(9),
            }]),
            retweet_of: retweet_of.map(TweetId),
            quote_of: quote_of.map(TweetId),
            media: std::sync::Arc::from([]),
            counters: Counters {
                likes: 3,
                retweets: 1,
                replies: 2,
                quotes: 1,
                views: 40,
                rev: 5,
            },
            rendered: Default::default(),
        }
    }

    fn view(record: TweetRecord) -> TweetView {
        let counters = record.counters;
        TweetView::plain(
            Arc::new(record),
            EngagementView {
                counters,
                liked: true,
                retweeted: false,
                velocity: Rates {
                    one_minute: 0.5,
                    five_minutes: 0.1,
                    sixty_minutes: 0.0,
                },
            },
        )
    }

    /// Tweets of every shape: plain with escapes, mentions, hashtags and links; a
    /// retweet embedding a quote of a tweet no longer visible; a quote embedding a tweet.
    fn views() -> Vec<TweetView> {
        let text = "hi @bob and @nobody #Tag \"quoted\" \\ back 語 https://example.com/a?b=c";
        let plain = view(record(10, text, None, None));
        let mut quote = view(record(11, "a quote", None, Some(99)));
        quote.quote_of = Some(Embedded::Unavailable(TweetId(99)));
        let mut retweet = view(record(12, "a quote", Some(11), None));
        retweet.retweet_of = Some(Box::new(quote.clone()));
        let mut quoting = view(record(13, "look", None, Some(10)));
        quoting.quote_of = Some(Embedded::Visible(Box::new(plain.clone())));
        vec![plain, quote, retweet, quoting]
    }

    #[test]
    fn pages_written_directly_are_what_serde_writes() {
        let items = views();
        // Twice: the second time from the rendered parts kept with each record.
        for _ in 0..2 {
            let expected = serde_json::to_vec(&TweetPage {
                items: items.iter().map(TweetDto::from).collect(),
                next_cursor: Some(encode_cursor(TweetId(10))),
            })
            .unwrap();
            let written = page_json(&items, Some(TweetId(10)), None);
            assert_eq!(
                String::from_utf8(written).unwrap(),
                String::from_utf8(expected).unwrap()
            );
            let expected = serde_json::to_vec(&HomePageDto {
                items: items.iter().map(TweetDto::from).collect(),
                next_cursor: None,
                partial: true,
            })
            .unwrap();
            let written = page_json(&items, None, Some(true));
            assert_eq!(
                String::from_utf8(written).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
        assert!(items.iter().all(|v| !v.record.rendered.is_empty()));
        let empty = page_json(&[], None, Some(false));
        assert_eq!(empty, br#"{"items":[],"nextCursor":null,"partial":false}"#);
    }

    #[test]
    fn a_changed_copy_of_a_record_is_rendered_again() {
        let original = view(record(10, "before", None, None));
        page_json(std::slice::from_ref(&original), None, None);
        let mut changed = TweetRecord::clone(&original.record);
        changed.content = "after".into();
        let changed = view(changed);
        let page = String::from_utf8(page_json(&[changed], None, None)).unwrap();
        assert!(
            page.contains("\"after\"") && !page.contains("before"),
            "{page}"
        );
    }
}
