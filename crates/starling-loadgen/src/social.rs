//! The social graph under load: `graph` (follows and unfollows on a Zipf-shaped graph,
//! with profile reads, the followers counts checked exactly at the end) and `thread`
//! (reads of one conversation with a thousand replies).
//!
//! The graph is built through the API before the clock starts: user `r` (by rank, 0 the
//! most followed) has `min(N - 1, N / (r + 1))` followers, so a few accounts are followed
//! by nearly everyone and most by one or two (Zipf's law with exponent 1, about
//! `N ln N` follows in all).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use bytes::Bytes;
use hyper::{Method, Uri};
use serde::Deserialize;

use crate::client::{Conn, Failure, Outcome, request};
use crate::content::Rng;
use crate::scenario::{Driven, Measured, RunConfig, drive, pace};
use crate::setup::{CreatedTweet, User};
use crate::stats::{Check, Recorder};
use crate::target::Target;

/// Followers of the user of rank `r` among `n` when the graph is built.
pub(crate) fn zipf_followers(n: usize, r: usize) -> usize {
    (n / (r + 1)).min(n - 1)
}

/// Whether `u` follows `t` when the graph is built: `t`'s followers are the users after
/// it, wrapping around.
fn follows_at_start(n: usize, u: usize, t: usize) -> bool {
    u != t && (u + n - t) % n <= zipf_followers(n, t)
}

/// A rank drawn with probability about proportional to `1 / (rank + 1)`.
pub(crate) fn zipf_rank(rng: &mut Rng, n: usize) -> usize {
    let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    ((n as f64).powf(unit) as usize)
        .saturating_sub(1)
        .min(n - 1)
}

fn follow_uri(user: &User) -> Result<Uri> {
    Uri::try_from(format!("/api/users/@{}/follow", user.username))
        .context("a username that is not a path")
}

/// Send `jobs` requests over `concurrency` connections; any answer but a 2xx fails setup.
pub(crate) async fn send_all(
    target: Arc<Target>,
    what: &str,
    jobs: Vec<(Method, Uri, usize, Bytes)>,
    users: Arc<[User]>,
) -> Result<Vec<Bytes>> {
    const CONCURRENCY: usize = 16;
    let started = Instant::now();
    let jobs = Arc::new(jobs);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY.min(jobs.len()) {
        let (target, jobs, next, users) =
            (target.clone(), jobs.clone(), next.clone(), users.clone());
        tasks.spawn(async move {
            let mut conn = Conn::connect(target.clone()).await?;
            let mut answers = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((method, uri, user, body)) = jobs.get(i) else {
                    return Ok::<_, anyhow::Error>(answers);
                };
                let req = request(
                    &target,
                    method.clone(),
                    uri.clone(),
                    Some(&users[*user].auth),
                    body.clone(),
                );
                let (status, answer) = conn
                    .send_collect(req)
                    .await
                    .map_err(|f| anyhow::anyhow!("{method} {uri}: {}", f.as_str()))?;
                if !status.is_success() {
                    anyhow::bail!("{method} {uri}: {status}");
                }
                answers.push((i, answer));
            }
        });
    }
    let mut answers = vec![Bytes::new(); jobs.len()];
    while let Some(joined) = tasks.join_next().await {
        for (i, answer) in joined??.into_iter() {
            answers[i] = answer;
        }
    }
    eprintln!(
        "{what}: {} requests in {:.1} s",
        jobs.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(answers)
}

/// Build the Zipf graph of `users` through the API (see the module's comment).
pub(crate) async fn build_graph(cfg: &RunConfig, users: &Arc<[User]>) -> Result<()> {
    let n = users.len();
    let mut edges = Vec::new();
    for t in 0..n {
        let uri = follow_uri(&users[t])?;
        for k in 1..=zipf_followers(n, t) {
            edges.push((Method::POST, uri.clone(), (t + k) % n, Bytes::new()));
        }
    }
    eprintln!(
        "graph: {n} users, {} follows (Zipf: the top account has {} followers)",
        edges.len(),
        zipf_followers(n, 0)
    );
    send_all(
        cfg.target.clone(),
        "building the graph",
        edges,
        users.clone(),
    )
    .await?;
    Ok(())
}

