//! `starling seed-graph`: write a synthetic social graph into an empty store, for the
//! benchmarks at the scale issue 11 names (100,000 users, about 5,000,000 follows).
//! Through the API that graph takes hours (sign-up is argon2 by design, about 100 per
//! second here); this writes the same rows a sign-up, a sign-in and a follow write, in one
//! transaction, in about a minute.
//!
//! Key decisions:
//! - The rows go through the portable import (`starling_store::portable`), the path
//!   `migrate-store` uses and proves, rather than SQL of its own: the server crate holds
//!   none, and the store's import checks the target is empty.
//! - The graph is the load generator's: user rank `t` has `f(t) = min(n - 1, C / (t + 1))`
//!   followers (Zipf's law with exponent 1, `C` chosen so the follows add up to the
//!   number asked for), and they are the ranks `t + 1, …, t + f(t)` (modulo `n`), so
//!   every user follows a few accounts and the top ones are followed by nearly everyone.
//! - Every user signs in with the load generator's password (one argon2 hash, computed
//!   once: the rows are the same as a sign-up's, only the salt is shared) and has one
//!   session; the tokens go to a file in the load generator's `--users-file` format.

use crate::config::SeedArgs;
use anyhow::{Context, bail};
use starling_core::id::{MAX_NODE_ID, Snowflake};
use starling_engine::auth;
use starling_store::portable::{Cell, Row, RowSource, Table};
use starling_store::{Store, Totals};
use std::io::Write as _;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The load generator's password (`starling-loadgen`'s `setup::PASSWORD`).
const PASSWORD: &str = "loadgen-password";
/// How long the sessions last: the server's default session lifetime.
const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
const PAGE_ROWS: usize = 5_000;

pub async fn run(args: SeedArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    if args.users < 2 {
        bail!("--users must be at least 2");
    }
    let graph = Graph::new(args.users, args.follows);
    eprintln!(
        "seed-graph: {} users, {} follows (the top account has {} followers, {} accounts over 50,000, the least followed {})",
        args.users,
        graph.edges.len(),
        graph.followers[0],
        graph.followers.iter().filter(|&&f| f > 50_000).count(),
        graph.followers[args.users - 1]
    );
    let mut source = Synthetic::new(graph)?;
    let mut tokens = std::fs::File::create(&args.tokens_file)
        .with_context(|| format!("cannot write {}", args.tokens_file.display()))?;
    for (rank, token) in source.tokens.iter().enumerate() {
        writeln!(tokens, "{} {token}", username(rank))?;
    }
    tokens.sync_all()?;

    let mut last_report = Instant::now();
    let mut progress = |table: &Table, copied: u64| {
        if last_report.elapsed().as_secs() >= 2 {
            eprintln!("seed-graph: writing {}: {copied} rows", table.name);
            last_report = Instant::now();
        }
    };
    match &args.database_url {
        Some(url) => {
            let target = starling_postgres::Postgres::open(starling_postgres::PostgresConfig {
                url: url.clone(),
                ..Default::default()
            })
            .await
            .context("opening the PostgreSQL database")?;
            let outcome = target.import(&mut source, PAGE_ROWS, &mut progress).await;
            target.close().await?;
            outcome?;
        }
        None => {
            let config = starling_sqlite::SqliteConfig::in_dir(&args.data_dir);
            std::fs::create_dir_all(&args.data_dir)?;
            // Bring the schema up to date, as the server does when it opens the directory.
            starling_sqlite::Sqlite::open(config.clone())?
                .close()
                .await?;
            tokio::task::block_in_place(|| {
                starling_sqlite::portable::import(
                    &config.path,
                    &mut source,
                    PAGE_ROWS,
                    &mut progress,
                )
            })?;
        }
    }
    eprintln!(
        "seed-graph: done in {:.1} s; tokens in {}",
        started.elapsed().as_secs_f64(),
        args.tokens_file.display()
    );
    Ok(())
}

fn username(rank: usize) -> String {
    format!("seed{rank}")
}

/// The follows of the Zipf graph, sorted by (follower, followee) rank, with each rank's
/// follower and followee counts.
struct Graph {
    edges: Vec<(u32, u32)>,
    followers: Vec<i64>,
    following: Vec<i64>,
}

impl Graph {
    fn new(n: usize, follows: u64) -> Graph {
        let f = |c: f64, t: usize| ((c / (t + 1) as f64) as usize).min(n - 1);
        let total = |c: f64| (0..n).map(|t| f(c, t) as u64).sum::<u64>();
        // The largest C whose total does not pass `follows` (the total grows with C).
        let (mut low, mut high) = (0.0f64, (n as f64) * (n as f64));
        for _ in 0..100 {
            let mid = (low + high) / 2.0;
            if total(mid) <= follows {
                low = mid;
            } else {
                high = mid;
            }
        }
        let mut edges = Vec::with_capacity(total(low) as usize);
        let mut followers = vec![0i64; n];
        let mut following = vec![0i64; n];
        for (t, followed_by) in followers.iter_mut().enumerate() {
            let count = f(low, t);
            *followed_by = count as i64;
            for k in 1..=count {
                let u = (t + k) % n;
                following[u] += 1;
                edges.push((u as u32, t as u32));
            }
        }
        edges.sort_unstable();
        Graph {
            edges,
            followers,
            following,
        }
    }
}

/// The rows of the graph, in each table's key order (ids grow with rank).
struct Synthetic {
    graph: Graph,
    ids: Vec<i64>,
    session_ids: Vec<i64>,
    tokens: Vec<String>,
    password_hash: String,
    now: i64,
}

