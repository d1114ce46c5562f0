//! Home timelines: fan-out on write into stored timelines, a read-time merge for authors
//! with too many followers, and what the live `home` stream is told.
//!
//! Key decisions:
//! - **The outbox is the truth of what must be delivered.** A post, retweet or follow
//!   records a delivery in its own transaction (`TimelineStore`); workers on every node
//!   claim deliveries in bounded batches, carry them out idempotently and only then
//!   remove them, so an acknowledged tweet is delivered at least once whatever crashes.
//! - **Stored timelines are a cache of the truth** (follows + tweets): [`HomeCache`],
//!   in this process's memory ([`MemoryHome`]) for a single process, in Redis for a
//!   cluster. A missing one is rebuilt from the truth when read; only timelines that are
//!   stored receive deliveries, so users who do not read cost nothing.
//! - **Every read decides again** with the one visibility policy, and keeps an entry only
//!   while the viewer still follows its author (or is its author): unfollows, blocks,
//!   mutes, deletions and visibility changes take effect on the next read, whatever a
//!   stored timeline still holds. So a delivery never has to be undone to be correct.
//! - **Fairness:** a batch's deliveries advance one page of followers each, in turns, so
//!   a big account's post never holds the ones claimed with it behind all its followers;
//!   authors over the threshold are not fanned out at all.

use crate::*;
use futures::{StreamExt, TryStreamExt};
use starling_core::visibility::Standing;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};

/// The `[engine.home]` section: home timelines and their delivery.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HomeConfig {
    /// Entries kept per stored timeline (older pages are read from the truth).
    pub capacity: usize,
    /// Authors with more followers than this are not fanned out to: their tweets are
    /// merged into their followers' timelines when read. An author goes back to fan-out
    /// below nine tenths of it (so one follow more or less does not flap).
    pub merge_threshold: i64,
    /// A stored timeline not read for this long is dropped (and rebuilt if read again).
    #[serde(deserialize_with = "duration")]
    pub idle_after: Duration,
    /// Timelines kept in memory at most (single process); the least recently read go.
    pub max_timelines: usize,
    /// Deliveries a worker claims at once.
    pub batch: usize,
    /// Followers delivered to per turn of one delivery.
    pub page: usize,
    /// How long a claim holds before another worker may take the delivery again.
    #[serde(deserialize_with = "duration")]
    pub claim_for: Duration,
    /// How often an idle worker looks for deliveries recorded by other nodes.
    #[serde(deserialize_with = "duration")]
    pub poll_interval: Duration,
    /// Longest a rebuild from the truth may take before the read answers partial.
    #[serde(deserialize_with = "duration")]
    pub rebuild_timeout: Duration,
}

impl Default for HomeConfig {
    fn default() -> Self {
        Self {
            capacity: 400,
            merge_threshold: 10_000,
            idle_after: Duration::from_secs(7 * 24 * 3600),
            max_timelines: 500_000,
            batch: 256,
            page: 1_000,
            claim_for: Duration::from_secs(60),
            poll_interval: Duration::from_millis(100),
            rebuild_timeout: Duration::from_secs(2),
        }
    }
}

/// Where stored timelines live. Every call may fail with [`cluster::Unavailable`]: the
/// engine then reads from the truth, and deliveries stay in the outbox.
#[async_trait::async_trait]
pub trait HomeCache: Send + Sync + 'static {
    /// Add `entry` to the stored timeline of each of `users`; a user without one is
    /// skipped (theirs is rebuilt when read). Idempotent.
    async fn push(&self, users: &[UserId], entry: Entry) -> Result<(), cluster::Unavailable>;
    /// Add `entries` to `user`'s stored timeline. With `complete`, a rebuild finished:
    /// the timeline reads as present from now on.
    async fn extend(
        &self,
        user: UserId,
        entries: &[Entry],
        complete: bool,
    ) -> Result<(), cluster::Unavailable>;
    /// A rebuild begins: `user` has a timeline from now on that collects deliveries but
    /// reads as missing until the rebuild completes it.
    async fn begin(&self, user: UserId) -> Result<(), cluster::Unavailable>;
    /// Up to `limit` entries positioned below `before` (a list cursor), newest first by
    /// position, and whether the timeline is full (older entries may have been dropped);
    /// `None` when missing or being rebuilt. Counts as a read for idleness.
    async fn read(
        &self,
        user: UserId,
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Option<(Vec<Entry>, bool)>, cluster::Unavailable>;
    /// Drop `author`'s entries from `user`'s timeline (an unfollow, block or mute).
    async fn remove_author(&self, user: UserId, author: UserId)
    -> Result<(), cluster::Unavailable>;
    /// Timelines and entries stored, when known here.
    fn size(&self) -> Option<(u64, u64)>;
    /// Heap bytes the stored timelines hold, when kept here (a walk over all of them).
    fn bytes(&self) -> Option<u64> {
        None
    }
    /// Drop timelines idle since before `idle_before` (and the least recently read beyond
    /// the bound); a store with its own expiry does nothing.
    fn sweep(&self, _idle_before: i64) {}
    /// Drop every timeline (they may have missed deliveries).
    fn clear(&self) {}
    /// Deliveries and rebuilds of every node sharing this cache; `None` when it is this
    /// process's own (its counters are then the whole).
    async fn totals(&self) -> Result<Option<HomeTotals>, cluster::Unavailable> {
        Ok(None)
    }
}

/// Figures summed over every node sharing the stored timelines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HomeTotals {
    /// Timelines a delivery reached (one per follower, whether stored or not).
    pub deliveries: u64,
    /// Timelines rebuilt from the truth.
    pub rebuilds: u64,
}

/// What a home read needs about its viewer, kept between reads (see
/// [`Engine::viewer_graph`]).
#[derive(Debug, Default)]
pub(crate) struct ViewerGraph {
    /// Everyone they follow, sorted; `None` when too many to keep (then read per page).
    /// A sorted slice rather than a set: a third of the memory, and a page asks only a
    /// few dozen times.
    followees: Option<Box<[UserId]>>,
    hidden: Hidden,
    merged: Vec<UserId>,
}

