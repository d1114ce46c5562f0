//! Likes, retweets and views, each counter moved in the same transaction as the rows it
//! counts: [`EngagementStore`] for SQLite.

use crate::Sqlite;
use crate::connection::sql;
use crate::tweets;
use crate::writer::Tx;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};
use starling_core::visibility::{Facts, Standing, Viewer, Visibility, access};
use starling_core::{EngagementAction, Refusal, TweetId, TweetState, UserId};
use starling_store::*;

#[async_trait]
impl EngagementStore for Sqlite {
    async fn engage(&self, engagement: Engage) -> Result<Engaged> {
        self.writer.run(move |tx| engage(tx, engagement)).await
    }

    async fn add_views(&self, views: Vec<(TweetId, i64)>) -> Result<Vec<(TweetId, Counters)>> {
        self.writer.run(move |tx| add_views(tx, views)).await
    }

    async fn viewer_flags(&self, user: UserId, ids: &[TweetId]) -> Result<Vec<(bool, bool)>> {
        let ids = ids.to_vec();
        self.readers
            .run(move |c| crate::readers::in_snapshot(c, |c| viewer_flags(c, user, &ids)))
            .await
    }

    async fn engagement_since(&self, since: i64) -> Result<Vec<(TweetId, i64)>> {
        self.readers.run(move |c| engagement_since(c, since)).await
    }
}

// Writes.

pub(crate) fn engage(tx: &mut Tx<'_>, e: Engage) -> Result<Engaged> {
    type Row = (i64, i64, i64, Vec<u8>, Option<i64>, String);
    let row: Option<Row> = tx
        .conn
        .prepare_cached(
            "SELECT author_id, state, visibility, body_hash, retweet_of_id, mentions
             FROM tweets WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([e.id.0], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .optional()
        })
        .map_err(sql)?;
    let (author, state, visibility, body, retweet_of, mentions) =
        row.ok_or(StoreError::Refused(Refusal::NotFound))?;
    if retweet_of.is_some() {
        // The engine engages with the original: an entry here is a caller's bug.
        return Err(StoreError::message(
            "engagement with a retweet entry, not its original",
        ));
    }
    let state =
        TweetState::from_code(state).ok_or_else(|| StoreError::message("unknown state code"))?;
    // The whole policy, decided here with the graph rows as this transaction sees them,
    // so a block committed before this write is always respected.
    let author = UserId(author);
    let visibility = Visibility::from_code(visibility)
        .ok_or_else(|| StoreError::message("unknown visibility code"))?;
    let standing = match author == e.user {
        true => Standing::default(),
        false => Standing::from(crate::graph::relationship(tx.conn, e.user, author).map_err(sql)?),
    };
    let mentions = Mention::decode_all(&mentions);
    let facts = Facts {
        state,
        author,
        visibility,
        mentions: &mentions,
    };
    match access(facts, &Viewer::user(e.user), standing) {
        starling_core::Access::Hidden => return Err(Refusal::NotFound.into()),
        starling_core::Access::Readable => return Err(Refusal::ReadOnly(state).into()),
        starling_core::Access::Engageable => {}
    }
    if e.action == EngagementAction::Retweet && !visibility.is_open() {
        return Err(Refusal::Invalid(starling_core::ValidationError::new(
            "visibility",
            "only public and unlisted tweets can be retweeted",
        ))
        .into());
    }
    let visibility = visibility.code();
    // An unretweet's entry, read before its row goes.
    let removed_entry = match e.action {
        EngagementAction::Unretweet => retweet_entry(tx.conn, e.id, e.user).map_err(sql)?,
        _ => None,
    };
    let (change, counter) = match e.action {
        EngagementAction::Like => (
            "INSERT OR IGNORE INTO likes (tweet_id, user_id, created_at) VALUES (?1, ?2, ?3)",
            "likes = likes + 1",
        ),
        EngagementAction::Unlike => (
            "DELETE FROM likes WHERE tweet_id = ?1 AND user_id = ?2 AND ?3 IS NOT NULL",
            "likes = likes - 1",
        ),
        EngagementAction::Retweet => (
            "INSERT OR IGNORE INTO retweets (tweet_id, user_id, created_at) VALUES (?1, ?2, ?3)",
            "retweets = retweets + 1",
        ),
        EngagementAction::Unretweet => (
            "DELETE FROM retweets WHERE tweet_id = ?1 AND user_id = ?2 AND ?3 IS NOT NULL",
            "retweets = retweets - 1",
        ),
        EngagementAction::View => {
            return Err(StoreError::message("views are counted through add_views"));
        }
    };
    let changed = tx
        .conn
        .prepare_cached(change)
        .and_then(|mut s| s.execute(params![e.id.0, e.user.0, e.now]))
        .map_err(sql)?
        == 1;
    if changed {
        match e.action {
            EngagementAction::Retweet => add_entry(tx, &e, visibility, &body)?,
            EngagementAction::Like => {
                let like = DeliveryKind::Like {
                    liker: e.user,
                    tweet: e.id,
                    author,
                };
                crate::timelines::record(tx.conn, like, e.now).map_err(sql)?;
            }
            // Undone: so is its notification.
            EngagementAction::Unlike => crate::notifications::withdraw(
                tx.conn,
                author,
                NotificationKind::Like,
                e.user,
                Some(e.id),
            )
            .map_err(sql)?,
            EngagementAction::Unretweet => crate::notifications::withdraw(
                tx.conn,
                author,
                NotificationKind::Retweet,
                e.user,
                Some(e.id),
            )
            .map_err(sql)?,
            EngagementAction::View => {}
        }
        // The counter moves in the same transaction as the row it counts: they cannot diverge.
        tx.conn
            .prepare_cached(&format!(
                "UPDATE tweets SET {counter}, rev = rev + 1 WHERE id = ?1"
            ))
            .and_then(|mut s| s.execute([e.id.0]))
            .map_err(sql)?;
        match e.action {
            EngagementAction::Like => tx.deltas.likes += 1,
            EngagementAction::Unlike => tx.deltas.likes -= 1,
            EngagementAction::Retweet => tx.deltas.retweets += 1,
            EngagementAction::Unretweet => tx.deltas.retweets -= 1,
            EngagementAction::View => {}
        }
    }
    let liked = match e.action {
        EngagementAction::Like => true,
        EngagementAction::Unlike => false,
        _ => has_liked(tx.conn, e.id, e.user).map_err(sql)?,
    };
    let retweeted = match e.action {
        EngagementAction::Retweet => true,
        EngagementAction::Unretweet => false,
        _ => has_retweeted(tx.conn, e.id, e.user).map_err(sql)?,
    };
    let removed_entry = removed_entry.filter(|_| changed);
    if let Some(entry) = removed_entry {
        remove_entry(tx, entry, e.user, e.now)?;
    }
    let counters = tweets::counters(tx.conn, e.id).map_err(sql)?;
    let entry = match e.action {
        EngagementAction::Retweet => retweet_entry(tx.conn, e.id, e.user).map_err(sql)?,
        EngagementAction::Unretweet => removed_entry,
        _ => None,
    };
    let entry = match entry {
        Some(entry) => Some(tweets::load(tx, entry)?),
        None => None,
    };
    Ok(Engaged {
        counters,
        changed,
        liked,
        retweeted,
        entry,
    })
}

