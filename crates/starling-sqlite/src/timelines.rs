//! Home timelines: the outbox of deliveries (recorded by the other aggregates' writes, in
//! their transactions: `record`) and the reads that rebuild a timeline from the truth.

use crate::Sqlite;
use crate::connection::sql;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};
use starling_core::{TweetId, TweetState, UserId};
use starling_store::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Claims on the outbox, kept in memory: one process owns the file, so claims need not
/// be written (nor wait for an fsync); after a restart every record still in the table
/// is claimed again, which deliveries allow (they are idempotent).
#[derive(Default)]
pub(crate) struct Claims {
    /// The largest id handed out so far: newer records are claimed above it.
    high: i64,
    /// Claimed and not finished: each with when its claim runs out.
    held: std::collections::BTreeMap<i64, (Delivery, i64)>,
}

/// Record `kind` in the outbox, in the caller's transaction.
pub(crate) fn record(c: &Connection, kind: DeliveryKind, now: i64) -> rusqlite::Result<()> {
    let (code, tweet, author, user) = columns(kind);
    let position = match kind {
        DeliveryKind::Post(e) => Some(e.position.0),
        _ => None,
    };
    c.prepare_cached(
        "INSERT INTO deliveries (kind, tweet_id, author_id, user_id, created_at, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![code, tweet, author, user, now, position])?;
    Ok(())
}

/// A delivery's columns: kind code, tweet, author, user.
fn columns(kind: DeliveryKind) -> (i64, Option<i64>, i64, Option<i64>) {
    match kind {
        DeliveryKind::Post(e) => (0, Some(e.id.0), e.author.0, None),
        DeliveryKind::Follow { follower, followee } => (1, None, followee.0, Some(follower.0)),
        DeliveryKind::Like {
            liker,
            tweet,
            author,
        } => (2, Some(tweet.0), author.0, Some(liker.0)),
        DeliveryKind::FollowRequest { requester, target } => (3, None, target.0, Some(requester.0)),
    }
}

/// A delivery from its row (`id, kind, tweet_id, author_id, user_id, created_at, attempts,
/// position`).
fn delivery(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Delivery>> {
    let (kind, tweet, author, user): (i64, Option<i64>, i64, Option<i64>) =
        (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
    let kind = match (kind, tweet, user) {
        (0, Some(tweet), _) => DeliveryKind::Post(Entry {
            position: TweetId(r.get::<_, Option<i64>>(7)?.unwrap_or(tweet)),
            id: TweetId(tweet),
            author: UserId(author),
        }),
        (1, _, Some(user)) => DeliveryKind::Follow {
            follower: UserId(user),
            followee: UserId(author),
        },
        (2, Some(tweet), Some(user)) => DeliveryKind::Like {
            liker: UserId(user),
            tweet: TweetId(tweet),
            author: UserId(author),
        },
        (3, _, Some(user)) => DeliveryKind::FollowRequest {
            requester: UserId(user),
            target: UserId(author),
        },
        // A kind a later version wrote: left for that version to carry out.
        _ => return Ok(None),
    };
    Ok(Some(Delivery {
        id: r.get(0)?,
        kind,
        created_at: r.get(5)?,
        attempts: r.get(6)?,
    }))
}

#[async_trait]
impl TimelineStore for Sqlite {
    async fn claim_deliveries(&self, now: i64, until: i64, limit: usize) -> Result<Vec<Delivery>> {
        // One claimer at a time: two must never be handed the same record.
        let mut claims = self.claims.lock().await;
        let mut claimed: Vec<Delivery> = Vec::new();
        // Claims that ran out (a worker failed with them) first, counted.
        for (d, held) in claims.held.values_mut() {
            if claimed.len() == limit {
                break;
            }
            if *held <= now {
                *held = until;
                d.attempts += 1;
                claimed.push(*d);
            }
        }
        let after = claims.high;
        let want = (limit - claimed.len()) as i64;
        let fresh = self
            .readers
            .run(move |c| {
                let mut stmt = c.prepare_cached(
                    "SELECT id, kind, tweet_id, author_id, user_id, created_at, attempts, position
                     FROM deliveries WHERE id > ?1 ORDER BY id LIMIT ?2",
                )?;
                let rows = stmt.query_map(params![after, want], |r| {
                    Ok((r.get::<_, i64>(0)?, delivery(r)?))
                })?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .await?;
        for (id, d) in fresh {
            claims.high = claims.high.max(id);
            // A kind a later version wrote stays for that version.
            if let Some(d) = d {
                claims.held.insert(id, (d, until));
                claimed.push(d);
            }
        }
        claimed.sort_unstable_by_key(|d| d.id);
        Ok(claimed)
    }

    async fn finish_deliveries(&self, ids: &[i64]) -> Result<()> {
        let ids = ids.to_vec();
        let done = ids.clone();
        self.writer
            .run(move |tx| {
                let mut stmt = tx
                    .conn
                    .prepare_cached("DELETE FROM deliveries WHERE id = ?1")
                    .map_err(sql)?;
                for id in ids {
                    stmt.execute([id]).map_err(sql)?;
                }
                Ok(())
            })
            .await?;
        let mut claims = self.claims.lock().await;
        for id in done {
            claims.held.remove(&id);
        }
        Ok(())
    }

    async fn delivery_backlog(&self) -> Result<Backlog> {
        self.readers
            .run(|c| {
                c.prepare_cached("SELECT COUNT(*), MIN(created_at) FROM deliveries")?
                    .query_row([], |r| {
                        Ok(Backlog {
                            waiting: r.get::<_, i64>(0)?.max(0) as u64,
                            oldest: r.get(1)?,
                        })
                    })
            })
            .await
    }

    async fn followers_page(
        &self,
        author: UserId,
        after: Option<FollowerCursor>,
        limit: usize,
    ) -> Result<Vec<(UserId, FollowerCursor)>> {
        let (at, user) = after.map_or((i64::MIN, i64::MIN), |a| (a.followed_at, a.follower.0));
        self.readers
            .run(move |c| {
                let mut stmt = c.prepare_cached(
                    "SELECT follower_id, created_at FROM follows
                     WHERE followee_id = ?1 AND (created_at, follower_id) > (?2, ?3)
                     ORDER BY created_at, follower_id LIMIT ?4",
                )?;
                let rows = stmt.query_map(params![author.0, at, user, limit as i64], |r| {
                    let follower = UserId(r.get(0)?);
                    Ok((
                        follower,
                        FollowerCursor {
                            followed_at: r.get(1)?,
                            follower,
                        },
                    ))
                })?;
                rows.collect()
            })
            .await
    }

    async fn followees(&self, user: UserId) -> Result<Vec<UserId>> {
        self.readers
            .run(move |c| {
                let mut stmt =
                    c.prepare_cached("SELECT followee_id FROM follows WHERE follower_id = ?1")?;
                let rows = stmt.query_map([user.0], |r| Ok(UserId(r.get(0)?)))?;
                rows.collect()
            })
            .await
    }

    async fn recent_entries(
        &self,
        authors: &[UserId],
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Vec<Entry>> {
        let authors = authors.to_vec();
        let before = before.map_or(i64::MAX, |b| b.0);
        self.readers
            .run(move |c| {
                crate::readers::in_snapshot(c, |c| recent_entries(c, &authors, before, limit))
            })
            .await
    }

    async fn merged_followees(&self, user: UserId) -> Result<Vec<UserId>> {
        self.readers
            .run(move |c| {
                let mut stmt = c.prepare_cached(
                    "SELECT m.user_id FROM merged_authors m
                     JOIN follows f ON f.followee_id = m.user_id AND f.follower_id = ?1",
                )?;
                let rows = stmt.query_map([user.0], |r| Ok(UserId(r.get(0)?)))?;
                rows.collect()
            })
            .await
    }

    async fn home_context(&self, user: UserId) -> Result<HomeContext> {
        self.readers
            .run(move |c| {
                let mut context = HomeContext::default();
                let mut stmt = c.prepare_cached(
                    "SELECT blocked_id, 0 FROM blocks WHERE blocker_id = ?1
                     UNION SELECT blocker_id, 0 FROM blocks WHERE blocked_id = ?1
                     UNION SELECT muted_id, 1 FROM mutes WHERE muter_id = ?1
                     UNION SELECT m.user_id, 2 FROM merged_authors m
                           JOIN follows f ON f.followee_id = m.user_id AND f.follower_id = ?1",
                )?;
                let rows = stmt.query_map([user.0], |r| Ok((UserId(r.get(0)?), r.get(1)?)))?;
                for row in rows {
                    match row? {
                        (id, 0) => context.hidden.blocked.push(id),
                        (id, 1) => context.hidden.muted.push(id),
                        (id, _) => context.merged.push(id),
                    }
                }
                Ok(context)
            })
            .await
    }

    async fn is_merged(&self, author: UserId) -> Result<bool> {
        self.readers
            .run(move |c| {
                c.prepare_cached("SELECT 1 FROM merged_authors WHERE user_id = ?1")?
                    .query_row([author.0], |_| Ok(()))
                    .optional()
                    .map(|found| found.is_some())
            })
            .await
    }

    async fn set_merged(&self, author: UserId, merged: bool, now: i64) -> Result<()> {
        self.writer
            .run(move |tx| {
                let stmt = match merged {
                    true => {
                        "INSERT INTO merged_authors (user_id, since) VALUES (?1, ?2)
                             ON CONFLICT DO NOTHING"
                    }
                    false => "DELETE FROM merged_authors WHERE user_id = ?1 AND ?2 = ?2",
                };
                tx.conn
                    .prepare_cached(stmt)
                    .and_then(|mut s| s.execute(params![author.0, now]))
                    .map_err(sql)?;
                Ok(())
            })
            .await
    }
}

/// The newest `limit` entries by `authors` positioned below `before`, exactly: each
/// author's newest are read from the `(author_id, position)` index, only above the lowest
/// position kept so far once `limit` are kept, so an author with nothing recent costs one
/// index probe.
fn recent_entries(
    c: &Connection,
    authors: &[UserId],
    before: i64,
    limit: usize,
) -> rusqlite::Result<Vec<Entry>> {
    let mut kept: BinaryHeap<Reverse<Entry>> = BinaryHeap::with_capacity(limit + 1);
    if limit == 0 {
        return Ok(vec![]);
    }
    let mut stmt = c.prepare_cached(
        "SELECT position, id FROM tweets
         WHERE author_id = ?1 AND position < ?2 AND position > ?3 AND state IN (?4, ?5)
         ORDER BY position DESC LIMIT ?6",
    )?;
    let (published, edited) = (TweetState::Published.code(), TweetState::Edited.code());
    for author in authors {
        let floor = match kept.len() == limit {
            true => kept.peek().map_or(0, |Reverse(e)| e.position.0),
            false => 0,
        };
        let ids = stmt.query_map(
            params![author.0, before, floor, published, edited, limit as i64],
            |r| {
                Ok(Entry {
                    position: TweetId(r.get(0)?),
                    id: TweetId(r.get(1)?),
                    author: *author,
                })
            },
        )?;
        for entry in ids {
            kept.push(Reverse(entry?));
            if kept.len() > limit {
                kept.pop();
            }
        }
    }
    let mut entries: Vec<Entry> = kept.into_iter().map(|Reverse(e)| e).collect();
    entries.sort_unstable_by_key(|e| Reverse(*e));
    Ok(entries)
}
