//! The server in the test's own process, on a random port with a fresh data directory:
//! [`spawn`] takes a config tweak and runs on the storage backend under test
//! ([`Backend::under_test`]), so every API test can run once per backend.

use super::client::Client;
use starling_core::settings::Secret;
use starling_postgres::PostgresConfig;
use starling_postgres::testing::FreshDatabase;
use starling_server::config::{Config, StoreConfig};
use std::net::SocketAddr;
use std::ops::Deref;
use std::time::Duration;
use tokio::sync::oneshot;

/// A storage backend the tests can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// A fresh database on the server named by `STARLING_TEST_DATABASE_URL`.
    Postgres,
}

impl Backend {
    /// The backend named by `STARLING_TEST_BACKEND` (`sqlite`, the default, or
    /// `postgres`). The test command runs the API tests once per backend.
    pub fn under_test() -> Backend {
        match std::env::var("STARLING_TEST_BACKEND").as_deref() {
            Err(_) | Ok("") | Ok("sqlite") => Backend::Sqlite,
            Ok("postgres") => Backend::Postgres,
            Ok(other) => panic!("STARLING_TEST_BACKEND={other}: no such backend"),
        }
    }

    /// Point `config` at this backend; the guard keeps its database alive.
    async fn configure(self, config: &mut Config) -> Option<FreshDatabase> {
        match self {
            Backend::Sqlite => {
                config.store = StoreConfig::default();
                None
            }
            Backend::Postgres => {
                let database = FreshDatabase::create().await;
                config.store = StoreConfig::Postgres(PostgresConfig {
                    url: Secret::new(database.url.clone()),
                    pool_size: 8,
                    ..PostgresConfig::default()
                });
                Some(database)
            }
        }
    }
}

/// A running server and a client for it (through `Deref`). Dropping it signals shutdown;
/// the test's runtime ends the rest.
pub struct TestApp {
    pub addr: SocketAddr,
    client: Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// Kept so the directory outlives the server.
    _data_dir: tempfile::TempDir,
    /// The server's database, on PostgreSQL; dropped after the server.
    _database: Option<FreshDatabase>,
}

impl Deref for TestApp {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

/// The server on the backend under test, configured as a load test runs it (rate limits
/// and per-address bounds off: many tests drive it from one address) with a small
/// cache, and then whatever `tweak` changes.
pub async fn spawn(tweak: impl FnOnce(&mut Config)) -> TestApp {
    spawn_on(Backend::under_test(), tweak).await
}

/// [`spawn`] on a given backend.
pub async fn spawn_on(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary data directory");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let addr = listener.local_addr().expect("local address");
    let mut config = Config::new(
        &addr.ip().to_string(),
        addr.port(),
        data_dir.path().join("data"),
    );
    let database = backend.configure(&mut config).await;
    if let Some(storage) = s3_storage().await {
        config.engine.media.storage = storage;
    }
    config.engine.cache_capacity = 1_000;
    config.lift_client_limits();
    tweak(&mut config);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(starling_server::run(config, listener, async move {
        let _ = rx.await;
    }));
    // The listener is already bound, so requests queue in its backlog until the server
    // accepts them: no need to wait for start-up.
    TestApp {
        addr,
        client: Client::new(&format!("http://{addr}")),
        shutdown: Some(tx),
        task: Some(task),
        _data_dir: data_dir,
        _database: database,
    }
}

impl TestApp {
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self._data_dir.path().join("data")
    }

    /// Signal shutdown and wait for the server to finish it; `None` if it has not
    /// within `within`.
    pub async fn shut_down(mut self, within: Duration) -> Option<Duration> {
        let started = std::time::Instant::now();
        let _ = self.shutdown.take().expect("shut down once").send(());
        let task = self.task.take().expect("shut down once");
        tokio::time::timeout(within, task)
            .await
            .ok()
            .map(|_| started.elapsed())
    }

    /// Graceful shutdown that must complete cleanly within 20 s.
    pub async fn stop(mut self) {
        let _ = self.shutdown.take().expect("stopped once").send(());
        let task = self.task.take().expect("stopped once");
        tokio::time::timeout(Duration::from_secs(20), task)
            .await
            .expect("the server stops within 20 s")
            .expect("the server task did not panic")
            .expect("the server stopped without error");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Media on the S3-compatible server of `scripts/s3.sh` when `STARLING_TEST_MEDIA=s3`
/// (`STARLING_TEST_S3_ENDPOINT` names it), in a bucket of the test's own; else `None`
/// (the data directory).
async fn s3_storage() -> Option<starling_media::Storage> {
    if std::env::var("STARLING_TEST_MEDIA").as_deref() != Ok("s3") {
        return None;
    }
    let endpoint = std::env::var("STARLING_TEST_S3_ENDPOINT").expect(
        "STARLING_TEST_MEDIA=s3 needs STARLING_TEST_S3_ENDPOINT (eval \"$(scripts/s3.sh start)\")",
    );
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let bucket = format!(
        "starling-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let made = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("the S3 server answers");
    assert!(
        made.status().is_success(),
        "creating bucket {bucket}: {}",
        made.status()
    );
    Some(starling_media::Storage::S3(starling_media::S3Config {
        endpoint,
        bucket,
        region: "us-east-1".into(),
        access_key_id: "starling-test".into(),
        secret_access_key: "starling-test-secret".parse().expect("a secret"),
    }))
}
