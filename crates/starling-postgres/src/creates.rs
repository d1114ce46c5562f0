//! Plain creates (not a reply, no idempotency key) in batches: one runner writes every
//! create that arrived while the previous batch ran with one statement of multi-row
//! inserts, so the batch shares one commit and one WAL flush. Under load, WAL flushes
//! were what commits waited on (`LWLock:WALWrite` in `pg_stat_activity`); a batch makes
//! one flush serve many acknowledgements, as the SQLite writer's group commit does.

use crate::Postgres;
use crate::connection::{Client, Pool, next_batch, pg};
use crate::integrity::shard;
use crate::tweets::{create_plain_tweet, new_record};
use starling_core::{ContentHash, TweetId, TweetState, UserId};
use starling_store::*;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

pub(crate) struct Job {
    create: CreateTweet,
    answer: oneshot::Sender<Result<Created>>,
}

/// Creates in one statement at most.
const MAX_BATCH: usize = 512;

pub(crate) fn start(pool: Pool, ids: Arc<starling_core::Snowflake>) -> mpsc::Sender<Job> {
    let (queue, jobs) = mpsc::channel(16 * MAX_BATCH);
    tokio::spawn(run(pool, ids, jobs));
    queue
}

pub(crate) async fn submit(pg_store: &Postgres, create: CreateTweet) -> Result<Created> {
    let (answer, answered) = oneshot::channel();
    pg_store
        .creates
        .try_send(Job { create, answer })
        .map_err(|_| StoreError::Overloaded)?;
    answered
        .await
        .map_err(|_| StoreError::message("the create batch runner stopped"))?
}

async fn run(pool: Pool, ids: Arc<starling_core::Snowflake>, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::new();
    while next_batch(&mut jobs, &mut batch, MAX_BATCH).await.is_some() {
        let answers = match pool.client().await {
            Ok(client) => write(&client, &ids, &batch).await,
            Err(e) => batch.iter().map(|_| Err(e.clone())).collect(),
        };
        for (job, answer) in batch.drain(..).zip(answers) {
            let _ = job.answer.send(answer);
        }
    }
}

const CREATE_BATCH: &str = "WITH input AS (
        SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BYTEA[], $4::TEXT[], $5::TEXT[],
                             $6::TEXT[], $7::BIGINT[], $8::BIGINT[], $14::BIGINT[], $15::TEXT[],
                             $16::BIGINT[])
            AS i(id, author, hash, content, entities, tags, at, state, visibility, mentions,
                 visibility_if_protected)),
    -- The authors' `protected` flags, read once: they decide a default visibility and
    -- come back with the authors, so the answer says what was written.
    authors AS (SELECT id, protected FROM users WHERE id IN (SELECT author FROM input)),
    new_bodies AS (
        INSERT INTO bodies (hash, content, entities, tags, created_at)
        SELECT DISTINCT ON (hash) hash, content, entities, tags, at FROM input ORDER BY hash
        ON CONFLICT (hash) DO NOTHING RETURNING 1),
    new_tweets AS (
        INSERT INTO tweets (id, author_id, body_hash, version, state, created_at, updated_at,
                            reply_to_id, rev, last_seq, visibility, conversation_id, mentions,
                            position)
        SELECT i.id, i.author, i.hash, 1, i.state, i.at, i.at, NULL, 1, 1,
               CASE WHEN a.protected THEN i.visibility_if_protected ELSE i.visibility END,
               i.id, i.mentions, i.id
        FROM input i LEFT JOIN authors a ON a.id = i.author),
    new_events AS (
        INSERT INTO tweet_events (tweet_id, seq, kind, version, body_hash, actor_id, at)
        SELECT id, 1, $9, 1, hash, author, at FROM input),
    new_tags AS (
        INSERT INTO hashtags (tweet_id, tag, position)
        SELECT t, g, t FROM unnest($10::BIGINT[], $11::TEXT[]) AS x(t, g) ON CONFLICT DO NOTHING),
    -- Published tweets go to the authors' followers (the outbox, kind 0: a post).
    new_deliveries AS (
        INSERT INTO deliveries (kind, tweet_id, author_id, created_at)
        SELECT 0, id, author, at FROM input WHERE state IN (1, 2)),
    moved_totals AS (
        UPDATE totals SET bodies = bodies + (SELECT COUNT(*) FROM new_bodies),
            tweets = tweets + $12, versions = versions + $12
        WHERE shard = $13),
    counted AS (
        SELECT author, COUNT(*) FILTER (WHERE state IN (1, 2)) AS n FROM input GROUP BY author),
    -- The authors' rows, locked in id order before their counts move, so batches on
    -- other nodes take them in the same order.
    locked AS (
        SELECT u.id FROM users u JOIN counted c ON c.author = u.id ORDER BY u.id FOR UPDATE OF u)
    UPDATE users u SET tweets = u.tweets + c.n FROM counted c, locked l
    WHERE u.id = c.author AND l.id = u.id
    RETURNING u.id, u.username, u.display_name, u.created_at,
        (SELECT a.protected FROM authors a WHERE a.id = u.id)";

