//! Profiles, follows, requests, blocks and mutes.

use super::*;
use starling_core::GraphAction::{self, *};

async fn act(
    store: &S,
    actor: &User,
    other: &User,
    action: GraphAction,
    now: i64,
) -> Result<Relationship> {
    store
        .change_graph(GraphChange {
            actor: actor.id,
            other: other.id,
            action,
            now,
        })
        .await
}

async fn counts(store: &S, u: &User) -> (i64, i64) {
    let p = store.profile(u.id).await.unwrap().expect("profile");
    (p.followers, p.following)
}

async fn listed(store: &S, list: UserList, u: &User) -> Vec<UserId> {
    store
        .list_users(UserListQuery {
            list,
            user: u.id,
            before: None,
            limit: 100,
        })
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.user.id)
        .collect()
}

pub async fn profiles_change_and_count_public_tweets(store: S) {
    let ada = user(&store, "ada").await;
    let profile = store.profile(ada.id).await.unwrap().expect("profile");
    assert_eq!(
        (
            profile.bio.as_str(),
            profile.protected,
            profile.followers,
            profile.following,
            profile.tweets
        ),
        ("", false, 0, 0, 0)
    );
    post(&store, &ada, "one").await;
    let draft = store
        .create_tweet(CreateTweet {
            author: ada.id,
            tweet: NewTweet {
                draft: true,
                ..NewTweet::published(content("a draft"))
            },
            placed: Placement::default(),
            now: 2_000,
        })
        .await
        .unwrap();
    assert_eq!(draft.tweet.state, TweetState::Draft);
    let changed = store
        .update_profile(ProfileChange {
            user: ada.id,
            display_name: Some("Ada L.".into()),
            bio: Some("Engines".into()),
            protected: None,
            now: 3_000,
        })
        .await
        .unwrap();
    assert_eq!(changed.user.display_name, "Ada L.");
    assert_eq!(
        (changed.bio.as_str(), changed.protected, changed.tweets),
        ("Engines", false, 1)
    );
    assert_eq!(store.profile(ada.id).await.unwrap(), Some(changed.clone()));
    assert_eq!(
        store.user(ada.id).await.unwrap().unwrap().display_name,
        "Ada L."
    );
    // Tweets written after the change name the author as they are now.
    assert_eq!(
        post(&store, &ada, "two").await.author.display_name,
        "Ada L."
    );
    assert_eq!(store.profile(UserId(424242)).await.unwrap(), None);
    let missing = store
        .update_profile(ProfileChange {
            user: UserId(424242),
            ..ProfileChange::default()
        })
        .await;
    assert_eq!(missing.unwrap_err(), Refusal::NotFound);
    // Every user's counts agree with the rows they count.
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());
}

pub async fn follows_are_idempotent_and_counted(store: S) {
    let (ada, bob) = (user(&store, "ada").await, user(&store, "bob").await);
    let rel = act(&store, &ada, &bob, Follow, 10).await.unwrap();
    assert!(rel.following && !rel.followed_by && !rel.requested);
    act(&store, &ada, &bob, Follow, 11).await.unwrap();
    assert_eq!(counts(&store, &bob).await, (1, 0));
    assert_eq!(counts(&store, &ada).await, (0, 1));
    let seen_by_bob = store.relationship(bob.id, ada.id).await.unwrap();
    assert!(seen_by_bob.followed_by && !seen_by_bob.following);
    assert_eq!(
        listed(&store, UserList::Followers, &bob).await,
        vec![ada.id]
    );
    assert_eq!(
        listed(&store, UserList::Following, &ada).await,
        vec![bob.id]
    );
    let rel = act(&store, &ada, &bob, Unfollow, 12).await.unwrap();
    assert!(!rel.following);
    act(&store, &ada, &bob, Unfollow, 13).await.unwrap();
    assert_eq!(counts(&store, &bob).await, (0, 0));
    assert_eq!(counts(&store, &ada).await, (0, 0));
    // Oneself: invalid; a missing user: not found.
    assert!(matches!(
        act(&store, &ada, &ada, Follow, 14)
            .await
            .unwrap_err()
            .refusal(),
        Some(Refusal::Invalid(_))
    ));
    let ghost = User {
        id: UserId(424242),
        ..ada.clone()
    };
    assert_eq!(
        act(&store, &ada, &ghost, Follow, 15).await.unwrap_err(),
        Refusal::NotFound
    );
}

