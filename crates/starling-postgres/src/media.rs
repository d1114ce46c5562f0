//! Media items: [`MediaStore`] for PostgreSQL, and `attach`, which the tweet writes call
//! in their transaction to put media on a new version (mirrors `starling-sqlite`).

use crate::Postgres;
use crate::connection::{Tx, pg, transaction};
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use starling_core::media::check_set;
use starling_core::{MediaId, Refusal, TweetId, UserId};
use starling_store::*;
use std::sync::Arc;
use tokio_postgres::Row;

const COLUMNS: &str = "id, owner_id, kind, state, alt_text, processed, error, tweet_id, \
                       created_at, updated_at";

fn record(r: &Row) -> Result<MediaRecord> {
    let processed: &str = r.get(5);
    let processed = if processed.is_empty() {
        None
    } else {
        Some(serde_json::from_str(processed).map_err(StoreError::internal)?)
    };
    Ok(MediaRecord {
        id: MediaId(r.get(0)),
        owner: UserId(r.get(1)),
        kind: MediaKind::from_code(r.get(2))
            .ok_or_else(|| StoreError::message("unknown media kind"))?,
        state: MediaState::from_code(r.get(3))
            .ok_or_else(|| StoreError::message("unknown media state"))?,
        alt_text: r.get(4),
        processed,
        error: r.get(6),
        tweet: r.get::<_, Option<i64>>(7).map(TweetId),
        created_at: r.get(8),
        updated_at: r.get(9),
    })
}

async fn media(c: &impl GenericClient, id: MediaId, lock: bool) -> Result<Option<MediaRecord>> {
    let sql = if lock {
        format!("SELECT {COLUMNS} FROM media WHERE id = $1 FOR UPDATE")
    } else {
        format!("SELECT {COLUMNS} FROM media WHERE id = $1")
    };
    let stmt = c.prepare_cached(&sql).await.map_err(pg)?;
    let row = c.query_opt(&stmt, &[&id.0]).await.map_err(pg)?;
    row.as_ref().map(record).transpose()
}

/// Attach `ids` to `tweet` for a new version written by `actor`, in order: each must be
/// the actor's, ready, and attached to no other tweet, and together a set a tweet may
/// carry. The rows are locked, so two tweets cannot take one item.
pub(crate) async fn attach(
    tx: &Tx<'_>,
    actor: UserId,
    tweet: TweetId,
    ids: &[MediaId],
) -> Result<Arc<[Attachment]>> {
    let mut attached = Vec::with_capacity(ids.len());
    for id in ids {
        let item = media(tx, *id, true)
            .await?
            .ok_or(StoreError::Refused(Refusal::MediaNotFound))?;
        attached.push(item.attach_to(actor, tweet)?);
    }
    let kinds: Vec<MediaKind> = attached.iter().map(|a| a.kind).collect();
    check_set(&kinds)?;
    let raw: Vec<i64> = ids.iter().map(|m| m.0).collect();
    tx.execute(
        "UPDATE media SET tweet_id = $2 WHERE id = ANY($1) AND tweet_id IS NULL",
        &[&raw, &tweet.0],
    )
    .await
    .map_err(pg)?;
    Ok(attached.into())
}

