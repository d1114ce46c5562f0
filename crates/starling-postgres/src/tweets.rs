//! Tweets, their bodies, versions and event log: [`TweetStore`] for PostgreSQL.
//!
//! Each write is one transaction that locks the tweet it changes (`FOR UPDATE`), checks
//! everything with the pure rules of `starling-core`, then writes: a refused write has
//! changed nothing, and two nodes changing one tweet take turns on its row.

use crate::Postgres;
use crate::accounts::{USER_COLUMNS, user_row};
use crate::connection::{Client, Tx, pg, transaction};
use crate::integrity::{ADD_TOTALS, shard};
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use starling_core::visibility::{Viewer, is_public, lifecycle};
use starling_core::{
    Action, Content, ContentHash, Refusal, TweetId, TweetState, UserId, Visibility,
};
use starling_store::*;
use std::sync::Arc;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

#[async_trait]
impl TweetStore for Postgres {
    async fn create_tweet(&self, create: CreateTweet) -> Result<Created> {
        let t = &create.tweet;
        if t.content.text().is_empty() && t.media.is_empty() {
            return Err(empty_content());
        }
        if t.reply_to.is_none()
            && t.quote_of.is_none()
            && t.idempotency_key.is_none()
            && t.media.is_empty()
        {
            // Nothing to check against other rows: written in a batch with every other
            // such create waiting (`creates.rs`), one statement per batch.
            return crate::creates::submit(self, create).await;
        }
        transaction!(self.pool, |tx| create_tweet(&tx, self, &create))
    }

    async fn edit_tweet(&self, edit: EditTweet) -> Result<Changed> {
        transaction!(self.pool, |tx| edit_tweet(&tx, &edit))
    }

    async fn transition(&self, change: Transition) -> Result<Changed> {
        transaction!(self.pool, |tx| transition(&tx, &self.ids, &change))
    }

    async fn restore_version(&self, restore: RestoreVersion) -> Result<Changed> {
        transaction!(self.pool, |tx| restore_version(&tx, &restore))
    }

    async fn tweet(&self, id: TweetId) -> Result<Option<TweetRecord>> {
        let client = self.pool.client().await?;
        tweet(&client, id).await
    }

    async fn tweets(&self, ids: &[TweetId]) -> Result<Vec<TweetRecord>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            format!("SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS} WHERE t.id = ANY($1)")
        });
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let client = self.pool.client().await?;
        let stmt = client.prepare_cached(sql).await.map_err(pg)?;
        let rows = client.query(&stmt, &[&ids]).await.map_err(pg)?;
        rows.iter().map(tweet_row).collect()
    }

    async fn list_tweets(&self, query: TweetQuery) -> Result<Vec<TweetRecord>> {
        let client = self.pool.client().await?;
        list_tweets(&client, &query).await
    }

    async fn conversation(&self, conversation: TweetId, limit: usize) -> Result<Vec<Outline>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT id, reply_to_id, author_id, state, visibility, mentions,
                        likes + retweets + replies, position
                 FROM tweets WHERE conversation_id = $1 ORDER BY id LIMIT $2",
            )
            .await
            .map_err(pg)?;
        let rows = client
            .query(&stmt, &[&conversation.0, &(limit as i64)])
            .await
            .map_err(pg)?;
        rows.iter()
            .map(|r| {
                Ok(Outline {
                    id: TweetId(r.get(0)),
                    reply_to: r.get::<_, Option<i64>>(1).map(TweetId),
                    author: UserId(r.get(2)),
                    state: TweetState::from_code(r.get(3))
                        .ok_or_else(|| StoreError::message("unknown state code"))?,
                    visibility: Visibility::from_code(r.get(4))
                        .ok_or_else(|| StoreError::message("unknown visibility code"))?,
                    mentions: Mention::decode_all(r.get(5)),
                    engagement: r.get(6),
                    position: TweetId(r.get(7)),
                })
            })
            .collect()
    }

    async fn versions(&self, id: TweetId) -> Result<Vec<VersionRecord>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT e.version, b.content, e.body_hash, e.at, e.media
                 FROM tweet_events e JOIN bodies b ON b.hash = e.body_hash
                 WHERE e.tweet_id = $1 AND e.kind IN ({VERSION_KINDS}) ORDER BY e.seq"
            ))
            .await
            .map_err(pg)?;
        let rows = client.query(&stmt, &[&id.0]).await.map_err(pg)?;
        rows.iter()
            .map(|r| {
                Ok(VersionRecord {
                    version: r.get(0),
                    content: r.get(1),
                    content_hash: hash(r, 2)?,
                    created_at: r.get(3),
                    media: attachments(r, 4)?,
                })
            })
            .collect()
    }

    async fn events(&self, id: TweetId) -> Result<Vec<EventRecord>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT seq, kind, version, body_hash, actor_id, at FROM tweet_events
                 WHERE tweet_id = $1 ORDER BY seq",
            )
            .await
            .map_err(pg)?;
        let rows = client.query(&stmt, &[&id.0]).await.map_err(pg)?;
        rows.iter()
            .map(|r| {
                let code: i64 = r.get(1);
                Ok(EventRecord {
                    seq: r.get(0),
                    kind: EventKind::from_code(code)
                        .ok_or_else(|| StoreError::message(format!("unknown event kind {code}")))?,
                    version: r.get(2),
                    content_hash: hash(r, 3)?,
                    actor: UserId(r.get(4)),
                    created_at: r.get(5),
                })
            })
            .collect()
    }
}

