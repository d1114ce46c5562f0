//! Likes, retweets and views, each counter moved in the same transaction as the rows it
//! counts: [`EngagementStore`] for PostgreSQL.

use crate::Postgres;
use crate::connection::{Tx, pg, transaction};
use crate::integrity::add_totals;
use crate::tweets::{COUNTER_COLUMNS, counters_row};
use async_trait::async_trait;
use starling_core::visibility::{Viewer, access};
use starling_core::{EngagementAction, Refusal, TweetId, TweetState, UserId};
use starling_store::*;

#[async_trait]
impl EngagementStore for Postgres {
    async fn engage(&self, engagement: Engage) -> Result<Engaged> {
        transaction!(self.pool, |tx| engage(&tx, &engagement))
    }

    async fn add_views(&self, views: Vec<(TweetId, i64)>) -> Result<Vec<(TweetId, Counters)>> {
        // In id order, so two nodes flushing at once lock rows in the same order.
        let mut views = views;
        views.sort_unstable_by_key(|(id, _)| *id);
        transaction!(self.pool, |tx| add_views(&tx, &views))
    }

    async fn viewer_flags(&self, user: UserId, ids: &[TweetId]) -> Result<Vec<(bool, bool)>> {
        let client = self.pool.client().await?;
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let stmt = client
            .prepare_cached(
                "SELECT i.id,
                        EXISTS (SELECT 1 FROM likes l WHERE l.tweet_id = i.id AND l.user_id = $1),
                        EXISTS (SELECT 1 FROM retweets r WHERE r.tweet_id = i.id AND r.user_id = $1)
                 FROM unnest($2::BIGINT[]) WITH ORDINALITY AS i(id, n) ORDER BY i.n",
            )
            .await
            .map_err(pg)?;
        let rows = client.query(&stmt, &[&user.0, &ids]).await.map_err(pg)?;
        Ok(rows.iter().map(|r| (r.get(1), r.get(2))).collect())
    }

    async fn engagement_since(&self, since: i64) -> Result<Vec<(TweetId, i64)>> {
        let client = self.pool.client().await?;
        // Tweet ids start with their creation time, so the primary key bounds the scan.
        let first_id = (since - starling_core::id::EPOCH_MILLIS).max(0) << 22;
        let public = [TweetState::Published.code(), TweetState::Edited.code()];
        let rows = client
            .query(
                "SELECT tweet_id, created_at FROM likes WHERE created_at >= $1
                 UNION ALL SELECT tweet_id, created_at FROM retweets WHERE created_at >= $1
                 UNION ALL SELECT reply_to_id, created_at FROM tweets
                     WHERE id >= $2 AND reply_to_id IS NOT NULL AND state = ANY($3)",
                &[&since, &first_id, &&public[..]],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(|r| (TweetId(r.get(0)), r.get(1))).collect())
    }
}

// Writes.

async fn engage(tx: &Tx<'_>, e: &Engage) -> Result<Engaged> {
    let (change, counter, delta) = match e.action {
        EngagementAction::Like => (
            "INSERT INTO likes (tweet_id, user_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            "likes",
            1,
        ),
        EngagementAction::Unlike => (
            "DELETE FROM likes WHERE tweet_id = $1 AND user_id = $2 AND $3::BIGINT IS NOT NULL",
            "likes",
            -1,
        ),
        EngagementAction::Retweet => (
            "INSERT INTO retweets (tweet_id, user_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
            "retweets",
            1,
        ),
        EngagementAction::Unretweet => (
            "DELETE FROM retweets WHERE tweet_id = $1 AND user_id = $2 AND $3::BIGINT IS NOT NULL",
            "retweets",
            -1,
        ),
        EngagementAction::View => {
            return Err(StoreError::message("views are counted through add_views"));
        }
    };
    // The tweet's row is locked first: its counter moves below, and a like must not
    // land on a tweet that is being deleted.
    let row = tx
        .query_opt(
            "SELECT author_id, state FROM tweets WHERE id = $1 FOR UPDATE",
            &[&e.id.0],
        )
        .await
        .map_err(pg)?
        .ok_or(StoreError::Refused(Refusal::NotFound))?;
    let state = TweetState::from_code(row.get(1))
        .ok_or_else(|| StoreError::message("unknown state code"))?;
    match access(state, UserId(row.get(0)), &Viewer::user(e.user)) {
        starling_core::Access::Hidden => return Err(Refusal::NotFound.into()),
        starling_core::Access::Readable => return Err(Refusal::ReadOnly(state).into()),
        starling_core::Access::Engageable => {}
    }
    let stmt = tx.prepare_cached(change).await.map_err(pg)?;
    let changed = tx
        .execute(&stmt, &[&e.id.0, &e.user.0, &e.now])
        .await
        .map_err(pg)?
        == 1;
    let counters = if changed {
        // The counter moves in the same transaction as the row it counts.
        let stmt = tx
            .prepare_cached(&format!(
                "UPDATE tweets SET {counter} = {counter} + $2, rev = rev + 1 WHERE id = $1
                 RETURNING {COUNTER_COLUMNS}"
            ))
            .await
            .map_err(pg)?;
        let row = tx.query_one(&stmt, &[&e.id.0, &delta]).await.map_err(pg)?;
        let mut deltas = Totals::default();
        match counter {
            "likes" => deltas.likes = delta,
            _ => deltas.retweets = delta,
        }
        add_totals(tx, &deltas).await?;
        counters_row(&row, 0)
    } else {
        let row = tx
            .query_one(
                &format!("SELECT {COUNTER_COLUMNS} FROM tweets WHERE id = $1"),
                &[&e.id.0],
            )
            .await
            .map_err(pg)?;
        counters_row(&row, 0)
    };
    let flags = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM likes WHERE tweet_id = $1 AND user_id = $2),
                    EXISTS (SELECT 1 FROM retweets WHERE tweet_id = $1 AND user_id = $2)",
            &[&e.id.0, &e.user.0],
        )
        .await
        .map_err(pg)?;
    Ok(Engaged {
        counters,
        changed,
        liked: flags.get(0),
        retweeted: flags.get(1),
    })
}

async fn add_views(tx: &Tx<'_>, views: &[(TweetId, i64)]) -> Result<Vec<(TweetId, Counters)>> {
    let stmt = tx
        .prepare_cached(&format!(
            "UPDATE tweets SET views = views + $2, rev = rev + 1 WHERE id = $1
             RETURNING {COUNTER_COLUMNS}"
        ))
        .await
        .map_err(pg)?;
    let mut updated = Vec::with_capacity(views.len());
    let mut deltas = Totals::default();
    for &(id, n) in views {
        if let Some(row) = tx.query_opt(&stmt, &[&id.0, &n]).await.map_err(pg)? {
            deltas.views += n;
            updated.push((id, counters_row(&row, 0)));
        }
    }
    add_totals(tx, &deltas).await?;
    Ok(updated)
}
