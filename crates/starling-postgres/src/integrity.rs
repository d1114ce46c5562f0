//! What spans every aggregate: the running totals (sharded, see the schema) and the
//! audit of the store's invariants against its rows (`Store::totals`, `Store::audit`).

use crate::connection::{Client, Tx, pg};
use crate::tweets::VERSION_KINDS;
use starling_core::TweetState;
use starling_store::*;

/// Move one shard of the running totals: `$1` the shard, then the deltas in the order
/// of [`Totals`]' fields.
pub(crate) const ADD_TOTALS: &str = "UPDATE totals SET tweets = tweets + $2,
        versions = versions + $3, bodies = bodies + $4, likes = likes + $5,
        retweets = retweets + $6, replies = replies + $7, views = views + $8
    WHERE shard = $1";

/// Move the running totals by `d`, in the transaction that moved the rows.
pub(crate) async fn add_totals(tx: &Tx<'_>, d: &Totals) -> Result<()> {
    if *d == Totals::default() {
        return Ok(());
    }
    let shard = shard();
    let stmt = tx.prepare_cached(ADD_TOTALS).await.map_err(pg)?;
    tx.execute(
        &stmt,
        &[
            &shard,
            &d.tweets,
            &d.versions,
            &d.bodies,
            &d.likes,
            &d.retweets,
            &d.replies,
            &d.views,
        ],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

/// A totals shard: chosen per transaction, it spreads the row locks; which one does not
/// matter.
pub(crate) fn shard() -> i64 {
    i64::from(std::process::id() ^ nanos()) & 63
}

fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

pub(crate) async fn totals(c: &Client) -> Result<Totals> {
    let row = c
        .query_one(
            "SELECT SUM(tweets)::BIGINT, SUM(versions)::BIGINT, SUM(bodies)::BIGINT,
                    SUM(likes)::BIGINT, SUM(retweets)::BIGINT, SUM(replies)::BIGINT,
                    SUM(views)::BIGINT
             FROM totals",
            &[],
        )
        .await
        .map_err(pg)?;
    Ok(Totals {
        tweets: row.get(0),
        versions: row.get(1),
        bodies: row.get(2),
        likes: row.get(3),
        retweets: row.get(4),
        replies: row.get(5),
        views: row.get(6),
    })
}

/// The store's invariants, checked against its rows (see `Store::audit`).
pub(crate) async fn audit(c: &Client) -> Result<Vec<String>> {
    let mut problems = Vec::new();
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
    let rows = c
        .query(
            &format!(
                "SELECT t.id,
                    t.likes, (SELECT COUNT(*) FROM likes l WHERE l.tweet_id = t.id),
                    t.retweets, (SELECT COUNT(*) FROM retweets r WHERE r.tweet_id = t.id),
                    t.replies, (SELECT COUNT(*) FROM tweets c
                                WHERE c.reply_to_id = t.id AND c.state IN ({public})
                                  AND c.visibility IN ({open})),
                    t.quotes, (SELECT COUNT(*) FROM tweets q
                               WHERE q.quote_of_id = t.id AND q.state IN ({public})
                                 AND q.visibility IN ({open})),
                    t.version, (SELECT COUNT(*) FROM tweet_events e
                                WHERE e.tweet_id = t.id AND e.kind IN ({VERSION_KINDS})),
                    t.last_seq, (SELECT COALESCE(MAX(seq), -1) FROM tweet_events e
                                 WHERE e.tweet_id = t.id)
                 FROM tweets t"
            ),
            &[],
        )
        .await
        .map_err(pg)?;
    for row in rows {
        let id: i64 = row.get(0);
        for (what, at) in [
            ("likes", 1),
            ("retweets", 3),
            ("replies", 5),
            ("quotes", 7),
            ("version", 9),
            ("last_seq", 11),
        ] {
            let (counter, counted): (i64, i64) = (row.get(at), row.get(at + 1));
            if counter != counted {
                problems.push(format!(
                    "tweet {id}: {what} is {counter}, its rows say {counted}"
                ));
            }
        }
    }
    // Each user's counts against the rows they count.
    let rows = c
        .query(
            &format!(
                "SELECT u.id,
                    u.tweets, (SELECT COUNT(*) FROM tweets t
                               WHERE t.author_id = u.id AND t.state IN ({public})),
                    u.followers, (SELECT COUNT(*) FROM follows f WHERE f.followee_id = u.id),
                    u.following, (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id)
                 FROM users u"
            ),
            &[],
        )
        .await
        .map_err(pg)?;
    for row in rows {
        let id: i64 = row.get(0);
        for (what, at) in [("tweets", 1), ("followers", 3), ("following", 5)] {
            let (counter, counted): (i64, i64) = (row.get(at), row.get(at + 1));
            if counter != counted {
                problems.push(format!(
                    "user {id}: {what} is {counter}, its rows say {counted}"
                ));
            }
        }
    }
    let totals = totals(c).await?;
    let counted = c
        .query_one(
            "SELECT (SELECT COUNT(*) FROM tweets WHERE state <> $1),
                    (SELECT COUNT(*) FROM bodies),
                    (SELECT COUNT(*) FROM likes),
                    (SELECT COUNT(*) FROM retweets),
                    (SELECT COALESCE(SUM(replies), 0)::BIGINT FROM tweets),
                    (SELECT COALESCE(SUM(views), 0)::BIGINT FROM tweets)",
            &[&TweetState::Deleted.code()],
        )
        .await
        .map_err(pg)?;
    for (what, total, at) in [
        ("tweets", totals.tweets, 0),
        ("bodies", totals.bodies, 1),
        ("likes", totals.likes, 2),
        ("retweets", totals.retweets, 3),
        ("replies", totals.replies, 4),
        ("views", totals.views, 5),
    ] {
        let rows: i64 = counted.get(at);
        if total != rows {
            problems.push(format!("totals: {what} is {total}, its rows say {rows}"));
        }
    }
    Ok(problems)
}
