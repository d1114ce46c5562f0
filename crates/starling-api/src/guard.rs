//! Per-request protections that every route gets, the web UI included: the client's
//! address, a bound on one client's requests in flight, deadlines on the body and the
//! whole request, and the security headers.

use crate::client::{TrustedProxies, limit_key};
use crate::error::{ApiError, ErrorCode};
use crate::slots::Slots;
use axum::body::{Body, HttpBody};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// The client's address, as read through trusted proxies (see [`crate::client`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// Limits on each request, whatever route it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequestLimits {
    /// Largest request body accepted.
    pub body_limit: usize,
    /// The whole body must arrive within this time of the request's start.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub body_timeout: Duration,
    /// A request answers within this time, or gets 408.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub request_timeout: Duration,
    /// Requests handled at once over the whole server before new ones get 503.
    pub max_in_flight: usize,
    /// Requests one client address has in flight at once before it gets 429.
    pub max_in_flight_per_client: usize,
    /// Media uploads (`POST /api/media`, and `POST /api/tweets` as a form with its files)
    /// get this long for their body and answer
    /// instead of `body_timeout` and `request_timeout`: 100 MiB take minutes on a slow link.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub upload_timeout: Duration,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self {
            body_limit: 64 * 1024,
            body_timeout: Duration::from_secs(15),
            request_timeout: Duration::from_secs(30),
            max_in_flight: 4096,
            max_in_flight_per_client: 128,
            upload_timeout: Duration::from_secs(600),
        }
    }
}

pub struct Guard {
    pub proxies: TrustedProxies,
    pub limits: RequestLimits,
    /// Per-client requests in flight. The overall bound is tower's global concurrency
    /// limit in front of this, so only the per-client share is counted here.
    in_flight: Arc<Slots>,
}

impl Guard {
    pub fn new(proxies: TrustedProxies, limits: RequestLimits) -> Arc<Self> {
        Arc::new(Self {
            proxies,
            limits,
            in_flight: Slots::new(usize::MAX, limits.max_in_flight_per_client),
        })
    }
}

/// Resolve the client's address, hold one of its in-flight slots for the request, and
/// put deadlines on the body and on the answer.
pub async fn protect(State(guard): State<Arc<Guard>>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let ip = guard.proxies.client_ip(peer, req.headers());
    req.extensions_mut().insert(ClientIp(ip));
    // Unbounded (load tests): skip the shared lock on every request.
    let _slot = if guard.limits.max_in_flight_per_client == usize::MAX {
        None
    } else {
        match guard.in_flight.try_take(Some(limit_key(ip))) {
            Ok(slot) => Some(slot),
            Err(_) => return ApiError::rate_limited(1).into_response(),
        }
    };
    let mut limits = guard.limits;
    let path = req.uri().path();
    let uploads = path == "/api/media"
        || (path == "/api/tweets" && crate::routes::media::is_multipart(req.headers()));
    if req.method() == axum::http::Method::POST && uploads {
        limits.body_timeout = limits.upload_timeout;
        limits.request_timeout = limits.upload_timeout;
    }
    // A request without a body (most of them) needs no body deadline: skip the timer.
    let req = if req.body().is_end_stream() {
        req
    } else {
        req.map(|body| {
            Body::new(tower_http::timeout::DeadlineBody::new(
                limits.body_timeout,
                body,
            ))
        })
    };
    match tokio::time::timeout(limits.request_timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(ErrorCode::RequestTimeout, "the request took too long").into_response()
        }
    }
}

/// The content security policy the web UI runs under: its own scripts, styles and
/// connections only (the live stream included), never framed; images and video also from
/// `blob:` URLs (the composer's previews of files not yet uploaded). The one inline script
/// allowed, by its hash, is web/index.html's, which puts the reader's theme on the page
/// before it is first painted (web/test/theme.test.tsx checks the hash against that file).
const CSP: &str = "default-src 'self'; script-src 'self' 'sha256-CTGo2Qh5CODCf4E107ufYdSyYfFhpQ8zEdrZDH06/dY='; style-src 'self'; img-src 'self' data: blob:; \
media-src 'self' blob:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

/// Security headers on every response.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    response
}