// Writes.

async fn load(c: &impl GenericClient, id: TweetId) -> Result<TweetRecord> {
    tweet(c, id)
        .await?
        .ok_or(StoreError::Refused(Refusal::NotFound))
}

async fn create_tweet(tx: &Tx<'_>, pg_store: &Postgres, create: &CreateTweet) -> Result<Created> {
    let (author_id, t, now) = (&create.author, &create.tweet, create.now);
    let mut placed = create.placed.clone();
    if placed.author_default {
        let row = tx
            .query_opt("SELECT protected FROM users WHERE id = $1", &[&author_id.0])
            .await
            .map_err(pg)?;
        placed.visibility = placed.visibility_for(row.is_some_and(|r| r.get(0)));
        placed.author_default = false;
    }
    let id = TweetId(pg_store.ids.next(now));
    if let Some(key) = &t.idempotency_key {
        // Claim the key first: a concurrent request with the same key waits here for
        // this transaction and then finds the key taken.
        let stmt = tx
            .prepare_cached(
                "INSERT INTO idempotency_keys (user_id, key, tweet_id, created_at, request_hash)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, key) DO NOTHING",
            )
            .await
            .map_err(pg)?;
        let request_hash = t.request_hash();
        let claimed = tx
            .execute(
                &stmt,
                &[&author_id.0, &key.as_str(), &id.0, &now, &&request_hash[..]],
            )
            .await
            .map_err(pg)?;
        if claimed == 0 {
            let row = tx
                .query_one(
                    "SELECT tweet_id, request_hash FROM idempotency_keys
                     WHERE user_id = $1 AND key = $2",
                    &[&author_id.0, &key.as_str()],
                )
                .await
                .map_err(pg)?;
            // None: a key copied from a database that recorded no request hash.
            let earlier: Option<&[u8]> = row.get(1);
            if earlier.is_some_and(|earlier| earlier != &request_hash[..]) {
                return Err(Refusal::IdempotencyKeyReused.into());
            }
            return Ok(Created {
                tweet: load(tx, TweetId(row.get(0))).await?,
                fresh: false,
                parent: None,
                quoted: None,
            });
        }
    }
    if let Some(parent) = t.reply_to {
        // The parent's row is locked so it cannot leave public view while the reply
        // is counted on it.
        let row = tx
            .query_opt(
                "SELECT state, author_id, conversation_id FROM tweets WHERE id = $1 FOR UPDATE",
                &[&parent.0],
            )
            .await
            .map_err(pg)?;
        // One may reply to what one may engage with (the engine has checked the
        // audience; the lifecycle is decided here, atomically).
        let Some(row) = row.filter(|r| {
            TweetState::from_code(r.get(0)).is_some_and(|s| {
                lifecycle(s, UserId(r.get(1)), &Viewer::user(*author_id)).can_engage()
            })
        }) else {
            return Err(Refusal::InvalidReply.into());
        };
        placed.reply_to_user = Some(UserId(row.get(1)));
        placed.conversation = Some(TweetId(row.get(2)));
    }
    if let Some(quoted) = t.quote_of {
        // Locked like a parent, so it cannot leave view while the quote is counted on it.
        let row = tx
            .query_opt(
                "SELECT state, author_id, visibility FROM tweets WHERE id = $1 FOR UPDATE",
                &[&quoted.0],
            )
            .await
            .map_err(pg)?;
        // What one may engage with and anyone may read by its link.
        let quotable = row.is_some_and(|r| {
            TweetState::from_code(r.get(0)).is_some_and(|s| {
                lifecycle(s, UserId(r.get(1)), &Viewer::user(*author_id)).can_engage()
            }) && Visibility::from_code(r.get(2)).is_some_and(Visibility::is_open)
        });
        if !quotable {
            return Err(Refusal::InvalidQuote.into());
        }
    }
    let state = if t.draft {
        TweetState::Draft
    } else {
        TweetState::Published
    };
    let hash = t.content.hash();
    let media = if t.media.is_empty() {
        Arc::from([])
    } else {
        crate::media::attach(tx, *author_id, id, &t.media).await?
    };
    if t.content.text().is_empty() && media.is_empty() {
        return Err(empty_content());
    }
    let stored_media = Attachment::encode_all(&media);
    // A draft reply is not counted until it is published (`transition`).
    let counted = is_public(state, *author_id, placed.visibility);
    let counted_parent = t.reply_to.filter(|_| counted);
    let counted_quote = t.quote_of.filter(|_| counted);
    let tags = t.content.hashtags();
    // Every statement prepared (or found in the connection's cache) first, so that the
    // writes below go out as one pipeline, in order, and cost one round trip.
    let (body_stmt, tweet_stmt, event_stmt, tags_stmt, parent_stmt, quote_stmt, author_stmt) =
        tokio::try_join!(
            tx.prepare_cached(BODY_AND_TOTALS),
            tx.prepare_cached(INSERT_TWEET),
            tx.prepare_cached(INSERT_VERSION_EVENT),
            tx.prepare_cached(INSERT_TAGS),
            tx.prepare_cached(COUNT_REPLY),
            tx.prepare_cached(COUNT_QUOTE),
            // The author's profile count moves with the tweet, and the author comes back.
            tx.prepare_cached(
                "UPDATE users SET tweets = tweets + $2 WHERE id = $1
                 RETURNING username, display_name, created_at"
            ),
        )
        .map_err(pg)?;
    let replies = i64::from(counted_parent.is_some());
    let reply_to = t.reply_to.map(|p| p.0);
    let (hash_bytes, text, entities) = (&hash.0[..], t.content.text(), t.content.entities_json());
    let (tag_line, totals_shard) = (tags.join(" "), shard());
    let (created, state_code, one) = (EventKind::Created.code(), state.code(), 1_i64);
    let body_params: [&(dyn ToSql + Sync); 7] = [
        &hash_bytes,
        &text,
        &entities,
        &tag_line,
        &now,
        &totals_shard,
        &replies,
    ];
    let visibility = placed.visibility.code();
    let conversation = placed.conversation.unwrap_or(id).0;
    let reply_to_user = placed.reply_to_user.map(|u| u.0);
    let mentions = Mention::encode_all(&placed.mentions);
    let quote_of = t.quote_of.map(|q| q.0);
    let tweet_params: [&(dyn ToSql + Sync); 12] = [
        &id.0,
        &author_id.0,
        &hash_bytes,
        &state_code,
        &now,
        &reply_to,
        &visibility,
        &conversation,
        &reply_to_user,
        &mentions,
        &quote_of,
        &stored_media,
    ];
    let event_params: [&(dyn ToSql + Sync); 8] = [
        &id.0,
        &one,
        &created,
        &one,
        &hash_bytes,
        &author_id.0,
        &now,
        &stored_media,
    ];
    let in_view = i64::from(state.in_public_view());
    let author_params: [&(dyn ToSql + Sync); 2] = [&author_id.0, &in_view];
    let pipelined = tokio::try_join!(
        tx.execute(&body_stmt, &body_params),
        tx.execute(&tweet_stmt, &tweet_params),
        tx.execute(&event_stmt, &event_params),
        async {
            match tags.is_empty() {
                true => Ok(0),
                false => tx.execute(&tags_stmt, &[&id.0, &tags]).await,
            }
        },
        async {
            match counted_parent {
                Some(parent) => tx
                    .query_opt(&parent_stmt, &[&parent.0, &one])
                    .await
                    .map(|row| row.map(|r| (parent, counters_row(&r, 0)))),
                None => Ok(None),
            }
        },
        async {
            match counted_quote {
                Some(quoted) => tx
                    .query_opt(&quote_stmt, &[&quoted.0, &one])
                    .await
                    .map(|row| row.map(|r| (quoted, counters_row(&r, 0)))),
                None => Ok(None),
            }
        },
        tx.query_opt(&author_stmt, &author_params),
    );
    let (_, _, _, _, parent, quoted, author) = match pipelined {
        Ok(outcome) => outcome,
        // No such author.
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION) => {
            return Err(Refusal::NotFound.into());
        }
        Err(e) => return Err(pg(e)),
    };
    let author = author.ok_or(StoreError::Refused(Refusal::NotFound))?;
    if state.in_public_view() {
        let entry = Entry {
            position: id,
            id,
            author: *author_id,
        };
        crate::timelines::record(tx, DeliveryKind::Post(entry), now).await?;
    }
    let create = CreateTweet {
        placed,
        ..create.clone()
    };
    Ok(Created {
        tweet: new_record(id, *author_id, &author, 0, &create, media, state, false),
        fresh: true,
        parent,
        quoted,
    })
}

