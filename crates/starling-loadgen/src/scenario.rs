//! The measured loops. Every scenario follows the same shape: set up (users, tweets), open one
//! connection per virtual client, let each client run its loop until the window closes, merge the
//! clients' recorders, then check what can be checked (exact like counts, the seed's check).
//!
//! The loops are closed: each client has one request in flight at a time, so C connections means
//! at most C concurrent requests, as a set of real clients on keep-alive connections would.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::{Bytes, BytesMut};
use hyper::{StatusCode, Uri};
use serde::Deserialize;

use crate::client::{Conn, Failure, Outcome};
use crate::content::{Rng, base36, tweet_body};
use crate::memory::{CpuUsage, StatsSampler, proc_status};
use crate::setup::{self, User};
use crate::stats::{Check, Expectations, Recorder, RunReport, ServerMemory, Window, unix_time};
use crate::target::Target;

/// How long clients may overrun the end of the window before the run stops waiting for them.
const GRACE: Duration = Duration::from_secs(10);
/// The seed's own check: this many concurrent posts, all successful, p95 below the limit.
const SEED_POSTS: usize = 100;
const SEED_P95_MS: f64 = 100.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// C connections post tweets with unique content.
    Create,
    /// C connections read random tweets among N pre-created ones.
    Get,
    /// Distinct users like one hot tweet, then toggle like/unlike; the final count is checked.
    Like,
    /// 100 concurrent posts once: all must succeed with p95 < 100 ms.
    SeedCheck,
    /// 70% get, 20% like/unlike, 10% create.
    Mixed,
    /// Follows and unfollows on a Zipf-shaped graph of all users, with profile reads;
    /// followers counts checked exactly.
    Graph,
    /// Reads of the thread of a conversation with 1,000 replies.
    Thread,
    /// Reads of random users' home timelines on the Zipf graph (every timeline stored).
    Home,
    /// Posts by Zipf-drawn authors delivered to every follower's home timeline;
    /// deliveries counted exactly, their rate and latency from the server's stats.
    Fanout,
}

impl Scenario {
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Create => "create",
            Scenario::Get => "get",
            Scenario::Like => "like",
            Scenario::SeedCheck => "seed-check",
            Scenario::Mixed => "mixed",
            Scenario::Graph => "graph",
            Scenario::Thread => "thread",
            Scenario::Home => "home",
            Scenario::Fanout => "fanout",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RunConfig {
    pub target: Arc<Target>,
    pub scenario: Scenario,
    pub connections: usize,
    pub duration: Duration,
    pub warmup: Duration,
    /// `None`: a default that suits the scenario (see [`default_users`]).
    pub users: Option<usize>,
    pub users_file: Option<PathBuf>,
    /// Tweets created before `get` and `mixed` start.
    pub tweets: usize,
    /// `fanout`: posts per second in all (0: unpaced).
    pub rate: f64,
    /// `home`, `fanout`: the graph is in the store already (`starling seed-graph`).
    pub graph_seeded: bool,
    pub tweets_seeded: bool,
    pub server_pid: Option<u32>,
    pub label: Option<String>,
    pub threads: usize,
    pub expect: Expectations,
}

/// Registration is slow (argon2 on the server), so defaults stay modest: as many users as
/// connections where distinct users matter (`like`), a few dozen elsewhere.
pub fn default_users(scenario: Scenario, connections: usize) -> usize {
    match scenario {
        Scenario::Like => connections,
        Scenario::SeedCheck => 10,
        Scenario::Create | Scenario::Get | Scenario::Mixed | Scenario::Thread => {
            connections.min(32)
        }
        // A graph big enough for a long tail (about 7,500 follows).
        Scenario::Graph | Scenario::Home | Scenario::Fanout => 1_000,
    }
}

/// What a run has measured before it becomes a report.
pub(crate) struct Measured {
    pub(crate) names: &'static [&'static str],
    pub(crate) recorder: Recorder,
    pub(crate) secs: f64,
    pub(crate) connections: usize,
    pub(crate) checks: Vec<Check>,
    pub(crate) notes: Vec<String>,
    pub(crate) cpu: CpuUsage,
}

