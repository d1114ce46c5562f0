//! Profiles and the social graph: [`GraphStore`] for SQLite. A change reads how the two
//! users stand, asks core's rules (`starling_core::graph::plan`) what to change, and
//! applies it in the writer's transaction, counts with their rows; the single writer
//! serializes changes, so counts stay exact under any concurrency.

use crate::Sqlite;
use crate::accounts::user_row;
use crate::connection::sql;
use crate::writer::Tx;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};
use starling_core::graph::{Edge, Effect, after, plan};
use starling_core::{Refusal, UserId};
use starling_store::*;

#[async_trait]
impl GraphStore for Sqlite {
    async fn profile(&self, user: UserId) -> Result<Option<Profile>> {
        self.readers.run(move |c| profile(c, user)).await
    }

    async fn update_profile(&self, change: ProfileChange) -> Result<Profile> {
        self.writer.run(move |tx| update_profile(tx, change)).await
    }

    async fn change_graph(&self, change: GraphChange) -> Result<Relationship> {
        self.writer.run(move |tx| change_graph(tx, change)).await
    }

    async fn relationship(&self, viewer: UserId, other: UserId) -> Result<Relationship> {
        self.readers
            .run(move |c| relationship(c, viewer, other))
            .await
    }

    async fn relationships(&self, viewer: UserId, others: &[UserId]) -> Result<Vec<Relationship>> {
        let others = others.to_vec();
        self.readers
            .run(move |c| {
                others
                    .iter()
                    .map(|&other| relationship(c, viewer, other))
                    .collect()
            })
            .await
    }

    async fn list_users(&self, query: UserListQuery) -> Result<Vec<Listed>> {
        self.readers.run(move |c| list_users(c, query)).await
    }

    async fn hidden_authors(&self, user: UserId) -> Result<Hidden> {
        self.readers
            .run(move |c| {
                let mut hidden = Hidden::default();
                let mut stmt = c.prepare_cached(
                    "SELECT blocked_id, 0 FROM blocks WHERE blocker_id = ?1
                     UNION SELECT blocker_id, 0 FROM blocks WHERE blocked_id = ?1
                     UNION SELECT muted_id, 1 FROM mutes WHERE muter_id = ?1",
                )?;
                let rows = stmt.query_map([user.0], |r| Ok((UserId(r.get(0)?), r.get(1)?)))?;
                for row in rows {
                    match row? {
                        (id, false) => hidden.blocked.push(id),
                        (id, true) => hidden.muted.push(id),
                    }
                }
                Ok(hidden)
            })
            .await
    }

    async fn suggestions(&self, viewer: UserId, limit: usize) -> Result<Vec<Profile>> {
        self.readers
            .run(move |c| {
                let mut stmt = c.prepare_cached(
                    "SELECT u.id, u.username, u.display_name, u.created_at, u.bio, u.protected,
                            u.followers, u.following, u.tweets
                     FROM users u
                     WHERE u.id != ?1
           AND NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM follow_requests
                           WHERE requester_id = ?1 AND target_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = u.id AND blocked_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM mutes WHERE muter_id = ?1 AND muted_id = u.id)
         ORDER BY u.followers DESC, u.id LIMIT ?2",
                )?;
                let rows = stmt.query_map(params![viewer.0, limit as i64], profile_row)?;
                rows.collect()
            })
            .await
    }

    async fn search_users(
        &self,
        prefix: &str,
        viewer: Option<UserId>,
        limit: usize,
    ) -> Result<Vec<User>> {
        let pattern = format!("{}%", like_escape(&prefix.to_lowercase()));
        self.readers
            .run(move |c| search_users(c, &pattern, viewer, limit))
            .await
    }
}

// Writes.

fn change_graph(tx: &mut Tx<'_>, change: GraphChange) -> Result<Relationship> {
    let c = tx.conn;
    let protected: Option<bool> = c
        .prepare_cached("SELECT protected FROM users WHERE id = ?1")
        .and_then(|mut s| s.query_row([change.other.0], |r| r.get(0)).optional())
        .map_err(sql)?;
    let Some(protected) = protected else {
        return Err(Refusal::NotFound.into());
    };
    let before = relationship(c, change.actor, change.other).map_err(sql)?;
    let effects = plan(change.actor, change.other, change.action, before, protected)?;
    for effect in &effects {
        apply(c, *effect, change.now).map_err(sql)?;
    }
    Ok(after(change.actor, before, &effects))
}