/// A retweet's own entry: a tweet row by the retweeter pointing at the original, with
/// the original's body as it is now and its visibility, created like any tweet (a
/// version, an event, the totals).
fn add_entry(tx: &mut Tx<'_>, e: &Engage, visibility: i64, body: &[u8]) -> Result<()> {
    let entry = TweetId(tx.ids.next(e.now));
    tx.conn
        .prepare_cached(
            "INSERT INTO tweets (id, author_id, body_hash, version, state, created_at, updated_at,
                                 rev, last_seq, visibility, conversation_id, retweet_of_id, position)
             VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5, 1, 1, ?6, ?1, ?7, ?1)",
        )
        .and_then(|mut s| {
            s.execute(params![
                entry.0,
                e.user.0,
                body,
                TweetState::Published.code(),
                e.now,
                visibility,
                e.id.0
            ])
        })
        .map_err(sql)?;
    let hash = starling_core::ContentHash::from_slice(body)
        .ok_or_else(|| StoreError::message("bad body hash"))?;
    tweets::deliver(tx, entry, entry, e.user, e.now)?;
    tweets::append_event(
        tx,
        entry,
        EventRecord {
            seq: 1,
            kind: EventKind::Created,
            version: 1,
            content_hash: hash,
            actor: e.user,
            created_at: e.now,
        },
        "",
    )?;
    tx.conn
        .prepare_cached("UPDATE retweets SET entry_id = ?3 WHERE tweet_id = ?1 AND user_id = ?2")
        .and_then(|mut s| s.execute(params![e.id.0, e.user.0, entry.0]))
        .map_err(sql)?;
    tx.deltas.tweets += 1;
    tx.deltas.versions += 1;
    tweets::count_tweet(tx, e.user, 1)
}

