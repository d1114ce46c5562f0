//! The embedded storage backend: one SQLite file in WAL mode.
//!
//! Layout: [`Sqlite`] implements [`Store`]. Writes go to one writer thread ([`writer`])
//! that owns the only read-write connection; reads go to a small pool of read-only
//! connections ([`readers`]). SQL lives in [`ops`] (writes) and [`queries`] (reads).
//!
//! Key decision: **group commit**. The writer drains every write waiting in its queue,
//! runs them in one transaction and commits once; a sync thread then fsyncs the WAL
//! (one `fdatasync` for every batch committed meanwhile) and only then answers the
//! callers, while the writer already runs the next batch (see `writer.rs`). Each write
//! checks before it writes, so a refused write leaves nothing in the batch (see
//! `ops.rs`). Durability costs latency, not throughput.

mod checkpoint;
mod ops;
mod queries;
mod readers;
mod writer;

use async_trait::async_trait;
use readers::ReadPool;
use rusqlite::Connection;
use starling_core::{Snowflake, TweetId, UserId};
use starling_store::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use writer::{Writer, WriterSetup};

/// How the SQLite backend is set up.
#[derive(Debug, Clone)]
pub struct SqliteConfig {
    /// The database file; its directory must exist.
    pub path: PathBuf,
    /// Read-only connections in the pool.
    pub readers: usize,
    /// Writes that may wait for the writer before new ones are refused as overloaded.
    pub queue_capacity: usize,
    /// Most writes in one transaction.
    pub max_batch: usize,
    /// This node's Snowflake node id.
    pub node_id: u16,
    /// WAL size, in pages, at which the writer checkpoints so the WAL can start over:
    /// small values stall often, large ones stall long (see BENCHMARKS.md).
    pub checkpoint_pages: u32,
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
}

fn open_connection(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    use rusqlite::OpenFlags;
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // FULL for any connection that writes on its own; the writer connection switches to
    // NORMAL because its sync thread fsyncs the WAL before acknowledging (writer.rs).
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = OFF;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -32000;",
    )?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// The schema's migrations, in order: migration `i` takes `user_version` from `i` to
/// `i + 1`. Each runs in its own transaction together with the version bump, so a crash
/// mid-migration leaves the previous version intact. Append only: never edit one that
/// has shipped, since databases already at its version will not run it again.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_bodies_by_rowid.sql"),
    include_str!("migrations/0003_sessions_and_request_hashes.sql"),
];

/// Bring the database to the newest schema, refusing one written by a newer Starling.
fn migrate(conn: &Connection) -> Result<()> {
    migrate_to(conn, MIGRATIONS.len())
}

fn migrate_to(conn: &Connection, target: usize) -> Result<()> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(internal)?;
    let current = usize::try_from(current).unwrap_or(usize::MAX);
    if current > MIGRATIONS.len() {
        return Err(StoreError::Internal(format!(
            "the database has schema version {current}, newer than this build knows ({}); \
             run a newer Starling or point --data-dir elsewhere",
            MIGRATIONS.len()
        )));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().take(target).skip(current) {
        let version = index + 1;
        conn.execute_batch(&format!(
            "BEGIN; {sql}\nPRAGMA user_version = {version}; COMMIT;"
        ))
        .map_err(|e| {
            // A failed statement leaves the transaction open; end it so the
            // connection is usable and the earlier version stays.
            let _ = conn.execute_batch("ROLLBACK");
            StoreError::Internal(format!("schema migration to version {version}: {e}"))
        })?;
        tracing::info!(version, "applied schema migration");
    }
    Ok(())
}

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

impl Sqlite {
    /// Open (creating if needed) and migrate the database, then start the writer.
    pub fn open(config: SqliteConfig) -> Result<Self> {
        let conn = open_connection(&config.path, false).map_err(internal)?;
        migrate(&conn)?;
        let ids = Snowflake::new(config.node_id);
        // Ids must keep growing across restarts even if the clock went backwards.
        let max_id: i64 = conn
            .query_row(
                "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM tweets UNION ALL SELECT MAX(id) FROM users)",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )
            .map_err(internal)?
            .unwrap_or(0);
        ids.observe(max_id);
        let readers = ReadPool::open(&config.path, config.readers.max(1)).map_err(internal)?;
        // The writer commits without waiting for the disk; its sync thread fsyncs the
        // WAL before anyone is answered (see writer.rs).
        conn.execute_batch("PRAGMA synchronous = NORMAL")
            .map_err(internal)?;
        // SQLite's own automatic checkpoint would run inside COMMIT, before the batch
        // could be handed to the sync thread; the writer checkpoints after the hand-off
        // instead (writer.rs).
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(internal)?;
        let mut wal = config.path.clone().into_os_string();
        wal.push("-wal");
        let checkpointer = checkpoint::Checkpointer::start(&config.path).map_err(internal)?;
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
        .map_err(internal)?;
        Ok(Self {
            writer,
            readers: Arc::new(readers),
            checkpointer: std::sync::Mutex::new(checkpointer),
        })
    }
}

