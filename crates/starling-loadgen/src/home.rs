//! Home timelines under load, on the Zipf graph of `social.rs`: `home` (reads of random
//! users' home timelines, every timeline stored first) and `fanout` (posts by authors
//! drawn by Zipf while the server delivers them to every follower; deliveries per second,
//! the write → delivered latency and the drain time come from the server's stats, and
//! the number of deliveries is checked exactly against the graph).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use bytes::Bytes;
use hyper::{Method, Uri};
use serde::Deserialize;

use crate::client::Conn;
use crate::content::Rng;
use crate::scenario::{Driven, Measured, RunConfig, drive, pace};
use crate::setup::User;
use crate::social::{build_graph, send_all, zipf_rank};
use crate::stats::{Check, Recorder};

/// Tweets each user posts before the clock starts.
const TWEETS_EACH: usize = 3;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HomeStats {
    backlog: u64,
    deliveries: u64,
    rebuilds: u64,
    latency_ms: Latency,
    timelines: Option<u64>,
    entries: Option<u64>,
    /// Absent on servers from before it was reported.
    #[serde(default)]
    memory_bytes: Option<u64>,
    /// Absent on servers from before it was reported: nobody counted as merged.
    merge_threshold: Option<u64>,
    /// Every node's figures, from a cluster (null on a single process; absent on servers
    /// from before it was reported).
    #[serde(default)]
    cluster: Option<ClusterTotals>,
}

#[derive(Deserialize)]
struct ClusterTotals {
    deliveries: u64,
    rebuilds: u64,
}

#[derive(Deserialize)]
struct Latency {
    p50: i64,
    p99: i64,
}

#[derive(Deserialize)]
struct Stats {
    home: HomeStats,
}

async fn home_stats(conn: &mut Conn) -> Result<HomeStats> {
    let req = conn.get(Uri::from_static("/api/tweets/system/stats"));
    let stats: Stats = conn
        .json(req)
        .await
        .context("reading the server's stats (run the generator on the server's machine)")?;
    let mut home = stats.home;
    // Through a load balancer the answering node varies: count every node's.
    if let Some(all) = home.cluster.take() {
        home.deliveries = all.deliveries;
        home.rebuilds = all.rebuilds;
    }
    Ok(home)
}

/// `user`'s followers count, from their profile.
async fn followers_of(conn: &mut Conn, user: &User) -> Result<u64> {
    #[derive(Deserialize)]
    struct Counts {
        followers: u64,
    }
    #[derive(Deserialize)]
    struct Profile {
        counts: Counts,
    }
    let uri = Uri::try_from(format!("/api/users/@{}", user.username))
        .context("a username that is not a path")?;
    let req = conn.get(uri);
    let profile: Profile = conn.json(req).await?;
    Ok(profile.counts.followers)
}

