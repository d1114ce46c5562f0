//! Opening a connection: the pragmas every connection shares, and how storage failures
//! become [`StoreError`]s (keeping the driver's error as the source, for the logs).

use rusqlite::Connection;
use starling_store::StoreError;
use std::path::Path;

pub(crate) fn open_connection(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    use rusqlite::OpenFlags;
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // FULL for any connection that writes on its own; the writer connection switches to
    // NORMAL because its sync thread fsyncs the WAL before acknowledging (writer.rs).
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = OFF;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -32000;",
    )?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// A driver failure, kept as the source of an internal error.
pub(crate) fn sql(e: rusqlite::Error) -> StoreError {
    StoreError::internal(e)
}
