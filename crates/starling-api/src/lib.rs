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

pub mod dto;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod telemetry;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use error::ApiError;
use rate_limit::{Limiter, RateLimits};
use routes::stream::Hub;
use starling_engine::Engine;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use telemetry::Telemetry;
use tower::ServiceBuilder;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub telemetry: Arc<Telemetry>,
    pub hub: Arc<Hub>,
}

impl FromRef<AppState> for Arc<Telemetry> {
    fn from_ref(state: &AppState) -> Self {
        state.telemetry.clone()
    }
}

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `None` turns rate limiting off (benchmarks, load tests).
    pub rate_limits: Option<RateLimits>,
    /// The built web UI (`web/dist`), served at `/` with an SPA fallback.
    pub web_dir: Option<PathBuf>,
    /// Largest request body accepted.
    pub body_limit: usize,
    /// Requests handled at once before new ones are refused with 503.
    pub max_in_flight: usize,
    /// When a WebSocket client is too slow and is dropped.
    pub stream: routes::stream::StreamLimits,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            rate_limits: Some(RateLimits {
                per_ip: (200, 400),
                per_token: (100, 200),
            }),
            web_dir: None,
            body_limit: 64 * 1024,
            max_in_flight: 4096,
            stream: routes::stream::StreamLimits::default(),
        }
    }
}

/// Build the application: API routes, middleware and the web UI.
pub fn app(engine: Arc<Engine>, config: &ApiConfig) -> Router {
    let telemetry = Arc::new(Telemetry::default());
    let hub = Hub::start(engine.clone(), config.stream);
    let state = AppState {
        engine,
        telemetry: telemetry.clone(),
        hub,
    };
    use routes::*;
    let mut api = Router::new()
        .route("/api/auth/register", post(auth::register))
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/me", get(auth::me))
        .route("/api/me/tweets", get(me::own_tweets))
        .route("/api/tweets", get(tweets::list).post(tweets::create))
        .route("/api/tweets/system/stats", get(system::stats))
        .route(
            "/api/tweets/{id}",
            get(tweets::get).put(tweets::edit).delete(tweets::delete),
        )
        .route("/api/tweets/{id}/versions", get(tweets::versions))
        .route("/api/tweets/{id}/events", get(tweets::events))
        .route("/api/tweets/{id}/publish", post(tweets::publish))
        .route("/api/tweets/{id}/archive", post(tweets::archive))
        .route("/api/tweets/{id}/restore", post(tweets::restore))
        .route("/api/tweets/{id}/engagement", post(tweets::engage))
        .route("/api/trends/tweets", get(trends::tweets))
        .route("/api/stream", get(stream::stream))
        .route("/api/health", get(system::health))
        .route("/api/openapi.json", get(system::openapi))
        .route("/metrics", get(system::metrics))
        .route("/api", axum::routing::any(api_not_found))
        .route("/api/", axum::routing::any(api_not_found))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);

    if let Some(limits) = config.rate_limits {
        let limiter = Arc::new(Limiter::new(limits));
        let weak = Arc::downgrade(&limiter);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let Some(limiter) = weak.upgrade() else { break };
                limiter.shrink();
            }
        });
        api = api.layer(axum::middleware::from_fn_with_state(
            limiter,
            rate_limit::enforce,
        ));
    }

    let mut app = api;
    if let Some(dir) = &config.web_dir {
        let index = dir.join("index.html");
        let files = tower_http::services::ServeDir::new(dir)
            .precompressed_gzip()
            .fallback(tower_http::services::ServeFile::new(index));
        app = app.fallback_service(files);
    } else {
        app = app.fallback(no_web_ui);
    }

    app.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn_with_state(
                telemetry,
                telemetry::track,
            ))
            .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
                ApiError::overloaded()
            }))
            .load_shed()
            .concurrency_limit(config.max_in_flight)
            .layer(DefaultBodyLimit::max(config.body_limit)),
    )
}

async fn api_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed on this endpoint",
    )
}

async fn no_web_ui() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        "The web UI is not built. Run scripts/start.sh (or `npm --prefix web run build` and pass --web-dir web/dist).",
    )
}

/// Limits on connections, whatever clients send.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// A client must send a request's headers within this time, or is disconnected
    /// (slow or idle clients would otherwise hold connections forever).
    pub header_read_timeout: Duration,
    /// Open connections at most; further clients wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(30),
            max_connections: 10_000,
        }
    }
}

/// Serve `app` on an already-bound listener until `shutdown` resolves, then finish the
/// requests in flight.
///
/// A hand-written accept loop rather than `axum::serve`: it applies a header read
/// timeout (which needs hyper's timer, not set by `axum::serve`) and a bound on open
/// connections, so no client can hold unbounded resources.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, app, shutdown, ConnectionLimits::default()).await
}

pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: ConnectionLimits,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto;
    use tower::ServiceExt;

    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                app.clone().oneshot(request)
            },
        );
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients going away mid-request: nothing to report.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
