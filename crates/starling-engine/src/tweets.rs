//! Tweet writes: post, edit, restore and the lifecycle transitions. The store decides
//! each atomically; the engine then updates its cache and tells subscribers.

use crate::*;
use starling_core::visibility::is_public;
use starling_core::{Content, IdempotencyKey};

#[derive(Debug, Clone)]
pub struct NewPost {
    pub content: String,
    pub reply_to: Option<TweetId>,
    pub draft: bool,
    /// Parsed at the edge: the engine trusts its shape.
    pub idempotency_key: Option<IdempotencyKey>,
}

impl Engine {
    pub async fn post(&self, author: &User, post: NewPost) -> Result<(TweetView, bool)> {
        let content = Content::parse(&post.content)?;
        let now = self.clock.now();
        let request_hash = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(content.hash().0);
            h.update(post.reply_to.map_or(-1, |p| p.0).to_be_bytes());
            h.update([u8::from(post.draft)]);
            h.finalize().into()
        };
        let created = self
            .store
            .create_tweet(NewTweet {
                request_hash,
                author: author.id,
                content,
                reply_to: post.reply_to,
                draft: post.draft,
                idempotency_key: post.idempotency_key.map(|k| k.as_str().to_string()),
                now,
            })
            .await?;
        let record = Arc::new(created.tweet);
        if created.fresh {
            self.cache.insert_created(record.clone());
            self.created.add(now, 1);
            if let Some((parent, counters)) = created.parent {
                self.cache.update_counters(parent, counters);
                self.velocity.record(parent, now);
                self.emit_engagement(parent, counters);
            }
            if is_public(record.state, record.author.id) {
                self.emit(Event::Created(record.clone()));
            }
        }
        if created.fresh {
            // Nobody has liked or retweeted a tweet that did not exist a moment ago:
            // no need to ask the store.
            let engagement = self.engagement_of(&record, false, false, now);
            return Ok((TweetView { record, engagement }, true));
        }
        // An idempotent replay answers with the tweet as it is now, if still readable.
        let record = self.readable(record.id, Viewer::user(author.id)).await?;
        Ok((
            self.present_one(record, Viewer::user(author.id)).await?,
            false,
        ))
    }

    /// Apply an acknowledged change to the cache and tell subscribers.
    /// The store decided who may write and reported the state before, in its own
    /// transaction, so a concurrent write cannot make us emit the wrong event.
    pub(crate) fn changed(&self, changed: Changed) -> Arc<TweetRecord> {
        let before = changed.previous;
        let record = Arc::new(changed.tweet);
        self.cache.put(record.clone());
        if let Some((parent, counters)) = changed.parent {
            // A reply entered or left public view.
            self.cache.update_counters(parent, counters);
            if is_public(record.state, record.author.id) {
                self.velocity.record(parent, self.clock.now());
            }
            self.emit_engagement(parent, counters);
        }
        match (
            is_public(before, record.author.id),
            is_public(record.state, record.author.id),
        ) {
            (false, true) => self.emit(Event::Created(record.clone())),
            (true, true) => self.emit(Event::Updated(record.clone())),
            (true, false) => self.emit(Event::Removed(record.id)),
            (false, false) => {}
        }
        record
    }

    pub async fn edit(
        &self,
        user: &User,
        id: TweetId,
        content: &str,
        expected_version: Option<i64>,
    ) -> Result<TweetView> {
        // Who may edit is decided before what they sent is judged: a stranger's invalid
        // edit is refused as forbidden, never as invalid (the store decides again,
        // atomically).
        let current = self.readable(id, Viewer::user(user.id)).await?;
        if current.author.id != user.id {
            return Err(StoreError::Forbidden.into());
        }
        let content = Content::parse(content)?;
        let changed = self
            .store
            .edit_tweet(EditTweet {
                id,
                actor: user.id,
                content,
                expected_version,
                now: self.clock.now(),
            })
            .await?;
        let record = self.changed(changed);
        self.present_one(record, Viewer::user(user.id)).await
    }

    pub async fn restore(&self, user: &User, id: TweetId, version: i64) -> Result<TweetView> {
        let changed = self
            .store
            .restore_version(RestoreVersion {
                id,
                actor: user.id,
                version,
                now: self.clock.now(),
            })
            .await?;
        let record = self.changed(changed);
        self.present_one(record, Viewer::user(user.id)).await
    }

    pub async fn transition(
        &self,
        user: &User,
        id: TweetId,
        kind: TransitionKind,
    ) -> Result<Option<TweetView>> {
        let changed = self
            .store
            .transition(Transition {
                id,
                actor: user.id,
                kind,
                now: self.clock.now(),
            })
            .await?;
        let record = self.changed(changed);
        if record.state == TweetState::Deleted {
            return Ok(None);
        }
        Ok(Some(self.present_one(record, Viewer::user(user.id)).await?))
    }
}