#[async_trait]
impl AccountStore for Sqlite {
    async fn create_user(&self, user: NewUser) -> Result<User> {
        self.writer.run(move |tx| ops::create_user(tx, user)).await
    }

    async fn credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let key = username.to_ascii_lowercase();
        self.readers
            .run(move |c| queries::credentials(c, &key))
            .await
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        self.readers.run(move |c| queries::user(c, id)).await
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let key = username.to_ascii_lowercase();
        self.readers
            .run(move |c| queries::credentials(c, &key).map(|o| o.map(|(u, _)| u)))
            .await
    }

    async fn create_session(&self, session: NewSession) -> Result<Session> {
        self.writer
            .run(move |tx| ops::create_session(tx, session))
            .await
    }

    async fn session_by_token(&self, token_hash: [u8; 32]) -> Result<Option<(User, Session)>> {
        self.readers
            .run(move |c| queries::session_by_token(c, token_hash))
            .await
    }

    async fn renew_session(&self, id: SessionId, now: i64, expires_at: i64) -> Result<()> {
        self.writer
            .run(move |tx| ops::renew_session(tx, id, now, expires_at))
            .await
    }

    async fn sessions(&self, user: UserId) -> Result<Vec<Session>> {
        self.readers.run(move |c| queries::sessions(c, user)).await
    }

    async fn delete_sessions(&self, revoke: RevokeSessions) -> Result<Vec<Session>> {
        self.writer
            .run(move |tx| ops::delete_sessions(tx, revoke))
            .await
    }
}

#[async_trait]
impl TweetStore for Sqlite {
    async fn create_tweet(&self, tweet: NewTweet) -> Result<Created> {
        self.writer
            .run(move |tx| ops::create_tweet(tx, tweet))
            .await
    }

    async fn edit_tweet(&self, edit: EditTweet) -> Result<Changed> {
        self.writer.run(move |tx| ops::edit_tweet(tx, edit)).await
    }

    async fn transition(&self, change: Transition) -> Result<Changed> {
        self.writer.run(move |tx| ops::transition(tx, change)).await
    }

    async fn restore_version(&self, restore: RestoreVersion) -> Result<Changed> {
        self.writer
            .run(move |tx| ops::restore_version(tx, restore))
            .await
    }

    async fn tweet(&self, id: TweetId) -> Result<Option<TweetRecord>> {
        self.readers.run(move |c| queries::tweet(c, id)).await
    }

    async fn list_tweets(&self, query: TweetQuery) -> Result<Vec<TweetRecord>> {
        self.readers
            .run(move |c| queries::list_tweets(c, &query))
            .await
    }

    async fn versions(&self, id: TweetId) -> Result<Vec<VersionRecord>> {
        self.readers.run(move |c| queries::versions(c, id)).await
    }

    async fn events(&self, id: TweetId) -> Result<Vec<EventRecord>> {
        self.readers.run(move |c| queries::events(c, id)).await
    }
}

#[async_trait]
impl EngagementStore for Sqlite {
    async fn engage(&self, engagement: Engage) -> Result<Engaged> {
        self.writer.run(move |tx| ops::engage(tx, engagement)).await
    }

    async fn add_views(&self, views: Vec<(TweetId, i64)>) -> Result<Vec<(TweetId, Counters)>> {
        self.writer.run(move |tx| ops::add_views(tx, views)).await
    }

    async fn viewer_flags(&self, user: UserId, ids: &[TweetId]) -> Result<Vec<(bool, bool)>> {
        let ids = ids.to_vec();
        self.readers
            .run(move |c| queries::viewer_flags(c, user, &ids))
            .await
    }

    async fn engagement_since(&self, since: i64) -> Result<Vec<(TweetId, i64)>> {
        self.readers
            .run(move |c| queries::engagement_since(c, since))
            .await
    }
}

#[async_trait]
impl Store for Sqlite {
    async fn audit(&self) -> Result<Vec<String>> {
        self.readers.run(queries::audit).await
    }

    async fn totals(&self) -> Result<Totals> {
        self.readers.run(queries::totals).await
    }

    async fn close(&self) -> Result<()> {
        self.checkpointer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .stop();
        self.writer.close().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;
    use starling_core::{Content, TweetState};

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

    fn post(author: &User, text: &str) -> NewTweet {
        NewTweet {
            author: author.id,
            content: Content::parse(text).unwrap(),
            reply_to: None,
            draft: false,
            idempotency_key: None,
            request_hash: [0; 32],
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
            .create_tweet(NewTweet {
                author: UserId(7),
                content: first.clone(),
                reply_to: None,
                draft: false,
                idempotency_key: None,
                request_hash: [0; 32],
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
            matches!(&err, StoreError::Internal(m) if m.contains("locked")),
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
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
