//! What Starling keeps, as every layer sees it: users, sessions, tweets with their
//! counters, versions and events. Storage backends read and write these; the engine and
//! the HTTP layer present them. Plain data, no I/O.

use crate::media::Attachment;
use crate::{ContentHash, NewTweet, TweetId, TweetState, UserId, Visibility};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub created_at: i64,
}

/// Engagement counters of a tweet, with the row revision they were read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counters {
    pub likes: i64,
    pub retweets: i64,
    pub replies: i64,
    /// Quotes of it readable by anyone with the link.
    pub quotes: i64,
    pub views: i64,
    /// Bumped by every change to the tweet row, so caches can order updates.
    pub rev: i64,
}

/// A tweet as stored: current version, state and counters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TweetRecord {
    pub id: TweetId,
    /// Where the tweet sits in lists, newest first (a Snowflake): its id, or for a draft
    /// published later, one drawn when it was published, so it lists where a tweet posted
    /// at that moment would. List cursors are positions.
    pub position: TweetId,
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
    /// The author of the tweet replied to.
    pub reply_to_user: Option<UserId>,
    /// The root of the reply chain (the tweet's own id when it is not a reply).
    pub conversation_id: TweetId,
    pub visibility: Visibility,
    /// The accounts the current version's `@mentions` named when it was written.
    pub mentions: Arc<[Mention]>,
    /// For a retweet: the tweet retweeted (the entry's author is the retweeter).
    pub retweet_of: Option<TweetId>,
    /// For a quote: the tweet quoted.
    pub quote_of: Option<TweetId>,
    /// The current version's media, in order.
    pub media: Arc<[Attachment]>,
    pub counters: Counters,
    /// What the HTTP layer rendered of this record, kept with it (see [`Rendered`]).
    #[serde(skip)]
    pub rendered: Rendered,
}

/// A slot for the bytes a presentation layer renders from a record alone (not from the
/// viewer or the clock), filled on first use and kept as long as the record: a cached
/// tweet is then rendered once, not on every page that shows it. A record is never
/// changed in place (a change is a new record), and a copy starts empty, since copies
/// are made to be changed.
#[derive(Default)]
pub struct Rendered(std::sync::OnceLock<Box<[u8]>>);

impl Rendered {
    pub fn get_or_init(&self, render: impl FnOnce() -> Box<[u8]>) -> &[u8] {
        self.0.get_or_init(render)
    }

    /// The rendering, if made already.
    pub fn get(&self) -> Option<&[u8]> {
        self.0.get().map(|b| &b[..])
    }

    /// Bytes held (0 until rendered).
    pub fn len(&self) -> usize {
        self.0.get().map_or(0, |b| b.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Clone for Rendered {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rendered({} bytes)", self.len())
    }
}

impl TweetRecord {
    /// `retweet`, `quote`, `reply` or `tweet` (the first that applies).
    pub fn kind(&self) -> &'static str {
        match (self.retweet_of, self.quote_of, self.reply_to) {
            (Some(_), _, _) => "retweet",
            (None, Some(_), _) => "quote",
            (None, None, Some(_)) => "reply",
            (None, None, None) => "tweet",
        }
    }

    /// What the visibility policy needs to know of the tweet.
    pub fn facts(&self) -> crate::Facts<'_> {
        crate::Facts {
            state: self.state,
            author: self.author.id,
            visibility: self.visibility,
            mentions: &self.mentions,
        }
    }
}

/// An `@mention` resolved to the account it named when the version was written: a
/// later rename does not move it to whoever takes the name next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The username as written, lower-cased.
    pub name: Box<str>,
    pub user: UserId,
}

impl Mention {
    /// The stored form of a tweet's mentions, the same in every backend:
    /// `name:id` separated by spaces (usernames hold neither).
    pub fn encode_all(mentions: &[Mention]) -> String {
        let parts: Vec<String> = mentions
            .iter()
            .map(|m| format!("{}:{}", m.name, m.user.0))
            .collect();
        parts.join(" ")
    }

    /// Reads [`Mention::encode_all`]'s form; what does not parse is skipped.
    pub fn decode_all(stored: &str) -> Arc<[Mention]> {
        stored
            .split(' ')
            .filter_map(|part| {
                let (name, id) = part.split_once(':')?;
                Some(Mention {
                    name: name.into(),
                    user: UserId(id.parse().ok()?),
                })
            })
            .collect()
    }
}

/// A signed-in session's id: what a user sees in their list of sessions and revokes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRecord {
    pub version: i64,
    pub content: String,
    pub content_hash: ContentHash,
    pub created_at: i64,
    /// The media this version carried.
    pub media: Arc<[Attachment]>,
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

impl TweetRecord {
    /// A tweet just created from `t`, as every backend stores it: version 1, no
    /// engagement yet, revision 1.
    pub fn created(
        id: TweetId,
        author: Arc<User>,
        t: &NewTweet,
        placed: &Placement,
        media: Arc<[Attachment]>,
        state: TweetState,
        now: i64,
    ) -> Self {
        Self {
            id,
            position: id,
            author,
            content: Arc::from(t.content.text()),
            content_hash: t.content.hash(),
            entities_json: Arc::from(t.content.entities_json()),
            version: 1,
            state,
            created_at: now,
            updated_at: now,
            reply_to: t.reply_to,
            reply_to_user: placed.reply_to_user,
            conversation_id: placed.conversation.unwrap_or(id),
            visibility: placed.visibility,
            mentions: placed.mentions.clone(),
            retweet_of: None,
            quote_of: t.quote_of,
            media,
            counters: Counters {
                rev: 1,
                ..Counters::default()
            },
            rendered: Rendered::default(),
        }
    }
}

/// Where a new tweet sits among others, decided with its parent and the social graph
/// before it is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    pub visibility: Visibility,
    /// Nothing chose the visibility (not asked, no parent): it is the author's default,
    /// which the store decides with the author's `protected` flag as it stands in the
    /// write's transaction (`followers` if protected, else `visibility`).
    pub author_default: bool,
    /// The parent's conversation, for a reply (`None`: the tweet starts its own).
    pub conversation: Option<TweetId>,
    pub reply_to_user: Option<UserId>,
    pub mentions: Arc<[Mention]>,
}

impl Placement {
    /// The visibility written for an author whose `protected` flag is `protected`.
    pub fn visibility_for(&self, protected: bool) -> Visibility {
        if self.author_default && protected {
            Visibility::Followers
        } else {
            self.visibility
        }
    }
}
