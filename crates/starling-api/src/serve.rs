//! The accept loop: connections, their deadlines and their bounds, and shutdown.
//!
//! A hand-written loop rather than `axum::serve`, because every bound here is one that
//! a client could otherwise hold forever:
//! - a connection must start a request within `first_byte_timeout` (hyper's header
//!   timeout only starts at the first byte, and the HTTP/1-or-2 detection before it has
//!   no deadline at all), and is closed once idle for `idle_timeout` between requests,
//!   over HTTP/1 and HTTP/2 alike;
//! - open connections are bounded overall and per client address, so one address
//!   cannot take the slots everyone else needs;
//! - shutdown waits `shutdown_grace` for requests in flight, then drops what is left.

use crate::client::{TrustedProxies, limit_key};
use crate::slots::{Refused, Slots};
use axum::Router;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Limits on connections, whatever clients send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConnectionLimits {
    /// A new connection must begin a request within this time.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub first_byte_timeout: Duration,
    /// An HTTP/1 request's headers must arrive within this time of its first byte.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub header_read_timeout: Duration,
    /// A connection with no request in flight for this long is closed.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub idle_timeout: Duration,
    /// Open connections at most; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Open connections from one client address (IPv6: one /64) at most. Connections
    /// from trusted proxies are not counted per address: each carries many clients.
    pub max_connections_per_client: usize,
    /// On shutdown, how long requests in flight may still take before their
    /// connections are dropped.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            first_byte_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 10_000,
            max_connections_per_client: 256,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serve `app` on an already-bound listener until `shutdown` resolves, then finish the
/// requests in flight (at most `limits.shutdown_grace`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: ConnectionLimits,
    proxies: TrustedProxies,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioTimer};
    use hyper_util::server::conn::auto;

    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        // Pings find peers that vanished; the idle deadline below closes live ones
        // that merely hold the connection.
        .keep_alive_interval(Some(Duration::from_secs(30)))
        .keep_alive_timeout(Duration::from_secs(10))
        .max_concurrent_streams(64);
    let builder = Arc::new(builder);
    let slots = Slots::new(limits.max_connections, limits.max_connections_per_client);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
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
            Some(_) = connections.join_next() => continue,
            () = &mut shutdown => break,
        };
        let client = (!proxies.contains(peer.ip())).then(|| limit_key(peer.ip()));
        let slot = match slots.try_take(client) {
            Ok(slot) => slot,
            // Closing at once tells the client more than a silent backlog would, and
            // costs nothing to keep.
            Err(Refused::Full | Refused::ClientFull) => continue,
        };
        let _ = stream.set_nodelay(true);
        let builder = builder.clone();
        let app = app.clone();
        let stopped = stopped.clone();
        connections.spawn(async move {
            serve_connection(stream, peer, app, &builder, limits, stopped).await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            remaining = connections.len(),
            "shutdown grace over: dropping the remaining connections"
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// When the connection last finished a request, and how many it has in flight.
struct Activity {
    born: Instant,
    in_flight: AtomicUsize,
    /// Milliseconds after `born` (at least 1); 0 until a request has finished.
    last_done_ms: AtomicU64,
}

impl Activity {
    /// When the connection becomes idle for too long, if nothing happens meanwhile.
    fn idle_deadline(&self, limits: &ConnectionLimits) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let last_done = self.last_done_ms.load(Ordering::Acquire);
        if last_done == 0 {
            // Nothing in flight and nothing finished: no request has started yet.
            return Some(self.born + limits.first_byte_timeout);
        }
        let last = self.born + Duration::from_millis(last_done);
        Some(last + limits.idle_timeout)
    }
}

/// Decrements the in-flight count even when the request's future is dropped.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let a = &self.0;
        let ms = a.born.elapsed().as_millis() as u64;
        a.last_done_ms.store(ms.max(1), Ordering::Release);
        a.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    app: Router,
    builder: &hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    limits: ConnectionLimits,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    use hyper_util::rt::TokioIo;
    use tower::ServiceExt;

    let activity = Arc::new(Activity {
        born: Instant::now(),
        in_flight: AtomicUsize::new(0),
        last_done_ms: AtomicU64::new(0),
    });
    let tracked = activity.clone();
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            tracked.in_flight.fetch_add(1, Ordering::AcqRel);
            let guard = InFlight(tracked.clone());
            let response = app.clone().oneshot(request);
            async move {
                let response = response.await;
                drop(guard);
                response
            }
        });
    let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let mut closing = false;
    // After an idle close begins, how long the goodbye may take: an HTTP/2 peer that
    // never answers the GOAWAY's ping would otherwise keep the connection.
    let mut goodbye_until: Option<Instant> = None;
    loop {
        // While a request is in flight, look again after a while: the request deadline
        // bounds how long that can be.
        let wake = activity
            .idle_deadline(&limits)
            .unwrap_or_else(|| Instant::now() + limits.idle_timeout);
        let goodbye = goodbye_until.unwrap_or_else(|| Instant::now() + limits.idle_timeout);
        tokio::select! {
            // Errors here are clients going away mid-request: nothing to report.
            _ = connection.as_mut() => break,
            () = tokio::time::sleep_until(wake), if !closing => {
                if activity.idle_deadline(&limits).is_some_and(|d| d <= Instant::now()) {
                    connection.as_mut().graceful_shutdown();
                    closing = true;
                    goodbye_until = Some(Instant::now() + limits.first_byte_timeout);
                }
            }
            () = tokio::time::sleep_until(goodbye), if goodbye_until.is_some() => break,
            _ = stopped.changed(), if !closing => {
                connection.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
}
