//! Why the domain refuses an act. One enum, decided wherever the rule is checked (inside
//! a store transaction, or in the engine) and passed through store and engine unchanged;
//! the HTTP layer maps each variant to a status and code in one place.

use crate::{IllegalTransition, TweetState, ValidationError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Input that breaks a rule; the error names the field.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// No such thing, or one the actor may not see: the two are told apart nowhere.
    #[error("not found")]
    NotFound,
    /// The actor may see the tweet, but only its author may do this.
    #[error("only the author may do this to the tweet")]
    NotAuthor,
    /// A stale expected version.
    #[error("version conflict: the current version is {current}")]
    VersionConflict { current: i64 },
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
    #[error("username is taken")]
    UsernameTaken,
    /// The tweet exists but does not accept engagement in its state.
    #[error("the tweet is {0} and does not accept engagement")]
    ReadOnly(TweetState),
    /// The tweet replied to does not exist or cannot be seen.
    #[error("the tweet replied to does not exist")]
    InvalidReply,
    /// The tweet quoted does not exist, cannot be seen, or may not be quoted (only
    /// public and unlisted tweets may).
    #[error("the tweet quoted does not exist or cannot be quoted")]
    InvalidQuote,
    /// A version number the tweet never had.
    #[error("the tweet has no such version")]
    NoSuchVersion,
    /// An idempotency key the author already used for a different request.
    #[error("this idempotency key was already used for a different request")]
    IdempotencyKeyReused,
    /// No credentials where they are required, or ones that no longer open a session.
    #[error("authentication required")]
    Unauthorized,
    #[error("wrong username or password")]
    InvalidCredentials,
    /// The actor may know the thing exists but not see this of it (a protected
    /// account's followers, say).
    #[error("this account's lists are visible only to its approved followers")]
    Hidden,
    /// A block stands between the two users (either way): no follow, no request.
    #[error("a block stands between these accounts")]
    Blocked,
    /// Too many failed sign-ins for the account or from the address.
    #[error("too many failed logins; retry in {retry_after} s")]
    TooManyAttempts { retry_after: u64 },
    /// A media item that does not exist or is not the actor's: told apart nowhere.
    #[error("no such media item")]
    MediaNotFound,
    /// A media item still processing (or failed) named in a tweet.
    #[error("the media item is not ready: wait until it is processed")]
    MediaNotReady,
    /// A media item attached to another tweet.
    #[error("the media item is attached to another tweet")]
    MediaInUse,
    /// The description of a media item attached to a tweet is fixed.
    #[error("the media item is attached to a tweet: its description can no longer change")]
    MediaAttached,
    /// A set of media a tweet may not carry.
    #[error("a tweet carries up to 4 images, or 1 GIF, or 1 video")]
    InvalidMediaSet,
    /// An upload of a type Starling does not accept (decided from its bytes).
    #[error("{0}")]
    UnsupportedMedia(String),
    /// An upload over a size limit.
    #[error("{0}")]
    MediaTooLarge(String),
    /// An upload that is corrupt, truncated, or over a limit on pixels or duration.
    #[error("{0}")]
    InvalidMedia(String),
}
