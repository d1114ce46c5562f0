//! The commands a backend carries out (each one transaction) and the outcomes it
//! answers with. The records themselves are `starling_core::records`, re-exported here.

pub use starling_core::graph::{GraphAction, Relationship};
pub use starling_core::media::{
    AltText, Attachment, MediaFile, MediaKind, MediaRecord, MediaState, Processed,
};
pub use starling_core::records::*;
use starling_core::{
    Action, Content, EngagementAction, NewTweet, TweetId, TweetState, UserId, Visibility,
};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub now: i64,
}

/// Create a tweet: `tweet` is what the author asked for, already validated; `placed`
/// what the engine decided from the parent and the graph (visibility, mentions). The
/// store takes the conversation and the replied-to author from the parent row itself.
#[derive(Debug, Clone)]
pub struct CreateTweet {
    pub author: UserId,
    pub tweet: NewTweet,
    pub placed: Placement,
    pub now: i64,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: [u8; 32],
    pub user: UserId,
    pub now: i64,
    pub expires_at: i64,
}

impl NewSession {
    /// The session as stored under `id`.
    pub fn stored_as(&self, id: SessionId) -> Session {
        Session {
            id,
            user: self.user,
            created_at: self.now,
            last_used_at: self.now,
            expires_at: self.expires_at,
            token_hash: self.token_hash,
        }
    }
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
    /// The quoted tweet's new counters, when this created a counted quote.
    pub quoted: Option<(TweetId, Counters)>,
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
    /// Likewise for a quote and the tweet it quotes.
    pub quoted: Option<(TweetId, Counters)>,
}

#[derive(Debug, Clone)]
pub struct EditTweet {
    pub id: TweetId,
    pub actor: UserId,
    pub content: Content,
    /// The new content's mentions, resolved.
    pub mentions: Arc<[Mention]>,
    pub expected_version: Option<i64>,
    /// The new version's media (`None`: the current version's, unchanged).
    pub media: Option<Vec<starling_core::MediaId>>,
    pub now: i64,
}

#[derive(Debug, Clone)]
/// Publish, archive or delete (edit and restore carry content: [`EditTweet`],
/// [`RestoreVersion`]).
pub struct Transition {
    pub id: TweetId,
    pub actor: UserId,
    pub action: Action,
    pub now: i64,
}

impl Transition {
    /// The event a transition appends. Edit and restore carry content and have their
    /// own commands ([`EditTweet`], [`RestoreVersion`]): asked here, they are a bug.
    pub fn event_kind(&self) -> crate::Result<EventKind> {
        match self.action {
            Action::Publish => Ok(EventKind::Published),
            Action::Archive => Ok(EventKind::Archived),
            Action::Delete => Ok(EventKind::Deleted),
            Action::Edit | Action::Restore => Err(crate::StoreError::message(
                "edit and restore carry content: use edit_tweet or restore_version",
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RestoreVersion {
    pub id: TweetId,
    pub actor: UserId,
    pub version: i64,
    /// The restored content's mentions, resolved again now.
    pub mentions: Arc<[Mention]>,
    pub now: i64,
}

#[derive(Debug, Clone)]
pub struct Engage {
    pub id: TweetId,
    pub user: UserId,
    /// Like, unlike, retweet or unretweet (views are counted through `add_views`).
    pub action: EngagementAction,
    pub now: i64,
}

#[derive(Debug, Clone)]
pub struct Engaged {
    pub counters: Counters,
    /// False when the action was already in effect (liking twice).
    pub changed: bool,
    pub liked: bool,
    pub retweeted: bool,
    /// After a retweet, the user's retweet entry (new or earlier; `None` for a retweet
    /// made before retweets were entries). After an unretweet that removed one, the
    /// entry as it is now (deleted). Otherwise `None`.
    pub entry: Option<TweetRecord>,
}

/// Which tweets to list, newest first by position (where each sits in lists).
#[derive(Debug, Clone, Default)]
pub struct TweetQuery {
    pub author: Option<UserId>,
    /// Lower-cased hashtag without `#`.
    pub hashtag: Option<String>,
    /// Only these states: the caller says which, always (none asked, none listed).
    pub states: Vec<TweetState>,
    /// Only these visibility levels, likewise.
    pub visibilities: Vec<Visibility>,
    /// Leave replies out.
    pub no_replies: bool,
    /// Include retweet entries (user lists do; public and hashtag lists do not).
    pub with_retweets: bool,
    /// Only quotes of this tweet.
    pub quote_of: Option<TweetId>,
    /// Only positions strictly below this one (the cursor: the last position listed).
    pub before: Option<TweetId>,
    pub limit: usize,
}

/// A user's public profile: who they are, what they say about themselves, their counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub user: User,
    pub bio: String,
    /// Followers must be approved (follows become requests).
    pub protected: bool,
    pub followers: i64,
    pub following: i64,
    /// Their tweets in public view (published or edited).
    pub tweets: i64,
}

/// Change some of a profile's fields (each `None` stays as it is). Unprotecting an
/// account accepts its pending follow requests, in the same transaction.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub user: UserId,
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub protected: Option<bool>,
    pub now: i64,
}

/// `actor` does `action` about `other`, in one transaction.
#[derive(Debug, Clone, Copy)]
pub struct GraphChange {
    pub actor: UserId,
    pub other: UserId,
    pub action: GraphAction,
    pub now: i64,
}

/// A list of users around one user, newest entry first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserList {
    /// Who follows the user.
    Followers,
    /// Whom the user follows.
    Following,
    /// Who asked to follow the user and waits.
    FollowRequests,
    /// Whom the user blocks.
    Blocks,
    /// Whom the user mutes.
    Mutes,
}

/// One page of a [`UserList`].
#[derive(Debug, Clone, Copy)]
pub struct UserListQuery {
    pub list: UserList,
    pub user: UserId,
    /// Entries strictly older than this position (`(since, user id)` of the last entry
    /// of the previous page).
    pub before: Option<(i64, UserId)>,
    pub limit: usize,
}

/// An entry of a [`UserList`]: the user, and since when (Unix ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub user: User,
    pub since: i64,
}

/// Whom one user never sees in lists: those blocked either way, and those they mute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    pub blocked: Vec<UserId>,
    pub muted: Vec<UserId>,
}

