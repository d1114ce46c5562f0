//! Reads: every one goes through [`Engine::readable`] or filters with the same rule, so a
//! tweet the viewer may not see answers exactly like one that does not exist.

use crate::*;
use starling_core::content::normalize_hashtag;
use starling_core::visibility::{Access, Standing, Visibility, access, listable};
use std::collections::HashMap;

/// How one viewer stands with many authors (see `Engine::standings_for`). Sorted lists,
/// not hash sets: they are built for each page and hold a few dozen ids at most
/// (hashing them was a measurable part of a home read).
#[derive(Debug, Default)]
pub(crate) struct Standings {
    blocked: Vec<UserId>,
    muted: Vec<UserId>,
    /// Among the authors it was asked for.
    follows: Vec<UserId>,
}

impl Standings {
    /// From a viewer's hidden authors and whom among some authors they follow.
    pub(crate) fn new(hidden: &Hidden, follows: Vec<UserId>) -> Self {
        Self {
            blocked: sorted(hidden.blocked.clone()),
            muted: sorted(hidden.muted.clone()),
            follows: sorted(follows),
        }
    }

    pub(crate) fn of(&self, author: UserId) -> Standing {
        Standing {
            follows: self.follows.binary_search(&author).is_ok(),
            blocked: self.blocked.binary_search(&author).is_ok(),
            muting: self.muted.binary_search(&author).is_ok(),
        }
    }
}

fn sorted(mut ids: Vec<UserId>) -> Vec<UserId> {
    ids.sort_unstable();
    ids
}

/// A tweet as one viewer sees it.
#[derive(Debug, Clone)]
pub struct TweetView {
    pub record: Arc<TweetRecord>,
    pub engagement: EngagementView,
    /// For a retweet: the original as the viewer sees it.
    pub retweet_of: Option<Box<TweetView>>,
    /// For a quote: the quoted tweet as the viewer sees it, or its id alone when they
    /// may not (or it is gone).
    pub quote_of: Option<Embedded>,
}

/// A tweet shown inside another.
#[derive(Debug, Clone)]
pub enum Embedded {
    Visible(Box<TweetView>),
    Unavailable(TweetId),
}

impl TweetView {
    /// A view of a tweet that embeds nothing (yet).
    pub fn plain(record: Arc<TweetRecord>, engagement: EngagementView) -> Self {
        Self {
            record,
            engagement,
            retweet_of: None,
            quote_of: None,
        }
    }
}

/// How deep embedded tweets go: a retweet's original, and the tweet that original quotes.
const EMBED_DEPTH: u8 = 2;

#[derive(Debug, Clone, Copy)]
pub struct EngagementView {
    pub counters: Counters,
    pub liked: bool,
    pub retweeted: bool,
    pub velocity: Rates,
}

/// A page of tweets, newest first.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<TweetView>,
    pub next_cursor: Option<TweetId>,
}

#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// A username or a user id.
    pub author: Option<String>,
    pub hashtag: Option<String>,
    pub before: Option<TweetId>,
    pub limit: usize,
}

impl Engine {
    /// The tweet if `viewer` may read it; not found otherwise. Every read of one tweet
    /// uses this.
    pub async fn readable(&self, id: TweetId, viewer: Viewer) -> Result<Arc<TweetRecord>> {
        let record = self
            .record(id)
            .await?
            .ok_or(EngineError::Refused(Refusal::NotFound))?;
        if !self.access(&record, viewer).await?.can_read() {
            return Err(EngineError::Refused(Refusal::NotFound));
        }
        // A retweet exists for a viewer only while its original is in view for them
        // (not hidden, and neither archived nor deleted, nor a draft).
        if let Some(original) = record.retweet_of {
            let original = self.record(original).await?;
            match original {
                Some(o) if self.access(&o, viewer).await?.can_engage() => {}
                _ => return Err(EngineError::Refused(Refusal::NotFound)),
            }
        }
        Ok(record)
    }

