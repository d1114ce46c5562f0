//! Likes, retweets, views and the running totals.

use super::*;
use starling_core::EngagementAction::{Like, Retweet, Unlike, Unretweet};

pub async fn likes_are_per_user_and_idempotent(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let t = post(&store, &ada, "like me").await;
    let first = toggle(&store, t.id, &bob, Like).await.unwrap();
    assert!(first.changed && first.liked && !first.retweeted);
    assert_eq!(first.counters.likes, 1);
    let twice = toggle(&store, t.id, &bob, Like).await.unwrap();
    assert!(!twice.changed);
    assert_eq!(twice.counters.likes, 1);
    let rt = toggle(&store, t.id, &bob, Retweet).await.unwrap();
    assert!(rt.liked && rt.retweeted);
    assert_eq!(rt.counters.retweets, 1);
    toggle(&store, t.id, &ada, Like).await.unwrap();
    let flags = store
        .viewer_flags(bob.id, &[t.id, TweetId(1)])
        .await
        .unwrap();
    assert_eq!(flags, [(true, true), (false, false)]);
    let un = toggle(&store, t.id, &bob, Unlike).await.unwrap();
    assert!(un.changed && !un.liked);
    assert_eq!(un.counters.likes, 1);
    let un2 = toggle(&store, t.id, &bob, Unlike).await.unwrap();
    assert!(!un2.changed);
    assert_eq!(un2.counters.likes, 1);
    let un3 = toggle(&store, t.id, &bob, Unretweet).await.unwrap();
    assert_eq!(un3.counters.retweets, 0);
    assert_eq!(store.tweet(t.id).await.unwrap().unwrap().counters.likes, 1);
}

pub async fn concurrent_likes_are_exact(store: S) {
    let ada = user(&store, "ada").await;
    let t = post(&store, &ada, "hot tweet").await;
    let mut users = Vec::new();
    for i in 0..200 {
        users.push(user(&store, &format!("u{i}")).await);
    }
    let mut tasks = Vec::new();
    for u in users {
        let store = store.clone();
        // Everyone likes twice at once: the second must not count.
        tasks.push(tokio::spawn(async move {
            let (a, b) = tokio::join!(
                toggle(&store, t.id, &u, Like),
                toggle(&store, t.id, &u, Like)
            );
            a.unwrap();
            b.unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(
        store.tweet(t.id).await.unwrap().unwrap().counters.likes,
        200
    );
    assert_eq!(store.totals().await.unwrap().likes, 200);
}

/// Each user's actions on two tweets in a strict order (like, unlike, like, retweet),
/// all users at once: every user ends liking and retweeting both, each answer says what
/// that user's action did, and the counters equal their rows.
pub async fn concurrent_mixed_engagement_keeps_counters_exact(store: S) {
    let ada = user(&store, "ada").await;
    let (a, b) = (
        post(&store, &ada, "first").await,
        post(&store, &ada, "second").await,
    );
    let mut tasks = Vec::new();
    for i in 0..40 {
        let u = user(&store, &format!("m{i}")).await;
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for t in [a.id, b.id] {
                let liked = toggle(&store, t, &u, Like).await.unwrap();
                assert!(liked.changed && liked.liked);
                let unliked = toggle(&store, t, &u, Unlike).await.unwrap();
                assert!(unliked.changed && !unliked.liked);
                let again = toggle(&store, t, &u, Like).await.unwrap();
                assert!(again.changed && again.liked);
                let rt = toggle(&store, t, &u, Retweet).await.unwrap();
                assert!(rt.changed && rt.retweeted && rt.liked);
                assert!(rt.counters.likes >= 1 && rt.counters.retweets >= 1);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    for t in [a.id, b.id] {
        let c = store.tweet(t).await.unwrap().unwrap().counters;
        assert_eq!((c.likes, c.retweets), (40, 40));
    }
    let totals = store.totals().await.unwrap();
    assert_eq!((totals.likes, totals.retweets), (80, 80));
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());
}

pub async fn views_accumulate(store: S) {
    let ada = user(&store, "ada").await;
    let t = post(&store, &ada, "look").await;
    let updated = store
        .add_views(vec![(t.id, 5), (TweetId(424242), 3)])
        .await
        .unwrap();
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0].1.views, 5);
    store.add_views(vec![(t.id, 2)]).await.unwrap();
    assert_eq!(store.tweet(t.id).await.unwrap().unwrap().counters.views, 7);
    assert_eq!(store.totals().await.unwrap().views, 7);
}

pub async fn engagement_on_hidden_or_read_only_tweets(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let mut d = new_tweet(&ada, "draft");
    d.tweet.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    assert_eq!(
        toggle(&store, d.id, &bob, Like).await.unwrap_err(),
        Refusal::NotFound
    );
    assert_eq!(
        toggle(&store, d.id, &ada, Like).await.unwrap_err(),
        Refusal::ReadOnly(TweetState::Draft)
    );
    let t = post(&store, &ada, "archive me").await;
    transition(&store, t.id, &ada, Action::Archive)
        .await
        .unwrap();
    assert_eq!(
        toggle(&store, t.id, &ada, Like).await.unwrap_err(),
        Refusal::ReadOnly(TweetState::Archived)
    );
    assert_eq!(
        toggle(&store, t.id, &bob, Like).await.unwrap_err(),
        Refusal::NotFound
    );
    assert_eq!(
        toggle(&store, TweetId(5), &bob, Like).await.unwrap_err(),
        Refusal::NotFound
    );
}

pub async fn totals_match_rows(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let t = post(&store, &ada, "one").await;
    post(&store, &ada, "two").await;
    edit(&store, &t, &ada, "one, edited").await.unwrap();
    toggle(&store, t.id, &bob, Like).await.unwrap();
    toggle(&store, t.id, &bob, Retweet).await.unwrap();
    let mut r = new_tweet(&bob, "reply");
    r.tweet.reply_to = Some(t.id);
    store.create_tweet(r).await.unwrap();
    // Changes that cancel out, and a deleted tweet, leave the totals as the rows are.
    toggle(&store, t.id, &ada, Like).await.unwrap();
    toggle(&store, t.id, &ada, Unlike).await.unwrap();
    toggle(&store, t.id, &ada, Unlike).await.unwrap();
    let gone = post(&store, &bob, "one").await; // the first tweet's body: no new body
    transition(&store, gone.id, &bob, Action::Delete)
        .await
        .unwrap();
    store
        .add_views(vec![(t.id, 4), (gone.id, 1)])
        .await
        .unwrap();
    let totals = store.totals().await.unwrap();
    assert_eq!(
        totals,
        Totals {
            // Two tweets, a reply and bob's retweet entry (a version of its own).
            tweets: 4,
            versions: 6,
            bodies: 4,
            likes: 1,
            retweets: 1,
            replies: 1,
            views: 5
        }
    );
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());
}
