//! Users and sessions: [`AccountStore`] for SQLite, its writes (run by the writer in its
//! batch transaction) and its reads (run on the read pool).

use crate::Sqlite;
use crate::connection::sql;
use crate::writer::Tx;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};
use starling_core::{Refusal, UserId};
use starling_store::*;

#[async_trait]
impl AccountStore for Sqlite {
    async fn create_user(&self, user: NewUser) -> Result<User> {
        self.writer.run(move |tx| create_user(tx, user)).await
    }

    async fn credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let key = username.to_ascii_lowercase();
        self.readers.run(move |c| credentials(c, &key)).await
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        self.readers.run(move |c| user(c, id)).await
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let key = username.to_ascii_lowercase();
        self.readers
            .run(move |c| credentials(c, &key).map(|o| o.map(|(u, _)| u)))
            .await
    }

    async fn create_session(&self, session: NewSession) -> Result<Session> {
        self.writer.run(move |tx| create_session(tx, session)).await
    }

    async fn session_by_token(&self, token_hash: [u8; 32]) -> Result<Option<(User, Session)>> {
        self.readers
            .run(move |c| session_by_token(c, token_hash))
            .await
    }

    async fn renew_session(&self, id: SessionId, now: i64, expires_at: i64) -> Result<()> {
        self.writer
            .run(move |tx| renew_session(tx, id, now, expires_at))
            .await
    }

    async fn sessions(&self, user: UserId) -> Result<Vec<Session>> {
        self.readers.run(move |c| sessions(c, user)).await
    }

    async fn delete_sessions(&self, revoke: RevokeSessions) -> Result<Vec<Session>> {
        self.writer.run(move |tx| delete_sessions(tx, revoke)).await
    }
}

// Writes.

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
        return Err(Refusal::UsernameTaken.into());
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
    Ok(s.stored_as(id))
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
                return Err(Refusal::NotFound.into());
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
            stmt.query_map([&key], |r| session_row(r, 0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(sql)?;
    tx.conn
        .prepare_cached(&format!("DELETE FROM sessions WHERE {filter}"))
        .and_then(|mut s| s.execute([&key]))
        .map_err(sql)?;
    Ok(gone)
}

// Reads.

/// A user from the first four columns: id, username, display name, created at.
pub(crate) fn user_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(row.get(0)?),
        username: row.get(1)?,
        display_name: row.get(2)?,
        created_at: row.get(3)?,
    })
}

pub(crate) fn user(c: &Connection, id: UserId) -> rusqlite::Result<Option<User>> {
    c.prepare_cached("SELECT id, username, display_name, created_at FROM users WHERE id = ?1")?
        .query_row([id.0], user_row)
        .optional()
}

pub(crate) fn credentials(c: &Connection, key: &str) -> rusqlite::Result<Option<(User, String)>> {
    c.prepare_cached(
        "SELECT id, username, display_name, created_at, password_hash FROM users WHERE username_key = ?1",
    )?
    .query_row([key], |r| Ok((user_row(r)?, r.get(4)?)))
    .optional()
}

const SESSION_COLUMNS: &str =
    "s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.token_hash";

pub(crate) fn session_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Session> {
    let hash: Vec<u8> = r.get(at + 5)?;
    Ok(Session {
        id: SessionId(r.get(at)?),
        user: UserId(r.get(at + 1)?),
        created_at: r.get(at + 2)?,
        last_used_at: r.get(at + 3)?,
        expires_at: r.get(at + 4)?,
        token_hash: hash.try_into().unwrap_or([0; 32]),
    })
}

/// The session a token opens and its user, expired or not: expiry is the caller's rule.
pub(crate) fn session_by_token(
    c: &Connection,
    token_hash: [u8; 32],
) -> rusqlite::Result<Option<(User, Session)>> {
    c.prepare_cached(&format!(
        "SELECT u.id, u.username, u.display_name, u.created_at, {SESSION_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1"
    ))?
    .query_row([&token_hash[..]], |r| {
        Ok((user_row(r)?, session_row(r, 4)?))
    })
    .optional()
}

pub(crate) fn sessions(c: &Connection, user: UserId) -> rusqlite::Result<Vec<Session>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.user_id = ?1 ORDER BY s.id DESC"
    ))?;
    let rows = stmt.query_map([user.0], |r| session_row(r, 0))?;
    rows.collect()
}
