//! The storage contract.
//!
//! Layout: a backend implements one trait per aggregate ([`AccountStore`],
//! [`TweetStore`], [`EngagementStore`]) and the [`Store`] supertrait over them (SQLite
//! today, PostgreSQL next); [`model`] holds the commands it carries out (the records are core's); [`StoreError`] is the
//! backend-neutral error; [`conformance`] is the behaviour suite every backend runs.
//!
//! Key decision: writes that must be checked atomically (who may edit, which
//! transition is legal, idempotency, expected versions, per-user likes) are decided
//! *inside* the backend's transaction using the pure rules of `starling-core`, so no
//! caller can race them. An acknowledged write (`Ok`) is durable.

#[cfg(feature = "conformance")]
pub mod conformance;
pub mod model;
pub mod portable;

pub use model::*;

use async_trait::async_trait;
use starling_core::{Refusal, TweetId, UserId};
use std::sync::Arc;

/// Why a storage operation did not happen: a domain refusal decided in the transaction
/// (passed on unchanged), or a backend concern.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The domain's rules refuse the write (or the row is missing or hidden).
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The backend is saturated; the caller should retry later.
    #[error("storage is overloaded")]
    Overloaded,
    /// An I/O or driver failure, with its source for the logs; never shown to clients.
    #[error("storage failure")]
    Internal(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// A backend failure, keeping `source` (and its chain) for the logs.
    pub fn internal(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Arc::new(source))
    }

    /// A backend failure described in words (no underlying error to keep).
    pub fn message(message: impl Into<String>) -> Self {
        #[derive(Debug, thiserror::Error)]
        #[error("{0}")]
        struct Message(String);
        Self::internal(Message(message.into()))
    }

    /// The refusal, when the domain refused.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            StoreError::Refused(r) => Some(r),
            _ => None,
        }
    }
}

impl From<starling_core::IllegalTransition> for StoreError {
    fn from(e: starling_core::IllegalTransition) -> Self {
        Refusal::from(e).into()
    }
}

/// Tests compare outcomes with the refusal they expect.
impl PartialEq<Refusal> for StoreError {
    fn eq(&self, other: &Refusal) -> bool {
        self.refusal() == Some(other)
    }
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

/// Profiles and the social graph: follows (and requests to follow protected accounts),
/// blocks and mutes, with follower and following counts kept in the same transaction as
/// the rows they count.
#[async_trait]
pub trait GraphStore: Send + Sync {
    /// The profile of `user`, whatever anyone's relationship to them.
    async fn profile(&self, user: UserId) -> Result<Option<Profile>>;
    /// Missing user: not found.
    async fn update_profile(&self, change: ProfileChange) -> Result<Profile>;
    /// Apply `change` and answer how the actor now stands towards the other. Acting on
    /// oneself is invalid; on a missing user, not found; following (or accepting) across
    /// a block is refused (`Refusal::Blocked`); accepting or rejecting a request that
    /// does not exist is not found.
    async fn change_graph(&self, change: GraphChange) -> Result<Relationship>;
    /// How `viewer` stands towards `other`.
    async fn relationship(&self, viewer: UserId, other: UserId) -> Result<Relationship>;
    /// How `viewer` stands towards each of `others`, in their order (what the visibility
    /// policy asks for every author in a page of tweets).
    async fn relationships(&self, viewer: UserId, others: &[UserId]) -> Result<Vec<Relationship>>;
    async fn list_users(&self, query: UserListQuery) -> Result<Vec<Listed>>;
    /// The users `user` blocks or is blocked by, and those they mute, in no order.
    async fn hidden_authors(&self, user: UserId) -> Result<Hidden>;
    /// Up to `limit` accounts for `viewer` to follow: the most followed first, leaving
    /// out themselves and everyone they follow, asked to follow, block, are blocked by
    /// or mute.
    async fn suggestions(&self, viewer: UserId, limit: usize) -> Result<Vec<Profile>>;
    /// Up to `limit` users whose username or display name starts with `prefix`
    /// (case-insensitively), leaving out users `viewer` blocks or is blocked by.
    async fn search_users(
        &self,
        prefix: &str,
        viewer: Option<UserId>,
        limit: usize,
    ) -> Result<Vec<User>>;
}

/// Tweets, their immutable event log and their versions. Each write is one transaction
/// that appends an event.
#[async_trait]
pub trait TweetStore: Send + Sync {
    async fn create_tweet(&self, create: CreateTweet) -> Result<Created>;
    async fn edit_tweet(&self, edit: EditTweet) -> Result<Changed>;
    /// Publish, archive or delete. Publishing a draft draws it a new position (it lists
    /// as if posted now) and sets its `created_at` to now: a tweet's time is when it was
    /// put in view; the draft's own times stay in its events and versions.
    async fn transition(&self, change: Transition) -> Result<Changed>;
    async fn restore_version(&self, restore: RestoreVersion) -> Result<Changed>;

