//! Every scenario, briefly, against the baseline handler on a random port: the generator must
//! count, check and report what the handler did. A second, deliberately wrong handler proves that
//! the like check does catch a miscount.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use starling_loadgen::scenario::{self, FillConfig, RunConfig, Scenario};
use starling_loadgen::stats::{Expectations, RunReport};
use starling_loadgen::target::Target;

async fn spawn(router: Router) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    (addr, stop)
}

fn config(addr: SocketAddr, scenario: Scenario) -> RunConfig {
    RunConfig {
        target: Arc::new(Target::parse(&format!("http://{addr}")).unwrap()),
        scenario,
        connections: 8,
        duration: Duration::from_millis(400),
        warmup: Duration::from_millis(100),
        users: None,
        users_file: None,
        tweets: 50,
        rate: 0.0,
        graph_seeded: false,
        tweets_seeded: false,
        server_pid: Some(std::process::id()),
        label: None,
        threads: 1,
        expect: Expectations {
            ops_per_sec: Some(1.0),
            p99_ms: Some(10_000.0),
            baseline_ratio: None,
        },
    }
}

fn assert_clean(report: &RunReport) {
    assert!(report.baseline, "the baseline identifies itself");
    assert!(report.total.count > 0, "{}", report.table());
    assert!(report.total.errors.is_empty(), "{}", report.table());
    assert!(report.checks.iter().all(|c| c.passed), "{}", report.table());
    assert!(report.server_memory.vm_hwm_bytes.is_some());
    assert!(report.server_memory.stats_rss_max_bytes.is_some());
    let json = serde_json::to_string(report).unwrap();
    let back: RunReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.total.count, report.total.count);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_runs_cleanly_against_the_baseline() {
    let (addr, _stop) = spawn(starling_loadgen::baseline::router()).await;
    for s in [
        Scenario::Create,
        Scenario::Get,
        Scenario::Like,
        Scenario::Mixed,
        Scenario::SeedCheck,
    ] {
        let report = scenario::run(config(addr, s)).await.unwrap();
        assert_clean(&report);
        match s {
            Scenario::Like => {
                assert_eq!(report.checks[0].name, "exact like count");
                assert!(
                    report.checks[0].detail.starts_with("EXACT"),
                    "{}",
                    report.checks[0].detail
                );
                assert_eq!(report.users, 8);
            }
            Scenario::SeedCheck => assert_eq!(report.total.count, 100),
            Scenario::Mixed => assert_eq!(report.ops.len(), 4),
            Scenario::Create => {
                // The "server" is this test process, so both figures are this process's.
                assert!(report.cpu.generator_cores.is_some());
                assert!(report.cpu.server_cores.is_some());
            }
            _ => {}
        }
    }

    let users_file = std::env::temp_dir().join(format!("loadgen-users-{}", std::process::id()));
    let fill = FillConfig {
        target: Arc::new(Target::parse(&format!("http://{addr}")).unwrap()),
        tweets: 500,
        connections: 7,
        users: 3,
        users_file: Some(users_file.clone()),
        max_duration: Duration::from_secs(30),
        server_pid: None,
        label: Some("fill".into()),
        threads: 1,
    };
    let report = scenario::fill(fill.clone()).await.unwrap();
    assert_eq!(report.total.count, 500, "exactly N tweets");
    // A second run reuses the cached users.
    let report = scenario::fill(fill).await.unwrap();
    assert_eq!(report.total.count, 500);
    let cached = std::fs::read_to_string(&users_file).unwrap();
    assert_eq!(cached.lines().count(), 3);
    std::fs::remove_file(users_file).unwrap();
}

/// A server that acknowledges likes but reports a count that cannot be right.
fn miscounting() -> Router {
    let tweet = r#"{"id":"1","engagement":{"likes":999999}}"#;
    Router::new()
        .route(
            "/api/health",
            get(|| async { r#"{"status":"ok","version":"liar"}"# }),
        )
        .route(
            "/api/auth/register",
            post(|| async {
                (
                    axum::http::StatusCode::CREATED,
                    r#"{"user":{},"token":"t"}"#,
                )
            }),
        )
        .route(
            "/api/tweets",
            post(move || async move { (axum::http::StatusCode::CREATED, tweet) }),
        )
        .route("/api/tweets/{id}", get(move || async move { tweet }))
        .route(
            "/api/tweets/{id}/engagement",
            post(|| async { r#"{"likes":1}"# }),
        )
}

#[tokio::test]
async fn a_wrong_like_count_is_a_mismatch() {
    let (addr, _stop) = spawn(miscounting()).await;
    let report = scenario::run(config(addr, Scenario::Like)).await.unwrap();
    assert!(!report.baseline);
    assert!(report.failed_correctness());
    assert!(
        report.checks[0].detail.starts_with("MISMATCH"),
        "{}",
        report.checks[0].detail
    );
}

#[tokio::test]
async fn shed_load_is_counted_by_status_not_retried() {
    let router = Router::new()
        .route(
            "/api/health",
            get(|| async { r#"{"status":"ok","version":"shedding"}"# }),
        )
        .route(
            "/api/auth/register",
            post(|| async {
                (
                    axum::http::StatusCode::CREATED,
                    r#"{"user":{},"token":"t"}"#,
                )
            }),
        )
        .route(
            "/api/tweets",
            post(|| async {
                (
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    [("retry-after", "1")],
                    "{}",
                )
            }),
        );
    let (addr, _stop) = spawn(router).await;
    let report = scenario::run(config(addr, Scenario::Create)).await.unwrap();
    assert_eq!(report.total.count, 0);
    assert!(report.total.errors["503"] > 0);
    assert!(
        report.checks.iter().any(|c| !c.passed && !c.correctness),
        "the throughput target is missed"
    );
    assert!(!report.failed_correctness());
}
