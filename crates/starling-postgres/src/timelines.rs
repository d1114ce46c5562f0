//! Home timelines: the outbox of deliveries (recorded by the other aggregates' writes, in
//! their transactions: `RECORD`) and the reads that rebuild a timeline from the truth.
//! Every node's workers claim from the one outbox with `FOR UPDATE SKIP LOCKED`, so two
//! never hold the same delivery and none waits behind another's claim.

use crate::Postgres;
use crate::connection::{Tx, pg};
use async_trait::async_trait;
use starling_core::{TweetId, TweetState, UserId};
use starling_store::*;

/// Record a delivery: `$1` kind, `$2` tweet, `$3` author, `$4` user, `$5` time, `$6` a
/// post's position.
const RECORD: &str =
    "INSERT INTO deliveries (kind, tweet_id, author_id, user_id, created_at, position)
     VALUES ($1, $2, $3, $4, $5, $6)";

/// Record `kind` in the outbox, in the caller's transaction.
pub(crate) async fn record(tx: &Tx<'_>, kind: DeliveryKind, now: i64) -> Result<()> {
    let (code, tweet, author, user) = columns(kind);
    let position = match kind {
        DeliveryKind::Post(e) => Some(e.position.0),
        _ => None,
    };
    let stmt = tx.prepare_cached(RECORD).await.map_err(pg)?;
    tx.execute(&stmt, &[&code, &tweet, &author, &user, &now, &position])
        .await
        .map_err(pg)?;
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
/// position`; a post's position is its tweet's id when none was written).
fn delivery(r: &tokio_postgres::Row) -> Option<Delivery> {
    let (kind, tweet, author, user): (i64, Option<i64>, i64, Option<i64>) =
        (r.get(1), r.get(2), r.get(3), r.get(4));
    let kind = match (kind, tweet, user) {
        (0, Some(tweet), _) => DeliveryKind::Post(Entry {
            position: TweetId(r.get::<_, Option<i64>>(7).unwrap_or(tweet)),
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
        _ => return None,
    };
    Some(Delivery {
        id: r.get(0),
        kind,
        created_at: r.get(5),
        attempts: r.get(6),
    })
}

#[async_trait]
impl TimelineStore for Postgres {
    async fn claim_deliveries(&self, now: i64, until: i64, limit: usize) -> Result<Vec<Delivery>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "UPDATE deliveries d SET claimed_until = $2, attempts = d.attempts + 1
                 FROM (SELECT id FROM deliveries WHERE claimed_until <= $1
                       ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) c
                 WHERE d.id = c.id
                 RETURNING d.id, d.kind, d.tweet_id, d.author_id, d.user_id, d.created_at,
                           d.attempts - 1, d.position",
            )
            .await
            .map_err(pg)?;
        let rows = client
            .query(&stmt, &[&now, &until, &(limit as i64)])
            .await
            .map_err(pg)?;
        let mut claimed: Vec<Delivery> = rows.iter().filter_map(delivery).collect();
        claimed.sort_unstable_by_key(|d| d.id);
        Ok(claimed)
    }

    async fn finish_deliveries(&self, ids: &[i64]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached("DELETE FROM deliveries WHERE id = ANY($1)")
            .await
            .map_err(pg)?;
        client.execute(&stmt, &[&ids]).await.map_err(pg)?;
        Ok(())
    }

    async fn delivery_backlog(&self) -> Result<Backlog> {
        let client = self.pool.client().await?;
        let row = client
            .query_one("SELECT COUNT(*), MIN(created_at) FROM deliveries", &[])
            .await
            .map_err(pg)?;
        Ok(Backlog {
            waiting: row.get::<_, i64>(0).max(0) as u64,
            oldest: row.get(1),
        })
    }

    async fn followers_page(
        &self,
        author: UserId,
        after: Option<FollowerCursor>,
        limit: usize,
    ) -> Result<Vec<(UserId, FollowerCursor)>> {
        let (at, user) = after.map_or((i64::MIN, i64::MIN), |a| (a.followed_at, a.follower.0));
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT follower_id, created_at FROM follows
                 WHERE followee_id = $1 AND (created_at, follower_id) > ($2, $3)
                 ORDER BY created_at, follower_id LIMIT $4",
            )
            .await
            .map_err(pg)?;
        let rows = client
            .query(&stmt, &[&author.0, &at, &user, &(limit as i64)])
            .await
            .map_err(pg)?;
        Ok(rows
            .iter()
            .map(|r| {
                let follower = UserId(r.get(0));
                let cursor = FollowerCursor {
                    followed_at: r.get(1),
                    follower,
                };
                (follower, cursor)
            })
            .collect())
    }

    async fn followees(&self, user: UserId) -> Result<Vec<UserId>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached("SELECT followee_id FROM follows WHERE follower_id = $1")
            .await
            .map_err(pg)?;
        let rows = client.query(&stmt, &[&user.0]).await.map_err(pg)?;
        Ok(rows.iter().map(|r| UserId(r.get(0))).collect())
    }

    async fn recent_entries(
        &self,
        authors: &[UserId],
        before: Option<TweetId>,
        limit: usize,
    ) -> Result<Vec<Entry>> {
        if authors.is_empty() || limit == 0 {
            return Ok(vec![]);
        }
        let authors: Vec<i64> = authors.iter().map(|a| a.0).collect();
        let before = before.map_or(i64::MAX, |b| b.0);
        let client = self.pool.client().await?;
        // Each author's newest from the (author_id, position) index, then the newest of
        // those.
        let stmt = client
            .prepare_cached(
                "SELECT t.position, t.id, t.author_id FROM unnest($1::BIGINT[]) AS a(id)
                 CROSS JOIN LATERAL (
                     SELECT position, id, author_id FROM tweets
                     WHERE author_id = a.id AND position < $2 AND state IN ($3, $4)
                     ORDER BY position DESC LIMIT $5) t
                 ORDER BY t.position DESC LIMIT $5",
            )
            .await
            .map_err(pg)?;
        let rows = client
            .query(
                &stmt,
                &[
                    &authors,
                    &before,
                    &TweetState::Published.code(),
                    &TweetState::Edited.code(),
                    &(limit as i64),
                ],
            )
            .await
            .map_err(pg)?;
        Ok(rows
            .iter()
            .map(|r| Entry {
                position: TweetId(r.get(0)),
                id: TweetId(r.get(1)),
                author: UserId(r.get(2)),
            })
            .collect())
    }

    async fn merged_followees(&self, user: UserId) -> Result<Vec<UserId>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT m.user_id FROM merged_authors m
                 JOIN follows f ON f.followee_id = m.user_id AND f.follower_id = $1",
            )
            .await
            .map_err(pg)?;
        let rows = client.query(&stmt, &[&user.0]).await.map_err(pg)?;
        Ok(rows.iter().map(|r| UserId(r.get(0))).collect())
    }

    async fn home_context(&self, user: UserId) -> Result<HomeContext> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT blocked_id, 0 FROM blocks WHERE blocker_id = $1
                 UNION SELECT blocker_id, 0 FROM blocks WHERE blocked_id = $1
                 UNION SELECT muted_id, 1 FROM mutes WHERE muter_id = $1
                 UNION SELECT m.user_id, 2 FROM merged_authors m
                       JOIN follows f ON f.followee_id = m.user_id AND f.follower_id = $1",
            )
            .await
            .map_err(pg)?;
        let mut context = HomeContext::default();
        for row in client.query(&stmt, &[&user.0]).await.map_err(pg)? {
            let id = UserId(row.get(0));
            match row.get::<_, i32>(1) {
                0 => context.hidden.blocked.push(id),
                1 => context.hidden.muted.push(id),
                _ => context.merged.push(id),
            }
        }
        Ok(context)
    }

    async fn is_merged(&self, author: UserId) -> Result<bool> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached("SELECT 1 FROM merged_authors WHERE user_id = $1")
            .await
            .map_err(pg)?;
        Ok(client
            .query_opt(&stmt, &[&author.0])
            .await
            .map_err(pg)?
            .is_some())
    }

    async fn set_merged(&self, author: UserId, merged: bool, now: i64) -> Result<()> {
        let client = self.pool.client().await?;
        if merged {
            client
                .execute(
                    "INSERT INTO merged_authors (user_id, since) VALUES ($1, $2)
                     ON CONFLICT DO NOTHING",
                    &[&author.0, &now],
                )
                .await
                .map_err(pg)?;
        } else {
            client
                .execute(
                    "DELETE FROM merged_authors WHERE user_id = $1",
                    &[&author.0],
                )
                .await
                .map_err(pg)?;
        }
        Ok(())
    }
}