/// An unretweet deletes the entry, as its author deleting it would (an event, the totals).
fn remove_entry(tx: &mut Tx<'_>, entry: TweetId, actor: UserId, now: i64) -> Result<()> {
    let (last_seq, version, body): (i64, i64, Vec<u8>) = tx
        .conn
        .prepare_cached("SELECT last_seq, version, body_hash FROM tweets WHERE id = ?1")
        .and_then(|mut s| s.query_row([entry.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))))
        .map_err(sql)?;
    let hash = starling_core::ContentHash::from_slice(&body)
        .ok_or_else(|| StoreError::message("bad body hash"))?;
    tx.conn
        .prepare_cached(
            "UPDATE tweets SET state = ?2, updated_at = ?3, rev = rev + 1, last_seq = ?4 WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![entry.0, TweetState::Deleted.code(), now, last_seq + 1])
        })
        .map_err(sql)?;
    tweets::append_event(
        tx,
        entry,
        EventRecord {
            seq: last_seq + 1,
            kind: EventKind::Deleted,
            version,
            content_hash: hash,
            actor,
            created_at: now,
        },
        "",
    )?;
    tx.deltas.tweets -= 1;
    tweets::count_tweet(tx, actor, -1)
}

pub(crate) fn retweet_entry(
    c: &Connection,
    tweet: TweetId,
    user: UserId,
) -> rusqlite::Result<Option<TweetId>> {
    Ok(
        c.prepare_cached("SELECT entry_id FROM retweets WHERE tweet_id = ?1 AND user_id = ?2")?
            .query_row(params![tweet.0, user.0], |r| r.get::<_, Option<i64>>(0))
            .optional()?
            .flatten()
            .map(TweetId),
    )
}

pub(crate) fn add_views(
    tx: &mut Tx<'_>,
    views: Vec<(TweetId, i64)>,
) -> Result<Vec<(TweetId, Counters)>> {
    let mut updated = Vec::with_capacity(views.len());
    for (id, n) in views {
        let changed = tx
            .conn
            .prepare_cached("UPDATE tweets SET views = views + ?2, rev = rev + 1 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id.0, n]))
            .map_err(sql)?;
        if changed == 1 {
            tx.deltas.views += n;
            updated.push((id, tweets::counters(tx.conn, id).map_err(sql)?));
        }
    }
    Ok(updated)
}

// Reads.

pub(crate) fn has_liked(c: &Connection, tweet: TweetId, user: UserId) -> rusqlite::Result<bool> {
    c.prepare_cached("SELECT 1 FROM likes WHERE tweet_id = ?1 AND user_id = ?2")?
        .exists(params![tweet.0, user.0])
}

pub(crate) fn has_retweeted(
    c: &Connection,
    tweet: TweetId,
    user: UserId,
) -> rusqlite::Result<bool> {
    c.prepare_cached("SELECT 1 FROM retweets WHERE tweet_id = ?1 AND user_id = ?2")?
        .exists(params![tweet.0, user.0])
}

pub(crate) fn viewer_flags(
    c: &Connection,
    user: UserId,
    ids: &[TweetId],
) -> rusqlite::Result<Vec<(bool, bool)>> {
    // One point lookup per tweet and table, each a cached statement: cheaper than
    // preparing a statement with the page's ids inlined (which measured as a tenth of a
    // home read's CPU).
    ids.iter()
        .map(|&id| Ok((has_liked(c, id, user)?, has_retweeted(c, id, user)?)))
        .collect()
}

pub(crate) fn engagement_since(
    c: &Connection,
    since: i64,
) -> rusqlite::Result<Vec<(TweetId, i64)>> {
    let mut stmt = c.prepare_cached(
        "SELECT tweet_id, created_at FROM likes WHERE created_at >= ?1
         UNION ALL SELECT tweet_id, created_at FROM retweets WHERE created_at >= ?1
         UNION ALL SELECT reply_to_id, created_at FROM tweets
             WHERE id >= ?2 AND reply_to_id IS NOT NULL AND state IN (1, 2)",
    )?;
    // Tweet ids start with their creation time, so the primary key bounds the scan.
    let first_id = (since - starling_core::id::EPOCH_MILLIS).max(0) << 22;
    let rows = stmt.query_map([since, first_id], |r| Ok((TweetId(r.get(0)?), r.get(1)?)))?;
    rows.collect()
}
