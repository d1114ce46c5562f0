//! The single writer thread, its group commit, and the sync thread that makes each
//! commit durable before anyone is answered.
//!
//! The writer commits each batch with `synchronous=NORMAL`: the WAL frames reach the
//! OS but SQLite does not wait for the disk. It then hands the batch's answers to the
//! sync thread and goes on with the next batch, while the sync thread runs one
//! `fdatasync` of the WAL file (covering every batch committed so far) and only then
//! answers. So an acknowledged write is on disk, exactly as with `synchronous=FULL`,
//! but the fsync of batch N overlaps the work of batch N+1 instead of stalling it.
//! (NORMAL keeps SQLite's own guarantees: the WAL is synced before every checkpoint
//! and the database after it, so the WAL is never reset over unsynced data.)
//! Readers may see a batch a few milliseconds before it is durable; nobody is told it
//! succeeded before it is.

use crate::checkpoint::Nudge;

use rusqlite::Connection;
use starling_core::{Snowflake, UserId};
use starling_store::{Result, StoreError, Totals, User};
use std::collections::HashMap;
use std::ffi::c_int;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::mpsc::{Sender, channel};
use tokio::sync::oneshot;

/// What a write sees: the writer's connection inside an open transaction.
pub(crate) struct Tx<'a> {
    pub conn: &'a Connection,
    pub ids: &'a Snowflake,
    /// Authors by id. Usernames and display names never change yet, so the writer can
    /// build tweet records without a join; bounded by clearing when full.
    pub authors: &'a mut HashMap<UserId, Arc<User>>,
    /// Set when a write failed inside the storage engine: its partial changes cannot
    /// be told apart from the others', so the batch is rolled back and every write in
    /// it is answered with the failure.
    pub poisoned: bool,
    /// How this batch moves the running totals; written once, just before the commit.
    pub deltas: Totals,
}

/// A write that runs inside the batch transaction and returns the function that
/// answers its caller once the commit outcome is known. `None` means the transaction
/// could not begin: the write does not run, and its caller gets the batch's error.
type Job = Box<dyn FnOnce(Option<&mut Tx<'_>>) -> Answer + Send>;

enum Message {
    Write(Job),
    /// Commit what is queued, checkpoint the WAL, and stop.
    Close(oneshot::Sender<()>),
}

pub(crate) struct Writer {
    queue: SyncSender<Message>,
    /// Set when an fsync failed: what was committed may not be on disk, and the OS may
    /// have dropped the dirty pages, so no later write may be acknowledged.
    failed: Arc<AtomicBool>,
}

type Answer = Box<dyn FnOnce(Result<()>) + Send>;

enum ToSync {
    /// A committed (or failed) batch, to answer once the WAL is on disk.
    Batch(Result<()>, Vec<Answer>),
    Close(oneshot::Sender<()>),
}

/// What the writer thread needs besides its connection.
pub struct WriterSetup {
    /// The WAL file, which the sync thread fsyncs.
    pub wal: PathBuf,
    /// Issues ids in commit order (one writer: ids and commits share one order).
    pub ids: Snowflake,
    /// Writes that may wait before new ones are refused as overloaded.
    pub capacity: usize,
    /// Most writes in one transaction.
    pub max_batch: usize,
    /// WAL size, in pages, at which the writer checkpoints after a batch.
    pub checkpoint_pages: u32,
    /// Wakes the background checkpointer after each commit.
    pub nudge: Option<Nudge>,
}

impl Writer {
    pub fn start(mut conn: Connection, setup: WriterSetup) -> rusqlite::Result<Self> {
        let WriterSetup {
            wal,
            ids,
            capacity,
            max_batch,
            checkpoint_pages,
            nudge,
        } = setup;
        // SQLite reports the WAL's size after every commit; the writer reads it to
        // know when to checkpoint.
        let wal_pages = Arc::new(AtomicU32::new(0));
        let reported = wal_pages.clone();
        conn.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages: c_int| {
            reported.store(u32::try_from(pages).unwrap_or(0), Ordering::Relaxed);
            Ok(())
        }))?;
        let checkpoint = Checkpoint {
            wal_pages,
            threshold: checkpoint_pages.max(1),
            nudge,
        };
        let (queue, rx) = sync_channel(capacity);
        let failed = Arc::new(AtomicBool::new(false));
        let (to_sync, sync_rx) = channel();
        let sync_failed = failed.clone();
        std::thread::Builder::new()
            .name("starling-sqlite-sync".into())
            .spawn(move || sync(wal, sync_rx, sync_failed))
            .expect("spawn sync thread");
        std::thread::Builder::new()
            .name("starling-sqlite-writer".into())
            .spawn(move || run(conn, ids, rx, to_sync, max_batch.max(1), checkpoint))
            .expect("spawn writer thread");
        Ok(Self { queue, failed })
    }

    /// Run `op` in the next batch; answer after the batch is durably committed.
    pub async fn run<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx<'_>) -> Result<T> + Send + 'static,
    {
        if self.failed.load(Ordering::Relaxed) {
            return Err(StoreError::message(
                "an earlier fsync failed; the store refuses writes until restarted",
            ));
        }
        let (done, answer) = oneshot::channel::<Result<T>>();
        let job: Job = Box::new(move |tx| {
            let outcome = match tx {
                Some(tx) => {
                    let outcome = op(tx);
                    // Writes check before they write (see tweets.rs), so a refused write
                    // left nothing behind; a storage failure mid-write poisons the
                    // whole batch.
                    if let Err(StoreError::Internal(_)) = &outcome {
                        tx.poisoned = true;
                    }
                    outcome
                }
                // Not run; `committed` carries the reason.
                None => Err(StoreError::message("the batch did not begin")),
            };
            Box::new(move |committed: Result<()>| {
                let _ = done.send(committed.and(outcome));
            })
        });
        match self.queue.try_send(Message::Write(job)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(StoreError::Overloaded),
            Err(TrySendError::Disconnected(_)) => {
                return Err(StoreError::message("the store is closed"));
            }
        }
        answer
            .await
            .map_err(|_| StoreError::message("the writer stopped"))?
    }

    pub async fn close(&self) -> Result<()> {
        let (done, wait) = oneshot::channel();
        // A blocking send: close must not be refused because the queue is full.
        let queue = self.queue.clone();
        tokio::task::spawn_blocking(move || queue.send(Message::Close(done)))
            .await
            .map_err(StoreError::internal)?
            .map_err(|_| StoreError::message("the store is closed"))?;
        wait.await.map_err(StoreError::internal)
    }
}

