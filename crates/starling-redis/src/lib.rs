//! What Starling's nodes share through Redis: the event bus that carries each node's
//! events to every other node ([`bus::RedisBus`]), the rate-limit buckets every node
//! draws from ([`limits::RedisLimiter`]) and the stored home timelines every node
//! delivers into and reads ([`home::RedisHome`], a cache the engine rebuilds from the
//! store when it is missing).
//!
//! Key decision: Redis holds no truth. PostgreSQL has every acknowledged write; Redis
//! only carries what is live. A node starts without Redis, serves while Redis is away
//! (its events reach its own clients only, its limits are its own) and picks Redis up
//! again by itself, in the background, when it returns. What is lost meanwhile is live
//! events between nodes, never data.

pub mod bus;
pub mod home;
pub mod limits;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use starling_core::settings::Secret;
use starling_engine::cluster::Cluster;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The `[redis]` section: present when `STARLING_REDIS_URL` (or `redis.url`) is set.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RedisConfig {
    /// `redis://[:password@]host:port/[db]`; a secret, since it may hold a password.
    pub url: Secret,
    /// Longest wait for one Redis command before the node goes on without it.
    #[serde(
        default = "default_timeout",
        deserialize_with = "starling_core::settings::duration"
    )]
    pub timeout: Duration,
}

fn default_timeout() -> Duration {
    Duration::from_millis(250)
}

/// Why Redis could not be used; never names the URL (it may hold a password).
#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct RedisError(String);

/// Commands to Redis: one multiplexed connection, connected in the background and
/// reconnected by itself (`None` until the first connection succeeds).
#[derive(Clone)]
pub(crate) struct Commands {
    connection: watch::Receiver<Option<ConnectionManager>>,
    timeout: Duration,
}

impl Commands {
    pub(crate) fn get(&self) -> Option<ConnectionManager> {
        self.connection.borrow().clone()
    }
}

/// This node's link to Redis: a bus and shared limits over it, ready for
/// [`starling_engine::Engine::start_in`].
pub struct Redis {
    client: redis::Client,
    commands: Commands,
    /// Tells every background task to stop.
    stop: watch::Sender<bool>,
}

impl Redis {
    /// Check the URL and start connecting in the background. Fails only on a malformed
    /// URL: Redis being down is not a reason for a node not to start.
    pub fn connect(config: &RedisConfig) -> Result<Self, RedisError> {
        let client = redis::Client::open(config.url.expose())
            .map_err(|e| RedisError(format!("invalid redis URL ({})", e.category())))?;
        let (stop, _) = watch::channel(false);
        let (set, connection) = watch::channel(None);
        let timeout = config.timeout;
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout.max(Duration::from_secs(1))))
            .set_response_timeout(Some(timeout))
            .set_min_delay(Duration::from_millis(100))
            .set_max_delay(Duration::from_secs(1));
        let connecting = client.clone();
        let mut stopped = stop.subscribe();
        tokio::spawn(async move {
            loop {
                let attempt = tokio::select! {
                    _ = stopped.changed() => return,
                    attempt = connecting.get_connection_manager_with_config(manager_config.clone()) => attempt,
                };
                match attempt {
                    Ok(manager) => {
                        tracing::info!("connected to redis");
                        let _ = set.send(Some(manager));
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e.category(), "redis unreachable; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(Self {
            client,
            commands: Commands {
                connection,
                timeout,
            },
            stop,
        })
    }

    /// The bus, shared limits and stored home timelines of `node` (a name unique among
    /// live nodes).
    pub fn cluster(&self, node: String, home: &starling_engine::HomeConfig) -> Cluster {
        Cluster {
            bus: Arc::new(bus::RedisBus::start(
                self.client.clone(),
                self.commands.clone(),
                node,
                self.stop.subscribe(),
            )),
            limiter: Some(Arc::new(limits::RedisLimiter::new(self.commands.clone()))),
            home: Some(Arc::new(home::RedisHome::new(self.commands.clone(), home))),
        }
    }

    /// Whether commands reach Redis right now (for `/metrics` and health).
    pub async fn reachable(&self) -> bool {
        let Some(mut connection) = self.commands.get() else {
            return false;
        };
        let command = redis::cmd("PING");
        let ping = command.query_async::<String>(&mut connection);
        matches!(
            tokio::time::timeout(self.commands.timeout, ping).await,
            Ok(Ok(_))
        )
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
