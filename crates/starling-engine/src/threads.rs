//! Threads: a tweet with the chain of tweets it answers and the replies beneath it, as
//! one viewer may see them.
//!
//! Key decision: a thread is read from its conversation's rows in one query (every tweet
//! of a conversation carries its root's id) and shaped in memory: the chain above, the
//! tree below in depth-first order. A conversation is read up to
//! [`MAX_CONVERSATION`] tweets, oldest first, which bounds the memory and time of one
//! read whatever a conversation grows to; replies past that bound are not shown.

use crate::*;
use starling_core::visibility::{access, listable};
use starling_store::Outline;
use std::collections::HashMap;

/// The most tweets of one conversation a thread read considers.
pub const MAX_CONVERSATION: usize = 10_000;

/// A place in the chain above a tweet: the tweet, or its id when the viewer may not see
/// it (hidden or deleted), so the chain keeps its shape.
#[derive(Debug, Clone)]
pub enum Ancestor {
    Visible(TweetView),
    Unavailable(TweetId),
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub view: TweetView,
    /// 1 for a direct reply to the thread's tweet.
    pub depth: u32,
}

#[derive(Debug, Clone)]
pub struct Thread {
    /// From the root down to the tweet's parent.
    pub ancestors: Vec<Ancestor>,
    pub tweet: TweetView,
    /// One page of the replies beneath, depth first.
    pub descendants: Vec<Reply>,
    /// The last reply of this page, to pass for the next; `None` at the end.
    pub next_cursor: Option<TweetId>,
}

impl Engine {
    /// The thread around `id`: 404 when the viewer may not see the tweet itself.
    /// Replies come depth first; under each tweet, its author's own replies first
    /// (oldest first, so a self-thread reads in order), then the others by engagement
    /// (likes, retweets and replies together), then oldest first. A reply the viewer may
    /// not list is left out with everything beneath it.
    pub async fn thread(
        &self,
        id: TweetId,
        viewer: Viewer,
        after: Option<TweetId>,
        limit: usize,
    ) -> Result<Thread> {
        let focus = self.readable(id, viewer).await?;
        // The conversation in outline (no text): the page's tweets are read whole below.
        let rows = self
            .tweet_store()
            .conversation(focus.conversation_id, MAX_CONVERSATION)
            .await?;
        let standings = self
            .standings_for(viewer, rows.iter().map(|r| (r.author, r.visibility)))
            .await?;
        let by_id: HashMap<TweetId, &Outline> = rows.iter().map(|r| (r.id, r)).collect();

        // The chain above, from the parent up; a parent outside the rows read (a
        // conversation past the bound) is read by itself.
        let mut chain: Vec<std::result::Result<TweetId, TweetId>> = Vec::new();
        let mut next = focus.reply_to;
        while let Some(parent) = next {
            let seen = match by_id.get(&parent) {
                Some(r) => {
                    next = r.reply_to;
                    access(r.facts(), &viewer, standings.of(r.author)).can_read()
                }
                None => match self.record(parent).await? {
                    Some(record) => {
                        next = record.reply_to;
                        self.access(&record, viewer).await?.can_read()
                    }
                    None => {
                        next = None;
                        false
                    }
                },
            };
            chain.push(if seen { Ok(parent) } else { Err(parent) });
            if chain.len() > MAX_CONVERSATION {
                break;
            }
        }
        chain.reverse();

        // The tree below, depth first.
        let mut children: HashMap<TweetId, Vec<&Outline>> = HashMap::new();
        for r in &rows {
            if let Some(parent) = r.reply_to
                && listable(r.facts(), &viewer, standings.of(r.author))
            {
                children.entry(parent).or_default().push(r);
            }
        }
        // Under each tweet: its author's own replies first, oldest first; then the others
        // by engagement, then oldest first ("oldest" by position: a reply drafted and
        // published later is as new as its publication).
        for (parent, kids) in children.iter_mut() {
            let parent_author = by_id.get(parent).map_or(focus.author.id, |p| p.author);
            kids.sort_by_key(|r| {
                let own = r.author == parent_author;
                (!own, if own { 0 } else { -r.engagement }, r.position)
            });
        }
        let mut order: Vec<(TweetId, u32)> = Vec::new();
        let mut walk: Vec<(std::slice::Iter<'_, &Outline>, u32)> = Vec::new();
        if let Some(kids) = children.get(&focus.id) {
            walk.push((kids.iter(), 1));
        }
        while let Some((iter, depth)) = walk.last_mut() {
            let depth = *depth;
            match iter.next() {
                Some(kid) => {
                    order.push((kid.id, depth));
                    if let Some(grandkids) = children.get(&kid.id) {
                        walk.push((grandkids.iter(), depth + 1));
                    }
                }
                None => {
                    walk.pop();
                }
            }
        }

        let start = after
            .and_then(|a| order.iter().position(|(id, _)| *id == a))
            .map_or(0, |i| i + 1);
        let page: Vec<(TweetId, u32)> = order.iter().skip(start).take(limit).copied().collect();
        let next_cursor = match start + page.len() < order.len() {
            true => page.last().map(|(id, _)| *id),
            false => None,
        };

        // The tweets shown, read whole (from the cache when they are there); one
        // presentation for all of them, so the viewer's flags are one read. A tweet gone
        // since the outline was read becomes a gap above, and leaves the page below.
        let mut ancestors_read = Vec::with_capacity(chain.len());
        for place in &chain {
            ancestors_read.push(match place {
                Ok(id) => self.record(*id).await?.ok_or(*id),
                Err(id) => Err(*id),
            });
        }
        let mut replies_read = Vec::with_capacity(page.len());
        for (id, depth) in &page {
            if let Some(record) = self.record(*id).await? {
                replies_read.push((record, *depth));
            }
        }
        let mut shown: Vec<Arc<TweetRecord>> = ancestors_read
            .iter()
            .filter_map(|a| a.as_ref().ok().cloned())
            .collect();
        shown.push(focus);
        shown.extend(replies_read.iter().map(|(r, _)| Arc::clone(r)));
        let mut views = self.present(shown, viewer).await?.into_iter();
        let ancestors = ancestors_read
            .iter()
            .map(|a| match a {
                Ok(_) => Ancestor::Visible(views.next().expect("presented")),
                Err(id) => Ancestor::Unavailable(*id),
            })
            .collect::<Vec<_>>();
        let tweet = views.next().expect("the tweet is presented");
        let descendants = replies_read
            .iter()
            .map(|(_, depth)| Reply {
                view: views.next().expect("presented"),
                depth: *depth,
            })
            .collect();
        Ok(Thread {
            ancestors,
            tweet,
            descendants,
            next_cursor,
        })
    }
}
