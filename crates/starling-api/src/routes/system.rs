use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::extract::bearer;
use crate::guard::ClientIp;
use crate::telemetry::rss_bytes;
use axum::Json;
use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use serde::Serialize;
use starling_core::settings::Secret;
use std::sync::atomic::Ordering;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub uptime_seconds: u64,
}

#[utoipa::path(get, path = "/api/health", tag = "operations", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: state.telemetry.started.elapsed().as_secs(),
    })
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Which node answered: `requests`, `memory`, `websockets` and `uptimeSeconds` are
    /// this node's own; `tweets` and `engagement` totals are the whole cluster's.
    pub node: NodeStats,
    pub uptime_seconds: u64,
    pub memory: MemoryStats,
    pub requests: RequestStats,
    pub tweets: TweetStats,
    pub engagement: EngagementTotals,
    pub websockets: WebsocketStats,
    pub home: HomeStatsDto,
}

/// Home-timeline delivery: how far behind it is and how fast it goes.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HomeStatsDto {
    /// Deliveries waiting in the outbox (every node's).
    pub backlog: u64,
    /// Age of the oldest waiting delivery, ms (0 when none waits).
    pub backlog_age_ms: i64,
    /// Timeline deliveries this node made since start (one per follower reached).
    pub deliveries: u64,
    /// Posts and follows this node delivered since start.
    pub delivered: u64,
    /// Write → delivered into follower timelines, over this node's last 4,096, ms.
    pub latency_ms: DeliveryLatency,
    /// Timelines rebuilt from the store since start.
    pub rebuilds: u64,
    /// Stored in this process's memory; null when stored in Redis.
    #[schema(required = true)]
    pub timelines: Option<u64>,
    #[schema(required = true)]
    pub entries: Option<u64>,
    /// Heap bytes the stored timelines hold in this process (entries, rings and map
    /// slots, the allocator's overhead aside); null when stored in Redis.
    #[schema(required = true)]
    pub memory_bytes: Option<u64>,
    /// Authors with more followers than this are merged into timelines when read,
    /// not fanned out to (`engine.home.merge-threshold`).
    pub merge_threshold: i64,
    /// Every node's deliveries and rebuilds together, when the nodes share their stored
    /// timelines (Redis, which counts them since it last started); null on a single
    /// process (its own figures are the whole) or while Redis does not answer.
    #[schema(required = true)]
    pub cluster: Option<HomeClusterStats>,
}

