//! Starling's domain model, free of I/O.
//!
//! Layout: [`id`] (Snowflake ids), [`content`] (what a tweet body is and how it is
//! validated and addressed), [`lifecycle`] (states, transitions and the visibility rule),
//! [`account`] (usernames, passwords, display names), [`engagement`] (actions),
//! [`visibility`] (the one policy on who sees what), [`records`] (what is kept, as every
//! layer sees it), [`compose`] (what a user asks to post), [`refusal`] (why an act is refused),
//! [`settings`] (values configuration is made of: secrets, durations), [`media`] (attached media
//! and which a tweet may carry).
//!
//! Key decision: every rule that must hold atomically with a write (a legal transition,
//! who may edit, who may read) is a pure function here, so that each storage backend
//! applies the very same rule inside its own transaction.

pub mod account;
pub mod compose;
pub mod content;
pub mod engagement;
pub mod graph;
pub mod id;
pub mod lifecycle;
pub mod media;
pub mod records;
pub mod refusal;
pub mod settings;
pub mod text_rules;
pub mod visibility;

pub use account::{Bio, DisplayName, IdempotencyKey, Password, Username};
pub use compose::NewTweet;
pub use content::{Content, ContentHash};
pub use engagement::EngagementAction;
pub use graph::{GraphAction, Relationship};
pub use id::{MediaId, Snowflake, TweetId, UserId};
pub use lifecycle::{Action, IllegalTransition, TweetState};
pub use refusal::Refusal;
pub use visibility::{Access, Facts, Standing, Viewer, Visibility, access};

/// A rule broken by client input; `field` names the offending field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// Milliseconds since the Unix epoch, the one time unit stored anywhere.
pub type Millis = i64;

pub fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
