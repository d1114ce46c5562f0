//! Writes. Each runs inside the writer's batch transaction and follows one discipline:
//! **check everything first** (with the pure rules of `starling-core`), **then write**.
//! A write refused for a domain reason (not found, conflict, illegal transition, ...)
//! has therefore changed nothing, and the batch commits without it; a storage failure
//! after writing has begun poisons and rolls back the whole batch (see `writer.rs`).
//! This is what lets a batch share one transaction without a savepoint per write.

use crate::internal;
use crate::queries;
use crate::writer::Tx;
use rusqlite::{OptionalExtension, params};
use starling_core::visibility::{Viewer, access, is_public};
use starling_core::{Action, Content, ContentHash, TweetId, TweetState, UserId};
use starling_store::*;
use std::sync::Arc;

fn sql(e: rusqlite::Error) -> StoreError {
    internal(e)
}

pub(crate) fn create_user(tx: &mut Tx<'_>, user: NewUser) -> Result<User> {
    let id = UserId(tx.ids.next(user.now));
    let inserted = tx
        .conn
        .prepare_cached(
            "INSERT INTO users (id, username, username_key, display_name, password_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (username_key) DO NOTHING",
        )
        .and_then(|mut s| {
            s.execute(params![
                id.0,
                user.username,
                user.username.to_ascii_lowercase(),
                user.display_name,
                user.password_hash,
                user.now
            ])
        })
        .map_err(sql)?;
    if inserted == 0 {
        return Err(StoreError::UsernameTaken);
    }
    Ok(User {
        id,
        username: user.username,
        display_name: user.display_name,
        created_at: user.now,
    })
}