/// When the writer checkpoints: after a batch that left at least `threshold` pages in
/// the WAL.
struct Checkpoint {
    /// The WAL's size in pages after the latest commit (set by the WAL hook).
    wal_pages: Arc<AtomicU32>,
    threshold: u32,
    /// Wakes the background checkpointer (checkpoint.rs) to copy what was committed.
    nudge: Option<Nudge>,
}

impl Checkpoint {
    /// Wake the background checkpointer; then, if the WAL has grown past the threshold,
    /// copy it into the database so the next batch can start it over. Runs after the
    /// batch was handed to the sync thread: its callers are answered while the pages
    /// are copied; only writes that arrive meanwhile wait. (The background
    /// checkpointer has usually copied most pages already; this pass copies the rest
    /// and syncs the database file.)
    fn after_commit(&self, conn: &Connection) {
        if let Some(nudge) = &self.nudge {
            nudge.nudge();
        }
        if self.wal_pages.load(Ordering::Relaxed) < self.threshold {
            return;
        }
        // If a reader still needs older frames, not everything is copied and the WAL
        // cannot start over yet; the next batch tries again. Once all is copied, the
        // next commit restarts the WAL and the hook reports its new, small size.
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "writer checkpoint failed");
        }
    }
}

fn run(
    conn: Connection,
    ids: Snowflake,
    rx: Receiver<Message>,
    to_sync: Sender<ToSync>,
    max_batch: usize,
    checkpoint: Checkpoint,
) {
    let mut authors = HashMap::new();
    let mut batch = Vec::with_capacity(max_batch);
    let mut answers = Vec::with_capacity(max_batch);
    let mut closing = None;
    while closing.is_none() {
        let Ok(first) = rx.recv() else { break };
        let mut next = Some(first);
        // Take everything already waiting, up to the batch size: these share one commit.
        while let Some(message) = next.take() {
            match message {
                Message::Write(job) => batch.push(job),
                Message::Close(done) => {
                    closing = Some(done);
                    break;
                }
            }
            if batch.len() < max_batch {
                next = rx.try_recv().ok();
            }
        }
        if batch.is_empty() {
            continue;
        }
        if authors.len() > 100_000 {
            authors.clear();
        }
        let begun = conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::internal);
        let committed = match begun {
            Ok(()) => {
                let mut tx = Tx {
                    conn: &conn,
                    ids: &ids,
                    authors: &mut authors,
                    poisoned: false,
                    deltas: Totals::default(),
                };
                for job in batch.drain(..) {
                    answers.push(job(Some(&mut tx)));
                }
                let deltas = tx.deltas;
                let commit = if tx.poisoned {
                    Err(StoreError::message(
                        "a write in the batch failed; the batch was rolled back",
                    ))
                } else {
                    add_totals(&conn, &deltas)
                        .and_then(|()| conn.execute_batch("COMMIT"))
                        .map_err(StoreError::internal)
                };
                if let Err(e) = &commit {
                    tracing::error!(error = %e, "group commit failed; rolling the batch back");
                    let _ = conn.execute_batch("ROLLBACK");
                    // Rows cached from the failed batch are gone.
                    authors.clear();
                }
                commit
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot begin a write transaction");
                answers.extend(batch.drain(..).map(|job| job(None)));
                Err(e)
            }
        };
        let batch_answers = std::mem::replace(&mut answers, Vec::with_capacity(max_batch));
        if let Err(std::sync::mpsc::SendError(ToSync::Batch(_, lost))) =
            to_sync.send(ToSync::Batch(committed, batch_answers))
        {
            for answer in lost {
                answer(Err(StoreError::message("the sync thread stopped")));
            }
        }
        checkpoint.after_commit(&conn);
    }
    // Everything committed is made durable and answered before the final checkpoint.
    let (synced, wait) = oneshot::channel();
    if to_sync.send(ToSync::Close(synced)).is_ok() {
        let _ = wait.blocking_recv();
    }
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
        tracing::warn!(error = %e, "checkpoint at close failed");
    }
    drop(conn);
    if let Some(done) = closing {
        let _ = done.send(());
    }
}

