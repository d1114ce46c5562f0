//! What spans every aggregate: the running totals and the audit of the store's
//! invariants against its rows (`Store::totals`, `Store::audit`).

use crate::tweets::VERSION_KINDS;
use rusqlite::Connection;
use starling_core::TweetState;
use starling_store::*;

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
    // Replies and quotes count while anyone with the link may read them.
    let open = format!(
        "{}, {}",
        starling_core::Visibility::Public.code(),
        starling_core::Visibility::Unlisted.code()
    );
    let mut stmt = c.prepare(&format!(
        "SELECT t.id, t.likes, (SELECT COUNT(*) FROM likes l WHERE l.tweet_id = t.id),
                t.retweets, (SELECT COUNT(*) FROM retweets r WHERE r.tweet_id = t.id),
                t.replies, (SELECT COUNT(*) FROM tweets c WHERE c.reply_to_id = t.id AND c.state IN ({public}) AND c.visibility IN ({open})),
                t.quotes, (SELECT COUNT(*) FROM tweets q WHERE q.quote_of_id = t.id AND q.state IN ({public}) AND q.visibility IN ({open})),
                t.version, (SELECT COUNT(*) FROM tweet_events e WHERE e.tweet_id = t.id AND e.kind IN ({VERSION_KINDS})),
                t.last_seq, (SELECT MAX(seq) FROM tweet_events e WHERE e.tweet_id = t.id)
         FROM tweets t"
    ))?;
    let rows = stmt.query_map([], |r| {
        let mut row = [0i64; 13];
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
            quotes,
            quote_rows,
            version,
            versions,
            seq,
            max_seq,
        ] = row?;
        for (what, counter, counted) in [
            ("likes", likes, like_rows),
            ("retweets", rts, rt_rows),
            ("replies", replies, reply_rows),
            ("quotes", quotes, quote_rows),
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
    // Each user's counts against the rows they count.
    let mut stmt = c.prepare(&format!(
        "SELECT u.id,
                u.tweets, (SELECT COUNT(*) FROM tweets t WHERE t.author_id = u.id AND t.state IN ({public})),
                u.followers, (SELECT COUNT(*) FROM follows f WHERE f.followee_id = u.id),
                u.following, (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id)
         FROM users u"
    ))?;
    let rows = stmt.query_map([], |r| {
        let mut row = [0i64; 7];
        for (i, cell) in row.iter_mut().enumerate() {
            *cell = r.get(i)?;
        }
        Ok(row)
    })?;
    for row in rows {
        let [
            id,
            tweets,
            tweet_rows,
            followers,
            follower_rows,
            following,
            following_rows,
        ] = row?;
        for (what, counter, counted) in [
            ("tweets", tweets, tweet_rows),
            ("followers", followers, follower_rows),
            ("following", following, following_rows),
        ] {
            if counter != counted {
                problems.push(format!(
                    "user {id}: {what} is {counter}, its rows say {counted}"
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
