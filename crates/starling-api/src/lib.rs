//! Starling's HTTP API.
//!
//! Layout: [`routes`] holds the handlers, one module per URL prefix; [`extract`] the
//! request extractors (JSON bodies, bearer auth, path ids) whose rejections are
//! [`error::ApiError`]s; [`error`] is the one place where failures become HTTP
//! statuses; [`dto`] the JSON shapes; [`telemetry`], [`rate_limit`] the middleware;
//! [`openapi`] the generated document.
//!
//! Key decision: handlers are thin. They parse, call the [`Engine`], and serialize;
//! every rule lives below them, so the HTTP layer cannot bypass one.

pub mod client;
pub mod dto;
pub mod error;
pub mod extract;
pub mod guard;
pub mod hub;
pub mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod serve;
pub mod slots;
pub mod telemetry;

use crate::error::ErrorCode;
use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::StatusCode;
use axum::response::IntoResponse;

use error::ApiError;
use guard::{Guard, RequestLimits};
use hub::{Hub, StreamLimits};
use rate_limit::{Limiter, RateLimits};
use starling_core::settings::Secret;
use starling_engine::Engine;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use telemetry::Telemetry;
use tower::ServiceBuilder;

pub use client::TrustedProxies;
pub use serve::{ConnectionLimits, serve};

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Every rule and every stored thing is behind it.
    pub engine: Arc<Engine>,
    /// Request counts and latencies, read by the stats endpoint and `/metrics`.
    pub telemetry: Arc<Telemetry>,
    /// The live stream's fan-out, shared by every WebSocket client.
    pub hub: Arc<Hub>,
    /// Who may read the operational endpoints.
    pub operators: Arc<routes::system::Operators>,
}

impl FromRef<AppState> for Arc<Telemetry> {
    fn from_ref(state: &AppState) -> Self {
        state.telemetry.clone()
    }
}

/// The HTTP layer's settings: the `[api]` section of the configuration.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApiConfig {
    /// `None` turns rate limiting off (benchmarks, load tests). Key `rate-limit`: `on`,
    /// `off` or `IP_RPS/IP_BURST,TOKEN_RPS/TOKEN_BURST`.
    #[serde(rename = "rate-limit", deserialize_with = "rate_limit::setting")]
    pub rate_limits: Option<RateLimits>,
    /// The built web UI (`web/dist`), served at `/` with an SPA fallback.
    pub web_dir: Option<PathBuf>,
    /// Bounds and deadlines on every request.
    pub requests: RequestLimits,
    /// Bounds and deadlines on connections.
    pub connections: ConnectionLimits,
    /// The live stream's bounds.
    pub stream: StreamLimits,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers are believed.
    pub trusted_proxies: TrustedProxies,
    /// The bearer token that opens the operational endpoints (`/metrics`, stats). When
    /// unset, only clients on a loopback address may read them.
    pub operator_token: Option<Secret>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            rate_limits: Some(RateLimits::default()),
            web_dir: None,
            requests: RequestLimits::default(),
            connections: ConnectionLimits::default(),
            stream: StreamLimits::default(),
            trusted_proxies: TrustedProxies::default(),
            operator_token: None,
        }
    }
}

