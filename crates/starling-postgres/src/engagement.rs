//! Likes, retweets and views, each counter moved in the same transaction as the rows it
//! counts: [`EngagementStore`] for PostgreSQL.

use crate::Postgres;
use crate::connection::{Pool, Tx, next_batch, pg, transaction};
use crate::integrity::add_totals;
use crate::tweets::{COUNTER_COLUMNS, counters_row};
use async_trait::async_trait;
use starling_core::Snowflake;
use starling_core::visibility::{Facts, Standing, Viewer, Visibility, access};
use starling_core::{EngagementAction, Refusal, TweetId, TweetState, UserId};
use starling_store::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

#[async_trait]
impl EngagementStore for Postgres {
    async fn engage(&self, engagement: Engage) -> Result<Engaged> {
        submit(&self.engagements, engagement).await
    }

    async fn add_views(&self, views: Vec<(TweetId, i64)>) -> Result<Vec<(TweetId, Counters)>> {
        // In id order, so two nodes flushing at once lock rows in the same order.
        let mut views = views;
        views.sort_unstable_by_key(|(id, _)| *id);
        transaction!(self.pool, |tx| add_views(&tx, &views))
    }

    async fn viewer_flags(&self, user: UserId, ids: &[TweetId]) -> Result<Vec<(bool, bool)>> {
        let client = self.pool.client().await?;
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let stmt = client
            .prepare_cached(
                "SELECT i.id,
                        EXISTS (SELECT 1 FROM likes l WHERE l.tweet_id = i.id AND l.user_id = $1),
                        EXISTS (SELECT 1 FROM retweets r WHERE r.tweet_id = i.id AND r.user_id = $1)
                 FROM unnest($2::BIGINT[]) WITH ORDINALITY AS i(id, n) ORDER BY i.n",
            )
            .await
            .map_err(pg)?;
        let rows = client.query(&stmt, &[&user.0, &ids]).await.map_err(pg)?;
        Ok(rows.iter().map(|r| (r.get(1), r.get(2))).collect())
    }

    async fn engagement_since(&self, since: i64) -> Result<Vec<(TweetId, i64)>> {
        let client = self.pool.client().await?;
        // Tweet ids start with their creation time, so the primary key bounds the scan.
        let first_id = (since - starling_core::id::EPOCH_MILLIS).max(0) << 22;
        let public = [TweetState::Published.code(), TweetState::Edited.code()];
        let rows = client
            .query(
                "SELECT tweet_id, created_at FROM likes WHERE created_at >= $1
                 UNION ALL SELECT tweet_id, created_at FROM retweets WHERE created_at >= $1
                 UNION ALL SELECT reply_to_id, created_at FROM tweets
                     WHERE id >= $2 AND reply_to_id IS NOT NULL AND state = ANY($3)",
                &[&since, &first_id, &&public[..]],
            )
            .await
            .map_err(pg)?;
        Ok(rows.iter().map(|r| (TweetId(r.get(0)), r.get(1))).collect())
    }
}

// Writes.

/// Engagements run in batches: one transaction applies every like, unlike, retweet and
/// unretweet that arrived while the previous batch ran. A hot tweet's row is locked from
/// the first statement to the commit, so one transaction per like would serialize every
/// like of that tweet on a commit each; a batch pays one lock and one commit for all of
/// them (the group commit the SQLite writer does for every write).
pub(crate) struct Job {
    engage: Engage,
    answer: oneshot::Sender<Result<Engaged>>,
}

/// Engagements in one batch at most.
const MAX_BATCH: usize = 1024;

/// Start the batch runner; engagements are sent to the returned queue.
pub(crate) fn start_batches(pool: Pool, ids: Arc<Snowflake>) -> mpsc::Sender<Job> {
    let (queue, jobs) = mpsc::channel(16 * MAX_BATCH);
    tokio::spawn(run_batches(pool, ids, jobs));
    queue
}

pub(crate) async fn submit(queue: &mpsc::Sender<Job>, engage: Engage) -> Result<Engaged> {
    let (answer, answered) = oneshot::channel();
    queue
        .try_send(Job { engage, answer })
        .map_err(|_| StoreError::Overloaded)?;
    answered
        .await
        .map_err(|_| StoreError::message("the engagement batch runner stopped"))?
}

