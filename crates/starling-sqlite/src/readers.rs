//! A pool of read-only connections used from blocking tasks.

use crate::connection::open_connection;
use rusqlite::Connection;
use starling_store::{Result, StoreError};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub(crate) struct ReadPool {
    /// Idle connections. The semaphore guarantees one is here for each permit holder,
    /// so the mutex is held only for a push or a pop.
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

impl ReadPool {
    pub fn open(path: &Path, size: usize) -> rusqlite::Result<Self> {
        let idle = (0..size)
            .map(|_| open_connection(path, true))
            .collect::<rusqlite::Result<_>>()?;
        Ok(Self {
            idle: Mutex::new(idle),
            permits: Arc::new(Semaphore::new(size)),
        })
    }

    pub async fn run<T, F>(self: &Arc<Self>, query: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        // The permit moves into the blocking task: if the caller goes away, the
        // connection is still returned before anyone else may take it.
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(StoreError::internal)?;
        let pool = self.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let conn = pool
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop()
                .expect("a permit guarantees an idle connection");
            let outcome = query(&conn);
            pool.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(conn);
            outcome
        })
        .await
        .map_err(StoreError::internal)?;
        outcome.map_err(StoreError::internal)
    }
}

/// `query` in one read transaction: one snapshot for its statements, and the WAL read
/// lock taken once rather than around each statement (a pair of `fcntl` calls each,
/// which perf showed among the top system calls of home reads).
pub(crate) fn in_snapshot<T>(
    c: &Connection,
    query: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let tx = c.unchecked_transaction()?;
    let outcome = query(&tx)?;
    tx.commit()?;
    Ok(outcome)
}
