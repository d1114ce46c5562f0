//! Home timelines: the outbox of deliveries, written with what causes them, claimed and
//! finished; and the reads that rebuild a timeline from the truth.

use super::*;
use starling_core::GraphAction;

async fn follow(store: &S, actor: &User, other: &User, now: i64) {
    store
        .change_graph(GraphChange {
            actor: actor.id,
            other: other.id,
            action: GraphAction::Follow,
            now,
        })
        .await
        .expect("follow");
}

fn post_of(t: &TweetRecord) -> DeliveryKind {
    DeliveryKind::Post(Entry {
        id: t.id,
        author: t.author.id,
    })
}

/// Every delivery waiting, claimed at `now` for a second.
async fn claim_all(store: &S, now: i64) -> Vec<Delivery> {
    store
        .claim_deliveries(now, now + 1_000, 1_000)
        .await
        .unwrap()
}

/// Posts, publications, retweet entries and follows record a delivery in their own
/// transaction; drafts, edits, likes and refused writes record none. A claim hides them
/// from other claimers until it runs out; finishing removes them.
pub async fn deliveries_are_recorded_with_their_writes(store: S) {
    let (ada, bob) = (user(&store, "ada").await, user(&store, "bob").await);
    let posted = post(&store, &ada, "hello").await;
    let draft = store
        .create_tweet(CreateTweet {
            tweet: NewTweet {
                draft: true,
                ..NewTweet::published(content("later"))
            },
            ..new_tweet(&ada, "later")
        })
        .await
        .unwrap()
        .tweet;
    edit(&store, &posted, &ada, "hello again").await.unwrap();
    follow(&store, &bob, &ada, 3_000).await;
    follow(&store, &bob, &ada, 3_001).await; // already following: nothing new
    let like = Engage {
        id: posted.id,
        user: bob.id,
        action: EngagementAction::Like,
        now: 3_500,
    };
    store.engage(like).await.unwrap();
    let backlog = store.delivery_backlog().await.unwrap();
    assert_eq!(backlog.waiting, 2);
    assert_eq!(backlog.oldest, Some(2_000));
    let claimed = claim_all(&store, 10_000).await;
    let kinds: Vec<DeliveryKind> = claimed.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        vec![
            post_of(&posted),
            DeliveryKind::Follow {
                follower: bob.id,
                followee: ada.id
            }
        ]
    );
    assert!(claimed.iter().all(|d| d.attempts == 0));
    assert_eq!(claimed[0].created_at, 2_000);
    assert!(
        claim_all(&store, 10_500).await.is_empty(),
        "claimed until 11,000"
    );
    // A claim that ran out (its worker died) is claimed again, counted.
    let again = claim_all(&store, 11_000).await;
    assert_eq!(again.len(), 2);
    assert!(again.iter().all(|d| d.attempts == 1));
    store.finish_deliveries(&[again[0].id]).await.unwrap();
    let left = claim_all(&store, 20_000).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].kind, kinds[1]);
    store.finish_deliveries(&[left[0].id]).await.unwrap();
    assert_eq!(store.delivery_backlog().await.unwrap(), Backlog::default());
    // Publishing the draft delivers it; a retweet delivers its entry.
    let published = store
        .transition(Transition {
            id: draft.id,
            actor: ada.id,
            action: Action::Publish,
            now: 21_000,
        })
        .await
        .unwrap()
        .tweet;
    let retweet = Engage {
        id: posted.id,
        user: bob.id,
        action: EngagementAction::Retweet,
        now: 22_000,
    };
    let entry = store.engage(retweet).await.unwrap().entry.expect("entry");
    let kinds: Vec<DeliveryKind> = claim_all(&store, 30_000)
        .await
        .iter()
        .map(|d| d.kind)
        .collect();
    assert_eq!(kinds, vec![post_of(&published), post_of(&entry)]);
}

/// Two claimers at once never get the same delivery.
pub async fn concurrent_claims_never_share(store: S) {
    let ada = user(&store, "ada").await;
    for i in 0..40 {
        post(&store, &ada, &format!("tweet {i}")).await;
    }
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store.claim_deliveries(5_000, 60_000, 3).await.unwrap();
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|d| d.id));
            }
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_unstable();
    let claimed = all.len();
    all.dedup();
    assert_eq!(all.len(), claimed, "a delivery was claimed twice");
    assert_eq!(claimed, 40);
}