/// The table of an edge, and its (from, to) columns.
fn table(edge: Edge) -> (&'static str, &'static str, &'static str) {
    match edge {
        Edge::Follow => ("follows", "follower_id", "followee_id"),
        Edge::Request => ("follow_requests", "requester_id", "target_id"),
        Edge::Block => ("blocks", "blocker_id", "blocked_id"),
        Edge::Mute => ("mutes", "muter_id", "muted_id"),
    }
}

fn apply(c: &Connection, effect: Effect, now: i64) -> rusqlite::Result<()> {
    let (add, edge, from, to) = match effect {
        Effect::Add(edge, from, to) => (true, edge, from, to),
        Effect::Remove(edge, from, to) => (false, edge, from, to),
    };
    let (name, from_col, to_col) = table(edge);
    let changed = if add {
        c.prepare_cached(&format!(
            "INSERT INTO {name} ({from_col}, {to_col}, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING"
        ))?
        .execute(params![from.0, to.0, now])?
    } else {
        c.prepare_cached(&format!(
            "DELETE FROM {name} WHERE {from_col} = ?1 AND {to_col} = ?2"
        ))?
        .execute(params![from.0, to.0])?
    };
    if edge == Edge::Request && add && changed == 1 {
        let request = DeliveryKind::FollowRequest {
            requester: from,
            target: to,
        };
        crate::timelines::record(c, request, now)?;
    }
    if edge == Edge::Request && !add && changed == 1 {
        // Answered or withdrawn: the request is no longer something to act on.
        let kind = starling_store::NotificationKind::FollowRequest;
        crate::notifications::withdraw(c, to, kind, from, None)?;
    }
    if edge == Edge::Follow && changed == 1 {
        let delta: i64 = if add { 1 } else { -1 };
        c.prepare_cached("UPDATE users SET following = following + ?2 WHERE id = ?1")?
            .execute(params![from.0, delta])?;
        c.prepare_cached("UPDATE users SET followers = followers + ?2 WHERE id = ?1")?
            .execute(params![to.0, delta])?;
        if add {
            // The followee's recent tweets go into the follower's home timeline.
            let follow = DeliveryKind::Follow {
                follower: from,
                followee: to,
            };
            crate::timelines::record(c, follow, now)?;
        }
    }
    Ok(())
}

fn update_profile(tx: &mut Tx<'_>, change: ProfileChange) -> Result<Profile> {
    let c = tx.conn;
    let Some(before) = profile(c, change.user).map_err(sql)? else {
        return Err(Refusal::NotFound.into());
    };
    c.prepare_cached(
        "UPDATE users SET display_name = COALESCE(?2, display_name), bio = COALESCE(?3, bio),
                protected = COALESCE(?4, protected)
         WHERE id = ?1",
    )
    .and_then(|mut s| {
        s.execute(params![
            change.user.0,
            change.display_name,
            change.bio,
            change.protected
        ])
    })
    .map_err(sql)?;
    // Tweets built by the writer name their author: forget the old name.
    tx.authors.remove(&change.user);
    if before.protected && change.protected == Some(false) {
        // Going public answers every waiting request with yes.
        let requesters: Vec<i64> = c
            .prepare_cached("SELECT requester_id FROM follow_requests WHERE target_id = ?1")
            .and_then(|mut s| {
                s.query_map([change.user.0], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()
            })
            .map_err(sql)?;
        for requester in requesters {
            let requester = UserId(requester);
            for effect in [
                Effect::Remove(Edge::Request, requester, change.user),
                Effect::Add(Edge::Follow, requester, change.user),
            ] {
                apply(c, effect, change.now).map_err(sql)?;
            }
        }
    }
    Ok(profile(c, change.user)
        .map_err(sql)?
        .expect("the user was found above"))
}

// Reads.

pub(crate) fn profile(c: &Connection, id: UserId) -> rusqlite::Result<Option<Profile>> {
    c.prepare_cached(
        "SELECT id, username, display_name, created_at, bio, protected, followers, following, tweets
         FROM users WHERE id = ?1",
    )?
    .query_row([id.0], profile_row)
    .optional()
}

/// A profile from `id, username, display_name, created_at, bio, protected, followers,
/// following, tweets`.
fn profile_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Profile> {
    Ok(Profile {
        user: user_row(r)?,
        bio: r.get(4)?,
        protected: r.get(5)?,
        followers: r.get(6)?,
        following: r.get(7)?,
        tweets: r.get(8)?,
    })
}

pub(crate) fn relationship(c: &Connection, a: UserId, o: UserId) -> rusqlite::Result<Relationship> {
    // One statement: every read of a tweet by a signed-in user asks this.
    c.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = ?1 AND followee_id = ?2),
                EXISTS (SELECT 1 FROM follows WHERE follower_id = ?2 AND followee_id = ?1),
                EXISTS (SELECT 1 FROM follow_requests WHERE requester_id = ?1 AND target_id = ?2),
                EXISTS (SELECT 1 FROM follow_requests WHERE requester_id = ?2 AND target_id = ?1),
                EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2),
                EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?2 AND blocked_id = ?1),
                EXISTS (SELECT 1 FROM mutes WHERE muter_id = ?1 AND muted_id = ?2)",
    )?
    .query_row(params![a.0, o.0], |r| {
        Ok(Relationship {
            following: r.get(0)?,
            followed_by: r.get(1)?,
            requested: r.get(2)?,
            requested_by: r.get(3)?,
            blocking: r.get(4)?,
            blocked_by: r.get(5)?,
            muting: r.get(6)?,
        })
    })
}

