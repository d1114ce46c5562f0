//! What the nodes of a cluster share besides the store: the event bus ([`crate::bus`])
//! and rate-limit buckets ([`SharedLimiter`]). A single process shares nothing
//! ([`Cluster::local`]); `starling-redis` provides both over Redis.
//!
//! Key decision: neither holds truth. When the shared service is away, the node falls
//! back to its own (a local bus, its own buckets) and keeps serving.

use crate::bus::{EventBus, LocalBus};
use std::sync::Arc;

/// One rate-limit bucket to take a request from: `per_second` refill, `burst` size.
#[derive(Debug, Clone, Copy)]
pub struct Bucket<'a> {
    pub key: &'a str,
    pub per_second: u32,
    pub burst: u32,
}

/// The shared service did not answer in time; the caller uses its own state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable;

/// Rate-limit buckets every node draws from.
#[async_trait::async_trait]
pub trait SharedLimiter: Send + Sync + 'static {
    /// Take one request from each bucket, in order, stopping at the first that is
    /// empty: `Ok(None)` when every bucket had room, `Ok(Some(seconds))` to wait when
    /// one had none.
    async fn take(&self, buckets: &[Bucket<'_>]) -> Result<Option<u64>, Unavailable>;
}

/// How this node reaches the others.
#[derive(Clone)]
pub struct Cluster {
    pub bus: Arc<dyn EventBus>,
    /// `None`: each node limits on its own.
    pub limiter: Option<Arc<dyn SharedLimiter>>,
    /// Stored home timelines every node reads and delivers into; `None`: this
    /// process's memory (a single process only: another node's deliveries would miss it).
    pub home: Option<Arc<dyn crate::timelines::HomeCache>>,
}

impl Cluster {
    /// A single process: a local bus, no shared limits.
    pub fn local() -> Self {
        Self {
            bus: Arc::new(LocalBus::new(4096)),
            limiter: None,
            home: None,
        }
    }
}
