//! Starling's application services over any [`Store`].
//!
//! Layout: [`Engine`] is the one entry point the HTTP layer calls. Around the store it
//! keeps a bounded [`cache`] of hot tweets, the [`views`] write-behind buffer,
//! engagement [`velocity`], a token cache, and the broadcast of [`Event`]s that feeds
//! the live stream.
//!
//! Key decision: every read path goes through [`Engine::readable`], which applies the
//! single visibility rule of `starling-core` (`can_read`); a tweet the viewer may not
//! see is reported exactly like one that does not exist.

pub mod auth;
pub mod cache;
pub mod rate;
pub mod throttle;
pub mod velocity;
pub mod views;

use cache::TweetCache;
use parking_lot::Mutex;
use rate::RateWindow;
use starling_core::content::normalize_hashtag;
use starling_core::lifecycle::can_read;
use starling_core::{
    Content, DisplayName, EngagementAction, Password, TweetId, TweetState, UserId, Username,
    ValidationError, Viewer, now_millis,
};
use starling_store::*;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, broadcast, watch};
use velocity::{Rates, Velocity};
use views::ViewBuffer;

pub use starling_store::{Counters, Session, SessionId, TweetRecord, User};

/// Why an engine call did not do what was asked. The HTTP layer maps each variant to
/// one status code, in one place.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error("authentication required")]
    Unauthorized,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("version conflict: the current version is {current}")]
    VersionConflict { current: i64 },
    #[error("{0}")]
    IllegalTransition(String),
    #[error("username is taken")]
    UsernameTaken,
    #[error("the tweet is {0} and does not accept engagement")]
    ReadOnly(TweetState),
    #[error("too many failed logins; retry in {retry_after} s")]
    TooManyAttempts { retry_after: u64 },
    #[error("the server is overloaded")]
    Overloaded,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for EngineError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => EngineError::NotFound,
            StoreError::Forbidden => {
                EngineError::Forbidden("only the author may change this tweet")
            }
            StoreError::VersionConflict { current } => EngineError::VersionConflict { current },
            StoreError::IllegalTransition(t) => EngineError::IllegalTransition(t.to_string()),
            StoreError::UsernameTaken => EngineError::UsernameTaken,
            StoreError::ReadOnly(state) => EngineError::ReadOnly(state),
            StoreError::InvalidReply => EngineError::Validation(ValidationError::new(
                "replyToId",
                "the tweet replied to does not exist",
            )),
            StoreError::NoSuchVersion => EngineError::Validation(ValidationError::new(
                "version",
                "the tweet has no such version",
            )),
            StoreError::IdempotencyKeyReused => EngineError::Validation(ValidationError::new(
                "Idempotency-Key",
                "this key was already used for a different request",
            )),
            StoreError::Overloaded => EngineError::Overloaded,
            StoreError::Internal(m) => EngineError::Internal(m),
        }
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// Something that happened to a public tweet, for live subscribers.
#[derive(Debug, Clone)]
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
}

/// A tweet as one viewer sees it.
#[derive(Debug, Clone)]
pub struct TweetView {
    pub record: Arc<TweetRecord>,
    pub engagement: EngagementView,
}

#[derive(Debug, Clone, Copy)]
pub struct EngagementView {
    pub counters: Counters,
    pub liked: bool,
    pub retweeted: bool,
    pub velocity: Rates,
}

/// A page of tweets, newest first.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<TweetView>,
    pub next_cursor: Option<TweetId>,
}

#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// A username or a user id.
    pub author: Option<String>,
    pub hashtag: Option<String>,
    pub before: Option<TweetId>,
    pub limit: usize,
}