/// The common create (not a reply, no idempotency key) as one statement: body, tweet,
/// event, hashtags and totals are written atomically (a statement is its own
/// transaction) in one round trip, and the author comes back with it. Foreign keys are
/// checked at the statement's end, after the body is in.
const CREATE_PLAIN: &str = "WITH author AS (SELECT protected FROM users WHERE id = $2),
    new_body AS (
        INSERT INTO bodies (hash, content, entities, tags, created_at)
        VALUES ($3, $4, $5, $6, $7) ON CONFLICT (hash) DO NOTHING RETURNING 1),
    new_tweet AS (
        INSERT INTO tweets (id, author_id, body_hash, version, state, created_at, updated_at,
                            reply_to_id, rev, last_seq, visibility, conversation_id, mentions,
                            position)
        VALUES ($1, $2, $3, 1, $8, $7, $7, NULL, 1, 1,
                CASE WHEN (SELECT protected FROM author) THEN $15::BIGINT ELSE $12::BIGINT END, $1, $13,
                $1)),
    new_event AS (
        INSERT INTO tweet_events (tweet_id, seq, kind, version, body_hash, actor_id, at)
        VALUES ($1, 1, $9, 1, $3, $2, $7)),
    new_tags AS (
        INSERT INTO hashtags (tweet_id, tag, position) SELECT $1, unnest($10::TEXT[]), $1
        ON CONFLICT DO NOTHING),
    new_delivery AS (
        INSERT INTO deliveries (kind, tweet_id, author_id, created_at)
        SELECT 0, $1, $2, $7 WHERE $14::BIGINT = 1),
    moved_totals AS (
        UPDATE totals SET bodies = bodies + (SELECT COUNT(*) FROM new_body),
            tweets = tweets + 1, versions = versions + 1
        WHERE shard = $11)
    UPDATE users SET tweets = tweets + $14 WHERE id = $2
    RETURNING username, display_name, created_at, (SELECT protected FROM author)";