#[derive(Serialize, ToSchema)]
pub struct HomeClusterStats {
    pub deliveries: u64,
    pub rebuilds: u64,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryLatency {
    pub p50: i64,
    pub p99: i64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NodeStats {
    pub id: u16,
    /// Whether other nodes' live events reach this node; null on a single process.
    #[schema(required = true)]
    pub linked: Option<bool>,
    /// Live events that reached this node's clients only (the link was down).
    pub events_dropped: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemoryStats {
    pub rss_bytes: u64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestStats {
    pub total: u64,
    /// Over the last 10 seconds.
    pub per_second: f64,
    /// Over the last minute.
    pub latency_ms: LatencyStats,
}

#[derive(Serialize, ToSchema)]
pub struct LatencyStats {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TweetStats {
    pub total: i64,
    pub versions: i64,
    pub unique_bodies: i64,
    pub created_per_second: f64,
}

#[derive(Serialize, ToSchema)]
pub struct EngagementTotals {
    pub likes: i64,
    pub retweets: i64,
    pub replies: i64,
    pub views: i64,
}

#[derive(Serialize, ToSchema)]
pub struct WebsocketStats {
    pub open: i64,
}

/// Who may read the operational endpoints (`/metrics`, the stats): their figures are
/// site-wide (every draft counted, every distinct body), so they are for operators.
pub struct Operators {
    token: Option<Secret>,
}

impl Operators {
    pub fn new(token: Option<Secret>) -> Self {
        Self { token }
    }

    /// With a token configured, whoever presents it; without one, clients on a
    /// loopback address (the laptop setup, where the operator is the user).
    fn admits(&self, parts: &Parts) -> bool {
        match &self.token {
            Some(secret) => bearer(parts).is_some_and(|given| {
                let token = secret.expose();
                // Constant time: the comparison must not leak how much of a guess matched.
                given.len() == token.len()
                    && given
                        .bytes()
                        .zip(token.bytes())
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0
            }),
            None => parts
                .extensions
                .get::<ClientIp>()
                .is_some_and(|ip| ip.0.is_loopback()),
        }
    }
}

/// An operator's request; 403 otherwise.
pub struct Operator;

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.operators.admits(parts) {
            Ok(Operator)
        } else {
            Err(ApiError::new(
                ErrorCode::Forbidden,
                "operator access required: present the operator token",
            ))
        }
    }
}

#[utoipa::path(get, path = "/api/tweets/system/stats", tag = "operations", security(("operator" = [])),
    responses((status = 200, body = Stats),
        (status = 403, body = ErrorBody, description = "`forbidden`: not an operator. With an operator token configured, \
            present it as the bearer token; without one, only loopback clients are operators")))]
pub async fn stats(State(state): State<AppState>, _: Operator) -> ApiResult<Json<Stats>> {
    let engine = state.engine.stats().await?;
    let home = state.engine.home_stats().await?;
    let now = starling_core::now_millis();
    let t = &state.telemetry;
    let latency = t.latency_ms(now);
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let totals = engine.totals;
    Ok(Json(Stats {
        node: NodeStats {
            id: engine.node_id,
            linked: engine.linked,
            events_dropped: engine.events_dropped,
        },
        uptime_seconds: t.started.elapsed().as_secs(),
        memory: MemoryStats {
            rss_bytes: rss_bytes(),
        },
        requests: RequestStats {
            total: t.total(),
            per_second: round(t.per_second(now)),
            latency_ms: LatencyStats {
                p50: latency.p50,
                p95: latency.p95,
                p99: latency.p99,
            },
        },
        tweets: TweetStats {
            total: totals.tweets,
            versions: totals.versions,
            unique_bodies: totals.bodies,
            created_per_second: round(engine.created_per_second),
        },
        engagement: EngagementTotals {
            likes: totals.likes,
            retweets: totals.retweets,
            replies: totals.replies,
            views: totals.views,
        },
        websockets: WebsocketStats {
            open: t.websockets.load(Ordering::Relaxed),
        },
        home: HomeStatsDto {
            backlog: home.backlog,
            backlog_age_ms: home.backlog_age_ms,
            deliveries: home.deliveries,
            delivered: home.delivered_posts,
            latency_ms: DeliveryLatency {
                p50: home.latency_p50_ms,
                p99: home.latency_p99_ms,
            },
            rebuilds: home.rebuilds,
            timelines: home.timelines,
            entries: home.entries,
            memory_bytes: home.bytes,
            merge_threshold: home.merge_threshold,
            cluster: home.cluster.map(|c| HomeClusterStats {
                deliveries: c.deliveries,
                rebuilds: c.rebuilds,
            }),
        },
    }))
}

#[utoipa::path(get, path = "/metrics", tag = "operations", security(("operator" = [])),
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain"),
        (status = 403, body = ErrorBody, description = "`forbidden`: not an operator. With an operator token configured, \
            present it as the bearer token; without one, only loopback clients are operators")))]
pub async fn metrics(State(state): State<AppState>, _: Operator) -> ApiResult<impl IntoResponse> {
    let engine = state.engine.stats().await?;
    let g = &state.telemetry.gauges;
    let t = engine.totals;
    g.tweets.set(t.tweets);
    g.versions.set(t.versions);
    g.bodies.set(t.bodies);
    g.likes.set(t.likes);
    g.retweets.set(t.retweets);
    g.replies.set(t.replies);
    g.views.set(t.views);
    g.websockets
        .set(state.telemetry.websockets.load(Ordering::Relaxed));
    g.rss_bytes.set(rss_bytes() as i64);
    g.cached_tweets.set(engine.cached_tweets as i64);
    g.cached_tweet_bytes.set(engine.cached_tweet_bytes as i64);
    g.node_id.set(i64::from(engine.node_id));
    g.bus_linked.set(match engine.linked {
        Some(linked) => i64::from(linked),
        None => -1,
    });
    g.bus_dropped.set(engine.events_dropped as i64);
    let home = state.engine.home_stats().await?;
    g.home_deliveries.set(home.deliveries as i64);
    g.home_backlog.set(home.backlog as i64);
    g.home_backlog_age.set(home.backlog_age_ms);
    g.home_latency_p50.set(home.latency_p50_ms);
    g.home_latency_p99.set(home.latency_p99_ms);
    g.home_timelines
        .set(home.timelines.map_or(-1, |n| n as i64));
    g.home_entries.set(home.entries.map_or(-1, |n| n as i64));
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.telemetry.encode(),
    ))
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "operations",
    responses((status = 200, description = "This document")))]
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::document_json(),
    )
}