pub async fn run(cfg: RunConfig) -> Result<RunReport> {
    let target = cfg.target.clone();
    let version = setup::health(target.clone()).await?;
    let users_wanted = cfg
        .users
        .unwrap_or_else(|| default_users(cfg.scenario, cfg.connections))
        .max(1);
    let users = setup::users(target.clone(), users_wanted, cfg.users_file.as_deref()).await?;
    let users: Arc<[User]> = users.into();
    let sampler = StatsSampler::start(target.clone());
    let measured = match cfg.scenario {
        Scenario::Create => create(&cfg, users.clone()).await?,
        Scenario::Get => get(&cfg, users.clone()).await?,
        Scenario::Like => like(&cfg, users.clone()).await?,
        Scenario::SeedCheck => seed_check(&cfg, users.clone()).await?,
        Scenario::Mixed => mixed(&cfg, users.clone()).await?,
        Scenario::Graph => crate::social::graph(&cfg, users.clone()).await?,
        Scenario::Thread => crate::social::thread(&cfg, users.clone()).await?,
        Scenario::Home => crate::home::home(&cfg, users.clone()).await?,
        Scenario::Fanout => crate::home::fanout(&cfg, users.clone()).await?,
    };
    let memory = server_memory(cfg.server_pid, sampler, target.clone()).await;
    let (ops, total) = measured.recorder.reports(measured.names, measured.secs);
    let mut report = RunReport {
        label: cfg.label.clone(),
        scenario: cfg.scenario.name().to_string(),
        url: target.base.clone(),
        baseline: version.as_deref() == Some(crate::baseline::VERSION),
        server_version: version,
        connections: measured.connections,
        users: users.len(),
        threads: cfg.threads,
        warmup_secs: if cfg.scenario == Scenario::SeedCheck {
            0.0
        } else {
            cfg.warmup.as_secs_f64()
        },
        measured_secs: measured.secs,
        ops,
        total,
        checks: measured.checks,
        server_memory: memory,
        expect: cfg.expect.clone(),
        notes: measured.notes,
        cpu: measured.cpu,
        unix_time: unix_time(),
    };
    report.check_expectations();
    Ok(report)
}

async fn server_memory(
    pid: Option<u32>,
    sampler: StatsSampler,
    target: Arc<Target>,
) -> ServerMemory {
    let stats_rss_max_bytes = sampler.finish(target).await;
    let (vm_hwm_bytes, vm_rss_bytes) = pid.map_or((None, None), proc_status);
    ServerMemory {
        pid,
        vm_hwm_bytes,
        vm_rss_bytes,
        stats_rss_max_bytes,
    }
}