/// A tweet of a conversation without its text: what a thread is laid out from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub id: TweetId,
    /// Where it lists (a reply drafted and published later is as new as its publication).
    pub position: TweetId,
    pub reply_to: Option<TweetId>,
    pub author: UserId,
    pub state: TweetState,
    pub visibility: Visibility,
    pub mentions: Arc<[Mention]>,
    /// Likes, retweets and replies together.
    pub engagement: i64,
}

impl Outline {
    pub fn facts(&self) -> starling_core::Facts<'_> {
        starling_core::Facts {
            state: self.state,
            author: self.author,
            visibility: self.visibility,
            mentions: &self.mentions,
        }
    }
}

/// One entry of a home timeline: a tweet or a retweet entry, and who posted it (the
/// retweeter, for a retweet). Ordered newest first by position (then id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entry {
    /// The tweet's position ([`starling_core::TweetRecord::position`]); field order
    /// matters: the derived order is by position first.
    pub position: TweetId,
    pub id: TweetId,
    pub author: UserId,
}

/// Work recorded in the outbox in the same transaction as what caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryKind {
    /// A tweet or retweet entry entered view (posted, or a draft published): it goes to
    /// its author's followers' home timelines.
    Post(Entry),
    /// `follower` started following `followee`: the followee's recent tweets go into
    /// the follower's home timeline, and the followee is notified.
    Follow { follower: UserId, followee: UserId },
    /// `liker` liked `tweet` by `author`: the author is notified.
    Like {
        liker: UserId,
        tweet: TweetId,
        author: UserId,
    },
    /// `requester` asked to follow `target` (a protected account): the target is notified.
    FollowRequest { requester: UserId, target: UserId },
}

/// A claimed delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub kind: DeliveryKind,
    /// When the write that recorded it happened (Unix ms): the start of its latency.
    pub created_at: i64,
    /// How many times it was claimed before (a worker died or failed with it).
    pub attempts: i64,
}

/// Deliveries waiting in the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    pub waiting: u64,
    /// When the oldest waiting one was recorded (Unix ms).
    pub oldest: Option<i64>,
}

/// What every home read needs about its viewer, read at once: whom they never see in
/// lists, and the authors they follow whose tweets are merged at read time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeContext {
    pub hidden: Hidden,
    pub merged: Vec<UserId>,
}

