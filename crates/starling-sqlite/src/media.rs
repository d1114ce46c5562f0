//! Media items: [`MediaStore`] for SQLite, and `attach`, which the tweet writes call in
//! their transaction to put media on a new version.

use crate::Sqlite;
use crate::connection::sql;
use crate::writer::Tx;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};
use starling_core::media::check_set;
use starling_core::{MediaId, Refusal, TweetId, UserId};
use starling_store::*;
use std::sync::Arc;

const COLUMNS: &str = "id, owner_id, kind, state, alt_text, processed, error, tweet_id, \
                       created_at, updated_at";

fn record(r: &Row<'_>) -> rusqlite::Result<MediaRecord> {
    let kind: i64 = r.get(2)?;
    let state: i64 = r.get(3)?;
    let processed: String = r.get(5)?;
    let processed = if processed.is_empty() {
        None
    } else {
        Some(serde_json::from_str(&processed).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, e.into())
        })?)
    };
    Ok(MediaRecord {
        id: MediaId(r.get(0)?),
        owner: UserId(r.get(1)?),
        kind: MediaKind::from_code(kind)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(2, kind))?,
        state: MediaState::from_code(state)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(3, state))?,
        alt_text: r.get(4)?,
        processed,
        error: r.get(6)?,
        tweet: r.get::<_, Option<i64>>(7)?.map(TweetId),
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
    })
}

pub(crate) fn media(c: &Connection, id: MediaId) -> rusqlite::Result<Option<MediaRecord>> {
    c.prepare_cached(&format!("SELECT {COLUMNS} FROM media WHERE id = ?1"))?
        .query_row([id.0], record)
        .optional()
}

/// Attach `ids` to `tweet` for a new version written by `actor`, in order: each must be
/// the actor's, ready, and attached to no other tweet, and together a set a tweet may
/// carry. Answers what the version records.
pub(crate) fn attach(
    tx: &Tx<'_>,
    actor: UserId,
    tweet: TweetId,
    ids: &[MediaId],
) -> Result<Arc<[Attachment]>> {
    let mut attached = Vec::with_capacity(ids.len());
    for id in ids {
        let item = media(tx.conn, *id)
            .map_err(sql)?
            .ok_or(StoreError::Refused(Refusal::MediaNotFound))?;
        attached.push(item.attach_to(actor, tweet)?);
    }
    let kinds: Vec<MediaKind> = attached.iter().map(|a| a.kind).collect();
    check_set(&kinds)?;
    let mut stmt = tx
        .conn
        .prepare_cached("UPDATE media SET tweet_id = ?2 WHERE id = ?1 AND tweet_id IS NULL")
        .map_err(sql)?;
    for id in ids {
        stmt.execute(params![id.0, tweet.0]).map_err(sql)?;
    }
    Ok(attached.into())
}

