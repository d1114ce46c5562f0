use super::PageParams;
use crate::AppState;
use crate::dto::*;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, JsonBody, MaybeAuth, QueryParams, TweetPath};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use starling_core::EngagementAction;
use starling_engine::{ListQuery, NewPost, TweetView};
use starling_store::TransitionKind;
use utoipa::IntoParams;

fn tweet_response(status: StatusCode, view: &TweetView) -> Response {
    (status, Json(TweetDto::from(view))).into_response()
}

#[utoipa::path(post, path = "/api/tweets", tag = "tweets", security(("bearer" = [])),
    request_body = CreateTweetRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key by the same user returns the original tweet")),
    responses((status = 201, body = TweetDto), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    headers: HeaderMap,
    JsonBody(req): JsonBody<CreateTweetRequest>,
) -> ApiResult<Response> {
    let idempotency_key = match headers.get("idempotency-key") {
        Some(v) => Some(
            v.to_str()
                .map_err(|_| ApiError::validation("Idempotency-Key", "must be printable ASCII"))?
                .to_string(),
        ),
        None => None,
    };
    let post = NewPost {
        content: req.content,
        reply_to: req.reply_to_id,
        draft: req.draft,
        idempotency_key,
    };
    let (view, _fresh) = state.engine.post(&user, post).await?;
    Ok(tweet_response(StatusCode::CREATED, &view))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// A username or a user id.
    pub author: Option<String>,
    /// A hashtag, with or without `#`; matched case-insensitively.
    pub hashtag: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/tweets", tag = "tweets", params(ListParams),
    responses((status = 200, body = TweetPage), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    QueryParams(p): QueryParams<ListParams>,
) -> ApiResult<Response> {
    let (before, limit) = PageParams {
        cursor: p.cursor,
        limit: p.limit,
    }
    .parse()?;
    let query = ListQuery {
        author: p.author.filter(|a| !a.is_empty()),
        hashtag: p.hashtag.filter(|h| !h.is_empty()),
        before,
        limit,
    };
    let page = state.engine.list(query, viewer.viewer()).await?;
    Ok(Json(TweetPage {
        items: page.items.iter().map(TweetDto::from).collect(),
        next_cursor: page.next_cursor.map(|c| c.to_string()),
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/tweets/{id}", tag = "tweets", params(("id" = String, Path)),
    responses((status = 200, body = TweetDto), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    TweetPath(id): TweetPath,
) -> ApiResult<Response> {
    let view = state.engine.tweet(id, viewer.viewer()).await?;
    Ok(tweet_response(StatusCode::OK, &view))
}

#[utoipa::path(put, path = "/api/tweets/{id}", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = EditTweetRequest,
    responses((status = 200, body = TweetDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
    JsonBody(req): JsonBody<EditTweetRequest>,
) -> ApiResult<Response> {
    let view = state
        .engine
        .edit(&user, id, &req.content, req.expected_version)
        .await?;
    Ok(tweet_response(StatusCode::OK, &view))
}

#[utoipa::path(delete, path = "/api/tweets/{id}", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
) -> ApiResult<StatusCode> {
    state
        .engine
        .transition(&user, id, TransitionKind::Delete)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn transition(
    state: AppState,
    user: starling_engine::User,
    id: starling_core::TweetId,
    kind: TransitionKind,
) -> ApiResult<Response> {
    match state.engine.transition(&user, id, kind).await? {
        Some(view) => Ok(tweet_response(StatusCode::OK, &view)),
        None => Err(ApiError::not_found()),
    }
}

#[utoipa::path(post, path = "/api/tweets/{id}/publish", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TweetDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
) -> ApiResult<Response> {
    transition(state, user, id, TransitionKind::Publish).await
}

#[utoipa::path(post, path = "/api/tweets/{id}/archive", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TweetDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn archive(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
) -> ApiResult<Response> {
    transition(state, user, id, TransitionKind::Archive).await
}

#[utoipa::path(post, path = "/api/tweets/{id}/restore", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = RestoreRequest,
    responses((status = 200, body = TweetDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
    JsonBody(req): JsonBody<RestoreRequest>,
) -> ApiResult<Response> {
    let view = state.engine.restore(&user, id, req.version).await?;
    Ok(tweet_response(StatusCode::OK, &view))
}

#[utoipa::path(get, path = "/api/tweets/{id}/versions", tag = "tweets", params(("id" = String, Path)),
    responses((status = 200, body = VersionList), (status = 404, body = ErrorBody)))]
pub async fn versions(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    TweetPath(id): TweetPath,
) -> ApiResult<Json<VersionList>> {
    let items = state.engine.versions(id, viewer.viewer()).await?;
    Ok(Json(VersionList {
        items: items.into_iter().map(VersionDto::from).collect(),
    }))
}

#[utoipa::path(get, path = "/api/tweets/{id}/events", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = EventList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    TweetPath(id): TweetPath,
) -> ApiResult<Json<EventList>> {
    let items = state.engine.events(id, viewer.viewer()).await?;
    Ok(Json(EventList {
        items: items.into_iter().map(EventDto::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/tweets/{id}/engagement", tag = "engagement", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = EngagementRequest,
    responses((status = 200, body = EngagementDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn engage(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
    JsonBody(req): JsonBody<EngagementRequest>,
) -> ApiResult<Json<EngagementDto>> {
    let action = EngagementAction::parse(&req.action)?;
    let view = state.engine.engage(&user, id, action).await?;
    Ok(Json((&view).into()))
}