pub(crate) fn create_session(tx: &mut Tx<'_>, s: NewSession) -> Result<Session> {
    let id = SessionId(tx.ids.next(s.now));
    tx.conn
        .prepare_cached(
            "INSERT INTO sessions (id, token_hash, user_id, created_at, last_used_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        )
        .and_then(|mut st| {
            st.execute(params![
                id.0,
                &s.token_hash[..],
                s.user.0,
                s.now,
                s.expires_at
            ])
        })
        .map_err(sql)?;
    Ok(Session {
        id,
        user: s.user,
        created_at: s.now,
        last_used_at: s.now,
        expires_at: s.expires_at,
        token_hash: s.token_hash,
    })
}

pub(crate) fn renew_session(
    tx: &mut Tx<'_>,
    id: SessionId,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    tx.conn
        .prepare_cached("UPDATE sessions SET last_used_at = ?2, expires_at = ?3 WHERE id = ?1")
        .and_then(|mut s| s.execute(params![id.0, now, expires_at]))
        .map_err(sql)?;
    Ok(())
}

pub(crate) fn delete_sessions(tx: &mut Tx<'_>, revoke: RevokeSessions) -> Result<Vec<Session>> {
    use rusqlite::types::Value;
    let (filter, key) = match &revoke {
        RevokeSessions::Token(hash) => ("token_hash = ?1", Value::Blob(hash.to_vec())),
        RevokeSessions::One { user, id } => {
            // Only the owner's own session: another user's id is "not found".
            let owned: Option<i64> = tx
                .conn
                .prepare_cached("SELECT id FROM sessions WHERE id = ?1 AND user_id = ?2")
                .and_then(|mut s| s.query_row(params![id.0, user.0], |r| r.get(0)).optional())
                .map_err(sql)?;
            if owned.is_none() {
                return Err(StoreError::NotFound);
            }
            ("id = ?1", Value::Integer(id.0))
        }
        RevokeSessions::AllOf(user) => ("user_id = ?1", Value::Integer(user.0)),
    };
    let gone: Vec<Session> = tx
        .conn
        .prepare_cached(&format!(
            "SELECT s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.token_hash
             FROM sessions s WHERE s.{filter}"
        ))
        .and_then(|mut stmt| {
            stmt.query_map([&key], |r| queries::session_row(r, 0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(sql)?;
    tx.conn
        .prepare_cached(&format!("DELETE FROM sessions WHERE {filter}"))
        .and_then(|mut s| s.execute([&key]))
        .map_err(sql)?;
    Ok(gone)
}

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
        .prepare_cached("INSERT OR IGNORE INTO hashtags (tweet_id, tag) VALUES (?1, ?2)")
        .map_err(sql)?;
    for tag in tags {
        stmt.execute(params![id.0, tag]).map_err(sql)?;
    }
    Ok(())
}

fn append_event(tx: &Tx<'_>, id: TweetId, e: EventRecord) -> Result<()> {
    tx.conn
        .prepare_cached(
            "INSERT INTO tweet_events (tweet_id, seq, kind, version, body_hash, actor_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id.0,
                e.seq,
                e.kind.code(),
                e.version,
                &e.content_hash.0[..],
                e.actor.0,
                e.created_at
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
        queries::user(tx.conn, id)
            .map_err(sql)?
            .ok_or(StoreError::NotFound)?,
    );
    tx.authors.insert(id, user.clone());
    Ok(user)
}

fn changed(tx: &Tx<'_>, id: TweetId, previous: TweetState) -> Result<Changed> {
    Ok(Changed {
        tweet: load(tx, id)?,
        previous,
        parent: None,
    })
}

/// Move a parent's reply count by `delta` (a reply entered or left public view), in the
/// same transaction as the change; answers the parent's new counters.
fn count_reply(tx: &mut Tx<'_>, parent: TweetId, delta: i64) -> Result<(TweetId, Counters)> {
    tx.conn
        .prepare_cached("UPDATE tweets SET replies = replies + ?2, rev = rev + 1 WHERE id = ?1")
        .and_then(|mut s| s.execute(params![parent.0, delta]))
        .map_err(sql)?;
    tx.deltas.replies += delta;
    Ok((parent, queries::counters(tx.conn, parent).map_err(sql)?))
}

fn load(tx: &Tx<'_>, id: TweetId) -> Result<TweetRecord> {
    queries::tweet(tx.conn, id)
        .map_err(sql)?
        .ok_or(StoreError::NotFound)
}

pub(crate) fn create_tweet(tx: &mut Tx<'_>, t: NewTweet) -> Result<Created> {
    if let Some(key) = &t.idempotency_key {
        let earlier: Option<(i64, Option<Vec<u8>>)> = tx
            .conn
            .prepare_cached(
                "SELECT tweet_id, request_hash FROM idempotency_keys WHERE user_id = ?1 AND key = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![t.author.0, key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sql)?;
        if let Some((id, request)) = earlier {
            if request.is_some_and(|r| r[..] != t.request_hash[..]) {
                return Err(StoreError::IdempotencyKeyReused);
            }
            return Ok(Created {
                tweet: load(tx, TweetId(id))?,
                fresh: false,
                parent: None,
            });
        }
    }
    if let Some(parent) = t.reply_to {
        let state: Option<(i64, i64)> = tx
            .conn
            .prepare_cached("SELECT state, author_id FROM tweets WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([parent.0], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(sql)?;
        // One may reply to what one may engage with.
        let public = state.is_some_and(|(s, author): (i64, i64)| {
            TweetState::from_code(s)
                .is_some_and(|s| access(s, UserId(author), &Viewer::user(t.author)).can_engage())
        });
        if !public {
            return Err(StoreError::InvalidReply);
        }
    }
    let author = author(tx, t.author)?;
    let id = TweetId(tx.ids.next(t.now));
    let state = if t.draft {
        TweetState::Draft
    } else {
        TweetState::Published
    };
    let hash = t.content.hash();
    put_body(tx, &t.content, t.now)?;
    tx.conn
        .prepare_cached(
            "INSERT INTO tweets (id, author_id, body_hash, version, state, created_at, updated_at,
                                 reply_to_id, rev, last_seq)
             VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5, ?6, 1, 1)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id.0,
                t.author.0,
                &hash.0[..],
                state.code(),
                t.now,
                t.reply_to.map(|p| p.0)
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
            actor: t.author,
            created_at: t.now,
        },
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
            .and_then(|mut s| s.execute(params![t.author.0, key, id.0, t.now, &t.request_hash[..]]))
            .map_err(sql)?;
    }
    tx.deltas.tweets += 1;
    tx.deltas.versions += 1;
    // A draft reply is not counted until it is published (`transition`).
    let parent = match t.reply_to {
        Some(parent) if is_public(state, t.author) => Some(count_reply(tx, parent, 1)?),
        _ => None,
    };
    let tweet = TweetRecord {
        id,
        author,
        content: Arc::from(t.content.text()),
        content_hash: hash,
        entities_json: Arc::from(t.content.entities_json()),
        version: 1,
        state,
        created_at: t.now,
        updated_at: t.now,
        reply_to: t.reply_to,
        counters: Counters {
            rev: 1,
            ..Counters::default()
        },
    };
    Ok(Created {
        tweet,
        fresh: true,
        parent,
    })
}

/// The parts of a tweet row a write decides on.
struct Current {
    state: TweetState,
    version: i64,
    last_seq: i64,
    body: ContentHash,
    reply_to: Option<TweetId>,
}

/// Load a tweet for a write by `actor`: not found if they cannot see it, forbidden if
/// they can see it but did not write it.
fn authorize(tx: &Tx<'_>, id: TweetId, actor: UserId) -> Result<Current> {
    type Row = (i64, i64, i64, i64, Vec<u8>, Option<i64>);
    let row: Option<Row> = tx
        .conn
        .prepare_cached(
            "SELECT author_id, state, version, last_seq, body_hash, reply_to_id FROM tweets WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([id.0], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .optional()
        })
        .map_err(sql)?;
    let (author, state, version, last_seq, body, reply_to) = row.ok_or(StoreError::NotFound)?;
    let state = TweetState::from_code(state).ok_or_else(|| internal("unknown state code"))?;
    let author = UserId(author);
    if !access(state, author, &Viewer::user(actor)).can_read() {
        return Err(StoreError::NotFound);
    }
    if author != actor {
        return Err(StoreError::Forbidden);
    }
    let body = ContentHash::from_slice(&body).ok_or_else(|| internal("bad body hash"))?;
    Ok(Current {
        state,
        version,
        last_seq,
        body,
        reply_to: reply_to.map(TweetId),
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
    now: i64,
) -> Result<()> {
    let next = cur.state.apply(action)?;
    let (version, seq) = (cur.version + 1, cur.last_seq + 1);
    tx.conn
        .prepare_cached(
            "UPDATE tweets SET body_hash = ?2, version = ?3, state = ?4, updated_at = ?5,
                               rev = rev + 1, last_seq = ?6 WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![id.0, &body.0[..], version, next.code(), now, seq]))
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
    )?;
    set_hashtags(tx, id, tags, true)
}

pub(crate) fn edit_tweet(tx: &mut Tx<'_>, e: EditTweet) -> Result<Changed> {
    let cur = authorize(tx, e.id, e.actor)?;
    cur.state.apply(Action::Edit)?;
    if let Some(expected) = e.expected_version
        && expected != cur.version
    {
        return Err(StoreError::VersionConflict {
            current: cur.version,
        });
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
        e.now,
    )?;
    tx.deltas.versions += 1;
    changed(tx, e.id, cur.state)
}

pub(crate) fn restore_version(tx: &mut Tx<'_>, r: RestoreVersion) -> Result<Changed> {
    let cur = authorize(tx, r.id, r.actor)?;
    cur.state.apply(Action::Restore)?;
    let body = queries::version_body(tx.conn, r.id, r.version)
        .map_err(sql)?
        .ok_or(StoreError::NoSuchVersion)?;
    let body = ContentHash::from_slice(&body).ok_or_else(|| internal("bad body hash"))?;
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
        r.now,
    )?;
    tx.deltas.versions += 1;
    changed(tx, r.id, cur.state)
}

pub(crate) fn transition(tx: &mut Tx<'_>, t: Transition) -> Result<Changed> {
    let cur = authorize(tx, t.id, t.actor)?;
    let (action, kind) = match t.kind {
        TransitionKind::Publish => (Action::Publish, EventKind::Published),
        TransitionKind::Archive => (Action::Archive, EventKind::Archived),
        TransitionKind::Delete => (Action::Delete, EventKind::Deleted),
    };
    let next = cur.state.apply(action)?;
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
    )?;
    let mut changed = changed(tx, t.id, cur.state)?;
    // Replies count while publicly visible, and only then.
    if let Some(parent) = cur.reply_to {
        match (is_public(cur.state, t.actor), is_public(next, t.actor)) {
            (false, true) => changed.parent = Some(count_reply(tx, parent, 1)?),
            (true, false) => changed.parent = Some(count_reply(tx, parent, -1)?),
            _ => {}
        }
    }
    Ok(changed)
}

