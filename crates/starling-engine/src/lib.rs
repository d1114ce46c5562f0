//! Starling's application services over any [`Store`].
//!
//! Layout: [`Engine`] is the one entry point the HTTP layer calls, its methods grouped by
//! concern: [`accounts`] (sign-up, sign-in, sessions), [`reading`] (every read path),
//! [`tweets`] (writes), [`engagement`]; [`error`] says why a call failed. Around the store
//! it keeps a bounded [`cache`] of hot tweets, the [`views`] write-behind buffer,
//! engagement [`velocity`], a session cache, and the broadcast of [`Event`]s that feeds
//! the live stream.
//!
//! Key decision: every read path goes through [`Engine::readable`], which applies the
//! single visibility policy of `starling-core` (`visibility::access`); a tweet the viewer may not
//! see is reported exactly like one that does not exist.

pub mod accounts;
pub mod auth;
pub mod bus;
pub mod cache;
pub mod clock;
pub mod cluster;
pub mod engagement;
pub mod error;
pub mod graph;
pub mod media;
pub mod notifications;
pub mod rate;
pub mod reading;
pub mod threads;
pub mod throttle;
pub mod timelines;
pub mod tweets;
pub mod velocity;
pub mod views;

use cache::TweetCache;
use parking_lot::Mutex;
use rate::RateWindow;
use starling_core::settings::duration;
use starling_core::{TweetId, TweetState, UserId, Viewer};
use starling_store::*;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, broadcast, watch};
use velocity::{Rates, Velocity};
use views::ViewBuffer;

pub use error::{EngineError, Result};
pub use reading::{EngagementView, ListQuery, Page, TweetView};
// The engine's vocabulary towards the HTTP layer: core's domain values and records.
pub use notifications::{GroupView, NotificationPage, NotificationView};
pub use starling_core::records::{
    Counters, EventKind, EventRecord, Session, SessionId, Totals, TweetRecord, User, VersionRecord,
};
pub use starling_core::{Action, EngagementAction, GraphAction, NewTweet, Refusal, Relationship};
pub use starling_store::{Entry, Listed, NotificationKind, Profile, UserList};
pub use timelines::{HomeCache, HomeConfig, HomePage, HomeStats, HomeTotals, MemoryHome};

/// Something that happened to a public tweet, for live subscribers and other nodes (a
/// cross-node bus carries it as JSON).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Event {
    /// A tweet became public: posted, or a draft published.
    Created(Arc<TweetRecord>),
    /// A public tweet changed content (edit or restore).
    Updated(Arc<TweetRecord>),
    /// A tweet left public view (deleted or archived).
    Removed(TweetId),
    /// New engagement counters (views include those not yet written behind).
    Engagement(TweetId, Counters),
    /// Sessions ended (logout, revocation): their live connections close.
    SessionsEnded(Arc<[SessionId]>),
    /// A like, retweet or reply was added to a tweet at this time (Unix ms): every
    /// node's velocity counts it. Not streamed to clients.
    Activity(TweetId, i64),
    /// How these two users stand changed (a follow, block, mute, ...): their live
    /// connections read again whose tweets they may be sent.
    Graph(UserId, UserId),
    /// A tweet or retweet entry (id, author) entered these users' home timelines (the
    /// author's followers, a page at a time); `None`: its author is merged at read time,
    /// so it entered the timeline of everyone following them.
    Delivered(TweetId, UserId, Option<Arc<[UserId]>>),
    /// A notification (its id) was made for this user.
    Notified(UserId, i64),
    /// This user's unread count may have changed with no new notification: their read
    /// mark moved, or a notification was withdrawn (an undone like or retweet).
    Unread(UserId),
}

#[derive(Debug, Clone, Copy, Default)]
pub struct EngineStats {
    pub totals: Totals,
    pub created_per_second: f64,
    pub cached_tweets: usize,
    /// What the cached tweets hold in memory, by the cache's estimate.
    pub cached_tweet_bytes: usize,
    /// This node's id.
    pub node_id: u16,
    /// Whether other nodes' events reach this one (`None`: a single process).
    pub linked: Option<bool>,
    /// Events that reached this node's subscribers only.
    pub events_dropped: u64,
}