    /// The policy for one tweet, with how the viewer stands with its author.
    pub async fn access(&self, record: &TweetRecord, viewer: Viewer) -> Result<Access> {
        let standing = self.standing(viewer, record.author.id).await?;
        Ok(access(record.facts(), &viewer, standing))
    }

    /// How `viewer` stands with `author`: read from the graph only when it can matter
    /// (a signed-in viewer reading someone else's tweet).
    pub(crate) async fn standing(&self, viewer: Viewer, author: UserId) -> Result<Standing> {
        match viewer.user {
            Some(user) if user != author => Ok(Standing::from(
                self.graph_store().relationship(user, author).await?,
            )),
            _ => Ok(Standing::default()),
        }
    }

    /// How `viewer` stands with the authors of many tweets (author and visibility) at
    /// once: their own blocks, blockers and mutes in one read, and their follows only
    /// among the authors of followers-only tweets (one more read, when there are any).
    pub(crate) async fn standings_for(
        &self,
        viewer: Viewer,
        tweets: impl IntoIterator<Item = (UserId, Visibility)>,
    ) -> Result<Standings> {
        let Some(user) = viewer.user else {
            return Ok(Standings::default());
        };
        let mut followed: Vec<UserId> = tweets
            .into_iter()
            .filter(|(author, v)| *v == Visibility::Followers && *author != user)
            .map(|(author, _)| author)
            .collect();
        followed.sort_unstable();
        followed.dedup();
        let hidden = self.graph_store().hidden_authors(user).await?;
        let follows = match followed.is_empty() {
            true => Vec::new(),
            false => {
                let relationships = self.graph_store().relationships(user, &followed).await?;
                followed
                    .into_iter()
                    .zip(relationships)
                    .filter(|(_, r)| r.following)
                    .map(|(author, _)| author)
                    .collect()
            }
        };
        Ok(Standings::new(&hidden, follows))
    }

    /// The records of `records` the viewer may see in a list, in order.
    pub(crate) async fn listable(
        &self,
        records: Vec<Arc<TweetRecord>>,
        viewer: Viewer,
    ) -> Result<Vec<Arc<TweetRecord>>> {
        // A retweet is listed only while its original may be.
        let originals = self.originals_of(&records).await?;
        let tweets = records
            .iter()
            .chain(originals.values())
            .map(|r| (r.author.id, r.visibility));
        let standings = self.standings_for(viewer, tweets).await?;
        Ok(Self::listable_in(records, &originals, viewer, &standings))
    }

    /// The retweets' originals among `records` (those that exist), by id.
    pub(crate) async fn originals_of(
        &self,
        records: &[Arc<TweetRecord>],
    ) -> Result<HashMap<TweetId, Arc<TweetRecord>>> {
        let mut wanted: Vec<TweetId> = records.iter().filter_map(|r| r.retweet_of).collect();
        wanted.sort_unstable();
        wanted.dedup();
        Ok(self
            .records(&wanted)
            .await?
            .into_iter()
            .flatten()
            .map(|original| (original.id, original))
            .collect())
    }

    /// [`Engine::listable`] with the standings known: every author of `records` and of
    /// their `originals` must be in `standings` (their follows where it matters).
    pub(crate) fn listable_in(
        records: Vec<Arc<TweetRecord>>,
        originals: &HashMap<TweetId, Arc<TweetRecord>>,
        viewer: Viewer,
        standings: &Standings,
    ) -> Vec<Arc<TweetRecord>> {
        let standing = |r: &TweetRecord| standings.of(r.author.id);
        let listed = |r: &TweetRecord| listable(r.facts(), &viewer, standing(r));
        // An original in view: listable, and neither archived nor a draft (for its
        // author too).
        let in_view =
            |o: &TweetRecord| listed(o) && access(o.facts(), &viewer, standing(o)).can_engage();
        records
            .into_iter()
            .filter(|r| {
                listed(r)
                    && r.retweet_of
                        .is_none_or(|o| originals.get(&o).is_some_and(|o| in_view(o)))
            })
            .collect()
    }

