//! Tweets, their bodies, versions and event log: [`TweetStore`] for SQLite.
//!
//! Writes follow one discipline: **check everything first** (with the pure rules of
//! `starling-core`), **then write**. A write refused for a domain reason (not found,
//! conflict, illegal transition, ...) has therefore changed nothing, and the batch
//! commits without it; a storage failure after writing has begun poisons and rolls back
//! the whole batch (see `writer.rs`). This is what lets a batch share one transaction
//! without a savepoint per write. Reads take a plain connection, so the writer reuses
//! them inside its transaction to read back what it just wrote.

use crate::Sqlite;
use crate::accounts;
use crate::connection::sql;
use crate::writer::Tx;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};
use starling_core::visibility::{Viewer, is_public, lifecycle};
use starling_core::{
    Action, Content, ContentHash, Refusal, TweetId, TweetState, UserId, Visibility,
};
use starling_store::*;
use std::sync::Arc;

#[async_trait]
impl TweetStore for Sqlite {
    async fn create_tweet(&self, create: CreateTweet) -> Result<Created> {
        self.writer.run(move |tx| create_tweet(tx, create)).await
    }

    async fn edit_tweet(&self, edit: EditTweet) -> Result<Changed> {
        self.writer.run(move |tx| edit_tweet(tx, edit)).await
    }

    async fn transition(&self, change: Transition) -> Result<Changed> {
        self.writer.run(move |tx| transition(tx, change)).await
    }

    async fn restore_version(&self, restore: RestoreVersion) -> Result<Changed> {
        self.writer
            .run(move |tx| restore_version(tx, restore))
            .await
    }

    async fn tweet(&self, id: TweetId) -> Result<Option<TweetRecord>> {
        self.readers.run(move |c| tweet(c, id)).await
    }

    async fn tweets(&self, ids: &[TweetId]) -> Result<Vec<TweetRecord>> {
        let ids = ids.to_vec();
        self.readers
            .run(move |c| {
                // One prepared lookup per id, in one trip to the read pool and one read
                // transaction: the trip and the locking, not the lookup, are what a page
                // of misses would pay for each.
                crate::readers::in_snapshot(c, |c| {
                    let mut found = Vec::with_capacity(ids.len());
                    for id in ids {
                        found.extend(tweet(c, id)?);
                    }
                    Ok(found)
                })
            })
            .await
    }

    async fn list_tweets(&self, query: TweetQuery) -> Result<Vec<TweetRecord>> {
        self.readers.run(move |c| list_tweets(c, &query)).await
    }

    async fn conversation(&self, conversation: TweetId, limit: usize) -> Result<Vec<Outline>> {
        self.readers
            .run(move |c| {
                c.prepare_cached(
                    "SELECT id, reply_to_id, author_id, state, visibility, mentions,
                            likes + retweets + replies, position
                     FROM tweets WHERE conversation_id = ?1 ORDER BY id LIMIT ?2",
                )?
                .query_map(params![conversation.0, limit as i64], |r| {
                    Ok(Outline {
                        id: TweetId(r.get(0)?),
                        reply_to: r.get::<_, Option<i64>>(1)?.map(TweetId),
                        author: UserId(r.get(2)?),
                        state: state(r, 3)?,
                        visibility: {
                            let code: i64 = r.get(4)?;
                            Visibility::from_code(code)
                                .ok_or(rusqlite::Error::IntegralValueOutOfRange(4, code))?
                        },
                        mentions: Mention::decode_all(&r.get::<_, String>(5)?),
                        engagement: r.get(6)?,
                        position: TweetId(r.get(7)?),
                    })
                })?
                .collect()
            })
            .await
    }

    async fn versions(&self, id: TweetId) -> Result<Vec<VersionRecord>> {
        self.readers.run(move |c| versions(c, id)).await
    }

    async fn events(&self, id: TweetId) -> Result<Vec<EventRecord>> {
        self.readers.run(move |c| events(c, id)).await
    }
}

// Writes.