async fn run_batches(pool: Pool, ids: Arc<Snowflake>, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::new();
    while next_batch(&mut jobs, &mut batch, MAX_BATCH).await.is_some() {
        let engages: Vec<Engage> = batch.iter().map(|j| j.engage.clone()).collect();
        let outcome: Result<Vec<Result<Engaged>>> =
            async { transaction!(pool, |tx| apply_batch(&tx, &ids, &engages)) }.await;
        match outcome {
            Ok(answers) => {
                for (job, answer) in batch.drain(..).zip(answers) {
                    let _ = job.answer.send(answer);
                }
            }
            Err(e) => {
                for job in batch.drain(..) {
                    let _ = job.answer.send(Err(e.clone()));
                }
            }
        }
    }
}

/// Which rows an action writes.
fn table_of(action: EngagementAction) -> Option<(&'static str, bool)> {
    match action {
        EngagementAction::Like => Some(("likes", true)),
        EngagementAction::Unlike => Some(("likes", false)),
        EngagementAction::Retweet => Some(("retweets", true)),
        EngagementAction::Unretweet => Some(("retweets", false)),
        EngagementAction::View => None,
    }
}

/// Apply a batch in one transaction. Each engagement is decided as if alone (its tweet's
/// state and the one visibility policy); a refusal answers that engagement only. A
/// user's repeated engagements with one tweet are applied in order, in later rounds.
/// Every answer carries the tweet's counters and the user's flags as the batch left them.
async fn apply_batch(
    tx: &Tx<'_>,
    ids: &Snowflake,
    engages: &[Engage],
) -> Result<Vec<Result<Engaged>>> {
    let mut tweet_ids: Vec<i64> = engages.iter().map(|e| e.id.0).collect();
    tweet_ids.sort_unstable();
    tweet_ids.dedup();
    // Every tweet of the batch locked at once, in id order, so batches on other nodes
    // cannot deadlock with this one.
    let rows = tx
        .query(
            "SELECT id, author_id, state, visibility, body_hash, retweet_of_id, mentions FROM tweets
             WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            &[&tweet_ids],
        )
        .await
        .map_err(pg)?;
    let mut tweets = HashMap::new();
    // What a retweet's entry copies from its original: visibility and body.
    let mut originals: HashMap<i64, (i64, Vec<u8>)> = HashMap::new();
    for row in &rows {
        if row.get::<_, Option<i64>>(5).is_some() {
            // The engine engages with the original: an entry here is a caller's bug.
            return Err(StoreError::message(
                "engagement with a retweet entry, not its original",
            ));
        }
        let state = TweetState::from_code(row.get(2))
            .ok_or_else(|| StoreError::message("unknown state code"))?;
        let visibility = Visibility::from_code(row.get(3))
            .ok_or_else(|| StoreError::message("unknown visibility code"))?;
        let mentions = Mention::decode_all(row.get(6));
        tweets.insert(
            row.get::<_, i64>(0),
            (UserId(row.get(1)), state, visibility, mentions),
        );
        originals.insert(row.get(0), (row.get(3), row.get(4)));
    }
    // How each engaging user stands with each author, read in this transaction (one
    // statement for the batch), so the whole policy is decided here.
    let (pair_users, pair_authors): (Vec<i64>, Vec<i64>) = engages
        .iter()
        .filter_map(|e| {
            let (author, ..) = tweets.get(&e.id.0)?;
            (author.0 != e.user.0).then_some((e.user.0, author.0))
        })
        .unzip();
    let standings: HashMap<(i64, i64), Standing> = tx
        .query(
            "SELECT x.u, x.a,
                    EXISTS (SELECT 1 FROM follows WHERE follower_id = x.u AND followee_id = x.a),
                    EXISTS (SELECT 1 FROM blocks WHERE (blocker_id = x.u AND blocked_id = x.a)
                                                    OR (blocker_id = x.a AND blocked_id = x.u))
             FROM unnest($1::BIGINT[], $2::BIGINT[]) AS x(u, a)",
            &[&pair_users, &pair_authors],
        )
        .await
        .map_err(pg)?
        .iter()
        .map(|r| {
            let standing = Standing {
                follows: r.get(2),
                blocked: r.get(3),
                muting: false,
            };
            ((r.get(0), r.get(1)), standing)
        })
        .collect();
    let mut entry_totals = Totals::default();
    // Entries deleted by unretweets, by (tweet, user), for their answers.
    let mut removed_entries: HashMap<(i64, i64), i64> = HashMap::new();
    let mut answers: Vec<Option<Result<Engaged>>> = vec![None; engages.len()];
    let mut accepted = Vec::new();
    for (i, e) in engages.iter().enumerate() {
        let Some((author, state, visibility, mentions)) = tweets.get(&e.id.0) else {
            answers[i] = Some(Err(Refusal::NotFound.into()));
            continue;
        };
        let (author, state, visibility) = (*author, *state, *visibility);
        let facts = Facts {
            state,
            author,
            visibility,
            mentions,
        };
        let standing = standings
            .get(&(e.user.0, author.0))
            .copied()
            .unwrap_or_default();
        let decided = access(facts, &Viewer::user(e.user), standing);
        if decided.can_engage() && e.action == EngagementAction::Retweet && !visibility.is_open() {
            answers[i] = Some(Err(Refusal::Invalid(starling_core::ValidationError::new(
                "visibility",
                "only public and unlisted tweets can be retweeted",
            ))
            .into()));
            continue;
        }
        answers[i] = match (table_of(e.action), decided) {
            (None, _) => Some(Err(StoreError::message(
                "views are counted through add_views",
            ))),
            (_, starling_core::Access::Hidden) => Some(Err(Refusal::NotFound.into())),
            (_, starling_core::Access::Readable) => Some(Err(Refusal::ReadOnly(state).into())),
            (Some(_), starling_core::Access::Engageable) => {
                accepted.push(i);
                None
            }
        };
    }
    // Rounds in which each (tweet, user) appears once; within a round, one statement per
    // tweet and action.
    let mut changed = vec![false; engages.len()];
    let mut deltas: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut rest = accepted.clone();
    while !rest.is_empty() {
        let mut seen = HashSet::new();
        let (round, later): (Vec<usize>, Vec<usize>) = rest
            .into_iter()
            .partition(|&i| seen.insert((engages[i].id, engages[i].user)));
        rest = later;
        let mut groups: HashMap<(i64, EngagementAction), Vec<usize>> = HashMap::new();
        for i in round {
            groups
                .entry((engages[i].id.0, engages[i].action))
                .or_default()
                .push(i);
        }
        for ((tweet, action), members) in groups {
            let (table, add) = table_of(action).expect("accepted actions write rows");
            let users: Vec<i64> = members.iter().map(|&i| engages[i].user.0).collect();
            let times: Vec<i64> = members.iter().map(|&i| engages[i].now).collect();
            let rows = if add {
                tx.query(
                    &format!(
                        "INSERT INTO {table} (tweet_id, user_id, created_at)
                         SELECT $1, u, t FROM unnest($2::BIGINT[], $3::BIGINT[]) AS x(u, t)
                         ON CONFLICT DO NOTHING RETURNING user_id, created_at"
                    ),
                    &[&tweet, &users, &times],
                )
                .await
            } else {
                tx.query(
                    &format!(
                        "DELETE FROM {table} WHERE tweet_id = $1 AND user_id = ANY($2)
                         RETURNING user_id, {}",
                        if table == "retweets" {
                            "entry_id"
                        } else {
                            "NULL::BIGINT"
                        }
                    ),
                    &[&tweet, &users],
                )
                .await
            }
            .map_err(pg)?;
            let moved: HashSet<i64> = rows.iter().map(|r| r.get(0)).collect();
            let author = tweets[&tweet].0;
            if !rows.is_empty() {
                let actors: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
                match (table, add) {
                    // A like notifies its tweet's author (the outbox, kind 2).
                    ("likes", true) => {
                        let at: Vec<i64> = rows.iter().map(|r| r.get(1)).collect();
                        tx.execute(
                            "INSERT INTO deliveries (kind, tweet_id, author_id, user_id, created_at)
                             SELECT 2, $1, $2, u, t FROM unnest($3::BIGINT[], $4::BIGINT[]) AS x(u, t)",
                            &[&tweet, &author.0, &actors, &at],
                        )
                        .await
                        .map_err(pg)?;
                    }
                    // Undone: so are their notifications.
                    (_, false) => {
                        let kind = match table {
                            "likes" => NotificationKind::Like,
                            _ => NotificationKind::Retweet,
                        };
                        tx.execute(
                            "DELETE FROM notifications WHERE recipient_id = $1 AND kind = $2
                               AND tweet_id = $3 AND actor_id = ANY($4)",
                            &[&author.0, &kind.code(), &tweet, &actors],
                        )
                        .await
                        .map_err(pg)?;
                    }
                    _ => {}
                }
            }
            if table == "retweets" && add && !rows.is_empty() {
                let (visibility, body) = &originals[&tweet];
                let added: Vec<(i64, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
                add_entries(tx, ids, tweet, *visibility, body, &added).await?;
                entry_totals.tweets += added.len() as i64;
                entry_totals.versions += added.len() as i64;
            }
            if table == "retweets" && !add {
                let removed: Vec<(i64, i64)> = rows
                    .iter()
                    .filter_map(|r| Some((r.get::<_, Option<i64>>(1)?, r.get(0))))
                    .collect();
                let when = times.first().copied().unwrap_or_default();
                remove_entries(tx, &removed, when).await?;
                for &(entry, user) in &removed {
                    removed_entries.insert((tweet, user), entry);
                }
                entry_totals.tweets -= removed.len() as i64;
            }
            let step = if add { 1 } else { -1 } * moved.len() as i64;
            let delta = deltas.entry(tweet).or_default();
            if table == "likes" {
                delta.0 += step;
            } else {
                delta.1 += step;
            }
            for &i in &members {
                changed[i] = moved.contains(&engages[i].user.0);
            }
        }
    }
    // The counters move in the same transaction as the rows they count.
    let touched: Vec<i64> = {
        let mut t: Vec<i64> = accepted.iter().map(|&i| engages[i].id.0).collect();
        t.sort_unstable();
        t.dedup();
        t
    };
    let likes: Vec<i64> = touched
        .iter()
        .map(|t| deltas.get(t).map_or(0, |d| d.0))
        .collect();
    let retweets: Vec<i64> = touched
        .iter()
        .map(|t| deltas.get(t).map_or(0, |d| d.1))
        .collect();
    let rows = tx
        .query(
            &format!(
                "UPDATE tweets t SET likes = t.likes + d.l, retweets = t.retweets + d.r,
                    rev = t.rev + CASE WHEN d.l <> 0 OR d.r <> 0 THEN 1 ELSE 0 END
                 FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[]) AS d(id, l, r)
                 WHERE t.id = d.id
                 RETURNING t.id, {}",
                COUNTER_COLUMNS
                    .split(", ")
                    .map(|c| format!("t.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            &[&touched, &likes, &retweets],
        )
        .await
        .map_err(pg)?;
    let counters: HashMap<i64, Counters> = rows
        .iter()
        .map(|r| (r.get::<_, i64>(0), counters_row(r, 1)))
        .collect();
    add_totals(
        tx,
        &Totals {
            likes: likes.iter().sum(),
            retweets: retweets.iter().sum(),
            ..entry_totals
        },
    )
    .await?;
    let (pair_tweets, pair_users): (Vec<i64>, Vec<i64>) = accepted
        .iter()
        .map(|&i| (engages[i].id.0, engages[i].user.0))
        .unzip();
    let flags = tx
        .query(
            "SELECT x.t, x.u,
                    EXISTS (SELECT 1 FROM likes l WHERE l.tweet_id = x.t AND l.user_id = x.u),
                    EXISTS (SELECT 1 FROM retweets r WHERE r.tweet_id = x.t AND r.user_id = x.u),
                    (SELECT entry_id FROM retweets r WHERE r.tweet_id = x.t AND r.user_id = x.u)
             FROM unnest($1::BIGINT[], $2::BIGINT[]) AS x(t, u)",
            &[&pair_tweets, &pair_users],
        )
        .await
        .map_err(pg)?;
    let flags: HashMap<(i64, i64), (bool, bool, Option<i64>)> = flags
        .iter()
        .map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3), r.get(4))))
        .collect();
    // The retweeters' entries, read back for their answers.
    let mut wanted: Vec<i64> = accepted
        .iter()
        .filter(|&&i| engages[i].action == EngagementAction::Retweet)
        .filter_map(|&i| flags.get(&(engages[i].id.0, engages[i].user.0))?.2)
        .collect();
    wanted.extend(removed_entries.values());
    let entries: HashMap<i64, TweetRecord> = crate::tweets::tweets_by_ids(tx, &wanted)
        .await?
        .into_iter()
        .map(|t| (t.id.0, t))
        .collect();
    for &i in &accepted {
        let e = &engages[i];
        let (liked, retweeted, entry) = flags.get(&(e.id.0, e.user.0)).copied().unwrap_or_default();
        answers[i] = Some(Ok(Engaged {
            counters: counters.get(&e.id.0).copied().unwrap_or_default(),
            changed: changed[i],
            liked,
            retweeted,
            entry: match e.action {
                EngagementAction::Retweet => entry.and_then(|id| entries.get(&id).cloned()),
                EngagementAction::Unretweet => removed_entries
                    .get(&(e.id.0, e.user.0))
                    .filter(|_| changed[i])
                    .and_then(|id| entries.get(id).cloned()),
                _ => None,
            },
        }));
    }
    Ok(answers
        .into_iter()
        .map(|a| a.expect("every engagement answered"))
        .collect())
}
/// Retweets' own entries: tweet rows by the retweeters pointing at the original, with its
/// visibility and its body as it is now, each with its creation event. `added` holds
/// each retweeter and the time of the retweet.
async fn add_entries(
    tx: &Tx<'_>,
    ids: &Snowflake,
    original: i64,
    visibility: i64,
    body: &[u8],
    added: &[(i64, i64)],
) -> Result<()> {
    let entries: Vec<i64> = added.iter().map(|&(_, at)| ids.next(at)).collect();
    let users: Vec<i64> = added.iter().map(|&(u, _)| u).collect();
    let times: Vec<i64> = added.iter().map(|&(_, at)| at).collect();
    tx.execute(
        "WITH x AS (SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[]) AS x(e, u, at)),
         new_tweets AS (
            INSERT INTO tweets (id, author_id, body_hash, version, state, created_at, updated_at,
                                rev, last_seq, visibility, conversation_id, retweet_of_id, position)
            SELECT e, u, $4, 1, $5, at, at, 1, 1, $6, e, $7, e FROM x),
         new_events AS (
            INSERT INTO tweet_events (tweet_id, seq, kind, version, body_hash, actor_id, at)
            SELECT e, 1, $8, 1, $4, u, at FROM x),
         new_deliveries AS (
            INSERT INTO deliveries (kind, tweet_id, author_id, created_at)
            SELECT 0, e, u, at FROM x),
         counted AS (
            UPDATE users SET tweets = tweets + 1 WHERE id IN (SELECT u FROM x))
         UPDATE retweets r SET entry_id = x.e FROM x WHERE r.tweet_id = $7 AND r.user_id = x.u",
        &[
            &entries,
            &users,
            &times,
            &body,
            &TweetState::Published.code(),
            &visibility,
            &original,
            &EventKind::Created.code(),
        ],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

/// Unretweets delete their entries, each with its deletion event. `removed` holds each
/// entry and its author.
async fn remove_entries(tx: &Tx<'_>, removed: &[(i64, i64)], now: i64) -> Result<()> {
    if removed.is_empty() {
        return Ok(());
    }
    let entries: Vec<i64> = removed.iter().map(|&(e, _)| e).collect();
    let authors: Vec<i64> = removed.iter().map(|&(_, u)| u).collect();
    tx.execute(
        "WITH gone AS (
            UPDATE tweets SET state = $2, updated_at = $3, rev = rev + 1, last_seq = last_seq + 1
            WHERE id = ANY($1) RETURNING id, author_id, last_seq, version, body_hash),
         counted AS (
            UPDATE users SET tweets = tweets - 1 WHERE id = ANY($5))
         INSERT INTO tweet_events (tweet_id, seq, kind, version, body_hash, actor_id, at)
         SELECT id, last_seq, $4, version, body_hash, author_id, $3 FROM gone",
        &[
            &entries,
            &TweetState::Deleted.code(),
            &now,
            &EventKind::Deleted.code(),
            &authors,
        ],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

async fn add_views(tx: &Tx<'_>, views: &[(TweetId, i64)]) -> Result<Vec<(TweetId, Counters)>> {
    let stmt = tx
        .prepare_cached(&format!(
            "UPDATE tweets SET views = views + $2, rev = rev + 1 WHERE id = $1
             RETURNING {COUNTER_COLUMNS}"
        ))
        .await
        .map_err(pg)?;
    let mut updated = Vec::with_capacity(views.len());
    let mut deltas = Totals::default();
    for &(id, n) in views {
        if let Some(row) = tx.query_opt(&stmt, &[&id.0, &n]).await.map_err(pg)? {
            deltas.views += n;
            updated.push((id, counters_row(&row, 0)));
        }
    }
    add_totals(tx, &deltas).await?;
    Ok(updated)
}