#[derive(Debug, Clone)]
pub struct NewPost {
    pub content: String,
    pub reply_to: Option<TweetId>,
    pub draft: bool,
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct EngineStats {
    pub totals: Totals,
    pub created_per_second: f64,
    pub cached_tweets: usize,
}

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Tweets kept in the in-process cache.
    pub cache_capacity: usize,
    /// How often buffered views are written.
    pub view_flush_interval: Duration,
    /// One viewer counts once per tweet within this window.
    pub view_window: Duration,
    /// Password hashes computed at once (each argon2 hash holds ~19 MiB).
    pub hashing_concurrency: usize,
    /// Password hashes waiting for a turn at most; beyond, logins and sign-ups get 503
    /// at once instead of queueing behind a flood.
    pub hashing_queue: usize,
    /// Failed-login throttling.
    pub login_throttle: throttle::LoginThrottleConfig,
    /// How long a session lasts without use; each use (at most once per
    /// `session_renewal`) extends it by as much again.
    pub session_ttl: Duration,
    /// How often a session's expiry is pushed forward: a write per request would cost
    /// more than a day's precision is worth.
    pub session_renewal: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            cache_capacity: 50_000,
            view_flush_interval: Duration::from_secs(1),
            view_window: Duration::from_secs(30 * 60),
            hashing_concurrency: 2,
            hashing_queue: 32,
            login_throttle: throttle::LoginThrottleConfig::default(),
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            session_renewal: Duration::from_secs(24 * 3600),
        }
    }
}

pub struct Engine {
    /// Where everything durable lives; the engine holds no state it cannot rebuild.
    store: Arc<dyn Store>,
    /// Hot tweets, so reads of popular tweets skip the store.
    cache: TweetCache,
    /// Ids known not to exist (old enough that they never will): a missing tweet then
    /// answers as fast as a hidden one, so timing cannot tell the two apart.
    missing: Mutex<lru::LruCache<TweetId, ()>>,
    /// Views counted in memory and written behind.
    views: ViewBuffer,
    /// (viewer, tweet) pairs seen within the view window: one viewer counts once.
    recent_views: Mutex<lru::LruCache<(UserId, TweetId), i64>>,
    /// Engagement rates for trends.
    velocity: Velocity,
    /// Everything that happened to public tweets, for the live stream.
    events: broadcast::Sender<Event>,
    /// Sessions by token hash, with when each was read from the store. Evicted on
    /// logout on this node; re-read after [`TOKEN_RECHECK_MS`] so a revocation on
    /// another node takes effect here too; bounded.
    tokens: Mutex<lru::LruCache<[u8; 32], (User, Session, i64)>>,
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
    config: EngineConfig,
}

/// Ids remembered as missing at most.
const MISSING_CACHE: usize = 65_536;
/// (viewer, tweet) pairs remembered at most for the view window.
const RECENT_VIEWS: usize = 200_000;
/// How long after its id's time a tweet can still appear (ids from a node whose clock
/// runs behind): only ids older than this are remembered as missing.
const LATE_ARRIVAL_MS: i64 = 60_000;

const TOKEN_CACHE: usize = 65_536;
/// How long a cached session is trusted before the store is asked again.
const TOKEN_RECHECK_MS: i64 = 60_000;

impl Engine {
    /// Rebuild derived state from the store and start the background tasks.
    pub async fn start(store: Arc<dyn Store>, config: EngineConfig) -> Result<Arc<Self>> {
        let velocity = Velocity::default();
        let now = now_millis();
        velocity.rebuild(store.engagement_since(now - 60 * 60_000).await?);
        let (events, _) = broadcast::channel(4096);
        let (stop, _) = watch::channel(false);
        let engine = Arc::new(Self {
            cache: TweetCache::new(config.cache_capacity),
            missing: Mutex::new(lru::LruCache::new(
                MISSING_CACHE.try_into().expect("non-zero"),
            )),
            views: ViewBuffer::default(),
            recent_views: Mutex::new(lru::LruCache::new(
                RECENT_VIEWS.try_into().expect("non-zero"),
            )),
            velocity,
            events,
            tokens: Mutex::new(lru::LruCache::new(
                TOKEN_CACHE.try_into().expect("non-zero"),
            )),
            hashing: Arc::new(Semaphore::new(config.hashing_concurrency.max(1))),
            hashing_waiting: Arc::default(),
            throttle: throttle::LoginThrottle::new(config.login_throttle),
            created: RateWindow::new(10),
            stop,
            store,
            config,
        });
        engine.clone().spawn_background();
        Ok(engine)
    }