pub(crate) async fn create_plain_tweet(
    c: &Client,
    ids: &starling_core::Snowflake,
    create: &CreateTweet,
) -> Result<Created> {
    let CreateTweet {
        author: author_id,
        tweet: t,
        now,
        ..
    } = create;
    let id = TweetId(ids.next(*now));
    let state = if t.draft {
        TweetState::Draft
    } else {
        TweetState::Published
    };
    let hash = t.content.hash();
    let stmt = c.prepare_cached(CREATE_PLAIN).await.map_err(pg)?;
    let row = c
        .query_opt(
            &stmt,
            &[
                &id.0,
                &author_id.0,
                &&hash.0[..],
                &t.content.text(),
                &t.content.entities_json(),
                &t.content.hashtags().join(" "),
                now,
                &state.code(),
                &EventKind::Created.code(),
                &t.content.hashtags(),
                &shard(),
                &create.placed.visibility_for(false).code(),
                &Mention::encode_all(&create.placed.mentions),
                &i64::from(state.in_public_view()),
                &create.placed.visibility_for(true).code(),
            ],
        )
        .await;
    let row = match row {
        Ok(Some(row)) => row,
        // No such author.
        Ok(None) => return Err(Refusal::NotFound.into()),
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION) => {
            return Err(Refusal::NotFound.into());
        }
        Err(e) => return Err(pg(e)),
    };
    Ok(Created {
        tweet: new_record(
            id,
            *author_id,
            &row,
            0,
            create,
            Arc::from([]),
            state,
            row.get(3),
        ),
        fresh: true,
        parent: None,
        quoted: None,
    })
}

/// A tweet just created, as stored: built from what was written and the author's row
/// (`username, display_name, created_at` from column `at`), without reading it back.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_record(
    id: TweetId,
    author: UserId,
    author_row: &Row,
    at: usize,
    create: &CreateTweet,
    media: Arc<[Attachment]>,
    state: TweetState,
    protected: bool,
) -> TweetRecord {
    let author = Arc::new(User {
        id: author,
        username: author_row.get(at),
        display_name: author_row.get(at + 1),
        created_at: author_row.get(at + 2),
    });
    let placed = Placement {
        visibility: create.placed.visibility_for(protected),
        author_default: false,
        ..create.placed.clone()
    };
    TweetRecord::created(id, author, &create.tweet, &placed, media, state, create.now)
}

/// A new body (stored once per hash) and the running totals of a created tweet, in one
/// statement: the body's count depends on whether it was new.
const BODY_AND_TOTALS: &str = "WITH new_body AS (
        INSERT INTO bodies (hash, content, entities, tags, created_at)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING RETURNING 1)
    UPDATE totals SET bodies = bodies + (SELECT COUNT(*) FROM new_body),
        tweets = tweets + 1, versions = versions + 1, replies = replies + $7
    WHERE shard = $6";

const INSERT_TWEET: &str = "INSERT INTO tweets (id, author_id, body_hash, version, state,
        created_at, updated_at, reply_to_id, rev, last_seq, visibility, conversation_id,
        reply_to_user_id, mentions, quote_of_id, media, position)
    VALUES ($1, $2, $3, 1, $4, $5, $5, $6, 1, 1, $7, $8, $9, $10, $11, $12, $1)";