/// Store a body once under its hash.
fn put_body(tx: &mut Tx<'_>, content: &Content, now: i64) -> Result<()> {
    let inserted = tx
        .conn
        .prepare_cached(
            "INSERT INTO bodies (hash, content, entities, tags, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (hash) DO NOTHING",
        )
        .and_then(|mut s| {
            s.execute(params![
                &content.hash().0[..],
                content.text(),
                content.entities_json(),
                content.hashtags().join(" "),
                now
            ])
        })
        .map_err(sql)?;
    tx.deltas.bodies += inserted as i64;
    Ok(())
}

fn set_hashtags<'t>(
    tx: &Tx<'_>,
    id: TweetId,
    tags: impl IntoIterator<Item = &'t str>,
    replace: bool,
) -> Result<()> {
    if replace {
        tx.conn
            .prepare_cached("DELETE FROM hashtags WHERE tweet_id = ?1")
            .and_then(|mut s| s.execute([id.0]))
            .map_err(sql)?;
    }
    let mut stmt = tx
        .conn
        // The tweet's row is written first: its rows list by its position.
        .prepare_cached(
            "INSERT OR IGNORE INTO hashtags (tweet_id, tag, position)
             VALUES (?1, ?2, (SELECT position FROM tweets WHERE id = ?1))",
        )
        .map_err(sql)?;
    for tag in tags {
        stmt.execute(params![id.0, tag]).map_err(sql)?;
    }
    Ok(())
}

/// Append an event; `media` is the stored form of the version's attachments (empty for
/// events that add no version).
pub(crate) fn append_event(tx: &Tx<'_>, id: TweetId, e: EventRecord, media: &str) -> Result<()> {
    tx.conn
        .prepare_cached(
            "INSERT INTO tweet_events (tweet_id, seq, kind, version, body_hash, actor_id, at, media)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id.0,
                e.seq,
                e.kind.code(),
                e.version,
                &e.content_hash.0[..],
                e.actor.0,
                e.created_at,
                media
            ])
        })
        .map_err(sql)?;
    Ok(())
}

fn author(tx: &mut Tx<'_>, id: UserId) -> Result<Arc<User>> {
    if let Some(user) = tx.authors.get(&id) {
        return Ok(user.clone());
    }
    let user = Arc::new(
        accounts::user(tx.conn, id)
            .map_err(sql)?
            .ok_or(StoreError::Refused(Refusal::NotFound))?,
    );
    tx.authors.insert(id, user.clone());
    Ok(user)
}

fn changed(tx: &Tx<'_>, id: TweetId, previous: TweetState) -> Result<Changed> {
    Ok(Changed {
        tweet: load(tx, id)?,
        previous,
        parent: None,
        quoted: None,
    })
}

/// Move a parent's reply count by `delta` (a reply entered or left public view), in the
/// same transaction as the change; answers the parent's new counters.
pub(crate) fn count_reply(
    tx: &mut Tx<'_>,
    parent: TweetId,
    delta: i64,
) -> Result<(TweetId, Counters)> {
    tx.conn
        .prepare_cached("UPDATE tweets SET replies = replies + ?2, rev = rev + 1 WHERE id = ?1")
        .and_then(|mut s| s.execute(params![parent.0, delta]))
        .map_err(sql)?;
    tx.deltas.replies += delta;
    Ok((parent, counters(tx.conn, parent).map_err(sql)?))
}

/// Move a quoted tweet's quote count by `delta`, like [`count_reply`].
pub(crate) fn count_quote(
    tx: &mut Tx<'_>,
    quoted: TweetId,
    delta: i64,
) -> Result<(TweetId, Counters)> {
    tx.conn
        .prepare_cached("UPDATE tweets SET quotes = quotes + ?2, rev = rev + 1 WHERE id = ?1")
        .and_then(|mut s| s.execute(params![quoted.0, delta]))
        .map_err(sql)?;
    Ok((quoted, counters(tx.conn, quoted).map_err(sql)?))
}