    fn spawn_background(self: Arc<Self>) {
        let mut stop = self.stop.subscribe();
        let engine = Arc::downgrade(&self);
        let interval = self.config.view_flush_interval;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            let mut prune = 0u32;
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stop.changed() => break,
                }
                let Some(engine) = engine.upgrade() else {
                    break;
                };
                engine.flush_views().await;
                prune += 1;
                if prune.is_multiple_of(60) {
                    engine.velocity.prune(now_millis());
                }
            }
        });
    }

    async fn flush_views(&self) {
        let batch = self.views.begin_flush();
        if batch.is_empty() {
            self.views.end_flush(true);
            return;
        }
        match self.store.add_views(batch).await {
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

    fn emit(&self, event: Event) {
        // No subscribers is fine.
        let _ = self.events.send(event);
    }

    // ---- accounts ----

    pub async fn register(
        &self,
        username: &str,
        password: &str,
        display_name: Option<&str>,
    ) -> Result<(User, String)> {
        let username = Username::parse(username)?;
        let password = Password::parse_new(password, &username)?;
        let display_name = match display_name {
            Some(d) => DisplayName::parse(d)?.as_str().to_string(),
            None => username.as_str().to_string(),
        };
        // Fail fast before paying for a hash; the store still decides atomically.
        if self
            .store
            .user_by_username(username.as_str())
            .await?
            .is_some()
        {
            return Err(EngineError::UsernameTaken);
        }
        let password_hash = self.hash(password).await?;
        let user = self
            .store
            .create_user(NewUser {
                username: username.as_str().to_string(),
                display_name,
                password_hash,
                now: now_millis(),
            })
            .await?;
        let token = self.issue_token(&user).await?;
        Ok((user, token))
    }

    /// Run an argon2 computation on a blocking thread, at most `hashing_concurrency` at
    /// once. The permit moves into the blocking task: a client that disconnects cannot
    /// free its slot while its hash is still being computed.
    async fn argon2<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        use std::sync::atomic::Ordering;
        /// Leaves the queue however the wait ends (a client that disconnects included).
        struct Waiting(Arc<std::sync::atomic::AtomicUsize>);
        impl Drop for Waiting {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        let waiting = Waiting(self.hashing_waiting.clone());
        if waiting.0.fetch_add(1, Ordering::AcqRel) >= self.config.hashing_queue {
            return Err(EngineError::Overloaded);
        }
        let permit = self
            .hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| EngineError::Internal(e.to_string()))?;
        drop(waiting);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| EngineError::Internal(e.to_string()))
    }

    async fn hash(&self, password: Password) -> Result<String> {
        self.argon2(move || auth::hash_password(password.expose()))
            .await?
            .map_err(EngineError::Internal)
    }

    async fn issue_token(&self, user: &User) -> Result<String> {
        let token = auth::new_token();
        let now = now_millis();
        self.store
            .create_session(NewSession {
                token_hash: auth::token_hash(&token),
                user: user.id,
                now,
                expires_at: now + self.config.session_ttl.as_millis() as i64,
            })
            .await?;
        Ok(token)
    }

    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<std::net::IpAddr>,
    ) -> Result<(User, String)> {
        self.throttle
            .check(username, address, now_millis())
            .map_err(|retry_after| EngineError::TooManyAttempts { retry_after })?;
        let found = self.store.credentials(username).await?;
        let password = password.to_string();
        // An unknown user still costs one verification, so timing does not reveal
        // which usernames exist.
        let (user, phc) = match found {
            Some((user, phc)) => (Some(user), phc),
            None => (None, DUMMY_HASH.to_string()),
        };
        let ok = self
            .argon2(move || auth::verify_password(&password, &phc))
            .await?;
        match (user, ok) {
            (Some(user), true) => {
                self.throttle.succeeded(username);
                let token = self.issue_token(&user).await?;
                Ok((user, token))
            }
            _ => {
                self.throttle.failed(username, address, now_millis());
                Err(EngineError::InvalidCredentials)
            }
        }
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        let ended = self
            .store
            .delete_sessions(RevokeSessions::Token(auth::token_hash(token)))
            .await?;
        self.sessions_ended(ended);
        Ok(())
    }

    /// End every session of `user`, this one included.
    pub async fn logout_everywhere(&self, user: &User) -> Result<()> {
        let ended = self
            .store
            .delete_sessions(RevokeSessions::AllOf(user.id))
            .await?;
        self.sessions_ended(ended);
        Ok(())
    }

    /// End one of `user`'s own sessions; another user's is not found.
    pub async fn revoke_session(&self, user: &User, id: SessionId) -> Result<()> {
        let ended = self
            .store
            .delete_sessions(RevokeSessions::One { user: user.id, id })
            .await?;
        self.sessions_ended(ended);
        Ok(())
    }

    pub async fn sessions(&self, user: &User) -> Result<Vec<Session>> {
        let now = now_millis();
        let mut sessions = self.store.sessions(user.id).await?;
        sessions.retain(|s| s.expires_at > now);
        Ok(sessions)
    }

    fn sessions_ended(&self, ended: Vec<Session>) {
        let mut tokens = self.tokens.lock();
        for s in &ended {
            tokens.pop(&s.token_hash);
        }
        drop(tokens);
        if !ended.is_empty() {
            self.emit(Event::SessionsEnded(ended.iter().map(|s| s.id).collect()));
        }
    }

    pub async fn authenticate(&self, token: &str) -> Result<User> {
        self.authenticate_session(token).await.map(|(user, _)| user)
    }

    /// The user and session a token opens, if it has not expired or been revoked.
    pub async fn authenticate_session(&self, token: &str) -> Result<(User, Session)> {
        let hash = auth::token_hash(token);
        let now = now_millis();
        if let Some((user, session, read_at)) = self.tokens.lock().get(&hash)
            && now - read_at < TOKEN_RECHECK_MS
            && session.expires_at > now
        {
            return Ok((user.clone(), session.clone()));
        }
        let (user, mut session) = self
            .store
            .session_by_token(hash)
            .await?
            .filter(|(_, s)| s.expires_at > now)
            .ok_or(EngineError::Unauthorized)?;
        // Sliding expiry, written at most once per renewal period.
        if now - session.last_used_at >= self.config.session_renewal.as_millis() as i64 {
            let expires_at = now + self.config.session_ttl.as_millis() as i64;
            self.store
                .renew_session(session.id, now, expires_at)
                .await?;
            session.last_used_at = now;
            session.expires_at = expires_at;
        }
        self.tokens
            .lock()
            .put(hash, (user.clone(), session.clone(), now));
        Ok((user, session))
    }

    // ---- reads ----

    /// The tweet if `viewer` may read it; not found otherwise. Every read path uses this.
    pub async fn readable(&self, id: TweetId, viewer: Viewer) -> Result<Arc<TweetRecord>> {
        let record = self.record(id).await?.ok_or(EngineError::NotFound)?;
        if can_read(record.state, record.author.id, viewer) {
            Ok(record)
        } else {
            Err(EngineError::NotFound)
        }
    }

    async fn record(&self, id: TweetId) -> Result<Option<Arc<TweetRecord>>> {
        match self.cache.get(id) {
            Ok(record) => Ok(Some(record)),
            Err(ticket) => {
                if self.missing.lock().get(&id).is_some() {
                    return Ok(None);
                }
                let Some(record) = self.store.tweet(id).await? else {
                    if starling_core::id::millis_of(id.0) < now_millis() - LATE_ARRIVAL_MS {
                        self.missing.lock().put(id, ());
                    }
                    return Ok(None);
                };
                let record = Arc::new(record);
                self.cache.fill(record.clone(), ticket);
                Ok(Some(record))
            }
        }
    }

    fn engagement_of(
        &self,
        record: &TweetRecord,
        liked: bool,
        retweeted: bool,
        now: i64,
    ) -> EngagementView {
        let mut counters = record.counters;
        counters.views += self.views.unflushed(record.id);
        EngagementView {
            counters,
            liked,
            retweeted,
            velocity: self.velocity.rates(record.id, now),
        }
    }

    /// The tweet as an anonymous viewer sees it (for the live stream).
    pub fn public_view(&self, record: Arc<TweetRecord>) -> TweetView {
        let engagement = self.engagement_of(&record, false, false, now_millis());
        TweetView { record, engagement }
    }

    pub fn velocity_of(&self, id: TweetId) -> Rates {
        self.velocity.rates(id, now_millis())
    }

    async fn present(
        &self,
        records: Vec<Arc<TweetRecord>>,
        viewer: Viewer,
    ) -> Result<Vec<TweetView>> {
        let flags = match viewer {
            Some(user) if !records.is_empty() => {
                let ids: Vec<TweetId> = records.iter().map(|r| r.id).collect();
                self.store.viewer_flags(user, &ids).await?
            }
            _ => vec![(false, false); records.len()],
        };
        let now = now_millis();
        Ok(records
            .into_iter()
            .zip(flags)
            .map(|(record, (liked, retweeted))| {
                let engagement = self.engagement_of(&record, liked, retweeted, now);
                TweetView { record, engagement }
            })
            .collect())
    }

    async fn present_one(&self, record: Arc<TweetRecord>, viewer: Viewer) -> Result<TweetView> {
        Ok(self
            .present(vec![record], viewer)
            .await?
            .pop()
            .expect("one in, one out"))
    }

    pub async fn tweet(&self, id: TweetId, viewer: Viewer) -> Result<TweetView> {
        let record = self.readable(id, viewer).await?;
        self.present_one(record, viewer).await
    }

    async fn resolve_author(&self, author: &str) -> Result<Option<UserId>> {
        if let Some(user) = self.store.user_by_username(author).await? {
            return Ok(Some(user.id));
        }
        // Not a username: perhaps a user id.
        match author.parse::<UserId>() {
            Ok(id) => Ok(self.store.user(id).await?.map(|u| u.id)),
            Err(_) => Ok(None),
        }
    }

    /// Public tweets, newest first, optionally by author and hashtag.
    pub async fn list(&self, query: ListQuery, viewer: Viewer) -> Result<Page> {
        let author = match &query.author {
            Some(a) => match self.resolve_author(a).await? {
                Some(id) => Some(id),
                None => {
                    return Ok(Page {
                        items: vec![],
                        next_cursor: None,
                    });
                }
            },
            None => None,
        };
        let hashtag = query.hashtag.as_deref().map(normalize_hashtag);
        if hashtag.as_deref() == Some("") {
            // `hashtag=#` asks for a tag no tweet can have, not for every tweet.
            if query
                .hashtag
                .as_deref()
                .is_some_and(|h| !h.trim().is_empty())
            {
                return Ok(Page {
                    items: vec![],
                    next_cursor: None,
                });
            }
        }
        let hashtag = hashtag.filter(|h| !h.is_empty());
        self.page(
            TweetQuery {
                author,
                hashtag,
                states: vec![],
                before: query.before,
                limit: query.limit,
            },
            viewer,
        )
        .await
    }

    /// The caller's own tweets in any state but deleted, or in one state.
    pub async fn own_tweets(
        &self,
        user: &User,
        state: Option<TweetState>,
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Page> {
        use TweetState::*;
        let states = match state {
            Some(Deleted) => {
                return Ok(Page {
                    items: vec![],
                    next_cursor: None,
                });
            }
            Some(s) => vec![s],
            None => vec![Draft, Published, Edited, Archived],
        };
        self.page(
            TweetQuery {
                author: Some(user.id),
                hashtag: None,
                states,
                before,
                limit,
            },
            Some(user.id),
        )
        .await
    }

    async fn page(&self, query: TweetQuery, viewer: Viewer) -> Result<Page> {
        let limit = query.limit;
        let records = self.store.list_tweets(query).await?;
        // The visibility rule applies to lists too, whatever the query asked for.
        let records: Vec<Arc<TweetRecord>> = records
            .into_iter()
            .filter(|r| can_read(r.state, r.author.id, viewer))
            .map(Arc::new)
            .collect();
        let next_cursor = if records.len() == limit {
            records.last().map(|r| r.id)
        } else {
            None
        };
        Ok(Page {
            items: self.present(records, viewer).await?,
            next_cursor,
        })
    }

    /// The tweet's versions. The author sees them all; everyone else sees the public
    /// history, which starts with the version the tweet was published with: a draft's
    /// earlier versions were never public.
    pub async fn versions(&self, id: TweetId, viewer: Viewer) -> Result<Vec<VersionRecord>> {
        let record = self.readable(id, viewer).await?;
        let versions = self.store.versions(id).await?;
        if viewer == Some(record.author.id) {
            return Ok(versions);
        }
        let events = self.store.events(id).await?;
        let public_from = events
            .iter()
            .find(|e| e.kind == EventKind::Published)
            .map_or(1, |e| e.version);
        Ok(versions
            .into_iter()
            .filter(|v| v.version >= public_from)
            .collect())
    }

    /// The audit trail, for the author only.
    pub async fn events(&self, id: TweetId, viewer: Viewer) -> Result<Vec<EventRecord>> {
        let record = self.readable(id, viewer).await?;
        if viewer != Some(record.author.id) {
            return Err(EngineError::Forbidden(
                "only the author may read a tweet's audit trail",
            ));
        }
        Ok(self.store.events(id).await?)
    }

    pub async fn trends(&self, limit: usize, viewer: Viewer) -> Result<Vec<TweetView>> {
        let now = now_millis();
        // Ask for more than needed: some may have left public view since.
        let top = self.velocity.top(limit * 2 + 10, now);
        let mut records = Vec::with_capacity(limit);
        for (id, _) in top {
            if records.len() == limit {
                break;
            }
            if let Some(record) = self.record(id).await?
                && record.state.is_public()
            {
                records.push(record);
            }
        }
        self.present(records, viewer).await
    }

    // ---- writes ----

    pub async fn post(&self, author: &User, post: NewPost) -> Result<(TweetView, bool)> {
        let content = Content::parse(&post.content)?;
        if let Some(key) = &post.idempotency_key {
            let ok = (1..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
            if !ok {
                return Err(ValidationError::new(
                    "Idempotency-Key",
                    "must be 1-128 printable ASCII characters",
                )
                .into());
            }
        }
        let now = now_millis();
        let request_hash = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(content.hash().0);
            h.update(post.reply_to.map_or(-1, |p| p.0).to_be_bytes());
            h.update([u8::from(post.draft)]);
            h.finalize().into()
        };
        let created = self
            .store
            .create_tweet(NewTweet {
                request_hash,
                author: author.id,
                content,
                reply_to: post.reply_to,
                draft: post.draft,
                idempotency_key: post.idempotency_key,
                now,
            })
            .await?;
        let record = Arc::new(created.tweet);
        if created.fresh {
            self.cache.insert_created(record.clone());
            self.created.add(now, 1);
            if let Some((parent, counters)) = created.parent {
                self.cache.update_counters(parent, counters);
                self.velocity.record(parent, now);
                self.emit_engagement(parent, counters);
            }
            if record.state.is_public() {
                self.emit(Event::Created(record.clone()));
            }
        }
        if created.fresh {
            // Nobody has liked or retweeted a tweet that did not exist a moment ago:
            // no need to ask the store.
            let engagement = self.engagement_of(&record, false, false, now);
            return Ok((TweetView { record, engagement }, true));
        }
        // An idempotent replay answers with the tweet as it is now, if still readable.
        let record = self.readable(record.id, Some(author.id)).await?;
        Ok((self.present_one(record, Some(author.id)).await?, false))
    }

    /// Whether this is `viewer`'s first view of `id` within the view window (and if so,
    /// remember it).
    fn first_view_in_window(&self, viewer: UserId, id: TweetId, now: i64) -> bool {
        let window = self.config.view_window.as_millis() as i64;
        let mut recent = self.recent_views.lock();
        match recent.get_mut(&(viewer, id)) {
            Some(seen) if now - *seen < window => false,
            Some(seen) => {
                *seen = now;
                true
            }
            None => {
                recent.put((viewer, id), now);
                true
            }
        }
    }

    fn emit_engagement(&self, id: TweetId, mut counters: Counters) {
        counters.views += self.views.unflushed(id);
        self.emit(Event::Engagement(id, counters));
    }

    /// Apply an acknowledged change to the cache and tell subscribers.
    /// The store decided who may write and reported the state before, in its own
    /// transaction, so a concurrent write cannot make us emit the wrong event.
    fn changed(&self, changed: Changed) -> Arc<TweetRecord> {
        let before = changed.previous;
        let record = Arc::new(changed.tweet);
        self.cache.put(record.clone());
        if let Some((parent, counters)) = changed.parent {
            // A reply entered or left public view.
            self.cache.update_counters(parent, counters);
            if record.state.is_public() {
                self.velocity.record(parent, now_millis());
            }
            self.emit_engagement(parent, counters);
        }
        match (before.is_public(), record.state.is_public()) {
            (false, true) => self.emit(Event::Created(record.clone())),
            (true, true) => self.emit(Event::Updated(record.clone())),
            (true, false) => self.emit(Event::Removed(record.id)),
            (false, false) => {}
        }
        record
    }

    pub async fn edit(
        &self,
        user: &User,
        id: TweetId,
        content: &str,
        expected_version: Option<i64>,
    ) -> Result<TweetView> {
        // Who may edit is decided before what they sent is judged: a stranger's invalid
        // edit is refused as forbidden, never as invalid (the store decides again,
        // atomically).
        let current = self.readable(id, Some(user.id)).await?;
        if current.author.id != user.id {
            return Err(StoreError::Forbidden.into());
        }
        let content = Content::parse(content)?;
        let changed = self
            .store
            .edit_tweet(EditTweet {
                id,
                actor: user.id,
                content,
                expected_version,
                now: now_millis(),
            })
            .await?;
        let record = self.changed(changed);
        self.present_one(record, Some(user.id)).await
    }

    pub async fn restore(&self, user: &User, id: TweetId, version: i64) -> Result<TweetView> {
        let changed = self
            .store
            .restore_version(RestoreVersion {
                id,
                actor: user.id,
                version,
                now: now_millis(),
            })
            .await?;
        let record = self.changed(changed);
        self.present_one(record, Some(user.id)).await
    }

    pub async fn transition(
        &self,
        user: &User,
        id: TweetId,
        kind: TransitionKind,
    ) -> Result<Option<TweetView>> {
        let changed = self
            .store
            .transition(Transition {
                id,
                actor: user.id,
                kind,
                now: now_millis(),
            })
            .await?;
        let record = self.changed(changed);
        if record.state == TweetState::Deleted {
            return Ok(None);
        }
        Ok(Some(self.present_one(record, Some(user.id)).await?))
    }

    pub async fn engage(
        &self,
        user: &User,
        id: TweetId,
        action: EngagementAction,
    ) -> Result<EngagementView> {
        let now = now_millis();
        let toggle = match action {
            EngagementAction::Like => Toggle::Like,
            EngagementAction::Unlike => Toggle::Unlike,
            EngagementAction::Retweet => Toggle::Retweet,
            EngagementAction::Unretweet => Toggle::Unretweet,
            EngagementAction::View => {
                let record = self.readable(id, Some(user.id)).await?;
                if !record.state.is_public() {
                    return Err(EngineError::ReadOnly(record.state));
                }
                if self.first_view_in_window(user.id, id, now) {
                    self.views.add(id);
                }
                let flags = self.store.viewer_flags(user.id, &[id]).await?;
                let (liked, retweeted) = flags.first().copied().unwrap_or_default();
                let view = self.engagement_of(&record, liked, retweeted, now);
                self.emit(Event::Engagement(id, view.counters));
                return Ok(view);
            }
        };
        let engaged = self
            .store
            .engage(Engage {
                id,
                user: user.id,
                toggle,
                now,
            })
            .await?;
        if engaged.changed {
            self.cache.update_counters(id, engaged.counters);
            if matches!(toggle, Toggle::Like | Toggle::Retweet) {
                self.velocity.record(id, now);
            }
            self.emit_engagement(id, engaged.counters);
        }
        let mut counters = engaged.counters;
        counters.views += self.views.unflushed(id);
        Ok(EngagementView {
            counters,
            liked: engaged.liked,
            retweeted: engaged.retweeted,
            velocity: self.velocity.rates(id, now),
        })
    }

    // ---- operations ----

    pub async fn stats(&self) -> Result<EngineStats> {
        let mut totals = self.store.totals().await?;
        totals.views += self.views.total_unflushed();
        Ok(EngineStats {
            totals,
            created_per_second: self.created.per_second(now_millis()),
            cached_tweets: self.cache.len(),
        })
    }
}

