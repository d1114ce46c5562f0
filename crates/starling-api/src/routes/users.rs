//! Profiles and the social graph: `/api/users/*` and the user's own graph under
//! `/api/me/*`. In paths, `{user}` is a numeric id or `@username`.

use super::PageParams;
use crate::AppState;
use crate::dto::timestamp;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::extract::{Auth, JsonBody, MaybeAuth, QueryParams};
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use starling_core::{Bio, DisplayName, UserId};
use starling_engine::graph::{ProfileEdit, ProfileView, UserPage, UserRef};
use starling_engine::{GraphAction, Relationship, User, UserList};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileDto {
    #[schema(value_type = String, example = "7254916781490176")]
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub bio: String,
    /// Followers must be approved: following asks first.
    pub protected: bool,
    pub created_at: String,
    pub counts: CountsDto,
    /// With a token, for anyone but oneself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship: Option<RelationshipDto>,
}

#[derive(Serialize, ToSchema)]
pub struct CountsDto {
    pub followers: i64,
    pub following: i64,
    /// Tweets in public view (published or edited).
    pub tweets: i64,
}

/// How the caller stands towards the user.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RelationshipDto {
    pub following: bool,
    pub followed_by: bool,
    /// The caller asked to follow (a protected account) and waits.
    pub requested: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
}

impl From<Relationship> for RelationshipDto {
    fn from(r: Relationship) -> Self {
        Self {
            following: r.following,
            followed_by: r.followed_by,
            requested: r.requested,
            blocking: r.blocking,
            blocked_by: r.blocked_by,
            muting: r.muting,
        }
    }
}

impl From<&ProfileView> for ProfileDto {
    fn from(v: &ProfileView) -> Self {
        let p = &v.profile;
        Self {
            id: p.user.id,
            username: p.user.username.clone(),
            display_name: p.user.display_name.clone(),
            bio: p.bio.clone(),
            protected: p.protected,
            created_at: timestamp(p.user.created_at),
            counts: CountsDto {
                followers: p.followers,
                following: p.following,
                tweets: p.tweets,
            },
            relationship: v.relationship.map(Into::into),
        }
    }
}

