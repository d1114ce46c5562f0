//! `/api/notifications`: a user's notifications, grouped or one by one, the unread count
//! and the read mark.

use super::PageParams;
use crate::AppState;
use crate::dto::{TweetDto, UserDto, timestamp};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, OptionalJsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use starling_engine::{GroupView, NotificationKind, NotificationView};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationParams {
    /// Opaque cursor from a previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// 1-100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Comma-separated kinds to keep (`follow`, `follow_request`, `mention`, `reply`,
    /// `like`, `retweet`, `quote`); all when absent.
    pub types: Option<String>,
    /// `true` (default): one entry per kind and tweet ("Ada and 12 others liked your
    /// tweet"); `false`: one entry per notification.
    pub grouped: Option<bool>,
}

/// One notification.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationDto<'a> {
    pub id: String,
    /// `follow`, `follow_request`, `mention`, `reply`, `like`, `retweet` or `quote`.
    #[serde(rename = "type")]
    #[schema(value_type = crate::dto::NotificationKindName)]
    pub kind: &'static str,
    pub actor: UserDto,
    /// The tweet concerned (the liked, retweeted or quoted one, the reply, the mention);
    /// null for follows.
    #[schema(required = true)]
    pub tweet: Option<TweetDto<'a>>,
    pub created_at: String,
    pub unread: bool,
}

/// The notifications of one kind about one tweet (all follows; all follow requests).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationGroupDto<'a> {
    /// The newest notification's id (what `POST /api/notifications/read` takes).
    pub id: String,
    #[serde(rename = "type")]
    #[schema(value_type = crate::dto::NotificationKindName)]
    pub kind: &'static str,
    /// The newest actors, newest first, at most three.
    pub actors: Vec<UserDto>,
    /// Notifications in the group (actors in all).
    pub count: i64,
    #[schema(required = true)]
    pub tweet: Option<TweetDto<'a>>,
    pub latest_at: String,
    pub unread: bool,
}

/// A group (`grouped`, the default) or a single notification. One per item rather than
/// one array type or the other: an empty array would match both, which `oneOf` forbids.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum NotificationItem<'a> {
    Group(NotificationGroupDto<'a>),
    Single(NotificationDto<'a>),
}

/// A page of notifications.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationPageDto<'a> {
    pub grouped: bool,
    /// All groups or all single notifications, as `grouped` says.
    pub items: Vec<NotificationItem<'a>>,
    /// Pass as `cursor` for the next page; null at the end.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

fn encode_cursor(id: i64) -> String {
    format!("n{id}")
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    let digits = cursor.strip_prefix('n')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n: &i64| *n > 0)
}

fn kinds(raw: Option<&str>) -> Result<Vec<NotificationKind>, ApiError> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(vec![]);
    };
    raw.split(',')
        .map(|name| {
            NotificationKind::parse(name.trim()).ok_or_else(|| {
                ApiError::validation(
                    "types",
                    "types are follow, follow_request, mention, reply, like, retweet, quote",
                )
            })
        })
        .collect()
}

pub(crate) fn notification_dto(n: &NotificationView) -> NotificationDto<'_> {
    NotificationDto {
        id: n.id.to_string(),
        kind: n.kind.as_str(),
        actor: (&n.actor).into(),
        tweet: n.tweet.as_ref().map(TweetDto::from),
        created_at: timestamp(n.created_at),
        unread: n.unread,
    }
}

fn group_dto(g: &GroupView) -> NotificationGroupDto<'_> {
    NotificationGroupDto {
        id: g.latest.to_string(),
        kind: g.kind.as_str(),
        actors: g.actors.iter().map(Into::into).collect(),
        count: g.count,
        tweet: g.tweet.as_ref().map(TweetDto::from),
        latest_at: timestamp(g.latest_at),
        unread: g.unread,
    }
}

#[utoipa::path(get, path = "/api/notifications", operation_id = "list_notifications", tag = "notifications", security(("bearer" = [])), params(NotificationParams),
    responses((status = 200, body = NotificationPageDto, description = "Newest first; none from accounts the caller blocks, is blocked by or mutes, none about tweets they may not see"),
        (status = 400, body = ErrorBody, description = "`invalid_cursor`: a cursor the server did not produce"),
        (status = 401, body = ErrorBody, description = "`unauthorized`: no valid bearer token"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `limit` out of range or an unknown kind in `types`")))]
pub async fn list(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    QueryParams(p): QueryParams<NotificationParams>,
) -> ApiResult<Response> {
    let (before, limit) = PageParams {
        cursor: p.cursor,
        limit: p.limit,
    }
    .parse_with(decode_cursor)?;
    let kinds = kinds(p.types.as_deref())?;
    let grouped = p.grouped.unwrap_or(true);
    let response = if grouped {
        let page = state
            .engine
            .notification_groups(user.id, before, limit, kinds)
            .await?;
        Json(NotificationPageDto {
            grouped,
            items: page
                .items
                .iter()
                .map(|g| NotificationItem::Group(group_dto(g)))
                .collect(),
            next_cursor: page.next_cursor.map(encode_cursor),
        })
        .into_response()
    } else {
        let page = state
            .engine
            .notifications(user.id, before, limit, kinds)
            .await?;
        Json(NotificationPageDto {
            grouped,
            items: page
                .items
                .iter()
                .map(|n| NotificationItem::Single(notification_dto(n)))
                .collect(),
            next_cursor: page.next_cursor.map(encode_cursor),
        })
        .into_response()
    };
    Ok(response)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnreadCount {
    /// Notifications newer than the read mark.
    pub count: u64,
}

#[utoipa::path(get, path = "/api/notifications/unread-count", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = UnreadCount),
        (status = 401, body = ErrorBody, description = "`unauthorized`: no valid bearer token")))]
pub async fn unread_count(
    State(state): State<AppState>,
    Auth(user, _): Auth,
) -> ApiResult<Json<UnreadCount>> {
    let count = state.engine.unread_notifications(user.id).await?;
    Ok(Json(UnreadCount { count }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkRead {
    /// A notification (or group) id: it and every older one are read. Absent: all.
    pub up_to: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadMark {
    /// The newest notification id read (0: none).
    pub read_up_to: String,
    pub unread_count: u64,
}

#[utoipa::path(post, path = "/api/notifications/read", tag = "notifications", security(("bearer" = [])),
    request_body(content = MarkRead, description = "May be left out: everything is read"),
    responses((status = 200, body = ReadMark, description = "The mark moves forward only"),
        (status = 401, body = ErrorBody, description = "`unauthorized`: no valid bearer token"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `upTo` is not a notification id")))]
pub async fn mark_read(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    OptionalJsonBody(body): OptionalJsonBody<MarkRead>,
) -> ApiResult<Json<ReadMark>> {
    let up_to = match body.up_to.as_deref() {
        None => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| ApiError::validation("upTo", "upTo must be a notification id"))?,
        ),
    };
    let mark = state.engine.mark_notifications_read(user.id, up_to).await?;
    let unread_count = state.engine.unread_notifications(user.id).await?;
    Ok(Json(ReadMark {
        read_up_to: mark.to_string(),
        unread_count,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        for bad in ["", "n", "42", "n-1", "n0", "nx1", "n99999999999999999999"] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }

    #[test]
    fn kinds_parse_or_refuse() {
        assert_eq!(kinds(None).unwrap(), vec![]);
        assert_eq!(
            kinds(Some("like,retweet")).unwrap(),
            vec![NotificationKind::Like, NotificationKind::Retweet]
        );
        assert!(kinds(Some("like,poke")).is_err());
    }
}