/// A valid argon2id hash of a random password, verified against when the username is
/// unknown so that a failed login costs the same either way.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3RhcmxpbmdkdW1teXNhbHQ$3cMq/Wlk3hdQnFN7s/H5pH6cp7BRlnA+fkz5cExmV0o";

#[cfg(test)]
mod tests {
    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash() {
        // If it did not parse, an unknown username would fail fast and timing would
        // tell unknown usernames from wrong passwords.
        let parsed =
            argon2::password_hash::PasswordHash::new(super::DUMMY_HASH).expect("valid PHC string");
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(!super::auth::verify_password(
            "anything at all",
            super::DUMMY_HASH
        ));
    }

    /// A missing tweet must answer like a hidden one, which is served from memory: an
    /// old missing id is remembered after its first lookup (so later ones skip the store),
    /// an id from a moment ago is not (a node whose clock is behind may still issue it).
    #[tokio::test]
    async fn old_missing_ids_are_remembered_and_recent_ones_are_not() {
        use super::*;
        let dir = tempfile::tempdir().unwrap();
        let store =
            starling_sqlite::Sqlite::open(starling_sqlite::SqliteConfig::in_dir(dir.path()))
                .unwrap();
        let engine = Engine::start(Arc::new(store), EngineConfig::default())
            .await
            .unwrap();
        let old = TweetId((1_000_000 << 22) | 1);
        let recent = TweetId(((now_millis() - starling_core::id::EPOCH_MILLIS) << 22) | 7);
        for id in [old, recent] {
            assert!(matches!(
                engine.tweet(id, None).await,
                Err(EngineError::NotFound)
            ));
        }
        let remembered = |id| engine.missing.lock().contains(&id);
        assert!(remembered(old));
        assert!(!remembered(recent));
        // A tweet that exists is never remembered as missing.
        let (user, _) = engine
            .register("ada", "correct horse battery", None)
            .await
            .unwrap();
        let (posted, _) = engine
            .post(
                &user,
                NewPost {
                    content: "here".into(),
                    reply_to: None,
                    draft: false,
                    idempotency_key: None,
                },
            )
            .await
            .unwrap();
        engine.tweet(posted.record.id, None).await.unwrap();
        assert!(!remembered(posted.record.id));
    }
}