/// The edge table of a list, the column naming the list's owner and the one naming
/// each listed user.
pub(crate) fn list_source(list: UserList) -> (&'static str, &'static str, &'static str) {
    let (name, from, to) = match list {
        UserList::Followers | UserList::Following => table(Edge::Follow),
        UserList::FollowRequests => table(Edge::Request),
        UserList::Blocks => table(Edge::Block),
        UserList::Mutes => table(Edge::Mute),
    };
    match list {
        // Lists of who points at the owner.
        UserList::Followers | UserList::FollowRequests => (name, to, from),
        _ => (name, from, to),
    }
}

fn list_users(c: &Connection, q: UserListQuery) -> rusqlite::Result<Vec<Listed>> {
    let (name, owner, other) = list_source(q.list);
    let (since, last) = q.before.map_or((i64::MAX, i64::MAX), |(t, u)| (t, u.0));
    c.prepare_cached(&format!(
        "SELECT u.id, u.username, u.display_name, u.created_at, e.created_at
         FROM {name} e JOIN users u ON u.id = e.{other}
         WHERE e.{owner} = ?1 AND (e.created_at, e.{other}) < (?2, ?3)
         ORDER BY e.created_at DESC, e.{other} DESC LIMIT ?4"
    ))?
    .query_map(params![q.user.0, since, last, q.limit as i64], |r| {
        Ok(Listed {
            user: user_row(r)?,
            since: r.get(4)?,
        })
    })?
    .collect()
}

/// `text` for a LIKE pattern with `\` as the escape character.
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn search_users(
    c: &Connection,
    pattern: &str,
    viewer: Option<UserId>,
    limit: usize,
) -> rusqlite::Result<Vec<User>> {
    let viewer = viewer.map_or(-1, |v| v.0);
    c.prepare_cached(
        "SELECT id, username, display_name, created_at FROM users
         WHERE (username_key LIKE ?1 ESCAPE '\\' OR lower(display_name) LIKE ?1 ESCAPE '\\')
           AND NOT EXISTS (SELECT 1 FROM blocks
                           WHERE (blocker_id = ?2 AND blocked_id = users.id)
                              OR (blocker_id = users.id AND blocked_id = ?2))
         ORDER BY username_key LIMIT ?3",
    )?
    .query_map(params![pattern, viewer, limit as i64], user_row)?
    .collect()
}

/// Whether `user` approves their followers (false for no such user).
pub(crate) fn protected(c: &Connection, user: UserId) -> rusqlite::Result<bool> {
    c.prepare_cached("SELECT protected FROM users WHERE id = ?1")?
        .query_row([user.0], |r| r.get(0))
        .optional()
        .map(|p| p.unwrap_or(false))
}