/// Wait until the outbox is empty; answers how long it took.
async fn drain(conn: &mut Conn) -> Result<Duration> {
    let started = Instant::now();
    loop {
        if home_stats(conn).await?.backlog == 0 {
            return Ok(started.elapsed());
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "deliveries did not drain in 10 minutes"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The graph, `TWEETS_EACH` tweets per user, every home timeline read once (so stored),
/// and the outbox drained.
async fn prepare(cfg: &RunConfig, users: &Arc<[User]>) -> Result<Vec<String>> {
    let n = users.len();
    if cfg.graph_seeded {
        eprintln!("graph: seeded in the store already (--graph-seeded)");
    } else {
        build_graph(cfg, users).await?;
    }
    let mut posts = Vec::new();
    for round in 0..TWEETS_EACH * usize::from(!cfg.tweets_seeded) {
        for u in 0..n {
            let body = format!(r#"{{"content":"home bench {round} from {u}"}}"#);
            posts.push((
                Method::POST,
                Uri::from_static("/api/tweets"),
                u,
                Bytes::from(body),
            ));
        }
    }
    send_all(cfg.target.clone(), "posting", posts, users.clone()).await?;
    let mut conn = Conn::connect(cfg.target.clone()).await?;
    let drained = drain(&mut conn).await?;
    eprintln!(
        "home: the posts' deliveries drained {:.1} s after",
        drained.as_secs_f64()
    );
    let reads = (0..n)
        .map(|u| {
            (
                Method::GET,
                Uri::from_static("/api/timelines/home"),
                u,
                Bytes::new(),
            )
        })
        .collect();
    let rss = || {
        cfg.server_pid
            .and_then(|pid| crate::memory::proc_status(pid).1)
    };
    let (rss_before, entries_before) = (rss(), home_stats(&mut conn).await?.entries);
    let started = Instant::now();
    send_all(
        cfg.target.clone(),
        "storing every home timeline",
        reads,
        users.clone(),
    )
    .await?;
    let stats = home_stats(&mut conn).await?;
    let rss_after = rss();
    let mut notes = vec![format!(
        "{n} timelines stored (rebuilt from the store) in {:.1} s by 16 connections: {:.2} ms each; \
         {} rebuilds since start",
        started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64() * 1000.0 * 16.0 / n as f64,
        stats.rebuilds
    )];
    if let (Some(timelines), Some(entries)) = (stats.timelines, stats.entries) {
        notes.push(format!(
            "stored in the server's memory: {timelines} timelines, {entries} entries{}",
            match stats.memory_bytes {
                Some(bytes) if entries > 0 => format!(
                    ", {:.0} MiB of heap by the server's count: {:.1} bytes per entry",
                    bytes as f64 / 1048576.0,
                    bytes as f64 / entries as f64
                ),
                _ => String::new(),
            }
        ));
    }
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        let stored = stats.entries.unwrap_or(0) - entries_before.unwrap_or(0);
        notes.push(format!(
            "server RSS {:.0} MiB before this read of every timeline, {:.0} MiB after \
             ({stored} entries more stored by it; the posts' deliveries stored the rest before)",
            before as f64 / 1048576.0,
            after as f64 / 1048576.0,
        ));
    }
    Ok(notes)
}

/// Reads of random users' home timelines (first page of 20).
pub(crate) async fn home(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    let n = users.len();
    anyhow::ensure!(n >= 3, "the home scenario needs at least 3 users (--users)");
    let mut notes = prepare(cfg, &users).await?;
    let uri = Uri::from_static("/api/timelines/home?limit=20");
    let Driven {
        recorder,
        notes: driven_notes,
        window,
        cpu,
        ..
    } = drive(
        &cfg.target,
        cfg.server_pid,
        cfg.connections,
        cfg.warmup,
        cfg.duration,
        |i, mut conn, window| {
            let (users, uri) = (users.clone(), uri.clone());
            async move {
                let mut rec = Recorder::new(window, 1);
                let mut rng = Rng::from_time(i as u64 + 11);
                loop {
                    let started = Instant::now();
                    if started >= window.end {
                        break;
                    }
                    let u = rng.below(users.len());
                    let outcome = conn.send(conn.get_auth(uri.clone(), &users[u].auth)).await;
                    rec.record(0, started, Instant::now(), &outcome);
                    pace(&outcome).await;
                }
                (rec, ())
            }
        },
    )
    .await?;
    notes.extend(driven_notes);
    Ok(Measured {
        names: &["home"],
        recorder,
        secs: window.secs(),
        connections: cfg.connections,
        checks: vec![],
        notes,
        cpu,
    })
}

/// Posts by authors drawn by Zipf (the most followed post most), every follower's
/// timeline stored; then the deliveries are counted against the graph.
pub(crate) async fn fanout(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    let n = users.len();
    anyhow::ensure!(
        n >= 3,
        "the fanout scenario needs at least 3 users (--users)"
    );
    let mut notes = prepare(cfg, &users).await?;
    let mut conn = Conn::connect(cfg.target.clone()).await?;
    let before = home_stats(&mut conn).await?;
    let started = Instant::now();
    let Driven {
        recorder,
        outputs,
        notes: driven_notes,
        window,
        cpu,
    } = drive(
        &cfg.target,
        cfg.server_pid,
        cfg.connections,
        cfg.warmup,
        cfg.duration,
        |i, mut conn, window| {
            let users = users.clone();
            // Each connection's share of the rate, as a gap between its posts.
            let gap = (cfg.rate > 0.0)
                .then(|| Duration::from_secs_f64(cfg.connections as f64 / cfg.rate));
            async move {
                let mut rec = Recorder::new(window, 1);
                let mut rng = Rng::from_time(i as u64 + 13);
                let mut due = Instant::now();
                // Acknowledged posts by author rank, and those whose fate is unknown.
                let mut posted = vec![0u64; users.len()];
                let mut unknown = vec![0u64; users.len()];
                let mut k = 0u64;
                loop {
                    let started = Instant::now();
                    if started >= window.end {
                        break;
                    }
                    let author = zipf_rank(&mut rng, users.len());
                    k += 1;
                    let body = Bytes::from(format!(r#"{{"content":"fan-out {i} {k}"}}"#));
                    let req = conn.post_json(
                        Uri::from_static("/api/tweets"),
                        Some(&users[author].auth),
                        body,
                    );
                    let outcome = conn.send(req).await;
                    rec.record(0, started, Instant::now(), &outcome);
                    match &outcome {
                        Ok(s) if s.is_success() => posted[author] += 1,
                        Ok(s) if s.is_client_error() => {}
                        _ => unknown[author] += 1,
                    }
                    pace(&outcome).await;
                    if let Some(gap) = gap {
                        due += gap;
                        tokio::time::sleep_until(tokio::time::Instant::from_std(due)).await;
                    }
                }
                (rec, (posted, unknown))
            }
        },
    )
    .await?;
    let posting = started.elapsed();
    let drained = drain(&mut conn).await?;
    let after = home_stats(&mut conn).await?;
    let delivered = after.deliveries - before.deliveries;
    // Each author's followers as they are (an earlier run on the same server may have
    // changed the graph since it was built).
    let mut followers = vec![0u64; n];
    for (r, count) in followers.iter_mut().enumerate() {
        let posted_any = outputs
            .iter()
            .flatten()
            .any(|(posted, unknown)| posted[r] + unknown[r] > 0);
        if posted_any {
            *count = followers_of(&mut conn, &users[r]).await?;
        }
    }
    // Authors over the merge threshold are not fanned out: their followers merge their
    // posts when they read.
    let threshold = after.merge_threshold.unwrap_or(u64::MAX);
    let reached = |r: usize| match followers[r] > threshold {
        true => 0,
        false => followers[r],
    };
    let (mut expected, mut slack, mut merged_posts) = (0u64, 0u64, 0u64);
    for (posted, unknown) in outputs.iter().flatten() {
        for r in 0..n {
            expected += posted[r] * reached(r);
            slack += unknown[r] * reached(r);
            if followers[r] > threshold {
                merged_posts += posted[r];
            }
        }
    }
    if merged_posts > 0 {
        notes.push(format!(
            "{merged_posts} posts by authors over the merge threshold ({threshold} followers): \
             merged when read, not delivered"
        ));
    }
    let passed = (expected..=expected + slack).contains(&delivered);
    let total = posting + drained;
    let detail = format!(
        "{}: {delivered} deliveries (expected {expected}{})",
        if passed { "EXACT" } else { "MISMATCH" },
        if slack > 0 {
            format!("..={}", expected + slack)
        } else {
            String::new()
        }
    );
    notes.push(format!(
        "deliveries: {delivered} in {:.1} s of posting + {:.1} s to drain = {:.0} deliveries/s; \
         write → delivered p50 {} ms, p99 {} ms (the server's last 4,096)",
        posting.as_secs_f64(),
        drained.as_secs_f64(),
        delivered as f64 / total.as_secs_f64(),
        after.latency_ms.p50,
        after.latency_ms.p99
    ));
    notes.extend(driven_notes);
    eprintln!(
        "fanout: {detail}; {}",
        notes.last().unwrap_or(&String::new())
    );
    Ok(Measured {
        names: &["post"],
        recorder,
        secs: window.secs(),
        connections: cfg.connections,
        checks: vec![Check {
            name: "exact deliveries".into(),
            passed,
            correctness: true,
            detail,
        }],
        notes,
        cpu,
    })
}