pub async fn protected_accounts_approve_followers(store: S) {
    let (ada, bob, cy) = (
        user(&store, "ada").await,
        user(&store, "bob").await,
        user(&store, "cy").await,
    );
    store
        .update_profile(ProfileChange {
            user: ada.id,
            protected: Some(true),
            ..ProfileChange::default()
        })
        .await
        .unwrap();
    let rel = act(&store, &bob, &ada, Follow, 10).await.unwrap();
    assert!(rel.requested && !rel.following);
    act(&store, &cy, &ada, Follow, 11).await.unwrap();
    assert_eq!(counts(&store, &ada).await, (0, 0));
    // Newest first.
    assert_eq!(
        listed(&store, UserList::FollowRequests, &ada).await,
        vec![cy.id, bob.id]
    );
    let rel = act(&store, &ada, &bob, Accept, 12).await.unwrap();
    assert!(rel.followed_by && !rel.requested_by);
    assert_eq!(counts(&store, &ada).await, (1, 0));
    assert_eq!(
        act(&store, &ada, &bob, Accept, 13).await.unwrap_err(),
        Refusal::NotFound
    );
    // A request withdrawn, then made again and turned down.
    act(&store, &cy, &ada, Unfollow, 14).await.unwrap();
    assert_eq!(
        act(&store, &ada, &cy, Reject, 15).await.unwrap_err(),
        Refusal::NotFound
    );
    act(&store, &cy, &ada, Follow, 16).await.unwrap();
    let rel = act(&store, &ada, &cy, Reject, 17).await.unwrap();
    assert!(!rel.requested_by && !rel.followed_by);
    // Going public accepts what waits.
    act(&store, &cy, &ada, Follow, 18).await.unwrap();
    let public = store
        .update_profile(ProfileChange {
            user: ada.id,
            protected: Some(false),
            now: 19,
            ..ProfileChange::default()
        })
        .await
        .unwrap();
    assert_eq!((public.followers, public.protected), (2, false));
    assert!(
        listed(&store, UserList::FollowRequests, &ada)
            .await
            .is_empty()
    );
    assert_eq!(counts(&store, &cy).await, (0, 1));
}

pub async fn blocks_cut_follows_both_ways_and_refuse_new_ones(store: S) {
    let (ada, bob) = (user(&store, "ada").await, user(&store, "bob").await);
    act(&store, &ada, &bob, Follow, 10).await.unwrap();
    act(&store, &bob, &ada, Follow, 11).await.unwrap();
    act(&store, &ada, &bob, Mute, 12).await.unwrap();
    let rel = act(&store, &ada, &bob, Block, 13).await.unwrap();
    assert_eq!(
        rel,
        Relationship {
            blocking: true,
            muting: true,
            ..Relationship::default()
        }
    );
    assert_eq!(counts(&store, &ada).await, (0, 0));
    assert_eq!(counts(&store, &bob).await, (0, 0));
    assert_eq!(
        act(&store, &bob, &ada, Follow, 14).await.unwrap_err(),
        Refusal::Blocked
    );
    assert_eq!(
        act(&store, &ada, &bob, Follow, 15).await.unwrap_err(),
        Refusal::Blocked
    );
    assert!(store.relationship(bob.id, ada.id).await.unwrap().blocked_by);
    assert_eq!(listed(&store, UserList::Blocks, &ada).await, vec![bob.id]);
    assert_eq!(listed(&store, UserList::Mutes, &ada).await, vec![bob.id]);
    // Search leaves blocked users out, both ways.
    let found: Vec<UserId> = store
        .search_users("b", Some(ada.id), 10)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    assert!(found.is_empty(), "{found:?}");
    let found: Vec<UserId> = store
        .search_users("a", Some(bob.id), 10)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(store.search_users("B", None, 10).await.unwrap().len(), 1);
    // Lifted: following works again.
    act(&store, &ada, &bob, Unblock, 16).await.unwrap();
    act(&store, &ada, &bob, Unmute, 17).await.unwrap();
    let rel = act(&store, &bob, &ada, Follow, 18).await.unwrap();
    assert!(rel.following);
    assert!(listed(&store, UserList::Blocks, &ada).await.is_empty());
}

