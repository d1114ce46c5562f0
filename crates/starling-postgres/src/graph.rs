//! Profiles and the social graph: [`GraphStore`] for PostgreSQL. A change locks both
//! users' rows in id order, reads how they stand, asks core's rules
//! (`starling_core::graph::plan`) what to change and applies it, counts with their rows:
//! concurrent follows of one account give exact counts, and a follow racing a block
//! cannot survive it.

use crate::Postgres;
use crate::accounts::user_row;
use crate::connection::{Client, Tx, pg, transaction};
use async_trait::async_trait;
use starling_core::graph::{Edge, Effect, after, plan};
use starling_core::{Refusal, UserId};
use starling_store::*;

#[async_trait]
impl GraphStore for Postgres {
    async fn profile(&self, user: UserId) -> Result<Option<Profile>> {
        let client = self.pool.client().await?;
        profile(&client, user).await
    }

    async fn update_profile(&self, change: ProfileChange) -> Result<Profile> {
        transaction!(self.pool, |tx| update_profile(&tx, &change))
    }

    async fn change_graph(&self, change: GraphChange) -> Result<Relationship> {
        transaction!(self.pool, |tx| change_graph(&tx, change))
    }

    async fn relationship(&self, viewer: UserId, other: UserId) -> Result<Relationship> {
        let client = self.pool.client().await?;
        relationship(&client, viewer, other).await
    }

    async fn relationships(&self, viewer: UserId, others: &[UserId]) -> Result<Vec<Relationship>> {
        if others.is_empty() {
            return Ok(Vec::new());
        }
        let client = self.pool.client().await?;
        let others: Vec<i64> = others.iter().map(|o| o.0).collect();
        relationships(&client, viewer, &others).await
    }

    async fn list_users(&self, query: UserListQuery) -> Result<Vec<Listed>> {
        let client = self.pool.client().await?;
        list_users(&client, query).await
    }

    async fn suggestions(&self, viewer: UserId, limit: usize) -> Result<Vec<Profile>> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT u.id, u.username, u.display_name, u.created_at, u.bio, u.protected,
                        u.followers, u.following, u.tweets
                 FROM users u
                 WHERE u.id != $1
           AND NOT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM follow_requests
                           WHERE requester_id = $1 AND target_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = u.id AND blocked_id = $1)
           AND NOT EXISTS (SELECT 1 FROM mutes WHERE muter_id = $1 AND muted_id = u.id)
         ORDER BY u.followers DESC, u.id LIMIT $2",
            )
            .await
            .map_err(pg)?;
        let rows = client
            .query(&stmt, &[&viewer.0, &(limit as i64)])
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(profile_row).collect())
    }

    async fn hidden_authors(&self, user: UserId) -> Result<Hidden> {
        let client = self.pool.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT blocked_id, false FROM blocks WHERE blocker_id = $1
                 UNION SELECT blocker_id, false FROM blocks WHERE blocked_id = $1
                 UNION SELECT muted_id, true FROM mutes WHERE muter_id = $1",
            )
            .await
            .map_err(pg)?;
        let rows = client.query(&stmt, &[&user.0]).await.map_err(pg)?;
        let mut hidden = Hidden::default();
        for r in &rows {
            match r.get::<_, bool>(1) {
                false => hidden.blocked.push(UserId(r.get(0))),
                true => hidden.muted.push(UserId(r.get(0))),
            }
        }
        Ok(hidden)
    }

    async fn search_users(
        &self,
        prefix: &str,
        viewer: Option<UserId>,
        limit: usize,
    ) -> Result<Vec<User>> {
        let client = self.pool.client().await?;
        let pattern = format!("{}%", like_escape(&prefix.to_lowercase()));
        let viewer = viewer.map_or(-1, |v| v.0);
        let rows = client
            .query(
                "SELECT id, username, display_name, created_at FROM users
                 WHERE (username_key LIKE $1 OR lower(display_name) LIKE $1)
                   AND NOT EXISTS (SELECT 1 FROM blocks
                                   WHERE (blocker_id = $2 AND blocked_id = users.id)
                                      OR (blocker_id = users.id AND blocked_id = $2))
                 ORDER BY username_key COLLATE \"C\" LIMIT $3",
                &[&pattern, &viewer, &(limit as i64)],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(|r| user_row(r, 0)).collect())
    }
}

/// `text` for a LIKE pattern (PostgreSQL's default escape character is `\`).
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

// Writes.