/// Opens `connections` connections, then runs one client per connection in the window that
/// starts after `warmup`. Clients whose loop outlives the window by more than [`GRACE`] are
/// aborted; their slot in the returned vector is `None` and their samples are lost.
pub(crate) async fn drive<T, F, Fut>(
    target: &Arc<Target>,
    server_pid: Option<u32>,
    connections: usize,
    warmup: Duration,
    duration: Duration,
    mut client: F,
) -> Result<Driven<T>>
where
    F: FnMut(usize, Conn, Window) -> Fut,
    Fut: Future<Output = (Recorder, T)> + Send + 'static,
    T: Send + 'static,
{
    let mut conns = Vec::with_capacity(connections);
    for _ in 0..connections {
        conns.push(Conn::connect(target.clone()).await?);
    }
    let window = Window::after(warmup, duration);
    let cpu = crate::memory::measure_cpu(window, server_pid);
    let mut tasks = tokio::task::JoinSet::new();
    for (i, conn) in conns.into_iter().enumerate() {
        let fut = client(i, conn, window);
        tasks.spawn(async move { (i, fut.await) });
    }
    let mut merged: Option<Recorder> = None;
    let mut outputs: Vec<Option<T>> = (0..connections).map(|_| None).collect();
    let mut notes = Vec::new();
    let deadline = tokio::time::Instant::from_std(window.end + GRACE);
    loop {
        match tokio::time::timeout_at(deadline, tasks.join_next()).await {
            Ok(Some(joined)) => {
                let (i, (recorder, output)) = joined.context("a client task failed")?;
                match &mut merged {
                    Some(m) => m.merge(&recorder),
                    None => merged = Some(recorder),
                }
                outputs[i] = Some(output);
            }
            Ok(None) => break,
            Err(_) => {
                let hung = tasks.len();
                tasks.abort_all();
                notes.push(format!("{hung} clients were still waiting for an answer {GRACE:?} after the end; their samples are lost"));
                break;
            }
        }
    }
    let recorder = merged.unwrap_or_else(|| Recorder::new(window, 0));
    // The sampler takes its last reading when the window closes, at about the time the clients
    // stop. Clients that finish early (seed-check, fill) leave the window open: no CPU figure then.
    let cpu = if Instant::now() >= window.end {
        match tokio::time::timeout(Duration::from_secs(2), cpu).await {
            Ok(Ok(usage)) => usage,
            _ => CpuUsage::default(),
        }
    } else {
        cpu.abort();
        CpuUsage::default()
    };
    Ok(Driven {
        recorder,
        outputs,
        window,
        notes,
        cpu,
    })
}

pub(crate) struct Driven<T> {
    pub(crate) recorder: Recorder,
    /// Each client's output, `None` for a client aborted after the grace period.
    pub(crate) outputs: Vec<Option<T>>,
    pub(crate) window: Window,
    pub(crate) notes: Vec<String>,
    pub(crate) cpu: CpuUsage,
}

/// A client that cannot connect should not spin: the error is counted, then it waits a little.
pub(crate) async fn pace(outcome: &Outcome) {
    if matches!(outcome, Err(Failure::Connect)) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn run_tag() -> String {
    format!(
        "lg{}",
        base36(Rng::from_time(u64::MAX).next_u64() % 36u64.pow(6))
    )
}

async fn create(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    eprintln!(
        "create: {} connections for {:?} after {:?} warm-up",
        cfg.connections, cfg.duration, cfg.warmup
    );
    let tag: Arc<str> = run_tag().into();
    let Driven {
        recorder,
        window,
        notes,
        cpu,
        ..
    } = drive(
        &cfg.target,
        cfg.server_pid,
        cfg.connections,
        cfg.warmup,
        cfg.duration,
        |i, mut conn, window| {
            let auth = users[i % users.len()].auth.clone();
            let tag = tag.clone();
            async move {
                let mut rec = Recorder::new(window, 1);
                let mut rng = Rng::from_time(i as u64);
                let mut buf = BytesMut::with_capacity(8192);
                let uri = Uri::from_static("/api/tweets");
                let mut seq = 0u64;
                loop {
                    let started = Instant::now();
                    if started >= window.end {
                        break;
                    }
                    let body = tweet_body(&mut buf, &mut rng, &tag, i, seq);
                    seq += 1;
                    let outcome = conn
                        .send(conn.post_json(uri.clone(), Some(&auth), body))
                        .await;
                    rec.record(0, started, Instant::now(), &outcome);
                    pace(&outcome).await;
                }
                (rec, ())
            }
        },
    )
    .await?;
    Ok(Measured {
        names: &["create"],
        recorder,
        secs: window.secs(),
        connections: cfg.connections,
        checks: vec![],
        notes,
        cpu,
    })
}

fn tweet_uris(ids: &[String], suffix: &str) -> Result<Arc<[Uri]>> {
    ids.iter()
        .map(|id| {
            Uri::try_from(format!("/api/tweets/{id}{suffix}"))
                .context("the server sent an id that is not a path segment")
        })
        .collect::<Result<Vec<_>>>()
        .map(Into::into)
}

async fn get(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    let ids = setup::create_tweets(cfg.target.clone(), &users, cfg.tweets.max(1)).await?;
    let uris = tweet_uris(&ids, "")?;
    eprintln!(
        "get: {} connections over {} tweets for {:?} after {:?} warm-up",
        cfg.connections,
        ids.len(),
        cfg.duration,
        cfg.warmup
    );
    let Driven {
        recorder,
        window,
        notes,
        cpu,
        ..
    } = drive(
        &cfg.target,
        cfg.server_pid,
        cfg.connections,
        cfg.warmup,
        cfg.duration,
        |i, mut conn, window| {
            let uris = uris.clone();
            async move {
                let mut rec = Recorder::new(window, 1);
                let mut rng = Rng::from_time(i as u64);
                loop {
                    let started = Instant::now();
                    if started >= window.end {
                        break;
                    }
                    let uri = uris[rng.below(uris.len())].clone();
                    let outcome = conn.send(conn.get(uri)).await;
                    rec.record(0, started, Instant::now(), &outcome);
                    pace(&outcome).await;
                }
                (rec, ())
            }
        },
    )
    .await?;
    Ok(Measured {
        names: &["get"],
        recorder,
        secs: window.secs(),
        connections: cfg.connections,
        checks: vec![],
        notes,
        cpu,
    })
}

/// What the generator knows of one user's like on the hot tweet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LikeState {
    NotLiked,
    Liked,
    /// The last request's fate is unknown (the connection broke, or a 5xx other than 503): the
    /// server may or may not have applied it.
    Unknown,
}

