//! Exactness under concurrency, over real HTTP against the server in-process: many
//! distinct users liking one tweet at once count exactly once each, and concurrent
//! edits produce a contiguous version history with none lost.

use crate::support::{Account, Client, eventually, spawn};
use futures::StreamExt;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

const FANS: usize = 1_000;
/// Registrations in flight at once: argon2 is bounded server-side anyway, and more
/// would only queue there.
const REGISTRATION_CONCURRENCY: usize = 8;

/// Every fan likes `tweet` at once; returns each answer's like count.
async fn like_all(api: &Client, fans: &[Account], tweet: &str) -> Vec<i64> {
    let mut likes = JoinSet::new();
    for fan in fans {
        let (api, token, tweet) = (api.clone(), fan.token.clone(), tweet.to_string());
        likes.spawn(async move { api.like(&token, &tweet).await });
    }
    let mut counts = Vec::with_capacity(fans.len());
    while let Some(reply) = likes.join_next().await {
        let reply = reply.expect("like task");
        assert_eq!(reply.status, 200, "like: {:?}", reply.body);
        assert_eq!(reply.body["likedByCurrentUser"], true, "{:?}", reply.body);
        counts.push(reply.body["likes"].as_i64().expect("likes is a number"));
    }
    counts
}

async fn stats_likes_settle_at(api: &Client, expected: i64) {
    // The stats totals are recomputed at most every few seconds: poll, but never
    // accept more than `expected` on the way.
    eventually(
        Duration::from_secs(15),
        "stats to count every like",
        || async {
            let likes = api.stats().await["engagement"]["likes"]
                .as_i64()
                .expect("stats.engagement.likes");
            assert!(
                likes <= expected,
                "stats count {likes} likes, more than {expected}"
            );
            (likes == expected).then_some(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_distinct_users_liking_one_tweet_at_once_count_exactly_a_thousand() {
    let server = spawn(|_| {}).await;
    let api = server.client();
    let author = api.account("author").await;
    let tweet = api.post_tweet(&author.token, "Like me, all of you").await;
    let id = tweet["id"].as_str().unwrap().to_string();

    let started = Instant::now();
    let fans: Vec<Account> = futures::stream::iter(0..FANS)
        .map(|i| {
            let api = api.clone();
            async move { api.account(&format!("fan{i:04}")).await }
        })
        .buffer_unordered(REGISTRATION_CONCURRENCY)
        .collect()
        .await;
    eprintln!("registered {FANS} users in {:?}", started.elapsed());

    // Round one: everyone at once.
    let started = Instant::now();
    let counts = like_all(&api, &fans, &id).await;
    eprintln!("{FANS} concurrent likes in {:?}", started.elapsed());
    assert!(
        counts.iter().all(|&c| (1..=FANS as i64).contains(&c)),
        "every answer counts between 1 and {FANS} likes"
    );
    let fresh = api.tweet(&id, None).await;
    assert_eq!(fresh["engagement"]["likes"], FANS as i64, "{fresh:?}");
    let seen_by_fan = api.tweet(&id, Some(&fans[FANS / 2].token)).await;
    assert_eq!(seen_by_fan["engagement"]["likes"], FANS as i64);
    assert_eq!(seen_by_fan["engagement"]["likedByCurrentUser"], true);
    let seen_by_author = api.tweet(&id, Some(&author.token)).await;
    assert_eq!(seen_by_author["engagement"]["likedByCurrentUser"], false);
    stats_likes_settle_at(&api, FANS as i64).await;

    // Round two: everyone likes again, at once. Liking twice counts once.
    let counts = like_all(&api, &fans, &id).await;
    assert!(
        counts.iter().all(|&c| c == FANS as i64),
        "a repeated like changes nothing: {:?}",
        counts
            .iter()
            .filter(|&&c| c != FANS as i64)
            .collect::<Vec<_>>()
    );
    let again = api.tweet(&id, None).await;
    assert_eq!(again["engagement"]["likes"], FANS as i64, "{again:?}");
    stats_likes_settle_at(&api, FANS as i64).await;

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_edits_give_fifty_contiguous_versions() {
    const EDITS: i64 = 50;
    let server = spawn(|_| {}).await;
    let api = server.client();
    let author = api.account("editor").await;
    let tweet = api
        .post_tweet(&author.token, "first draft of history")
        .await;
    let id = tweet["id"].as_str().unwrap().to_string();

    let mut edits = JoinSet::new();
    for i in 0..EDITS {
        let (api, token, id) = (api.clone(), author.token.clone(), id.clone());
        edits.spawn(async move {
            let content = format!("concurrent edit number {i}");
            let reply = api
                .try_edit(&token, &id, &content, None)
                .await
                .expect("PUT tweet");
            (content, reply)
        });
    }
    // version → the content acknowledged for it
    let mut acknowledged = BTreeMap::new();
    while let Some(done) = edits.join_next().await {
        let (content, reply) = done.expect("edit task");
        assert_eq!(reply.status, 200, "edit: {:?}", reply.body);
        assert_eq!(reply.body["content"], content.as_str());
        assert_eq!(reply.body["state"], "edited");
        let version = reply.body["version"].as_i64().expect("version");
        let earlier = acknowledged.insert(version, content);
        assert!(earlier.is_none(), "version {version} acknowledged twice");
    }
    let versions: Vec<i64> = acknowledged.keys().copied().collect();
    assert_eq!(versions, (2..=EDITS + 1).collect::<Vec<_>>());
    acknowledged.insert(1, "first draft of history".to_string());

    let history = api.versions(&id).await;
    let listed: Vec<i64> = history
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(
        listed,
        (1..=EDITS + 1).collect::<Vec<_>>(),
        "versions are contiguous, oldest first, none lost"
    );
    for item in &history {
        let version = item["version"].as_i64().unwrap();
        assert_eq!(
            item["content"], acknowledged[&version],
            "version {version} holds what was acknowledged for it"
        );
    }

    let now = api.tweet(&id, None).await;
    assert_eq!(now["version"], EDITS + 1);
    assert_eq!(now["content"], acknowledged[&(EDITS + 1)]);
    let hashes: BTreeSet<&str> = history
        .iter()
        .map(|v| v["contentHash"].as_str().unwrap())
        .collect();
    assert_eq!(
        hashes.len(),
        history.len(),
        "each distinct content, its own hash"
    );

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_edits_expecting_the_same_version_let_exactly_one_win() {
    const EDITS: usize = 20;
    let server = spawn(|_| {}).await;
    let api = server.client();
    let author = api.account("racer").await;
    let tweet = api.post_tweet(&author.token, "the starting line").await;
    let id = tweet["id"].as_str().unwrap().to_string();

    let mut edits = JoinSet::new();
    for i in 0..EDITS {
        let (api, token, id) = (api.clone(), author.token.clone(), id.clone());
        edits.spawn(async move {
            let content = format!("racer {i} got there first");
            let reply = api
                .try_edit(&token, &id, &content, Some(1))
                .await
                .expect("PUT tweet");
            (content, reply)
        });
    }
    let mut winners = Vec::new();
    let mut conflicts = 0;
    while let Some(done) = edits.join_next().await {
        let (content, reply) = done.expect("edit task");
        match reply.status {
            200 => {
                assert_eq!(reply.body["version"], 2);
                winners.push(content);
            }
            409 => {
                assert_eq!(
                    reply.error_code(),
                    Some("version_conflict"),
                    "{:?}",
                    reply.body
                );
                let message = reply.body["error"]["message"].as_str().unwrap_or_default();
                assert!(
                    message.contains('2'),
                    "the conflict names the current version: {message}"
                );
                conflicts += 1;
            }
            other => panic!("unexpected status {other}: {:?}", reply.body),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one edit wins: {winners:?}");
    assert_eq!(conflicts, EDITS - 1);

    let history = api.versions(&id).await;
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1]["version"], 2);
    assert_eq!(history[1]["content"], winners[0].as_str());
    let now = api.tweet(&id, None).await;
    assert_eq!(now["version"], 2);
    assert_eq!(now["content"], winners[0].as_str());

    // The loser can retry against the version it was told about.
    let retry = api
        .try_edit(&author.token, &id, "a considered retry", Some(2))
        .await
        .unwrap();
    assert_eq!(retry.status, 200, "{:?}", retry.body);
    assert_eq!(retry.body["version"], 3);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_after_an_acknowledged_edit_sees_it_while_engagement_churns() {
    const EDITS: i64 = 60;
    const TOGGLERS: usize = 8;
    let server = spawn(|_| {}).await;
    let api = server.client();
    let author = api.account("churned").await;
    let tweet = api
        .post_tweet(&author.token, "version 1 of a busy tweet")
        .await;
    let id = tweet["id"].as_str().unwrap().to_string();
    let fans: Vec<Account> = futures::stream::iter(0..TOGGLERS)
        .map(|i| {
            let api = api.clone();
            async move { api.account(&format!("toggler{i}")).await }
        })
        .buffered(TOGGLERS)
        .collect()
        .await;

    // Every like, unlike, retweet and unretweet changes the tweet's counters, so the
    // cache sees a steady stream of counter updates racing the edits below; readers keep
    // the tweet in the cache.
    let stop = Arc::new(AtomicBool::new(false));
    let mut churn = JoinSet::new();
    for fan in fans {
        let (api, id, stop) = (api.clone(), id.clone(), stop.clone());
        churn.spawn(async move {
            let actions = ["like", "retweet", "unlike", "unretweet"];
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let reply = api
                    .try_engage(&fan.token, &id, actions[n % actions.len()])
                    .await
                    .expect("engage");
                assert_eq!(reply.status, 200, "{:?}", reply.body);
                n += 1;
            }
        });
    }
    for _ in 0..2 {
        let (api, id, stop) = (api.clone(), id.clone(), stop.clone());
        churn.spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                api.tweet(&id, None).await;
            }
        });
    }

    let mut stale = Vec::new();
    for version in 2..=EDITS {
        let content = format!("version {version} of a busy tweet");
        let reply = api
            .try_edit(&author.token, &id, &content, None)
            .await
            .expect("PUT tweet");
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        assert_eq!(reply.body["version"], version);
        let seen = api.tweet(&id, None).await;
        if seen["version"] != version || seen["content"] != content.as_str() {
            stale.push((version, seen["version"].clone(), seen["content"].clone()));
        }
    }
    stop.store(true, Ordering::Relaxed);
    while let Some(done) = churn.join_next().await {
        done.expect("churn task");
    }
    assert!(
        stale.is_empty(),
        "reads after an acknowledged edit served an older version \
         (acknowledged, served version, served content): {stale:?}"
    );

    server.stop().await;
}
