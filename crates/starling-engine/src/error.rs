//! Why an engine call did not do what was asked.

use starling_core::{TweetState, ValidationError};
use starling_store::StoreError;

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
