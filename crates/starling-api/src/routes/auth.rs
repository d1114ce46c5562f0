use crate::AppState;
use crate::dto::{AuthResponse, LoginRequest, RegisterRequest, UserDto};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, JsonBody};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(post, path = "/api/auth/register", tag = "accounts", request_body = RegisterRequest,
    responses((status = 201, body = AuthResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<AuthResponse>)> {
    let (user, token) = state
        .engine
        .register(&req.username, &req.password, req.display_name.as_deref())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(AuthResponse {
            user: (&user).into(),
            token,
        }),
    ))
}

#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, body = AuthResponse), (status = 401, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<LoginRequest>,
) -> ApiResult<Json<AuthResponse>> {
    let (user, token) = state.engine.login(&req.username, &req.password).await?;
    Ok(Json(AuthResponse {
        user: (&user).into(),
        token,
    }))
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, Auth(_, token): Auth) -> ApiResult<StatusCode> {
    state.engine.logout(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = UserDto), (status = 401, body = ErrorBody)))]
pub async fn me(Auth(user, _): Auth) -> Json<UserDto> {
    Json((&user).into())
}
