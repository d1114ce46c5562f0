//! The one visibility policy: given a tweet and who is looking, whether the tweet is
//! hidden from them, readable, or also engageable. Every read path (through
//! `Engine::readable` and `Engine::visible`) asks [`access`]; nothing else decides.
//!
//! Key decision: the policy has two halves. The *lifecycle* half ([`lifecycle`]: drafts,
//! archived and deleted tweets) depends only on the tweet row, so a store transaction
//! can decide it atomically with a write. The *audience* half (visibility level, follows,
//! mentions, blocks) also depends on how the viewer stands with the author
//! ([`Standing`]), which the engine reads from the social graph just before it asks; a
//! write racing a graph change is then ordered as if it came first, which is what a user
//! who acted a moment earlier would have seen anyway.

use crate::records::Mention;
use crate::{Relationship, TweetState, UserId, ValidationError};
use serde::{Deserialize, Serialize};

/// Who may read a tweet, fixed when it is posted. Ordered from widest to narrowest.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Everyone, everywhere.
    #[default]
    Public,
    /// Anyone with the link and the author's profile and followers, but never public
    /// lists, hashtag lists, trends, search or the public stream.
    Unlisted,
    /// The author, their approved followers and the users mentioned in it.
    Followers,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Self::Public, Self::Unlisted, Self::Followers];

    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.get(usize::try_from(code).ok()?).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Unlisted => "unlisted",
            Self::Followers => "followers",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                ValidationError::new(
                    "visibility",
                    "visibility must be one of public, unlisted, followers",
                )
            })
    }

    /// The visibility of a new tweet: what was asked, else the parent's for a reply, else
    /// the author's default. A reply may not be wider than the tweet it answers.
    pub fn for_new_tweet(
        asked: Option<Visibility>,
        parent: Option<Visibility>,
        protected_author: bool,
    ) -> Result<Visibility, ValidationError> {
        let default = match parent {
            Some(p) => p,
            None if protected_author => Visibility::Followers,
            None => Visibility::Public,
        };
        let chosen = asked.unwrap_or(default);
        match parent {
            Some(p) if chosen < p => Err(ValidationError::new(
                "visibility",
                format!(
                    "a reply may not be wider than the tweet it answers ({})",
                    p.as_str()
                ),
            )),
            _ => Ok(chosen),
        }
    }

    /// Whether the tweet may appear in lists everyone reads (latest, hashtags, trends,
    /// the public stream).
    pub fn is_listed_publicly(self) -> bool {
        self == Visibility::Public
    }

    /// Whether anyone with the link may read it (what may be retweeted or quoted, and
    /// what counts on its parent as a reply).
    pub fn is_open(self) -> bool {
        self <= Visibility::Unlisted
    }
}

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

/// How the viewer stands with a tweet's author, as far as reading goes. Anonymous
/// viewers and authors reading their own tweets stand at the default (nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// The viewer is an approved follower of the author.
    pub follows: bool,
    /// A block stands between them, either way.
    pub blocked: bool,
    /// The viewer mutes the author: hidden from lists, not from direct reads.
    pub muting: bool,
}

impl From<Relationship> for Standing {
    /// From the viewer's relationship with the author.
    fn from(r: Relationship) -> Self {
        Self {
            follows: r.following,
            blocked: r.blocking || r.blocked_by,
            muting: r.muting,
        }
    }
}

/// What the policy needs to know of a tweet.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub state: TweetState,
    pub author: UserId,
    pub visibility: Visibility,
    /// The users its current version mentions.
    pub mentions: &'a [Mention],
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

/// The policy: the narrower of the lifecycle and the audience halves.
pub fn access(tweet: Facts<'_>, viewer: &Viewer, standing: Standing) -> Access {
    lifecycle(tweet.state, tweet.author, viewer).min(audience(tweet, viewer, standing))
}

/// Whether the tweet belongs in a list the viewer reads: readable, and not by someone
/// they mute. (A muted author's tweet still opens from a direct link.)
pub fn listable(tweet: Facts<'_>, viewer: &Viewer, standing: Standing) -> bool {
    access(tweet, viewer, standing).can_read() && (viewer.is(tweet.author) || !standing.muting)
}