/// Follow and unfollow on the Zipf graph (targets drawn by Zipf too), one profile read
/// in three; client `i` owns users `i, i + C, …` so each user's follows are known.
pub(crate) async fn graph(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    let n = users.len();
    anyhow::ensure!(
        n >= 3,
        "the graph scenario needs at least 3 users (--users)"
    );
    build_graph(cfg, &users).await?;
    let follow_uris: Arc<[Uri]> = users
        .iter()
        .map(follow_uri)
        .collect::<Result<Vec<_>>>()?
        .into();
    let profile_uris: Arc<[Uri]> = users
        .iter()
        .map(|u| {
            Uri::try_from(format!("/api/users/@{}", u.username))
                .context("a username that is not a path")
        })
        .collect::<Result<Vec<_>>>()?
        .into();
    let connections = cfg.connections.min(n);
    let Driven {
        recorder,
        outputs,
        window,
        notes,
        cpu,
    } = drive(
        &cfg.target,
        cfg.server_pid,
        connections,
        cfg.warmup,
        cfg.duration,
        |i, mut conn, window| {
            let (users, follow_uris, profile_uris) =
                (users.clone(), follow_uris.clone(), profile_uris.clone());
            async move {
                let mine: Vec<usize> = (i..n).step_by(connections).collect();
                let mut rec = Recorder::new(window, 3);
                let mut rng = Rng::from_time(i as u64 + 7);
                // (user, target) -> Some(follows) as last acknowledged, None when unknown.
                let mut state: HashMap<(usize, usize), Option<bool>> = HashMap::new();
                let mut step = 0u64;
                loop {
                    let started = Instant::now();
                    if started >= window.end {
                        break;
                    }
                    let u = mine[rng.below(mine.len())];
                    step += 1;
                    if step.is_multiple_of(3) {
                        let t = zipf_rank(&mut rng, n);
                        let outcome = conn
                            .send(conn.get_auth(profile_uris[t].clone(), &users[u].auth))
                            .await;
                        rec.record(2, started, Instant::now(), &outcome);
                        pace(&outcome).await;
                        continue;
                    }
                    let t = zipf_rank(&mut rng, n);
                    if t == u {
                        continue;
                    }
                    let now = *state
                        .entry((u, t))
                        .or_insert(Some(follows_at_start(n, u, t)));
                    // Unknown: follow, which settles it either way.
                    let follow = now != Some(true);
                    let method = if follow { Method::POST } else { Method::DELETE };
                    let req = request(
                        conn.target(),
                        method,
                        follow_uris[t].clone(),
                        Some(&users[u].auth),
                        Bytes::new(),
                    );
                    let outcome = conn.send(req).await;
                    rec.record(usize::from(!follow), started, Instant::now(), &outcome);
                    state.insert((u, t), settle(now, follow, &outcome));
                    pace(&outcome).await;
                }
                (rec, state)
            }
        },
    )
    .await?;
    // Exact followers counts for the most followed accounts, against what was acknowledged.
    let mut believed: Vec<(i64, i64)> = (0..n.min(5))
        .map(|t| (zipf_followers(n, t) as i64, 0))
        .collect();
    for output in &outputs {
        let Some(state) = output else {
            believed.iter_mut().for_each(|b| b.1 = i64::MAX / 4);
            continue;
        };
        for (&(u, t), &now) in state {
            if t >= believed.len() {
                continue;
            }
            let before = follows_at_start(n, u, t);
            match now {
                Some(f) => believed[t].0 += i64::from(f) - i64::from(before),
                None => believed[t].1 += 1,
            }
        }
    }
    let mut conn = Conn::connect(cfg.target.clone()).await?;
    let mut details = Vec::new();
    let mut passed = true;
    for (t, (count, unknown)) in believed.iter().enumerate() {
        #[derive(Deserialize)]
        struct Counts {
            followers: i64,
        }
        #[derive(Deserialize)]
        struct Profile {
            counts: Counts,
        }
        let req = conn.get(profile_uris[t].clone());
        let profile: Profile = conn
            .json(req)
            .await
            .context("reading a profile for the final count")?;
        let got = profile.counts.followers;
        let ok = (*count..=count + unknown).contains(&got);
        passed &= ok;
        details.push(format!(
            "@rank{t} {got} (expected {count}{})",
            if *unknown > 0 {
                format!("..={}", count + unknown)
            } else {
                String::new()
            }
        ));
    }
    let detail = format!(
        "{}: followers {}",
        if passed { "EXACT" } else { "MISMATCH" },
        details.join(", ")
    );
    eprintln!("graph: {detail}");
    Ok(Measured {
        names: &["follow", "unfollow", "profile"],
        recorder,
        secs: window.secs(),
        connections,
        checks: vec![Check {
            name: "exact followers counts".into(),
            passed,
            correctness: true,
            detail,
        }],
        notes,
        cpu,
    })
}

