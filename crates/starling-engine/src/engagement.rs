//! Engagement: likes and retweets (durable, per user), views (one per viewer per
//! window, written behind), and the engagement events for the live stream.

use crate::*;
use starling_core::EngagementAction;

/// What an engagement did.
pub(crate) struct Engagement {
    pub view: EngagementView,
    /// The user's retweet entry after a retweet, or the one an unretweet removed.
    pub entry: Option<Arc<TweetRecord>>,
    /// False when it was already in effect.
    pub changed: bool,
}

impl Engine {
    /// Whether this is `viewer`'s first view of `id` within the view window (and if so,
    /// remember it).
    pub(crate) fn first_view_in_window(&self, viewer: UserId, id: TweetId, now: i64) -> bool {
        let window = self.config.view_window.as_millis() as i64;
        let mut recent = self.recent_views.lock();
        match recent.get_mut(&(viewer, id)) {
            // `now` was read before this call's awaits, so a concurrent view that read
            // the clock later may have been counted first: distance, not order, decides
            // (with a window of 0, every view counts).
            Some(seen) if (now - *seen).abs() < window => false,
            Some(seen) => {
                *seen = now.max(*seen);
                true
            }
            None => {
                recent.put((viewer, id), now);
                true
            }
        }
    }

    pub(crate) fn emit_engagement(&self, id: TweetId, mut counters: Counters) {
        counters.views += self.views.unflushed(id);
        self.emit(Event::Engagement(id, counters));
    }

    pub async fn engage(
        &self,
        user: &User,
        id: TweetId,
        action: EngagementAction,
    ) -> Result<EngagementView> {
        Ok(self.engage_for(user, id, action).await?.view)
    }

    /// The tweet an engagement with `id` is about: the tweet itself, or, for a retweet
    /// entry the viewer may see, its original. `not_found` when there is none.
    async fn engaged_record(&self, id: TweetId, viewer: Viewer) -> Result<Arc<TweetRecord>> {
        let record = self
            .record(id)
            .await?
            .ok_or(EngineError::Refused(Refusal::NotFound))?;
        let Some(original) = record.retweet_of else {
            return Ok(record);
        };
        self.readable(id, viewer).await?;
        self.record(original)
            .await?
            .ok_or(EngineError::Refused(Refusal::NotFound))
    }

    /// A view of `record` (an original, not a retweet entry) by `user`: counted when the
    /// user may read it and has not viewed it within the window. Views are buffered, not
    /// written by the store: the engine decides them.
    async fn count_view(&self, user: &User, record: &TweetRecord, now: i64) -> Result<bool> {
        let access = self.access(record, Viewer::user(user.id)).await?;
        if !access.can_read() {
            return Err(Refusal::NotFound.into());
        }
        if !access.can_engage() {
            return Err(Refusal::ReadOnly(record.state).into());
        }
        let counted = self.first_view_in_window(user.id, record.id, now);
        if counted {
            self.views.add(record.id);
        }
        Ok(counted)
    }

