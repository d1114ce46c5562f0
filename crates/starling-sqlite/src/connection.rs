//! Opening a connection: the pragmas every connection shares, and how storage failures
//! become [`StoreError`]s (keeping the driver's error as the source, for the logs).

use rusqlite::Connection;
use starling_store::StoreError;
use std::path::Path;

pub(crate) fn open_connection(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    use rusqlite::OpenFlags;
    use rusqlite::config::DbConfig;
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
    // Plans that never depend on bound values. Without this, SQLite marks a statement
    // with a join (and a few other shapes) to be prepared again whenever a parameter is
    // rebound, so every cached statement was re-parsed and re-planned on every use: a
    // tweet read by id took 145 µs instead of 10 (perf during home reads at 100,000
    // users put a third of the server's time in sqlite3Reprepare). Our queries are
    // written for their indexes, so nothing is lost.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// A driver failure, kept as the source of an internal error.
pub(crate) fn sql(e: rusqlite::Error) -> StoreError {
    StoreError::internal(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    /// A cached statement with a join is not prepared again when its parameters change
    /// (it was, on every use, before the planner was told to keep its plans).
    #[test]
    fn cached_joins_are_not_prepared_again_on_each_binding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let conn = open_connection(&path, false).unwrap();
        conn.execute_batch(
            "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER NOT NULL);
             CREATE TABLE b (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             INSERT INTO b VALUES (1, 'one'), (2, 'two');
             INSERT INTO a VALUES (10, 1), (20, 2), (30, 1);",
        )
        .unwrap();
        let sql = "SELECT b.name FROM a JOIN b ON b.id = a.b_id WHERE a.id = ?1";
        let mut names = Vec::new();
        for id in [10, 20, 30, 20] {
            let mut stmt = conn.prepare_cached(sql).unwrap();
            names.push(stmt.query_row([id], |r| r.get::<_, String>(0)).unwrap());
            assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0);
        }
        assert_eq!(names, ["one", "two", "one", "two"]);
    }
}