/// The state after a follow (or unfollow) answered `outcome`: a 2xx applied it, a 4xx or
/// 503 did not, anything else leaves it unknown.
fn settle(before: Option<bool>, follow: bool, outcome: &Outcome) -> Option<bool> {
    match outcome {
        Ok(s) if s.is_success() => Some(follow),
        Ok(s) if s.is_client_error() || *s == hyper::StatusCode::SERVICE_UNAVAILABLE => before,
        Err(Failure::Connect) => before,
        _ => None,
    }
}

/// Replies in the conversation `thread` reads: 600 to the root, 400 to those.
const THREAD_REPLIES: (usize, usize) = (600, 400);

/// Reads of one conversation of a thousand replies (the root's thread, first page of 20),
/// half anonymous, half by signed-in users.
pub(crate) async fn thread(cfg: &RunConfig, users: Arc<[User]>) -> Result<Measured> {
    let post = |user: usize, text: String, reply_to: Option<&str>| {
        let body = match reply_to {
            Some(parent) => serde_json::json!({"content": text, "replyToId": parent}),
            None => serde_json::json!({"content": text}),
        };
        (
            Method::POST,
            Uri::from_static("/api/tweets"),
            user,
            Bytes::from(body.to_string()),
        )
    };
    let tag = format!("{:x}", Rng::from_time(3).next_u64());
    let root = send_all(
        cfg.target.clone(),
        "the thread's root",
        vec![post(0, format!("thread {tag}"), None)],
        users.clone(),
    )
    .await?;
    let root: CreatedTweet = serde_json::from_slice(&root[0]).context("the root tweet")?;
    let n = users.len();
    let direct: Vec<_> = (0..THREAD_REPLIES.0)
        .map(|i| post(i % n, format!("reply {i} {tag}"), Some(&root.id)))
        .collect();
    let direct = send_all(cfg.target.clone(), "direct replies", direct, users.clone()).await?;
    let direct: Vec<CreatedTweet> = direct
        .iter()
        .map(|b| serde_json::from_slice(b).context("a reply"))
        .collect::<Result<_>>()?;
    let mut rng = Rng::from_time(5);
    let nested: Vec<_> = (0..THREAD_REPLIES.1)
        .map(|i| {
            post(
                (i + 1) % n,
                format!("nested {i} {tag}"),
                Some(&direct[rng.below(direct.len())].id),
            )
        })
        .collect();
    send_all(cfg.target.clone(), "nested replies", nested, users.clone()).await?;
    let uri: Uri = format!("/api/tweets/{}/thread?limit=20", root.id).parse()?;
    eprintln!(
        "thread: {} replies under {}; {} connections",
        THREAD_REPLIES.0 + THREAD_REPLIES.1,
        root.id,
        cfg.connections
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
            let (uri, users) = (uri.clone(), users.clone());
            async move {
                let mut rec = Recorder::new(window, 2);
                let mut k = i;
                loop {
                    let started = Instant::now();
                    if started >= window.end {
                        break;
                    }
                    k += 1;
                    let signed_in = k.is_multiple_of(2);
                    let req = match signed_in {
                        true => conn.get_auth(uri.clone(), &users[k % users.len()].auth),
                        false => conn.get(uri.clone()),
                    };
                    let outcome = conn.send(req).await;
                    rec.record(usize::from(signed_in), started, Instant::now(), &outcome);
                    pace(&outcome).await;
                }
                (rec, ())
            }
        },
    )
    .await?;
    Ok(Measured {
        names: &["thread-anonymous", "thread-signed-in"],
        recorder,
        secs: window.secs(),
        connections: cfg.connections,
        checks: vec![],
        notes,
        cpu,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_graph_is_zipf_shaped_and_follows_match_counts() {
        let n = 1000;
        assert_eq!(zipf_followers(n, 0), n - 1);
        assert_eq!(zipf_followers(n, 1), 500);
        assert_eq!(zipf_followers(n, 999), 1);
        for t in [0, 1, 7, 500, 999] {
            let counted = (0..n).filter(|&u| follows_at_start(n, u, t)).count();
            assert_eq!(counted, zipf_followers(n, t), "rank {t}");
        }
        let mut rng = Rng::new(1);
        let draws: Vec<usize> = (0..10_000).map(|_| zipf_rank(&mut rng, n)).collect();
        assert!(draws.iter().all(|&r| r < n));
        let top = draws.iter().filter(|&&r| r == 0).count();
        let tail = draws.iter().filter(|&&r| r >= 500).count();
        assert!(top > 500, "rank 0 drawn {top} times");
        assert!(
            tail < top * 2,
            "the top rank is drawn about as often as the whole second half"
        );
    }
}
