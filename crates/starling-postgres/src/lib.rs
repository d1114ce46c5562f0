//! The cluster storage backend: PostgreSQL, shared by every node.
//!
//! Layout mirrors `starling-sqlite` file for file: [`accounts`], [`tweets`] and
//! [`engagement`] each implement their store trait with the SQL they need,
//! [`integrity`] holds the totals and the audit; around them [`connection`] (the pool,
//! transactions with retry, how driver errors become `StoreError`s) and [`migrate`]
//! (numbered migrations, applied once under an advisory lock however many nodes start).
//!
//! Key decision: **every write is one PostgreSQL transaction that decides its own rules
//! under row locks** (`SELECT … FOR UPDATE` on the tweet it changes, unique indexes for
//! usernames, likes and idempotency keys), with `synchronous_commit = on`, so an `Ok` is
//! durable and no node can race another. Serialization failures and deadlocks are
//! retried a few times; an unreachable database answers `Overloaded` (503) instead of
//! hanging. Unlike SQLite's single writer, several nodes take ids at once: ids grow per
//! node but do not follow commit order (ARCHITECTURE.md).

mod accounts;
mod connection;
mod creates;
mod engagement;
mod graph;
mod integrity;
mod lease;
mod media;
mod migrate;
mod notifications;
mod portable;
mod timelines;
mod tweets;

#[cfg(feature = "testing")]
pub mod testing;

use async_trait::async_trait;
use connection::Pool;
use starling_core::Snowflake;
use starling_core::settings::Secret;
use starling_store::*;
use std::sync::Arc;
use std::time::Duration;

/// How the PostgreSQL backend is set up: the `[store]` section with
/// `backend = "postgres"`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PostgresConfig {
    /// `postgres://user:password@host:port/database`; a secret, since it may hold a
    /// password. Also `STARLING_DATABASE_URL`.
    pub url: Secret,
    /// Connections this node keeps at most. Size it against the server's
    /// `max_connections` divided by the number of nodes (docs/DEPLOYMENT.md).
    pub pool_size: usize,
    /// How long a request may wait for a connection (or to connect) before it is
    /// answered 503.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub connect_timeout: Duration,
    /// How long a node's lease on its node id lasts without renewal: a node that dies
    /// without releasing it frees its id after this long. Renewed every third of it.
    #[serde(deserialize_with = "starling_core::settings::duration")]
    pub lease_ttl: Duration,
    /// This node's Snowflake node id; not a setting of this section (the node has one).
    #[serde(skip)]
    pub node_id: u16,
}

impl Default for PostgresConfig {
    fn default() -> Self {
        Self {
            url: Secret::new("postgres://localhost/starling"),
            pool_size: 16,
            connect_timeout: Duration::from_secs(3),
            lease_ttl: Duration::from_secs(30),
            node_id: 0,
        }
    }
}

pub struct Postgres {
    pool: Pool,
    /// This node's ids; every node has its own node id (leased), so ids never collide.
    ids: Arc<Snowflake>,
    /// The lease on the node id, renewed in the background while the store is open.
    lease: lease::Lease,
    /// Likes and retweets wait here for the next batch (`engagement.rs`).
    engagements: tokio::sync::mpsc::Sender<engagement::Job>,
    /// Plain creates wait here for the next batch (`creates.rs`).
    creates: tokio::sync::mpsc::Sender<creates::Job>,
}

impl Postgres {
    /// Connect, apply the migrations (once, whatever the number of nodes starting), take
    /// the lease on this node's id (refusing to start if a live node holds it) and seed
    /// the id generator past every id already stored.
    pub async fn open(config: PostgresConfig) -> Result<Self> {
        let pool = Pool::new(&config)?;
        migrate::migrate(&pool).await?;
        let lease = lease::Lease::take(&pool, config.node_id, config.lease_ttl).await?;
        let ids = Snowflake::new(config.node_id);
        let client = pool.client().await?;
        let max_id: i64 = client
            .query_one(
                "SELECT GREATEST(
                    (SELECT COALESCE(MAX(id), 0) FROM users),
                    (SELECT COALESCE(MAX(id), 0) FROM tweets),
                    (SELECT COALESCE(MAX(id), 0) FROM sessions))",
                &[],
            )
            .await
            .map_err(connection::pg)?
            .get(0);
        ids.observe(max_id);
        let ids = Arc::new(ids);
        let engagements = engagement::start_batches(pool.clone(), ids.clone());
        let creates = creates::start(pool.clone(), ids.clone());
        Ok(Self {
            pool,
            ids,
            creates,
            lease,
            engagements,
        })
    }
}

#[async_trait]
impl Store for Postgres {
    async fn totals(&self) -> Result<Totals> {
        let client = self.pool.client().await?;
        integrity::totals(&client).await
    }

    async fn audit(&self) -> Result<Vec<String>> {
        let client = self.pool.client().await?;
        integrity::audit(&client).await
    }

    async fn close(&self) -> Result<()> {
        self.lease.release(&self.pool).await;
        self.pool.close();
        Ok(())
    }

    /// Any number of nodes write to one database: copies are safe only while this
    /// node is the only live one (`lease.rs`).
    fn cache_epoch(&self) -> Option<u64> {
        self.lease.sole.epoch()
    }
}
