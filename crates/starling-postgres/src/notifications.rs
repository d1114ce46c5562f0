//! Notifications: [`NotificationStore`] for PostgreSQL (an undone like or retweet
//! removes its notification in the engagement batch, `engagement.rs`).

use crate::Postgres;
use crate::connection::pg;
use async_trait::async_trait;
use starling_core::{TweetId, TweetState, UserId};
use starling_store::*;

/// A recipient's notifications as their reads see them: `$1` the recipient, `$2` the
/// kinds as a mask, `$3`/`$4` the states in view; none from actors they block, are
/// blocked by or mute, none about a tweet no longer in view.
const VISIBLE: &str = "visible AS (
    SELECT n.id, n.kind, n.actor_id, n.tweet_id, n.created_at FROM notifications n
    LEFT JOIN tweets t ON t.id = n.tweet_id
    WHERE n.recipient_id = $1 AND (($2::BIGINT >> n.kind::INT) & 1) = 1
      AND (n.tweet_id IS NULL OR t.state IN ($3, $4))
      AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = n.actor_id)
      AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = n.actor_id AND blocked_id = $1)
      AND NOT EXISTS (SELECT 1 FROM mutes WHERE muter_id = $1 AND muted_id = n.actor_id))";

const IN_VIEW: [i64; 2] = [TweetState::Published as i64, TweetState::Edited as i64];

fn kind_of(code: i64) -> NotificationKind {
    NotificationKind::from_code(code).unwrap_or(NotificationKind::Follow)
}

