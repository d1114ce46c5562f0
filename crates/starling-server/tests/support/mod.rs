//! Support for the durability and concurrency tests: the real `starling` binary on
//! port 0 over a data directory the test owns (so it can be killed and restarted on the
//! same files), the server in-process for tests that need no process boundary, and a
//! small HTTP client for the calls these tests make.
//!
//! Each test file compiles this module on its own and uses a different part of it.
#![allow(dead_code)]

use clap::Parser;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// How long the binary may take to open its database and print the listening line.
pub const START_DEADLINE: Duration = Duration::from_secs(30);
/// Every HTTP request in these tests is bounded, so a hung server fails the test.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Passwords are not what these tests are about; all users share one.
pub const PASSWORD: &str = "correct horse battery";

const READY_PREFIX: &str = "starling listening on ";
const LOG_LINES: usize = 200;

/// The `starling` binary, running. Killed (SIGKILL) on drop if still alive.
pub struct Server {
    child: Child,
    pub url: String,
    pub data_dir: PathBuf,
    /// The last lines of the server's stderr, for failure messages. Drained by a
    /// thread so that a chatty server never blocks on a full pipe.
    log: Arc<Mutex<VecDeque<String>>>,
}

impl Server {
    /// Start with rate limiting off, as load tests need.
    pub fn start(data_dir: &Path) -> Server {
        Self::start_with(data_dir, &[("STARLING_RATE_LIMIT", "off")])
    }