/// Move a user's profile tweet count by `delta` (a tweet or retweet of theirs entered or
/// left public view), in the same transaction as the change.
pub(crate) fn count_tweet(tx: &Tx<'_>, user: UserId, delta: i64) -> Result<()> {
    if delta != 0 {
        tx.conn
            .prepare_cached("UPDATE users SET tweets = tweets + ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![user.0, delta]))
            .map_err(sql)?;
    }
    Ok(())
}

pub(crate) fn load(tx: &Tx<'_>, id: TweetId) -> Result<TweetRecord> {
    tweet(tx.conn, id)
        .map_err(sql)?
        .ok_or(StoreError::Refused(Refusal::NotFound))
}

pub(crate) fn create_tweet(tx: &mut Tx<'_>, create: CreateTweet) -> Result<Created> {
    let author_id = create.author;
    let now = create.now;
    let t = &create.tweet;
    let request_hash = t.request_hash();
    if let Some(key) = &t.idempotency_key {
        let earlier: Option<(i64, Option<Vec<u8>>)> = tx
            .conn
            .prepare_cached(
                "SELECT tweet_id, request_hash FROM idempotency_keys WHERE user_id = ?1 AND key = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![author_id.0, key.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sql)?;
        if let Some((id, request)) = earlier {
            if request.is_some_and(|r| r[..] != request_hash[..]) {
                return Err(Refusal::IdempotencyKeyReused.into());
            }
            return Ok(Created {
                tweet: load(tx, TweetId(id))?,
                fresh: false,
                parent: None,
                quoted: None,
            });
        }
    }
    let mut placed = create.placed;
    if placed.author_default {
        let protected = crate::graph::protected(tx.conn, author_id).map_err(sql)?;
        placed.visibility = placed.visibility_for(protected);
        placed.author_default = false;
    }
    if let Some(parent) = t.reply_to {
        let row: Option<(i64, i64, i64)> = tx
            .conn
            .prepare_cached("SELECT state, author_id, conversation_id FROM tweets WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([parent.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
            })
            .map_err(sql)?;
        // One may reply to what one may engage with (the engine has checked the
        // audience; the lifecycle is decided here, atomically).
        let Some((_, parent_author, conversation)) = row.filter(|(s, author, _)| {
            TweetState::from_code(*s).is_some_and(|s| {
                lifecycle(s, UserId(*author), &Viewer::user(author_id)).can_engage()
            })
        }) else {
            return Err(Refusal::InvalidReply.into());
        };
        placed.conversation = Some(TweetId(conversation));
        placed.reply_to_user = Some(UserId(parent_author));
    }
    if let Some(quoted) = t.quote_of {
        let row: Option<(i64, i64, i64)> = tx
            .conn
            .prepare_cached("SELECT state, author_id, visibility FROM tweets WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([quoted.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
            })
            .map_err(sql)?;
        // What one may engage with and anyone may read by its link.
        let quotable = row.is_some_and(|(s, author, v)| {
            TweetState::from_code(s).is_some_and(|s| {
                lifecycle(s, UserId(author), &Viewer::user(author_id)).can_engage()
            }) && Visibility::from_code(v).is_some_and(Visibility::is_open)
        });
        if !quotable {
            return Err(Refusal::InvalidQuote.into());
        }
    }
    let author = author(tx, author_id)?;
    let id = TweetId(tx.ids.next(now));
    let state = if t.draft {
        TweetState::Draft
    } else {
        TweetState::Published
    };
    let hash = t.content.hash();
    let media = if t.media.is_empty() {
        Arc::from([])
    } else {
        crate::media::attach(tx, author_id, id, &t.media)?
    };
    if t.content.text().is_empty() && media.is_empty() {
        return Err(empty_content());
    }
    let stored_media = Attachment::encode_all(&media);
    put_body(tx, &t.content, now)?;
    tx.conn
        .prepare_cached(
            "INSERT INTO tweets (id, author_id, body_hash, version, state, created_at, updated_at,
                                 reply_to_id, rev, last_seq, visibility, conversation_id,
                                 reply_to_user_id, mentions, quote_of_id, media, position)
             VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5, ?6, 1, 1, ?7, ?8, ?9, ?10, ?11, ?12, ?1)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id.0,
                author_id.0,
                &hash.0[..],
                state.code(),
                now,
                t.reply_to.map(|p| p.0),
                placed.visibility.code(),
                placed.conversation.unwrap_or(id).0,
                placed.reply_to_user.map(|u| u.0),
                Mention::encode_all(&placed.mentions),
                t.quote_of.map(|q| q.0),
                stored_media,
            ])
        })
        .map_err(sql)?;
    append_event(
        tx,
        id,
        EventRecord {
            seq: 1,
            kind: EventKind::Created,
            version: 1,
            content_hash: hash,
            actor: author_id,
            created_at: now,
        },
        &stored_media,
    )?;
    set_hashtags(
        tx,
        id,
        t.content.hashtags().iter().map(String::as_str),
        false,
    )?;
    if let Some(key) = &t.idempotency_key {
        tx.conn
            .prepare_cached(
                "INSERT INTO idempotency_keys (user_id, key, tweet_id, created_at, request_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    author_id.0,
                    key.as_str(),
                    id.0,
                    now,
                    &request_hash[..]
                ])
            })
            .map_err(sql)?;
    }
    tx.deltas.tweets += 1;
    tx.deltas.versions += 1;
    count_tweet(tx, author_id, i64::from(state.in_public_view()))?;
    if state.in_public_view() {
        deliver(tx, id, id, author_id, now)?;
    }
    // A draft reply is not counted until it is published (`transition`).
    let counted = is_public(state, author_id, placed.visibility);
    let parent = match t.reply_to {
        Some(parent) if counted => Some(count_reply(tx, parent, 1)?),
        _ => None,
    };
    let quoted = match t.quote_of {
        Some(quoted) if counted => Some(count_quote(tx, quoted, 1)?),
        _ => None,
    };
    let tweet = TweetRecord::created(id, author, t, &placed, media, state, now);
    Ok(Created {
        tweet,
        fresh: true,
        parent,
        quoted,
    })
}

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

