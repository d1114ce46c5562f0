//! PostgreSQL going away and coming back: while it is down, requests that need it answer
//! 503 with `Retry-After` within a few seconds (not 500, not a hang); when it returns, the
//! same server process recovers by itself, and nothing acknowledged before is lost.
//!
//! Runs a PostgreSQL server of its own (`support::cluster::OwnPostgres`), since it stops it.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use starling_core::settings::Secret;
use starling_postgres::PostgresConfig;
use starling_server::config::StoreConfig;
use std::time::{Duration, Instant};
use support::cluster::OwnPostgres;
use support::{Backend, expect_status, id_of, spawn_on};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_answers_503_and_the_node_recovers_without_a_restart() {
    let pg = OwnPostgres::start();
    let url = pg.url.clone();
    let app = spawn_on(Backend::Sqlite, move |c| {
        c.store = StoreConfig::Postgres(PostgresConfig {
            url: Secret::new(url),
            pool_size: 4,
            connect_timeout: Duration::from_secs(1),
            ..PostgresConfig::default()
        });
    })
    .await;
    let (_, token) = app.register("ada").await;
    let before = app.post_tweet(&token, "written before the outage").await;

    pg.pause();
    // Every answer while it is down: 503 with Retry-After, each within a few seconds.
    for path in ["/api/tweets", "/api/tweets?limit=5"] {
        let started = Instant::now();
        let resp = if path.contains('?') {
            app.get(path, None).await
        } else {
            app.post(path, Some(&token), &json!({"content": "during the outage"}))
                .await
        };
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{path} took {:?}",
            started.elapsed()
        );
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(resp.headers().contains_key("retry-after"), "{path}");
        let body = resp.json::<serde_json::Value>().await.unwrap();
        assert_eq!(body["error"]["code"], "overloaded", "{path}: {body}");
    }

    pg.resume();
    // The same process serves again once PostgreSQL is back.
    let deadline = Instant::now() + Duration::from_secs(15);
    let after = loop {
        let resp = app
            .post(
                "/api/tweets",
                Some(&token),
                &json!({"content": "after the outage"}),
            )
            .await;
        if resp.status() == StatusCode::CREATED {
            break expect_status(resp, StatusCode::CREATED).await;
        }
        assert!(Instant::now() < deadline, "no recovery: {}", resp.status());
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for tweet in [&before, &after] {
        let id = id_of(tweet);
        let got = app.get_ok(&format!("/api/tweets/{id}"), None).await;
        assert_eq!(got["content"], tweet["content"]);
    }
    let list = app.get_ok("/api/tweets?limit=10", None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "{list}");
}