/// A user in a list: who, and since when they are in it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListedUserDto {
    #[schema(value_type = String, example = "7254916781490176")]
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    /// When they followed, asked, were blocked or muted.
    pub since: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPageDto {
    pub items: Vec<ListedUserDto>,
    /// Pass as `cursor` for the next page; null at the end.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

impl From<UserPage> for UserPageDto {
    fn from(page: UserPage) -> Self {
        Self {
            items: page
                .items
                .into_iter()
                .map(|l| ListedUserDto {
                    id: l.user.id,
                    username: l.user.username,
                    display_name: l.user.display_name,
                    since: timestamp(l.since),
                })
                .collect(),
            next_cursor: page.next.map(encode_user_cursor),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchedUserDto {
    #[schema(value_type = String, example = "7254916781490176")]
    pub id: UserId,
    pub username: String,
    pub display_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserMatches {
    pub items: Vec<MatchedUserDto>,
}

impl From<&User> for MatchedUserDto {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfilePatch {
    /// 1-50 characters.
    #[schema(min_length = 1, max_length = 50)]
    pub display_name: Option<String>,
    /// At most 160 characters counted as tweets are; empty clears it.
    pub bio: Option<String>,
    /// Protected accounts approve their followers; unprotecting accepts every waiting request.
    pub protected: Option<bool>,
}

/// User-list cursors: opaque, like tweet cursors (a version letter, then the position).
fn encode_user_cursor((since, user): (i64, UserId)) -> String {
    format!("u{:016x}{:016x}", since as u64 ^ MASK, user.0 as u64 ^ MASK)
}

fn decode_user_cursor(cursor: &str) -> Option<(i64, UserId)> {
    let hex = cursor.strip_prefix('u')?;
    if hex.len() != 32
        || !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    let since = u64::from_str_radix(&hex[..16], 16).ok()? ^ MASK;
    let user = u64::from_str_radix(&hex[16..], 16).ok()? ^ MASK;
    Some((
        i64::try_from(since).ok()?,
        UserId(i64::try_from(user).ok()?),
    ))
}

const MASK: u64 = 0x2f6c_a3b7_5bd1_e995;

fn page(p: &PageParams) -> Result<(Option<(i64, UserId)>, usize), ApiError> {
    p.parse_with(decode_user_cursor)
}

/// `{user}` from the path: an id or `@username`; 404 for anything else, as for a user
/// that does not exist.
fn user_ref(raw: &str) -> Result<UserRef, ApiError> {
    UserRef::parse(raw).ok_or_else(ApiError::not_found)
}

fn user_id(raw: &str) -> Result<UserId, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::new(ErrorCode::InvalidId, "ids are decimal 64-bit numbers").with_field("userId")
    })
}

#[utoipa::path(get, path = "/api/users/{user}", tag = "users", security((), ("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username")),
    responses((status = 200, body = ProfileDto), (status = 404, body = ErrorBody)))]
pub async fn profile(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    Path(user): Path<String>,
) -> ApiResult<Json<ProfileDto>> {
    let view = state
        .engine
        .profile(viewer.as_ref(), &user_ref(&user)?)
        .await?;
    Ok(Json((&view).into()))
}

#[utoipa::path(patch, path = "/api/me", tag = "users", security(("bearer" = [])),
    request_body = ProfilePatch,
    responses((status = 200, body = ProfileDto),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `displayName` or `bio` breaks its rule")))]
pub async fn update_me(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    JsonBody(patch): JsonBody<ProfilePatch>,
) -> ApiResult<Json<ProfileDto>> {
    let edit = ProfileEdit {
        display_name: patch
            .display_name
            .as_deref()
            .map(DisplayName::parse)
            .transpose()?,
        bio: patch.bio.as_deref().map(Bio::parse).transpose()?,
        protected: patch.protected,
    };
    let view = state.engine.update_profile(&user, edit).await?;
    Ok(Json((&view).into()))
}

async fn act(
    state: &AppState,
    user: &User,
    who: &str,
    action: GraphAction,
) -> ApiResult<Json<RelationshipDto>> {
    let rel = state.engine.act(user, &user_ref(who)?, action).await?;
    Ok(Json(rel.into()))
}

#[utoipa::path(post, path = "/api/users/{user}/follow", tag = "users", security(("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username")),
    responses((status = 200, body = RelationshipDto, description = "Following, or (a protected account) `requested`"),
        (status = 403, body = ErrorBody, description = "`blocked`: a block stands between the accounts"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`validation_failed`: following oneself")))]
pub async fn follow(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(who): Path<String>,
) -> ApiResult<Json<RelationshipDto>> {
    act(&state, &user, &who, GraphAction::Follow).await
}

#[utoipa::path(delete, path = "/api/users/{user}/follow", tag = "users", security(("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username")),
    responses((status = 200, body = RelationshipDto, description = "Unfollowed, or the request withdrawn"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "`validation_failed`: oneself")))]
pub async fn unfollow(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(who): Path<String>,
) -> ApiResult<Json<RelationshipDto>> {
    act(&state, &user, &who, GraphAction::Unfollow).await
}

#[utoipa::path(post, path = "/api/users/{user}/block", tag = "users", security(("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username")),
    responses((status = 200, body = RelationshipDto, description = "Blocked: follows and requests both ways are gone"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn block(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(who): Path<String>,
) -> ApiResult<Json<RelationshipDto>> {
    act(&state, &user, &who, GraphAction::Block).await
}

#[utoipa::path(delete, path = "/api/users/{user}/block", tag = "users", security(("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username")),
    responses((status = 200, body = RelationshipDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "`validation_failed`: oneself")))]
pub async fn unblock(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(who): Path<String>,
) -> ApiResult<Json<RelationshipDto>> {
    act(&state, &user, &who, GraphAction::Unblock).await
}

#[utoipa::path(post, path = "/api/users/{user}/mute", tag = "users", security(("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username")),
    responses((status = 200, body = RelationshipDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mute(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(who): Path<String>,
) -> ApiResult<Json<RelationshipDto>> {
    act(&state, &user, &who, GraphAction::Mute).await
}

#[utoipa::path(delete, path = "/api/users/{user}/mute", tag = "users", security(("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username")),
    responses((status = 200, body = RelationshipDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "`validation_failed`: oneself")))]
pub async fn unmute(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(who): Path<String>,
) -> ApiResult<Json<RelationshipDto>> {
    act(&state, &user, &who, GraphAction::Unmute).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserTweetsParams {
    /// Opaque cursor from a previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// 1-100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Include the user's replies (default false).
    pub replies: Option<bool>,
}

#[utoipa::path(get, path = "/api/users/{user}/tweets", tag = "users", security((), ("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username"), UserTweetsParams),
    responses((status = 200, body = crate::dto::TweetPage, description = "Newest first: the user's public and \
            unlisted tweets, and followers-only ones for their followers and the users they mention. A page may \
            hold fewer than `limit` tweets (some hidden from the caller) and still have a `nextCursor`"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `limit` out of range")))]
pub async fn user_tweets(
    State(state): State<AppState>,
    viewer: MaybeAuth,
    Path(who): Path<String>,
    QueryParams(p): QueryParams<UserTweetsParams>,
) -> ApiResult<axum::response::Response> {
    let (before, limit) = PageParams {
        cursor: p.cursor,
        limit: p.limit,
    }
    .parse()?;
    let author = state.engine.resolve_user(&user_ref(&who)?).await?;
    let page = state
        .engine
        .user_tweets(
            author.id,
            viewer.viewer(),
            p.replies.unwrap_or(false),
            before,
            limit,
        )
        .await?;
    Ok(super::tweet_page(&page))
}

#[utoipa::path(get, path = "/api/users/{user}/followers", tag = "users", security((), ("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username"), PageParams),
    responses((status = 200, body = UserPageDto, description = "Newest follower first"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce"),
        (status = 403, body = ErrorBody, description = "`forbidden`: a protected account's lists are for its followers, \
            and a user who blocks the caller shows neither list"),
        (status = 404, body = ErrorBody)))]
pub async fn followers(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    Path(who): Path<String>,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Json<UserPageDto>> {
    let (before, limit) = page(&p)?;
    let list = state
        .engine
        .graph_list(
            viewer.as_ref(),
            &user_ref(&who)?,
            UserList::Followers,
            before,
            limit,
        )
        .await?;
    Ok(Json(list.into()))
}

#[utoipa::path(get, path = "/api/users/{user}/following", tag = "users", security((), ("bearer" = [])),
    params(("user" = String, Path, description = "A user id, or `@` and a username"), PageParams),
    responses((status = 200, body = UserPageDto, description = "Newest first"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce"),
        (status = 403, body = ErrorBody, description = "`forbidden`: as for followers"),
        (status = 404, body = ErrorBody)))]
pub async fn following(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    Path(who): Path<String>,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Json<UserPageDto>> {
    let (before, limit) = page(&p)?;
    let list = state
        .engine
        .graph_list(
            viewer.as_ref(),
            &user_ref(&who)?,
            UserList::Following,
            before,
            limit,
        )
        .await?;
    Ok(Json(list.into()))
}

async fn own_list(
    state: &AppState,
    user: &User,
    list: UserList,
    p: &PageParams,
) -> ApiResult<Json<UserPageDto>> {
    let (before, limit) = page(p)?;
    Ok(Json(
        state
            .engine
            .own_list(user.id, list, before, limit)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/me/follow-requests", tag = "users", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = UserPageDto, description = "Who waits for an answer, newest first"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce")))]
pub async fn follow_requests(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Json<UserPageDto>> {
    own_list(&state, &user, UserList::FollowRequests, &p).await
}

#[utoipa::path(get, path = "/api/me/blocks", tag = "users", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = UserPageDto), (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce")))]
pub async fn blocks(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Json<UserPageDto>> {
    own_list(&state, &user, UserList::Blocks, &p).await
}

#[utoipa::path(get, path = "/api/me/mutes", tag = "users", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = UserPageDto), (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce")))]
pub async fn mutes(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Json<UserPageDto>> {
    own_list(&state, &user, UserList::Mutes, &p).await
}

#[utoipa::path(post, path = "/api/me/follow-requests/{userId}/accept", tag = "users", security(("bearer" = [])),
    params(("userId" = String, Path, description = "The requester's id")),
    responses((status = 200, body = RelationshipDto, description = "They follow you now (`followedBy`)"),
        (status = 400, body = ErrorBody, description = "`invalid_id`: the user id is not a decimal 64-bit number"),
        (status = 403, body = ErrorBody, description = "`blocked`: a block stands between the accounts"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such request")))]
pub async fn accept(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(requester): Path<String>,
) -> ApiResult<Json<RelationshipDto>> {
    let rel = state
        .engine
        .act_on(&user, user_id(&requester)?, GraphAction::Accept)
        .await?;
    Ok(Json(rel.into()))
}

#[utoipa::path(post, path = "/api/me/follow-requests/{userId}/reject", tag = "users", security(("bearer" = [])),
    params(("userId" = String, Path, description = "The requester's id")),
    responses((status = 200, body = RelationshipDto), (status = 400, body = ErrorBody, description = "`invalid_id`: the user id is not a decimal 64-bit number"),
        (status = 404, body = ErrorBody, description = "`not_found`: no such request")))]
pub async fn reject(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(requester): Path<String>,
) -> ApiResult<Json<RelationshipDto>> {
    let rel = state
        .engine
        .act_on(&user, user_id(&requester)?, GraphAction::Reject)
        .await?;
    Ok(Json(rel.into()))
}

/// Accounts to follow.
#[derive(Serialize, ToSchema)]
pub struct Suggestions {
    pub items: Vec<ProfileDto>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionParams {
    /// 1-50, default 10.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/users/suggestions", tag = "users", security(("bearer" = [])), params(SuggestionParams),
    responses((status = 200, body = Suggestions, description = "The most followed accounts the caller does not follow, has not asked to, and neither blocks, is blocked by nor mutes"),
        (status = 401, body = ErrorBody, description = "`unauthorized`: no valid bearer token"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `limit` out of range")))]
pub async fn suggestions(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    QueryParams(p): QueryParams<SuggestionParams>,
) -> ApiResult<Json<Suggestions>> {
    let limit = match p.limit {
        None => 10,
        Some(n @ 1..=50) => n as usize,
        Some(_) => return Err(ApiError::validation("limit", "limit must be 1-50")),
    };
    let profiles = state.engine.suggestions(&user, limit).await?;
    Ok(Json(Suggestions {
        items: profiles
            .into_iter()
            .map(|profile| {
                (&starling_engine::graph::ProfileView {
                    profile,
                    relationship: None,
                })
                    .into()
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// 1-50 characters: the start of a username or display name (case-insensitive).
    #[param(min_length = 1, max_length = 50)]
    pub prefix: String,
}

#[utoipa::path(get, path = "/api/users", tag = "users", security((), ("bearer" = [])), params(SearchParams),
    responses((status = 200, body = UserMatches, description = "Up to 10 users, by username"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `prefix` missing, empty or too long")))]
pub async fn search(
    State(state): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    QueryParams(p): QueryParams<SearchParams>,
) -> ApiResult<Json<UserMatches>> {
    let prefix = p.prefix.trim().trim_start_matches('@');
    if prefix.is_empty() || prefix.chars().count() > 50 {
        return Err(ApiError::validation(
            "prefix",
            "prefix must be 1-50 characters",
        ));
    }
    let users = state.engine.search_users(viewer.as_ref(), prefix).await?;
    Ok(Json(UserMatches {
        items: users.iter().map(Into::into).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_cursors_round_trip_and_refuse_anything_else() {
        let position = (1_700_000_000_123, UserId(7_254_916_781_490_176));
        let cursor = encode_user_cursor(position);
        assert_eq!(decode_user_cursor(&cursor), Some(position));
        for bad in [
            "",
            "u",
            "t0000000000000000",
            &cursor.to_uppercase(),
            &cursor[..20],
        ] {
            assert_eq!(decode_user_cursor(bad), None, "{bad}");
        }
    }
}