/// Load a tweet for a write by `actor`: not found if they cannot see it, forbidden if
/// they can see it but did not write it.
fn authorize(tx: &Tx<'_>, id: TweetId, actor: UserId) -> Result<Current> {
    type Row = (
        i64,
        i64,
        i64,
        i64,
        Vec<u8>,
        Option<i64>,
        i64,
        Option<i64>,
        String,
    );
    let row: Option<Row> = tx
        .conn
        .prepare_cached(
            "SELECT author_id, state, version, last_seq, body_hash, reply_to_id, visibility,
                    quote_of_id, media
             FROM tweets WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([id.0], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })
            .optional()
        })
        .map_err(sql)?;
    let (author, state, version, last_seq, body, reply_to, visibility, quote_of, media) =
        row.ok_or(StoreError::Refused(Refusal::NotFound))?;
    let visibility = Visibility::from_code(visibility)
        .ok_or_else(|| StoreError::message("unknown visibility code"))?;
    let state =
        TweetState::from_code(state).ok_or_else(|| StoreError::message("unknown state code"))?;
    let author = UserId(author);
    // Only the author may write, and the audience never hides a tweet from its author:
    // the lifecycle decides alone.
    if !lifecycle(state, author, &Viewer::user(actor)).can_read() {
        return Err(Refusal::NotFound.into());
    }
    if author != actor {
        return Err(Refusal::NotAuthor.into());
    }
    let body =
        ContentHash::from_slice(&body).ok_or_else(|| StoreError::message("bad body hash"))?;
    Ok(Current {
        state,
        version,
        last_seq,
        body,
        reply_to: reply_to.map(TweetId),
        quote_of: quote_of.map(TweetId),
        visibility,
        media,
    })
}

/// Point the tweet at a new body as a new version (edit or restore).
#[allow(clippy::too_many_arguments)]
fn new_version<'t>(
    tx: &Tx<'_>,
    id: TweetId,
    actor: UserId,
    cur: &Current,
    action: Action,
    kind: EventKind,
    body: &ContentHash,
    tags: impl IntoIterator<Item = &'t str>,
    mentions: &[Mention],
    media: &str,
    now: i64,
) -> Result<()> {
    let next = cur.state.apply(action)?;
    let (version, seq) = (cur.version + 1, cur.last_seq + 1);
    tx.conn
        .prepare_cached(
            "UPDATE tweets SET body_hash = ?2, version = ?3, state = ?4, updated_at = ?5,
                               rev = rev + 1, last_seq = ?6, mentions = ?7, media = ?8
             WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![
                id.0,
                &body.0[..],
                version,
                next.code(),
                now,
                seq,
                Mention::encode_all(mentions),
                media
            ])
        })
        .map_err(sql)?;
    append_event(
        tx,
        id,
        EventRecord {
            seq,
            kind,
            version,
            content_hash: *body,
            actor,
            created_at: now,
        },
        media,
    )?;
    set_hashtags(tx, id, tags, true)
}

