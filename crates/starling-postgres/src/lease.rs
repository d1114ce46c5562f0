//! The lease on this node's Snowflake node id, and whether this node is the sole writer.
//!
//! Node ids: two live nodes sharing an id would issue the same ids, so a node takes a
//! lease at start-up and refuses to start, with a clear message, when a live node holds
//! it; it renews the lease, releases it on shutdown, and a node that dies frees its id
//! when the lease expires. Times in the table are the database's.
//!
//! Sole writer: a node may keep tweets in memory only while no other node writes, or
//! a copy could be older than a write acknowledged elsewhere. So a node marks its lease
//! `caching` only when, under a lock on the table, it finds no other live lease; and a
//! node starting next to a caching one waits until that one has seen it and cleared the
//! mark (it stops using its cache *before* it clears the mark). A caching node that
//! cannot renew stops using its cache after half the lease's lifetime by its own clock,
//! well before the lease expires and a newcomer may stop waiting for it.

use crate::connection::{Pool, pg};
use parking_lot::Mutex;
use starling_store::{Result, StoreError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The database's clock, in Unix ms.
const NOW_MS: &str = "(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT";

/// How often the lease is renewed (and the other nodes looked at), at most.
const RENEW_EVERY: Duration = Duration::from_millis(500);

/// Whether this node is the sole writer right now.
#[derive(Default)]
pub(crate) struct Sole {
    state: Mutex<SoleState>,
}

#[derive(Default)]
struct SoleState {
    /// Bumped each time the node becomes the sole writer: copies kept before are stale.
    epoch: u64,
    /// Sole writer until this instant (unless told otherwise sooner).
    until: Option<Instant>,
}

impl Sole {
    /// The current epoch while this node is the sole writer; `None` otherwise.
    pub fn epoch(&self) -> Option<u64> {
        let state = self.state.lock();
        state
            .until
            .filter(|until| Instant::now() < *until)
            .map(|_| state.epoch)
    }

    fn stop(&self) {
        self.state.lock().until = None;
    }

    fn hold_until(&self, until: Instant, newly: bool) {
        let mut state = self.state.lock();
        if newly || state.until.is_none_or(|u| Instant::now() >= u) {
            state.epoch += 1;
        }
        state.until = Some(until);
    }
}

pub(crate) struct Lease {
    node_id: i64,
    holder: String,
    pub sole: Arc<Sole>,
    renewal: tokio::task::JoinHandle<()>,
}

impl Lease {
    pub async fn take(pool: &Pool, node_id: u16, ttl: Duration) -> Result<Lease> {
        let node_id = i64::from(node_id);
        let ttl_ms = ttl.as_millis().max(1) as i64;
        let holder = holder();
        let client = pool.client().await?;
        let taken = client
            .query_opt(
                &format!(
                    "INSERT INTO node_leases (node_id, holder, expires_at, caching)
                     VALUES ($1, $2, {NOW_MS} + $3, false)
                     ON CONFLICT (node_id) DO UPDATE
                        SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
                            caching = false
                        WHERE node_leases.expires_at < {NOW_MS}
                     RETURNING holder"
                ),
                &[&node_id, &holder, &ttl_ms],
            )
            .await
            .map_err(pg)?;
        if taken.is_none() {
            let row = client
                .query_one(
                    &format!(
                        "SELECT holder, GREATEST(expires_at - {NOW_MS}, 0) FROM node_leases
                         WHERE node_id = $1"
                    ),
                    &[&node_id],
                )
                .await
                .map_err(pg)?;
            let (other, left_ms): (String, i64) = (row.get(0), row.get(1));
            return Err(StoreError::message(format!(
                "node id {node_id} is in use by a live node ({other}; its lease runs {} s \
                 more): give every node its own --node-id (0-1023), or wait for the lease \
                 to expire if that node is gone",
                (left_ms + 999) / 1000
            )));
        }
        // Before writing anything: every node that keeps copies must have seen this one
        // and stopped (its next renewal), or its lease must expire.
        let deadline = Instant::now() + ttl * 2;
        loop {
            let caching: i64 = client
                .query_one(
                    &format!(
                        "SELECT COUNT(*) FROM node_leases
                         WHERE node_id <> $1 AND caching AND expires_at > {NOW_MS}"
                    ),
                    &[&node_id],
                )
                .await
                .map_err(pg)?
                .get(0);
            if caching == 0 {
                break;
            }
            if Instant::now() > deadline {
                return Err(StoreError::message(
                    "another node keeps tweets in memory and has not stopped: it must see this \
                     node first (is its connection to the database failing?)",
                ));
            }
            tracing::info!("waiting for the node that keeps tweets in memory to stop");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let sole = Arc::new(Sole::default());
        let renewal = tokio::spawn(renew(
            pool.clone(),
            node_id,
            holder.clone(),
            ttl,
            sole.clone(),
        ));
        tracing::info!(node_id, %holder, "took the lease on the node id");
        Ok(Lease {
            node_id,
            holder,
            sole,
            renewal,
        })
    }

    /// Stop renewing and give the id back.
    pub async fn release(&self, pool: &Pool) {
        self.renewal.abort();
        self.sole.stop();
        let released = async {
            let client = pool.client().await?;
            client
                .execute(
                    "DELETE FROM node_leases WHERE node_id = $1 AND holder = $2",
                    &[&self.node_id, &self.holder],
                )
                .await
                .map_err(pg)
        };
        if let Err(e) = released.await {
            tracing::warn!(error = %e, "could not release the node id lease; it will expire");
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewal.abort();
    }
}

async fn renew(pool: Pool, node_id: i64, holder: String, ttl: Duration, sole: Arc<Sole>) {
    let mut tick = tokio::time::interval((ttl / 3).clamp(Duration::from_millis(10), RENEW_EVERY));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut caching = false;
    loop {
        tick.tick().await;
        let started = Instant::now();
        match renew_once(&pool, node_id, &holder, ttl, &sole, caching).await {
            Ok(Some(alone)) => {
                if alone {
                    // Half the lifetime, counted from before the renewal was sent.
                    sole.hold_until(started + ttl / 2, !caching);
                    if !caching {
                        tracing::info!("the only live node: keeping hot tweets in memory");
                    }
                } else if caching {
                    tracing::info!("other nodes are live: every read goes to the database");
                }
                caching = alone;
            }
            Ok(None) => {
                sole.stop();
                caching = false;
                tracing::error!(
                    node_id,
                    "the node id lease was lost (this node was unreachable past its expiry); \
                     another node may now use this id: restart this node"
                );
            }
            Err(e) => tracing::warn!(error = %e, node_id, "renewing the node id lease failed"),
        }
    }
}

/// Renew the lease and say whether this node is alone (the sole writer); `None` when
/// the lease is gone. `caching` is what the lease says now.
async fn renew_once(
    pool: &Pool,
    node_id: i64,
    holder: &str,
    ttl: Duration,
    sole: &Sole,
    caching: bool,
) -> Result<Option<bool>> {
    let ttl_ms = ttl.as_millis().max(1) as i64;
    let mut client = pool.client().await?;
    let tx = client.transaction().await.map_err(pg)?;
    // Serializes with other nodes' renewals and start-ups, so two nodes never both
    // decide they are alone.
    tx.batch_execute("LOCK TABLE node_leases IN SHARE ROW EXCLUSIVE MODE")
        .await
        .map_err(pg)?;
    let renewed = tx
        .execute(
            &format!(
                "UPDATE node_leases SET expires_at = {NOW_MS} + $3
                 WHERE node_id = $1 AND holder = $2"
            ),
            &[&node_id, &holder, &ttl_ms],
        )
        .await
        .map_err(pg)?;
    if renewed != 1 {
        return Ok(None);
    }
    let others: i64 = tx
        .query_one(
            &format!(
                "SELECT COUNT(*) FROM node_leases WHERE node_id <> $1 AND expires_at > {NOW_MS}"
            ),
            &[&node_id],
        )
        .await
        .map_err(pg)?
        .get(0);
    let alone = others == 0;
    if alone != caching {
        if !alone {
            // Stop using copies before anyone may learn that we did.
            sole.stop();
        }
        tx.execute(
            "UPDATE node_leases SET caching = $2 WHERE node_id = $1",
            &[&node_id, &alone],
        )
        .await
        .map_err(pg)?;
    }
    tx.commit().await.map_err(pg)?;
    Ok(Some(alone))
}

/// Who holds a lease: this host and process, and a random part so a restarted process
/// with a recycled pid is still told apart.
fn holder() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown-host".into());
    let random = std::collections::hash_map::RandomState::new();
    let nonce = std::hash::BuildHasher::hash_one(&random, std::process::id());
    format!("{host}/pid {}/{nonce:016x}", std::process::id())
}