impl Synthetic {
    fn new(graph: Graph) -> anyhow::Result<Synthetic> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as i64;
        // A node id no server takes (their leases start at 0), a minute in the past: the
        // server's ids stay above these (it observes the largest stored id at start-up).
        let snowflake = Snowflake::new(MAX_NODE_ID);
        let n = graph.followers.len();
        let ids = (0..n).map(|_| snowflake.next(now - 60_000)).collect();
        let session_ids = (0..n).map(|_| snowflake.next(now - 60_000)).collect();
        let tokens = (0..n).map(|_| auth::new_token()).collect();
        let password_hash = auth::hash_password(PASSWORD)
            .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
        Ok(Synthetic {
            graph,
            ids,
            session_ids,
            tokens,
            password_hash,
            now,
        })
    }

    fn user(&self, rank: usize) -> Row {
        let name = username(rank);
        vec![
            Cell::Int(self.ids[rank]),
            Cell::Text(name.clone()),
            Cell::Text(name.to_lowercase()),
            Cell::Text(format!("Seed {rank}")),
            Cell::Text(self.password_hash.clone()),
            Cell::Int(self.now - 60_000),
            Cell::Text(String::new()),
            Cell::Int(0),
            Cell::Int(self.graph.followers[rank]),
            Cell::Int(self.graph.following[rank]),
            Cell::Int(0),
        ]
    }

    fn session(&self, rank: usize) -> Row {
        vec![
            Cell::Int(self.session_ids[rank]),
            Cell::Bytes(auth::token_hash(&self.tokens[rank]).to_vec()),
            Cell::Int(self.ids[rank]),
            Cell::Int(self.now),
            Cell::Int(self.now),
            Cell::Int(self.now + SESSION_TTL.as_millis() as i64),
        ]
    }

    fn follow(&self, (follower, followee): (u32, u32)) -> Row {
        vec![
            Cell::Int(self.ids[follower as usize]),
            Cell::Int(self.ids[followee as usize]),
            Cell::Int(self.now - 30_000),
        ]
    }
}

/// The position just after `after` in rows ordered like `keys` (which are sorted).
fn next_index<K: Ord>(keys: impl Fn(usize) -> K, len: usize, after: Option<K>) -> usize {
    match after {
        None => 0,
        Some(key) => {
            // Binary search: the first index whose key is greater than `key`.
            let (mut low, mut high) = (0, len);
            while low < high {
                let mid = (low + high) / 2;
                if keys(mid) <= key {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            low
        }
    }
}

fn int(cell: &Cell) -> starling_store::Result<i64> {
    match cell {
        Cell::Int(i) => Ok(*i),
        other => Err(starling_store::StoreError::message(format!(
            "a key that is not an integer: {other:?}"
        ))),
    }
}

impl RowSource for Synthetic {
    fn page(
        &mut self,
        table: &Table,
        after: Option<&[Cell]>,
        limit: usize,
    ) -> starling_store::Result<Vec<Row>> {
        let n = self.ids.len();
        Ok(match table.name {
            "users" => {
                let after = after.map(|k| int(&k[0])).transpose()?;
                let start = next_index(|i| self.ids[i], n, after);
                (start..n.min(start + limit))
                    .map(|r| self.user(r))
                    .collect()
            }
            "sessions" => {
                let after = after.map(|k| int(&k[0])).transpose()?;
                let start = next_index(|i| self.session_ids[i], n, after);
                (start..n.min(start + limit))
                    .map(|r| self.session(r))
                    .collect()
            }
            "follows" => {
                let after = match after {
                    Some(k) => Some((int(&k[0])?, int(&k[1])?)),
                    None => None,
                };
                let edges = &self.graph.edges;
                let key = |i: usize| {
                    let (u, t) = edges[i];
                    (self.ids[u as usize], self.ids[t as usize])
                };
                let start = next_index(key, edges.len(), after);
                (start..edges.len().min(start + limit))
                    .map(|i| self.follow(edges[i]))
                    .collect()
            }
            // Tweets, engagement, blocks and the rest start empty.
            _ => Vec::new(),
        })
    }

    fn totals(&mut self) -> starling_store::Result<Totals> {
        Ok(Totals::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_graph_adds_up_and_is_zipf_shaped() {
        let graph = Graph::new(1_000, 20_000);
        let n = 1_000;
        assert!(graph.edges.len() <= 20_000 && graph.edges.len() > 19_000);
        assert_eq!(
            graph.followers[0],
            n as i64 - 1,
            "the top rank capped at everyone else"
        );
        assert!(graph.followers[1] >= graph.followers[10]);
        assert!(graph.followers.iter().all(|&f| f >= 1));
        assert_eq!(
            graph.followers.iter().sum::<i64>(),
            graph.edges.len() as i64
        );
        assert_eq!(
            graph.following.iter().sum::<i64>(),
            graph.edges.len() as i64
        );
        let mut unique = graph.edges.clone();
        unique.dedup();
        assert_eq!(unique.len(), graph.edges.len(), "no follow twice");
        assert!(
            graph.edges.iter().all(|(u, t)| u != t),
            "nobody follows themselves"
        );
        // The load generator's rule: u follows t when (u - t) mod n is in 1..=f(t).
        for &(u, t) in &graph.edges {
            let gap = (u as usize + n - t as usize) % n;
            assert!((1..=graph.followers[t as usize] as usize).contains(&gap));
        }
    }

    #[test]
    fn pages_resume_after_the_last_key() {
        let keys = [2, 4, 6, 8];
        assert_eq!(next_index(|i| keys[i], 4, None), 0);
        assert_eq!(next_index(|i| keys[i], 4, Some(4)), 2);
        assert_eq!(next_index(|i| keys[i], 4, Some(5)), 2);
        assert_eq!(next_index(|i| keys[i], 4, Some(8)), 4);
    }
}