    pub(crate) async fn record(&self, id: TweetId) -> Result<Option<Arc<TweetRecord>>> {
        Ok(self.records(&[id]).await?.pop().flatten())
    }

    /// The records of `ids`, in that order (`None` for those that do not exist): from
    /// the cache, and the rest in one trip to the store, so a page of misses waits once.
    pub(crate) async fn records(&self, ids: &[TweetId]) -> Result<Vec<Option<Arc<TweetRecord>>>> {
        let epoch = self.cache_usable();
        let mut found: Vec<Option<Arc<TweetRecord>>> = vec![None; ids.len()];
        let mut wanted = Vec::new();
        for (at, &id) in ids.iter().enumerate() {
            let cached = match epoch {
                Some(_) => self.cache.get(id),
                None => Err(cache::Ticket::NEVER),
            };
            match cached {
                Ok(record) => found[at] = Some(record),
                Err(ticket) => {
                    if self.missing.lock().get(&id).is_none() {
                        wanted.push((at, id, ticket));
                    }
                }
            }
        }
        if wanted.is_empty() {
            return Ok(found);
        }
        let asked: Vec<TweetId> = wanted.iter().map(|(_, id, _)| *id).collect();
        let stored: HashMap<TweetId, Arc<TweetRecord>> = self
            .tweet_store()
            .tweets(&asked)
            .await?
            .into_iter()
            .map(|record| (record.id, Arc::new(record)))
            .collect();
        // Only into the epoch the read began in (a new one empties the cache, which also
        // voids the tickets).
        let fill = epoch.is_some() && self.cache_usable() == epoch;
        let now = self.clock.now();
        for (at, id, ticket) in wanted {
            match stored.get(&id) {
                Some(record) => {
                    if fill {
                        self.cache.fill(record.clone(), ticket);
                    }
                    found[at] = Some(record.clone());
                }
                None => {
                    if starling_core::id::millis_of(id.0) < now - LATE_ARRIVAL_MS {
                        self.missing.lock().put(id, ());
                    }
                }
            }
        }
        Ok(found)
    }

    pub(crate) fn engagement_of(
        &self,
        record: &TweetRecord,
        liked: bool,
        retweeted: bool,
        now: i64,
    ) -> EngagementView {
        let mut counters = record.counters;
        counters.views += self.views.unflushed(record.id);
        EngagementView {
            counters,
            liked,
            retweeted,
            velocity: self.velocity.rates(record.id, now),
        }
    }

    /// The tweet as an anonymous viewer sees it (for the live stream).
    pub fn public_view(&self, record: Arc<TweetRecord>) -> TweetView {
        let engagement = self.engagement_of(&record, false, false, self.clock.now());
        TweetView::plain(record, engagement)
    }

    pub fn velocity_of(&self, id: TweetId) -> Rates {
        self.velocity.rates(id, self.clock.now())
    }

    /// The records as `viewer` sees them, with the tweets they retweet or quote
    /// embedded (each as the viewer may see it).
    pub(crate) async fn present(
        &self,
        records: Vec<Arc<TweetRecord>>,
        viewer: Viewer,
    ) -> Result<Vec<TweetView>> {
        self.present_nested(records, viewer, EMBED_DEPTH).await
    }

