//! The storage contract.
//!
//! Layout: a backend implements one trait per aggregate ([`AccountStore`],
//! [`TweetStore`], [`EngagementStore`]) and the [`Store`] supertrait over them (SQLite
//! today, PostgreSQL next); [`model`] holds the records it reads and writes; [`StoreError`] is the
//! backend-neutral error; [`conformance`] is the behaviour suite every backend runs.
//!
//! Key decision: writes that must be checked atomically (who may edit, which
//! transition is legal, idempotency, expected versions, per-user likes) are decided
//! *inside* the backend's transaction using the pure rules of `starling-core`, so no
//! caller can race them. An acknowledged write (`Ok`) is durable.

#[cfg(feature = "conformance")]
pub mod conformance;
pub mod model;

pub use model::*;

use async_trait::async_trait;
use starling_core::{IllegalTransition, TweetId, UserId};

/// Why a storage operation did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No such row, or one the actor may not see.
    #[error("not found")]
    NotFound,
    /// The actor may see the tweet but may not change it.
    #[error("forbidden")]
    Forbidden,
    #[error("version conflict: current version is {current}")]
    VersionConflict { current: i64 },
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
    #[error("username is taken")]
    UsernameTaken,
    /// The tweet exists but does not accept engagement in its state.
    #[error("tweet is {0} and does not accept engagement")]
    ReadOnly(starling_core::TweetState),
    /// The tweet replied to does not exist or cannot be seen.
    #[error("the tweet replied to does not exist")]
    InvalidReply,
    /// A version number that the tweet never had.
    #[error("no such version")]
    NoSuchVersion,
    /// An idempotency key the author already used for a different request.
    #[error("the idempotency key was used for a different request")]
    IdempotencyKeyReused,
    /// The backend is saturated; the caller should retry later.
    #[error("storage is overloaded")]
    Overloaded,
    /// An I/O or driver failure. The message is for logs, never for clients.
    #[error("storage failure: {0}")]
    Internal(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Users and their sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_user(&self, user: NewUser) -> Result<User>;
    /// The user and their password hash, by case-insensitive username.
    async fn credentials(&self, username: &str) -> Result<Option<(User, String)>>;
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    async fn user_by_username(&self, username: &str) -> Result<Option<User>>;
    async fn create_session(&self, session: NewSession) -> Result<Session>;
    /// The session a token opens, and its user, whether expired or not: expiry is the
    /// caller's rule.
    async fn session_by_token(&self, token_hash: [u8; 32]) -> Result<Option<(User, Session)>>;
    /// Sliding renewal: the session was used at `now` and now expires at `expires_at`.
    async fn renew_session(&self, id: SessionId, now: i64, expires_at: i64) -> Result<()>;
    /// A user's sessions, newest first.
    async fn sessions(&self, user: UserId) -> Result<Vec<Session>>;
    /// End sessions; answers the sessions ended.
    async fn delete_sessions(&self, revoke: RevokeSessions) -> Result<Vec<Session>>;
}

/// Tweets, their immutable event log and their versions. Each write is one transaction
/// that appends an event.
#[async_trait]
pub trait TweetStore: Send + Sync {
    async fn create_tweet(&self, tweet: NewTweet) -> Result<Created>;
    async fn edit_tweet(&self, edit: EditTweet) -> Result<Changed>;
    /// Publish, archive or delete.
    async fn transition(&self, change: Transition) -> Result<Changed>;
    async fn restore_version(&self, restore: RestoreVersion) -> Result<Changed>;

    // These return rows in any state: visibility is the caller's rule.
    async fn tweet(&self, id: TweetId) -> Result<Option<TweetRecord>>;
    async fn list_tweets(&self, query: TweetQuery) -> Result<Vec<TweetRecord>>;
    async fn versions(&self, id: TweetId) -> Result<Vec<VersionRecord>>;
    async fn events(&self, id: TweetId) -> Result<Vec<EventRecord>>;
}

/// Likes, retweets and views, with their counters kept in the same transaction.
#[async_trait]
pub trait EngagementStore: Send + Sync {
    /// Like, unlike, retweet or unretweet; idempotent per user.
    async fn engage(&self, engagement: Engage) -> Result<Engaged>;
    /// Add buffered view counts; answers the new counters of the tweets that still exist.
    async fn add_views(&self, views: Vec<(TweetId, i64)>) -> Result<Vec<(TweetId, Counters)>>;
    /// For each id: (liked, retweeted) by `user`.
    async fn viewer_flags(&self, user: UserId, ids: &[TweetId]) -> Result<Vec<(bool, bool)>>;
    /// Likes, retweets and replies since `since` (Unix ms), to rebuild velocity after a restart.
    async fn engagement_since(&self, since: i64) -> Result<Vec<(TweetId, i64)>>;
}

/// Everything Starling persists: one trait per aggregate, and this supertrait so wiring
/// stays one handle (`Arc<dyn Store>`). Implementations are cheap to share.
#[async_trait]
pub trait Store: AccountStore + TweetStore + EngagementStore + 'static {
    /// Running totals over every aggregate.
    async fn totals(&self) -> Result<Totals>;
    /// Check the store's own invariants against its rows: every counter equals the rows
    /// it counts, every tweet's version and last event match its event log, the running
    /// totals match their rows, and the backend's own consistency check passes. Answers
    /// each violation in words; empty when sound. Slow: for tests and operators.
    async fn audit(&self) -> Result<Vec<String>>;
    /// Flush and close; later calls fail.
    async fn close(&self) -> Result<()>;
}
