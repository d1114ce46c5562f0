//! The embedded storage backend: one SQLite file in WAL mode.
//!
//! Layout, by aggregate so another backend can mirror it file for file: [`accounts`],
//! [`tweets`] and [`engagement`] each implement their store trait with the SQL they need
//! (writes run by the writer in its batch transaction, reads on the read pool);
//! [`integrity`] holds the totals and the audit that span them. Around them:
//! [`connection`] (pragmas, error mapping), [`migrate`] (the schema), [`writer`] (the one
//! read-write connection and its group commit), [`readers`] (read-only connections),
//! [`checkpoint`] (WAL checkpoints off the write path).
//!
//! Key decision: **group commit**. The writer drains every write waiting in its queue,
//! runs them in one transaction and commits once; a sync thread then fsyncs the WAL
//! (one `fdatasync` for every batch committed meanwhile) and only then answers the
//! callers, while the writer already runs the next batch (see `writer.rs`). Each write
//! checks before it writes, so a refused write leaves nothing in the batch (see
//! `tweets.rs`). Durability costs latency, not throughput.

mod accounts;
mod checkpoint;
mod connection;
mod engagement;
mod graph;
mod integrity;
mod media;
mod migrate;
mod notifications;
pub mod portable;
mod readers;
mod timelines;
mod tweets;
mod writer;

use async_trait::async_trait;
use connection::open_connection;
use readers::ReadPool;
use starling_core::Snowflake;
use starling_store::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use writer::{Writer, WriterSetup};

/// How the SQLite backend is set up: the `[store]` section with `backend = "sqlite"`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SqliteConfig {
    /// The database file; its directory must exist. Not a setting: it lives in the
    /// data directory.
    #[serde(skip)]
    pub path: PathBuf,
    /// Read-only connections in the pool.
    pub readers: usize,
    /// Writes that may wait for the writer before new ones are refused as overloaded.
    pub queue_capacity: usize,
    /// Most writes in one transaction.
    pub max_batch: usize,
    /// This node's Snowflake node id; not a setting of this section (the node has one).
    #[serde(skip)]
    pub node_id: u16,
    /// WAL size, in pages, at which the writer checkpoints so the WAL can start over:
    /// small values stall often, large ones stall long (see BENCHMARKS.md).
    pub checkpoint_pages: u32,
}

impl Default for SqliteConfig {
    fn default() -> Self {
        Self::in_dir(Path::new("."))
    }
}

impl SqliteConfig {
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            path: dir.join("starling.db"),
            readers: 4,
            queue_capacity: 16_384,
            max_batch: 2_048,
            node_id: 0,
            checkpoint_pages: 10_000,
        }
    }
}

pub struct Sqlite {
    writer: Writer,
    readers: Arc<ReadPool>,
    checkpointer: std::sync::Mutex<checkpoint::Checkpointer>,
    /// Outbox claims: in this process's memory, since it is the only one using the file.
    claims: tokio::sync::Mutex<timelines::Claims>,
}

impl Sqlite {
    /// Open (creating if needed) and migrate the database, then start the writer.
    pub fn open(config: SqliteConfig) -> Result<Self> {
        let conn = open_connection(&config.path, false).map_err(StoreError::internal)?;
        migrate::migrate(&conn)?;
        let ids = Snowflake::new(config.node_id);
        // Ids must keep growing across restarts even if the clock went backwards.
        let max_id: i64 = conn
            .query_row(
                "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM tweets UNION ALL SELECT MAX(id) FROM users)",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )
            .map_err(StoreError::internal)?
            .unwrap_or(0);
        ids.observe(max_id);
        let readers =
            ReadPool::open(&config.path, config.readers.max(1)).map_err(StoreError::internal)?;
        // The writer commits without waiting for the disk; its sync thread fsyncs the
        // WAL before anyone is answered (see writer.rs).
        conn.execute_batch("PRAGMA synchronous = NORMAL")
            .map_err(StoreError::internal)?;
        // SQLite's own automatic checkpoint would run inside COMMIT, before the batch
        // could be handed to the sync thread; the writer checkpoints after the hand-off
        // instead (writer.rs).
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(StoreError::internal)?;
        let mut wal = config.path.clone().into_os_string();
        wal.push("-wal");
        let checkpointer =
            checkpoint::Checkpointer::start(&config.path).map_err(StoreError::internal)?;
        let writer = Writer::start(
            conn,
            WriterSetup {
                wal: wal.into(),
                ids,
                capacity: config.queue_capacity,
                max_batch: config.max_batch,
                checkpoint_pages: config.checkpoint_pages,
                nudge: checkpointer.nudger(),
            },
        )
        .map_err(StoreError::internal)?;
        Ok(Self {
            writer,
            readers: Arc::new(readers),
            checkpointer: std::sync::Mutex::new(checkpointer),
            claims: Default::default(),
        })
    }
}

