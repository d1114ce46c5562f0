//! The connection pool, transactions with retry, and how driver errors become
//! [`StoreError`]s: an unreachable or restarting database is `Overloaded` (the API
//! answers 503 with `Retry-After`), a failed statement is `Internal` with the driver's
//! error kept as its source.

use crate::PostgresConfig;
use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod, Runtime};
use starling_store::{Result, StoreError};
use std::str::FromStr;
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

pub(crate) type Client = deadpool_postgres::Object;
pub(crate) type Tx<'a> = deadpool_postgres::Transaction<'a>;

#[derive(Clone)]
pub(crate) struct Pool(deadpool_postgres::Pool);

impl Pool {
    pub fn new(config: &PostgresConfig) -> Result<Self> {
        let mut pg = tokio_postgres::Config::from_str(config.url.expose())
            // The message names the setting, never the URL (it may hold a password).
            .map_err(|_| StoreError::message("the PostgreSQL URL is not valid"))?;
        pg.connect_timeout(config.connect_timeout)
            .application_name("starling")
            // Durability is the contract: an acknowledged write survives a crash.
            .options("-c synchronous_commit=on");
        let manager = Manager::from_config(
            pg,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = deadpool_postgres::Pool::builder(manager)
            .max_size(config.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(config.connect_timeout))
            .create_timeout(Some(config.connect_timeout))
            .recycle_timeout(Some(config.connect_timeout))
            .build()
            .map_err(StoreError::internal)?;
        Ok(Self(pool))
    }

    /// A connection, or `Overloaded` when none comes within the connect timeout (the
    /// database is down, restarting, or every connection is busy).
    pub async fn client(&self) -> Result<Client> {
        self.0.get().await.map_err(|e| {
            tracing::warn!(error = %e, "no PostgreSQL connection");
            StoreError::Overloaded
        })
    }

    pub fn close(&self) {
        self.0.close();
    }
}

/// A driver error: a connection that broke is `Overloaded` (retry later); anything
/// else is `Internal`, with the driver's error kept for the logs.
pub(crate) fn pg(e: tokio_postgres::Error) -> StoreError {
    let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
    let shutting_down = e.code().is_some_and(|c| {
        c == &SqlState::ADMIN_SHUTDOWN
            || c == &SqlState::CRASH_SHUTDOWN
            || c == &SqlState::CANNOT_CONNECT_NOW
    });
    if e.is_closed() || io || shutting_down {
        tracing::warn!(error = %e, "PostgreSQL connection failed");
        return StoreError::Overloaded;
    }
    StoreError::internal(e)
}

/// Whether the transaction lost a race the database detected (a serialization failure
/// or a deadlock) and is worth running again.
pub(crate) fn retryable(e: &StoreError) -> bool {
    let StoreError::Internal(source) = e else {
        return false;
    };
    source
        .downcast_ref::<tokio_postgres::Error>()
        .and_then(|e| e.code())
        .is_some_and(|c| {
            c == &SqlState::T_R_SERIALIZATION_FAILURE || c == &SqlState::T_R_DEADLOCK_DETECTED
        })
}

/// The next batch for a batch runner: wait for one job, then take every job already
/// queued, up to `max`. `None` when the queue is closed.
pub(crate) async fn next_batch<T>(
    jobs: &mut tokio::sync::mpsc::Receiver<T>,
    batch: &mut Vec<T>,
    max: usize,
) -> Option<()> {
    batch.push(jobs.recv().await?);
    while batch.len() < max {
        match jobs.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(())
}

/// How many times a transaction that lost a detected race is run again.
pub(crate) const RETRIES: u32 = 4;

/// Run `$body` (an expression using `$tx: &Tx`) in a transaction on a pooled
/// connection, commit it, and run it again if the database reports a serialization
/// failure or deadlock. The body's inputs are re-read on every attempt, so it must not
/// consume them.
macro_rules! transaction {
    ($pool:expr, |$tx:ident| $body:expr) => {{
        let mut attempt = 0u32;
        loop {
            let mut client = $pool.client().await?;
            let $tx = client.transaction().await.map_err($crate::connection::pg)?;
            let outcome = { $body }.await;
            let outcome = match outcome {
                Ok(value) => $tx
                    .commit()
                    .await
                    .map(|()| value)
                    .map_err($crate::connection::pg),
                Err(e) => {
                    let _ = $tx.rollback().await;
                    Err(e)
                }
            };
            match outcome {
                Err(e)
                    if $crate::connection::retryable(&e)
                        && attempt < $crate::connection::RETRIES =>
                {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(2u64 << attempt)).await;
                }
                other => break other,
            }
        }
    }};
}
pub(crate) use transaction;
