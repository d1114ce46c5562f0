//! Users and sessions: [`AccountStore`] for PostgreSQL.

use crate::Postgres;
use crate::connection::{Client, Tx, pg, transaction};
use async_trait::async_trait;
use starling_core::{Refusal, UserId};
use starling_store::*;
use tokio_postgres::Row;

#[async_trait]
impl AccountStore for Postgres {
    async fn create_user(&self, user: NewUser) -> Result<User> {
        transaction!(self.pool, |tx| create_user(&tx, self, &user))
    }

    async fn credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let client = self.pool.client().await?;
        credentials(&client, &username.to_ascii_lowercase()).await
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
            ))
            .await
            .map_err(pg)?;
        let row = client.query_opt(&stmt, &[&id.0]).await.map_err(pg)?;
        Ok(row.map(|r| user_row(&r, 0)))
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let client = self.pool.client().await?;
        Ok(credentials(&client, &username.to_ascii_lowercase())
            .await?
            .map(|(u, _)| u))
    }

    async fn create_session(&self, session: NewSession) -> Result<Session> {
        transaction!(self.pool, |tx| create_session(&tx, self, &session))
    }

    async fn session_by_token(&self, token_hash: [u8; 32]) -> Result<Option<(User, Session)>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS}, {SESSION_COLUMNS}
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
            ))
            .await
            .map_err(pg)?;
        let row = client
            .query_opt(&stmt, &[&&token_hash[..]])
            .await
            .map_err(pg)?;
        Ok(row.map(|r| (user_row(&r, 0), session_row(&r, 4))))
    }

    async fn renew_session(&self, id: SessionId, now: i64, expires_at: i64) -> Result<()> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached("UPDATE sessions SET last_used_at = $2, expires_at = $3 WHERE id = $1")
            .await
            .map_err(pg)?;
        client
            .execute(&stmt, &[&id.0, &now, &expires_at])
            .await
            .map_err(pg)?;
        Ok(())
    }

    async fn sessions(&self, user: UserId) -> Result<Vec<Session>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.user_id = $1 ORDER BY s.id DESC"
            ))
            .await
            .map_err(pg)?;
        let rows = client.query(&stmt, &[&user.0]).await.map_err(pg)?;
        Ok(rows.iter().map(|r| session_row(r, 0)).collect())
    }

    async fn delete_sessions(&self, revoke: RevokeSessions) -> Result<Vec<Session>> {
        transaction!(self.pool, |tx| delete_sessions(&tx, &revoke))
    }
}

// Writes.

async fn create_user(tx: &Tx<'_>, pg_store: &Postgres, user: &NewUser) -> Result<User> {
    let id = UserId(pg_store.ids.next(user.now));
    let stmt = tx
        .prepare_cached(
            "INSERT INTO users (id, username, username_key, display_name, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username_key) DO NOTHING",
        )
        .await
        .map_err(pg)?;
    let inserted = tx
        .execute(
            &stmt,
            &[
                &id.0,
                &user.username,
                &user.username.to_ascii_lowercase(),
                &user.display_name,
                &user.password_hash,
                &user.now,
            ],
        )
        .await
        .map_err(pg)?;
    if inserted == 0 {
        return Err(Refusal::UsernameTaken.into());
    }
    Ok(User {
        id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        created_at: user.now,
    })
}

async fn create_session(tx: &Tx<'_>, pg_store: &Postgres, s: &NewSession) -> Result<Session> {
    let id = SessionId(pg_store.ids.next(s.now));
    let stmt = tx
        .prepare_cached(
            "INSERT INTO sessions (id, token_hash, user_id, created_at, last_used_at, expires_at)
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .await
        .map_err(pg)?;
    tx.execute(
        &stmt,
        &[&id.0, &&s.token_hash[..], &s.user.0, &s.now, &s.expires_at],
    )
    .await
    .map_err(pg)?;
    Ok(s.stored_as(id))
}

async fn delete_sessions(tx: &Tx<'_>, revoke: &RevokeSessions) -> Result<Vec<Session>> {
    let returning = format!("RETURNING {}", SESSION_COLUMNS.replace("s.", ""));
    let rows = match revoke {
        RevokeSessions::Token(hash) => {
            tx.query(
                &format!("DELETE FROM sessions WHERE token_hash = $1 {returning}"),
                &[&&hash[..]],
            )
            .await
        }
        RevokeSessions::One { user, id } => {
            // Only the owner's own session: another user's id is "not found".
            let rows = tx
                .query(
                    &format!("DELETE FROM sessions WHERE id = $1 AND user_id = $2 {returning}"),
                    &[&id.0, &user.0],
                )
                .await
                .map_err(pg)?;
            if rows.is_empty() {
                return Err(Refusal::NotFound.into());
            }
            Ok(rows)
        }
        RevokeSessions::AllOf(user) => {
            tx.query(
                &format!("DELETE FROM sessions WHERE user_id = $1 {returning}"),
                &[&user.0],
            )
            .await
        }
    }
    .map_err(pg)?;
    Ok(rows.iter().map(|r| session_row(r, 0)).collect())
}

// Reads.

pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.created_at";

pub(crate) fn user_row(row: &Row, at: usize) -> User {
    User {
        id: UserId(row.get(at)),
        username: row.get(at + 1),
        display_name: row.get(at + 2),
        created_at: row.get(at + 3),
    }
}

async fn credentials(c: &Client, key: &str) -> Result<Option<(User, String)>> {
    let stmt = c
        .prepare_cached(&format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username_key = $1"
        ))
        .await
        .map_err(pg)?;
    let row = c.query_opt(&stmt, &[&key]).await.map_err(pg)?;
    Ok(row.map(|r| (user_row(&r, 0), r.get(4))))
}

const SESSION_COLUMNS: &str =
    "s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.token_hash";

fn session_row(r: &Row, at: usize) -> Session {
    let hash: &[u8] = r.get(at + 5);
    Session {
        id: SessionId(r.get(at)),
        user: UserId(r.get(at + 1)),
        created_at: r.get(at + 2),
        last_used_at: r.get(at + 3),
        expires_at: r.get(at + 4),
        token_hash: hash.try_into().unwrap_or([0; 32]),
    }
}
