//! A user's sessions: list them, end one, or end them all (`/api/me/sessions`,
//! `/api/auth/logout-all`). Ending a session closes its live stream too.

use crate::AppState;
use crate::dto::timestamp;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::extract::Auth;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use starling_engine::{SessionId, auth};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionDto {
    /// Opaque id, for `DELETE /api/me/sessions/{id}`.
    pub id: String,
    pub created_at: String,
    /// When the session was last seen (updated at most once a day).
    pub last_used_at: String,
    /// When the token stops working unless used again before.
    pub expires_at: String,
    /// Whether this is the session making the request.
    pub current: bool,
}

#[utoipa::path(get, path = "/api/me/sessions", operation_id = "list_sessions", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = [SessionDto]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(user, token): Auth,
) -> ApiResult<Json<Vec<SessionDto>>> {
    let mine = auth::token_hash(&token);
    let sessions = state.engine.sessions(&user).await?;
    Ok(Json(
        sessions
            .iter()
            .map(|s| SessionDto {
                id: s.id.0.to_string(),
                created_at: timestamp(s.created_at),
                last_used_at: timestamp(s.last_used_at),
                expires_at: timestamp(s.expires_at),
                current: s.token_hash == mine,
            })
            .collect(),
    ))
}

#[utoipa::path(delete, path = "/api/me/sessions/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "A session id from the list", pattern = "^[0-9]{1,19}$")),
    responses((status = 204, description = "The session's token no longer works"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth(user, _): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0 && id.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidId, "ids are decimal 64-bit numbers").with_field("id")
        })?;
    state.engine.revoke_session(&user, SessionId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/auth/logout-all", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "Every token of the user no longer works"),
        (status = 401, body = ErrorBody)))]
pub async fn logout_all(
    State(state): State<AppState>,
    Auth(user, _): Auth,
) -> ApiResult<StatusCode> {
    state.engine.logout_everywhere(&user).await?;
    Ok(StatusCode::NO_CONTENT)
}