    fn present_nested(
        &self,
        records: Vec<Arc<TweetRecord>>,
        viewer: Viewer,
        depth: u8,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<TweetView>>> + Send + '_>>
    {
        Box::pin(async move {
            let mut views = self.present_flat(records, viewer).await?;
            if depth == 0 {
                return Ok(views);
            }
            let mut wanted: Vec<TweetId> = views
                .iter()
                .flat_map(|v| [v.record.retweet_of, v.record.quote_of])
                .flatten()
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            if wanted.is_empty() {
                return Ok(views);
            }
            let found: Vec<Arc<TweetRecord>> =
                self.records(&wanted).await?.into_iter().flatten().collect();
            let standings = self
                .standings_for(viewer, found.iter().map(|r| (r.author.id, r.visibility)))
                .await?;
            let seen: Vec<Arc<TweetRecord>> = found
                .into_iter()
                .filter(|r| access(r.facts(), &viewer, standings.of(r.author.id)).can_read())
                .collect();
            let embedded: HashMap<TweetId, TweetView> = self
                .present_nested(seen, viewer, depth - 1)
                .await?
                .into_iter()
                .map(|v| (v.record.id, v))
                .collect();
            for v in &mut views {
                v.retweet_of = v
                    .record
                    .retweet_of
                    .and_then(|id| embedded.get(&id).cloned().map(Box::new));
                v.quote_of = v.record.quote_of.map(|id| match embedded.get(&id) {
                    Some(view) => Embedded::Visible(Box::new(view.clone())),
                    None => Embedded::Unavailable(id),
                });
            }
            Ok(views)
        })
    }

    async fn present_flat(
        &self,
        records: Vec<Arc<TweetRecord>>,
        viewer: Viewer,
    ) -> Result<Vec<TweetView>> {
        let mut flags = vec![(false, false); records.len()];
        if let Some(user) = viewer.user {
            // Only tweets someone liked or retweeted can have been by the viewer: the
            // counters are written in the same transaction as the rows they count, and
            // a record's counters are never older than the viewer's own acknowledged
            // writes. Most tweets have neither, so most pages never ask the store.
            let (at, ids): (Vec<usize>, Vec<TweetId>) = records
                .iter()
                .enumerate()
                .filter(|(_, r)| r.counters.likes > 0 || r.counters.retweets > 0)
                .map(|(at, r)| (at, r.id))
                .unzip();
            if !ids.is_empty() {
                let found = self.engagement_store().viewer_flags(user, &ids).await?;
                for (at, found) in at.into_iter().zip(found) {
                    flags[at] = found;
                }
            }
        }
        let now = self.clock.now();
        Ok(records
            .into_iter()
            .zip(flags)
            .map(|(record, (liked, retweeted))| {
                let engagement = self.engagement_of(&record, liked, retweeted, now);
                TweetView::plain(record, engagement)
            })
            .collect())
    }

    pub(crate) async fn present_one(
        &self,
        record: Arc<TweetRecord>,
        viewer: Viewer,
    ) -> Result<TweetView> {
        Ok(self
            .present(vec![record], viewer)
            .await?
            .pop()
            .expect("one in, one out"))
    }

    pub async fn tweet(&self, id: TweetId, viewer: Viewer) -> Result<TweetView> {
        let record = self.readable(id, viewer).await?;
        self.present_one(record, viewer).await
    }

    /// The tweets among `ids` the viewer may read, as they are now, and the ids of the
    /// others (deleted, archived, or hidden from this viewer: one answer for all, as a
    /// single read gives `not_found` for each). A client that was away (a dropped live
    /// stream, a sleeping laptop) asks this for what it shows, instead of reading
    /// every list again. Ids are taken as given: the caller bounds and deduplicates them.
    pub async fn lookup(
        &self,
        ids: &[TweetId],
        viewer: Viewer,
    ) -> Result<(Vec<TweetView>, Vec<TweetId>)> {
        let mut found = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for &id in ids {
            match self.readable(id, viewer).await {
                Ok(record) => found.push(record),
                Err(e) if e == Refusal::NotFound => missing.push(id),
                Err(e) => return Err(e),
            }
        }
        Ok((self.present(found, viewer).await?, missing))
    }

    pub(crate) async fn resolve_author(&self, author: &str) -> Result<Option<UserId>> {
        if let Some(user) = self.account_store().user_by_username(author).await? {
            return Ok(Some(user.id));
        }
        // Not a username: perhaps a user id.
        match author.parse::<UserId>() {
            Ok(id) => Ok(self.account_store().user(id).await?.map(|u| u.id)),
            Err(_) => Ok(None),
        }
    }

    /// Public tweets, newest first, optionally by author and hashtag: only tweets posted
    /// `public` (never unlisted or followers-only ones), and none by accounts the viewer
    /// blocks, is blocked by or mutes.
    pub async fn list(&self, query: ListQuery, viewer: Viewer) -> Result<Page> {
        let author = match &query.author {
            Some(a) => match self.resolve_author(a).await? {
                Some(id) => Some(id),
                None => {
                    return Ok(Page {
                        items: vec![],
                        next_cursor: None,
                    });
                }
            },
            None => None,
        };
        let hashtag = query.hashtag.as_deref().map(normalize_hashtag);
        if hashtag.as_deref() == Some("") {
            // `hashtag=#` asks for a tag no tweet can have, not for every tweet.
            if query
                .hashtag
                .as_deref()
                .is_some_and(|h| !h.trim().is_empty())
            {
                return Ok(Page {
                    items: vec![],
                    next_cursor: None,
                });
            }
        }
        let hashtag = hashtag.filter(|h| !h.is_empty());
        self.page(
            TweetQuery {
                author,
                hashtag,
                // What anyone may list; `page` still applies the visibility rule.
                states: vec![TweetState::Published, TweetState::Edited],
                visibilities: vec![Visibility::Public],
                no_replies: false,
                with_retweets: false,
                quote_of: None,
                before: query.before,
                limit: query.limit,
            },
            viewer,
        )
        .await
    }

    /// The caller's own tweets in any state but deleted, or in one state.
    pub async fn own_tweets(
        &self,
        user: &User,
        state: Option<TweetState>,
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Page> {
        use TweetState::*;
        let states = match state {
            Some(Deleted) => {
                return Ok(Page {
                    items: vec![],
                    next_cursor: None,
                });
            }
            Some(s) => vec![s],
            None => vec![Draft, Published, Edited, Archived],
        };
        self.page(
            TweetQuery {
                author: Some(user.id),
                hashtag: None,
                states,
                visibilities: Visibility::ALL.to_vec(),
                no_replies: false,
                // Retweets are undone, not archived or drafted: not "my tweets".
                with_retweets: false,
                quote_of: None,
                before,
                limit,
            },
            Viewer::user(user.id),
        )
        .await
    }

    /// A user's tweets as `viewer` may see them, newest first: public, unlisted and (for
    /// followers and mentioned users) followers-only ones; replies only when asked.
    pub async fn user_tweets(
        &self,
        author: UserId,
        viewer: Viewer,
        replies: bool,
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Page> {
        self.page(
            TweetQuery {
                author: Some(author),
                hashtag: None,
                states: vec![TweetState::Published, TweetState::Edited],
                visibilities: Visibility::ALL.to_vec(),
                no_replies: !replies,
                with_retweets: true,
                quote_of: None,
                before,
                limit,
            },
            viewer,
        )
        .await
    }

    pub(crate) async fn page(&self, query: TweetQuery, viewer: Viewer) -> Result<Page> {
        let limit = query.limit;
        let records: Vec<Arc<TweetRecord>> = self
            .tweet_store()
            .list_tweets(query)
            .await?
            .into_iter()
            .map(Arc::new)
            .collect();
        // The page goes on from the last row read, whether or not the viewer sees it: a
        // page may hold fewer than `limit` tweets and still not be the last.
        let next_cursor = match records.len() == limit {
            true => records.last().map(|r| r.position),
            false => None,
        };
        // The visibility rule applies to lists too, whatever the query asked for.
        let records = self.listable(records, viewer).await?;
        Ok(Page {
            items: self.present(records, viewer).await?,
            next_cursor,
        })
    }

    /// The quotes of a tweet the viewer may see, newest first.
    pub async fn quotes(
        &self,
        id: TweetId,
        viewer: Viewer,
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Page> {
        self.readable(id, viewer).await?;
        self.page(
            TweetQuery {
                author: None,
                hashtag: None,
                states: vec![TweetState::Published, TweetState::Edited],
                visibilities: Visibility::ALL.to_vec(),
                no_replies: false,
                with_retweets: false,
                quote_of: Some(id),
                before,
                limit,
            },
            viewer,
        )
        .await
    }

    /// The tweet's versions. The author sees them all; everyone else sees the public
    /// history, which starts with the version the tweet was published with: a draft's
    /// earlier versions were never public.
    pub async fn versions(&self, id: TweetId, viewer: Viewer) -> Result<Vec<VersionRecord>> {
        let record = self.readable(id, viewer).await?;
        let versions = self.tweet_store().versions(id).await?;
        if viewer.is(record.author.id) {
            return Ok(versions);
        }
        let events = self.tweet_store().events(id).await?;
        let public_from = events
            .iter()
            .find(|e| e.kind == EventKind::Published)
            .map_or(1, |e| e.version);
        Ok(versions
            .into_iter()
            .filter(|v| v.version >= public_from)
            .collect())
    }

    /// The audit trail, for the author only.
    pub async fn events(&self, id: TweetId, viewer: Viewer) -> Result<Vec<EventRecord>> {
        let record = self.readable(id, viewer).await?;
        if !viewer.is(record.author.id) {
            return Err(Refusal::NotAuthor.into());
        }
        Ok(self.tweet_store().events(id).await?)
    }

    pub async fn trends(&self, limit: usize, viewer: Viewer) -> Result<Vec<TweetView>> {
        let now = self.clock.now();
        // Ask for more than needed: some may have left public view since.
        let top = self.velocity.top(limit * 2 + 10, now);
        let mut records = Vec::with_capacity(limit);
        for (id, _) in top {
            if let Some(record) = self.record(id).await?
                && record.visibility.is_listed_publicly()
                && access(record.facts(), &Viewer::ANONYMOUS, Standing::default()).can_engage()
            {
                records.push(record);
            }
        }
        let mut records = self.listable(records, viewer).await?;
        records.truncate(limit);
        self.present(records, viewer).await
    }
}

#[cfg(test)]
mod tests {

    /// A missing tweet must answer like a hidden one, which is served from memory: an
    /// old missing id is remembered after its first lookup (so later ones skip the store),
    /// an id from a moment ago is not (a node whose clock is behind may still issue it).
    #[tokio::test]
    pub(crate) async fn old_missing_ids_are_remembered_and_recent_ones_are_not() {
        use super::*;
        let (engine, _dir) = Engine::for_test(EngineConfig::default()).await;
        let old = TweetId((1_000_000 << 22) | 1);
        let recent =
            TweetId(((starling_core::now_millis() - starling_core::id::EPOCH_MILLIS) << 22) | 7);
        for id in [old, recent] {
            assert!(matches!(
                engine.tweet(id, Viewer::ANONYMOUS).await,
                Err(EngineError::Refused(Refusal::NotFound))
            ));
        }
        let remembered = |id| engine.missing.lock().contains(&id);
        assert!(remembered(old));
        assert!(!remembered(recent));
        // A tweet that exists is never remembered as missing.
        let (user, _) = engine
            .register("ada", "correct horse battery", None)
            .await
            .unwrap();
        let (posted, _) = engine
            .create_tweet(
                &user,
                NewTweet::published(starling_core::Content::parse("here").unwrap()),
            )
            .await
            .unwrap();
        engine
            .tweet(posted.record.id, Viewer::ANONYMOUS)
            .await
            .unwrap();
        assert!(!remembered(posted.record.id));
    }
}
