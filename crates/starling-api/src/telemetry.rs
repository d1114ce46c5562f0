//! Request metrics: totals, rate, latency percentiles over a sliding minute, and the
//! Prometheus exposition.

use crate::error::ErrorCode;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hdrhistogram::Histogram;
use parking_lot::Mutex;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram as PromHistogram;
use prometheus_client::registry::Registry;
use starling_engine::rate::RateWindow;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Instant;

/// Ten-second slots kept for a minute of latency history.
const SLOT_SECONDS: i64 = 10;
const SLOTS: usize = 6;

/// Every label comes from a closed set (methods, route templates, status classes): a
/// client cannot grow the registry by sending new values.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: &'static str,
    pub route: String,
    pub status: &'static str,
}

/// The methods Starling answers; any other is refused before it is recorded.
pub fn known_method(method: &axum::http::Method) -> Option<&'static str> {
    use axum::http::Method as M;
    Some(match *method {
        M::GET => "GET",
        M::POST => "POST",
        M::PUT => "PUT",
        M::DELETE => "DELETE",
        M::PATCH => "PATCH",
        M::HEAD => "HEAD",
        M::OPTIONS => "OPTIONS",
        _ => return None,
    })
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

pub struct Telemetry {
    pub started: Instant,
    total: AtomicU64,
    rate: RateWindow,
    /// (slot start second, histogram of microseconds).
    latency: Mutex<Vec<(i64, Histogram<u64>)>>,
    pub websockets: AtomicI64,
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, PromHistogram>,
    /// Gauges refreshed at scrape time from the engine's stats.
    pub gauges: Gauges,
}

#[derive(Default)]
pub struct Gauges {
    pub tweets: Gauge,
    pub versions: Gauge,
    pub bodies: Gauge,
    pub likes: Gauge,
    pub retweets: Gauge,
    pub replies: Gauge,
    pub views: Gauge,
    pub websockets: Gauge,
    pub rss_bytes: Gauge,
    pub cached_tweets: Gauge,
    pub cached_tweet_bytes: Gauge,
    pub node_id: Gauge,
    pub bus_linked: Gauge,
    pub bus_dropped: Gauge,
    pub home_deliveries: Gauge,
    pub home_backlog: Gauge,
    pub home_backlog_age: Gauge,
    pub home_latency_p50: Gauge,
    pub home_latency_p99: Gauge,
    pub home_timelines: Gauge,
    pub home_entries: Gauge,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Percentiles {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
}

impl Default for Telemetry {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("starling");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        let durations = Family::<RouteLabels, PromHistogram>::new_with_constructor(|| {
            PromHistogram::new([
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ])
        });
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            durations.clone(),
        );
        let gauges = Gauges::default();
        for (name, help, g) in [
            ("tweets", "Tweets in any state but deleted", &gauges.tweets),
            ("tweet_versions", "Stored tweet versions", &gauges.versions),
            ("bodies", "Distinct stored bodies", &gauges.bodies),
            ("likes", "Likes", &gauges.likes),
            ("retweets", "Retweets", &gauges.retweets),
            ("replies", "Replies", &gauges.replies),
            (
                "views",
                "Views, including those not yet written behind",
                &gauges.views,
            ),
            (
                "websockets_open",
                "Open WebSocket connections",
                &gauges.websockets,
            ),
            (
                "resident_memory_bytes",
                "Resident set size of the process",
                &gauges.rss_bytes,
            ),
            (
                "cached_tweets",
                "Tweets in the in-process cache",
                &gauges.cached_tweets,
            ),
            (
                "cached_tweet_bytes",
                "Memory the tweets in the in-process cache hold, by the cache's estimate",
                &gauges.cached_tweet_bytes,
            ),
            (
                "node_id",
                "This node's id: every figure here is this node's own, except the totals",
                &gauges.node_id,
            ),
            (
                "bus_linked",
                "1 while other nodes' events reach this node, 0 while not, -1 on a single process",
                &gauges.bus_linked,
            ),
            (
                "bus_events_dropped",
                "Events that reached this node's clients only, since start",
                &gauges.bus_dropped,
            ),
            (
                "home_deliveries",
                "Timeline deliveries (one per follower reached) this node made, since start",
                &gauges.home_deliveries,
            ),
            (
                "home_backlog",
                "Deliveries waiting in the outbox (every node's)",
                &gauges.home_backlog,
            ),
            (
                "home_backlog_age_ms",
                "Age of the oldest delivery waiting in the outbox, ms",
                &gauges.home_backlog_age,
            ),
            (
                "home_delivery_latency_p50_ms",
                "Median time from a write to its delivery into follower timelines (this node's last 4,096), ms",
                &gauges.home_latency_p50,
            ),
            (
                "home_delivery_latency_p99_ms",
                "99th percentile of the same, ms",
                &gauges.home_latency_p99,
            ),
            (
                "home_timelines",
                "Home timelines stored in this process's memory (-1: stored in Redis)",
                &gauges.home_timelines,
            ),
            (
                "home_timeline_entries",
                "Entries of the home timelines stored in this process's memory (-1: in Redis)",
                &gauges.home_entries,
            ),
        ] {
            registry.register(name, help, g.clone());
        }
        Self {
            started: Instant::now(),
            total: AtomicU64::new(0),
            rate: RateWindow::new(10),
            latency: Mutex::new(Vec::with_capacity(SLOTS)),
            websockets: AtomicI64::new(0),
            registry,
            requests,
            durations,
            gauges,
        }
    }
}

