//! Reads. Every function takes a plain connection, so the writer can reuse them inside
//! its transaction to read back what it just wrote.

use rusqlite::{Connection, OptionalExtension, Row, params};
use starling_core::{ContentHash, TweetId, TweetState, UserId};
use starling_store::*;
use std::sync::Arc;

pub(crate) const TWEET_COLUMNS: &str = "t.id, t.author_id, u.username, u.display_name, u.created_at, \
     b.content, t.body_hash, b.entities, t.version, t.state, t.created_at, t.updated_at, \
     t.reply_to_id, t.likes, t.retweets, t.replies, t.views, t.rev";

pub(crate) const TWEET_JOINS: &str =
    "JOIN users u ON u.id = t.author_id JOIN bodies b ON b.hash = t.body_hash";

fn hash(row: &Row<'_>, i: usize) -> rusqlite::Result<ContentHash> {
    let bytes: Vec<u8> = row.get(i)?;
    ContentHash::from_slice(&bytes).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, "bad hash".into())
    })
}

fn state(row: &Row<'_>, i: usize) -> rusqlite::Result<TweetState> {
    let code: i64 = row.get(i)?;
    TweetState::from_code(code).ok_or(rusqlite::Error::IntegralValueOutOfRange(i, code))
}

pub(crate) fn tweet_row(row: &Row<'_>) -> rusqlite::Result<TweetRecord> {
    Ok(TweetRecord {
        id: TweetId(row.get(0)?),
        author: Arc::new(User {
            id: UserId(row.get(1)?),
            username: row.get(2)?,
            display_name: row.get(3)?,
            created_at: row.get(4)?,
        }),
        content: Arc::from(row.get::<_, String>(5)?),
        content_hash: hash(row, 6)?,
        entities_json: Arc::from(row.get::<_, String>(7)?),
        version: row.get(8)?,
        state: state(row, 9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
        reply_to: row.get::<_, Option<i64>>(12)?.map(TweetId),
        counters: Counters {
            likes: row.get(13)?,
            retweets: row.get(14)?,
            replies: row.get(15)?,
            views: row.get(16)?,
            rev: row.get(17)?,
        },
    })
}

fn user_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(row.get(0)?),
        username: row.get(1)?,
        display_name: row.get(2)?,
        created_at: row.get(3)?,
    })
}

pub(crate) fn user(c: &Connection, id: UserId) -> rusqlite::Result<Option<User>> {
    c.prepare_cached("SELECT id, username, display_name, created_at FROM users WHERE id = ?1")?
        .query_row([id.0], user_row)
        .optional()
}

pub(crate) fn credentials(c: &Connection, key: &str) -> rusqlite::Result<Option<(User, String)>> {
    c.prepare_cached(
        "SELECT id, username, display_name, created_at, password_hash FROM users WHERE username_key = ?1",
    )?
    .query_row([key], |r| Ok((user_row(r)?, r.get(4)?)))
    .optional()
}

const SESSION_COLUMNS: &str =
    "s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.token_hash";

pub(crate) fn session_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Session> {
    let hash: Vec<u8> = r.get(at + 5)?;
    Ok(Session {
        id: SessionId(r.get(at)?),
        user: UserId(r.get(at + 1)?),
        created_at: r.get(at + 2)?,
        last_used_at: r.get(at + 3)?,
        expires_at: r.get(at + 4)?,
        token_hash: hash.try_into().unwrap_or([0; 32]),
    })
}

/// The session a token opens and its user, expired or not: expiry is the caller's rule.
pub(crate) fn session_by_token(
    c: &Connection,
    token_hash: [u8; 32],
) -> rusqlite::Result<Option<(User, Session)>> {
    c.prepare_cached(&format!(
        "SELECT u.id, u.username, u.display_name, u.created_at, {SESSION_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1"
    ))?
    .query_row([&token_hash[..]], |r| {
        Ok((user_row(r)?, session_row(r, 4)?))
    })
    .optional()
}

pub(crate) fn sessions(c: &Connection, user: UserId) -> rusqlite::Result<Vec<Session>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.user_id = ?1 ORDER BY s.id DESC"
    ))?;
    let rows = stmt.query_map([user.0], |r| session_row(r, 0))?;
    rows.collect()
}

