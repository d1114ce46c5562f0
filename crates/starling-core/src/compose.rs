//! What a user asks to post, validated: the one value that travels from the HTTP edge
//! through the engine into the store's transaction.

use crate::{Content, IdempotencyKey, MediaId, TweetId, Visibility};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct NewTweet {
    pub content: Content,
    pub reply_to: Option<TweetId>,
    /// The tweet it quotes.
    pub quote_of: Option<TweetId>,
    /// Saved as a draft instead of published.
    pub draft: bool,
    /// The visibility asked for (`None`: the default, see `Visibility::for_new_tweet`).
    pub visibility: Option<Visibility>,
    /// Retrying with the same key (and the same request) creates nothing.
    pub idempotency_key: Option<IdempotencyKey>,
    /// Uploaded media to attach, in order (checked by `media::check_ids`).
    pub media: Vec<MediaId>,
}

impl NewTweet {
    /// A tweet published at once, not a reply, without an idempotency key.
    pub fn published(content: Content) -> Self {
        Self {
            content,
            reply_to: None,
            quote_of: None,
            draft: false,
            visibility: None,
            idempotency_key: None,
            media: Vec::new(),
        }
    }

    /// What was asked, hashed (content, reply, draft, visibility, quote): an idempotency key reused with a
    /// different request is refused rather than answered with the first tweet. Every
    /// backend stores this same hash.
    pub fn request_hash(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.content.hash().0);
        h.update(self.reply_to.map_or(-1, |p| p.0).to_be_bytes());
        h.update([u8::from(self.draft)]);
        // Appended only when asked, so keys stored before visibility existed still match.
        if let Some(v) = self.visibility {
            h.update([v.code() as u8]);
        }
        if let Some(q) = self.quote_of {
            h.update(b"q");
            h.update(q.0.to_be_bytes());
        }
        if !self.media.is_empty() {
            h.update(b"m");
            for m in &self.media {
                h.update(m.0.to_be_bytes());
            }
        }
        h.finalize().into()
    }
}
