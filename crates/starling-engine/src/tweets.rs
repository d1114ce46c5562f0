//! Tweet writes: post, edit, restore and the lifecycle transitions. The store decides
//! each atomically; the engine then updates its cache and tells subscribers.

use crate::*;
use starling_core::Content;
use starling_core::records::{Mention, Placement};
use starling_core::visibility::{Visibility, is_public};

impl Engine {
    /// Post a tweet (or save a draft). Answers the tweet and whether it was created now
    /// (false: an idempotent replay of an earlier request).
    pub async fn create_tweet(
        &self,
        author: &User,
        mut tweet: NewTweet,
    ) -> Result<(TweetView, bool)> {
        // Quoting a retweet quotes its original.
        if let Some(quoted) = tweet.quote_of {
            tweet.quote_of = Some(self.quotable(author, quoted).await?);
        }
        let placed = self.place(author, &tweet).await?;
        let now = self.clock.now();
        let created = self
            .tweet_store()
            .create_tweet(CreateTweet {
                author: author.id,
                tweet,
                placed,
                now,
            })
            .await?;
        let record = Arc::new(created.tweet);
        if created.fresh {
            self.cache.insert_created(record.clone());
            self.entries_changed(author.id);
            self.created.add(now, 1);
            if let Some((parent, counters)) = created.parent {
                self.cache.update_counters(parent, counters);
                self.record_activity(parent, now);
                self.emit_engagement(parent, counters);
            }
            if let Some((quoted, counters)) = created.quoted {
                self.cache.update_counters(quoted, counters);
                self.emit_engagement(quoted, counters);
            }
            if streamed(&record) {
                self.emit(Event::Created(record.clone()));
            }
        }
        if created.fresh {
            // Nobody has liked or retweeted a tweet that did not exist a moment ago:
            // no need to ask the store.
            let engagement = self.engagement_of(&record, false, false, now);
            if record.quote_of.is_none() {
                return Ok((TweetView::plain(record, engagement), true));
            }
            // A quote shows what it quotes.
            let mut view = self.present_one(record, Viewer::user(author.id)).await?;
            view.engagement = engagement;
            return Ok((view, true));
        }
        // An idempotent replay answers with the tweet as it is now, if still readable.
        let record = self.readable(record.id, Viewer::user(author.id)).await?;
        Ok((
            self.present_one(record, Viewer::user(author.id)).await?,
            false,
        ))
    }

    /// The tweet a quote of `id` quotes (a retweet's original), if `author` may quote it:
    /// one they may engage with and anyone may read by its link. Otherwise the quote is
    /// refused exactly as one of a tweet that does not exist.
    async fn quotable(&self, author: &User, id: TweetId) -> Result<TweetId> {
        let viewer = Viewer::user(author.id);
        let mut quoted = match self.readable(id, viewer).await {
            Ok(quoted) => quoted,
            Err(EngineError::Refused(Refusal::NotFound)) => {
                return Err(Refusal::InvalidQuote.into());
            }
            Err(e) => return Err(e),
        };
        if let Some(original) = quoted.retweet_of {
            quoted = self.readable(original, viewer).await?;
        }
        if !quoted.visibility.is_open() || !self.access(&quoted, viewer).await?.can_engage() {
            return Err(Refusal::InvalidQuote.into());
        }
        Ok(quoted.id)
    }

    /// Decide what the store cannot: the visibility (asked, else the parent's, else the
    /// author's default; never wider than the parent) and whom the mentions name. The
    /// parent must be one the author may engage with, audience included; the store
    /// checks its lifecycle again in the write's transaction.
    async fn place(&self, author: &User, tweet: &NewTweet) -> Result<Placement> {
        let parent = match tweet.reply_to {
            Some(id) => {
                let viewer = Viewer::user(author.id);
                let parent = match self.readable(id, viewer).await {
                    Ok(parent) => parent,
                    Err(EngineError::Refused(Refusal::NotFound)) => {
                        return Err(Refusal::InvalidReply.into());
                    }
                    Err(e) => return Err(e),
                };
                if !self.access(&parent, viewer).await?.can_engage() {
                    return Err(Refusal::InvalidReply.into());
                }
                Some(parent.visibility)
            }
            None => None,
        };
        // The author's default matters only when nothing else decides; the store reads
        // `protected` in the write's transaction (no round trip here).
        Ok(Placement {
            visibility: Visibility::for_new_tweet(tweet.visibility, parent, false)?,
            author_default: tweet.visibility.is_none() && parent.is_none(),
            mentions: self.resolve_mentions(&tweet.content).await?,
            ..Placement::default()
        })
    }