    /// Views of the tweets a client showed its user (a retweet entry counts for its
    /// original). Tweets the user may not read, or that are gone or read-only, are passed
    /// over alike: the client learns nothing about them. Returns how many were counted
    /// (a view repeated within the window is not).
    pub async fn view_many(&self, user: &User, ids: &[TweetId]) -> Result<usize> {
        let now = self.clock.now();
        let viewer = Viewer::user(user.id);
        let mut counted = 0;
        for &id in ids {
            let record = match self.engaged_record(id, viewer).await {
                Ok(record) => record,
                Err(e) if e.refusal().is_some() => continue,
                Err(e) => return Err(e),
            };
            match self.count_view(user, &record, now).await {
                Ok(true) => {
                    counted += 1;
                    let view = self.engagement_of(&record, false, false, now);
                    self.emit(Event::Engagement(record.id, view.counters));
                }
                Ok(false) => {}
                Err(e) if e.refusal().is_some() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(counted)
    }

    /// Engage, and answer the user's retweet entry as the store left it (see
    /// `Engaged::entry`). Engaging with a retweet engages with its original.
    pub(crate) async fn engage_for(
        &self,
        user: &User,
        id: TweetId,
        action: EngagementAction,
    ) -> Result<Engagement> {
        let now = self.clock.now();
        // Views are buffered and written behind; the rest are durable per-user rows.
        // Undoing is checked too: answering an unlike of a tweet one may not see would
        // tell that it exists.
        let record = self.engaged_record(id, Viewer::user(user.id)).await?;
        let id = record.id;
        if action == EngagementAction::View {
            let counted = self.count_view(user, &record, now).await?;
            let flags = self.engagement_store().viewer_flags(user.id, &[id]).await?;
            let (liked, retweeted) = flags.first().copied().unwrap_or_default();
            let view = self.engagement_of(&record, liked, retweeted, now);
            // A repeated view changed nothing: nothing to tell subscribers.
            if counted {
                self.emit(Event::Engagement(id, view.counters));
            }
            return Ok(Engagement {
                view,
                entry: None,
                changed: counted,
            });
        }
        // Likes and retweets (and their undoing): the store decides the whole policy in the
        // write's transaction, with the graph as it stands there (hidden answers not
        // found, read-only answers read-only, a followers-only retweet is invalid).
        let engaged = self
            .engagement_store()
            .engage(Engage {
                id,
                user: user.id,
                action,
                now,
            })
            .await?;
        if engaged.changed {
            if matches!(
                action,
                EngagementAction::Retweet | EngagementAction::Unretweet
            ) {
                // A retweet's entry came or went.
                self.entries_changed(user.id);
            }
            self.cache.update_counters(id, engaged.counters);
            if matches!(action, EngagementAction::Like | EngagementAction::Retweet) {
                self.record_activity(id, now);
            }
            self.emit_engagement(id, engaged.counters);
            if matches!(
                action,
                EngagementAction::Unlike | EngagementAction::Unretweet
            ) && record.author.id != user.id
            {
                // The store withdrew its notification, if one was made: the author's
                // badge may count one fewer.
                self.emit(Event::Unread(record.author.id));
            }
        }
        // A retweet's entry is a tweet of its own: the cache learns of it like any.
        let entry = engaged.entry.map(Arc::new);
        if let Some(entry) = &entry {
            self.cache.put(entry.clone());
            if action == EngagementAction::Retweet {
                // Recorded in the outbox with the retweet: deliver it now.
                self.wake_deliveries();
            }
        }
        let mut counters = engaged.counters;
        counters.views += self.views.unflushed(id);
        let view = EngagementView {
            counters,
            liked: engaged.liked,
            retweeted: engaged.retweeted,
            velocity: self.velocity.rates(id, now),
        };
        Ok(Engagement {
            view,
            entry,
            changed: engaged.changed,
        })
    }

    /// Retweet: the user's retweet entry, and whether it was made now (a second retweet
    /// answers the first). Retweeting a retweet retweets its original.
    pub async fn retweet(&self, user: &User, id: TweetId) -> Result<(TweetView, bool)> {
        let done = self.engage_for(user, id, EngagementAction::Retweet).await?;
        // None: a retweet made before retweets were entries has none to show.
        let entry = done.entry.ok_or(EngineError::Refused(Refusal::NotFound))?;
        Ok((
            self.present_one(entry, Viewer::user(user.id)).await?,
            done.changed,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Concurrent views by one viewer read the clock before they reach the window, so
    /// they arrive out of order: a view that read the clock earlier than one already
    /// counted is judged by its distance from it, never dropped for being "before" it.
    #[tokio::test]
    async fn out_of_order_views_are_judged_by_distance() {
        let every_view = EngineConfig {
            view_window: Duration::ZERO,
            ..EngineConfig::default()
        };
        let (engine, _dir) = Engine::for_test(every_view).await;
        let (viewer, tweet) = (UserId(1), TweetId(2));
        assert!(engine.first_view_in_window(viewer, tweet, 1_000));
        assert!(
            engine.first_view_in_window(viewer, tweet, 999),
            "with no window, a view that read the clock a moment earlier still counts"
        );
        engine.shutdown().await.unwrap();

        let (engine, _dir) = Engine::for_test(EngineConfig::default()).await;
        assert!(engine.first_view_in_window(viewer, tweet, 1_000_000));
        assert!(!engine.first_view_in_window(viewer, tweet, 999_000));
        assert!(!engine.first_view_in_window(viewer, tweet, 1_001_000));
        engine.shutdown().await.unwrap();
    }
}
