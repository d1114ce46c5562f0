//! The schema, as numbered migrations applied in order at start-up. Several nodes may
//! start at once on an empty database: an advisory lock makes them take turns, so each
//! migration is applied exactly once, and every node starts on the same schema.

use crate::connection::{Pool, pg};
use starling_store::{Result, StoreError};

/// Append only: never edit one that has shipped.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_node_leases.sql"),
    include_str!("migrations/0003_more_total_shards.sql"),
    include_str!("migrations/0004_portable_request_hashes.sql"),
    include_str!("migrations/0005_sole_writer.sql"),
    include_str!("migrations/0006_social_graph.sql"),
    include_str!("migrations/0007_audiences.sql"),
    include_str!("migrations/0008_home_deliveries.sql"),
    include_str!("migrations/0009_media.sql"),
    include_str!("migrations/0010_positions.sql"),
];

/// The advisory lock's key: any constant that nothing else on the database uses.
const LOCK: i64 = 0x5354_4152_4C49_4E47; // "STARLING"

pub(crate) async fn migrate(pool: &Pool) -> Result<()> {
    let mut client = pool.client().await?;
    // Session-level: held across the transactions below, released at the end (or when
    // the connection drops, if this node dies mid-way).
    client
        .execute("SELECT pg_advisory_lock($1)", &[&LOCK])
        .await
        .map_err(pg)?;
    let outcome = apply(&mut client).await;
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&LOCK])
        .await
        .map_err(pg)?;
    outcome
}

async fn apply(client: &mut deadpool_postgres::Object) -> Result<()> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS starling_schema (version BIGINT NOT NULL);
             INSERT INTO starling_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM starling_schema);",
        )
        .await
        .map_err(pg)?;
    let current: i64 = client
        .query_one("SELECT version FROM starling_schema", &[])
        .await
        .map_err(pg)?
        .get(0);
    let current = usize::try_from(current).unwrap_or(usize::MAX);
    if current > MIGRATIONS.len() {
        return Err(StoreError::message(format!(
            "the database has schema version {current}, newer than this build knows ({}); \
             run a newer Starling",
            MIGRATIONS.len()
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let version = (index + 1) as i64;
        let tx = client.transaction().await.map_err(pg)?;
        tx.batch_execute(sql).await.map_err(|e| {
            StoreError::message(format!("schema migration to version {version}: {e}"))
        })?;
        tx.execute("UPDATE starling_schema SET version = $1", &[&version])
            .await
            .map_err(pg)?;
        tx.commit().await.map_err(pg)?;
        tracing::info!(version, "applied PostgreSQL schema migration");
    }
    Ok(())
}
