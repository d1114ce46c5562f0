use super::PageParams;
use crate::AppState;
use crate::dto::TweetPage;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, QueryParams};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use starling_core::TweetState;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OwnParams {
    /// `draft`, `published`, `edited` or `archived`; all of them when absent or empty.
    #[param(pattern = "^(draft|published|edited|archived)?$")]
    pub state: Option<String>,
    /// Opaque cursor from a previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// 1-100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/me/tweets", tag = "accounts", security(("bearer" = [])), params(OwnParams),
    responses((status = 200, body = TweetPage),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce")))]
pub async fn own_tweets(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    QueryParams(p): QueryParams<OwnParams>,
) -> ApiResult<Response> {
    let (before, limit) = PageParams {
        cursor: p.cursor,
        limit: p.limit,
    }
    .parse()?;
    let wanted = match p.state.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            TweetState::parse(s)
                .filter(|s| *s != TweetState::Deleted)
                .ok_or_else(|| {
                    ApiError::validation(
                        "state",
                        "state must be draft, published, edited or archived",
                    )
                })?,
        ),
    };
    let page = state
        .engine
        .own_tweets(&user, wanted, before, limit)
        .await?;
    Ok(super::tweet_page(&page))
}