pub async fn lists_page_newest_first_and_search_matches_prefixes(store: S) {
    let star = user(&store, "star").await;
    let mut fans = Vec::new();
    for i in 0..7 {
        let fan = user(&store, &format!("fan_{i}")).await;
        act(&store, &fan, &star, Follow, 100 + i / 2).await.unwrap();
        fans.push(fan);
    }
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .list_users(UserListQuery {
                list: UserList::Followers,
                user: star.id,
                before,
                limit: 3,
            })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        before = Some((last.since, last.user.id));
        seen.extend(page.iter().map(|l| l.user.id));
    }
    let mut expected: Vec<UserId> = fans.iter().map(|f| f.id).collect();
    expected.reverse();
    assert_eq!(seen, expected, "newest first, each once, across pages");
    let found = store.search_users("FAN_", None, 4).await.unwrap();
    assert_eq!(found.len(), 4);
    // `_` is a character here, not a wildcard.
    assert!(
        store
            .search_users("fan%", None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .search_users("fanx", None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Display names match too (they are the upper-cased usernames here).
    assert_eq!(
        store.search_users("STA", None, 10).await.unwrap()[0].id,
        star.id
    );
}

pub async fn concurrent_follows_and_unfollows_keep_counts_exact(store: S) {
    let star = user(&store, "star").await;
    let mut fans = Vec::new();
    for i in 0..24 {
        fans.push(user(&store, &format!("fan{i}")).await);
    }
    let mut tasks = Vec::new();
    for (i, fan) in fans.iter().enumerate() {
        let (store, fan, star) = (store.clone(), fan.clone(), star.clone());
        tasks.push(tokio::spawn(async move {
            act(&store, &fan, &star, Follow, 10).await.unwrap();
            act(&store, &fan, &star, Follow, 11).await.unwrap();
            if i % 3 == 0 {
                act(&store, &fan, &star, Unfollow, 12).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(counts(&store, &star).await, (16, 0));
    assert_eq!(listed(&store, UserList::Followers, &star).await.len(), 16);
    // Every user's counts agree with the rows they count.
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());
}

pub async fn a_block_racing_follows_leaves_no_follow(store: S) {
    for round in 0..10 {
        let ada = user(&store, &format!("ada{round}")).await;
        let bob = user(&store, &format!("bob{round}")).await;
        let follow = {
            let (store, ada, bob) = (store.clone(), ada.clone(), bob.clone());
            tokio::spawn(async move { act(&store, &bob, &ada, Follow, 10).await })
        };
        let block = {
            let (store, ada, bob) = (store.clone(), ada.clone(), bob.clone());
            tokio::spawn(async move { act(&store, &ada, &bob, Block, 10).await })
        };
        let followed = follow.await.unwrap();
        block.await.unwrap().unwrap();
        assert!(followed.is_ok() || followed.unwrap_err() == Refusal::Blocked);
        let rel = store.relationship(bob.id, ada.id).await.unwrap();
        assert!(!rel.following && rel.blocked_by, "round {round}: {rel:?}");
        assert_eq!(counts(&store, &ada).await, (0, 0), "round {round}");
        assert_eq!(counts(&store, &bob).await, (0, 0), "round {round}");
    }
    // Every user's counts agree with the rows they count.
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());
}
