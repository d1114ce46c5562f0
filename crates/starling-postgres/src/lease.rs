//! The lease on this node's Snowflake node id. Two live nodes sharing an id would issue
//! the same ids, so a node takes a lease at start-up and refuses to start, with a clear
//! message, when a live node holds it; it renews the lease every third of its lifetime,
//! releases it on shutdown, and a node that dies frees its id when the lease expires.
//! Times are the database's, so the nodes' clocks do not matter.

use crate::connection::{Pool, pg};
use starling_store::{Result, StoreError};
use std::time::Duration;

/// The database's clock, in Unix ms.
const NOW_MS: &str = "(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT";

pub(crate) struct Lease {
    node_id: i64,
    holder: String,
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
                    "INSERT INTO node_leases (node_id, holder, expires_at)
                     VALUES ($1, $2, {NOW_MS} + $3)
                     ON CONFLICT (node_id) DO UPDATE
                        SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
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
        let renewal = tokio::spawn(renew(pool.clone(), node_id, holder.clone(), ttl));
        tracing::info!(node_id, %holder, "took the lease on the node id");
        Ok(Lease {
            node_id,
            holder,
            renewal,
        })
    }

    /// Stop renewing and give the id back.
    pub async fn release(&self, pool: &Pool) {
        self.renewal.abort();
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

async fn renew(pool: Pool, node_id: i64, holder: String, ttl: Duration) {
    let ttl_ms = ttl.as_millis().max(1) as i64;
    let mut tick = tokio::time::interval((ttl / 3).max(Duration::from_millis(10)));
    tick.tick().await;
    loop {
        tick.tick().await;
        let renewed = async {
            let client = pool.client().await?;
            client
                .execute(
                    &format!(
                        "UPDATE node_leases SET expires_at = {NOW_MS} + $3
                         WHERE node_id = $1 AND holder = $2"
                    ),
                    &[&node_id, &holder, &ttl_ms],
                )
                .await
                .map_err(pg)
        };
        match renewed.await {
            Ok(1) => {}
            Ok(_) => tracing::error!(
                node_id,
                "the node id lease was lost (this node was unreachable past its expiry); \
                 another node may now use this id: restart this node"
            ),
            Err(e) => tracing::warn!(error = %e, node_id, "renewing the node id lease failed"),
        }
    }
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
