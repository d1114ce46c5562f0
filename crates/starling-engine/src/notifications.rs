//! Notifications: made by the delivery worker from the outbox (so an acknowledged like,
//! reply or follow notifies at least once, and exactly once thanks to the store's
//! uniqueness), decided with the one visibility policy when made and again when read.
//!
//! The rules: never to oneself; never from someone the recipient blocks, is blocked by
//! or mutes; never about a tweet the recipient may not read; an undone like, retweet,
//! follow or request notifies no more (the store withdraws likes and retweets in the
//! undoing transaction; the worker checks each still stands before it notifies).

use crate::*;
use std::collections::{HashMap, HashSet};

/// One notification as its recipient sees it.
#[derive(Debug, Clone)]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    pub actor: User,
    pub tweet: Option<TweetView>,
    pub created_at: i64,
    pub unread: bool,
}

/// A group of notifications as its recipient sees it.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub latest: i64,
    pub kind: NotificationKind,
    /// The newest actors, newest first (at most three).
    pub actors: Vec<User>,
    pub count: i64,
    pub tweet: Option<TweetView>,
    pub latest_at: i64,
    pub unread: bool,
}

/// A page of notifications, newest first, with where the next page starts.
#[derive(Debug, Clone)]
pub struct NotificationPage<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<i64>,
}

impl Engine {
    pub(crate) fn notification_store(&self) -> &dyn NotificationStore {
        &*self.store
    }

    /// The notifications `kind` calls for, if what caused it still stands (made by
    /// [`Engine::notify`], a batch at a time).
    pub(crate) async fn notifications_for(
        &self,
        kind: DeliveryKind,
        at: i64,
    ) -> Result<Vec<NewNotification>> {
        let mut wanted: Vec<NewNotification> = Vec::new();
        let mut push = |recipient, kind, actor, tweet| {
            wanted.push(NewNotification {
                recipient,
                kind,
                actor,
                tweet,
                at,
            })
        };
        match kind {
            DeliveryKind::Post(entry) => {
                let Some(record) = self.record(entry.id).await? else {
                    return Ok(vec![]);
                };
                if !record.state.in_public_view() {
                    return Ok(vec![]);
                }
                if let Some(original) = record.retweet_of {
                    if let Some(o) = self.record(original).await? {
                        push(
                            o.author.id,
                            NotificationKind::Retweet,
                            entry.author,
                            Some(o.id),
                        );
                    }
                } else {
                    let mut told = HashSet::new();
                    if let Some(parent_author) = record.reply_to_user {
                        told.insert(parent_author);
                        push(
                            parent_author,
                            NotificationKind::Reply,
                            entry.author,
                            Some(record.id),
                        );
                    }
                    if let Some(quoted) = record.quote_of
                        && let Some(q) = self.record(quoted).await?
                    {
                        told.insert(q.author.id);
                        push(
                            q.author.id,
                            NotificationKind::Quote,
                            entry.author,
                            Some(record.id),
                        );
                    }
                    for m in record.mentions.iter() {
                        if told.insert(m.user) {
                            push(
                                m.user,
                                NotificationKind::Mention,
                                entry.author,
                                Some(record.id),
                            );
                        }
                    }
                }
            }
            DeliveryKind::Follow { follower, followee } => {
                let now = self.graph_store().relationship(follower, followee).await?;
                if now.following {
                    push(followee, NotificationKind::Follow, follower, None);
                }
            }
            DeliveryKind::FollowRequest { requester, target } => {
                let now = self.graph_store().relationship(requester, target).await?;
                if now.requested {
                    push(target, NotificationKind::FollowRequest, requester, None);
                }
            }
            DeliveryKind::Like {
                liker,
                tweet,
                author,
            } => {
                let flags = self
                    .engagement_store()
                    .viewer_flags(liker, &[tweet])
                    .await?;
                if flags.first().is_some_and(|(liked, _)| *liked) {
                    push(author, NotificationKind::Like, liker, Some(tweet));
                }
            }
        }
        let mut kept = Vec::with_capacity(wanted.len());
        for n in wanted {
            if n.recipient == n.actor {
                continue;
            }
            let between = self
                .graph_store()
                .relationship(n.recipient, n.actor)
                .await?;
            if between.blocking || between.blocked_by || between.muting {
                continue;
            }
            if let Some(tweet) = n.tweet
                && self
                    .readable(tweet, Viewer::user(n.recipient))
                    .await
                    .is_err()
            {
                continue;
            }
            kept.push(n);
        }
        Ok(kept)
    }

    /// Make `wanted` (those not made before) and tell the recipients' live streams.
    pub(crate) async fn notify(&self, wanted: Vec<NewNotification>) -> Result<()> {
        if wanted.is_empty() {
            return Ok(());
        }
        for made in self.notification_store().notify(wanted).await? {
            self.emit(Event::Notified(made.recipient, made.id));
        }
        Ok(())
    }

