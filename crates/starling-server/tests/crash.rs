//! Crash safety: `kill -9` the real binary in the middle of a concurrent write load,
//! restart it on the same data directory, and check that everything it acknowledged is
//! there, and that every stored count equals the rows it counts.
//!
//! A `2xx` promises the write is on disk, so the ledger below records a write only once
//! its success response has been read in full. Writes that were in flight when the
//! process died may or may not have landed; either way the counts must match the rows.
//!
//! The kill comes from the first worker to record an acknowledgement once the load has
//! run for a while: right after an answer is where a server that acknowledges before its
//! commit is durable would lose data, and a random instant would often miss that window.

mod support;

use crate::support::{Account, Client, Server, XorShift};
use futures::StreamExt;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const USERS: usize = 6;
const WORKERS_PER_USER: usize = 4;
/// How long the load runs before the kill: long enough for thousands of writes.
const LOAD_FOR: Duration = Duration::from_secs(2);

/// What the server acknowledged.
#[derive(Default)]
struct Ledger {
    /// Tweet id → (author index, version → content).
    tweets: HashMap<String, (usize, BTreeMap<i64, String>)>,
    /// Acknowledged tweets in creation order, for picking targets.
    order: Vec<String>,
    likes: HashSet<(String, usize)>,
    retweets: HashSet<(String, usize)>,
    /// Parent id → acknowledged replies to it.
    replies: HashMap<String, usize>,
    /// Answers that were neither a success nor a transport failure.
    unexpected: Vec<String>,
}

struct Load {
    api: Client,
    users: Vec<Account>,
    ledger: Mutex<Ledger>,
    stop: AtomicBool,
    /// Set when the load has run long enough: the next acknowledgement triggers the kill.
    armed: AtomicBool,
    server_pid: i32,
    in_flight_at_kill: AtomicUsize,
    in_flight: AtomicUsize,
    sent: AtomicUsize,
    transport_errors: AtomicUsize,
}

impl Load {
    fn pick_tweet(&self, rng: &mut XorShift, own: Option<usize>) -> Option<String> {
        let ledger = self.ledger.lock().unwrap();
        let candidates: Vec<&String> = match own {
            Some(author) => ledger
                .order
                .iter()
                .rev()
                .take(200)
                .filter(|id| ledger.tweets[*id].0 == author)
                .collect(),
            None => ledger.order.iter().rev().take(200).collect(),
        };
        (!candidates.is_empty()).then(|| candidates[rng.below(candidates.len())].clone())
    }