impl ViewerGraph {
    fn follows(&self, author: UserId) -> Option<bool> {
        self.followees
            .as_ref()
            .map(|all| all.binary_search(&author).is_ok())
    }

    /// What keeping it costs, in user ids (each 8 bytes) plus a fixed part.
    fn weight(&self) -> usize {
        const FIXED: usize = 24;
        FIXED
            + self.followees.as_ref().map_or(0, |f| f.len())
            + self.hidden.blocked.len()
            + self.hidden.muted.len()
            + self.merged.len()
    }
}

/// The viewers' graphs kept between home reads, least recently used first out, bounded
/// by what they hold (user ids) as well as by their number: one viewer following 5,000
/// weighs as much as a hundred following 50, and every active viewer of a 100,000-user
/// server should fit. There (counted in its store: 5,000,000 follows, 1,484,413 of them
/// of merged authors, listed twice, and 24 per viewer): 8.9M ids, about 70 MiB at 8 bytes. At the former bound of 8M, a tenth of
/// home reads missed and read the viewer's graph from the store, which cost more than
/// the rest of those reads.
pub(crate) struct ViewerCache {
    kept: lru::LruCache<UserId, Arc<ViewerGraph>>,
    weight: usize,
}

/// Viewers kept at most, and user ids held by their graphs together at most.
const VIEWERS_KEPT: usize = 250_000;
const VIEWER_IDS_KEPT: usize = 12_000_000;

impl Default for ViewerCache {
    fn default() -> Self {
        Self {
            kept: lru::LruCache::unbounded(),
            weight: 0,
        }
    }
}

impl ViewerCache {
    pub(crate) fn get(&mut self, viewer: UserId) -> Option<Arc<ViewerGraph>> {
        self.kept.get(&viewer).cloned()
    }

    pub(crate) fn put(&mut self, viewer: UserId, graph: Arc<ViewerGraph>) {
        self.weight += graph.weight();
        if let Some(old) = self.kept.put(viewer, graph) {
            self.weight -= old.weight();
        }
        while self.weight > VIEWER_IDS_KEPT || self.kept.len() > VIEWERS_KEPT {
            let Some((_, out)) = self.kept.pop_lru() else {
                break;
            };
            self.weight -= out.weight();
        }
    }

    pub(crate) fn pop(&mut self, viewer: UserId) {
        if let Some(out) = self.kept.pop(&viewer) {
            self.weight -= out.weight();
        }
    }

    pub(crate) fn clear(&mut self) {
        self.kept.clear();
        self.weight = 0;
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.kept.len()
    }
}

/// Followees kept per cached viewer at most: beyond, the follows of a page's authors
/// are read from the store.
const KEPT_FOLLOWEES: usize = 5_000;

/// Records read beyond what a home page still has room for, in case some are left out.
const HOME_FILTER_SLACK: usize = 2;

/// One stored timeline in memory: entries newest first (by position).
struct Timeline {
    entries: VecDeque<Entry>,
    complete: bool,
    last_read: i64,
}

const SHARDS: usize = 64;

/// Stored timelines in this process's memory: the single-process store. An entry costs
/// its 16 bytes in a ring per user, plus the map's slot per timeline.
pub struct MemoryHome {
    shards: Vec<Mutex<HashMap<UserId, Timeline>>>,
    capacity: usize,
    max_timelines: usize,
    clock: clock::Clock,
    timelines: AtomicU64,
    entries: AtomicU64,
}

impl MemoryHome {
    pub fn new(config: &HomeConfig, clock: clock::Clock) -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            capacity: config.capacity.max(1),
            max_timelines: config.max_timelines.max(1),
            clock,
            timelines: AtomicU64::new(0),
            entries: AtomicU64::new(0),
        }
    }

    fn shard(&self, user: UserId) -> &Mutex<HashMap<UserId, Timeline>> {
        &self.shards[starling_core::id::shard_of(user.0, SHARDS)]
    }

    /// Insert in order (newest first), once; keep `capacity`. Answers the change in size.
    fn insert(&self, t: &mut Timeline, entry: Entry) -> i64 {
        let at = match t.entries.front() {
            None => 0,
            Some(front) if entry.position > front.position => 0,
            _ => match t
                .entries
                .binary_search_by(|probe| entry.position.cmp(&probe.position))
            {
                Ok(_) => return 0,
                Err(at) => at,
            },
        };
        if at >= self.capacity {
            return 0;
        }
        t.entries.insert(at, entry);
        if t.entries.len() > self.capacity {
            t.entries.pop_back();
            0
        } else {
            1
        }
    }
}

#[async_trait::async_trait]
impl HomeCache for MemoryHome {
    async fn push(&self, users: &[UserId], entry: Entry) -> Result<(), cluster::Unavailable> {
        let mut added = 0;
        for user in users {
            if let Some(t) = self.shard(*user).lock().get_mut(user) {
                added += self.insert(t, entry);
            }
        }
        self.entries.fetch_add(added as u64, Ordering::Relaxed);
        Ok(())
    }

    async fn extend(
        &self,
        user: UserId,
        entries: &[Entry],
        complete: bool,
    ) -> Result<(), cluster::Unavailable> {
        let mut shard = self.shard(user).lock();
        let t = match (shard.get_mut(&user), complete) {
            (Some(t), _) => t,
            (None, false) => return Ok(()),
            (None, true) => {
                self.timelines.fetch_add(1, Ordering::Relaxed);
                shard.entry(user).or_insert(Timeline {
                    entries: VecDeque::new(),
                    complete: false,
                    last_read: self.clock.now(),
                })
            }
        };
        let mut added = 0;
        for entry in entries {
            added += self.insert(t, *entry);
        }
        t.complete |= complete;
        self.entries.fetch_add(added as u64, Ordering::Relaxed);
        Ok(())
    }