    // These return rows in any state: visibility is the caller's rule.
    async fn tweet(&self, id: TweetId) -> Result<Option<TweetRecord>>;
    /// The tweets among `ids` that exist, in any order: one trip to the store for a
    /// page's worth of cache misses.
    async fn tweets(&self, ids: &[TweetId]) -> Result<Vec<TweetRecord>>;
    async fn list_tweets(&self, query: TweetQuery) -> Result<Vec<TweetRecord>>;
    /// The tweets of a conversation (`conversation_id`) in outline, in any state, oldest
    /// first, at most `limit`.
    async fn conversation(&self, conversation: TweetId, limit: usize) -> Result<Vec<Outline>>;
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

/// Home timelines: the outbox of deliveries (recorded by the writes of the other
/// aggregates, in their transactions) and the reads that rebuild a timeline from the
/// truth (follows and tweets). The timelines themselves are a cache above the store.
#[async_trait]
pub trait TimelineStore: Send + Sync {
    /// Claim up to `limit` deliveries not claimed, or whose claim ran out, by `now`,
    /// oldest first, until `until` (Unix ms). Concurrent claimers (other nodes) never get
    /// the same delivery while a claim holds.
    async fn claim_deliveries(&self, now: i64, until: i64, limit: usize) -> Result<Vec<Delivery>>;
    /// Deliveries carried out: removed from the outbox.
    async fn finish_deliveries(&self, ids: &[i64]) -> Result<()>;
    /// What waits in the outbox.
    async fn delivery_backlog(&self) -> Result<Backlog>;
    /// Up to `limit` followers of `author` (approved follows), in the order they followed,
    /// after `after`.
    async fn followers_page(
        &self,
        author: UserId,
        after: Option<FollowerCursor>,
        limit: usize,
    ) -> Result<Vec<(UserId, FollowerCursor)>>;
    /// Every account `user` follows.
    async fn followees(&self, user: UserId) -> Result<Vec<UserId>>;
    /// The newest tweets and retweet entries by `authors` that are in view for someone
    /// (published or edited; drafts, archived and deleted tweets are not), positioned
    /// below `before`, at most `limit`, newest first by position. The visibility level is the caller's rule.
    async fn recent_entries(
        &self,
        authors: &[UserId],
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Vec<Entry>>;
    /// The authors whose tweets are merged into their followers' timelines at read time
    /// (too many followers to fan out to), among those `user` follows.
    async fn merged_followees(&self, user: UserId) -> Result<Vec<UserId>>;
    /// `hidden_authors` and `merged_followees` of `user`, in one read.
    async fn home_context(&self, user: UserId) -> Result<HomeContext>;
    /// Whether `author` is merged at read time.
    async fn is_merged(&self, author: UserId) -> Result<bool>;
    /// Mark `author` as merged at read time (`true`) or no longer (`false`).
    async fn set_merged(&self, author: UserId, merged: bool, now: i64) -> Result<()>;
}

/// Notifications: made by the delivery workers (idempotently), read in pages, one by one
/// or grouped, with a read mark per user. Undoing a like or retweet removes its
/// notification in the same transaction (`EngagementStore::engage`).
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Make these; answers those made now (not those made before).
    async fn notify(&self, new: Vec<NewNotification>) -> Result<Vec<NotificationRecord>>;
    /// Newest first.
    async fn notifications(&self, query: NotificationQuery) -> Result<Vec<NotificationRecord>>;
    /// Groups by kind and tweet, the group with the newest notification first.
    async fn notification_groups(&self, query: NotificationQuery)
    -> Result<Vec<NotificationGroup>>;
    /// Notifications newer than the user's read mark (with the same leaving out).
    async fn unread_notifications(&self, user: UserId) -> Result<u64>;
    /// Move the read mark forward to `up_to` (never back); answers the mark.
    async fn mark_notifications_read(&self, user: UserId, up_to: i64) -> Result<i64>;
    /// The user's read mark (0: nothing read).
    async fn notifications_read_mark(&self, user: UserId) -> Result<i64>;
}

/// Media items: uploads, what processing made of them, and the blobs they refer to.
/// Attaching them to tweets is part of the tweet writes ([`TweetStore`]), which check
/// ownership, readiness and the set a tweet may carry in their transaction.
#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Record an upload, in state processing, with a fresh id.
    async fn create_media(&self, new: NewMedia) -> Result<MediaRecord>;
    /// Record the outcome of processing and the blobs a ready item refers to. Only an
    /// item still processing changes: otherwise (failed meanwhile as stalled, or
    /// deleted) `MediaNotFound`.
    async fn finish_media(&self, finish: FinishMedia) -> Result<MediaRecord>;
    async fn media(&self, id: starling_core::MediaId) -> Result<Option<MediaRecord>>;
    /// Change the description: the owner's item only (`MediaNotFound` otherwise), and
    /// only while it is attached to no tweet (`MediaAttached`).
    async fn describe_media(&self, describe: DescribeMedia) -> Result<MediaRecord>;
    /// Fail the items still processing past their deadline, and those of `node` (a
    /// node starting again has lost its jobs): none is left processing for ever.
    /// Answers how many were failed.
    async fn fail_stalled_media(&self, now: i64, node: Option<u16>) -> Result<u64>;
    /// Delete the items [`SweepMedia`] names (never one attached to a tweet); answers
    /// how many.
    async fn sweep_media(&self, sweep: SweepMedia) -> Result<u64>;
    /// Which of `keys` some media item refers to (the others may be deleted from the
    /// blob store).
    async fn referenced_blobs(&self, keys: &[String]) -> Result<Vec<String>>;
}

/// Everything Starling persists: one trait per aggregate, and this supertrait so wiring
/// stays one handle (`Arc<dyn Store>`). Implementations are cheap to share.
#[async_trait]
pub trait Store:
    AccountStore
    + GraphStore
    + TweetStore
    + EngagementStore
    + TimelineStore
    + NotificationStore
    + MediaStore
    + 'static
{
    /// Running totals over every aggregate.
    async fn totals(&self) -> Result<Totals>;
    /// Check the store's own invariants against its rows: every counter equals the rows
    /// it counts, every tweet's version and last event match its event log, the running
    /// totals match their rows, and the backend's own consistency check passes. Answers
    /// each violation in words; empty when sound. Slow: for tests and operators.
    async fn audit(&self) -> Result<Vec<String>>;
    /// Flush and close; later calls fail.
    async fn close(&self) -> Result<()>;
    /// Whether this process may keep copies of rows in memory right now: only while no
    /// other process writes to the store (a copy would miss their writes). `Some(epoch)`
    /// while it may; the epoch changes each time it becomes allowed again, and copies
    /// kept under another epoch are stale. SQLite: always (one process owns the file).
    /// PostgreSQL: while this node is the only live one.
    fn cache_epoch(&self) -> Option<u64>;
}
