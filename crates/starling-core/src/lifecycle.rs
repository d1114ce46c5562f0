//! The tweet lifecycle and the one visibility rule every read path applies.
//!
//! `draft → published → edited → archived`, and `deleted` from any state.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TweetState {
    Draft,
    Published,
    Edited,
    Archived,
    Deleted,
}

/// Something a user does to a tweet that changes its state or content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Edit,
    Restore,
    Publish,
    Archive,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a tweet in state {from}")]
pub struct IllegalTransition {
    pub from: TweetState,
    pub action: Action,
}

impl TweetState {
    /// The state after `action`, or why it is not allowed.
    pub fn apply(self, action: Action) -> Result<TweetState, IllegalTransition> {
        use Action::*;
        use TweetState::*;
        let next = match (self, action) {
            (Draft, Edit | Restore) => Draft,
            (Published | Edited, Edit | Restore) => Edited,
            (Draft, Publish) => Published,
            (Published | Edited, Archive) => Archived,
            (Draft | Published | Edited | Archived, Delete) => Deleted,
            (from, action) => return Err(IllegalTransition { from, action }),
        };
        Ok(next)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TweetState::Draft => "draft",
            TweetState::Published => "published",
            TweetState::Edited => "edited",
            TweetState::Archived => "archived",
            TweetState::Deleted => "deleted",
        }
    }

    /// Every state, in code order.
    pub const ALL: [TweetState; 5] = [
        Self::Draft,
        Self::Published,
        Self::Edited,
        Self::Archived,
        Self::Deleted,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// Published or edited: what a profile's tweet count counts.
    pub fn in_public_view(self) -> bool {
        matches!(self, TweetState::Published | TweetState::Edited)
    }

    /// Stable small integers for storage.
    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.get(usize::try_from(code).ok()?).copied()
    }
}

impl fmt::Display for TweetState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Edit => "edit",
            Action::Restore => "restore",
            Action::Publish => "publish",
            Action::Archive => "archive",
            Action::Delete => "delete",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use TweetState::*;

    #[test]
    fn legal_transitions() {
        assert_eq!(Draft.apply(Publish), Ok(Published));
        assert_eq!(Draft.apply(Edit), Ok(Draft));
        assert_eq!(Published.apply(Edit), Ok(Edited));
        assert_eq!(Edited.apply(Restore), Ok(Edited));
        assert_eq!(Edited.apply(Archive), Ok(Archived));
        for s in [Draft, Published, Edited, Archived] {
            assert_eq!(s.apply(Delete), Ok(Deleted));
        }
    }

    #[test]
    fn illegal_transitions_name_themselves() {
        let e = Published.apply(Publish).unwrap_err();
        assert_eq!(e.to_string(), "cannot publish a tweet in state published");
        assert!(Draft.apply(Archive).is_err());
        assert!(Archived.apply(Edit).is_err());
        assert!(Archived.apply(Publish).is_err());
        for a in [Edit, Restore, Publish, Archive, Delete] {
            assert!(Deleted.apply(a).is_err());
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in [Draft, Published, Edited, Archived, Deleted] {
            assert_eq!(TweetState::from_code(s.code()), Some(s));
            assert_eq!(TweetState::parse(s.as_str()), Some(s));
        }
        assert_eq!(TweetState::from_code(9), None);
    }
}