/// The engine's settings: the `[engine]` section of the configuration. Durations are
/// seconds or words (`"30m"`, `"30days"`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct EngineConfig {
    /// Tweets kept in the in-process cache at most (0 turns it off)...
    pub cache_capacity: usize,
    /// ...and the memory they may hold, in bytes by the cache's estimate (a short tweet
    /// takes about 750 with the JSON rendered from it, a long one with entities a few
    /// KiB). Home reads touch every recent tweet of the people each reader follows: at
    /// 100,000 users a cache of 50,000 tweets answered 2,449 home reads/s, one of 256 MiB
    /// (the working set) 6,158/s (docs/BENCHMARKS.md, session 10).
    pub cache_bytes: usize,
    /// How often buffered views are written.
    #[serde(deserialize_with = "duration")]
    pub view_flush_interval: Duration,
    /// One viewer counts once per tweet within this window (0: every view counts).
    #[serde(deserialize_with = "duration")]
    pub view_window: Duration,
    /// Password hashes computed at once (each argon2 hash holds ~19 MiB).
    pub hashing_concurrency: usize,
    /// Password hashes waiting for a turn at most; beyond, logins and sign-ups get 503
    /// at once instead of queueing behind a flood.
    pub hashing_queue: usize,
    /// Failed-login throttling.
    pub login_throttle: throttle::LoginThrottleConfig,
    /// Uploads, processing and blob storage (`[engine.media]`). With local storage and
    /// no directory, media are off (the server always names one: `media/` in the data
    /// directory).
    pub media: starling_media::MediaConfig,
    /// How long a session lasts without use; each use (at most once per
    /// `session_renewal`) extends it by as much again.
    #[serde(deserialize_with = "duration")]
    pub session_ttl: Duration,
    /// Where time comes from (tests pass a manual clock and move it); not a setting.
    #[serde(skip)]
    pub clock: clock::Clock,
    /// This node's id (the node's setting, for its stats); not a setting of this section.
    #[serde(skip)]
    pub node_id: u16,
    /// How often a session's expiry is pushed forward: a write per request would cost
    /// more than a day's precision is worth.
    #[serde(deserialize_with = "duration")]
    pub session_renewal: Duration,
    /// Home timelines and their delivery.
    pub home: timelines::HomeConfig,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            cache_capacity: 1_000_000,
            cache_bytes: 256 << 20,
            view_flush_interval: Duration::from_secs(1),
            view_window: Duration::from_secs(30 * 60),
            hashing_concurrency: 2,
            hashing_queue: 32,
            login_throttle: throttle::LoginThrottleConfig::default(),
            media: starling_media::MediaConfig::default(),
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            session_renewal: Duration::from_secs(24 * 3600),
            clock: clock::Clock::System,
            node_id: 0,
            home: timelines::HomeConfig::default(),
        }
    }
}

