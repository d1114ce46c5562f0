//! Notifications: [`NotificationStore`] for SQLite, and `withdraw`, which an undone like
//! or retweet calls in its own transaction.

use crate::Sqlite;
use crate::connection::sql;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};
use starling_core::{TweetId, TweetState, UserId};
use starling_store::*;

/// A recipient's notifications as their reads see them: `?1` the recipient, `?2` the
/// kinds as a mask; none from actors they block, are blocked by or mute, none about a
/// tweet no longer in view.
const VISIBLE: &str = "visible AS (
    SELECT n.id, n.kind, n.actor_id, n.tweet_id, n.created_at FROM notifications n
    LEFT JOIN tweets t ON t.id = n.tweet_id
    WHERE n.recipient_id = ?1 AND ((?2 >> n.kind) & 1) = 1
      AND (n.tweet_id IS NULL OR t.state IN (?3, ?4))
      AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = n.actor_id)
      AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = n.actor_id AND blocked_id = ?1)
      AND NOT EXISTS (SELECT 1 FROM mutes WHERE muter_id = ?1 AND muted_id = n.actor_id))";

const IN_VIEW: [i64; 2] = [TweetState::Published as i64, TweetState::Edited as i64];

/// Remove the notification an undone like or retweet made, or a follow request that was
/// answered or withdrawn (no tweet), in the caller's transaction.
pub(crate) fn withdraw(
    c: &Connection,
    recipient: UserId,
    kind: NotificationKind,
    actor: UserId,
    tweet: Option<TweetId>,
) -> rusqlite::Result<()> {
    // `COALESCE(tweet_id, 0)`: the unique index's own key.
    c.prepare_cached(
        "DELETE FROM notifications
         WHERE recipient_id = ?1 AND kind = ?2 AND actor_id = ?3 AND COALESCE(tweet_id, 0) = ?4",
    )?
    .execute(params![
        recipient.0,
        kind.code(),
        actor.0,
        tweet.map_or(0, |t| t.0)
    ])?;
    Ok(())
}

fn record(recipient: UserId, r: &rusqlite::Row<'_>) -> rusqlite::Result<NotificationRecord> {
    Ok(NotificationRecord {
        id: r.get(0)?,
        recipient,
        kind: NotificationKind::from_code(r.get(1)?).unwrap_or(NotificationKind::Follow),
        actor: UserId(r.get(2)?),
        tweet: r.get::<_, Option<i64>>(3)?.map(TweetId),
        created_at: r.get(4)?,
    })
}

#[async_trait]
impl NotificationStore for Sqlite {
    async fn notify(&self, new: Vec<NewNotification>) -> Result<Vec<NotificationRecord>> {
        self.writer
            .run(move |tx| {
                let mut stmt = tx
                    .conn
                    .prepare_cached(
                        "INSERT INTO notifications (recipient_id, kind, actor_id, tweet_id,
                                                    created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING
                         RETURNING id",
                    )
                    .map_err(sql)?;
                let mut made = Vec::new();
                for n in new {
                    let id: Option<i64> = stmt
                        .query_row(
                            params![
                                n.recipient.0,
                                n.kind.code(),
                                n.actor.0,
                                n.tweet.map(|t| t.0),
                                n.at
                            ],
                            |r| r.get(0),
                        )
                        .optional()
                        .map_err(sql)?;
                    if let Some(id) = id {
                        made.push(NotificationRecord {
                            id,
                            recipient: n.recipient,
                            kind: n.kind,
                            actor: n.actor,
                            tweet: n.tweet,
                            created_at: n.at,
                        });
                    }
                }
                Ok(made)
            })
            .await
    }

    async fn notifications(&self, q: NotificationQuery) -> Result<Vec<NotificationRecord>> {
        let mask = q.mask();
        self.readers
            .run(move |c| {
                let mut stmt = c.prepare_cached(&format!(
                    "WITH {VISIBLE}
                     SELECT id, kind, actor_id, tweet_id, created_at FROM visible
                     WHERE id < ?5 ORDER BY id DESC LIMIT ?6"
                ))?;
                let rows = stmt.query_map(
                    params![
                        q.recipient.0,
                        mask,
                        IN_VIEW[0],
                        IN_VIEW[1],
                        q.before.unwrap_or(i64::MAX),
                        q.limit as i64
                    ],
                    |r| record(q.recipient, r),
                )?;
                rows.collect()
            })
            .await
    }

