//! Records the store reads and writes.

use starling_core::{Content, ContentHash, TweetId, TweetState, UserId};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub now: i64,
}

/// Engagement counters of a tweet, with the row revision they were read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    pub likes: i64,
    pub retweets: i64,
    pub replies: i64,
    pub views: i64,
    /// Bumped by every change to the tweet row, so caches can order updates.
    pub rev: i64,
}

/// A tweet as stored: current version, state and counters.
#[derive(Debug, Clone)]
pub struct TweetRecord {
    pub id: TweetId,
    pub author: Arc<User>,
    pub content: Arc<str>,
    pub content_hash: ContentHash,
    /// Entities of the current content, as JSON (stored once per body).
    pub entities_json: Arc<str>,
    pub version: i64,
    pub state: TweetState,
    pub created_at: i64,
    pub updated_at: i64,
    pub reply_to: Option<TweetId>,
    pub counters: Counters,
}

#[derive(Debug, Clone)]
pub struct NewTweet {
    pub author: UserId,
    pub content: Content,
    pub reply_to: Option<TweetId>,
    pub draft: bool,
    pub idempotency_key: Option<String>,
    /// A hash of what was asked (content, reply, draft): an idempotency key reused with
    /// a different request is refused rather than answered with the first tweet.
    pub request_hash: [u8; 32],
    pub now: i64,
}

/// A signed-in session's id: what a user sees in their list of sessions and revokes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub i64);

/// A bearer token's session. Only the token's hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user: UserId,
    pub created_at: i64,
    pub last_used_at: i64,
    /// Unix ms after which the token no longer authenticates.
    pub expires_at: i64,
    pub token_hash: [u8; 32],
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: [u8; 32],
    pub user: UserId,
    pub now: i64,
    pub expires_at: i64,
}

/// Which sessions to end.
#[derive(Debug, Clone)]
pub enum RevokeSessions {
    /// The one a token opens (logout).
    Token([u8; 32]),
    /// One of `user`'s own sessions; another user's answers not found.
    One { user: UserId, id: SessionId },
    /// Every session of the user (logout everywhere).
    AllOf(UserId),
}

/// The outcome of `create_tweet`.
#[derive(Debug, Clone)]
pub struct Created {
    pub tweet: TweetRecord,
    /// False when an idempotency key matched an earlier tweet: nothing was created.
    pub fresh: bool,
    /// The replied-to tweet's new counters, when this created a reply.
    pub parent: Option<(TweetId, Counters)>,
}

/// The outcome of a write to an existing tweet: the tweet after it, and the state it
/// was in before, read in the same transaction (so callers never race to learn it).
#[derive(Debug, Clone)]
pub struct Changed {
    pub tweet: TweetRecord,
    pub previous: TweetState,
    /// When the change made a reply enter or leave public view: its parent and the
    /// parent's new counters (replies count only while publicly visible).
    pub parent: Option<(TweetId, Counters)>,
}

#[derive(Debug, Clone)]
pub struct EditTweet {
    pub id: TweetId,
    pub actor: UserId,
    pub content: Content,
    pub expected_version: Option<i64>,
    pub now: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionKind {
    Publish,
    Archive,
    Delete,
}

#[derive(Debug, Clone)]
pub struct Transition {
    pub id: TweetId,
    pub actor: UserId,
    pub kind: TransitionKind,
    pub now: i64,
}

#[derive(Debug, Clone)]
pub struct RestoreVersion {
    pub id: TweetId,
    pub actor: UserId,
    pub version: i64,
    pub now: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Toggle {
    Like,
    Unlike,
    Retweet,
    Unretweet,
}

#[derive(Debug, Clone)]
pub struct Engage {
    pub id: TweetId,
    pub user: UserId,
    pub toggle: Toggle,
    pub now: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engaged {
    pub counters: Counters,
    /// False when the toggle was already in effect (liking twice).
    pub changed: bool,
    pub liked: bool,
    pub retweeted: bool,
}

/// Which tweets to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct TweetQuery {
    pub author: Option<UserId>,
    /// Lower-cased hashtag without `#`.
    pub hashtag: Option<String>,
    /// Only these states: the caller says which, always (none asked, none listed).
    pub states: Vec<TweetState>,
    /// Only ids strictly below this one (the cursor).
    pub before: Option<TweetId>,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRecord {
    pub version: i64,
    pub content: String,
    pub content_hash: ContentHash,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Edited,
    Published,
    Archived,
    Deleted,
    Restored,
}

impl EventKind {
    pub fn code(self) -> i64 {
        self as i64
    }
    pub fn from_code(code: i64) -> Option<Self> {
        use EventKind::*;
        [Created, Edited, Published, Archived, Deleted, Restored]
            .get(usize::try_from(code).ok()?)
            .copied()
    }
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Edited => "edited",
            EventKind::Published => "published",
            EventKind::Archived => "archived",
            EventKind::Deleted => "deleted",
            EventKind::Restored => "restored",
        }
    }
    /// Events that produce a new version of the content.
    pub fn adds_version(self) -> bool {
        matches!(
            self,
            EventKind::Created | EventKind::Edited | EventKind::Restored
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub seq: i64,
    pub kind: EventKind,
    pub version: i64,
    pub content_hash: ContentHash,
    pub actor: UserId,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Tweets in any state but deleted.
    pub tweets: i64,
    pub versions: i64,
    pub bodies: i64,
    pub likes: i64,
    pub retweets: i64,
    pub replies: i64,
    pub views: i64,
}