pub struct Engine {
    /// Where everything durable lives; the engine holds no state it cannot rebuild.
    store: Arc<dyn Store>,
    /// Hot tweets, so reads of popular tweets skip the store; used only while the store
    /// allows it ([`Store::cache_epoch`]: no other node writes), see [`Engine::cache_usable`].
    cache: TweetCache,
    /// The store's cache epoch the cache holds copies from, plus one (0: none yet).
    cache_epoch: std::sync::atomic::AtomicU64,
    /// Held while the cache is emptied for a new epoch.
    cache_reset: Mutex<()>,
    /// Ids known not to exist (old enough that they never will): a missing tweet then
    /// answers as fast as a hidden one, so timing cannot tell the two apart.
    missing: Mutex<lru::LruCache<TweetId, ()>>,
    /// Views counted in memory and written behind.
    views: ViewBuffer,
    /// One flush of `views` at a time: the shutdown's last flush must wait for the
    /// background one in progress, or it could close the store under it (and two
    /// flushes would share the buffer's one in-flight batch) and lose acknowledged views.
    flushing: tokio::sync::Mutex<()>,
    /// (viewer, tweet) pairs seen within the view window: one viewer counts once.
    recent_views: Mutex<lru::LruCache<(UserId, TweetId), i64>>,
    /// Engagement rates for trends.
    velocity: Velocity,
    /// Everything that happened to public tweets and sessions, for the live stream: the
    /// seam a cross-node bus implements.
    events: Arc<dyn bus::EventBus>,
    /// Rate-limit buckets shared with the other nodes, if any.
    limiter: Option<Arc<dyn cluster::SharedLimiter>>,
    /// Sessions by token hash ([`CachedSession`]). Evicted on logout on this node;
    /// re-read after [`TOKEN_RECHECK_MS`] so a revocation on another node takes effect
    /// here too, unless no other process can write to the store; bounded.
    tokens: Mutex<lru::LruCache<[u8; 32], CachedSession>>,
    /// Bounds memory and CPU spent on argon2, whatever the number of sign-ups at once.
    hashing: Arc<Semaphore>,
    /// Hashes waiting for a permit: bounded by `config.hashing_queue`.
    hashing_waiting: Arc<std::sync::atomic::AtomicUsize>,
    /// Failed logins per account and per address.
    throttle: throttle::LoginThrottle,
    /// Creations per second, for the stats.
    created: RateWindow,
    /// Tells the background tasks to stop.
    stop: watch::Sender<bool>,
    /// The settings it was started with.
    config: EngineConfig,
    /// `config.clock`, at hand: every "now" the engine uses.
    clock: clock::Clock,
    /// Stored home timelines: this process's memory, or the cluster's shared cache.
    home: Arc<dyn timelines::HomeCache>,
    /// Whether `home` is shared by every node (else it is this process's memory).
    home_shared: bool,
    /// The store's cache epoch the memory timelines were filled in, plus one.
    home_epoch: std::sync::atomic::AtomicU64,
    /// Rings the delivery worker when this node recorded something in the outbox.
    home_wake: Arc<tokio::sync::Notify>,
    /// Delivery figures since start.
    home_counters: timelines::HomeCounters,
    /// What home reads need about each recent viewer (follows, hidden and merged authors),
    /// used like the tweet cache: only while this process sees every write.
    viewers: Mutex<timelines::ViewerCache>,
    /// Moves on every graph change this process hears of: a viewer read from the store
    /// before a change is not kept after it.
    graph_generation: std::sync::atomic::AtomicU64,
    /// The newest entries of authors merged into timelines at read time, kept like the
    /// viewers: every read of their followers merges them, and asking the store each time
    /// cost more than the rest of the read.
    merged_recent: Mutex<lru::LruCache<UserId, Arc<[starling_store::Entry]>>>,
    /// Moves whenever an author's entries may have changed: a list read from the store
    /// before is not kept.
    entries_generation: std::sync::atomic::AtomicU64,
    /// The worker's last batch being finished in the store.
    home_finishing: Mutex<Option<tokio::task::JoinHandle<starling_store::Result<()>>>>,
    /// Blob storage and the processing pool, when media are on.
    media: Option<media::Media>,
}

/// A session as read from the store, and when.
struct CachedSession {
    user: User,
    session: Session,
    read_at: i64,
    /// The store's cache epoch when it was read, if this process was then its only
    /// writer ([`Store::cache_epoch`]): while that epoch holds, every end of the session
    /// goes through this process and evicts it, so it need not be read again (a tenth of
    /// a 100,000-user server's home reads re-read their session every minute otherwise).
    /// Renewal still goes to the store when due.
    epoch: Option<u64>,
}

/// Ids remembered as missing at most.
const MISSING_CACHE: usize = 65_536;
/// (viewer, tweet) pairs remembered at most for the view window.
const RECENT_VIEWS: usize = 200_000;
/// How long after its id's time a tweet can still appear (ids from a node whose clock
/// runs behind): only ids older than this are remembered as missing.
const LATE_ARRIVAL_MS: i64 = 60_000;

/// Sessions kept (about 250 bytes each, estimated): every signed-in reader of a 100,000-user
/// server, else a third of home reads there asked the store for their session.
const TOKEN_CACHE: usize = 200_000;
/// Merged authors whose newest entries are kept (a few dozen exist at 100,000 users).
const MERGED_CACHE: usize = 1_024;
/// How long a cached session is trusted before the store is asked again.
const TOKEN_RECHECK_MS: i64 = 60_000;

