use crate::AppState;
use crate::dto::{AuthResponse, LoginRequest, RegisterRequest, UserDto};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, JsonBody};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(post, path = "/api/auth/register", tag = "accounts", request_body = RegisterRequest,
    responses((status = 201, body = AuthResponse),
        (status = 409, body = ErrorBody, description = "`username_taken`: the username exists (case-insensitively)"),
        (status = 422, body = ErrorBody, description = "`validation_failed`: `username`, `password` or \
            `displayName` breaks its rule")))]
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
    responses((status = 200, body = AuthResponse),
        (status = 401, body = ErrorBody, description = "`invalid_credentials`: wrong username or password"),
        (status = 429, body = ErrorBody, description = "`too_many_attempts`: too many failed logins for the \
            account or from the address")))]
pub async fn login(
    State(state): State<AppState>,
    client_ip: Option<axum::Extension<crate::guard::ClientIp>>,
    JsonBody(req): JsonBody<LoginRequest>,
) -> ApiResult<Json<AuthResponse>> {
    let address = client_ip.map(|c| c.0.0);
    let (user, token) = state
        .engine
        .login(&req.username, &req.password, address)
        .await?;
    Ok(Json(AuthResponse {
        user: (&user).into(),
        token,
    }))
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "The token no longer works")))]
pub async fn logout(State(state): State<AppState>, Auth(_, token): Auth) -> ApiResult<StatusCode> {
    state.engine.logout(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = UserDto)))]
pub async fn me(Auth(user, _): Auth) -> Json<UserDto> {
    Json((&user).into())
}
