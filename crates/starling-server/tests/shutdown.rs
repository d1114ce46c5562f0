//! Graceful shutdown of the real binary: SIGTERM while requests are in flight (and a
//! live-update WebSocket is open) makes the process finish them, flush the views it
//! buffers in memory, close the database and exit 0; after a restart every acknowledged
//! view and tweet is there.

mod support;

use crate::support::{Client, Server, eventually};
use futures::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const VIEWERS: usize = 6;

struct Load {
    api: Client,
    token: String,
    tweets: Vec<String>,
    stop: AtomicBool,
    in_flight: AtomicUsize,
    /// Views answered 200, per tweet index.
    acknowledged_views: Vec<AtomicU64>,
    /// Views sent, per tweet index (an upper bound on what may be stored).
    sent_views: Vec<AtomicU64>,
    created: Mutex<Vec<(String, String)>>,
    unexpected: Mutex<Vec<String>>,
}

impl Load {
    async fn view(self: Arc<Self>, which: usize) {
        while !self.stop.load(Ordering::Relaxed) {
            self.in_flight.fetch_add(1, Ordering::SeqCst);
            self.sent_views[which].fetch_add(1, Ordering::SeqCst);
            let outcome = self
                .api
                .try_engage(&self.token, &self.tweets[which], "view")
                .await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            match outcome {
                Ok(reply) if reply.status == 200 => {
                    self.acknowledged_views[which].fetch_add(1, Ordering::SeqCst);
                }
                Ok(reply) => self
                    .unexpected
                    .lock()
                    .unwrap()
                    .push(format!("view → {} {:?}", reply.status, reply.body)),
                // Refused or reset once the server stops accepting: not acknowledged.
                Err(_) => break,
            }
        }
    }

    async fn create(self: Arc<Self>) {
        let mut n = 0;
        while !self.stop.load(Ordering::Relaxed) {
            n += 1;
            let content = format!("written while shutting down, number {n}");
            self.in_flight.fetch_add(1, Ordering::SeqCst);
            let outcome = self.api.try_post(&self.token, &content, None).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            match outcome {
                Ok(reply) if reply.status == 201 => {
                    let id = reply.body["id"].as_str().unwrap().to_string();
                    self.created.lock().unwrap().push((id, content));
                }
                Ok(reply) => self
                    .unexpected
                    .lock()
                    .unwrap()
                    .push(format!("create → {} {:?}", reply.status, reply.body)),
                Err(_) => break,
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_exits_zero_and_keeps_buffered_views() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start_with(
        dir.path(),
        &[
            ("STARLING_RATE_LIMIT", "off"),
            ("STARLING_VIEW_WINDOW", "0"),
        ],
    );
    let api = server.client();
    let user = api.account("watcher").await;
    let mut tweets = Vec::new();
    for i in 0..3 {
        let tweet = api
            .post_tweet(&user.token, &format!("watch me, number {i}"))
            .await;
        tweets.push(tweet["id"].as_str().unwrap().to_string());
    }

    // A subscriber stays connected through the shutdown: it must not keep the process up.
    let ws_url = format!("{}/api/stream", server.url.replacen("http", "ws", 1));
    let (mut socket, _) = tokio_tungstenite::connect_async(&ws_url)
        .await
        .expect("open the stream");
    socket
        .send(Message::text(r#"{"type":"subscribe","all":true}"#))
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .expect("the stream acknowledges the subscription")
        .expect("a message")
        .expect("a message");
    assert!(first.to_text().unwrap().contains("subscribed"), "{first:?}");

    let load = Arc::new(Load {
        api: api.clone(),
        token: user.token.clone(),
        stop: AtomicBool::new(false),
        in_flight: AtomicUsize::new(0),
        acknowledged_views: tweets.iter().map(|_| AtomicU64::new(0)).collect(),
        sent_views: tweets.iter().map(|_| AtomicU64::new(0)).collect(),
        tweets: tweets.clone(),
        created: Mutex::default(),
        unexpected: Mutex::default(),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..VIEWERS {
        tasks.spawn(load.clone().view(i % tweets.len()));
    }
    tasks.spawn(load.clone().create());

    // Views are written behind; wait until plenty are acknowledged, some of them still
    // only in memory, and requests are in flight.
    eventually(
        Duration::from_secs(15),
        "views to be acknowledged under load",
        || async {
            let acked: u64 = load
                .acknowledged_views
                .iter()
                .map(|a| a.load(Ordering::SeqCst))
                .sum();
            (acked >= 300 && load.in_flight.load(Ordering::SeqCst) > 0).then_some(())
        },
    )
    .await;
    server.terminate();

    let status = server.wait_exit(Duration::from_secs(20));
    assert!(
        status.success(),
        "SIGTERM must end in exit status 0, got {status:?}; log:\n{}",
        server.log_tail()
    );
    // The subscriber sees its stream end (close frame or EOF), not a hang.
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = socket.next().await {
            if message.is_close() {
                break;
            }
        }
    })
    .await
    .expect("the stream ends when the server exits");
    load.stop.store(true, Ordering::SeqCst);
    while let Some(done) = tasks.join_next().await {
        done.expect("a load task panicked");
    }
    let unexpected = load.unexpected.lock().unwrap().clone();
    assert!(
        unexpected.is_empty(),
        "errors during shutdown: {unexpected:#?}"
    );

    let restarted = Server::start_with(
        dir.path(),
        &[
            ("STARLING_RATE_LIMIT", "off"),
            ("STARLING_VIEW_WINDOW", "0"),
        ],
    );
    let api = restarted.client();
    let mut views = HashMap::new();
    for (i, id) in tweets.iter().enumerate() {
        let tweet = api.tweet(id, None).await;
        let stored = tweet["engagement"]["views"].as_i64().unwrap() as u64;
        let acked = load.acknowledged_views[i].load(Ordering::SeqCst);
        let sent = load.sent_views[i].load(Ordering::SeqCst);
        assert!(
            (acked..=sent).contains(&stored),
            "tweet {id}: {stored} views stored, {acked} acknowledged, {sent} sent; the \
             first server's log:\n{}",
            server.log_tail()
        );
        views.insert(id.clone(), (acked, stored));
    }
    let created = load.created.lock().unwrap().clone();
    for (id, content) in &created {
        let tweet = api.tweet(id, None).await;
        assert_eq!(tweet["content"], content.as_str());
    }
    eprintln!(
        "views (acknowledged, stored) per tweet: {views:?}; {} tweets created under load",
        created.len()
    );
}