/// The lifecycle half, which depends on the tweet row alone: what a store transaction
/// decides atomically with the write.
pub fn lifecycle(state: TweetState, author: UserId, viewer: &Viewer) -> Access {
    match state {
        TweetState::Published | TweetState::Edited => Access::Engageable,
        TweetState::Draft | TweetState::Archived if viewer.is(author) => Access::Readable,
        TweetState::Draft | TweetState::Archived | TweetState::Deleted => Access::Hidden,
    }
}

fn audience(tweet: Facts<'_>, viewer: &Viewer, standing: Standing) -> Access {
    let Some(user) = viewer.user else {
        return match tweet.visibility.is_open() {
            true => Access::Engageable,
            false => Access::Hidden,
        };
    };
    if user == tweet.author {
        return Access::Engageable;
    }
    if standing.blocked {
        return Access::Hidden;
    }
    let admitted = match tweet.visibility {
        Visibility::Public | Visibility::Unlisted => true,
        Visibility::Followers => standing.follows || tweet.mentions.iter().any(|m| m.user == user),
    };
    if admitted {
        Access::Engageable
    } else {
        Access::Hidden
    }
}

/// Whether everyone may read the tweet by its link: what counts on a parent as a reply.
pub fn is_public(state: TweetState, author: UserId, visibility: Visibility) -> bool {
    lifecycle(state, author, &Viewer::ANONYMOUS).can_read() && visibility.is_open()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TweetState::*;

    #[test]
    fn the_lifecycle_half() {
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
            assert_eq!(
                lifecycle(state, a, &viewer),
                expected,
                "{state:?} {viewer:?}"
            );
        }
        assert!(
            is_public(Published, a, Visibility::Unlisted)
                && !is_public(Draft, a, Visibility::Public)
        );
        assert!(!is_public(Published, a, Visibility::Followers));
    }

    #[test]
    fn the_audience_half() {
        let (author, other, named) = (UserId(1), UserId(2), UserId(3));
        let mentions = [Mention {
            name: "named".into(),
            user: named,
        }];
        let facts = |visibility| Facts {
            state: Published,
            author,
            visibility,
            mentions: &mentions,
        };
        let none = Standing::default();
        let follower = Standing {
            follows: true,
            ..none
        };
        let blocked = Standing {
            blocked: true,
            follows: false,
            muting: false,
        };
        use Visibility::*;
        let cases = [
            (Public, Viewer::ANONYMOUS, none, true),
            (Unlisted, Viewer::ANONYMOUS, none, true),
            (Followers, Viewer::ANONYMOUS, none, false),
            (Followers, Viewer::user(other), none, false),
            (Followers, Viewer::user(other), follower, true),
            (Followers, Viewer::user(named), none, true),
            (Followers, Viewer::user(author), none, true),
            (Public, Viewer::user(other), blocked, false),
            (Followers, Viewer::user(named), blocked, false),
        ];
        for (visibility, viewer, standing, readable) in cases {
            assert_eq!(
                access(facts(visibility), &viewer, standing).can_read(),
                readable,
                "{visibility:?} {viewer:?} {standing:?}"
            );
        }
        let muting = Standing {
            muting: true,
            ..none
        };
        assert!(access(facts(Public), &Viewer::user(other), muting).can_read());
        assert!(!listable(facts(Public), &Viewer::user(other), muting));
    }

    #[test]
    fn a_reply_is_never_wider_than_its_parent() {
        use Visibility::*;
        assert_eq!(Visibility::for_new_tweet(None, None, false), Ok(Public));
        assert_eq!(Visibility::for_new_tweet(None, None, true), Ok(Followers));
        assert_eq!(
            Visibility::for_new_tweet(None, Some(Unlisted), false),
            Ok(Unlisted)
        );
        assert_eq!(
            Visibility::for_new_tweet(Some(Followers), Some(Unlisted), false),
            Ok(Followers)
        );
        assert!(Visibility::for_new_tweet(Some(Public), Some(Followers), false).is_err());
        for v in Visibility::ALL {
            assert_eq!(Visibility::from_code(v.code()), Some(v));
            assert_eq!(Visibility::parse(v.as_str()), Ok(v));
        }
    }
}