const INSERT_EVENT: &str = "INSERT INTO tweet_events
        (tweet_id, seq, kind, version, body_hash, actor_id, at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// An event that adds a version, with the version's media (stored form).
const INSERT_VERSION_EVENT: &str = "INSERT INTO tweet_events
        (tweet_id, seq, kind, version, body_hash, actor_id, at, media)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// After the tweet's row (its rows list by its position).
const INSERT_TAGS: &str = "INSERT INTO hashtags (tweet_id, tag, position)
    SELECT $1, unnest($2::TEXT[]), (SELECT position FROM tweets WHERE id = $1)
    ON CONFLICT DO NOTHING";

const COUNT_REPLY: &str = "UPDATE tweets SET replies = replies + $2, rev = rev + 1 WHERE id = $1
    RETURNING likes, retweets, replies, views, rev, quotes";

const COUNT_QUOTE: &str = "UPDATE tweets SET quotes = quotes + $2, rev = rev + 1 WHERE id = $1
    RETURNING likes, retweets, replies, views, rev, quotes";

/// The parts of a tweet row a write decides on.
struct Current {
    state: TweetState,
    version: i64,
    last_seq: i64,
    body: ContentHash,
    reply_to: Option<TweetId>,
    quote_of: Option<TweetId>,
    visibility: Visibility,
    /// The current version's media, in their stored form.
    media: String,
}

/// Lock a tweet for a write by `actor`: not found if they cannot see it, refused if
/// they can see it but did not write it.
async fn authorize(tx: &Tx<'_>, id: TweetId, actor: UserId) -> Result<Current> {
    let stmt = tx
        .prepare_cached(
            "SELECT author_id, state, version, last_seq, body_hash, reply_to_id, visibility,
                    quote_of_id, media
             FROM tweets WHERE id = $1 FOR UPDATE",
        )
        .await
        .map_err(pg)?;
    let row = tx
        .query_opt(&stmt, &[&id.0])
        .await
        .map_err(pg)?
        .ok_or(StoreError::Refused(Refusal::NotFound))?;
    let state = TweetState::from_code(row.get(1))
        .ok_or_else(|| StoreError::message("unknown state code"))?;
    let author = UserId(row.get(0));
    // Only the author may write, and the audience never hides a tweet from its author:
    // the lifecycle decides alone.
    if !lifecycle(state, author, &Viewer::user(actor)).can_read() {
        return Err(Refusal::NotFound.into());
    }
    if author != actor {
        return Err(Refusal::NotAuthor.into());
    }
    Ok(Current {
        state,
        version: row.get(2),
        last_seq: row.get(3),
        body: hash(&row, 4)?,
        reply_to: row.get::<_, Option<i64>>(5).map(TweetId),
        visibility: Visibility::from_code(row.get(6))
            .ok_or_else(|| StoreError::message("unknown visibility code"))?,
        quote_of: row.get::<_, Option<i64>>(7).map(TweetId),
        media: row.get(8),
    })
}

/// Write a new version (edit or restore) of the locked tweet as one pipeline: an
/// edit's body (stored once per hash) with the totals, the row, the event, the
/// hashtags, then the tweet read back. Statements are prepared first, so the writes go
/// out in order (the body before the row that refers to it) in one round trip.
#[allow(clippy::too_many_arguments)]
async fn write_version(
    tx: &Tx<'_>,
    id: TweetId,
    actor: UserId,
    cur: &Current,
    action: Action,
    kind: EventKind,
    new_body: Option<&Content>,
    body: ContentHash,
    tags: &[String],
    mentions: &[Mention],
    media: &str,
    now: i64,
) -> Result<Changed> {
    let next = cur.state.apply(action)?;
    let (version, seq) = (cur.version + 1, cur.last_seq + 1);
    let (totals_stmt, row_stmt, event_stmt, untag_stmt, tag_stmt, load_stmt) = tokio::try_join!(
        tx.prepare_cached(match new_body {
            Some(_) => BODY_AND_VERSION_TOTALS,
            None => VERSION_TOTALS,
        }),
        tx.prepare_cached(UPDATE_VERSION),
        tx.prepare_cached(INSERT_VERSION_EVENT),
        tx.prepare_cached("DELETE FROM hashtags WHERE tweet_id = $1"),
        tx.prepare_cached(INSERT_TAGS),
        tx.prepare_cached(load_sql()),
    )
    .map_err(pg)?;
    let (hash_bytes, totals_shard, state_code, kind_code) =
        (&body.0[..], shard(), next.code(), kind.code());
    let (text, entities, tag_line) = match new_body {
        Some(c) => (c.text(), c.entities_json(), tags.join(" ")),
        None => ("", "", String::new()),
    };
    let totals_params: Vec<&(dyn ToSql + Sync)> = match new_body {
        Some(_) => vec![
            &hash_bytes,
            &text,
            &entities,
            &tag_line,
            &now,
            &totals_shard,
        ],
        None => vec![&totals_shard],
    };
    let mentions = Mention::encode_all(mentions);
    let row_params: [&(dyn ToSql + Sync); 8] = [
        &id.0,
        &hash_bytes,
        &version,
        &state_code,
        &now,
        &seq,
        &mentions,
        &media,
    ];
    let event_params: [&(dyn ToSql + Sync); 8] = [
        &id.0,
        &seq,
        &kind_code,
        &version,
        &hash_bytes,
        &actor.0,
        &now,
        &media,
    ];
    let id_params: [&(dyn ToSql + Sync); 1] = [&id.0];
    let (_, _, _, _, _, row) = tokio::try_join!(
        tx.execute(&totals_stmt, &totals_params),
        tx.execute(&row_stmt, &row_params),
        tx.execute(&event_stmt, &event_params),
        tx.execute(&untag_stmt, &id_params),
        async {
            match tags.is_empty() {
                true => Ok(0),
                false => tx.execute(&tag_stmt, &[&id.0, &tags]).await,
            }
        },
        tx.query_one(&load_stmt, &id_params),
    )
    .map_err(pg)?;
    Ok(Changed {
        tweet: tweet_row(&row)?,
        previous: cur.state,
        parent: None,
        quoted: None,
    })
}

async fn edit_tweet(tx: &Tx<'_>, e: &EditTweet) -> Result<Changed> {
    let cur = authorize(tx, e.id, e.actor).await?;
    cur.state.apply(Action::Edit)?;
    if let Some(expected) = e.expected_version
        && expected != cur.version
    {
        return Err(Refusal::VersionConflict {
            current: cur.version,
        }
        .into());
    }
    let media = match &e.media {
        None => cur.media.clone(),
        Some(ids) => Attachment::encode_all(&crate::media::attach(tx, e.actor, e.id, ids).await?),
    };
    if e.content.text().is_empty() && media.is_empty() {
        return Err(empty_content());
    }
    write_version(
        tx,
        e.id,
        e.actor,
        &cur,
        Action::Edit,
        EventKind::Edited,
        Some(&e.content),
        e.content.hash(),
        e.content.hashtags(),
        &e.mentions,
        &media,
        e.now,
    )
    .await
}

async fn restore_version(tx: &Tx<'_>, r: &RestoreVersion) -> Result<Changed> {
    let cur = authorize(tx, r.id, r.actor).await?;
    cur.state.apply(Action::Restore)?;
    let row = tx
        .query_opt(
            &format!(
                "SELECT e.body_hash, b.tags, e.media FROM tweet_events e JOIN bodies b ON b.hash = e.body_hash
                 WHERE e.tweet_id = $1 AND e.version = $2 AND e.kind IN ({VERSION_KINDS})
                 LIMIT 1"
            ),
            &[&r.id.0, &r.version],
        )
        .await
        .map_err(pg)?
        .ok_or(StoreError::Refused(Refusal::NoSuchVersion))?;
    let body = hash(&row, 0)?;
    let tags: Vec<String> = row
        .get::<_, &str>(1)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let media: String = row.get(2);
    write_version(
        tx,
        r.id,
        r.actor,
        &cur,
        Action::Restore,
        EventKind::Restored,
        None,
        body,
        &tags,
        &r.mentions,
        &media,
        r.now,
    )
    .await
}

async fn transition(
    tx: &Tx<'_>,
    ids: &starling_core::Snowflake,
    t: &Transition,
) -> Result<Changed> {
    let kind = t.event_kind()?;
    let cur = authorize(tx, t.id, t.actor).await?;
    let next = cur.state.apply(t.action)?;
    let seq = cur.last_seq + 1;
    // A draft published (the only way into view) lists as if posted now, and its time is
    // now (see the trait); before the pipeline below, which reads the row back.
    let published =
        (next.in_public_view() && !cur.state.in_public_view()).then(|| TweetId(ids.next(t.now)));
    if let Some(position) = published {
        let stmt = tx
            .prepare_cached(
                "WITH tags AS (UPDATE hashtags SET position = $2 WHERE tweet_id = $1)
                 UPDATE tweets SET position = $2, created_at = $3 WHERE id = $1",
            )
            .await
            .map_err(pg)?;
        tx.execute(&stmt, &[&t.id.0, &position.0, &t.now])
            .await
            .map_err(pg)?;
    }
    // Replies count while publicly visible, and only then.
    let reply_delta: i64 = match (
        is_public(cur.state, t.actor, cur.visibility),
        is_public(next, t.actor, cur.visibility),
    ) {
        (false, true) => 1,
        (true, false) => -1,
        _ => 0,
    };
    let parent = cur.reply_to.filter(|_| reply_delta != 0);
    let quoted = cur.quote_of.filter(|_| reply_delta != 0);
    let deltas = Totals {
        tweets: if next == TweetState::Deleted { -1 } else { 0 },
        replies: if parent.is_some() { reply_delta } else { 0 },
        ..Totals::default()
    };
    // Prepared first, then sent as one pipeline, in order; the tweet is read back last.
    let in_view_delta = i64::from(next.in_public_view()) - i64::from(cur.state.in_public_view());
    let (row_stmt, event_stmt, reply_stmt, quote_stmt, totals_stmt, author_stmt, load_stmt) =
        tokio::try_join!(
            tx.prepare_cached(
                "UPDATE tweets SET state = $2, updated_at = $3, rev = rev + 1, last_seq = $4
             WHERE id = $1",
            ),
            tx.prepare_cached(INSERT_EVENT),
            tx.prepare_cached(COUNT_REPLY),
            tx.prepare_cached(COUNT_QUOTE),
            tx.prepare_cached(ADD_TOTALS),
            tx.prepare_cached("UPDATE users SET tweets = tweets + $2 WHERE id = $1"),
            tx.prepare_cached(load_sql()),
        )
        .map_err(pg)?;
    let (state_code, kind_code, hash_bytes) = (next.code(), kind.code(), &cur.body.0[..]);
    let row_params: [&(dyn ToSql + Sync); 4] = [&t.id.0, &state_code, &t.now, &seq];
    let event_params: [&(dyn ToSql + Sync); 7] = [
        &t.id.0,
        &seq,
        &kind_code,
        &cur.version,
        &hash_bytes,
        &t.actor.0,
        &t.now,
    ];
    let totals_shard = shard();
    let totals_params: [&(dyn ToSql + Sync); 8] = [
        &totals_shard,
        &deltas.tweets,
        &deltas.versions,
        &deltas.bodies,
        &deltas.likes,
        &deltas.retweets,
        &deltas.replies,
        &deltas.views,
    ];
    let id_params: [&(dyn ToSql + Sync); 1] = [&t.id.0];
    let (_, _, parent, quoted, _, _, row) = tokio::try_join!(
        tx.execute(&row_stmt, &row_params),
        tx.execute(&event_stmt, &event_params),
        async {
            match parent {
                Some(parent) => tx
                    .query_one(&reply_stmt, &[&parent.0, &reply_delta])
                    .await
                    .map(|r| Some((parent, counters_row(&r, 0)))),
                None => Ok(None),
            }
        },
        async {
            match quoted {
                Some(quoted) => tx
                    .query_one(&quote_stmt, &[&quoted.0, &reply_delta])
                    .await
                    .map(|r| Some((quoted, counters_row(&r, 0)))),
                None => Ok(None),
            }
        },
        tx.execute(&totals_stmt, &totals_params),
        async {
            match in_view_delta {
                0 => Ok(0),
                d => tx.execute(&author_stmt, &[&t.actor.0, &d]).await,
            }
        },
        tx.query_one(&load_stmt, &id_params),
    )
    .map_err(pg)?;
    if let Some(position) = published {
        let entry = Entry {
            position,
            id: t.id,
            author: t.actor,
        };
        crate::timelines::record(tx, DeliveryKind::Post(entry), t.now).await?;
    }
    Ok(Changed {
        tweet: tweet_row(&row)?,
        previous: cur.state,
        parent,
        quoted,
    })
}

const UPDATE_VERSION: &str = "UPDATE tweets SET body_hash = $2, version = $3, state = $4,
        updated_at = $5, rev = rev + 1, last_seq = $6, mentions = $7, media = $8 WHERE id = $1";

/// An edit's body (stored once per hash) and the totals it moves, in one statement.
const BODY_AND_VERSION_TOTALS: &str = "WITH new_body AS (
        INSERT INTO bodies (hash, content, entities, tags, created_at)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING RETURNING 1)
    UPDATE totals SET bodies = bodies + (SELECT COUNT(*) FROM new_body),
        versions = versions + 1
    WHERE shard = $6";