#[async_trait]
impl NotificationStore for Postgres {
    async fn notify(&self, new: Vec<NewNotification>) -> Result<Vec<NotificationRecord>> {
        if new.is_empty() {
            return Ok(vec![]);
        }
        let column = |f: &dyn Fn(&NewNotification) -> i64| new.iter().map(f).collect::<Vec<_>>();
        let (recipients, kinds, actors, times) = (
            column(&|n| n.recipient.0),
            column(&|n| n.kind.code()),
            column(&|n| n.actor.0),
            column(&|n| n.at),
        );
        let tweets: Vec<Option<i64>> = new.iter().map(|n| n.tweet.map(|t| t.0)).collect();
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "INSERT INTO notifications (recipient_id, kind, actor_id, tweet_id, created_at)
                 SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[],
                                      $5::BIGINT[])
                 ON CONFLICT DO NOTHING
                 RETURNING id, recipient_id, kind, actor_id, tweet_id, created_at",
            )
            .await
            .map_err(pg)?;
        let rows = client
            .query(&stmt, &[&recipients, &kinds, &actors, &tweets, &times])
            .await
            .map_err(pg)?;
        let mut made: Vec<NotificationRecord> = rows
            .iter()
            .map(|r| NotificationRecord {
                id: r.get(0),
                recipient: UserId(r.get(1)),
                kind: kind_of(r.get(2)),
                actor: UserId(r.get(3)),
                tweet: r.get::<_, Option<i64>>(4).map(TweetId),
                created_at: r.get(5),
            })
            .collect();
        made.sort_unstable_by_key(|n| n.id);
        Ok(made)
    }

    async fn notifications(&self, q: NotificationQuery) -> Result<Vec<NotificationRecord>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "WITH {VISIBLE}
                 SELECT id, kind, actor_id, tweet_id, created_at FROM visible
                 WHERE id < $5 ORDER BY id DESC LIMIT $6"
            ))
            .await
            .map_err(pg)?;
        let rows = client
            .query(
                &stmt,
                &[
                    &q.recipient.0,
                    &q.mask(),
                    &IN_VIEW[0],
                    &IN_VIEW[1],
                    &q.before.unwrap_or(i64::MAX),
                    &(q.limit as i64),
                ],
            )
            .await
            .map_err(pg)?;
        Ok(rows
            .iter()
            .map(|r| NotificationRecord {
                id: r.get(0),
                recipient: q.recipient,
                kind: kind_of(r.get(1)),
                actor: UserId(r.get(2)),
                tweet: r.get::<_, Option<i64>>(3).map(TweetId),
                created_at: r.get(4),
            })
            .collect())
    }

    async fn notification_groups(&self, q: NotificationQuery) -> Result<Vec<NotificationGroup>> {
        let client = self.pool.client().await?;
        // The page of groups, then each group's newest three actors, in one statement.
        let stmt = client
            .prepare_cached(&format!(
                "WITH {VISIBLE},
                 groups AS (
                    SELECT kind, COALESCE(tweet_id, 0) AS tweet, MAX(id) AS latest,
                           MAX(created_at) AS at, COUNT(*) AS n
                    FROM visible GROUP BY kind, COALESCE(tweet_id, 0)
                    HAVING MAX(id) < $5 ORDER BY latest DESC LIMIT $6),
                 ranked AS (
                    SELECT v.kind, COALESCE(v.tweet_id, 0) AS tweet, v.actor_id,
                           ROW_NUMBER() OVER (PARTITION BY v.kind, COALESCE(v.tweet_id, 0)
                                              ORDER BY v.id DESC) AS rn
                    FROM visible v JOIN groups g
                      ON g.kind = v.kind AND g.tweet = COALESCE(v.tweet_id, 0))
                 SELECT g.kind, g.tweet, g.latest, g.at, g.n, r.actor_id
                 FROM groups g JOIN ranked r ON r.kind = g.kind AND r.tweet = g.tweet
                 WHERE r.rn <= 3 ORDER BY g.latest DESC, r.rn"
            ))
            .await
            .map_err(pg)?;
        let rows = client
            .query(
                &stmt,
                &[
                    &q.recipient.0,
                    &q.mask(),
                    &IN_VIEW[0],
                    &IN_VIEW[1],
                    &q.before.unwrap_or(i64::MAX),
                    &(q.limit as i64),
                ],
            )
            .await
            .map_err(pg)?;
        let mut groups: Vec<NotificationGroup> = Vec::new();
        for r in &rows {
            let (tweet, latest, actor): (i64, i64, i64) = (r.get(1), r.get(2), r.get(5));
            match groups.last_mut() {
                Some(g) if g.latest == latest => g.actors.push(UserId(actor)),
                _ => groups.push(NotificationGroup {
                    kind: kind_of(r.get(0)),
                    tweet: (tweet != 0).then_some(TweetId(tweet)),
                    latest,
                    latest_at: r.get(3),
                    count: r.get(4),
                    actors: vec![UserId(actor)],
                }),
            }
        }
        Ok(groups)
    }

    async fn unread_notifications(&self, user: UserId) -> Result<u64> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "WITH {VISIBLE}
                 SELECT COUNT(*) FROM visible WHERE id > COALESCE(
                    (SELECT read_up_to FROM notification_marks WHERE user_id = $1), 0)"
            ))
            .await
            .map_err(pg)?;
        let mask = NotificationKind::mask(&NotificationKind::ALL);
        let row = client
            .query_one(&stmt, &[&user.0, &mask, &IN_VIEW[0], &IN_VIEW[1]])
            .await
            .map_err(pg)?;
        Ok(row.get::<_, i64>(0).max(0) as u64)
    }

    async fn mark_notifications_read(&self, user: UserId, up_to: i64) -> Result<i64> {
        let client = self.pool.client().await?;
        let row = client
            .query_one(
                "INSERT INTO notification_marks (user_id, read_up_to) VALUES ($1, $2)
                 ON CONFLICT (user_id) DO UPDATE
                 SET read_up_to = GREATEST(notification_marks.read_up_to, EXCLUDED.read_up_to)
                 RETURNING read_up_to",
                &[&user.0, &up_to],
            )
            .await
            .map_err(pg)?;
        Ok(row.get(0))
    }

    async fn notifications_read_mark(&self, user: UserId) -> Result<i64> {
        let client = self.pool.client().await?;
        let row = client
            .query_opt(
                "SELECT read_up_to FROM notification_marks WHERE user_id = $1",
                &[&user.0],
            )
            .await
            .map_err(pg)?;
        Ok(row.map_or(0, |r| r.get(0)))
    }
}
