//! Background WAL checkpoints, so the writer's own checkpoints find little to copy.
//!
//! The WAL can only start over once every frame in it has been copied into the database
//! file, and only a commit can restart it, so the writer itself checkpoints when the WAL
//! has grown past its threshold (writer.rs). This thread copies committed frames ahead
//! of it (PASSIVE: it never blocks the writer), so the writer's pass has only the last
//! few milliseconds of frames to copy and few dirty pages to fsync.
//!
//! Pace: the writer nudges this thread after every commit, and it runs at most one pass
//! per [`MIN_INTERVAL`]. Short passes are what keep the writer's stall short: with a
//! 50 ms interval the writer's pass took 9–12 ms, with 5 ms it takes 3–6 ms
//! (docs/BENCHMARKS.md). An idle database gets no passes at all.

use crate::open_connection;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{JoinHandle, Thread};
use std::time::{Duration, Instant};

const MIN_INTERVAL: Duration = Duration::from_millis(5);

pub(crate) struct Checkpointer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Wakes the checkpointer after a commit; cheap enough to call on every one.
#[derive(Clone)]
pub(crate) struct Nudge(Thread);

impl Nudge {
    pub fn nudge(&self) {
        self.0.unpark();
    }
}

impl Checkpointer {
    pub fn start(path: &Path) -> rusqlite::Result<Self> {
        let conn = open_connection(path, false)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("starling-sqlite-checkpoint".into())
            .spawn(move || {
                loop {
                    // A nudge that came during the last pass makes this return at once.
                    std::thread::park();
                    if flag.load(Ordering::Relaxed) {
                        break;
                    }
                    let started = Instant::now();
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::debug!(error = %e, "background checkpoint skipped");
                    }
                    if let Some(rest) = MIN_INTERVAL.checked_sub(started.elapsed()) {
                        std::thread::sleep(rest);
                    }
                }
            })
            .expect("spawn checkpoint thread");
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }

    /// A handle for the writer to wake this thread, or `None` once stopped.
    pub fn nudger(&self) -> Option<Nudge> {
        self.thread.as_ref().map(|t| Nudge(t.thread().clone()))
    }

    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop();
    }
}