    /// Start with extra environment, and wait (bounded) for the listening line.
    pub fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_starling"));
        command
            .args(["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir"])
            .arg(data_dir)
            .env_remove("STARLING_PORT")
            .env_remove("STARLING_RATE_LIMIT")
            .env("STARLING_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("spawn the starling binary");

        let log = Arc::new(Mutex::new(VecDeque::new()));
        let stderr = child.stderr.take().expect("piped stderr");
        drain_lines(stderr, None, log.clone());
        let (lines, ready) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        drain_lines(stdout, Some(lines), log.clone());

        let deadline = Instant::now() + START_DEADLINE;
        let url = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match ready.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix(READY_PREFIX) {
                        break url.trim().to_string();
                    }
                }
                Err(e) => {
                    let _ = child.kill();
                    let status = child.wait();
                    panic!(
                        "starling did not print its listening line ({e:?}; exit: {status:?}); log:\n{}",
                        tail(&log)
                    );
                }
            }
        };
        Server {
            child,
            url,
            data_dir: data_dir.to_path_buf(),
            log,
        }
    }

    pub fn api(&self) -> Api {
        Api::new(&self.url)
    }

    pub fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).expect("pid fits in i32")
    }

    /// `kill -9`: no flush, no close, no chance to finish anything.
    pub fn kill9(&mut self) {
        self.child.kill().expect("SIGKILL the server");
        let status = self.child.wait().expect("reap the server");
        assert!(!status.success(), "a SIGKILLed server cannot exit cleanly");
    }

    /// Send SIGTERM (graceful shutdown) without waiting.
    pub fn terminate(&self) {
        // SAFETY: plain syscall on the pid of a child we have not reaped yet.
        let rc = unsafe { libc::kill(self.pid(), libc::SIGTERM) };
        assert_eq!(rc, 0, "kill(SIGTERM) failed");
    }

    /// Wait for the process to exit, polling up to `within`.
    pub fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if Instant::now() > deadline {
                panic!(
                    "starling did not exit within {within:?}; log:\n{}",
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn log_tail(&self) -> String {
        tail(&self.log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Read `from` line by line on a thread, keeping the last lines in `log` and passing
/// each to `lines` while someone listens.
fn drain_lines(
    from: impl Read + Send + 'static,
    lines: Option<mpsc::Sender<String>>,
    log: Arc<Mutex<VecDeque<String>>>,
) {
    std::thread::spawn(move || {
        let mut lines = lines;
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if let Some(tx) = &lines
                && tx.send(line.clone()).is_err()
            {
                lines = None;
            }
            let mut log = log.lock().unwrap();
            if log.len() == LOG_LINES {
                log.pop_front();
            }
            log.push_back(line);
        }
    });
}

fn tail(log: &Mutex<VecDeque<String>>) -> String {
    log.lock()
        .unwrap()
        .iter()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The server running inside the test's own runtime: faster to start than the binary.
pub struct InProcess {
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
}

impl InProcess {
    pub async fn start() -> InProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let url = format!("http://{}", listener.local_addr().unwrap());
        // Parsed like the binary's flags, so every other setting keeps its default.
        let cli = starling_server::config::Cli::try_parse_from([
            "starling".as_ref(),
            "serve".as_ref(),
            "--host".as_ref(),
            "127.0.0.1".as_ref(),
            "--rate-limit".as_ref(),
            "off".as_ref(),
            "--data-dir".as_ref(),
            dir.path().as_os_str(),
        ])
        .expect("valid flags");
        let Some(starling_server::config::Command::Serve(args)) = cli.command else {
            unreachable!("the serve subcommand was given")
        };
        let config = starling_server::config::Config::load(&args).expect("valid configuration");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(starling_server::run(config, listener, async {
            let _ = stopped.await;
        }));
        InProcess {
            url,
            stop: Some(stop),
            task: Some(task),
            _dir: dir,
        }
    }

    pub fn api(&self) -> Api {
        Api::new(&self.url)
    }

    /// Graceful shutdown; fails the test if the server did not stop cleanly.
    pub async fn stop(mut self) {
        let _ = self.stop.take().expect("stopped once").send(());
        let task = self.task.take().expect("stopped once");
        tokio::time::timeout(Duration::from_secs(20), task)
            .await
            .expect("the server stops within 20 s")
            .expect("the server task did not panic")
            .expect("the server stopped without error");
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// A response: status and JSON body (`Null` when empty or not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn error_code(&self) -> Option<&str> {
        self.body["error"]["code"].as_str()
    }
}

/// A registered user.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub token: String,
}

impl Account {
    pub fn id_i64(&self) -> i64 {
        self.id.parse().expect("user ids are decimal strings")
    }
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .timeout(REQUEST_TIMEOUT)
                .build()
                .expect("HTTP client"),
        }
    }

    /// One request; transport failures (refused, reset, timeout) are `Err`.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Result<Reply, reqwest::Error> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Reply { status, body })
    }

    /// A request that must reach the server.
    pub async fn must(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let what = format!("{method} {path}");
        self.call(method, path, token, body)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.must(reqwest::Method::GET, path, token, None).await
    }

    pub async fn register(&self, username: &str) -> Account {
        let reply = self
            .must(
                reqwest::Method::POST,
                "/api/auth/register",
                None,
                Some(json!({"username": username, "password": PASSWORD})),
            )
            .await;
        assert_eq!(reply.status, 201, "register {username}: {:?}", reply.body);
        Account {
            id: reply.body["user"]["id"]
                .as_str()
                .expect("user.id is a string")
                .to_string(),
            username: username.to_string(),
            token: reply.body["token"]
                .as_str()
                .expect("token is a string")
                .to_string(),
        }
    }

    pub async fn try_post(
        &self,
        token: &str,
        content: &str,
        reply_to: Option<&str>,
    ) -> Result<Reply, reqwest::Error> {
        let mut body = json!({"content": content});
        if let Some(parent) = reply_to {
            body["replyToId"] = json!(parent);
        }
        self.call(
            reqwest::Method::POST,
            "/api/tweets",
            Some(token),
            Some(body),
        )
        .await
    }

    /// Create a tweet that must succeed; returns the tweet.
    pub async fn post(&self, token: &str, content: &str) -> Value {
        let reply = self
            .try_post(token, content, None)
            .await
            .expect("POST /api/tweets");
        assert_eq!(reply.status, 201, "create: {:?}", reply.body);
        reply.body
    }

    pub async fn try_edit(
        &self,
        token: &str,
        id: &str,
        content: &str,
        expected_version: Option<i64>,
    ) -> Result<Reply, reqwest::Error> {
        let mut body = json!({"content": content});
        if let Some(v) = expected_version {
            body["expectedVersion"] = json!(v);
        }
        self.call(
            reqwest::Method::PUT,
            &format!("/api/tweets/{id}"),
            Some(token),
            Some(body),
        )
        .await
    }

    pub async fn try_engage(
        &self,
        token: &str,
        id: &str,
        action: &str,
    ) -> Result<Reply, reqwest::Error> {
        self.call(
            reqwest::Method::POST,
            &format!("/api/tweets/{id}/engagement"),
            Some(token),
            Some(json!({"action": action})),
        )
        .await
    }

    pub async fn like(&self, token: &str, id: &str) -> Reply {
        self.try_engage(token, id, "like")
            .await
            .expect("POST engagement like")
    }

    /// `GET /api/tweets/:id` that must answer 200.
    pub async fn tweet(&self, id: &str, token: Option<&str>) -> Value {
        let reply = self.get(&format!("/api/tweets/{id}"), token).await;
        assert_eq!(reply.status, 200, "GET tweet {id}: {:?}", reply.body);
        reply.body
    }

    /// `GET /api/tweets/:id/versions` items, which must answer 200.
    pub async fn versions(&self, id: &str) -> Vec<Value> {
        let reply = self.get(&format!("/api/tweets/{id}/versions"), None).await;
        assert_eq!(reply.status, 200, "GET versions {id}: {:?}", reply.body);
        reply.body["items"]
            .as_array()
            .expect("versions.items is an array")
            .clone()
    }

    pub async fn stats(&self) -> Value {
        let reply = self.get("/api/tweets/system/stats", None).await;
        assert_eq!(reply.status, 200, "stats: {:?}", reply.body);
        reply.body
    }
}

/// A tiny deterministic generator, so the load is varied but reproducible.
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Poll `check` until it returns `Some`, or panic with `what` after `within`.
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