const VERSION_TOTALS: &str = "UPDATE totals SET versions = versions + 1 WHERE shard = $1";

/// The tweet with its author and body, by id.
fn load_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        format!("SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS} WHERE t.id = $1")
    })
}

// Reads.

const TWEET_COLUMNS: &str = "t.id, u.id, u.username, u.display_name, u.created_at, \
     b.content, t.body_hash, b.entities, t.version, t.state, t.created_at, t.updated_at, \
     t.reply_to_id, t.likes, t.retweets, t.replies, t.views, t.rev, t.quotes, t.visibility, \
     t.conversation_id, t.reply_to_user_id, t.mentions, t.retweet_of_id, t.quote_of_id, t.media, \
     t.position";

const TWEET_JOINS: &str =
    "JOIN users u ON u.id = t.author_id JOIN bodies b ON b.hash = t.body_hash";

pub(crate) const COUNTER_COLUMNS: &str = "likes, retweets, replies, views, rev, quotes";

/// Event kinds that carry a new version.
pub(crate) const VERSION_KINDS: &str = "0, 1, 5";

pub(crate) fn hash(row: &Row, i: usize) -> Result<ContentHash> {
    ContentHash::from_slice(row.get::<_, &[u8]>(i))
        .ok_or_else(|| StoreError::message("a stored hash is not 32 bytes"))
}