    /// The accounts `content` mentions, as they are named now.
    async fn resolve_mentions(&self, content: &Content) -> Result<Arc<[Mention]>> {
        let mut mentions = Vec::with_capacity(content.mentions().len());
        for name in content.mentions() {
            if let Some(user) = self.account_store().user_by_username(name).await? {
                mentions.push(Mention {
                    name: name.as_str().into(),
                    user: user.id,
                });
            }
        }
        Ok(mentions.into())
    }

    /// Apply an acknowledged change to the cache and tell subscribers.
    /// The store decided who may write and reported the state before, in its own
    /// transaction, so a concurrent write cannot make us emit the wrong event.
    pub(crate) fn changed(&self, changed: Changed) -> Arc<TweetRecord> {
        let before = changed.previous;
        let record = Arc::new(changed.tweet);
        if record.state != before {
            self.entries_changed(record.author.id);
        }
        if record.state.in_public_view() && !before.in_public_view() {
            // Recorded in the outbox with the write: deliver it now.
            self.wake_deliveries();
        }
        self.cache.put(record.clone());
        if let Some((quoted, counters)) = changed.quoted {
            // A quote entered or left public view.
            self.cache.update_counters(quoted, counters);
            self.emit_engagement(quoted, counters);
        }
        if let Some((parent, counters)) = changed.parent {
            // A reply entered or left public view.
            self.cache.update_counters(parent, counters);
            if is_public(record.state, record.author.id, record.visibility) {
                self.record_activity(parent, self.clock.now());
            }
            self.emit_engagement(parent, counters);
        }
        let was_streamed = is_public(before, record.author.id, record.visibility);
        match (was_streamed, streamed(&record)) {
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
        media: Option<Vec<starling_core::MediaId>>,
    ) -> Result<TweetView> {
        // Who may edit is decided before what they sent is judged: a stranger's invalid
        // edit is refused as forbidden, never as invalid (the store decides again,
        // atomically).
        let current = self.readable(id, Viewer::user(user.id)).await?;
        if current.author.id != user.id {
            return Err(Refusal::NotAuthor.into());
        }
        refuse_on_retweet(&current)?;
        if let Some(ids) = &media {
            starling_core::media::check_ids(ids)?;
        }
        // Text may be empty while the new version carries media (the store checks
        // again, with the media it attaches).
        let with_media = media
            .as_ref()
            .map_or(!current.media.is_empty(), |m| !m.is_empty());
        let content = Content::parse_with(content, with_media)?;
        let mentions = self.resolve_mentions(&content).await?;
        let changed = self
            .tweet_store()
            .edit_tweet(EditTweet {
                id,
                actor: user.id,
                content,
                mentions,
                expected_version,
                media,
                now: self.clock.now(),
            })
            .await?;
        let record = self.changed(changed);
        self.present_one(record, Viewer::user(user.id)).await
    }

    pub async fn restore(&self, user: &User, id: TweetId, version: i64) -> Result<TweetView> {
        let current = self.readable(id, Viewer::user(user.id)).await?;
        if current.author.id == user.id {
            refuse_on_retweet(&current)?;
        }
        // The restored text names whom it names today. A version the tweet never had
        // (or a tweet the user may not change) is refused by the store.
        let restored = self
            .tweet_store()
            .versions(id)
            .await?
            .into_iter()
            .find(|v| v.version == version);
        let mentions = match restored.map(|v| Content::parse(&v.content)) {
            Some(Ok(content)) => self.resolve_mentions(&content).await?,
            _ => Arc::from([]),
        };
        let changed = self
            .tweet_store()
            .restore_version(RestoreVersion {
                id,
                actor: user.id,
                version,
                mentions,
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
        action: Action,
    ) -> Result<Option<TweetView>> {
        // A retweet is deleted by undoing it (its count and row go with it); nothing else
        // happens to one.
        let current = self.readable(id, Viewer::user(user.id)).await?;
        if let Some(original) = current.retweet_of
            && current.author.id == user.id
        {
            if action != Action::Delete {
                refuse_on_retweet(&current)?;
            }
            self.engage_for(user, original, EngagementAction::Unretweet)
                .await?;
            return Ok(None);
        }
        let changed = self
            .tweet_store()
            .transition(Transition {
                id,
                actor: user.id,
                action,
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

/// A retweet entry is not edited, restored, published or archived: only undone.
fn refuse_on_retweet(record: &TweetRecord) -> Result<()> {
    match record.retweet_of {
        Some(_) => Err(Refusal::Invalid(starling_core::ValidationError::new(
            "id",
            "a retweet cannot be changed, only undone (DELETE /api/tweets/{id}/retweet)",
        ))
        .into()),
        None => Ok(()),
    }
}

/// Whether the live stream carries the tweet: readable by everyone by its link. Its
/// `all` subscribers get only tweets listed publicly (see `starling-api`'s hub).
fn streamed(record: &TweetRecord) -> bool {
    is_public(record.state, record.author.id, record.visibility)
}