/// Lock the users' rows, in id order (so two changes never wait on each other in a
/// cycle); answers whether each exists, in the order given.
async fn lock_users(tx: &Tx<'_>, ids: &[UserId]) -> Result<Vec<bool>> {
    let mut sorted: Vec<i64> = ids.iter().map(|u| u.0).collect();
    sorted.sort_unstable();
    let rows = tx
        .query(
            "SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            &[&sorted],
        )
        .await
        .map_err(pg)?;
    let found: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
    Ok(ids.iter().map(|u| found.contains(&u.0)).collect())
}

async fn change_graph(tx: &Tx<'_>, change: GraphChange) -> Result<Relationship> {
    let exists = lock_users(tx, &[change.actor, change.other]).await?;
    if !exists[1] {
        return Err(Refusal::NotFound.into());
    }
    let protected: bool = tx
        .query_one(
            "SELECT protected FROM users WHERE id = $1",
            &[&change.other.0],
        )
        .await
        .map_err(pg)?
        .get(0);
    let before = relationship(tx, change.actor, change.other).await?;
    let effects = plan(change.actor, change.other, change.action, before, protected)?;
    for effect in &effects {
        apply(tx, *effect, change.now).await?;
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

async fn apply(tx: &Tx<'_>, effect: Effect, now: i64) -> Result<()> {
    let (add, edge, from, to) = match effect {
        Effect::Add(edge, from, to) => (true, edge, from, to),
        Effect::Remove(edge, from, to) => (false, edge, from, to),
    };
    let (name, from_col, to_col) = table(edge);
    let changed = if add {
        let stmt = tx
            .prepare_cached(&format!(
                "INSERT INTO {name} ({from_col}, {to_col}, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING"
            ))
            .await
            .map_err(pg)?;
        tx.execute(&stmt, &[&from.0, &to.0, &now])
            .await
            .map_err(pg)?
    } else {
        let stmt = tx
            .prepare_cached(&format!(
                "DELETE FROM {name} WHERE {from_col} = $1 AND {to_col} = $2"
            ))
            .await
            .map_err(pg)?;
        tx.execute(&stmt, &[&from.0, &to.0]).await.map_err(pg)?
    };
    if edge == Edge::Request && add && changed == 1 {
        let request = DeliveryKind::FollowRequest {
            requester: from,
            target: to,
        };
        crate::timelines::record(tx, request, now).await?;
    }
    if edge == Edge::Request && !add && changed == 1 {
        // Answered or withdrawn: the request is no longer something to act on.
        let stmt = tx
            .prepare_cached(
                "DELETE FROM notifications
                 WHERE recipient_id = $1 AND kind = $2 AND actor_id = $3 AND tweet_id IS NULL",
            )
            .await
            .map_err(pg)?;
        let kind = starling_store::NotificationKind::FollowRequest.code();
        tx.execute(&stmt, &[&to.0, &kind, &from.0])
            .await
            .map_err(pg)?;
    }
    if edge == Edge::Follow && changed == 1 {
        let delta: i64 = if add { 1 } else { -1 };
        tx.execute(
            "UPDATE users SET following = following + $2 WHERE id = $1",
            &[&from.0, &delta],
        )
        .await
        .map_err(pg)?;
        tx.execute(
            "UPDATE users SET followers = followers + $2 WHERE id = $1",
            &[&to.0, &delta],
        )
        .await
        .map_err(pg)?;
        if add {
            // The followee's recent tweets go into the follower's home timeline.
            let follow = DeliveryKind::Follow {
                follower: from,
                followee: to,
            };
            crate::timelines::record(tx, follow, now).await?;
        }
    }
    Ok(())
}

async fn update_profile(tx: &Tx<'_>, change: &ProfileChange) -> Result<Profile> {
    if !lock_users(tx, &[change.user]).await?[0] {
        return Err(Refusal::NotFound.into());
    }
    let was_protected: bool = tx
        .query_one(
            "SELECT protected FROM users WHERE id = $1",
            &[&change.user.0],
        )
        .await
        .map_err(pg)?
        .get(0);
    tx.execute(
        "UPDATE users SET display_name = COALESCE($2, display_name), bio = COALESCE($3, bio),
                protected = COALESCE($4, protected)
         WHERE id = $1",
        &[
            &change.user.0,
            &change.display_name,
            &change.bio,
            &change.protected,
        ],
    )
    .await
    .map_err(pg)?;
    if was_protected && change.protected == Some(false) {
        // Going public answers every waiting request with yes.
        let requesters: Vec<i64> = tx
            .query(
                "SELECT requester_id FROM follow_requests WHERE target_id = $1 ORDER BY requester_id",
                &[&change.user.0],
            )
            .await
            .map_err(pg)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for requester in requesters {
            let requester = UserId(requester);
            for effect in [
                Effect::Remove(Edge::Request, requester, change.user),
                Effect::Add(Edge::Follow, requester, change.user),
            ] {
                apply(tx, effect, change.now).await?;
            }
        }
    }
    Ok(profile(tx, change.user)
        .await?
        .expect("the user was locked above"))
}

// Reads.

async fn profile(c: &impl deadpool_postgres::GenericClient, id: UserId) -> Result<Option<Profile>> {
    let row = c
        .query_opt(
            "SELECT id, username, display_name, created_at, bio, protected, followers, following,
                    tweets
             FROM users WHERE id = $1",
            &[&id.0],
        )
        .await
        .map_err(pg)?;
    Ok(row.as_ref().map(profile_row))
}

/// A profile from `id, username, display_name, created_at, bio, protected, followers,
/// following, tweets`.
fn profile_row(r: &tokio_postgres::Row) -> Profile {
    Profile {
        user: user_row(r, 0),
        bio: r.get(4),
        protected: r.get(5),
        followers: r.get(6),
        following: r.get(7),
        tweets: r.get(8),
    }
}

async fn relationship(
    c: &impl deadpool_postgres::GenericClient,
    a: UserId,
    o: UserId,
) -> Result<Relationship> {
    Ok(relationships(c, a, &[o.0])
        .await?
        .pop()
        .expect("one asked, one answered"))
}

/// How `a` stands towards each of `others`, in their order, in one round trip.
async fn relationships(
    c: &impl deadpool_postgres::GenericClient,
    a: UserId,
    others: &[i64],
) -> Result<Vec<Relationship>> {
    let stmt = c
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = o),
                    EXISTS (SELECT 1 FROM follows WHERE follower_id = o AND followee_id = $1),
                    EXISTS (SELECT 1 FROM follow_requests WHERE requester_id = $1 AND target_id = o),
                    EXISTS (SELECT 1 FROM follow_requests WHERE requester_id = o AND target_id = $1),
                    EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = o),
                    EXISTS (SELECT 1 FROM blocks WHERE blocker_id = o AND blocked_id = $1),
                    EXISTS (SELECT 1 FROM mutes WHERE muter_id = $1 AND muted_id = o)
             FROM unnest($2::BIGINT[]) WITH ORDINALITY AS others(o, n) ORDER BY n",
        )
        .await
        .map_err(pg)?;
    let rows = c.query(&stmt, &[&a.0, &others]).await.map_err(pg)?;
    Ok(rows
        .iter()
        .map(|row| Relationship {
            following: row.get(0),
            followed_by: row.get(1),
            requested: row.get(2),
            requested_by: row.get(3),
            blocking: row.get(4),
            blocked_by: row.get(5),
            muting: row.get(6),
        })
        .collect())
}

