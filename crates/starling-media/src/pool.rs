//! A bounded pool for processing jobs: at most `jobs` run at once, at most `queue` wait,
//! and any beyond are refused at once ([`MediaError::Overloaded`], a 503 with
//! `Retry-After`), so a flood of uploads costs a refusal each, not memory.

use crate::MediaError;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct Pool {
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
}

/// A running job's place; the slot frees when it drops.
pub struct Slot(#[allow(dead_code)] OwnedSemaphorePermit);

impl Pool {
    pub fn new(jobs: usize, queue: usize) -> Arc<Self> {
        Arc::new(Self {
            slots: Arc::new(Semaphore::new(jobs.max(1))),
            waiting: AtomicUsize::new(0),
            queue,
        })
    }

    /// A slot: at once if one is free, after a wait if the queue has room, else refused.
    pub async fn slot(&self) -> Result<Slot, MediaError> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(Slot(permit));
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(MediaError::Overloaded);
        }
        let permit = self.slots.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        permit
            .map(Slot)
            .map_err(|_| MediaError::internal("the processing pool is closed"))
    }

    /// Run CPU-bound work in a slot, on the blocking threads (never the runtime's).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, MediaError> + Send + 'static,
    ) -> Result<T, MediaError> {
        let slot = self.slot().await?;
        let outcome = tokio::task::spawn_blocking(work).await;
        drop(slot);
        outcome.map_err(|e| MediaError::internal(format!("a processing job panicked: {e}")))?
    }

    /// Whether a job asking now would get a slot or a place in the queue.
    pub fn has_room(&self) -> bool {
        self.slots.available_permits() > 0 || self.waiting.load(Ordering::Acquire) < self.queue
    }

    /// Jobs waiting now.
    pub fn busy(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_queue_jobs_are_refused_at_once() {
        let pool = Pool::new(1, 1);
        let running = pool.slot().await.unwrap();
        let waiting = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.slot().await.map(|_| ()) })
        };
        while pool.busy() == 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(pool.slot().await, Err(MediaError::Overloaded)));
        drop(running);
        waiting.await.unwrap().unwrap();
        assert!(pool.slot().await.is_ok());
    }
}