pub(crate) fn tweet(c: &Connection, id: TweetId) -> rusqlite::Result<Option<TweetRecord>> {
    c.prepare_cached(&format!(
        "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS} WHERE t.id = ?1"
    ))?
    .query_row([id.0], tweet_row)
    .optional()
}

pub(crate) fn counters(c: &Connection, id: TweetId) -> rusqlite::Result<Counters> {
    c.prepare_cached("SELECT likes, retweets, replies, views, rev FROM tweets WHERE id = ?1")?
        .query_row([id.0], |r| {
            Ok(Counters {
                likes: r.get(0)?,
                retweets: r.get(1)?,
                replies: r.get(2)?,
                views: r.get(3)?,
                rev: r.get(4)?,
            })
        })
}

pub(crate) fn list_tweets(c: &Connection, q: &TweetQuery) -> rusqlite::Result<Vec<TweetRecord>> {
    if q.states.is_empty() {
        return Ok(Vec::new());
    }
    // State codes come from an enum, never from input, so they are safe to inline;
    // inlining lets SQLite plan the IN list once per shape of query.
    let states = q
        .states
        .iter()
        .map(|s| s.code().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let before = q.before.map_or(i64::MAX, |id| id.0);
    let limit = q.limit as i64;
    let author = q.author.map(|a| a.0);
    let mut stmt;
    let rows = match &q.hashtag {
        Some(tag) => {
            stmt = c.prepare_cached(&format!(
                "SELECT {TWEET_COLUMNS} FROM hashtags h JOIN tweets t ON t.id = h.tweet_id {TWEET_JOINS}
                 WHERE h.tag = ?1 AND h.tweet_id < ?2 AND t.state IN ({states})
                   AND (?3 IS NULL OR t.author_id = ?3)
                 ORDER BY h.tweet_id DESC LIMIT ?4"
            ))?;
            stmt.query_map(params![tag, before, author, limit], tweet_row)?
        }
        None if author.is_some() => {
            stmt = c.prepare_cached(&format!(
                "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS}
                 WHERE t.author_id = ?1 AND t.id < ?2 AND t.state IN ({states})
                 ORDER BY t.id DESC LIMIT ?3"
            ))?;
            stmt.query_map(params![author, before, limit], tweet_row)?
        }
        None => {
            stmt = c.prepare_cached(&format!(
                "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS}
                 WHERE t.id < ?1 AND t.state IN ({states})
                 ORDER BY t.id DESC LIMIT ?2"
            ))?;
            stmt.query_map(params![before, limit], tweet_row)?
        }
    };
    rows.collect()
}

/// Event kinds that carry a new version.
const VERSION_KINDS: &str = "0, 1, 5";

pub(crate) fn versions(c: &Connection, id: TweetId) -> rusqlite::Result<Vec<VersionRecord>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT e.version, b.content, e.body_hash, e.at
         FROM tweet_events e JOIN bodies b ON b.hash = e.body_hash
         WHERE e.tweet_id = ?1 AND e.kind IN ({VERSION_KINDS}) ORDER BY e.seq"
    ))?;
    let rows = stmt.query_map([id.0], |r| {
        Ok(VersionRecord {
            version: r.get(0)?,
            content: r.get(1)?,
            content_hash: hash(r, 2)?,
            created_at: r.get(3)?,
        })
    })?;
    rows.collect()
}

pub(crate) fn version_body(
    c: &Connection,
    id: TweetId,
    version: i64,
) -> rusqlite::Result<Option<Vec<u8>>> {
    c.prepare_cached(&format!(
        "SELECT body_hash FROM tweet_events WHERE tweet_id = ?1 AND version = ?2 AND kind IN ({VERSION_KINDS})"
    ))?
    .query_row(params![id.0, version], |r| r.get(0))
    .optional()
}