#[async_trait]
impl MediaStore for Sqlite {
    async fn create_media(&self, new: NewMedia) -> Result<MediaRecord> {
        self.writer
            .run(move |tx| {
                let id = MediaId(tx.ids.next(new.now));
                tx.conn
                    .prepare_cached(
                        "INSERT INTO media (id, owner_id, kind, state, alt_text, node_id, deadline,
                                            created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            id.0,
                            new.owner.0,
                            new.kind.code(),
                            MediaState::Processing.code(),
                            new.alt_text.as_str(),
                            new.node,
                            new.deadline,
                            new.now
                        ])
                    })
                    .map_err(sql)?;
                Ok(new.record(id))
            })
            .await
    }

    async fn finish_media(&self, finish: FinishMedia) -> Result<MediaRecord> {
        self.writer
            .run(move |tx| {
                let (state, processed, error) = match &finish.outcome {
                    Ok(p) => (
                        MediaState::Ready,
                        serde_json::to_string(p).map_err(StoreError::internal)?,
                        None,
                    ),
                    Err(why) => (MediaState::Failed, String::new(), Some(why.as_str())),
                };
                let changed = tx
                    .conn
                    .prepare_cached(
                        "UPDATE media SET state = ?2, processed = ?3, error = ?4, updated_at = ?5
                         WHERE id = ?1 AND state = ?6",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            finish.id.0,
                            state.code(),
                            processed,
                            error,
                            finish.now,
                            MediaState::Processing.code()
                        ])
                    })
                    .map_err(sql)?;
                if changed == 0 {
                    return Err(Refusal::MediaNotFound.into());
                }
                if let Ok(p) = &finish.outcome {
                    let mut stmt = tx
                        .conn
                        .prepare_cached(
                            "INSERT INTO media_blobs (key, media_id) VALUES (?1, ?2)
                             ON CONFLICT DO NOTHING",
                        )
                        .map_err(sql)?;
                    for f in &p.files {
                        stmt.execute(params![f.key, finish.id.0]).map_err(sql)?;
                    }
                }
                media(tx.conn, finish.id)
                    .map_err(sql)?
                    .ok_or_else(|| StoreError::message("media row vanished"))
            })
            .await
    }

    async fn media(&self, id: MediaId) -> Result<Option<MediaRecord>> {
        self.readers.run(move |c| media(c, id)).await
    }

    async fn describe_media(&self, d: DescribeMedia) -> Result<MediaRecord> {
        self.writer
            .run(move |tx| {
                let item = media(tx.conn, d.id)
                    .map_err(sql)?
                    .ok_or(StoreError::Refused(Refusal::MediaNotFound))?;
                item.describable_by(d.owner)?;
                tx.conn
                    .prepare_cached("UPDATE media SET alt_text = ?2, updated_at = ?3 WHERE id = ?1")
                    .and_then(|mut s| s.execute(params![d.id.0, d.alt_text.as_str(), d.now]))
                    .map_err(sql)?;
                Ok(MediaRecord {
                    alt_text: d.alt_text.as_str().to_owned(),
                    updated_at: d.now,
                    ..item
                })
            })
            .await
    }

    async fn fail_stalled_media(&self, now: i64, node: Option<u16>) -> Result<u64> {
        self.writer
            .run(move |tx| {
                let n = tx
                    .conn
                    .prepare_cached(
                        "UPDATE media SET state = ?1, updated_at = ?2,
                                error = 'processing was interrupted: upload the file again'
                         WHERE state = ?3 AND (deadline < ?2 OR node_id = ?4)",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            MediaState::Failed.code(),
                            now,
                            MediaState::Processing.code(),
                            node.map_or(-1, i64::from)
                        ])
                    })
                    .map_err(sql)?;
                Ok(n as u64)
            })
            .await
    }

    async fn sweep_media(&self, sweep: SweepMedia) -> Result<u64> {
        self.writer
            .run(move |tx| {
                let ids: Vec<i64> = tx
                    .conn
                    .prepare_cached(
                        "SELECT id FROM media
                         WHERE tweet_id IS NULL AND (created_at < ?1 OR (state = ?2 AND updated_at < ?3))
                         LIMIT ?4",
                    )
                    .and_then(|mut s| {
                        s.query_map(
                            params![
                                sweep.unattached_before,
                                MediaState::Failed.code(),
                                sweep.failed_before,
                                sweep.limit as i64
                            ],
                            |r| r.get(0),
                        )?
                        .collect()
                    })
                    .map_err(sql)?;
                for id in &ids {
                    tx.conn
                        .prepare_cached("DELETE FROM media_blobs WHERE media_id = ?1")
                        .and_then(|mut s| s.execute([id]))
                        .map_err(sql)?;
                    tx.conn
                        .prepare_cached("DELETE FROM media WHERE id = ?1 AND tweet_id IS NULL")
                        .and_then(|mut s| s.execute([id]))
                        .map_err(sql)?;
                }
                Ok(ids.len() as u64)
            })
            .await
    }

    async fn referenced_blobs(&self, keys: &[String]) -> Result<Vec<String>> {
        let keys = keys.to_vec();
        self.readers
            .run(move |c| {
                let mut stmt =
                    c.prepare_cached("SELECT 1 FROM media_blobs WHERE key = ?1 LIMIT 1")?;
                let mut found = Vec::new();
                for key in keys {
                    if stmt.exists([&key])? {
                        found.push(key);
                    }
                }
                Ok(found)
            })
            .await
    }
}