async fn list_users(c: &Client, q: UserListQuery) -> Result<Vec<Listed>> {
    let (name, from, to) = match q.list {
        UserList::Followers | UserList::Following => table(Edge::Follow),
        UserList::FollowRequests => table(Edge::Request),
        UserList::Blocks => table(Edge::Block),
        UserList::Mutes => table(Edge::Mute),
    };
    // Lists of who points at the owner, or of whom the owner points at.
    let (owner, other) = match q.list {
        UserList::Followers | UserList::FollowRequests => (to, from),
        _ => (from, to),
    };
    let (since, last) = q.before.map_or((i64::MAX, i64::MAX), |(t, u)| (t, u.0));
    let stmt = c
        .prepare_cached(&format!(
            "SELECT u.id, u.username, u.display_name, u.created_at, e.created_at
             FROM {name} e JOIN users u ON u.id = e.{other}
             WHERE e.{owner} = $1 AND (e.created_at, e.{other}) < ($2, $3)
             ORDER BY e.created_at DESC, e.{other} DESC LIMIT $4"
        ))
        .await
        .map_err(pg)?;
    let rows = c
        .query(&stmt, &[&q.user.0, &since, &last, &(q.limit as i64)])
        .await
        .map_err(pg)?;
    Ok(rows
        .iter()
        .map(|r| Listed {
            user: user_row(r, 0),
            since: r.get(4),
        })
        .collect())
}