impl Engine {
    /// Rebuild derived state from the store and start the background tasks, as a
    /// single process.
    pub async fn start(store: Arc<dyn Store>, config: EngineConfig) -> Result<Arc<Self>> {
        Self::start_in(store, config, cluster::Cluster::local()).await
    }

    /// As [`Engine::start`], as one node of `cluster`: its bus carries events to and
    /// from the other nodes.
    pub async fn start_in(
        store: Arc<dyn Store>,
        config: EngineConfig,
        cluster: cluster::Cluster,
    ) -> Result<Arc<Self>> {
        let velocity = Velocity::default();
        let now = config.clock.now();
        velocity.rebuild(store.engagement_since(now - 60 * 60_000).await?);
        let (stop, _) = watch::channel(false);
        let engine = Arc::new(Self {
            cache: TweetCache::new(config.cache_capacity, config.cache_bytes),
            cache_epoch: std::sync::atomic::AtomicU64::new(0),
            cache_reset: Mutex::new(()),
            missing: Mutex::new(lru::LruCache::new(
                MISSING_CACHE.try_into().expect("non-zero"),
            )),
            views: ViewBuffer::default(),
            flushing: tokio::sync::Mutex::new(()),
            recent_views: Mutex::new(lru::LruCache::new(
                RECENT_VIEWS.try_into().expect("non-zero"),
            )),
            velocity,
            events: cluster.bus,
            limiter: cluster.limiter,
            tokens: Mutex::new(lru::LruCache::new(
                TOKEN_CACHE.try_into().expect("non-zero"),
            )),
            hashing: Arc::new(Semaphore::new(config.hashing_concurrency.max(1))),
            hashing_waiting: Arc::default(),
            throttle: throttle::LoginThrottle::new(config.login_throttle),
            created: RateWindow::new(10),
            stop,
            store,
            clock: config.clock.clone(),
            home_shared: cluster.home.is_some(),
            home_epoch: std::sync::atomic::AtomicU64::new(0),
            home: cluster.home.unwrap_or_else(|| {
                Arc::new(timelines::MemoryHome::new(
                    &config.home,
                    config.clock.clone(),
                ))
            }),
            home_wake: Arc::default(),
            home_counters: timelines::HomeCounters::default(),
            home_finishing: Mutex::new(None),
            viewers: Mutex::default(),
            graph_generation: std::sync::atomic::AtomicU64::new(0),
            merged_recent: Mutex::new(lru::LruCache::new(
                MERGED_CACHE.try_into().expect("non-zero"),
            )),
            entries_generation: std::sync::atomic::AtomicU64::new(0),
            media: media::Media::open(&config.media)?,
            config,
        });
        engine.clone().spawn_background();
        engine.clone().spawn_media_sweeper().await?;
        engine.spawn_home_worker();
        if let Some(remote) = engine.events.subscribe_remote() {
            tokio::spawn(Self::follow_remote(Arc::downgrade(&engine), remote));
        }
        Ok(engine)
    }