pub(crate) fn edit_tweet(tx: &mut Tx<'_>, e: EditTweet) -> Result<Changed> {
    let cur = authorize(tx, e.id, e.actor)?;
    cur.state.apply(Action::Edit)?;
    if let Some(expected) = e.expected_version
        && expected != cur.version
    {
        return Err(StoreError::Refused(Refusal::VersionConflict {
            current: cur.version,
        }));
    }
    let media = match &e.media {
        None => cur.media.clone(),
        Some(ids) => Attachment::encode_all(&crate::media::attach(tx, e.actor, e.id, ids)?),
    };
    if e.content.text().is_empty() && media.is_empty() {
        return Err(empty_content());
    }
    put_body(tx, &e.content, e.now)?;
    let tags = e.content.hashtags().iter().map(String::as_str);
    new_version(
        tx,
        e.id,
        e.actor,
        &cur,
        Action::Edit,
        EventKind::Edited,
        &e.content.hash(),
        tags,
        &e.mentions,
        &media,
        e.now,
    )?;
    tx.deltas.versions += 1;
    changed(tx, e.id, cur.state)
}

pub(crate) fn restore_version(tx: &mut Tx<'_>, r: RestoreVersion) -> Result<Changed> {
    let cur = authorize(tx, r.id, r.actor)?;
    cur.state.apply(Action::Restore)?;
    let (body, media) = version_body(tx.conn, r.id, r.version)
        .map_err(sql)?
        .ok_or(StoreError::Refused(Refusal::NoSuchVersion))?;
    let body =
        ContentHash::from_slice(&body).ok_or_else(|| StoreError::message("bad body hash"))?;
    let tags: String = tx
        .conn
        .prepare_cached("SELECT tags FROM bodies WHERE hash = ?1")
        .and_then(|mut s| s.query_row([&body.0[..]], |r| r.get(0)))
        .map_err(sql)?;
    let tags = tags.split(' ').filter(|t| !t.is_empty());
    new_version(
        tx,
        r.id,
        r.actor,
        &cur,
        Action::Restore,
        EventKind::Restored,
        &body,
        tags,
        &r.mentions,
        &media,
        r.now,
    )?;
    tx.deltas.versions += 1;
    changed(tx, r.id, cur.state)
}

