//! Engagement actions a user can take on a tweet.

use crate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EngagementAction {
    Like,
    Unlike,
    Retweet,
    Unretweet,
    View,
}

impl EngagementAction {
    pub const ALL: [EngagementAction; 5] = [
        Self::Like,
        Self::Unlike,
        Self::Retweet,
        Self::Unretweet,
        Self::View,
    ];

    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Like => "like",
            Self::Unlike => "unlike",
            Self::Retweet => "retweet",
            Self::Unretweet => "unretweet",
            Self::View => "view",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == raw)
            .ok_or_else(|| {
                ValidationError::new(
                    "action",
                    "action must be one of like, unlike, retweet, unretweet, view",
                )
            })
    }
}