pub(crate) fn engage(tx: &mut Tx<'_>, e: Engage) -> Result<Engaged> {
    let row: Option<(i64, i64)> = tx
        .conn
        .prepare_cached("SELECT author_id, state FROM tweets WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([e.id.0], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(sql)?;
    let (author, state) = row.ok_or(StoreError::NotFound)?;
    let state = TweetState::from_code(state).ok_or_else(|| internal("unknown state code"))?;
    match access(state, UserId(author), &Viewer::user(e.user)) {
        starling_core::Access::Hidden => return Err(StoreError::NotFound),
        starling_core::Access::Readable => return Err(StoreError::ReadOnly(state)),
        starling_core::Access::Engageable => {}
    }
    let (change, counter) = match e.toggle {
        Toggle::Like => (
            "INSERT OR IGNORE INTO likes (tweet_id, user_id, created_at) VALUES (?1, ?2, ?3)",
            "likes = likes + 1",
        ),
        Toggle::Unlike => (
            "DELETE FROM likes WHERE tweet_id = ?1 AND user_id = ?2 AND ?3 IS NOT NULL",
            "likes = likes - 1",
        ),
        Toggle::Retweet => (
            "INSERT OR IGNORE INTO retweets (tweet_id, user_id, created_at) VALUES (?1, ?2, ?3)",
            "retweets = retweets + 1",
        ),
        Toggle::Unretweet => (
            "DELETE FROM retweets WHERE tweet_id = ?1 AND user_id = ?2 AND ?3 IS NOT NULL",
            "retweets = retweets - 1",
        ),
    };
    let changed = tx
        .conn
        .prepare_cached(change)
        .and_then(|mut s| s.execute(params![e.id.0, e.user.0, e.now]))
        .map_err(sql)?
        == 1;
    if changed {
        // The counter moves in the same transaction as the row it counts: they cannot diverge.
        tx.conn
            .prepare_cached(&format!(
                "UPDATE tweets SET {counter}, rev = rev + 1 WHERE id = ?1"
            ))
            .and_then(|mut s| s.execute([e.id.0]))
            .map_err(sql)?;
        match e.toggle {
            Toggle::Like => tx.deltas.likes += 1,
            Toggle::Unlike => tx.deltas.likes -= 1,
            Toggle::Retweet => tx.deltas.retweets += 1,
            Toggle::Unretweet => tx.deltas.retweets -= 1,
        }
    }
    let liked = match e.toggle {
        Toggle::Like => true,
        Toggle::Unlike => false,
        _ => queries::has_liked(tx.conn, e.id, e.user).map_err(sql)?,
    };
    let retweeted = match e.toggle {
        Toggle::Retweet => true,
        Toggle::Unretweet => false,
        _ => queries::has_retweeted(tx.conn, e.id, e.user).map_err(sql)?,
    };
    let counters = queries::counters(tx.conn, e.id).map_err(sql)?;
    Ok(Engaged {
        counters,
        changed,
        liked,
        retweeted,
    })
}

pub(crate) fn add_views(
    tx: &mut Tx<'_>,
    views: Vec<(TweetId, i64)>,
) -> Result<Vec<(TweetId, Counters)>> {
    let mut updated = Vec::with_capacity(views.len());
    for (id, n) in views {
        let changed = tx
            .conn
            .prepare_cached("UPDATE tweets SET views = views + ?2, rev = rev + 1 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id.0, n]))
            .map_err(sql)?;
        if changed == 1 {
            tx.deltas.views += n;
            updated.push((id, queries::counters(tx.conn, id).map_err(sql)?));
        }
    }
    Ok(updated)
}