impl Telemetry {
    pub fn record(&self, method: &'static str, route: &str, status: u16, micros: u64, now_ms: i64) {
        self.total.fetch_add(1, Ordering::Relaxed);
        self.rate.add(now_ms, 1);
        let slot = now_ms.div_euclid(1000).div_euclid(SLOT_SECONDS);
        {
            let mut slots = self.latency.lock();
            if slots.last().is_none_or(|(s, _)| *s != slot) {
                if slots.len() == SLOTS {
                    slots.remove(0);
                }
                let h = Histogram::new_with_bounds(1, 60_000_000, 2).expect("valid bounds");
                slots.push((slot, h));
            }
            let (_, h) = slots.last_mut().expect("just pushed");
            h.saturating_record(micros.max(1));
        }
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.to_string(),
                status: status_class(status),
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(micros as f64 / 1e6);
    }

    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    pub fn per_second(&self, now_ms: i64) -> f64 {
        self.rate.per_second(now_ms)
    }

    /// Latency percentiles in milliseconds over the last minute.
    pub fn latency_ms(&self, now_ms: i64) -> Percentiles {
        let oldest = now_ms.div_euclid(1000).div_euclid(SLOT_SECONDS) - SLOTS as i64 + 1;
        let slots = self.latency.lock();
        let mut merged = Histogram::<u64>::new_with_bounds(1, 60_000_000, 2).expect("valid bounds");
        for (_, h) in slots.iter().filter(|(s, _)| *s >= oldest) {
            let _ = merged.add(h);
        }
        if merged.is_empty() {
            return Percentiles::default();
        }
        let ms = |q: f64| merged.value_at_quantile(q) as f64 / 1000.0;
        Percentiles {
            p50: ms(0.50),
            p95: ms(0.95),
            p99: ms(0.99),
        }
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String");
        out
    }
}

/// Resident set size of this process, from /proc (0 where unavailable).
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u64>().ok())
        })
        .map(|pages| pages * 4096)
        .unwrap_or(0)
}

pub async fn track(State(telemetry): State<Arc<Telemetry>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let Some(method) = known_method(req.method()) else {
        // Extension methods are refused unrecorded: their names are the client's to choose.
        return crate::error::ApiError::new(ErrorCode::MethodNotAllowed, "method not allowed")
            .into_response();
    };
    // The route template, not the raw path: bounded label cardinality.
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| {
            if req.uri().path().starts_with("/api") {
                "/api/unmatched".into()
            } else {
                "static".into()
            }
        });
    let response = next.run(req).await;
    let micros = started.elapsed().as_micros() as u64;
    telemetry.record(
        method,
        &route,
        response.status().as_u16(),
        micros,
        starling_core::now_millis(),
    );
    response
}