fn add_totals(conn: &Connection, d: &Totals) -> rusqlite::Result<()> {
    if *d == Totals::default() {
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE totals SET tweets = tweets + ?1, versions = versions + ?2, bodies = bodies + ?3,
             likes = likes + ?4, retweets = retweets + ?5, replies = replies + ?6, views = views + ?7
         WHERE id = 1",
    )?
    .execute(rusqlite::params![d.tweets, d.versions, d.bodies, d.likes, d.retweets, d.replies, d.views])
    .map(drop)
}

/// Make committed batches durable, then answer them. Each `fdatasync` covers every
/// batch committed before it started, so batches waiting together share one.
fn sync(wal: PathBuf, rx: Receiver<ToSync>, failed: Arc<AtomicBool>) {
    let mut file: Option<std::fs::File> = None;
    let mut pending: Vec<(Result<()>, Vec<Answer>)> = Vec::new();
    while let Ok(first) = rx.recv() {
        let mut closing = None;
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                ToSync::Batch(committed, answers) => pending.push((committed, answers)),
                ToSync::Close(done) => {
                    closing = Some(done);
                    break;
                }
            }
            next = rx.try_recv().ok();
        }
        let synced = if pending.iter().any(|(c, _)| c.is_ok()) {
            // The WAL exists once anything was committed; open it once and keep it.
            let opened = match &file {
                Some(f) => Ok(f),
                None => std::fs::File::open(&wal).map(|f| &*file.insert(f)),
            };
            opened.and_then(|f| f.sync_data()).map_err(|e| {
                tracing::error!(error = %e, wal = %wal.display(), "fsync of the WAL failed");
                failed.store(true, Ordering::Relaxed);
                StoreError::message(format!("fsync failed: {e}"))
            })
        } else {
            Ok(())
        };
        for (committed, answers) in pending.drain(..) {
            let outcome = committed.and(synced.clone());
            for answer in answers {
                answer(outcome.clone());
            }
        }
        if let Some(done) = closing {
            let _ = done.send(());
            break;
        }
    }
}
