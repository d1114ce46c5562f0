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
        position: t.position,
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

/// Posts, publications, retweet entries, follows and likes record a delivery in their
/// own transaction; drafts, edits, repeated follows and refused writes record none. A claim hides them
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
    assert_eq!(backlog.waiting, 3);
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
            },
            DeliveryKind::Like {
                liker: bob.id,
                tweet: posted.id,
                author: ada.id
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
    assert_eq!(again.len(), 3);
    assert!(again.iter().all(|d| d.attempts == 1));
    store.finish_deliveries(&[again[0].id]).await.unwrap();
    let left = claim_all(&store, 20_000).await;
    assert_eq!(left.len(), 2);
    assert_eq!(left[0].kind, kinds[1]);
    let ids: Vec<i64> = left.iter().map(|d| d.id).collect();
    store.finish_deliveries(&ids).await.unwrap();
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
        position: t.position,
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
    // The same in one read with the hidden authors.
    for (actor, other, action) in [
        (&fans[1], &bob, GraphAction::Mute),
        (&fans[2], &fans[1], GraphAction::Block),
    ] {
        store
            .change_graph(GraphChange {
                actor: actor.id,
                other: other.id,
                action,
                now: 4_500,
            })
            .await
            .unwrap();
    }
    assert_eq!(
        store.home_context(fans[1].id).await.unwrap(),
        HomeContext {
            hidden: Hidden {
                blocked: vec![fans[2].id],
                muted: vec![bob.id]
            },
            merged: vec![ada.id]
        }
    );
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

fn notice(
    recipient: &User,
    kind: NotificationKind,
    actor: &User,
    tweet: Option<TweetId>,
    at: i64,
) -> NewNotification {
    NewNotification {
        recipient: recipient.id,
        kind,
        actor: actor.id,
        tweet,
        at,
    }
}

/// Notifications are made once per recipient, kind, actor and tweet; read newest first,
/// one by one or grouped by kind and tweet with the newest three actors; leave out
/// actors the recipient blocks, is blocked by or mutes and tweets no longer in view; an
/// unlike or unretweet withdraws its own; the read mark only moves forward.
pub async fn notifications_once_grouped_filtered_and_marked(store: S) {
    use NotificationKind::*;
    let ada = user(&store, "ada").await;
    let mut fans = Vec::new();
    for i in 0..5 {
        fans.push(user(&store, &format!("fan{i}")).await);
    }
    let t1 = post(&store, &ada, "one").await;
    let t2 = post(&store, &ada, "two").await;
    let mut wanted = Vec::new();
    for (i, fan) in fans.iter().enumerate() {
        wanted.push(notice(&ada, Like, fan, Some(t1.id), 100 + i as i64));
    }
    wanted.push(notice(&ada, Follow, &fans[0], None, 200));
    wanted.push(notice(&ada, Follow, &fans[1], None, 201));
    wanted.push(notice(&ada, Retweet, &fans[2], Some(t2.id), 300));
    let made = store.notify(wanted.clone()).await.unwrap();
    assert_eq!(made.len(), 8);
    assert!(made.windows(2).all(|w| w[0].id < w[1].id));
    assert!(store.notify(wanted).await.unwrap().is_empty(), "made once");
    let query = |before, limit, kinds: Vec<NotificationKind>| NotificationQuery {
        recipient: ada.id,
        before,
        limit,
        kinds,
    };
    let all = store.notifications(query(None, 100, vec![])).await.unwrap();
    assert_eq!(all.len(), 8);
    assert_eq!(all[0].kind, Retweet);
    assert_eq!(all[0].created_at, 300);
    let likes = store
        .notifications(query(None, 100, vec![Like]))
        .await
        .unwrap();
    assert_eq!(likes.len(), 5);
    let page = store
        .notifications(query(Some(all[2].id), 2, vec![]))
        .await
        .unwrap();
    assert_eq!(page, all[3..5].to_vec());
    let groups = store
        .notification_groups(query(None, 10, vec![]))
        .await
        .unwrap();
    let shape: Vec<(NotificationKind, Option<TweetId>, i64, Vec<UserId>)> = groups
        .iter()
        .map(|g| (g.kind, g.tweet, g.count, g.actors.clone()))
        .collect();
    assert_eq!(
        shape,
        vec![
            (Retweet, Some(t2.id), 1, vec![fans[2].id]),
            (Follow, None, 2, vec![fans[1].id, fans[0].id]),
            (
                Like,
                Some(t1.id),
                5,
                vec![fans[4].id, fans[3].id, fans[2].id]
            ),
        ]
    );
    assert_eq!(groups[2].latest_at, 104);
    let later = store
        .notification_groups(query(Some(groups[0].latest), 1, vec![]))
        .await
        .unwrap();
    assert_eq!(later[0].kind, Follow);
    // The hidden are left out: muted, blocking, blocked; so are tweets out of view.
    assert_eq!(store.unread_notifications(ada.id).await.unwrap(), 8);
    for (actor, other, action) in [
        (&ada, &fans[4], GraphAction::Mute),
        (&fans[3], &ada, GraphAction::Block),
    ] {
        store
            .change_graph(GraphChange {
                actor: actor.id,
                other: other.id,
                action,
                now: 400,
            })
            .await
            .unwrap();
    }
    assert_eq!(store.unread_notifications(ada.id).await.unwrap(), 6);
    let groups = store
        .notification_groups(query(None, 10, vec![Like]))
        .await
        .unwrap();
    assert_eq!(groups[0].count, 3);
    assert_eq!(groups[0].actors, vec![fans[2].id, fans[1].id, fans[0].id]);
    store
        .transition(Transition {
            id: t2.id,
            actor: ada.id,
            action: Action::Delete,
            now: 500,
        })
        .await
        .unwrap();
    assert_eq!(store.unread_notifications(ada.id).await.unwrap(), 5);
    // Unliking withdraws the like's notification.
    let engage = |action| Engage {
        id: t1.id,
        user: fans[1].id,
        action,
        now: 600,
    };
    store.engage(engage(EngagementAction::Like)).await.unwrap();
    store
        .engage(engage(EngagementAction::Unlike))
        .await
        .unwrap();
    assert_eq!(store.unread_notifications(ada.id).await.unwrap(), 4);
    // The read mark.
    assert_eq!(store.notifications_read_mark(ada.id).await.unwrap(), 0);
    let newest = store.notifications(query(None, 1, vec![])).await.unwrap()[0].id;
    assert_eq!(
        store.mark_notifications_read(ada.id, newest).await.unwrap(),
        newest
    );
    assert_eq!(
        store.mark_notifications_read(ada.id, 1).await.unwrap(),
        newest
    );
    assert_eq!(store.unread_notifications(ada.id).await.unwrap(), 0);
    assert_eq!(store.notifications_read_mark(ada.id).await.unwrap(), newest);
}
