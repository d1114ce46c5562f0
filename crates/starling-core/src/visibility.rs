//! The one visibility policy: given a tweet and who is looking, whether the tweet is
//! hidden from them, readable, or also engageable. Every read path (through
//! `Engine::readable` and the list filter) and every store transaction that decides on a
//! tweet asks [`access`]; nothing else decides.
//!
//! Key decision: the viewer is a context struct, not a bare user id, so that what the
//! social graph adds (follows, blocks, mutes, protected accounts, visibility levels)
//! extends [`Viewer`] and [`access`] without touching a single call site.

use crate::{TweetState, UserId};

/// Who is looking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewer {
    /// The signed-in user, if any.
    pub user: Option<UserId>,
}

impl Viewer {
    /// A client without a token: sees what everyone sees.
    pub const ANONYMOUS: Viewer = Viewer { user: None };

    pub fn user(id: UserId) -> Self {
        Self { user: Some(id) }
    }

    pub fn is(&self, user: UserId) -> bool {
        self.user == Some(user)
    }
}

impl From<Option<UserId>> for Viewer {
    fn from(user: Option<UserId>) -> Self {
        Self { user }
    }
}

/// What a viewer may do with a tweet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Answered exactly like a tweet that does not exist.
    Hidden,
    /// Visible, but read-only for this viewer (the author's own draft or archived tweet).
    Readable,
    /// Visible and open to likes, retweets, replies and views.
    Engageable,
}

impl Access {
    pub fn can_read(self) -> bool {
        self >= Access::Readable
    }
    pub fn can_engage(self) -> bool {
        self == Access::Engageable
    }
}

/// The policy.
pub fn access(state: TweetState, author: UserId, viewer: &Viewer) -> Access {
    match state {
        TweetState::Published | TweetState::Edited => Access::Engageable,
        TweetState::Draft | TweetState::Archived if viewer.is(author) => Access::Readable,
        TweetState::Draft | TweetState::Archived | TweetState::Deleted => Access::Hidden,
    }
}

/// Whether everyone may read the tweet: what the live stream carries and what counts
/// on a parent as a reply.
pub fn is_public(state: TweetState, author: UserId) -> bool {
    access(state, author, &Viewer::ANONYMOUS).can_read()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TweetState::*;

    #[test]
    fn the_policy() {
        let (a, b) = (UserId(1), UserId(2));
        let anon = Viewer::ANONYMOUS;
        for (state, viewer, expected) in [
            (Published, anon, Access::Engageable),
            (Edited, Viewer::user(b), Access::Engageable),
            (Draft, Viewer::user(a), Access::Readable),
            (Archived, Viewer::user(a), Access::Readable),
            (Draft, Viewer::user(b), Access::Hidden),
            (Archived, anon, Access::Hidden),
            (Deleted, Viewer::user(a), Access::Hidden),
            (Deleted, anon, Access::Hidden),
        ] {
            assert_eq!(access(state, a, &viewer), expected, "{state:?} {viewer:?}");
        }
        assert!(is_public(Published, a) && !is_public(Draft, a));
    }
}