    /// One worker: a mix of creates, replies, edits, likes and retweets by `user`.
    async fn work(self: Arc<Self>, user: usize, seed: u64) {
        let mut rng = XorShift::new(seed);
        let token = self.users[user].token.clone();
        let mut n = 0u64;
        while !self.stop.load(Ordering::Relaxed) {
            n += 1;
            let roll = rng.below(10);
            let target = match roll {
                0..=2 => None,
                3 | 4 => self.pick_tweet(&mut rng, Some(user)),
                _ => self.pick_tweet(&mut rng, None),
            };
            self.in_flight.fetch_add(1, Ordering::SeqCst);
            self.sent.fetch_add(1, Ordering::Relaxed);
            let (what, outcome) = match (roll, target) {
                (_, None) | (0..=2, _) => {
                    let content = format!("u{user} s{seed} n{n} says hello #crash");
                    let outcome = self.api.try_post(&token, &content, None).await;
                    (Op::Create(content, None), outcome)
                }
                (3 | 4, Some(id)) => {
                    let content = format!("u{user} s{seed} n{n} edits {id}");
                    let outcome = self.api.try_edit(&token, &id, &content, None).await;
                    (Op::Edit(id, content), outcome)
                }
                (5, Some(id)) => {
                    let content = format!("u{user} s{seed} n{n} replies to {id}");
                    let outcome = self.api.try_post(&token, &content, Some(&id)).await;
                    (Op::Create(content, Some(id)), outcome)
                }
                (6 | 7, Some(id)) => {
                    let outcome = self.api.try_engage(&token, &id, "retweet").await;
                    (Op::Retweet(id), outcome)
                }
                (_, Some(id)) => {
                    let outcome = self.api.try_engage(&token, &id, "like").await;
                    (Op::Like(id), outcome)
                }
            };
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            let reply = match outcome {
                Ok(reply) => reply,
                Err(_) => {
                    self.transport_errors.fetch_add(1, Ordering::Relaxed);
                    // The server is gone; nothing more will be acknowledged.
                    if self.stop.load(Ordering::Relaxed) {
                        break;
                    }
                    continue;
                }
            };
            let mut ledger = self.ledger.lock().unwrap();
            if !reply.is_success() {
                ledger
                    .unexpected
                    .push(format!("{what:?} → {} {:?}", reply.status, reply.body));
                continue;
            }
            match what {
                Op::Create(content, parent) => {
                    assert_eq!(reply.body["content"], content.as_str());
                    let id = reply.body["id"].as_str().expect("id").to_string();
                    ledger
                        .tweets
                        .insert(id.clone(), (user, BTreeMap::from([(1, content)])));
                    ledger.order.push(id);
                    if let Some(parent) = parent {
                        *ledger.replies.entry(parent).or_default() += 1;
                    }
                }
                Op::Edit(id, content) => {
                    assert_eq!(reply.body["content"], content.as_str());
                    let version = reply.body["version"].as_i64().expect("version");
                    let versions = &mut ledger.tweets.get_mut(&id).expect("own tweet").1;
                    let earlier = versions.insert(version, content);
                    assert!(
                        earlier.is_none(),
                        "version {version} of {id} acknowledged twice"
                    );
                }
                Op::Like(id) => {
                    assert_eq!(reply.body["likedByCurrentUser"], true);
                    ledger.likes.insert((id, user));
                }
                Op::Retweet(id) => {
                    assert_eq!(reply.body["retweetedByCurrentUser"], true);
                    ledger.retweets.insert((id, user));
                }
            }
            drop(ledger);
            if self.armed.swap(false, Ordering::SeqCst) {
                self.in_flight_at_kill
                    .store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
                // SAFETY: SIGKILL to the server child, which the test has not reaped yet.
                let rc = unsafe { libc::kill(self.server_pid, libc::SIGKILL) };
                assert_eq!(rc, 0, "kill -9 the server");
            }
        }
    }
}