/// Write the batch with one statement; if it fails for a reason that is one create's
/// (an author that does not exist), write them one by one so only that one fails.
async fn write(
    client: &Client,
    ids: &starling_core::Snowflake,
    batch: &[Job],
) -> Vec<Result<Created>> {
    let planned: Vec<(TweetId, TweetState, ContentHash)> = batch
        .iter()
        .map(|j| {
            let c = &j.create;
            let state = if c.tweet.draft {
                TweetState::Draft
            } else {
                TweetState::Published
            };
            (TweetId(ids.next(c.now)), state, c.tweet.content.hash())
        })
        .collect();
    let column = |f: &dyn Fn(usize) -> i64| (0..batch.len()).map(f).collect::<Vec<i64>>();
    let tweet_ids = column(&|i| planned[i].0.0);
    let authors = column(&|i| batch[i].create.author.0);
    let times = column(&|i| batch[i].create.now);
    let states = column(&|i| planned[i].1.code());
    let visibilities = column(&|i| batch[i].create.placed.visibility_for(false).code());
    let if_protected = column(&|i| batch[i].create.placed.visibility_for(true).code());
    let mentions: Vec<String> = batch
        .iter()
        .map(|j| Mention::encode_all(&j.create.placed.mentions))
        .collect();
    let hashes: Vec<&[u8]> = planned.iter().map(|p| &p.2.0[..]).collect();
    let contents: Vec<&str> = batch
        .iter()
        .map(|j| j.create.tweet.content.text())
        .collect();
    let entities: Vec<&str> = batch
        .iter()
        .map(|j| j.create.tweet.content.entities_json())
        .collect();
    let tag_lines: Vec<String> = batch
        .iter()
        .map(|j| j.create.tweet.content.hashtags().join(" "))
        .collect();
    let (mut tag_tweets, mut tags) = (Vec::new(), Vec::new());
    for (i, job) in batch.iter().enumerate() {
        for tag in job.create.tweet.content.hashtags() {
            tag_tweets.push(tweet_ids[i]);
            tags.push(tag.as_str());
        }
    }
    let count = batch.len() as i64;
    let attempt = || async {
        let stmt = client.prepare_cached(CREATE_BATCH).await?;
        client
            .query(
                &stmt,
                &[
                    &tweet_ids,
                    &authors,
                    &hashes,
                    &contents,
                    &entities,
                    &tag_lines,
                    &times,
                    &states,
                    &EventKind::Created.code(),
                    &tag_tweets,
                    &tags,
                    &count,
                    &shard(),
                    &visibilities,
                    &mentions,
                    &if_protected,
                ],
            )
            .await
    };
    // One statement, so a deadlock (with another node's batch, on the authors' rows)
    // rolled all of it back: it is tried again, with the same ids.
    let mut outcome = attempt().await;
    for _ in 0..3 {
        match &outcome {
            Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::T_R_DEADLOCK_DETECTED) => {
                outcome = attempt().await;
            }
            _ => break,
        }
    }
    let rows = match outcome {
        Ok(rows) => rows,
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION) => {
            let mut answers = Vec::with_capacity(batch.len());
            for job in batch {
                answers.push(create_plain_tweet(client, ids, &job.create).await);
            }
            return answers;
        }
        Err(e) => {
            let e = pg(e);
            return batch.iter().map(|_| Err(e.clone())).collect();
        }
    };
    let authors_by_id: HashMap<i64, &tokio_postgres::Row> =
        rows.iter().map(|r| (r.get::<_, i64>(0), r)).collect();
    batch
        .iter()
        .zip(&planned)
        .map(|(job, &(id, state, _))| {
            let c = &job.create;
            let author = authors_by_id
                .get(&c.author.0)
                .ok_or(StoreError::Refused(starling_core::Refusal::NotFound))?;
            Ok(Created {
                tweet: new_record(
                    id,
                    UserId(c.author.0),
                    author,
                    1,
                    c,
                    Arc::from([]),
                    state,
                    author.get(4),
                ),
                fresh: true,
                parent: None,
                quoted: None,
            })
        })
        .collect()
}