#[async_trait]
impl Store for Sqlite {
    async fn audit(&self) -> Result<Vec<String>> {
        self.readers.run(integrity::audit).await
    }

    async fn totals(&self) -> Result<Totals> {
        self.readers.run(integrity::totals).await
    }

    async fn close(&self) -> Result<()> {
        self.checkpointer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .stop();
        self.writer.close().await
    }

    /// One process owns the file (the writer's lock): its caches see every write.
    fn cache_epoch(&self) -> Option<u64> {
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::open_connection;
    use crate::migrate::{MIGRATIONS, migrate_to};
    use rusqlite::params;
    use starling_core::{Content, NewTweet, TweetId, TweetState, UserId};

    async fn ada(store: &Sqlite) -> User {
        store
            .create_user(NewUser {
                username: "ada".into(),
                display_name: "Ada".into(),
                password_hash: "x".into(),
                now: 1,
            })
            .await
            .unwrap()
    }

    fn post(author: &User, text: &str) -> CreateTweet {
        CreateTweet {
            author: author.id,
            tweet: NewTweet::published(Content::parse(text).unwrap()),
            placed: Placement::default(),
            now: 2,
        }
    }

    /// A database written by schema version 1 (bodies keyed by hash, WITHOUT ROWID)
    /// opens under the current schema with its tweets, versions and bodies intact, and
    /// content addressing still finds the old bodies.
    #[tokio::test]
    async fn a_version_1_database_migrates_without_losing_anything() {
        let dir = tempfile::tempdir().unwrap();
        let config = SqliteConfig::in_dir(dir.path());
        let first = Content::parse("Migrations keep every body #starling").unwrap();
        let second = Content::parse("and every version").unwrap();
        {
            let conn = open_connection(&config.path, false).unwrap();
            migrate_to(&conn, 1).unwrap();
            conn.execute_batch("INSERT INTO users VALUES (7, 'Ada', 'ada', 'Ada', 'x', 1)")
                .unwrap();
            for (content, at) in [(&first, 10_i64), (&second, 20)] {
                conn.execute(
                    "INSERT INTO bodies (hash, content, entities, tags, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![&content.hash().0[..], content.text(), content.entities_json(), content.hashtags().join(" "), at],
                )
                .unwrap();
            }
            conn.execute(
                "INSERT INTO tweets (id, author_id, body_hash, version, state, created_at, updated_at, rev, last_seq)
                 VALUES (100, 7, ?1, 2, ?2, 10, 20, 2, 2)",
                params![&second.hash().0[..], TweetState::Edited.code()],
            )
            .unwrap();
            for (seq, kind, content, at) in [
                (1, EventKind::Created, &first, 10_i64),
                (2, EventKind::Edited, &second, 20),
            ] {
                conn.execute(
                    "INSERT INTO tweet_events VALUES (100, ?1, ?2, ?1, ?3, 7, ?4)",
                    params![seq, kind.code(), &content.hash().0[..], at],
                )
                .unwrap();
            }
            conn.execute_batch(
                "UPDATE totals SET tweets = 1, versions = 2, bodies = 2 WHERE id = 1",
            )
            .unwrap();
        }

        let store = Sqlite::open(config.clone()).unwrap();
        let tweet = store
            .tweet(TweetId(100))
            .await
            .unwrap()
            .expect("the tweet survives");
        assert_eq!(&*tweet.content, "and every version");
        assert_eq!(tweet.content_hash, second.hash());
        let versions = store.versions(TweetId(100)).await.unwrap();
        let texts: Vec<&str> = versions.iter().map(|v| v.content.as_str()).collect();
        assert_eq!(
            texts,
            ["Migrations keep every body #starling", "and every version"]
        );

        // Posting an old body again stores nothing new.
        store
            .create_tweet(CreateTweet {
                author: UserId(7),
                tweet: NewTweet::published(first.clone()),
                placed: Placement::default(),
                now: 30,
            })
            .await
            .unwrap();
        assert_eq!(store.totals().await.unwrap().bodies, 2);
        store.close().await.unwrap();

        let conn = open_connection(&config.path, false).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM bodies", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
        let refused = conn.execute("UPDATE bodies SET content = 'changed'", []);
        assert!(
            refused.is_err(),
            "bodies stay immutable after the migration"
        );
    }

    /// When the batch cannot even begin (here: another process holds the write lock
    /// past the busy timeout), its writes are answered with that error, nothing is
    /// half-written, and the writer carries on once the lock is gone.
    #[tokio::test]
    async fn a_batch_that_cannot_begin_reports_why_and_the_writer_recovers() {
        let dir = tempfile::tempdir().unwrap();
        let config = SqliteConfig::in_dir(dir.path());
        let store = Sqlite::open(config.clone()).unwrap();
        let user = ada(&store).await;
        let intruder = open_connection(&config.path, false).unwrap();
        intruder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let err = store
            .create_tweet(post(&user, "blocked"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Internal(source) if source.to_string().contains("locked")),
            "the caller learns why: {err:?}"
        );
        intruder.execute_batch("ROLLBACK").unwrap();

        let created = store
            .create_tweet(post(&user, "after the lock"))
            .await
            .unwrap();
        assert_eq!(&*created.tweet.content, "after the lock");
        assert_eq!(
            store.totals().await.unwrap().tweets,
            1,
            "the blocked write left nothing"
        );
        store.close().await.unwrap();
    }

    /// The writer's checkpoints let the WAL start over, so under a steady stream of
    /// writes its file stays near the threshold instead of growing with the data.
    #[tokio::test]
    async fn the_wal_stays_bounded_under_steady_writes() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = SqliteConfig::in_dir(dir.path());
        config.checkpoint_pages = 64;
        let store = Arc::new(Sqlite::open(config.clone()).unwrap());
        let user = ada(&store).await;
        let tasks: Vec<_> = (0..8)
            .map(|task| {
                let store = store.clone();
                let user = user.clone();
                tokio::spawn(async move {
                    for i in 0..250 {
                        let text = format!(
                            "tweet {i} of writer {task}, long enough to fill some of a page"
                        );
                        store.create_tweet(post(&user, &text)).await.unwrap();
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(store.totals().await.unwrap().tweets, 2_000);
        // 2,000 creates write thousands of frames; without checkpoints the WAL would
        // hold them all (tens of MiB). With them it holds the threshold plus a batch.
        let wal = std::fs::metadata(dir.path().join("starling.db-wal"))
            .unwrap()
            .len();
        assert!(wal < 2 * 1024 * 1024, "WAL is {wal} bytes");
        store.close().await.unwrap();
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let config = SqliteConfig::in_dir(dir.path());
        let conn = open_connection(&config.path, false).unwrap();
        conn.execute_batch("PRAGMA user_version = 999").unwrap();
        drop(conn);
        let err = Sqlite::open(config).err().expect("refused");
        assert!(
            matches!(&err, StoreError::Internal(source) if source.to_string().contains("newer")),
            "{err:?}"
        );
    }
}
