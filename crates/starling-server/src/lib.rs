//! The `starling` server: configuration, start-up, and graceful shutdown.
//!
//! Key decision: [`run`] takes an already-bound listener and a shutdown future, so
//! tests bind port 0 and stop the server when they are done.

pub mod config;
pub mod migrate;
pub mod seed;

use anyhow::Context;
use config::{Config, StoreConfig};
use starling_engine::Engine;
use starling_engine::cluster::Cluster;
use starling_postgres::{Postgres, PostgresConfig};
use starling_redis::Redis;
use starling_sqlite::{Sqlite, SqliteConfig};
use starling_store::Store;
use std::future::Future;
use std::sync::Arc;

/// Open storage, start the engine, serve until `shutdown`, then drain and close.
pub async fn run(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data directory {}", config.data_dir.display()))?;
    let store: Arc<dyn Store> = match &config.store {
        StoreConfig::Sqlite(settings) => {
            // The file lives in the data directory; the node id is the node's.
            let sqlite = SqliteConfig {
                path: config.data_dir.join("starling.db"),
                node_id: config.node_id,
                ..settings.clone()
            };
            Arc::new(Sqlite::open(sqlite).context("opening the database")?)
        }
        StoreConfig::Postgres(settings) => {
            let postgres = PostgresConfig {
                node_id: config.node_id,
                ..settings.clone()
            };
            Arc::new(
                Postgres::open(postgres)
                    .await
                    .context("opening the PostgreSQL database")?,
            )
        }
    };
    // Redis links the nodes of a cluster; without it this node is a cluster of one.
    let redis = match &config.redis {
        Some(settings) => Some(Redis::connect(settings).context("configuring redis")?),
        None => None,
    };
    let cluster = match &redis {
        Some(redis) => redis.cluster(node_name(config.node_id), &config.engine.home),
        None => Cluster::local(),
    };
    let mut engine_config = starling_engine::EngineConfig {
        node_id: config.node_id,
        ..config.engine.clone()
    };
    // Local media live in the data directory unless a directory is named.
    if let starling_media::Storage::Local { dir: dir @ None } = &mut engine_config.media.storage {
        *dir = Some(config.data_dir.join("media"));
    }
    let engine = Engine::start_in(store, engine_config, cluster)
        .await
        .context("starting the engine")?;
    let app = starling_api::app(engine.clone(), &config.api);
    let addr = listener.local_addr()?;
    tracing::info!(%addr, data_dir = %config.data_dir.display(), web_dir = ?config.api.web_dir, "starling is ready");
    // Tests and scripts wait for this exact line.
    println!("starling listening on http://{addr}");
    starling_api::serve(
        listener,
        app,
        shutdown,
        config.api.connections,
        config.api.trusted_proxies.clone(),
    )
    .await?;
    tracing::info!("no longer accepting; flushing and closing the database");
    engine.shutdown().await.context("closing the engine")?;
    drop(redis);
    Ok(())
}

/// A name for this process among the cluster's nodes: its node id (unique among live
/// nodes) and a random part, so a node restarted with the same id is another node.
fn node_name(node_id: u16) -> String {
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{node_id}-{}-{nonce:x}", std::process::id())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