/// Where a page of followers (in the order they followed) continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowerCursor {
    pub followed_at: i64,
    pub follower: UserId,
}

/// What a notification says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NotificationKind {
    Follow,
    FollowRequest,
    Mention,
    Reply,
    Like,
    Retweet,
    Quote,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 7] = [
        Self::Follow,
        Self::FollowRequest,
        Self::Mention,
        Self::Reply,
        Self::Like,
        Self::Retweet,
        Self::Quote,
    ];

    /// Stable small integers for storage.
    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.get(usize::try_from(code).ok()?).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Follow => "follow",
            Self::FollowRequest => "follow_request",
            Self::Mention => "mention",
            Self::Reply => "reply",
            Self::Like => "like",
            Self::Retweet => "retweet",
            Self::Quote => "quote",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The set of `kinds` as a bit mask (bit `code`), how stores filter by kind.
    pub fn mask(kinds: &[NotificationKind]) -> i64 {
        kinds.iter().fold(0, |m, k| m | (1 << k.code()))
    }
}

/// A notification to make (at most once per recipient, kind, actor and tweet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewNotification {
    pub recipient: UserId,
    pub kind: NotificationKind,
    pub actor: UserId,
    /// The tweet concerned: the liked, retweeted or quoted one, the reply, the mention;
    /// none for follows.
    pub tweet: Option<TweetId>,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationRecord {
    /// Grows with each notification made; what pages and the read mark count in.
    pub id: i64,
    pub recipient: UserId,
    pub kind: NotificationKind,
    pub actor: UserId,
    pub tweet: Option<TweetId>,
    pub created_at: i64,
}

/// The notifications of one kind about one tweet (all follows, all follow requests),
/// as one entry: "Ada and 12 others liked your tweet".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationGroup {
    pub kind: NotificationKind,
    pub tweet: Option<TweetId>,
    /// The newest notification's id (the group's place in the list).
    pub latest: i64,
    pub latest_at: i64,
    pub count: i64,
    /// The newest actors, newest first, at most three.
    pub actors: Vec<UserId>,
}

/// A page of a user's notifications: those (or the groups whose newest is) older than
/// `before`, of `kinds` (all when empty), at most `limit`. Actors the recipient blocks,
/// is blocked by or mutes, and tweets no longer in view, are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationQuery {
    pub recipient: UserId,
    pub before: Option<i64>,
    pub limit: usize,
    pub kinds: Vec<NotificationKind>,
}

impl NotificationQuery {
    /// The kinds as a mask, every kind when none is named.
    pub fn mask(&self) -> i64 {
        match self.kinds.is_empty() {
            true => NotificationKind::mask(&NotificationKind::ALL),
            false => NotificationKind::mask(&self.kinds),
        }
    }
}

/// An upload about to be processed by node `node`, which answers for it until
/// `deadline` (after which it is failed: see [`crate::MediaStore::fail_stalled_media`]).
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub owner: UserId,
    pub kind: MediaKind,
    pub alt_text: AltText,
    pub node: u16,
    pub deadline: i64,
    pub now: i64,
}

impl NewMedia {
    /// The item as every backend records it: processing, attached to nothing.
    pub fn record(&self, id: starling_core::MediaId) -> MediaRecord {
        MediaRecord {
            id,
            owner: self.owner,
            kind: self.kind,
            state: MediaState::Processing,
            alt_text: self.alt_text.as_str().to_owned(),
            processed: None,
            error: None,
            tweet: None,
            created_at: self.now,
            updated_at: self.now,
        }
    }
}

/// What processing made of an upload: ready with its files, or failed with a reason in
/// words for the uploader.
#[derive(Debug, Clone)]
pub struct FinishMedia {
    pub id: starling_core::MediaId,
    pub outcome: std::result::Result<Processed, String>,
    pub now: i64,
}

/// A new description, by the item's owner.
#[derive(Debug, Clone)]
pub struct DescribeMedia {
    pub id: starling_core::MediaId,
    pub owner: UserId,
    pub alt_text: AltText,
    pub now: i64,
}

/// Which media items to delete: never attached and created before `unattached_before`,
/// or failed and last changed before `failed_before`; at most `limit` of them.
#[derive(Debug, Clone, Copy)]
pub struct SweepMedia {
    pub unattached_before: i64,
    pub failed_before: i64,
    pub limit: usize,
}