    /// Keep this node's derived state in step with other nodes' writes: their
    /// engagement counts in velocity, their creations in the rate, their changes evict
    /// cached copies, their ended sessions stop authenticating here at once.
    async fn follow_remote(engine: std::sync::Weak<Self>, mut remote: broadcast::Receiver<Event>) {
        loop {
            let event = match remote.recv().await {
                Ok(event) => event,
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "fell behind other nodes' events");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            };
            let Some(engine) = engine.upgrade() else {
                break;
            };
            match event {
                Event::Activity(id, at) => engine.velocity.record(id, at),
                Event::Created(record) => engine.created.add(record.created_at, 1),
                Event::Updated(record) => engine.cache.invalidate(record.id),
                Event::Removed(id) | Event::Engagement(id, _) => engine.cache.invalidate(id),
                Event::SessionsEnded(ids) => engine.forget_sessions(&ids),
                Event::Graph(a, b) => engine.graph_changed(&[a, b]),
                Event::Delivered(..) | Event::Notified(..) | Event::Unread(..) => {}
            }
        }
    }

    /// Whether the tweet cache (and the other copies kept while this process is the only
    /// writer: viewers' graphs, merged authors' entries) may be used now, and under which
    /// epoch. Entering a new epoch empties them first: copies from before may miss
    /// writes made meanwhile by nodes that have since gone.
    pub(crate) fn cache_usable(&self) -> Option<u64> {
        use std::sync::atomic::Ordering;
        let epoch = self.store.cache_epoch()?;
        let tag = epoch + 1;
        if self.cache_epoch.load(Ordering::Acquire) != tag {
            let _one = self.cache_reset.lock();
            if self.cache_epoch.load(Ordering::Acquire) != tag {
                self.cache.clear();
                self.forget_viewers();
                self.forget_merged_entries();
                self.cache_epoch.store(tag, Ordering::Release);
            }
        }
        Some(epoch)
    }

    /// Rate-limit buckets shared with the other nodes, if this node has any.
    pub fn shared_limiter(&self) -> Option<Arc<dyn cluster::SharedLimiter>> {
        self.limiter.clone()
    }

    /// A like, retweet or reply added to `id` now: counted in velocity here and, through
    /// the bus, on every other node.
    pub(crate) fn record_activity(&self, id: TweetId, now: i64) {
        self.velocity.record(id, now);
        self.emit(Event::Activity(id, now));
    }

    pub(crate) fn spawn_background(self: Arc<Self>) {
        let mut stop = self.stop.subscribe();
        let engine = Arc::downgrade(&self);
        let interval = self.config.view_flush_interval;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            let mut prune = 0u32;
            loop {
                tokio::select! {
                    biased;
                    _ = stop.changed() => break,
                    _ = tick.tick() => {}
                }
                let Some(engine) = engine.upgrade() else {
                    break;
                };
                engine.flush_views().await;
                prune += 1;
                if prune.is_multiple_of(60) {
                    engine.velocity.prune(engine.clock.now());
                }
            }
        });
    }

    pub(crate) async fn flush_views(&self) {
        let _one_at_a_time = self.flushing.lock().await;
        let batch = self.views.begin_flush();
        if batch.is_empty() {
            self.views.end_flush(true);
            return;
        }
        match self.engagement_store().add_views(batch).await {
            Ok(updated) => {
                for (id, counters) in updated {
                    self.cache.update_counters(id, counters);
                }
                self.views.end_flush(true);
            }
            Err(e) => {
                tracing::warn!(error = %e, "writing views failed; keeping them for the next flush");
                self.views.end_flush(false);
            }
        }
    }

    // The store, seen as the aggregate a service works on: each module names only the
    // trait it uses (accounts.rs the accounts, tweets.rs the tweets, ...).
    pub(crate) fn account_store(&self) -> &dyn AccountStore {
        &*self.store
    }
    pub(crate) fn tweet_store(&self) -> &dyn TweetStore {
        &*self.store
    }
    pub(crate) fn engagement_store(&self) -> &dyn EngagementStore {
        &*self.store
    }
    pub(crate) fn graph_store(&self) -> &dyn GraphStore {
        &*self.store
    }

    /// Stop background work, write the buffered views, close the store.
    pub async fn shutdown(&self) -> Result<()> {
        let _ = self.stop.send(true);
        self.flush_views().await;
        self.store.close().await?;
        Ok(())
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Now, by the engine's clock (a manual one in tests).
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub(crate) fn emit(&self, event: Event) {
        self.events.publish(event);
    }

    /// An engine over a fresh SQLite store in a temporary directory (kept alive by the
    /// returned guard), for the engine's own tests.
    #[cfg(test)]
    pub(crate) async fn for_test(config: EngineConfig) -> (Arc<Self>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store =
            starling_sqlite::Sqlite::open(starling_sqlite::SqliteConfig::in_dir(dir.path()))
                .unwrap();
        (Self::start(Arc::new(store), config).await.unwrap(), dir)
    }

    pub async fn stats(&self) -> Result<EngineStats> {
        let mut totals = self.store.totals().await?;
        totals.views += self.views.total_unflushed();
        Ok(EngineStats {
            totals,
            created_per_second: self.created.per_second(self.clock.now()),
            cached_tweets: self.cache.len(),
            cached_tweet_bytes: self.cache.bytes(),
            node_id: self.config.node_id,
            linked: self.events.linked(),
            events_dropped: self.events.dropped(),
        })
    }
}