pub(crate) fn events(c: &Connection, id: TweetId) -> rusqlite::Result<Vec<EventRecord>> {
    let mut stmt = c.prepare_cached(
        "SELECT seq, kind, version, body_hash, actor_id, at FROM tweet_events WHERE tweet_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([id.0], |r| {
        let code: i64 = r.get(1)?;
        Ok(EventRecord {
            seq: r.get(0)?,
            kind: EventKind::from_code(code)
                .ok_or(rusqlite::Error::IntegralValueOutOfRange(1, code))?,
            version: r.get(2)?,
            content_hash: hash(r, 3)?,
            actor: UserId(r.get(4)?),
            created_at: r.get(5)?,
        })
    })?;
    rows.collect()
}

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
    ids.iter()
        .map(|&id| Ok((has_liked(c, id, user)?, has_retweeted(c, id, user)?)))
        .collect()
}

pub(crate) fn totals(c: &Connection) -> rusqlite::Result<Totals> {
    c.prepare_cached(
        "SELECT tweets, versions, bodies, likes, retweets, replies, views FROM totals WHERE id = 1",
    )?
    .query_row([], |r| {
        Ok(Totals {
            tweets: r.get(0)?,
            versions: r.get(1)?,
            bodies: r.get(2)?,
            likes: r.get(3)?,
            retweets: r.get(4)?,
            replies: r.get(5)?,
            views: r.get(6)?,
        })
    })
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

/// The store's invariants, checked against its rows (see `Store::audit`).
pub(crate) fn audit(c: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut problems = Vec::new();
    let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        problems.push(format!("integrity check: {integrity}"));
    }
    let public = format!(
        "{}, {}",
        TweetState::Published.code(),
        TweetState::Edited.code()
    );
    let mut stmt = c.prepare(&format!(
        "SELECT t.id, t.likes, (SELECT COUNT(*) FROM likes l WHERE l.tweet_id = t.id),
                t.retweets, (SELECT COUNT(*) FROM retweets r WHERE r.tweet_id = t.id),
                t.replies, (SELECT COUNT(*) FROM tweets c WHERE c.reply_to_id = t.id AND c.state IN ({public})),
                t.version, (SELECT COUNT(*) FROM tweet_events e WHERE e.tweet_id = t.id AND e.kind IN ({VERSION_KINDS})),
                t.last_seq, (SELECT MAX(seq) FROM tweet_events e WHERE e.tweet_id = t.id)
         FROM tweets t"
    ))?;
    let rows = stmt.query_map([], |r| {
        let mut row = [0i64; 11];
        for (i, cell) in row.iter_mut().enumerate() {
            *cell = r.get::<_, Option<i64>>(i)?.unwrap_or(-1);
        }
        Ok(row)
    })?;
    for row in rows {
        let [
            id,
            likes,
            like_rows,
            rts,
            rt_rows,
            replies,
            reply_rows,
            version,
            versions,
            seq,
            max_seq,
        ] = row?;
        for (what, counter, counted) in [
            ("likes", likes, like_rows),
            ("retweets", rts, rt_rows),
            ("replies", replies, reply_rows),
            ("version", version, versions),
            ("last_seq", seq, max_seq),
        ] {
            if counter != counted {
                problems.push(format!(
                    "tweet {id}: {what} is {counter}, its rows say {counted}"
                ));
            }
        }
    }
    let totals = totals(c)?;
    let counted: [i64; 6] = c.query_row(
        "SELECT (SELECT COUNT(*) FROM tweets WHERE state <> ?1),
                (SELECT COUNT(*) FROM bodies),
                (SELECT COUNT(*) FROM likes),
                (SELECT COUNT(*) FROM retweets),
                (SELECT COALESCE(SUM(replies), 0) FROM tweets),
                (SELECT COALESCE(SUM(views), 0) FROM tweets)",
        [TweetState::Deleted.code()],
        |r| {
            Ok([
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ])
        },
    )?;
    for (what, total, rows) in [
        ("tweets", totals.tweets, counted[0]),
        ("bodies", totals.bodies, counted[1]),
        ("likes", totals.likes, counted[2]),
        ("retweets", totals.retweets, counted[3]),
        ("replies", totals.replies, counted[4]),
        ("views", totals.views, counted[5]),
    ] {
        if total != rows {
            problems.push(format!("totals: {what} is {total}, its rows say {rows}"));
        }
    }
    Ok(problems)
}
