//! The one place where failures become HTTP: `{"error": {"code", "message", "field"?}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use starling_core::{Refusal, ValidationError};
use starling_engine::EngineError;

/// Every error code the API answers with, in one place. Each variant's doc names its
/// status; on the wire it is the snake_case name (`"not_found"`), listed as an enum in
/// the OpenAPI document, so a client can match on it exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not valid JSON (including invalid UTF-8).
    MalformedJson,
    /// 400: the body could not be read (the connection broke mid-body, say).
    MalformedBody,
    /// 400: a path id that is not a decimal 64-bit number.
    InvalidId,
    /// 400: a cursor the server did not produce.
    InvalidCursor,
    /// 401: no token where one is required, or an unknown, revoked or expired one.
    Unauthorized,
    /// 401: a wrong username or password.
    InvalidCredentials,
    /// 403: the caller may see the resource but not do this to it (or is not an operator).
    Forbidden,
    /// 404: no such resource, or one the caller may not see: the two answer alike.
    NotFound,
    /// 405: a method the endpoint (or the server) does not answer.
    MethodNotAllowed,
    /// 408: the body or the answer took longer than its deadline.
    RequestTimeout,
    /// 409: a stale `expectedVersion`.
    VersionConflict,
    /// 409: a lifecycle action the tweet's state does not allow.
    IllegalTransition,
    /// 409: registration with an existing username.
    UsernameTaken,
    /// 409: engagement with a tweet that does not accept it.
    ReadOnly,
    /// 403: a block stands between the two accounts (a follow or a request refused).
    Blocked,
    /// 413: a body over the size limit.
    PayloadTooLarge,
    /// 415: a body that is not `application/json`.
    UnsupportedMediaType,
    /// 422: a field or parameter breaks a rule; `field` names it.
    ValidationFailed,
    /// 429: too many requests from the address or token; `Retry-After` says when to retry.
    RateLimited,
    /// 429: too many failed logins for the account or from the address; `Retry-After`.
    TooManyAttempts,
    /// 503: a bounded queue or the in-flight bound is full; `Retry-After`.
    Overloaded,
    /// 404: no such media item, or not the caller's.
    MediaNotFound,
    /// 409: a media item still processing (or failed) named in a tweet.
    MediaNotReady,
    /// 409: a media item attached to another tweet.
    MediaInUse,
    /// 409: the description of a media item attached to a tweet.
    MediaAttached,
    /// 422: a set of media a tweet may not carry (up to 4 images, or 1 GIF, or 1 video).
    InvalidMediaSet,
    /// 422: an upload that is corrupt, truncated, or over a pixel or duration limit.
    InvalidMedia,
    /// 500: a bug or an I/O failure; the body reveals nothing internal.
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> StatusCode {
        use ErrorCode::*;
        match self {
            MalformedJson => StatusCode::BAD_REQUEST,
            MalformedBody => StatusCode::BAD_REQUEST,
            InvalidId => StatusCode::BAD_REQUEST,
            InvalidCursor => StatusCode::BAD_REQUEST,
            Unauthorized => StatusCode::UNAUTHORIZED,
            InvalidCredentials => StatusCode::UNAUTHORIZED,
            Forbidden => StatusCode::FORBIDDEN,
            NotFound => StatusCode::NOT_FOUND,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            VersionConflict => StatusCode::CONFLICT,
            IllegalTransition => StatusCode::CONFLICT,
            UsernameTaken => StatusCode::CONFLICT,
            ReadOnly => StatusCode::CONFLICT,
            Blocked => StatusCode::FORBIDDEN,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            RateLimited => StatusCode::TOO_MANY_REQUESTS,
            TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            MediaNotFound => StatusCode::NOT_FOUND,
            MediaNotReady | MediaInUse | MediaAttached => StatusCode::CONFLICT,
            InvalidMediaSet | InvalidMedia => StatusCode::UNPROCESSABLE_ENTITY,
            Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
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
    pub code: ErrorCode,
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// An error with `code`'s status.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status: code.status(),
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
        Self::new(ErrorCode::ValidationFailed, message).with_field(field)
    }
    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "not found")
    }
    pub fn unauthorized(message: &str) -> Self {
        Self::new(ErrorCode::Unauthorized, message)
    }
    pub fn rate_limited(retry_after: u64) -> Self {
        let mut e = Self::new(ErrorCode::RateLimited, "too many requests; retry later");
        e.retry_after = Some(retry_after.max(1));
        e
    }
    pub fn overloaded() -> Self {
        let mut e = Self::new(
            ErrorCode::Overloaded,
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

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        let message = refusal.to_string();
        match refusal {
            Refusal::Invalid(v) => v.into(),
            Refusal::NotFound => ApiError::not_found(),
            Refusal::NotAuthor => ApiError::new(ErrorCode::Forbidden, message),
            Refusal::VersionConflict { .. } => ApiError::new(ErrorCode::VersionConflict, message),
            Refusal::IllegalTransition(_) => ApiError::new(ErrorCode::IllegalTransition, message),
            Refusal::UsernameTaken => {
                ApiError::new(ErrorCode::UsernameTaken, "that username is taken")
                    .with_field("username")
            }
            Refusal::ReadOnly(_) => ApiError::new(ErrorCode::ReadOnly, message),
            Refusal::Blocked => ApiError::new(ErrorCode::Blocked, message),
            Refusal::Hidden => ApiError::new(ErrorCode::Forbidden, message),
            Refusal::InvalidReply => ApiError::validation("replyToId", message),
            Refusal::InvalidQuote => ApiError::validation("quoteOfId", message),
            Refusal::NoSuchVersion => ApiError::validation("version", message),
            Refusal::IdempotencyKeyReused => ApiError::validation("Idempotency-Key", message),
            Refusal::Unauthorized => ApiError::unauthorized("a valid bearer token is required"),
            Refusal::InvalidCredentials => ApiError::new(ErrorCode::InvalidCredentials, message),
            Refusal::MediaNotFound => ApiError::new(ErrorCode::MediaNotFound, message),
            Refusal::MediaNotReady => ApiError::new(ErrorCode::MediaNotReady, message),
            Refusal::MediaInUse => ApiError::new(ErrorCode::MediaInUse, message),
            Refusal::MediaAttached => ApiError::new(ErrorCode::MediaAttached, message),
            Refusal::InvalidMediaSet => {
                let mut e = ApiError::new(ErrorCode::InvalidMediaSet, message);
                e.field = Some("mediaIds".into());
                e
            }
            Refusal::UnsupportedMedia(m) => ApiError::new(ErrorCode::UnsupportedMediaType, m),
            Refusal::MediaTooLarge(m) => ApiError::new(ErrorCode::PayloadTooLarge, m),
            Refusal::InvalidMedia(m) => ApiError::new(ErrorCode::InvalidMedia, m),
            Refusal::TooManyAttempts { retry_after } => {
                let mut e = ApiError::new(ErrorCode::TooManyAttempts, message);
                e.retry_after = Some(retry_after.max(1));
                e
            }
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Refused(refusal) => refusal.into(),
            EngineError::Overloaded => ApiError::overloaded(),
            EngineError::Internal(source) => {
                // Logged here with its chain of causes, never shown: 5xx bodies reveal
                // nothing internal.
                let mut chain = source.to_string();
                let mut cause = source.source();
                while let Some(c) = cause {
                    chain.push_str(": ");
                    chain.push_str(&c.to_string());
                    cause = c.source();
                }
                tracing::error!(error = %chain, "internal error");
                ApiError::new(ErrorCode::Internal, "internal error")
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