/// A version's media from their stored form in column `i`.
pub(crate) fn attachments(row: &Row, i: usize) -> Result<Arc<[Attachment]>> {
    Attachment::decode_all(row.get(i)).map_err(StoreError::message)
}

/// Text may be empty only when the version carries media.
fn empty_content() -> StoreError {
    Refusal::Invalid(starling_core::ValidationError::new(
        "content",
        "content must not be empty without media",
    ))
    .into()
}

pub(crate) fn counters_row(row: &Row, at: usize) -> Counters {
    Counters {
        likes: row.get(at),
        retweets: row.get(at + 1),
        replies: row.get(at + 2),
        views: row.get(at + 3),
        rev: row.get(at + 4),
        quotes: row.get(at + 5),
    }
}

fn tweet_row(row: &Row) -> Result<TweetRecord> {
    debug_assert!(USER_COLUMNS.starts_with("u.id"));
    Ok(TweetRecord {
        id: TweetId(row.get(0)),
        author: Arc::new(user_row(row, 1)),
        content: Arc::from(row.get::<_, &str>(5)),
        content_hash: hash(row, 6)?,
        entities_json: Arc::from(row.get::<_, &str>(7)),
        version: row.get(8),
        state: TweetState::from_code(row.get(9))
            .ok_or_else(|| StoreError::message("unknown state code"))?,
        created_at: row.get(10),
        updated_at: row.get(11),
        reply_to: row.get::<_, Option<i64>>(12).map(TweetId),
        visibility: Visibility::from_code(row.get(19))
            .ok_or_else(|| StoreError::message("unknown visibility code"))?,
        conversation_id: TweetId(row.get(20)),
        reply_to_user: row.get::<_, Option<i64>>(21).map(UserId),
        mentions: Mention::decode_all(row.get(22)),
        retweet_of: row.get::<_, Option<i64>>(23).map(TweetId),
        quote_of: row.get::<_, Option<i64>>(24).map(TweetId),
        media: attachments(row, 25)?,
        position: TweetId(row.get(26)),
        counters: counters_row(row, 13),
        rendered: Default::default(),
    })
}