/// Build the application: API routes, middleware and the web UI.
pub fn app(engine: Arc<Engine>, config: &ApiConfig) -> Router {
    let telemetry = Arc::new(Telemetry::default());
    let hub = Hub::start(engine.clone(), config.stream);
    let shared_limiter = engine.shared_limiter();
    let state = AppState {
        engine,
        telemetry: telemetry.clone(),
        hub,
        operators: Arc::new(routes::system::Operators::new(
            config.operator_token.clone(),
        )),
    };
    let (routes, _) = routes::api().split_for_parts();
    let api = routes
        .route("/api", axum::routing::any(api_not_found))
        .route("/api/", axum::routing::any(api_not_found))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .route("/media/{name}", axum::routing::get(routes::media::serve))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    // API answers compressed when the client accepts it and they are worth it (pages
    // of tweets: ~5x smaller); never media files (already compressed) or tiny answers.
    let compressed = api.clone().layer(compression());

    // The web UI is added after the compression layer, so it is never compressed per
    // request: the build writes .br and .gz beside each text asset
    // (web/scripts/compress.mjs), compressed once at the highest level.
    let (plain, compressed) = if let Some(dir) = &config.web_dir {
        let index = dir.join("index.html");
        let files = tower_http::services::ServeDir::new(dir)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(
                tower_http::services::ServeFile::new(index)
                    .precompressed_br()
                    .precompressed_gzip(),
            );
        let files = ServiceBuilder::new()
            .layer(axum::middleware::from_fn(web_cache_headers))
            .service(files);
        (
            api.fallback_service(files.clone()),
            compressed.fallback_service(files),
        )
    } else {
        (api.fallback(no_web_ui), compressed.fallback(no_web_ui))
    };
    let mut app = Router::new().fallback_service(CompressWhenAsked { plain, compressed });

    // Everything below applies to every route, the web UI included. Layers added later
    // run earlier: rate limits, then the per-client bound and deadlines, then the one
    // overall concurrency bound, then telemetry and the security headers.
    if let Some(limits) = config.rate_limits {
        let limiter = Arc::new(Limiter::new(limits, shared_limiter));
        let weak = Arc::downgrade(&limiter);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(limiter) = weak.upgrade() else { break };
                limiter.shrink();
            }
        });
        app = app.layer(axum::middleware::from_fn_with_state(
            limiter,
            rate_limit::enforce,
        ));
    }
    let guard = Guard::new(config.trusted_proxies.clone(), config.requests);
    app.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn(guard::security_headers))
            .layer(axum::middleware::from_fn_with_state(
                telemetry,
                telemetry::track,
            ))
            .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
                ApiError::overloaded()
            }))
            .load_shed()
            // Global: one semaphore shared by every route. (`concurrency_limit` would
            // give each route its own bound, as `Router::layer` wraps each route.)
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                config.requests.max_in_flight,
            ))
            .layer(axum::middleware::from_fn_with_state(guard, guard::protect))
            .layer(DefaultBodyLimit::max(config.requests.body_limit)),
    )
}

/// Sends a request to the compressing copy of the routes only when it says it accepts
/// an encoding. The compression layer wraps every answer's body, and that alone cost
/// ~8% of the read throughput (docs/BENCHMARKS.md, session 12) for clients that never
/// ask for compression (API clients, load generators, servers behind a proxy that
/// compresses). Both copies share the same handlers and state.
#[derive(Clone)]
struct CompressWhenAsked {
    plain: Router,
    compressed: Router,
}

impl tower::Service<axum::extract::Request> for CompressWhenAsked {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = <Router as tower::Service<axum::extract::Request>>::Future;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        // A Router is always ready.
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: axum::extract::Request) -> Self::Future {
        if req
            .headers()
            .contains_key(axum::http::header::ACCEPT_ENCODING)
        {
            self.compressed.call(req)
        } else {
            self.plain.call(req)
        }
    }
}

/// Compression of API answers: brotli or gzip at a cheap level (answers are made per
/// request), above 1 KiB, JSON and other text only.
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    let worth_it = SizeAbove::new(1024)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::const_new("video/"))
        .and(NotForContentType::SSE)
        // The live stream's upgrade answer has no body to compress, and must stay as it is.
        .and(
            |status: StatusCode,
             _: axum::http::Version,
             _: &axum::http::HeaderMap,
             _: &axum::http::Extensions| { status != StatusCode::SWITCHING_PROTOCOLS },
        );
    tower_http::compression::CompressionLayer::new()
        .quality(tower_http::CompressionLevel::Precise(4))
        .compress_when(worth_it)
}

/// Caching of the web UI's files: assets carry a content hash in their names (Vite's
/// build), so they never change and are cached for a year; everything else (the HTML
/// shell, the SPA's routes) is revalidated on every load, so a new build is seen at once.
/// Source maps are not served, even if a build left some behind.
async fn web_cache_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path().to_owned();
    if path.ends_with(".map") {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let mut response = next.run(req).await;
    let is_shell = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let asset = path.starts_with("/assets/");
    if asset && is_shell {
        // A missing asset gets the SPA's shell from the fallback: a page from an older
        // build asking for a file this build does not have. A 404, never cached.
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let value = if asset && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static(value),
    );
    response
}

async fn api_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "method not allowed on this endpoint",
    )
}

async fn no_web_ui() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        "The web UI is not built. Run scripts/start.sh (or `npm --prefix web run build` and pass --web-dir web/dist).",
    )
}