    /// `user`'s notifications one by one, newest first.
    pub async fn notifications(
        &self,
        user: UserId,
        before: Option<i64>,
        limit: usize,
        kinds: Vec<NotificationKind>,
    ) -> Result<NotificationPage<NotificationView>> {
        let limit = limit.clamp(1, 100);
        let records = self
            .notification_store()
            .notifications(NotificationQuery {
                recipient: user,
                before,
                limit,
                kinds,
            })
            .await?;
        let next_cursor = (records.len() == limit)
            .then(|| records.last().map(|r| r.id))
            .flatten();
        let mark = self
            .notification_store()
            .notifications_read_mark(user)
            .await?;
        let actors = self.users(records.iter().map(|r| r.actor)).await?;
        let tweets = self
            .tweets_for(user, records.iter().filter_map(|r| r.tweet))
            .await?;
        let items = records
            .into_iter()
            .filter_map(|r| {
                let tweet = match r.tweet {
                    Some(id) => Some(tweets.get(&id)?.clone()),
                    None => None,
                };
                Some(NotificationView {
                    id: r.id,
                    kind: r.kind,
                    actor: actors.get(&r.actor)?.clone(),
                    tweet,
                    created_at: r.created_at,
                    unread: r.id > mark,
                })
            })
            .collect();
        Ok(NotificationPage { items, next_cursor })
    }

    /// `user`'s notifications grouped by kind and tweet, the newest group first.
    pub async fn notification_groups(
        &self,
        user: UserId,
        before: Option<i64>,
        limit: usize,
        kinds: Vec<NotificationKind>,
    ) -> Result<NotificationPage<GroupView>> {
        let limit = limit.clamp(1, 100);
        let groups = self
            .notification_store()
            .notification_groups(NotificationQuery {
                recipient: user,
                before,
                limit,
                kinds,
            })
            .await?;
        let next_cursor = (groups.len() == limit)
            .then(|| groups.last().map(|g| g.latest))
            .flatten();
        let mark = self
            .notification_store()
            .notifications_read_mark(user)
            .await?;
        let actors = self
            .users(groups.iter().flat_map(|g| g.actors.iter().copied()))
            .await?;
        let tweets = self
            .tweets_for(user, groups.iter().filter_map(|g| g.tweet))
            .await?;
        let items = groups
            .into_iter()
            .filter_map(|g| {
                let tweet = match g.tweet {
                    Some(id) => Some(tweets.get(&id)?.clone()),
                    None => None,
                };
                Some(GroupView {
                    latest: g.latest,
                    kind: g.kind,
                    actors: g
                        .actors
                        .iter()
                        .filter_map(|a| actors.get(a).cloned())
                        .collect(),
                    count: g.count,
                    tweet,
                    latest_at: g.latest_at,
                    unread: g.latest > mark,
                })
            })
            .collect();
        Ok(NotificationPage { items, next_cursor })
    }

    /// One notification of `user`'s as they see it now (for the live stream), if any.
    pub async fn notification(&self, user: UserId, id: i64) -> Result<Option<NotificationView>> {
        let page = self
            .notifications(user, Some(id.saturating_add(1)), 1, vec![])
            .await?;
        Ok(page.items.into_iter().find(|n| n.id == id))
    }

    pub async fn unread_notifications(&self, user: UserId) -> Result<u64> {
        Ok(self.notification_store().unread_notifications(user).await?)
    }

    /// Mark `user`'s notifications read up to `up_to` (all of them now when `None`);
    /// answers the mark.
    pub async fn mark_notifications_read(&self, user: UserId, up_to: Option<i64>) -> Result<i64> {
        let up_to = match up_to {
            Some(id) => id,
            None => {
                let newest = self
                    .notification_store()
                    .notifications(NotificationQuery {
                        recipient: user,
                        before: None,
                        limit: 1,
                        kinds: vec![],
                    })
                    .await?;
                match newest.first() {
                    Some(n) => n.id,
                    None => {
                        return Ok(self
                            .notification_store()
                            .notifications_read_mark(user)
                            .await?);
                    }
                }
            }
        };
        let mark = self
            .notification_store()
            .mark_notifications_read(user, up_to)
            .await?;
        // The user's other devices update their badge.
        self.emit(Event::Unread(user));
        Ok(mark)
    }

    /// The newest notification id `user` has read (0: none).
    pub async fn notifications_read_mark(&self, user: UserId) -> Result<i64> {
        Ok(self
            .notification_store()
            .notifications_read_mark(user)
            .await?)
    }

    /// The users of `ids`, by id (missing ones left out).
    async fn users(&self, ids: impl Iterator<Item = UserId>) -> Result<HashMap<UserId, User>> {
        let mut found = HashMap::new();
        for id in ids {
            if found.contains_key(&id) {
                continue;
            }
            if let Some(user) = self.account_store().user(id).await? {
                found.insert(id, user);
            }
        }
        Ok(found)
    }

    /// The tweets of `ids` that `viewer` may read, presented, by id.
    async fn tweets_for(
        &self,
        viewer: UserId,
        ids: impl Iterator<Item = TweetId>,
    ) -> Result<HashMap<TweetId, TweetView>> {
        let mut records = Vec::new();
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                continue;
            }
            match self.readable(id, Viewer::user(viewer)).await {
                Ok(record) => records.push(record),
                Err(EngineError::Refused(Refusal::NotFound)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self
            .present(records, Viewer::user(viewer))
            .await?
            .into_iter()
            .map(|v| (v.record.id, v))
            .collect())
    }
}
