//! Connection limits: a client that never finishes its request headers is
//! disconnected, and well-behaved clients are served meanwhile.

use starling_api::{ApiConfig, ConnectionLimits, app, serve_with};
use starling_engine::{Engine, EngineConfig};
use starling_sqlite::{Sqlite, SqliteConfig};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let dir = tempfile::tempdir().unwrap();
    let store = Sqlite::open(SqliteConfig::in_dir(dir.path())).unwrap();
    let engine = Engine::start(Arc::new(store), EngineConfig::default())
        .await
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_millis(300),
        max_connections: 64,
    };
    let config = ApiConfig {
        rate_limits: None,
        ..ApiConfig::default()
    };
    tokio::spawn(serve_with(
        listener,
        app(engine, &config),
        std::future::pending(),
        limits,
    ));

    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();

    // Meanwhile a normal request is answered.
    let health = reqwest::get(format!("http://{addr}/api/health"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);

    // The unfinished request is dropped after the timeout: the server closes the socket.
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
    assert!(
        read.is_ok(),
        "the connection stayed open past the header timeout"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "closed before the timeout ({:?})",
        started.elapsed()
    );
}
