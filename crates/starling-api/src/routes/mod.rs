//! Handlers, one module per URL prefix.

pub mod auth;
pub mod me;
pub mod stream;
pub mod system;
pub mod trends;
pub mod tweets;

use crate::error::ApiError;
use serde::Deserialize;
use starling_core::TweetId;
use utoipa::IntoParams;

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
    pub fn parse(&self) -> Result<(Option<TweetId>, usize), ApiError> {
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
            Some(c) => Some(c.parse::<TweetId>().map_err(|_| {
                ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "invalid_cursor",
                    "the cursor is not valid",
                )
                .with_field("cursor")
            })?),
        };
        Ok((before, limit))
    }
}
