//! What a scenario needs before the clock starts: a reachable server, registered users and
//! existing tweets. None of this is measured.

use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::{Bytes, BytesMut};
use hyper::header::HeaderValue;
use hyper::{StatusCode, Uri};
use serde::Deserialize;

use crate::client::{Conn, bearer};
use crate::content::{Rng, base36};
use crate::target::Target;

pub const PASSWORD: &str = "loadgen-password";

#[derive(Debug, Clone)]
pub struct User {
    pub username: String,
    /// `Bearer <token>`, ready to be cloned into requests.
    pub auth: HeaderValue,
}

#[derive(Deserialize)]
struct Health {
    version: Option<String>,
}

#[derive(Deserialize)]
struct Registered {
    token: String,
}

#[derive(Deserialize)]
pub struct CreatedTweet {
    pub id: String,
}

/// The server's version from `GET /api/health`; fails if the server does not answer.
pub async fn health(target: Arc<Target>) -> Result<Option<String>> {
    let mut conn = Conn::connect(target).await?;
    let req = conn.get(Uri::from_static("/api/health"));
    let health: Health = conn.json(req).await?;
    Ok(health.version)
}

/// Polls `GET /api/health` until it answers 2xx or `timeout` passes.
pub async fn wait_healthy(target: Arc<Target>, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        let mut conn = Conn::lazy(target.clone());
        let req = conn.get(Uri::from_static("/api/health"));
        if let Ok((status, _)) = conn.send_collect(req).await
            && status.is_success()
        {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!(
                "{} did not answer GET /api/health within {timeout:?}",
                target.base
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `n` users with tokens. With `cache`, users registered by an earlier run against the same
/// server are reused (their tokens are checked first), and new ones are appended to the file.
pub async fn users(target: Arc<Target>, n: usize, cache: Option<&Path>) -> Result<Vec<User>> {
    let mut users = match cache {
        Some(path) => load_cached(target.clone(), path).await?,
        None => Vec::new(),
    };
    if users.len() >= n {
        users.truncate(n);
        eprintln!("users: reusing {n} cached users");
        return Ok(users);
    }
    let missing = n - users.len();
    let fresh = register(target, missing).await?;
    if let Some(path) = cache {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        for (user, token) in &fresh {
            writeln!(file, "{} {}", user.username, token)?;
        }
    }
    users.extend(fresh.into_iter().map(|(u, _)| u));
    Ok(users)
}

async fn load_cached(target: Arc<Target>, path: &Path) -> Result<Vec<User>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(Vec::new());
    };
    let mut users = Vec::new();
    for line in text.lines() {
        if let Some((username, token)) = line.split_once(' ') {
            users.push(User {
                username: username.to_string(),
                auth: bearer(token)?,
            });
        }
    }
    if let Some(first) = users.first() {
        let mut conn = Conn::connect(target).await?;
        let req = conn.get_auth(Uri::from_static("/api/me"), &first.auth);
        let valid = matches!(conn.send_collect(req).await, Ok((s, _)) if s.is_success());
        if !valid {
            eprintln!(
                "users: cached tokens in {} are not valid on this server; registering anew",
                path.display()
            );
            std::fs::remove_file(path).ok();
            return Ok(Vec::new());
        }
    }
    Ok(users)
}

/// Registers `n` users, a few at a time: the server hashes each password with argon2, which is
/// CPU-bound, so more concurrency than its cores only queues.
async fn register(target: Arc<Target>, n: usize) -> Result<Vec<(User, String)>> {
    const CONCURRENCY: usize = 4;
    let mut rng = Rng::from_time(0);
    let run = format!("{:0>5}", base36(rng.next_u64() % 36u64.pow(5)));
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let out: Arc<Mutex<Vec<(User, String)>>> = Arc::new(Mutex::new(Vec::with_capacity(n)));
    let started = Instant::now();
    let progress = spawn_progress("registering users", n, done.clone(), started);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY.min(n) {
        let (target, next, done, out, run) = (
            target.clone(),
            next.clone(),
            done.clone(),
            out.clone(),
            run.clone(),
        );
        tasks.spawn(async move {
            let mut conn = Conn::connect(target).await?;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<(), anyhow::Error>(());
                }
                let registered = register_one(&mut conn, &run, i).await?;
                out.lock().expect("not poisoned").push(registered);
                done.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    let mut result = Ok(());
    while let Some(joined) = tasks.join_next().await {
        if let Err(e) = joined.map_err(anyhow::Error::from).and_then(|r| r) {
            result = Err(e);
            tasks.abort_all();
        }
    }
    progress.abort();
    result?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "users: registered {n} in {secs:.1} s ({:.0}/s)",
        n as f64 / secs.max(1e-9)
    );
    Ok(std::mem::take(&mut *out.lock().expect("not poisoned")))
}

async fn register_one(conn: &mut Conn, run: &str, i: usize) -> Result<(User, String)> {
    for attempt in 0..5u64 {
        // "lg" + 5 run chars + the index in base 36 (+ the attempt): at most 15 characters.
        let mut username = format!("lg{run}{}", base36(i as u64));
        if attempt > 0 {
            username.push_str(&base36(attempt));
        }
        let body = serde_json::json!({ "username": username, "password": PASSWORD }).to_string();
        let req = conn.post_json(
            Uri::from_static("/api/auth/register"),
            None,
            Bytes::from(body),
        );
        let (status, body) = conn
            .send_collect(req)
            .await
            .map_err(|f| anyhow::anyhow!("POST /api/auth/register: {}", f.as_str()))?;
        if status == StatusCode::CONFLICT {
            continue;
        }
        if status != StatusCode::CREATED && !status.is_success() {
            bail!(
                "POST /api/auth/register answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
        }
        let registered: Registered =
            serde_json::from_slice(&body).context("POST /api/auth/register: unexpected answer")?;
        let user = User {
            username,
            auth: bearer(&registered.token)?,
        };
        return Ok((user, registered.token));
    }
    bail!("could not find a free username after 5 attempts")
}

/// Creates `n` tweets, round-robin over `users`, and returns their ids.
pub async fn create_tweets(target: Arc<Target>, users: &[User], n: usize) -> Result<Vec<String>> {
    const CONCURRENCY: usize = 16;
    let users: Arc<[User]> = users.to_vec().into();
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let progress = spawn_progress("creating tweets", n, done.clone(), started);
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..CONCURRENCY.min(n) {
        let (target, next, done, users) =
            (target.clone(), next.clone(), done.clone(), users.clone());
        tasks.spawn(async move {
            let mut conn = Conn::connect(target).await?;
            let mut rng = Rng::from_time(c as u64 + 1);
            let tag = format!("seed{}", base36(rng.next_u64()));
            let mut buf = BytesMut::with_capacity(4096);
            let mut ids = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<_, anyhow::Error>(ids);
                }
                let body = crate::content::tweet_body(&mut buf, &mut rng, &tag, c, i as u64);
                let req = conn.post_json(
                    Uri::from_static("/api/tweets"),
                    Some(&users[i % users.len()].auth),
                    body,
                );
                let created: CreatedTweet = conn.json(req).await?;
                ids.push(created.id);
                done.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    let mut ids = Vec::with_capacity(n);
    let mut result = Ok(());
    while let Some(joined) = tasks.join_next().await {
        match joined.map_err(anyhow::Error::from).and_then(|r| r) {
            Ok(mut part) => ids.append(&mut part),
            Err(e) => {
                result = Err(e);
                tasks.abort_all();
            }
        }
    }
    progress.abort();
    result?;
    if n > 1 {
        eprintln!(
            "tweets: created {n} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ids)
}

/// Prints `what: done/total (rate/s)` to stderr once a second until aborted.
pub fn spawn_progress(
    what: &'static str,
    total: usize,
    done: Arc<AtomicUsize>,
    started: Instant,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.tick().await;
        loop {
            tick.tick().await;
            let d = done.load(Ordering::Relaxed);
            eprintln!(
                "{what}: {d}/{total} ({:.0}/s)",
                d as f64 / started.elapsed().as_secs_f64()
            );
        }
    })
}
