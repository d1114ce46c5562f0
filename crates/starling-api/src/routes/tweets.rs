use super::PageParams;
use crate::AppState;
use crate::dto::*;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, JsonBody, MaybeAuth, QueryParams, TweetPath};
use axum::Json;
use axum::extract::{FromRequest, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use starling_core::{Action, Content, EngagementAction, IdempotencyKey, NewTweet};
use starling_engine::threads::Ancestor;
use starling_engine::{ListQuery, TweetView};
use utoipa::IntoParams;

fn tweet_response(status: StatusCode, view: &TweetView) -> Response {
    (status, Json(TweetDto::from(view))).into_response()
}

#[utoipa::path(post, path = "/api/tweets", tag = "tweets", security(("bearer" = [])),
    request_body(content(
        (CreateTweetRequest = "application/json"),
        (CreateTweetForm = "multipart/form-data"),
    )),
    params(("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 128,
        pattern = r"^[\x21-\x7E]{1,128}$",
        description = "1-128 printable ASCII characters. A retry with the same key and body by the same user \
            answers 201 with the original tweet and creates nothing; the same key with another body answers 422")),
    responses((status = 201, body = TweetDto),
        (status = 404, body = ErrorBody, description = "`not_found`: an `Idempotency-Key` whose tweet has since been deleted"),
        (status = 409, body = ErrorBody, description = "`media_not_ready`, `media_in_use`: a media item not ready, or on another tweet"),
        (status = 413, body = ErrorBody, description = "`payload_too_large`: a file of the form over its limit"),
        (status = 415, body = ErrorBody, description = "`unsupported_media_type`: neither JSON nor a form; a file type not accepted"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `content`, `replyToId`, `quoteOfId`, \
            `visibility` (unknown, or wider than the parent's), `mediaIds` or `Idempotency-Key` breaks its rule; \
            `invalid_media_set`: media a tweet may not carry; `invalid_media`: a file of the form is corrupt or too long")))]
pub async fn create(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    req: axum::extract::Request,
) -> Response {
    let headers = req.headers().clone();
    let req = if super::media::is_multipart(&headers) {
        match create_form(&state, &user, req).await {
            Ok(req) => req,
            Err(response) => return response,
        }
    } else {
        match JsonBody::<CreateTweetRequest>::from_request(req, &state).await {
            Ok(JsonBody(req)) => req,
            Err(e) => return e.into_response(),
        }
    };
    create_json(&state, &user, &headers, req)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// The seed's form of a post: the text and its files in one multipart request
/// (`content`, `media` up to 4 times, one `altText` per file in order, and the other
/// fields of [`CreateTweetRequest`] as text). The files are uploaded as by
/// `POST /api/media` (a video waits until it is processed, within the upload deadline),
/// then the tweet is created with them.
async fn create_form(
    state: &AppState,
    user: &starling_engine::User,
    req: axum::extract::Request,
) -> Result<CreateTweetRequest, Response> {
    let mut form =
        super::media::read_form(state, req, "media", starling_core::media::MAX_IMAGES).await?;
    let fail = |e: ApiError| e.into_response();
    let id = |field: &'static str| -> Result<Option<starling_core::TweetId>, ApiError> {
        form.get(field)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse()
                    .map_err(|_| ApiError::validation(field, "ids are decimal 64-bit numbers"))
            })
            .transpose()
    };
    let reply_to_id = id("replyToId").map_err(fail)?;
    let quote_of_id = id("quoteOfId").map_err(fail)?;
    let draft = match form.get("draft") {
        None | Some("" | "false") => false,
        Some("true") => true,
        Some(_) => return Err(fail(ApiError::validation("draft", "`true` or `false`"))),
    };
    let content = form.get("content").unwrap_or_default().to_owned();
    let visibility = form.get("visibility").map(str::to_owned);
    let alt_texts: Vec<String> = form.all("altText").into_iter().map(str::to_owned).collect();
    let mut media_ids = Vec::with_capacity(form.files.len());
    let files = std::mem::take(&mut form.files);
    let within = state
        .engine
        .media_config()
        .map(|c| c.job_timeout)
        .unwrap_or_default();
    for (i, (file, format)) in files.into_iter().enumerate() {
        let alt_text =
            starling_core::media::AltText::parse(alt_texts.get(i).map_or("", String::as_str))
                .map_err(|e| fail(e.into()))?;
        let upload = starling_engine::media::Upload {
            file,
            format,
            alt_text,
        };
        let item = state
            .engine
            .upload_media(user, upload)
            .await
            .map_err(|e| fail(e.into()))?;
        let item = state
            .engine
            .await_media(user, item.id, within)
            .await
            .map_err(|e| fail(e.into()))?;
        if let Some(why) = item
            .error
            .filter(|_| item.state == starling_core::media::MediaState::Failed)
        {
            return Err(fail(ApiError::new(
                crate::error::ErrorCode::InvalidMedia,
                why,
            )));
        }
        media_ids.push(item.id);
    }
    Ok(CreateTweetRequest {
        content,
        reply_to_id,
        quote_of_id,
        draft,
        visibility,
        media_ids,
    })
}

async fn create_json(
    state: &AppState,
    user: &starling_engine::User,
    headers: &HeaderMap,
    req: CreateTweetRequest,
) -> ApiResult<Response> {
    let idempotency_key = match headers.get("idempotency-key") {
        Some(v) => Some(IdempotencyKey::parse(v.to_str().map_err(|_| {
            ApiError::validation("Idempotency-Key", "must be printable ASCII")
        })?)?),
        None => None,
    };
    starling_core::media::check_ids(&req.media_ids)?;
    let tweet = NewTweet {
        content: Content::parse_with(&req.content, !req.media_ids.is_empty())?,
        reply_to: req.reply_to_id,
        quote_of: req.quote_of_id,
        draft: req.draft,
        visibility: req
            .visibility
            .as_deref()
            .map(starling_core::Visibility::parse)
            .transpose()?,
        idempotency_key,
        media: req.media_ids,
    };
    let (view, _fresh) = state.engine.create_tweet(user, tweet).await?;
    Ok(tweet_response(StatusCode::CREATED, &view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// A username or a user id.
    pub author: Option<String>,
    /// A hashtag, with or without `#`; matched case-insensitively.
    pub hashtag: Option<String>,
    /// Opaque cursor from a previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// 1-100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/tweets", tag = "tweets", security((), ("bearer" = [])), params(ListParams),
    responses((status = 200, body = TweetPage),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce")))]
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
    Ok(super::tweet_page(&page))
}

#[utoipa::path(get, path = "/api/tweets/{id}", tag = "tweets", security((), ("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TweetDto),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see")))]
pub async fn get(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    TweetPath(id): TweetPath,
) -> ApiResult<Response> {
    let view = state.engine.tweet(id, viewer.viewer()).await?;
    Ok(tweet_response(StatusCode::OK, &view))
}

/// At most this many ids per lookup (as Twitter's `GET /2/tweets?ids=`).
pub const MAX_LOOKUP_IDS: usize = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupParams {
    /// Comma-separated tweet ids, 1-100; repeats are answered once.
    #[param(example = "7398012817563648,7398012817563649")]
    pub ids: String,
}

#[utoipa::path(get, path = "/api/tweets/lookup", tag = "tweets", security((), ("bearer" = [])), params(LookupParams),
    responses((status = 200, body = LookupDto,
            description = "What changed among tweets a client shows: the web app asks this after its live stream \
                reconnects, or when its tab is shown again after a while"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `ids` empty, over 100, or not decimal ids")))]
pub async fn lookup(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    QueryParams(p): QueryParams<LookupParams>,
) -> ApiResult<Response> {
    let mut ids = Vec::new();
    for part in p.ids.split(',') {
        let id: starling_core::TweetId = part.trim().parse().map_err(|_| {
            ApiError::validation("ids", "ids are comma-separated decimal 64-bit numbers")
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
        if ids.len() > MAX_LOOKUP_IDS {
            return Err(ApiError::validation("ids", "at most 100 ids"));
        }
    }
    let (found, missing) = state.engine.lookup(&ids, viewer.viewer()).await?;
    Ok(Json(LookupDto {
        items: found.iter().map(TweetDto::from).collect(),
        missing: missing.iter().map(ToString::to_string).collect(),
    })
    .into_response())
}

#[utoipa::path(put, path = "/api/tweets/{id}", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = EditTweetRequest,
    responses((status = 200, body = TweetDto),
        (status = 403, body = ErrorBody, description = "`forbidden`: the tweet is someone else's"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see"),
        (status = 409, body = ErrorBody, description = "`version_conflict`: `expectedVersion` is stale; \
            `illegal_transition`: the tweet is archived")))]
pub async fn edit(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
    JsonBody(req): JsonBody<EditTweetRequest>,
) -> ApiResult<Response> {
    let view = state
        .engine
        .edit(&user, id, &req.content, req.expected_version, req.media_ids)
        .await?;
    Ok(tweet_response(StatusCode::OK, &view))
}

#[utoipa::path(delete, path = "/api/tweets/{id}", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = ErrorBody, description = "`forbidden`: the tweet is someone else's"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see")))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
) -> ApiResult<StatusCode> {
    state.engine.transition(&user, id, Action::Delete).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn transition(
    state: AppState,
    user: starling_engine::User,
    id: starling_core::TweetId,
    action: Action,
) -> ApiResult<Response> {
    match state.engine.transition(&user, id, action).await? {
        Some(view) => Ok(tweet_response(StatusCode::OK, &view)),
        None => Err(ApiError::not_found()),
    }
}

#[utoipa::path(post, path = "/api/tweets/{id}/publish", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TweetDto),
        (status = 403, body = ErrorBody, description = "`forbidden`: the tweet is someone else's"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see"),
        (status = 409, body = ErrorBody, description = "`illegal_transition`: the tweet is not a draft"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: the tweet is a retweet, which is only undone")))]
pub async fn publish(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
) -> ApiResult<Response> {
    transition(state, user, id, Action::Publish).await
}

#[utoipa::path(post, path = "/api/tweets/{id}/archive", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TweetDto),
        (status = 403, body = ErrorBody, description = "`forbidden`: the tweet is someone else's"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see"),
        (status = 409, body = ErrorBody, description = "`illegal_transition`: the tweet is not published or edited"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: the tweet is a retweet, which is only undone")))]
pub async fn archive(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
) -> ApiResult<Response> {
    transition(state, user, id, Action::Archive).await
}

#[utoipa::path(post, path = "/api/tweets/{id}/restore", tag = "tweets", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = RestoreRequest,
    responses((status = 200, body = TweetDto),
        (status = 403, body = ErrorBody, description = "`forbidden`: the tweet is someone else's"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see"),
        (status = 409, body = ErrorBody, description = "`illegal_transition`: the tweet is archived"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: no such `version`, or the tweet is a \
            retweet, which is only undone")))]
pub async fn restore(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
    JsonBody(req): JsonBody<RestoreRequest>,
) -> ApiResult<Response> {
    let view = state.engine.restore(&user, id, req.version).await?;
    Ok(tweet_response(StatusCode::OK, &view))
}

#[utoipa::path(get, path = "/api/tweets/{id}/thread", tag = "tweets", security((), ("bearer" = [])),
    params(("id" = String, Path), PageParams),
    responses((status = 200, body = ThreadDto, description = "The chain above (hidden or deleted tweets as \
            `{id, unavailable: true}`), the tweet, and a page of the replies beneath, depth first"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `limit` out of range")))]
pub async fn thread(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    TweetPath(id): TweetPath,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Response> {
    let (after, limit) = p.parse()?;
    let thread = state
        .engine
        .thread(id, viewer.viewer(), after, limit)
        .await?;
    Ok(Json(ThreadDto {
        ancestors: thread
            .ancestors
            .iter()
            .map(|a| match a {
                Ancestor::Visible(view) => AncestorDto::Tweet(Box::new(view.into())),
                Ancestor::Unavailable(id) => AncestorDto::Unavailable(UnavailableDto {
                    id: *id,
                    unavailable: true,
                }),
            })
            .collect(),
        tweet: (&thread.tweet).into(),
        descendants: ThreadRepliesDto {
            items: thread
                .descendants
                .iter()
                .map(|r| ThreadReplyDto {
                    tweet: (&r.view).into(),
                    depth: r.depth,
                })
                .collect(),
            next_cursor: thread.next_cursor.map(super::encode_cursor),
        },
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/tweets/{id}/versions", tag = "tweets", security((), ("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = VersionList),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see")))]
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
    responses((status = 200, body = EventList),
        (status = 403, body = ErrorBody, description = "`forbidden`: the caller is not the author (or sent no token) \
            but may see the tweet"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see")))]
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
    responses((status = 200, body = EngagementDto),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see"),
        (status = 409, body = ErrorBody, description = "`read_only`: the tweet is archived"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: unknown `action`, or `retweet` of a \
            followers-only tweet")))]
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

#[utoipa::path(post, path = "/api/tweets/views", tag = "engagement", security(("bearer" = [])),
    request_body = ViewsRequest,
    responses((status = 200, body = ViewsCounted, description = "Views of tweets the caller was shown: each \
            counts once per viewer per 30 minutes; tweets the caller may not read are passed over silently"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `ids` empty or over 100")))]
pub async fn views(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    JsonBody(req): JsonBody<ViewsRequest>,
) -> ApiResult<Json<ViewsCounted>> {
    if req.ids.is_empty() || req.ids.len() > MAX_LOOKUP_IDS {
        return Err(ApiError::validation("ids", "1 to 100 tweet ids"));
    }
    let mut ids = req.ids;
    ids.sort_unstable();
    ids.dedup();
    let counted = state.engine.view_many(&user, &ids).await?;
    Ok(Json(ViewsCounted { counted }))
}

#[utoipa::path(post, path = "/api/tweets/{id}/retweet", tag = "engagement", security(("bearer" = [])),
    params(("id" = String, Path, description = "The tweet, or a retweet of it (retweeting a retweet retweets the original)")),
    responses((status = 201, body = TweetDto, description = "The retweet: `kind: retweet`, the original as `retweetOf`"),
        (status = 200, body = TweetDto, description = "Already retweeted: the same retweet"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see \
            (or a retweet made before retweets were entries)"),
        (status = 409, body = ErrorBody, description = "`read_only`: the tweet is archived or a draft"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: a followers-only tweet")))]
pub async fn retweet(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
) -> ApiResult<Response> {
    let (view, fresh) = state.engine.retweet(&user, id).await?;
    let status = if fresh {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(tweet_response(status, &view))
}

#[utoipa::path(delete, path = "/api/tweets/{id}/retweet", tag = "engagement", security(("bearer" = [])),
    params(("id" = String, Path, description = "The tweet, or a retweet of it")),
    responses((status = 204, description = "Not retweeted (any more)"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see"),
        (status = 409, body = ErrorBody, description = "`read_only`: the tweet is archived or a draft")))]
pub async fn unretweet(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    TweetPath(id): TweetPath,
) -> ApiResult<StatusCode> {
    state
        .engine
        .engage(&user, id, EngagementAction::Unretweet)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/tweets/{id}/quotes", tag = "tweets", security((), ("bearer" = [])),
    params(("id" = String, Path), PageParams),
    responses((status = 200, body = TweetPage, description = "Quotes of the tweet the caller may see, newest first"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such tweet, or one the caller may not see"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `limit` out of range")))]
pub async fn quotes(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    TweetPath(id): TweetPath,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Response> {
    let (before, limit) = p.parse()?;
    let page = state
        .engine
        .quotes(id, viewer.viewer(), before, limit)
        .await?;
    Ok(super::tweet_page(&page))
}
