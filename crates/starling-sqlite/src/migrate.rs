//! The schema, as numbered migrations applied in order at start-up.

use rusqlite::Connection;
use starling_store::{Result, StoreError};

/// The schema's migrations, in order: migration `i` takes `user_version` from `i` to
/// `i + 1`. Each runs in its own transaction together with the version bump, so a crash
/// mid-migration leaves the previous version intact. Append only: never edit one that
/// has shipped, since databases already at its version will not run it again.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_bodies_by_rowid.sql"),
    include_str!("migrations/0003_sessions_and_request_hashes.sql"),
    include_str!("migrations/0004_social_graph.sql"),
    include_str!("migrations/0005_audiences.sql"),
    include_str!("migrations/0006_home_deliveries.sql"),
    include_str!("migrations/0007_media.sql"),
    include_str!("migrations/0008_positions.sql"),
];

/// Bring the database to the newest schema, refusing one written by a newer Starling.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    migrate_to(conn, MIGRATIONS.len())
}

pub(crate) fn migrate_to(conn: &Connection, target: usize) -> Result<()> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(StoreError::internal)?;
    let current = usize::try_from(current).unwrap_or(usize::MAX);
    if current > MIGRATIONS.len() {
        return Err(StoreError::message(format!(
            "the database has schema version {current}, newer than this build knows ({}); \
             run a newer Starling or point --data-dir elsewhere",
            MIGRATIONS.len()
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().take(target).skip(current) {
        let version = index + 1;
        conn.execute_batch(&format!(
            "BEGIN; {sql}\nPRAGMA user_version = {version}; COMMIT;"
        ))
        .map_err(|e| {
            // A failed statement leaves the transaction open; end it so the
            // connection is usable and the earlier version stays.
            let _ = conn.execute_batch("ROLLBACK");
            StoreError::message(format!("schema migration to version {version}: {e}"))
        })?;
        tracing::info!(version, "applied schema migration");
    }
    Ok(())
}