/// The tweets with these ids, in no order (missing ones left out).
pub(crate) async fn tweets_by_ids(c: &impl GenericClient, ids: &[i64]) -> Result<Vec<TweetRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let stmt = c
        .prepare_cached(&format!(
            "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS} WHERE t.id = ANY($1)"
        ))
        .await
        .map_err(pg)?;
    let rows = c.query(&stmt, &[&ids]).await.map_err(pg)?;
    rows.iter().map(tweet_row).collect()
}

pub(crate) async fn tweet(c: &impl GenericClient, id: TweetId) -> Result<Option<TweetRecord>> {
    let stmt = c.prepare_cached(load_sql()).await.map_err(pg)?;
    let row = c.query_opt(&stmt, &[&id.0]).await.map_err(pg)?;
    row.as_ref().map(tweet_row).transpose()
}

async fn list_tweets(c: &Client, q: &TweetQuery) -> Result<Vec<TweetRecord>> {
    if q.states.is_empty() || q.visibilities.is_empty() {
        return Ok(Vec::new());
    }
    let states: Vec<i64> = q.states.iter().map(|s| s.code()).collect();
    let visibilities: Vec<i64> = q.visibilities.iter().map(|v| v.code()).collect();
    // From a flag, never from input: safe to inline, and one plan per shape of query.
    let replies = match (q.no_replies, q.with_retweets) {
        (true, true) => " AND t.reply_to_id IS NULL",
        (true, false) => " AND t.reply_to_id IS NULL AND t.retweet_of_id IS NULL",
        (false, true) => "",
        (false, false) => " AND t.retweet_of_id IS NULL",
    };
    let quote_of = q.quote_of.map(|q| q.0);
    let before = q.before.map_or(i64::MAX, |id| id.0);
    let limit = q.limit as i64;
    let author = q.author.map(|a| a.0);
    let (sql, params): (String, Vec<&(dyn ToSql + Sync)>) = match &q.hashtag {
        None if quote_of.is_some() => (
            format!(
                "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS}
                 WHERE t.quote_of_id = $1 AND t.position < $2 AND t.state = ANY($3)
                   AND t.visibility = ANY($5){replies}
                 ORDER BY t.position DESC LIMIT $4"
            ),
            vec![&quote_of, &before, &states, &limit, &visibilities],
        ),
        Some(tag) => (
            format!(
                "SELECT {TWEET_COLUMNS} FROM hashtags h JOIN tweets t ON t.id = h.tweet_id {TWEET_JOINS}
                 WHERE h.tag = $1 AND h.position < $2 AND t.state = ANY($3)
                   AND ($4::BIGINT IS NULL OR t.author_id = $4) AND t.visibility = ANY($6){replies}
                 ORDER BY h.position DESC LIMIT $5"
            ),
            vec![tag, &before, &states, &author, &limit, &visibilities],
        ),
        None if author.is_some() => (
            format!(
                "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS}
                 WHERE t.author_id = $1 AND t.position < $2 AND t.state = ANY($3)
                   AND t.visibility = ANY($5){replies}
                 ORDER BY t.position DESC LIMIT $4"
            ),
            vec![&author, &before, &states, &limit, &visibilities],
        ),
        None => (
            format!(
                "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS}
                 WHERE t.position < $1 AND t.state = ANY($2) AND t.visibility = ANY($4){replies}
                 ORDER BY t.position DESC LIMIT $3"
            ),
            vec![&before, &states, &limit, &visibilities],
        ),
    };
    let stmt = c.prepare_cached(&sql).await.map_err(pg)?;
    let rows = c.query(&stmt, &params).await.map_err(pg)?;
    rows.iter().map(tweet_row).collect()
}