pub(crate) fn transition(tx: &mut Tx<'_>, t: Transition) -> Result<Changed> {
    let cur = authorize(tx, t.id, t.actor)?;
    let kind = t.event_kind()?;
    let next = cur.state.apply(t.action)?;
    let seq = cur.last_seq + 1;
    if next == TweetState::Deleted {
        tx.deltas.tweets -= 1;
    }
    tx.conn
        .prepare_cached(
            "UPDATE tweets SET state = ?2, updated_at = ?3, rev = rev + 1, last_seq = ?4 WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![t.id.0, next.code(), t.now, seq]))
        .map_err(sql)?;
    // A draft published (the only way into view) lists as if posted now, and its time is
    // now (see the trait).
    if next.in_public_view() && !cur.state.in_public_view() {
        let position = TweetId(tx.ids.next(t.now));
        tx.conn
            .prepare_cached("UPDATE tweets SET position = ?2, created_at = ?3 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![t.id.0, position.0, t.now]))
            .map_err(sql)?;
        tx.conn
            .prepare_cached("UPDATE hashtags SET position = ?2 WHERE tweet_id = ?1")
            .and_then(|mut s| s.execute(params![t.id.0, position.0]))
            .map_err(sql)?;
        deliver(tx, t.id, position, t.actor, t.now)?;
    }
    append_event(
        tx,
        t.id,
        EventRecord {
            seq,
            kind,
            version: cur.version,
            content_hash: cur.body,
            actor: t.actor,
            created_at: t.now,
        },
        "",
    )?;
    count_tweet(
        tx,
        t.actor,
        i64::from(next.in_public_view()) - i64::from(cur.state.in_public_view()),
    )?;
    let mut changed = changed(tx, t.id, cur.state)?;
    // Replies and quotes count while anyone with the link may read them, and only then.
    let delta = match (
        is_public(cur.state, t.actor, cur.visibility),
        is_public(next, t.actor, cur.visibility),
    ) {
        (false, true) => 1,
        (true, false) => -1,
        _ => 0,
    };
    if delta != 0 {
        if let Some(parent) = cur.reply_to {
            changed.parent = Some(count_reply(tx, parent, delta)?);
        }
        if let Some(quoted) = cur.quote_of {
            changed.quoted = Some(count_quote(tx, quoted, delta)?);
        }
    }
    Ok(changed)
}

/// The tweet entered view: it goes to the author's followers' home timelines (the
/// outbox, in this transaction).
pub(crate) fn deliver(
    tx: &Tx<'_>,
    id: TweetId,
    position: TweetId,
    author: UserId,
    now: i64,
) -> Result<()> {
    let entry = Entry {
        position,
        id,
        author,
    };
    crate::timelines::record(tx.conn, DeliveryKind::Post(entry), now).map_err(sql)
}

// Reads.

pub(crate) const TWEET_COLUMNS: &str = "t.id, t.author_id, u.username, u.display_name, u.created_at, \
     b.content, t.body_hash, b.entities, t.version, t.state, t.created_at, t.updated_at, \
     t.reply_to_id, t.likes, t.retweets, t.replies, t.views, t.rev, t.visibility, \
     t.conversation_id, t.reply_to_user_id, t.mentions, t.retweet_of_id, t.quote_of_id, t.quotes, \
     t.media, t.position";

pub(crate) const TWEET_JOINS: &str =
    "JOIN users u ON u.id = t.author_id JOIN bodies b ON b.hash = t.body_hash";

pub(crate) fn hash(row: &Row<'_>, i: usize) -> rusqlite::Result<ContentHash> {
    let bytes: Vec<u8> = row.get(i)?;
    ContentHash::from_slice(&bytes).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, "bad hash".into())
    })
}

/// A version's media from their stored form in column `i`.
pub(crate) fn attachments(row: &Row<'_>, i: usize) -> rusqlite::Result<Arc<[Attachment]>> {
    let stored: String = row.get(i)?;
    Attachment::decode_all(&stored).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

/// Text may be empty only when the version carries media.
fn empty_content() -> StoreError {
    Refusal::Invalid(starling_core::ValidationError::new(
        "content",
        "content must not be empty without media",
    ))
    .into()
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
        visibility: {
            let code: i64 = row.get(18)?;
            Visibility::from_code(code).ok_or(rusqlite::Error::IntegralValueOutOfRange(18, code))?
        },
        conversation_id: TweetId(row.get(19)?),
        reply_to_user: row.get::<_, Option<i64>>(20)?.map(UserId),
        mentions: Mention::decode_all(&row.get::<_, String>(21)?),
        retweet_of: row.get::<_, Option<i64>>(22)?.map(TweetId),
        quote_of: row.get::<_, Option<i64>>(23)?.map(TweetId),
        media: attachments(row, 25)?,
        position: TweetId(row.get(26)?),
        counters: Counters {
            likes: row.get(13)?,
            retweets: row.get(14)?,
            replies: row.get(15)?,
            quotes: row.get(24)?,
            views: row.get(16)?,
            rev: row.get(17)?,
        },
        rendered: Default::default(),
    })
}

pub(crate) fn tweet(c: &Connection, id: TweetId) -> rusqlite::Result<Option<TweetRecord>> {
    c.prepare_cached(&format!(
        "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS} WHERE t.id = ?1"
    ))?
    .query_row([id.0], tweet_row)
    .optional()
}

pub(crate) fn counters(c: &Connection, id: TweetId) -> rusqlite::Result<Counters> {
    c.prepare_cached(
        "SELECT likes, retweets, replies, views, rev, quotes FROM tweets WHERE id = ?1",
    )?
    .query_row([id.0], |r| {
        Ok(Counters {
            likes: r.get(0)?,
            retweets: r.get(1)?,
            replies: r.get(2)?,
            views: r.get(3)?,
            rev: r.get(4)?,
            quotes: r.get(5)?,
        })
    })
}

