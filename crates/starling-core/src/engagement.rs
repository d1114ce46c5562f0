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
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Ok(match raw {
            "like" => Self::Like,
            "unlike" => Self::Unlike,
            "retweet" => Self::Retweet,
            "unretweet" => Self::Unretweet,
            "view" => Self::View,
            _ => {
                return Err(ValidationError::new(
                    "action",
                    "action must be one of like, unlike, retweet, unretweet, view",
                ));
            }
        })
    }
}