impl LikeState {
    /// The state after an answer to `like` (or `unlike` when `like` is false). Anything that is not
    /// a 2xx, a 503 (load shed: not applied) or a 4xx leaves the state unknown.
    fn after(self, like: bool, outcome: &Outcome) -> LikeState {
        match outcome {
            Ok(s) if s.is_success() => {
                if like {
                    LikeState::Liked
                } else {
                    LikeState::NotLiked
                }
            }
            Ok(s) if s.is_client_error() || *s == StatusCode::SERVICE_UNAVAILABLE => self,
            Err(Failure::Connect) => self,
            _ => LikeState::Unknown,
        }
    }
}

static LIKE: Bytes = Bytes::from_static(br#"{"action":"like"}"#);
static UNLIKE: Bytes = Bytes::from_static(br#"{"action":"unlike"}"#);

#[derive(Deserialize)]
struct TweetEngagement {
    engagement: Engagement,
}

#[derive(Deserialize)]
struct Engagement {
    likes: u64,
}

async fn like(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    let mut notes = Vec::new();
    let connections = if users.len() < cfg.connections {
        notes.push(format!(
            "only {} users for {} connections: ran {} connections so that each user has one",
            users.len(),
            cfg.connections,
            users.len()
        ));
        users.len()
    } else {
        cfg.connections
    };
    let hot = setup::create_tweets(cfg.target.clone(), &users[..1], 1)
        .await?
        .remove(0);
    let uri: Uri = format!("/api/tweets/{hot}/engagement").parse()?;
    eprintln!(
        "like: {} users on tweet {hot} from {connections} connections for {:?} after {:?} warm-up (each user likes once, then toggles)",
        users.len(),
        cfg.duration,
        cfg.warmup
    );
    // Client i owns users i, i + C, i + 2C, ...: a user's requests are never concurrent, so the
    // last acknowledged action of each user is well defined.
    let Driven {
        recorder,
        outputs,
        window,
        notes: mut drive_notes,
        cpu,
    } = drive(
        &cfg.target,
        cfg.server_pid,
        connections,
        cfg.warmup,
        cfg.duration,
        |i, mut conn, window| {
            let mine: Vec<usize> = (i..users.len()).step_by(connections).collect();
            let users = users.clone();
            let uri = uri.clone();
            async move {
                let mut rec = Recorder::new(window, 2);
                let mut states = vec![LikeState::NotLiked; mine.len()];
                let mut k = 0usize;
                // Phase 1 is the first pass (every user likes once); after it, users toggle.
                let mut first_pass = true;
                loop {
                    let started = Instant::now();
                    if started >= window.end {
                        break;
                    }
                    let like = first_pass || states[k] != LikeState::Liked;
                    let auth = &users[mine[k]].auth;
                    let body = if like { LIKE.clone() } else { UNLIKE.clone() };
                    let outcome = conn
                        .send(conn.post_json(uri.clone(), Some(auth), body))
                        .await;
                    rec.record(usize::from(!like), started, Instant::now(), &outcome);
                    states[k] = states[k].after(like, &outcome);
                    pace(&outcome).await;
                    k += 1;
                    if k == mine.len() {
                        k = 0;
                        first_pass = false;
                    }
                }
                (rec, (states, first_pass))
            }
        },
    )
    .await?;
    notes.append(&mut drive_notes);

    let (mut liked, mut unknown, mut unfinished_first_pass) = (0u64, 0u64, 0usize);
    for (i, output) in outputs.iter().enumerate() {
        let owned = (i..users.len()).step_by(connections).count() as u64;
        match output {
            Some((states, first_pass)) => {
                liked += states.iter().filter(|s| **s == LikeState::Liked).count() as u64;
                unknown += states.iter().filter(|s| **s == LikeState::Unknown).count() as u64;
                unfinished_first_pass += usize::from(*first_pass);
            }
            None => unknown += owned,
        }
    }
    if unfinished_first_pass > 0 {
        notes.push(format!("{unfinished_first_pass} clients had not finished the first pass (every user likes once) when time ran out"));
    }
    let mut conn = Conn::connect(cfg.target.clone()).await?;
    let req = conn.get(format!("/api/tweets/{hot}").parse()?);
    let tweet: TweetEngagement = conn
        .json(req)
        .await
        .context("fetching the hot tweet for the final count")?;
    let got = tweet.engagement.likes;
    let (passed, detail) = if unknown == 0 {
        let verdict = if got == liked { "EXACT" } else { "MISMATCH" };
        (
            got == liked,
            format!(
                "{verdict}: engagement.likes = {got}, users whose last acknowledged action was like = {liked}"
            ),
        )
    } else {
        let ok = (liked..=liked + unknown).contains(&got);
        let verdict = if ok { "WITHIN RANGE" } else { "MISMATCH" };
        (
            ok,
            format!(
                "{verdict}: engagement.likes = {got}, expected {liked}..={} ({unknown} users' last action has an unknown outcome)",
                liked + unknown
            ),
        )
    };
    eprintln!("like count: {detail}");
    let checks = vec![Check {
        name: "exact like count".into(),
        passed,
        correctness: true,
        detail,
    }];
    Ok(Measured {
        names: &["like", "unlike"],
        recorder,
        secs: window.secs(),
        connections,
        checks,
        notes,
        cpu,
    })
}

async fn seed_check(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    let mut notes = Vec::new();
    if cfg.connections != SEED_POSTS {
        notes.push(format!("seed-check always uses {SEED_POSTS} connections (one post each); --connections is ignored"));
    }
    eprintln!("seed-check: {SEED_POSTS} concurrent posts on {SEED_POSTS} open connections");
    let tag: Arc<str> = run_tag().into();
    let barrier = Arc::new(tokio::sync::Barrier::new(SEED_POSTS));
    let started = Instant::now();
    let Driven {
        recorder,
        notes: mut drive_notes,
        cpu,
        ..
    } = drive(
        &cfg.target,
        cfg.server_pid,
        SEED_POSTS,
        Duration::ZERO,
        Duration::from_secs(60),
        |i, mut conn, window| {
            let auth = users[i % users.len()].auth.clone();
            let (tag, barrier) = (tag.clone(), barrier.clone());
            async move {
                let mut rec = Recorder::new(window, 1);
                let mut rng = Rng::from_time(i as u64);
                let mut buf = BytesMut::with_capacity(512);
                let body = tweet_body(&mut buf, &mut rng, &tag, i, 0);
                barrier.wait().await;
                let t0 = Instant::now();
                let outcome = conn
                    .send(conn.post_json(Uri::from_static("/api/tweets"), Some(&auth), body))
                    .await;
                rec.record(0, t0, Instant::now(), &outcome);
                (rec, ())
            }
        },
    )
    .await?;
    notes.append(&mut drive_notes);
    let secs = started.elapsed().as_secs_f64();
    let stats = recorder.op(0);
    let (ok, errors, p95) = (
        stats.successes(),
        stats.error_count(),
        stats.quantile_ms(0.95),
    );
    let passed = ok == SEED_POSTS as u64 && errors == 0 && p95 < SEED_P95_MS;
    let detail = format!(
        "{ok}/{SEED_POSTS} succeeded, {errors} errors, p95 {p95:.2} ms (limit {SEED_P95_MS} ms: {:.1}× margin)",
        if p95 > 0.0 {
            SEED_P95_MS / p95
        } else {
            f64::INFINITY
        }
    );
    eprintln!(
        "seed-check: {} — {detail}",
        if passed { "PASS" } else { "FAIL" }
    );
    // All posts succeeding is correctness and fails the run; the p95 is a timing, so a
    // miss on a busy machine is reported as a missed target, not a failure.
    let checks = vec![
        Check {
            name: "seed check: 100 concurrent posts all succeed".into(),
            passed: ok == SEED_POSTS as u64 && errors == 0,
            correctness: true,
            detail: format!("{ok}/{SEED_POSTS} succeeded, {errors} errors"),
        },
        Check {
            name: "seed check (100 concurrent posts, p95 < 100 ms)".into(),
            passed,
            correctness: false,
            detail,
        },
    ];
    Ok(Measured {
        names: &["create"],
        recorder,
        secs,
        connections: SEED_POSTS,
        checks,
        notes,
        cpu,
    })
}

async fn mixed(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    let ids = setup::create_tweets(cfg.target.clone(), &users, cfg.tweets.max(1)).await?;
    let reads = tweet_uris(&ids, "")?;
    let engage = tweet_uris(&ids, "/engagement")?;
    let tag: Arc<str> = run_tag().into();
    eprintln!(
        "mixed: 70% get, 20% like/unlike, 10% create; {} connections for {:?} after {:?} warm-up",
        cfg.connections, cfg.duration, cfg.warmup
    );
    let Driven {
        recorder,
        window,
        notes,
        cpu,
        ..
    } = drive(
        &cfg.target,
        cfg.server_pid,
        cfg.connections,
        cfg.warmup,
        cfg.duration,
        |i, mut conn, window| {
            let auth = users[i % users.len()].auth.clone();
            let (reads, engage, tag) = (reads.clone(), engage.clone(), tag.clone());
            async move {
                let mut rec = Recorder::new(window, 4);
                let mut rng = Rng::from_time(i as u64);
                let mut buf = BytesMut::with_capacity(8192);
                let create_uri = Uri::from_static("/api/tweets");
                let mut seq = 0u64;
                loop {
                    let started = Instant::now();
                    if started >= window.end {
                        break;
                    }
                    let dice = rng.below(100);
                    let (op, req) = if dice < 70 {
                        (0, conn.get(reads[rng.below(reads.len())].clone()))
                    } else if dice < 90 {
                        let like = rng.below(2) == 0;
                        let body = if like { LIKE.clone() } else { UNLIKE.clone() };
                        (
                            if like { 1 } else { 2 },
                            conn.post_json(
                                engage[rng.below(engage.len())].clone(),
                                Some(&auth),
                                body,
                            ),
                        )
                    } else {
                        seq += 1;
                        (
                            3,
                            conn.post_json(
                                create_uri.clone(),
                                Some(&auth),
                                tweet_body(&mut buf, &mut rng, &tag, i, seq),
                            ),
                        )
                    };
                    let outcome = conn.send(req).await;
                    rec.record(op, started, Instant::now(), &outcome);
                    pace(&outcome).await;
                }
                (rec, ())
            }
        },
    )
    .await?;
    Ok(Measured {
        names: &["get", "like", "unlike", "create"],
        recorder,
        secs: window.secs(),
        connections: cfg.connections,
        checks: vec![],
        notes,
        cpu,
    })
}

#[derive(Debug, Clone)]
pub struct FillConfig {
    pub target: Arc<Target>,
    pub tweets: usize,
    pub connections: usize,
    pub users: usize,
    pub users_file: Option<PathBuf>,
    pub max_duration: Duration,
    pub server_pid: Option<u32>,
    pub label: Option<String>,
    pub threads: usize,
}

/// Creates `tweets` tweets as fast as `connections` clients can, with progress once a second.
/// A failed create gives its ticket back, so exactly `tweets` succeed unless time runs out.
pub async fn fill(cfg: FillConfig) -> Result<RunReport> {
    let target = cfg.target.clone();
    let version = setup::health(target.clone()).await?;
    let users: Arc<[User]> =
        setup::users(target.clone(), cfg.users.max(1), cfg.users_file.as_deref())
            .await?
            .into();
    let sampler = StatsSampler::start(target.clone());
    let claimed = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let tag: Arc<str> = run_tag().into();
    let n = cfg.tweets;
    eprintln!(
        "fill: {n} tweets from {} connections (stops after {:?} at most)",
        cfg.connections, cfg.max_duration
    );
    let started = Instant::now();
    let progress = setup::spawn_progress("fill", n, done.clone(), started);
    let result = drive(
        &target,
        cfg.server_pid,
        cfg.connections,
        Duration::ZERO,
        cfg.max_duration,
        |i, mut conn, window| {
            let auth = users[i % users.len()].auth.clone();
            let (claimed, done, tag) = (claimed.clone(), done.clone(), tag.clone());
            async move {
                let mut rec = Recorder::new(window, 1);
                let mut rng = Rng::from_time(i as u64);
                let mut buf = BytesMut::with_capacity(8192);
                let uri = Uri::from_static("/api/tweets");
                let mut seq = 0u64;
                loop {
                    let t0 = Instant::now();
                    if t0 >= window.end || claimed.fetch_add(1, Ordering::Relaxed) >= n {
                        break;
                    }
                    let body = tweet_body(&mut buf, &mut rng, &tag, i, seq);
                    seq += 1;
                    let outcome = conn
                        .send(conn.post_json(uri.clone(), Some(&auth), body))
                        .await;
                    rec.record(0, t0, Instant::now(), &outcome);
                    if matches!(outcome, Ok(s) if s.is_success()) {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        claimed.fetch_sub(1, Ordering::Relaxed);
                    }
                    pace(&outcome).await;
                }
                (rec, ())
            }
        },
    )
    .await;
    progress.abort();
    let Driven {
        recorder,
        mut notes,
        cpu,
        ..
    } = result?;
    let secs = started.elapsed().as_secs_f64();
    let created = done.load(Ordering::Relaxed);
    if created < n {
        notes.push(format!(
            "only {created} of {n} tweets were created before the time limit"
        ));
    }
    let server_memory = server_memory(cfg.server_pid, sampler, target.clone()).await;
    let (ops, total) = recorder.reports(&["create"], secs);
    Ok(RunReport {
        label: cfg.label,
        scenario: "fill".into(),
        url: target.base.clone(),
        baseline: version.as_deref() == Some(crate::baseline::VERSION),
        server_version: version,
        connections: cfg.connections,
        users: users.len(),
        threads: cfg.threads,
        warmup_secs: 0.0,
        measured_secs: secs,
        ops,
        total,
        checks: vec![],
        server_memory,
        expect: Expectations::default(),
        notes,
        cpu,
        unix_time: unix_time(),
    })
}

/// Fails early with a clear message when a scenario cannot run as asked.
pub fn validate(cfg: &RunConfig) -> Result<()> {
    if cfg.connections == 0 {
        bail!("--connections must be at least 1");
    }
    if cfg.duration.is_zero() && cfg.scenario != Scenario::SeedCheck {
        bail!("--duration must be positive");
    }
    Ok(())
}
