//! Request extractors whose rejections are [`ApiError`]s, so that every bad input gets
//! the JSON error shape and the right status.

use crate::AppState;
use crate::error::{ApiError, ErrorCode};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use starling_core::{TweetId, Viewer};
use starling_engine::User;

/// A JSON body: 415 without `Content-Type: application/json`, 413 when too large,
/// 400 when not JSON (including invalid UTF-8), 422 naming the field when JSON of the
/// wrong shape.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "send the body as Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if timed_out(&rejection) {
                ApiError::new(ErrorCode::RequestTimeout, "the body did not arrive in time")
            } else if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(ErrorCode::PayloadTooLarge, "the body is too large")
            } else {
                ApiError::new(ErrorCode::MalformedBody, "the body could not be read")
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// A JSON body that may be left out: no body at all (no `Content-Type`, no length or a
/// length of 0) is `T::default()`; anything else is read as [`JsonBody`] reads it.
pub struct OptionalJsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers();
        let length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let absent = !headers.contains_key(header::CONTENT_TYPE)
            && !headers.contains_key(header::TRANSFER_ENCODING)
            && length.unwrap_or(0) == 0;
        if absent {
            return Ok(OptionalJsonBody(T::default()));
        }
        JsonBody::from_request(req, state)
            .await
            .map(|JsonBody(body)| OptionalJsonBody(body))
    }
}

/// Whether reading the body failed on its deadline ([`crate::guard::protect`]).
fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde_json skips the strings of ignored members without checking their UTF-8.
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(ApiError::new(
            ErrorCode::MalformedJson,
            format!("the body is not valid UTF-8: {e}"),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        match inner.classify() {
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => ApiError::new(
                ErrorCode::MalformedJson,
                format!("the body is not valid JSON: {inner}"),
            ),
            // A body of the wrong shape that is not JSON at all (trailing bytes, say) is
            // malformed first: check the whole document, on this error path only.
            serde_json::error::Category::Data
                if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() =>
            {
                ApiError::new(ErrorCode::MalformedJson, "the body is not valid JSON")
            }
            serde_json::error::Category::Data => {
                let path = e.path().to_string();
                let message = inner.to_string();
                let field = if path != "." {
                    path
                } else if let Some(rest) = message.strip_prefix("missing field `") {
                    rest.split('`').next().unwrap_or("").to_string()
                } else {
                    "body".to_string()
                };
                ApiError::validation(field, message)
            }
        }
    })?;
    // Trailing bytes after the value make the body not JSON.
    de.end().map_err(|e| {
        ApiError::new(
            ErrorCode::MalformedJson,
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    Ok(value)
}

/// The bearer token of a request, if it has one.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The signed-in user; 401 without a valid token.
pub struct Auth(pub User, pub String);

impl<S: Send + Sync> FromRequestParts<S> for Auth
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let token =
            bearer(parts).ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
        let user = state
            .engine
            .authenticate(token)
            .await
            .map_err(ApiError::from)?;
        Ok(Auth(user, token.to_string()))
    }
}

/// The signed-in user if the request carries a token. A token that is present but
/// invalid is still a 401: silently reading as anonymous would hide a client bug.
pub struct MaybeAuth(pub Option<User>);

impl MaybeAuth {
    pub fn viewer(&self) -> Viewer {
        self.0.as_ref().map(|u| u.id).into()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(MaybeAuth(None));
        }
        Auth::from_request_parts(parts, state)
            .await
            .map(|Auth(user, _)| MaybeAuth(Some(user)))
    }
}

/// A tweet id from the path: 400 `invalid_id` unless a plain decimal number.
pub struct TweetPath(pub TweetId);

impl<S: Send + Sync> FromRequestParts<S> for TweetPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw): axum::extract::Path<String> =
            axum::extract::Path::from_request_parts(parts, state)
                .await
                .map_err(|_| invalid_id())?;
        raw.parse().map(TweetPath).map_err(|_| invalid_id())
    }
}

fn invalid_id() -> ApiError {
    ApiError::new(ErrorCode::InvalidId, "ids are decimal 64-bit numbers").with_field("id")
}

/// Query parameters with the JSON error shape on bad input.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| QueryParams(q.0))
            .map_err(|e| ApiError::validation("query", e.body_text()))
    }
}
