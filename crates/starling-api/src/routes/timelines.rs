//! `/api/timelines/*`: the signed-in user's home timeline and the public one.

use super::PageParams;
use crate::AppState;
use crate::dto::{TweetDto, TweetPage};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, MaybeAuth, QueryParams};
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use starling_engine::ListQuery;
use utoipa::ToSchema;

/// A page of the home timeline.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HomePageDto<'a> {
    pub items: Vec<TweetDto<'a>>,
    /// Pass as `cursor` for the next page; null at the end.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
    /// The stored timeline could not be rebuilt in time: this page may miss tweets
    /// (asking again later gives the whole page).
    pub partial: bool,
}

#[utoipa::path(get, path = "/api/timelines/home", tag = "timelines", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = HomePageDto, description = "The tweets and retweets of the accounts the caller follows and their own, newest first, each as the caller may see it; none by accounts they block, are blocked by or mute"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce"),
        (status = 401, body = ErrorBody, description = "`unauthorized`: no valid bearer token")))]
pub async fn home(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Response> {
    let (before, limit) = p.parse()?;
    let page = state.engine.home(user.id, before, limit).await?;
    // The shape of `HomePageDto`, written directly (see `page_response`).
    Ok(super::page_response(
        &page.items,
        page.next_cursor,
        Some(page.partial),
    ))
}

#[utoipa::path(get, path = "/api/timelines/public", tag = "timelines", security((), ("bearer" = [])), params(PageParams),
    responses((status = 200, body = TweetPage, description = "The latest public tweets (as `GET /api/tweets` without filters)"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce")))]
pub async fn public(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Response> {
    let (before, limit) = p.parse()?;
    let query = ListQuery {
        before,
        limit,
        ..ListQuery::default()
    };
    let page = state.engine.list(query, viewer.viewer()).await?;
    Ok(super::tweet_page(&page))
}