#[async_trait]
impl MediaStore for Postgres {
    async fn create_media(&self, new: NewMedia) -> Result<MediaRecord> {
        let id = MediaId(self.ids.next(new.now));
        let client = self.pool.client().await?;
        client
            .execute(
                "INSERT INTO media (id, owner_id, kind, state, alt_text, node_id, deadline,
                                    created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                &[
                    &id.0,
                    &new.owner.0,
                    &new.kind.code(),
                    &MediaState::Processing.code(),
                    &new.alt_text.as_str(),
                    &i64::from(new.node),
                    &new.deadline,
                    &new.now,
                ],
            )
            .await
            .map_err(|e| {
                if e.code() == Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION) {
                    StoreError::Refused(Refusal::NotFound)
                } else {
                    pg(e)
                }
            })?;
        Ok(new.record(id))
    }

    async fn finish_media(&self, finish: FinishMedia) -> Result<MediaRecord> {
        let (state, processed, error) = match &finish.outcome {
            Ok(p) => (
                MediaState::Ready,
                serde_json::to_string(p).map_err(StoreError::internal)?,
                None,
            ),
            Err(why) => (MediaState::Failed, String::new(), Some(why.clone())),
        };
        let keys: Vec<String> = match &finish.outcome {
            Ok(p) => p.files.iter().map(|f| f.key.clone()).collect(),
            Err(_) => Vec::new(),
        };
        transaction!(self.pool, |tx| async {
            let changed = tx
                .execute(
                    "UPDATE media SET state = $2, processed = $3, error = $4, updated_at = $5
                     WHERE id = $1 AND state = $6",
                    &[
                        &finish.id.0,
                        &state.code(),
                        &processed,
                        &error,
                        &finish.now,
                        &MediaState::Processing.code(),
                    ],
                )
                .await
                .map_err(pg)?;
            if changed == 0 {
                return Err(Refusal::MediaNotFound.into());
            }
            tx.execute(
                "INSERT INTO media_blobs (key, media_id) SELECT unnest($1::TEXT[]), $2
                 ON CONFLICT DO NOTHING",
                &[&keys, &finish.id.0],
            )
            .await
            .map_err(pg)?;
            media(&tx, finish.id, false)
                .await?
                .ok_or_else(|| StoreError::message("media row vanished"))
        })
    }

    async fn media(&self, id: MediaId) -> Result<Option<MediaRecord>> {
        let client = self.pool.client().await?;
        media(&client, id, false).await
    }

    async fn describe_media(&self, d: DescribeMedia) -> Result<MediaRecord> {
        transaction!(self.pool, |tx| async {
            let item = media(&tx, d.id, true)
                .await?
                .ok_or(StoreError::Refused(Refusal::MediaNotFound))?;
            item.describable_by(d.owner)?;
            tx.execute(
                "UPDATE media SET alt_text = $2, updated_at = $3 WHERE id = $1",
                &[&d.id.0, &d.alt_text.as_str(), &d.now],
            )
            .await
            .map_err(pg)?;
            Ok(MediaRecord {
                alt_text: d.alt_text.as_str().to_owned(),
                updated_at: d.now,
                ..item
            })
        })
    }

    async fn fail_stalled_media(&self, now: i64, node: Option<u16>) -> Result<u64> {
        let client = self.pool.client().await?;
        client
            .execute(
                "UPDATE media SET state = $1, updated_at = $2,
                        error = 'processing was interrupted: upload the file again'
                 WHERE state = $3 AND (deadline < $2 OR node_id = $4)",
                &[
                    &MediaState::Failed.code(),
                    &now,
                    &MediaState::Processing.code(),
                    &node.map_or(-1, i64::from),
                ],
            )
            .await
            .map_err(pg)
    }

    async fn sweep_media(&self, sweep: SweepMedia) -> Result<u64> {
        let client = self.pool.client().await?;
        // One statement: the rows and their blob references go together.
        let rows = client
            .query(
                "WITH gone AS (
                    DELETE FROM media WHERE id IN (
                        SELECT id FROM media
                        WHERE tweet_id IS NULL
                          AND (created_at < $1 OR (state = $2 AND updated_at < $3))
                        LIMIT $4 FOR UPDATE SKIP LOCKED)
                    AND tweet_id IS NULL
                    RETURNING id),
                 unreferenced AS (
                    DELETE FROM media_blobs WHERE media_id IN (SELECT id FROM gone))
                 SELECT id FROM gone",
                &[
                    &sweep.unattached_before,
                    &MediaState::Failed.code(),
                    &sweep.failed_before,
                    &(sweep.limit as i64),
                ],
            )
            .await
            .map_err(pg)?;
        Ok(rows.len() as u64)
    }

    async fn referenced_blobs(&self, keys: &[String]) -> Result<Vec<String>> {
        let client = self.pool.client().await?;
        let rows = client
            .query(
                "SELECT DISTINCT key FROM media_blobs WHERE key = ANY($1)",
                &[&keys],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