pub(crate) fn list_tweets(c: &Connection, q: &TweetQuery) -> rusqlite::Result<Vec<TweetRecord>> {
    if q.states.is_empty() || q.visibilities.is_empty() {
        return Ok(Vec::new());
    }
    // State and visibility codes come from enums, never from input, so they are safe to
    // inline; inlining lets SQLite plan the IN list once per shape of query.
    let codes = |codes: Vec<i64>| {
        codes
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let states = codes(q.states.iter().map(|s| s.code()).collect());
    let visibilities = codes(q.visibilities.iter().map(|v| v.code()).collect());
    let replies = if q.no_replies {
        " AND t.reply_to_id IS NULL"
    } else {
        ""
    };
    let retweets = if q.with_retweets {
        ""
    } else {
        " AND t.retweet_of_id IS NULL"
    };
    let filter =
        format!("t.state IN ({states}) AND t.visibility IN ({visibilities}){replies}{retweets}");
    let before = q.before.map_or(i64::MAX, |id| id.0);
    let limit = q.limit as i64;
    let author = q.author.map(|a| a.0);
    let mut stmt;
    let rows = match &q.hashtag {
        None if q.quote_of.is_some() => {
            stmt = c.prepare_cached(&format!(
                "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS}
                 WHERE t.quote_of_id = ?1 AND t.position < ?2 AND {filter}
                 ORDER BY t.position DESC LIMIT ?3"
            ))?;
            stmt.query_map(params![q.quote_of.map(|q| q.0), before, limit], tweet_row)?
        }
        Some(tag) => {
            stmt = c.prepare_cached(&format!(
                "SELECT {TWEET_COLUMNS} FROM hashtags h JOIN tweets t ON t.id = h.tweet_id {TWEET_JOINS}
                 WHERE h.tag = ?1 AND h.position < ?2 AND {filter}
                   AND (?3 IS NULL OR t.author_id = ?3)
                 ORDER BY h.position DESC LIMIT ?4"
            ))?;
            stmt.query_map(params![tag, before, author, limit], tweet_row)?
        }
        None if author.is_some() => {
            stmt = c.prepare_cached(&format!(
                "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS}
                 WHERE t.author_id = ?1 AND t.position < ?2 AND {filter}
                 ORDER BY t.position DESC LIMIT ?3"
            ))?;
            stmt.query_map(params![author, before, limit], tweet_row)?
        }
        None => {
            stmt = c.prepare_cached(&format!(
                "SELECT {TWEET_COLUMNS} FROM tweets t {TWEET_JOINS}
                 WHERE t.position < ?1 AND {filter}
                 ORDER BY t.position DESC LIMIT ?2"
            ))?;
            stmt.query_map(params![before, limit], tweet_row)?
        }
    };
    rows.collect()
}

/// Event kinds that carry a new version.
pub(crate) const VERSION_KINDS: &str = "0, 1, 5";

pub(crate) fn versions(c: &Connection, id: TweetId) -> rusqlite::Result<Vec<VersionRecord>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT e.version, b.content, e.body_hash, e.at, e.media
         FROM tweet_events e JOIN bodies b ON b.hash = e.body_hash
         WHERE e.tweet_id = ?1 AND e.kind IN ({VERSION_KINDS}) ORDER BY e.seq"
    ))?;
    let rows = stmt.query_map([id.0], |r| {
        Ok(VersionRecord {
            version: r.get(0)?,
            content: r.get(1)?,
            content_hash: hash(r, 2)?,
            created_at: r.get(3)?,
            media: attachments(r, 4)?,
        })
    })?;
    rows.collect()
}

/// A version's body hash and media (stored form).
pub(crate) fn version_body(
    c: &Connection,
    id: TweetId,
    version: i64,
) -> rusqlite::Result<Option<(Vec<u8>, String)>> {
    c.prepare_cached(&format!(
        "SELECT body_hash, media FROM tweet_events
         WHERE tweet_id = ?1 AND version = ?2 AND kind IN ({VERSION_KINDS})"
    ))?
    .query_row(params![id.0, version], |r| Ok((r.get(0)?, r.get(1)?)))
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