#[derive(Debug)]
enum Op {
    Create(String, Option<String>),
    Edit(String, String),
    Like(String),
    Retweet(String),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_and_counts_equal_rows() {
    let test_started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let api = server.client();
    let users: Vec<Account> = futures::stream::iter(0..USERS)
        .map(|i| {
            let api = api.clone();
            async move { api.account(&format!("crash{i}")).await }
        })
        .buffered(USERS)
        .collect()
        .await;

    let load = Arc::new(Load {
        api: api.clone(),
        users: users.clone(),
        ledger: Mutex::default(),
        stop: AtomicBool::new(false),
        armed: AtomicBool::new(false),
        server_pid: server.pid(),
        in_flight_at_kill: AtomicUsize::new(0),
        in_flight: AtomicUsize::new(0),
        sent: AtomicUsize::new(0),
        transport_errors: AtomicUsize::new(0),
    });
    let mut workers = tokio::task::JoinSet::new();
    for user in 0..USERS {
        for w in 0..WORKERS_PER_USER {
            let seed = (user * WORKERS_PER_USER + w) as u64 + 1;
            workers.spawn(load.clone().work(user, seed));
        }
    }

    // The one deliberate sleep: let the load run, then pull the plug under it.
    tokio::time::sleep(LOAD_FOR).await;
    load.armed.store(true, Ordering::SeqCst);
    let status = server.wait_exit(Duration::from_secs(10));
    assert!(
        !status.success(),
        "the server was killed, not stopped: {status:?}"
    );
    let in_flight_at_kill = load.in_flight_at_kill.load(Ordering::SeqCst);
    load.stop.store(true, Ordering::SeqCst);
    while let Some(done) = workers.join_next().await {
        done.expect("a load worker panicked");
    }

    let ledger = std::mem::take(&mut *load.ledger.lock().unwrap());
    let edits: usize = ledger.tweets.values().map(|(_, v)| v.len() - 1).sum();
    eprintln!(
        "load: {} requests sent, {} in flight at the kill; acknowledged {} tweets ({} replies), {edits} edits, {} likes, {} retweets",
        load.sent.load(Ordering::Relaxed),
        in_flight_at_kill,
        ledger.tweets.len(),
        ledger.replies.values().sum::<usize>(),
        ledger.likes.len(),
        ledger.retweets.len(),
    );
    assert!(
        ledger.unexpected.is_empty(),
        "the server answered with errors under load: {:#?}",
        &ledger.unexpected[..ledger.unexpected.len().min(10)]
    );
    assert!(in_flight_at_kill > 0, "the kill must land mid-load");
    assert!(
        ledger.tweets.len() >= 20 && edits >= 5 && ledger.likes.len() >= 5,
        "the load must have done real work before the kill"
    );

    // Restart on the same files: recovery is the server's own start-up.
    let server = Server::start(dir.path());
    let api = server.client();
    check_acknowledged_over_http(&api, &ledger).await;
    drop(server);
    check_store(dir.path(), &ledger, &users).await;
    eprintln!("crash test took {:?}", test_started.elapsed());
}

async fn check_acknowledged_over_http(api: &Client, ledger: &Ledger) {
    let mut likes: HashMap<&str, usize> = HashMap::new();
    for (id, _) in &ledger.likes {
        *likes.entry(id).or_default() += 1;
    }
    let mut retweets: HashMap<&str, usize> = HashMap::new();
    for (id, _) in &ledger.retweets {
        *retweets.entry(id).or_default() += 1;
    }
    let checks = ledger.tweets.iter().map(|(id, (_, versions))| {
        let api = api.clone();
        let (likes, retweets) = (&likes, &retweets);
        async move {
            let tweet = api.tweet(id, None).await;
            let (&last, last_content) = versions.last_key_value().unwrap();
            let version = tweet["version"].as_i64().unwrap();
            assert!(
                version >= last,
                "tweet {id} is at version {version}, {last} was acknowledged"
            );
            if version == last {
                assert_eq!(tweet["content"], last_content.as_str(), "tweet {id}");
            }
            let engagement = &tweet["engagement"];
            let at_least = |field: &str, n: usize| {
                let stored = engagement[field].as_i64().unwrap();
                assert!(
                    stored >= n as i64,
                    "tweet {id}: {field} {stored}, {n} acknowledged"
                );
            };
            at_least("likes", likes.get(id.as_str()).copied().unwrap_or(0));
            at_least("retweets", retweets.get(id.as_str()).copied().unwrap_or(0));
            at_least("replies", ledger.replies.get(id).copied().unwrap_or(0));

            let history = api.versions(id).await;
            let listed: Vec<i64> = history
                .iter()
                .map(|v| v["version"].as_i64().unwrap())
                .collect();
            assert_eq!(listed, (1..=version).collect::<Vec<_>>(), "tweet {id}");
            for (v, content) in versions {
                assert_eq!(
                    history[(*v - 1) as usize]["content"],
                    content.as_str(),
                    "tweet {id} version {v}"
                );
            }
        }
    });
    futures::stream::iter(checks)
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;
}

/// Through the store itself (no SQL here): its own audit of counters against rows, and
/// every acknowledged like and retweet present.
async fn check_store(dir: &std::path::Path, ledger: &Ledger, users: &[Account]) {
    use starling_store::{EngagementStore, Store};
    let store = starling_sqlite::Sqlite::open(starling_sqlite::SqliteConfig::in_dir(dir))
        .expect("the database opens after the crash");
    let problems = store.audit().await.unwrap();
    assert!(problems.is_empty(), "the store's audit: {problems:#?}");
    let flags = |tweet: &str, user: usize| {
        let store = &store;
        let user = starling_core::UserId(users[user].id_i64());
        let tweet = starling_core::TweetId(tweet.parse().unwrap());
        async move { store.viewer_flags(user, &[tweet]).await.unwrap()[0] }
    };
    for (tweet, user) in &ledger.likes {
        assert!(
            flags(tweet, *user).await.0,
            "acknowledged like of {tweet} by user {user}"
        );
    }
    for (tweet, user) in &ledger.retweets {
        assert!(
            flags(tweet, *user).await.1,
            "acknowledged retweet of {tweet} by user {user}"
        );
    }
    store.close().await.unwrap();
}