    async fn notification_groups(&self, q: NotificationQuery) -> Result<Vec<NotificationGroup>> {
        let mask = q.mask();
        self.readers
            .run(move |c| {
                // The page of groups, then each group's newest three actors, in one
                // statement.
                let mut stmt = c.prepare_cached(&format!(
                    "WITH {VISIBLE},
                     groups AS (
                        SELECT kind, COALESCE(tweet_id, 0) AS tweet, MAX(id) AS latest,
                               MAX(created_at) AS at, COUNT(*) AS n
                        FROM visible GROUP BY kind, COALESCE(tweet_id, 0)
                        HAVING MAX(id) < ?5 ORDER BY latest DESC LIMIT ?6),
                     ranked AS (
                        SELECT v.kind, COALESCE(v.tweet_id, 0) AS tweet, v.actor_id,
                               ROW_NUMBER() OVER (PARTITION BY v.kind, COALESCE(v.tweet_id, 0)
                                                  ORDER BY v.id DESC) AS rn
                        FROM visible v JOIN groups g
                          ON g.kind = v.kind AND g.tweet = COALESCE(v.tweet_id, 0))
                     SELECT g.kind, g.tweet, g.latest, g.at, g.n, r.actor_id
                     FROM groups g JOIN ranked r ON r.kind = g.kind AND r.tweet = g.tweet
                     WHERE r.rn <= 3 ORDER BY g.latest DESC, r.rn"
                ))?;
                let rows = stmt.query_map(
                    params![
                        q.recipient.0,
                        mask,
                        IN_VIEW[0],
                        IN_VIEW[1],
                        q.before.unwrap_or(i64::MAX),
                        q.limit as i64
                    ],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, i64>(4)?,
                            r.get::<_, i64>(5)?,
                        ))
                    },
                )?;
                let mut groups: Vec<NotificationGroup> = Vec::new();
                for row in rows {
                    let (kind, tweet, latest, at, n, actor) = row?;
                    match groups.last_mut() {
                        Some(g) if g.latest == latest => g.actors.push(UserId(actor)),
                        _ => groups.push(NotificationGroup {
                            kind: NotificationKind::from_code(kind)
                                .unwrap_or(NotificationKind::Follow),
                            tweet: (tweet != 0).then_some(TweetId(tweet)),
                            latest,
                            latest_at: at,
                            count: n,
                            actors: vec![UserId(actor)],
                        }),
                    }
                }
                Ok(groups)
            })
            .await
    }

    async fn unread_notifications(&self, user: UserId) -> Result<u64> {
        let mask = NotificationKind::mask(&NotificationKind::ALL);
        self.readers
            .run(move |c| {
                c.prepare_cached(&format!(
                    "WITH {VISIBLE}
                     SELECT COUNT(*) FROM visible WHERE id > COALESCE(
                        (SELECT read_up_to FROM notification_marks WHERE user_id = ?1), 0)"
                ))?
                .query_row(params![user.0, mask, IN_VIEW[0], IN_VIEW[1]], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n.max(0) as u64)
            })
            .await
    }

    async fn mark_notifications_read(&self, user: UserId, up_to: i64) -> Result<i64> {
        self.writer
            .run(move |tx| {
                tx.conn
                    .prepare_cached(
                        "INSERT INTO notification_marks (user_id, read_up_to) VALUES (?1, ?2)
                         ON CONFLICT (user_id) DO UPDATE
                         SET read_up_to = MAX(read_up_to, excluded.read_up_to)
                         RETURNING read_up_to",
                    )
                    .and_then(|mut s| s.query_row(params![user.0, up_to], |r| r.get(0)))
                    .map_err(sql)
            })
            .await
    }

    async fn notifications_read_mark(&self, user: UserId) -> Result<i64> {
        self.readers
            .run(move |c| {
                c.prepare_cached("SELECT read_up_to FROM notification_marks WHERE user_id = ?1")?
                    .query_row([user.0], |r| r.get(0))
                    .optional()
                    .map(|m| m.unwrap_or(0))
            })
            .await
    }
}