/// Followers page in the order they followed; followees are everyone followed; an
/// author's recent entries are exact, newest first, in view only, retweets included;
/// merged authors are listed for their followers.
pub async fn timelines_read_from_the_truth(store: S) {
    let ada = user(&store, "ada").await;
    let mut fans = Vec::new();
    for i in 0..5 {
        let fan = user(&store, &format!("fan{i}")).await;
        follow(&store, &fan, &ada, 100 + i).await;
        fans.push(fan);
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.followers_page(ada.id, cursor, 2).await.unwrap();
        seen.extend(page.iter().map(|(u, _)| *u));
        match page.last() {
            Some((_, c)) if page.len() == 2 => cursor = Some(*c),
            _ => break,
        }
    }
    let in_order: Vec<UserId> = fans.iter().map(|f| f.id).collect();
    assert_eq!(seen, in_order);
    let bob = user(&store, "bob").await;
    follow(&store, &fans[0], &bob, 200).await;
    let mut followees = store.followees(fans[0].id).await.unwrap();
    followees.sort_unstable();
    let mut expected = vec![ada.id, bob.id];
    expected.sort_unstable();
    assert_eq!(followees, expected);
    // Entries: interleaved authors, one draft, one archived, one deleted, a retweet.
    let mut ada_posts = Vec::new();
    let mut bob_posts = Vec::new();
    for i in 0..6 {
        ada_posts.push(post(&store, &ada, &format!("ada {i}")).await);
        bob_posts.push(post(&store, &bob, &format!("bob {i}")).await);
    }
    for (t, action) in [
        (&ada_posts[5], Action::Archive),
        (&bob_posts[4], Action::Delete),
    ] {
        store
            .transition(Transition {
                id: t.id,
                actor: t.author.id,
                action,
                now: 3_000,
            })
            .await
            .unwrap();
    }
    let entry = store
        .engage(Engage {
            id: ada_posts[0].id,
            user: bob.id,
            action: EngagementAction::Retweet,
            now: 4_000,
        })
        .await
        .unwrap()
        .entry
        .expect("entry");
    let entry_of = |t: &TweetRecord| Entry {
        id: t.id,
        author: t.author.id,
    };
    let authors = [ada.id, bob.id];
    let newest = store.recent_entries(&authors, None, 4).await.unwrap();
    assert_eq!(
        newest,
        vec![
            entry_of(&entry),
            entry_of(&bob_posts[5]),
            entry_of(&ada_posts[4]),
            entry_of(&bob_posts[3]),
        ]
    );
    let below = store
        .recent_entries(&authors, Some(bob_posts[3].id), 3)
        .await
        .unwrap();
    assert_eq!(
        below,
        vec![
            entry_of(&ada_posts[3]),
            entry_of(&bob_posts[2]),
            entry_of(&ada_posts[2]),
        ]
    );
    assert!(store.recent_entries(&[], None, 5).await.unwrap().is_empty());
    // Merged authors, among those one follows.
    assert!(!store.is_merged(ada.id).await.unwrap());
    store.set_merged(ada.id, true, 5_000).await.unwrap();
    store.set_merged(ada.id, true, 5_001).await.unwrap();
    assert!(store.is_merged(ada.id).await.unwrap());
    assert_eq!(
        store.merged_followees(fans[1].id).await.unwrap(),
        vec![ada.id]
    );
    assert!(store.merged_followees(bob.id).await.unwrap().is_empty());
    store.set_merged(ada.id, false, 6_000).await.unwrap();
    assert!(store.merged_followees(fans[1].id).await.unwrap().is_empty());
}

/// Suggestions: the most followed first (then by id), never oneself nor anyone followed,
/// asked, blocked either way or muted.
pub async fn suggestions_leave_out_the_followed_and_hidden(store: S) {
    let mut users = Vec::new();
    for name in ["ada", "bob", "cy", "dee", "eve", "fay"] {
        users.push(user(&store, name).await);
    }
    let [ada, bob, cy, dee, eve, fay] = &users[..] else {
        unreachable!()
    };
    for (fan, star) in [
        (bob, ada),
        (cy, ada),
        (eve, ada),
        (cy, bob),
        (eve, bob),
        (fay, cy),
    ] {
        follow(&store, fan, star, 100).await;
    }
    let names = |profiles: Vec<Profile>| -> Vec<String> {
        profiles.into_iter().map(|p| p.user.username).collect()
    };
    let all = store.suggestions(dee.id, 10).await.unwrap();
    assert_eq!(all[0].followers, 3);
    assert_eq!(names(all), ["ada", "bob", "cy", "eve", "fay"]);
    follow(&store, dee, ada, 200).await;
    for (actor, other, action) in [
        (dee, cy, GraphAction::Mute),
        (eve, dee, GraphAction::Block),
        (dee, fay, GraphAction::Block),
    ] {
        store
            .change_graph(GraphChange {
                actor: actor.id,
                other: other.id,
                action,
                now: 300,
            })
            .await
            .unwrap();
    }
    assert_eq!(names(store.suggestions(dee.id, 10).await.unwrap()), ["bob"]);
    assert_eq!(
        names(store.suggestions(ada.id, 2).await.unwrap()),
        ["bob", "cy"]
    );
}