    async fn begin(&self, user: UserId) -> Result<(), cluster::Unavailable> {
        let mut shard = self.shard(user).lock();
        shard.entry(user).or_insert_with(|| {
            self.timelines.fetch_add(1, Ordering::Relaxed);
            Timeline {
                entries: VecDeque::new(),
                complete: false,
                last_read: self.clock.now(),
            }
        });
        Ok(())
    }

    async fn read(
        &self,
        user: UserId,
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Option<(Vec<Entry>, bool)>, cluster::Unavailable> {
        let mut shard = self.shard(user).lock();
        let Some(t) = shard.get_mut(&user).filter(|t| t.complete) else {
            return Ok(None);
        };
        t.last_read = self.clock.now();
        let start = match before {
            None => 0,
            Some(before) => t.entries.partition_point(|e| e.position >= before),
        };
        let page = t.entries.iter().skip(start).take(limit).copied().collect();
        Ok(Some((page, t.entries.len() >= self.capacity)))
    }

    async fn remove_author(
        &self,
        user: UserId,
        author: UserId,
    ) -> Result<(), cluster::Unavailable> {
        if let Some(t) = self.shard(user).lock().get_mut(&user) {
            let before = t.entries.len();
            t.entries.retain(|e| e.author != author);
            self.entries
                .fetch_sub((before - t.entries.len()) as u64, Ordering::Relaxed);
        }
        Ok(())
    }

    fn size(&self) -> Option<(u64, u64)> {
        Some((
            self.timelines.load(Ordering::Relaxed),
            self.entries.load(Ordering::Relaxed),
        ))
    }

    fn bytes(&self) -> Option<u64> {
        // The map's buckets (key, value and a control byte each) and each ring's
        // allocation: what the allocator was asked for, its own overhead aside.
        let slot = (std::mem::size_of::<UserId>() + std::mem::size_of::<Timeline>() + 1) as u64;
        let entry = std::mem::size_of::<Entry>() as u64;
        let mut bytes = 0;
        for shard in &self.shards {
            let shard = shard.lock();
            bytes += shard.capacity() as u64 * slot;
            bytes += shard
                .values()
                .map(|t| t.entries.capacity() as u64 * entry)
                .sum::<u64>();
        }
        Some(bytes)
    }

    fn clear(&self) {
        self.sweep(i64::MAX);
    }

    fn sweep(&self, idle_before: i64) {
        let mut reads = Vec::new();
        for shard in &self.shards {
            let mut shard = shard.lock();
            let mut gone = (0u64, 0u64);
            shard.retain(|_, t| {
                let keep = t.last_read >= idle_before;
                if !keep {
                    gone.0 += 1;
                    gone.1 += t.entries.len() as u64;
                }
                keep
            });
            self.timelines.fetch_sub(gone.0, Ordering::Relaxed);
            self.entries.fetch_sub(gone.1, Ordering::Relaxed);
            reads.extend(shard.values().map(|t| t.last_read));
        }
        // Over the bound: the least recently read go.
        if reads.len() > self.max_timelines {
            let excess = reads.len() - self.max_timelines;
            let (_, cutoff, _) = reads.select_nth_unstable(excess - 1);
            self.sweep(*cutoff + 1);
        }
    }
}

/// Delivery figures since start, for the stats and `/metrics`.
#[derive(Default)]
pub(crate) struct HomeCounters {
    /// Entries pushed into stored timelines (one per follower reached, whether stored or not).
    pub(crate) deliveries: AtomicU64,
    /// Outbox records carried out.
    pub(crate) done: AtomicU64,
    /// Latencies (recorded → carried out, ms) of the last deliveries, for percentiles.
    pub(crate) latencies: Mutex<VecDeque<i64>>,
    /// Timelines rebuilt from the truth.
    pub(crate) rebuilds: AtomicU64,
}

const LATENCY_WINDOW: usize = 4096;

/// The home-timeline figures of the stats endpoint.
#[derive(Debug, Clone, Copy, Default)]
pub struct HomeStats {
    pub deliveries: u64,
    pub delivered_posts: u64,
    pub rebuilds: u64,
    pub backlog: u64,
    /// Age of the oldest waiting delivery, ms.
    pub backlog_age_ms: i64,
    pub latency_p50_ms: i64,
    pub latency_p99_ms: i64,
    pub timelines: Option<u64>,
    pub entries: Option<u64>,
    pub bytes: Option<u64>,
    pub merge_threshold: i64,
    /// Every node's figures when the stored timelines are shared; `None` on a single
    /// process, or when the shared cache did not answer.
    pub cluster: Option<HomeTotals>,
}

/// A page of the home timeline.
#[derive(Debug, Clone)]
pub struct HomePage {
    pub items: Vec<TweetView>,
    pub next_cursor: Option<TweetId>,
    /// The stored timeline could not be rebuilt in time: this page may miss entries.
    pub partial: bool,
}

/// Deliveries of a batch prepared, and fan-outs advanced, at the same time at most.
const DELIVERIES_AT_ONCE: usize = 8;
/// A page of a fan-out the shared timelines refused is tried again this many times,
/// after this long each time, before the batch is given up.
const PUSH_RETRIES: u32 = 3;
const PUSH_RETRY_AFTER: Duration = Duration::from_millis(200);

/// One delivery being carried out, a page of followers per turn.
struct Fanout {
    entry: Entry,
    cursor: Option<FollowerCursor>,
    done: bool,
}

impl Engine {
    pub(crate) fn timeline_store(&self) -> &dyn TimelineStore {
        &*self.store
    }

    /// Wake this node's delivery worker: something was just recorded in the outbox.
    pub(crate) fn wake_deliveries(&self) {
        self.home_wake.notify_one();
    }

