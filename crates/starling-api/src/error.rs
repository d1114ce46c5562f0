//! The one place where failures become HTTP: `{"error": {"code", "message", "field"?}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use starling_core::ValidationError;
use starling_engine::EngineError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Seconds, for 429 and 503.
    pub retry_after: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable code (see docs/API.md).
    pub code: &'static str,
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            message,
        )
        .with_field(field)
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "not found")
    }
    pub fn unauthorized(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    pub fn rate_limited(retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests; retry later",
        );
        e.retry_after = Some(retry_after.max(1));
        e
    }
    pub fn overloaded() -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "the server is overloaded; retry later",
        );
        e.retry_after = Some(1);
        e
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::validation(e.field, e.message)
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        use StatusCode as S;
        match e {
            EngineError::Validation(v) => v.into(),
            EngineError::Unauthorized => ApiError::unauthorized("a valid bearer token is required"),
            EngineError::InvalidCredentials => ApiError::new(
                S::UNAUTHORIZED,
                "invalid_credentials",
                "wrong username or password",
            ),
            EngineError::NotFound => ApiError::not_found(),
            EngineError::Forbidden(m) => ApiError::new(S::FORBIDDEN, "forbidden", m),
            e @ EngineError::VersionConflict { .. } => {
                ApiError::new(S::CONFLICT, "version_conflict", e.to_string())
            }
            EngineError::IllegalTransition(m) => {
                ApiError::new(S::CONFLICT, "illegal_transition", m)
            }
            EngineError::UsernameTaken => {
                ApiError::new(S::CONFLICT, "username_taken", "that username is taken")
                    .with_field("username")
            }
            e @ EngineError::ReadOnly(_) => ApiError::new(S::CONFLICT, "read_only", e.to_string()),
            EngineError::TooManyAttempts { retry_after } => {
                let mut e = ApiError::new(
                    S::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    format!("too many failed logins; retry in {retry_after} s"),
                );
                e.retry_after = Some(retry_after.max(1));
                e
            }
            EngineError::Overloaded => ApiError::overloaded(),
            EngineError::Internal(m) => {
                // Logged here, never shown: 5xx bodies reveal nothing internal.
                tracing::error!(error = %m, "internal error");
                ApiError::new(S::INTERNAL_SERVER_ERROR, "internal", "internal error")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