    /// The delivery worker: claim, carry out, finish, until stopped.
    pub(crate) fn spawn_home_worker(self: &Arc<Self>) {
        let mut stop = self.stop.subscribe();
        let engine = Arc::downgrade(self);
        let (poll, sweep_every) = (self.config.home.poll_interval, Duration::from_secs(60));
        tokio::spawn(async move {
            let mut last_sweep = tokio::time::Instant::now();
            loop {
                let Some(e) = engine.upgrade() else {
                    break;
                };
                let worked = match e.deliver_batch().await {
                    Ok(n) => n,
                    Err(err) => {
                        tracing::warn!(error = %err, "home deliveries failed; retrying");
                        0
                    }
                };
                if last_sweep.elapsed() >= sweep_every {
                    last_sweep = tokio::time::Instant::now();
                    let idle = e.config.home.idle_after.as_millis() as i64;
                    e.home.sweep(e.clock.now() - idle);
                }
                let wake = e.home_wake.clone();
                drop(e);
                if worked == 0 {
                    tokio::select! {
                        biased;
                        _ = stop.changed() => break,
                        _ = wake.notified() => {}
                        _ = tokio::time::sleep(poll) => {}
                    }
                } else if *stop.borrow() {
                    break;
                }
            }
        });
    }

    /// Claim one batch from the outbox and carry it out. Answers how many were claimed.
    pub(crate) async fn deliver_batch(&self) -> Result<usize> {
        let config = &self.config.home;
        let now = self.clock.now();
        let until = now + config.claim_for.as_millis() as i64;
        let claimed = self
            .timeline_store()
            .claim_deliveries(now, until, config.batch.max(1))
            .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        // The batch's deliveries are prepared, and its fan-outs advanced, several at a
        // time: each step is a few trips to the store (and to Redis in a cluster). One
        // after another, 3 nodes at 100,000 users finished delivering 300,000 posts
        // (posted at ~1,400/s) 173 s after the last; 8 at a time, as they were posted.
        let preparing: Vec<_> = claimed.iter().map(|d| self.prepare(d)).collect();
        let prepared: Vec<(Option<Fanout>, Vec<NewNotification>)> =
            futures::stream::iter(preparing)
                .buffered(DELIVERIES_AT_ONCE)
                .try_collect()
                .await?;
        let mut fanouts = Vec::new();
        let mut notifications = Vec::new();
        for (fanout, made) in prepared {
            fanouts.extend(fanout);
            notifications.extend(made);
        }
        // One write for the batch's notifications.
        self.notify(notifications).await?;
        // In turns: each delivery advances one page of followers.
        let page = config.page.max(1);
        while fanouts.iter().any(|f| !f.done) {
            let turn: Vec<_> = fanouts
                .iter_mut()
                .filter(|f| !f.done)
                .map(|f| self.advance(f, page))
                .collect();
            futures::stream::iter(turn)
                .buffer_unordered(DELIVERIES_AT_ONCE)
                .try_collect::<Vec<()>>()
                .await?;
        }
        // Finished while the next batch is claimed and carried out: one finish in flight
        // at a time (if it fails, the claims run out and the records are carried out
        // again, which changes nothing).
        let ids: Vec<i64> = claimed.iter().map(|d| d.id).collect();
        let store = self.store.clone();
        let finishing = tokio::spawn(async move { store.finish_deliveries(&ids).await });
        let previous = self.home_finishing.lock().replace(finishing);
        if let Some(previous) = previous {
            match previous.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "finishing deliveries failed"),
                Err(e) => tracing::warn!(error = %e, "finishing deliveries panicked"),
            }
        }
        let done = self.clock.now();
        self.home_counters
            .done
            .fetch_add(claimed.len() as u64, Ordering::Relaxed);
        let mut latencies = self.home_counters.latencies.lock();
        for d in &claimed {
            if latencies.len() == LATENCY_WINDOW {
                latencies.pop_front();
            }
            latencies.push_back((done - d.created_at).max(0));
        }
        Ok(claimed.len())
    }

    /// The first step of a post's delivery: to its author's own timeline, and decide
    /// whether its followers get it stored (`Some`) or merged when they read (`None`).
    /// What one claimed delivery starts: a fan-out to carry out, and notifications.
    async fn prepare(&self, d: &Delivery) -> Result<(Option<Fanout>, Vec<NewNotification>)> {
        let fanout = match d.kind {
            DeliveryKind::Post(entry) => self.start_fanout(entry).await?,
            DeliveryKind::Follow { follower, followee } => {
                self.backfill(follower, followee).await?;
                None
            }
            DeliveryKind::Like { .. } | DeliveryKind::FollowRequest { .. } => None,
        };
        let notifications = self.notifications_for(d.kind, d.created_at).await?;
        Ok((fanout, notifications))
    }

    /// Deliver `f`'s entry to its next page of followers.
    async fn advance(&self, f: &mut Fanout, page: usize) -> Result<()> {
        let followers = self
            .timeline_store()
            .followers_page(f.entry.author, f.cursor, page)
            .await?;
        f.done = followers.len() < page;
        f.cursor = followers.last().map(|(_, c)| *c);
        let users: Vec<UserId> = followers.into_iter().map(|(u, _)| u).collect();
        if users.is_empty() {
            return Ok(());
        }
        // A push that timed out is tried again a little later before the batch is given
        // up: a batch given up waits for its claims to run out (`claim_for`), and is then
        // carried out again from its start (three such batches in one fan-out run on a
        // busy 3-node cluster, each a minute late). A retried push that Redis had carried
        // out is counted twice in the totals; the timelines keep the entry once.
        let mut retries = PUSH_RETRIES;
        while let Err(e) = self.home.push(&users, f.entry).await {
            if retries == 0 {
                return Err(unavailable(e));
            }
            retries -= 1;
            tokio::time::sleep(PUSH_RETRY_AFTER).await;
        }
        self.home_counters
            .deliveries
            .fetch_add(users.len() as u64, Ordering::Relaxed);
        self.emit(Event::Delivered(
            f.entry.id,
            f.entry.author,
            Some(users.into()),
        ));
        Ok(())
    }

    async fn start_fanout(&self, entry: Entry) -> Result<Option<Fanout>> {
        let author = entry.author;
        self.home
            .push(&[author], entry)
            .await
            .map_err(unavailable)?;
        let followers = self
            .graph_store()
            .profile(author)
            .await?
            .map_or(0, |p| p.followers);
        let threshold = self.config.home.merge_threshold;
        let merged = self.timeline_store().is_merged(author).await?;
        let stay_merged = followers > threshold || (merged && followers * 10 > threshold * 9);
        if stay_merged {
            if !merged {
                self.timeline_store()
                    .set_merged(author, true, self.clock.now())
                    .await?;
                self.forget_viewers();
                self.entries_changed(author);
            }
            // Their followers merge it when they read; live sockets are told.
            self.emit(Event::Delivered(entry.id, author, None));
            self.emit(Event::Delivered(
                entry.id,
                author,
                Some(Arc::from([author])),
            ));
            return Ok(None);
        }
        if merged {
            // Back to fan-out: what was merged at read time is stored first, so nothing
            // of it is lost when the merge stops.
            let recent = self
                .timeline_store()
                .recent_entries(&[author], None, self.config.home.capacity)
                .await?;
            let mut cursor = None;
            loop {
                let page = self
                    .timeline_store()
                    .followers_page(author, cursor, self.config.home.page.max(1))
                    .await?;
                for (follower, _) in &page {
                    self.home
                        .extend(*follower, &recent, false)
                        .await
                        .map_err(unavailable)?;
                }
                match page.last() {
                    Some((_, c)) if page.len() >= self.config.home.page.max(1) => cursor = Some(*c),
                    _ => break,
                }
            }
            self.timeline_store()
                .set_merged(author, false, self.clock.now())
                .await?;
            self.forget_viewers();
        }
        self.emit(Event::Delivered(
            entry.id,
            author,
            Some(Arc::from([author])),
        ));
        Ok(Some(Fanout {
            entry,
            cursor: None,
            done: false,
        }))
    }

    /// `follower` started following `followee`: the followee's recent entries go into
    /// the follower's stored timeline (a merged author's are merged when read anyway).
    async fn backfill(&self, follower: UserId, followee: UserId) -> Result<()> {
        if self.timeline_store().is_merged(followee).await? {
            return Ok(());
        }
        let recent = self
            .timeline_store()
            .recent_entries(&[followee], None, self.config.home.capacity)
            .await?;
        self.home
            .extend(follower, &recent, false)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    /// What a home read needs about `viewer`: from memory while this process sees every
    /// write (and nothing about them changed since it was read), else from the store.
    pub(crate) async fn viewer_graph(&self, viewer: UserId) -> Result<Arc<ViewerGraph>> {
        let usable = self.cache_usable().is_some() && !self.home_shared_graph();
        if usable && let Some(found) = self.viewers.lock().get(viewer) {
            return Ok(found);
        }
        let generation = self.graph_generation.load(Ordering::Acquire);
        let HomeContext { hidden, merged } = self.timeline_store().home_context(viewer).await?;
        let followees = match usable {
            true => {
                let mut all = self.timeline_store().followees(viewer).await?;
                all.sort_unstable();
                (all.len() <= KEPT_FOLLOWEES).then(|| all.into_boxed_slice())
            }
            false => None,
        };
        let graph = Arc::new(ViewerGraph {
            followees,
            hidden,
            merged,
        });
        // Kept only if no change was heard of meanwhile.
        if usable {
            let mut viewers = self.viewers.lock();
            if self.graph_generation.load(Ordering::Acquire) == generation {
                viewers.put(viewer, graph.clone());
            }
        }
        Ok(graph)
    }

    /// Whether another process may change the graph unseen (several nodes).
    fn home_shared_graph(&self) -> bool {
        self.home_shared
    }

    /// These users' standing with someone changed: what was kept about them goes.
    pub(crate) fn graph_changed(&self, users: &[UserId]) {
        let mut viewers = self.viewers.lock();
        self.graph_generation.fetch_add(1, Ordering::AcqRel);
        for user in users {
            viewers.pop(*user);
        }
    }

    /// An author became merged at read time, or stopped: every viewer's list changes.
    pub(crate) fn forget_viewers(&self) {
        let mut viewers = self.viewers.lock();
        self.graph_generation.fetch_add(1, Ordering::AcqRel);
        viewers.clear();
    }

    /// `author` posted, retweeted or changed a tweet's state: a kept list of their
    /// newest entries may be stale.
    pub(crate) fn entries_changed(&self, author: UserId) {
        let mut kept = self.merged_recent.lock();
        self.entries_generation.fetch_add(1, Ordering::AcqRel);
        kept.pop(&author);
    }

    /// Every kept list of merged authors' entries goes (a new cache epoch).
    pub(crate) fn forget_merged_entries(&self) {
        let mut kept = self.merged_recent.lock();
        self.entries_generation.fetch_add(1, Ordering::AcqRel);
        kept.clear();
    }

    /// The newest `want` entries below `before` of these merged authors together, from
    /// the lists kept in memory while this process sees every write (each author's
    /// newest `capacity`), else, or past what is kept, from the store.
    async fn merged_entries(
        &self,
        authors: &[UserId],
        before: Option<TweetId>,
        want: usize,
    ) -> Result<Vec<Entry>> {
        let usable = self.cache_usable().is_some() && !self.home_shared_graph();
        if !usable {
            return Ok(self
                .timeline_store()
                .recent_entries(authors, before, want)
                .await?);
        }
        let keep = self.config.home.capacity.max(1);
        let mut found = Vec::new();
        for &author in authors {
            let cached = self.merged_recent.lock().get(&author).cloned();
            let recent = match cached {
                Some(recent) => recent,
                None => {
                    let generation = self.entries_generation.load(Ordering::Acquire);
                    let recent: Arc<[Entry]> = self
                        .timeline_store()
                        .recent_entries(&[author], None, keep)
                        .await?
                        .into();
                    let mut kept = self.merged_recent.lock();
                    // Kept only if no write was heard of meanwhile.
                    if self.entries_generation.load(Ordering::Acquire) == generation {
                        kept.put(author, recent.clone());
                    }
                    recent
                }
            };
            let below = match before {
                None => &recent[..],
                Some(before) => &recent[recent.partition_point(|e| e.position >= before)..],
            };
            if below.len() < want && recent.len() >= keep {
                // Deeper than what is kept: the store has the rest.
                return Ok(self
                    .timeline_store()
                    .recent_entries(authors, before, want)
                    .await?);
            }
            found.extend(below.iter().take(want).copied());
        }
        found.sort_unstable_by_key(|e| std::cmp::Reverse(e.position));
        found.truncate(want);
        Ok(found)
    }

    /// `user` stopped following `author`, or one blocked the other: the author's entries
    /// leave the stored timeline (reads leave them out in any case; a new follow
    /// backfills them).
    pub(crate) async fn forget_author(&self, user: UserId, author: UserId) {
        let _ = self.home.remove_author(user, author).await;
    }

    /// The home timeline of `viewer`: the tweets and retweets of those they follow and
    /// their own, newest first, each as they may see it.
    pub async fn home(
        &self,
        viewer: UserId,
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<HomePage> {
        let limit = limit.clamp(1, 100);
        // Whom the viewer follows, never sees, and whose tweets are merged.
        let graph = self.viewer_graph(viewer).await?;
        let merged = &graph.merged;
        let mut partial = false;
        let mut cursor = before;
        let mut items: Vec<Arc<TweetRecord>> = Vec::new();
        let mut more = true;
        // Each round reads a little more than is left to fill, since some are left out;
        // a round's candidates are complete down to its last one, from every source.
        for _round in 0..4 {
            let want = (limit - items.len()) * 2 + 4;
            let (mut candidates, mut more_here) =
                match self.stored_page(viewer, cursor, want).await? {
                    Some(found) => found,
                    None => match tokio::time::timeout(
                        self.config.home.rebuild_timeout,
                        self.truth_page(viewer, cursor, want),
                    )
                    .await
                    {
                        Ok(page) => page?,
                        Err(_) => {
                            partial = true;
                            (Vec::new(), false)
                        }
                    },
                };
            if !merged.is_empty() {
                let extra = self.merged_entries(merged, cursor, want).await?;
                more_here |= extra.len() >= want;
                candidates.extend(extra);
                candidates.sort_unstable_by_key(|e| std::cmp::Reverse(e.position));
                candidates.dedup_by_key(|e| e.id);
                more_here |= candidates.len() > want;
                candidates.truncate(want);
            }
            let Some(last) = candidates.last().map(|e| e.position) else {
                more = false;
                break;
            };
            let room = limit - items.len();
            let kept = self.home_filter(viewer, &candidates, &graph, room).await?;
            if kept.len() >= room {
                // Full: continue after the last one shown.
                items.extend(kept.into_iter().take(room));
                cursor = items.last().map(|r| r.position);
                more = more_here || cursor != Some(last);
                break;
            }
            items.extend(kept);
            cursor = Some(last);
            if !more_here {
                more = false;
                break;
            }
        }
        let items = self.present(items, Viewer::user(viewer)).await?;
        Ok(HomePage {
            items,
            next_cursor: cursor.filter(|_| more),
            partial,
        })
    }

    /// Up to `want` entries of the stored timeline below `before`, rebuilding it from the
    /// truth if missing, and whether more may follow; `None` when it cannot be had (the
    /// cache is away, or the rebuild ran out of time): the caller reads the truth.
    async fn stored_page(
        &self,
        viewer: UserId,
        before: Option<TweetId>,
        want: usize,
    ) -> Result<Option<(Vec<Entry>, bool)>> {
        if !self.home_usable() {
            return Ok(None);
        }
        let first = match self.home.read(viewer, before, want).await {
            Ok(found) => found,
            Err(cluster::Unavailable) => return Ok(None),
        };
        let (mut page, full) = match first {
            Some(found) => found,
            None => {
                let rebuilt = tokio::time::timeout(
                    self.config.home.rebuild_timeout,
                    self.rebuild_home(viewer),
                )
                .await;
                if !matches!(rebuilt, Ok(Ok(()))) {
                    return Ok(None);
                }
                match self.home.read(viewer, before, want).await {
                    Ok(Some(found)) => found,
                    _ => return Ok(None),
                }
            }
        };
        if page.len() >= want {
            return Ok(Some((page, true)));
        }
        if !full {
            return Ok(Some((page, false)));
        }
        // Past the stored window: the rest comes from the truth.
        let below = page.last().map(|e| e.position).or(before);
        let rest_wanted = want - page.len();
        let (rest, more) = self.truth_page(viewer, below, rest_wanted).await?;
        page.extend(rest);
        Ok(Some((page, more)))
    }

    /// Whether stored timelines may be read now. Shared ones (Redis), always; this
    /// process's memory only while no other process writes to the store (another node's
    /// deliveries would miss it), and emptied whenever that starts again, since others
    /// may have written meanwhile.
    fn home_usable(&self) -> bool {
        if self.home_shared {
            return true;
        }
        let Some(epoch) = self.store.cache_epoch() else {
            return false;
        };
        let tag = epoch + 1;
        if self.home_epoch.swap(tag, Ordering::AcqRel) != tag {
            self.home.clear();
        }
        true
    }

    /// Rebuild `viewer`'s stored timeline from the truth: the newest entries of everyone
    /// they follow (but merged authors) and their own.
    async fn rebuild_home(&self, viewer: UserId) -> Result<()> {
        self.home.begin(viewer).await.map_err(unavailable)?;
        let entries = self
            .truth_entries(viewer, None, self.config.home.capacity, true)
            .await?;
        self.home
            .extend(viewer, &entries, true)
            .await
            .map_err(unavailable)?;
        self.home_counters.rebuilds.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Entries of the home timeline read from the truth (no stored timeline), and
    /// whether more may follow.
    async fn truth_page(
        &self,
        viewer: UserId,
        before: Option<TweetId>,
        want: usize,
    ) -> Result<(Vec<Entry>, bool)> {
        let page = self.truth_entries(viewer, before, want, false).await?;
        let more = page.len() >= want;
        Ok((page, more))
    }

    async fn truth_entries(
        &self,
        viewer: UserId,
        before: Option<TweetId>,
        limit: usize,
        without_merged: bool,
    ) -> Result<Vec<Entry>> {
        let mut sources = self.timeline_store().followees(viewer).await?;
        if without_merged {
            let merged: HashSet<UserId> = self
                .timeline_store()
                .merged_followees(viewer)
                .await?
                .into_iter()
                .collect();
            sources.retain(|s| !merged.contains(s));
        }
        sources.push(viewer);
        Ok(self
            .timeline_store()
            .recent_entries(&sources, before, limit)
            .await?)
    }

    /// The first `room` candidates `viewer` may see in their home timeline (fewer if
    /// there are not as many), in order: by someone they follow (now) or by themselves,
    /// and listable for them by the one policy.
    async fn home_filter(
        &self,
        viewer: UserId,
        candidates: &[Entry],
        graph: &ViewerGraph,
        room: usize,
    ) -> Result<Vec<Arc<TweetRecord>>> {
        let mut authors: Vec<UserId> = candidates
            .iter()
            .map(|e| e.author)
            .filter(|a| *a != viewer)
            .collect();
        authors.sort_unstable();
        authors.dedup();
        // Sorted, as `authors` is.
        let followed: Vec<UserId> = match graph.followees {
            Some(_) => authors
                .into_iter()
                .filter(|a| graph.follows(*a) == Some(true))
                .collect(),
            None => {
                let relationships = self.graph_store().relationships(viewer, &authors).await?;
                authors
                    .into_iter()
                    .zip(relationships)
                    .filter(|(_, r)| r.following)
                    .map(|(a, _)| a)
                    .collect()
            }
        };
        let wanted: Vec<&Entry> = candidates
            .iter()
            .filter(|e| e.author == viewer || followed.binary_search(&e.author).is_ok())
            .collect();
        let standings = reading::Standings::new(&graph.hidden, followed);
        // Records are read only for as many entries as may still be shown (and a few
        // more, for those left out): a page's reads of records are most of its cost when
        // they miss the cache, and a round asks for twice as many candidates as it shows.
        let mut kept: Vec<Arc<TweetRecord>> = Vec::with_capacity(room);
        let mut rest = &wanted[..];
        while kept.len() < room && !rest.is_empty() {
            let take = (room - kept.len() + HOME_FILTER_SLACK).min(rest.len());
            let (chunk, after) = rest.split_at(take);
            rest = after;
            let ids: Vec<TweetId> = chunk.iter().map(|e| e.id).collect();
            let records: Vec<Arc<TweetRecord>> = chunk
                .iter()
                .zip(self.records(&ids).await?)
                .filter_map(|(e, record)| record.filter(|r| r.author.id == e.author))
                // In view: one's own drafts and archived tweets are not in the timeline.
                .filter(|record| record.state.in_public_view())
                .collect();
            // The follows just read cover every author (those of followers-only tweets
            // included); retweets' originals are public or unlisted.
            let originals = self.originals_of(&records).await?;
            kept.extend(Self::listable_in(
                records,
                &originals,
                Viewer::user(viewer),
                &standings,
            ));
        }
        kept.truncate(room);
        Ok(kept)
    }

    /// One entry as `viewer` would see it in their home timeline, if they would: what the
    /// live `home` stream sends.
    pub async fn home_entry(
        &self,
        viewer: UserId,
        id: TweetId,
        author: UserId,
    ) -> Result<Option<TweetView>> {
        let graph = self.viewer_graph(viewer).await?;
        // The filter reads the record; where the entry lists does not matter to it.
        let entry = Entry {
            position: id,
            id,
            author,
        };
        let kept = self.home_filter(viewer, &[entry], &graph, 1).await?;
        match kept.into_iter().next() {
            Some(record) => Ok(Some(self.present_one(record, Viewer::user(viewer)).await?)),
            None => Ok(None),
        }
    }

    /// Whether `viewer` follows `author` (for the live stream of a merged author).
    pub async fn follows(&self, viewer: UserId, author: UserId) -> Result<bool> {
        if viewer == author {
            return Ok(true);
        }
        let standing = Standing::from(self.graph_store().relationship(viewer, author).await?);
        Ok(standing.follows)
    }

    pub async fn home_stats(&self) -> Result<HomeStats> {
        let backlog = self.timeline_store().delivery_backlog().await?;
        let mut latencies: Vec<i64> = self
            .home_counters
            .latencies
            .lock()
            .iter()
            .copied()
            .collect();
        latencies.sort_unstable();
        let pct = |p: f64| -> i64 {
            match latencies.len() {
                0 => 0,
                n => latencies[((n as f64 * p).ceil() as usize).clamp(1, n) - 1],
            }
        };
        let size = self.home.size();
        // The stats must answer while Redis is away (they show it).
        let cluster = self.home.totals().await.unwrap_or(None);
        Ok(HomeStats {
            deliveries: self.home_counters.deliveries.load(Ordering::Relaxed),
            delivered_posts: self.home_counters.done.load(Ordering::Relaxed),
            rebuilds: self.home_counters.rebuilds.load(Ordering::Relaxed),
            backlog: backlog.waiting,
            backlog_age_ms: backlog
                .oldest
                .map_or(0, |oldest| (self.clock.now() - oldest).max(0)),
            latency_p50_ms: pct(0.50),
            latency_p99_ms: pct(0.99),
            timelines: size.map(|s| s.0),
            entries: size.map(|s| s.1),
            bytes: self.home.bytes(),
            merge_threshold: self.config.home.merge_threshold,
            cluster,
        })
    }
}

fn unavailable(_: cluster::Unavailable) -> EngineError {
    EngineError::Overloaded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, author: i64) -> Entry {
        Entry {
            position: TweetId(id),
            id: TweetId(id),
            author: UserId(author),
        }
    }

    fn home(capacity: usize, max_timelines: usize) -> (MemoryHome, clock::Clock) {
        let clock = clock::Clock::manual();
        let config = HomeConfig {
            capacity,
            max_timelines,
            ..HomeConfig::default()
        };
        (MemoryHome::new(&config, clock.clone()), clock)
    }

    async fn ids(home: &MemoryHome, user: i64, before: Option<i64>) -> Option<Vec<i64>> {
        let page = home
            .read(UserId(user), before.map(TweetId), 100)
            .await
            .unwrap();
        page.map(|(entries, _)| entries.iter().map(|e| e.id.0).collect())
    }

    fn graph_following(n: usize) -> Arc<ViewerGraph> {
        Arc::new(ViewerGraph {
            followees: Some((0..n as i64).map(UserId).collect()),
            ..ViewerGraph::default()
        })
    }

    #[test]
    fn kept_viewers_are_bounded_by_the_ids_they_hold() {
        let mut cache = ViewerCache::default();
        let heavy = KEPT_FOLLOWEES;
        let fit = VIEWER_IDS_KEPT / (heavy + 24);
        for v in 0..fit as i64 + 10 {
            cache.put(UserId(v), graph_following(heavy));
        }
        assert_eq!(cache.len(), fit, "only as many as the id budget holds");
        // The least recently used went first; the newest are all there.
        assert!(cache.get(UserId(0)).is_none());
        assert!(cache.get(UserId(fit as i64 + 9)).is_some());
        assert!(cache.weight <= VIEWER_IDS_KEPT);
        // Replacing and removing keep the count of held ids exact.
        cache.put(UserId(fit as i64 + 9), graph_following(1));
        cache.pop(UserId(fit as i64 + 8));
        let held: usize = cache.kept.iter().map(|(_, g)| g.weight()).sum();
        assert_eq!(cache.weight, held);
        cache.clear();
        assert_eq!((cache.len(), cache.weight), (0, 0));
        // Light viewers are bounded by their number.
        for v in 0..VIEWERS_KEPT as i64 + 5 {
            cache.put(UserId(v), graph_following(0));
        }
        assert_eq!(cache.len(), VIEWERS_KEPT);
    }

    #[test]
    fn a_kept_viewer_follows_exactly_their_followees() {
        let graph = ViewerGraph {
            followees: Some(vec![UserId(3), UserId(9), UserId(40)].into_boxed_slice()),
            ..ViewerGraph::default()
        };
        let followed: Vec<i64> = (0..50)
            .filter(|a| graph.follows(UserId(*a)) == Some(true))
            .collect();
        assert_eq!(followed, vec![3, 9, 40]);
        assert_eq!(ViewerGraph::default().follows(UserId(3)), None);
    }

    #[tokio::test]
    async fn entries_stay_in_order_once_and_within_capacity() {
        let (home, _) = home(4, 10);
        let (ada, bob) = (UserId(1), UserId(2));
        // Only stored timelines receive deliveries; a rebuild collects them meanwhile.
        home.push(&[ada, bob], entry(10, 7)).await.unwrap();
        assert_eq!(ids(&home, 1, None).await, None);
        home.begin(ada).await.unwrap();
        home.push(&[ada, bob], entry(20, 7)).await.unwrap();
        assert_eq!(ids(&home, 1, None).await, None, "still being rebuilt");
        home.extend(ada, &[entry(15, 8), entry(5, 8)], true)
            .await
            .unwrap();
        assert_eq!(ids(&home, 1, None).await, Some(vec![20, 15, 5]));
        assert_eq!(ids(&home, 2, None).await, None, "bob reads nothing stored");
        // Out of order, twice: kept once, in place; the oldest go beyond capacity.
        for id in [12, 30, 12, 3] {
            home.push(&[ada], entry(id, 9)).await.unwrap();
        }
        assert_eq!(ids(&home, 1, None).await, Some(vec![30, 20, 15, 12]));
        assert_eq!(ids(&home, 1, Some(20)).await, Some(vec![15, 12]));
        let (_, full) = home.read(ada, None, 1).await.unwrap().unwrap();
        assert!(full, "at capacity: older entries may have been dropped");
        assert_eq!(home.size(), Some((1, 4)));
        home.remove_author(ada, UserId(9)).await.unwrap();
        assert_eq!(ids(&home, 1, None).await, Some(vec![20, 15]));
        assert_eq!(home.size(), Some((1, 2)));
    }

    #[tokio::test]
    async fn idle_and_least_recently_read_timelines_go() {
        let (home, clock) = home(10, 2);
        for user in 1..=3 {
            home.extend(UserId(user), &[entry(user, 9)], true)
                .await
                .unwrap();
            clock.advance(Duration::from_secs(1));
        }
        // Read the first again: the second is now the least recently read.
        ids(&home, 1, None).await;
        home.sweep(0);
        assert_eq!(home.size(), Some((2, 2)), "over the bound of two");
        assert!(ids(&home, 2, None).await.is_none());
        assert!(ids(&home, 1, None).await.is_some() && ids(&home, 3, None).await.is_some());
        clock.advance(Duration::from_secs(60));
        home.sweep(clock.now() - 30_000);
        assert_eq!(home.size(), Some((0, 0)), "idle for longer than allowed");
    }
}
