//! Who may read a tweet and where it sits: visibility, conversations, the replied-to
//! author, resolved mentions, and the graph reads the visibility policy asks for.

use super::*;
use starling_core::records::Mention;

fn placed(visibility: Visibility, mentions: &[(&str, UserId)]) -> Placement {
    Placement {
        visibility,
        mentions: mentions
            .iter()
            .map(|(name, user)| Mention {
                name: (*name).into(),
                user: *user,
            })
            .collect(),
        ..Placement::default()
    }
}

async fn create(
    store: &S,
    author: &User,
    text: &str,
    reply_to: Option<TweetId>,
    p: Placement,
) -> TweetRecord {
    store
        .create_tweet(CreateTweet {
            author: author.id,
            tweet: NewTweet {
                reply_to,
                ..NewTweet::published(content(text))
            },
            placed: p,
            now: 2_000,
        })
        .await
        .expect("create tweet")
        .tweet
}

/// Every facet is stored as written and read back the same by every read.
pub async fn visibility_conversation_and_mentions_are_kept(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let root = create(
        &store,
        &ada,
        "hello @bob",
        None,
        placed(Visibility::Followers, &[("bob", bob.id)]),
    )
    .await;
    assert_eq!(root.visibility, Visibility::Followers);
    assert_eq!(
        root.conversation_id, root.id,
        "a tweet starts its own conversation"
    );
    assert_eq!(root.reply_to_user, None);
    assert_eq!(
        &root.mentions[..],
        &[Mention {
            name: "bob".into(),
            user: bob.id
        }]
    );
    let read = store.tweet(root.id).await.unwrap().unwrap();
    assert_eq!(
        (
            read.visibility,
            read.conversation_id,
            read.reply_to_user,
            read.mentions.clone()
        ),
        (
            root.visibility,
            root.conversation_id,
            root.reply_to_user,
            root.mentions.clone()
        )
    );
    // The store takes the conversation and the replied-to author from the parent row,
    // whatever the engine said.
    let lie = Placement {
        conversation: Some(TweetId(42)),
        reply_to_user: Some(UserId(42)),
        ..placed(Visibility::Followers, &[])
    };
    let reply = create(&store, &bob, "hi", Some(root.id), lie).await;
    let deeper = create(
        &store,
        &ada,
        "again",
        Some(reply.id),
        placed(Visibility::Followers, &[]),
    )
    .await;
    for (tweet, parent_author) in [(&reply, ada.id), (&deeper, bob.id)] {
        let read = store.tweet(tweet.id).await.unwrap().unwrap();
        assert_eq!(read.conversation_id, root.id);
        assert_eq!(read.reply_to_user, Some(parent_author));
        assert_eq!(tweet.conversation_id, root.id, "as created");
        assert_eq!(tweet.reply_to_user, Some(parent_author), "as created");
    }
    // An edit replaces the mentions; a restore sets those it is given.
    let edited = store
        .edit_tweet(EditTweet {
            id: root.id,
            actor: ada.id,
            content: content("hello nobody"),
            mentions: Arc::from([]),
            expected_version: None,
            media: None,
            now: 3_000,
        })
        .await
        .unwrap()
        .tweet;
    assert!(edited.mentions.is_empty());
    assert_eq!(
        edited.visibility,
        Visibility::Followers,
        "visibility never changes"
    );
    let restored = store
        .restore_version(RestoreVersion {
            id: root.id,
            actor: ada.id,
            version: 1,
            mentions: placed(Visibility::Public, &[("bob", bob.id)]).mentions,
            now: 4_000,
        })
        .await
        .unwrap()
        .tweet;
    assert_eq!(restored.mentions.len(), 1);
    assert_eq!(
        store.tweet(root.id).await.unwrap().unwrap().mentions,
        restored.mentions
    );
}

/// Lists return the visibility levels asked for and leave replies out when asked.
pub async fn lists_filter_by_visibility_and_replies(store: S) {
    let ada = user(&store, "ada").await;
    let public = create(
        &store,
        &ada,
        "public #t",
        None,
        placed(Visibility::Public, &[]),
    )
    .await;
    let unlisted = create(
        &store,
        &ada,
        "unlisted #t",
        None,
        placed(Visibility::Unlisted, &[]),
    )
    .await;
    let private = create(
        &store,
        &ada,
        "private #t",
        None,
        placed(Visibility::Followers, &[]),
    )
    .await;
    let reply = create(
        &store,
        &ada,
        "reply #t",
        Some(public.id),
        placed(Visibility::Public, &[]),
    )
    .await;
    let ids = |records: Vec<TweetRecord>| records.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let query =
        |visibilities: Vec<Visibility>, no_replies: bool, by_author: bool, tag: bool| TweetQuery {
            author: by_author.then_some(ada.id),
            hashtag: tag.then(|| "t".to_string()),
            states: vec![TweetState::Published, TweetState::Edited],
            visibilities,
            no_replies,
            with_retweets: false,
            quote_of: None,
            before: None,
            limit: 10,
        };
    for (by_author, tag) in [(false, false), (true, false), (false, true), (true, true)] {
        let all = store
            .list_tweets(query(Visibility::ALL.to_vec(), false, by_author, tag))
            .await
            .unwrap();
        assert_eq!(
            ids(all),
            [reply.id, private.id, unlisted.id, public.id],
            "{by_author} {tag}"
        );
        let listed = store
            .list_tweets(query(vec![Visibility::Public], false, by_author, tag))
            .await
            .unwrap();
        assert_eq!(ids(listed), [reply.id, public.id], "{by_author} {tag}");
        let no_replies = store
            .list_tweets(query(Visibility::ALL.to_vec(), true, by_author, tag))
            .await
            .unwrap();
        assert_eq!(
            ids(no_replies),
            [private.id, unlisted.id, public.id],
            "{by_author} {tag}"
        );
        let none = store
            .list_tweets(query(vec![], false, by_author, tag))
            .await
            .unwrap();
        assert!(none.is_empty(), "no visibility asked, none listed");
    }
    // A followers-only reply does not count on its parent: its existence is not public.
    let hidden_reply = create(
        &store,
        &ada,
        "psst",
        Some(unlisted.id),
        placed(Visibility::Followers, &[]),
    )
    .await;
    let open_reply = create(
        &store,
        &ada,
        "hey",
        Some(unlisted.id),
        placed(Visibility::Unlisted, &[]),
    )
    .await;
    assert_eq!(
        store
            .tweet(unlisted.id)
            .await
            .unwrap()
            .unwrap()
            .counters
            .replies,
        1
    );
    let _ = (hidden_reply, open_reply);
}

/// The graph reads the visibility policy uses: standings in the order asked, and the
/// authors a user is never shown live.
pub async fn relationships_in_bulk_and_hidden_authors(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let cy = user(&store, "cy").await;
    let dee = user(&store, "dee").await;
    let change = |actor: &User, other: &User, action| GraphChange {
        actor: actor.id,
        other: other.id,
        action,
        now: 5_000,
    };
    store
        .change_graph(change(&ada, &bob, GraphAction::Follow))
        .await
        .unwrap();
    store
        .change_graph(change(&cy, &ada, GraphAction::Block))
        .await
        .unwrap();
    store
        .change_graph(change(&ada, &dee, GraphAction::Mute))
        .await
        .unwrap();
    let all = store
        .relationships(ada.id, &[dee.id, bob.id, cy.id, ada.id])
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert!(all[0].muting && !all[0].following);
    assert!(all[1].following && !all[1].blocked_by);
    assert!(all[2].blocked_by && !all[2].blocking);
    for (i, other) in [dee.id, bob.id, cy.id].into_iter().enumerate() {
        assert_eq!(all[i], store.relationship(ada.id, other).await.unwrap());
    }
    assert!(store.relationships(ada.id, &[]).await.unwrap().is_empty());
    assert_eq!(
        store.hidden_authors(ada.id).await.unwrap(),
        Hidden {
            blocked: vec![cy.id],
            muted: vec![dee.id]
        },
        "blocked by cy, muting dee; following bob hides nothing"
    );
    store
        .change_graph(change(&ada, &bob, GraphAction::Block))
        .await
        .unwrap();
    let mut blocked = store.hidden_authors(ada.id).await.unwrap().blocked;
    blocked.sort();
    let mut expected = vec![bob.id, cy.id];
    expected.sort();
    assert_eq!(blocked, expected, "blocking and blocked by, once each");
    assert_eq!(
        store.hidden_authors(cy.id).await.unwrap(),
        Hidden {
            blocked: vec![ada.id],
            muted: vec![]
        }
    );
    // An author's default visibility is decided with `protected` as the write finds it.
    let default = Placement {
        author_default: true,
        ..Placement::default()
    };
    let before = create(&store, &ada, "open by default", None, default.clone()).await;
    assert_eq!(before.visibility, Visibility::Public);
    store
        .update_profile(ProfileChange {
            user: ada.id,
            protected: Some(true),
            now: 6_000,
            ..ProfileChange::default()
        })
        .await
        .unwrap();
    let after = create(&store, &ada, "closed by default", None, default.clone()).await;
    assert_eq!(after.visibility, Visibility::Followers, "as written");
    let read = store.tweet(after.id).await.unwrap().unwrap();
    assert_eq!(read.visibility, Visibility::Followers, "as read back");
    let mut keyed = new_tweet(&ada, "keyed, closed by default");
    keyed.tweet.idempotency_key = Some(IdempotencyKey::parse("default-1").unwrap());
    keyed.placed = default;
    let keyed = store.create_tweet(keyed).await.unwrap().tweet;
    assert_eq!(
        keyed.visibility,
        Visibility::Followers,
        "the keyed path too"
    );
    let read = store.tweet(keyed.id).await.unwrap().unwrap();
    assert_eq!(read.visibility, Visibility::Followers);
    let asked = create(
        &store,
        &ada,
        "asked",
        None,
        placed(Visibility::Unlisted, &[]),
    )
    .await;
    assert_eq!(asked.visibility, Visibility::Unlisted, "asked is kept");
    assert_eq!(
        store.hidden_authors(dee.id).await.unwrap(),
        Hidden::default(),
        "being muted hides nothing from the muted"
    );
}

/// A conversation is read whole, oldest first, every state included, bounded.
pub async fn conversations_read_whole_and_bounded(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let root = create(&store, &ada, "root", None, Placement::default()).await;
    let other = create(&store, &bob, "elsewhere", None, Placement::default()).await;
    let mut expected = vec![root.id];
    let mut parent = root.id;
    for i in 0..5 {
        let author = if i % 2 == 0 { &bob } else { &ada };
        let reply = create(
            &store,
            author,
            &format!("reply {i}"),
            Some(parent),
            Placement::default(),
        )
        .await;
        expected.push(reply.id);
        parent = reply.id;
    }
    // A deleted reply is still part of the conversation's rows.
    store
        .transition(Transition {
            id: parent,
            actor: bob.id,
            action: Action::Delete,
            now: 9_000,
        })
        .await
        .unwrap();
    let whole = store.conversation(root.id, 100).await.unwrap();
    assert_eq!(whole.last().unwrap().state, TweetState::Deleted);
    // The outline of a reply: its parent, author, visibility and engagement.
    assert_eq!(whole[1].reply_to, Some(root.id));
    assert_eq!(whole[1].author, bob.id);
    assert_eq!(whole[1].visibility, Visibility::Public);
    assert_eq!(whole[0].engagement, 1, "the root has one reply");
    let ids = |records: Vec<Outline>| records.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.conversation(root.id, 100).await.unwrap()),
        expected
    );
    assert_eq!(
        ids(store.conversation(root.id, 3).await.unwrap()),
        expected[..3]
    );
    assert_eq!(
        ids(store.conversation(other.id, 100).await.unwrap()),
        [other.id]
    );
    assert!(
        store
            .conversation(TweetId(1), 100)
            .await
            .unwrap()
            .is_empty()
    );
}

/// A retweet is an entry of its own, made and removed with the retweet row and counter,
/// in the same transaction; a quote counts on the tweet it quotes.
pub async fn retweets_are_entries_and_quotes_count(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let original = create(&store, &ada, "worth repeating", None, Placement::default()).await;
    let retweet = |action| Engage {
        id: original.id,
        user: bob.id,
        action,
        now: 5_000,
    };
    let first = store
        .engage(retweet(EngagementAction::Retweet))
        .await
        .unwrap();
    assert!(first.changed && first.retweeted);
    assert_eq!(first.counters.retweets, 1);
    let entry = first.entry.expect("a retweet has its entry");
    assert_eq!(entry.retweet_of, Some(original.id));
    assert_eq!(entry.author.id, bob.id);
    assert_eq!(entry.state, TweetState::Published);
    assert_eq!(
        &*entry.content, "worth repeating",
        "the original's text when retweeted"
    );
    assert_eq!(
        store.tweet(entry.id).await.unwrap().unwrap().retweet_of,
        Some(original.id)
    );
    let again = store
        .engage(retweet(EngagementAction::Retweet))
        .await
        .unwrap();
    assert!(!again.changed);
    assert_eq!(
        again.entry.map(|e| e.id),
        Some(entry.id),
        "one retweet, one entry"
    );
    let listed = |with_retweets| TweetQuery {
        author: Some(bob.id),
        states: vec![TweetState::Published, TweetState::Edited],
        visibilities: Visibility::ALL.to_vec(),
        with_retweets,
        limit: 10,
        ..TweetQuery::default()
    };
    let ids = |records: Vec<TweetRecord>| records.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.list_tweets(listed(true)).await.unwrap()),
        [entry.id]
    );
    assert!(store.list_tweets(listed(false)).await.unwrap().is_empty());
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());

    let undone = store
        .engage(retweet(EngagementAction::Unretweet))
        .await
        .unwrap();
    assert!(undone.changed && !undone.retweeted);
    assert_eq!(undone.counters.retweets, 0);
    assert_eq!(
        undone.entry.as_ref().map(|e| (e.id, e.state)),
        Some((entry.id, TweetState::Deleted))
    );
    assert_eq!(
        store.tweet(entry.id).await.unwrap().unwrap().state,
        TweetState::Deleted
    );
    assert!(store.list_tweets(listed(true)).await.unwrap().is_empty());
    let twice = store
        .engage(retweet(EngagementAction::Unretweet))
        .await
        .unwrap();
    assert!(!twice.changed && twice.entry.is_none());

    // Quotes: counted on the original while readable by link; a followers-only tweet
    // cannot be quoted.
    let quote = store
        .create_tweet(CreateTweet {
            author: bob.id,
            tweet: NewTweet {
                quote_of: Some(original.id),
                ..NewTweet::published(content("well said"))
            },
            placed: Placement::default(),
            now: 6_000,
        })
        .await
        .unwrap();
    assert_eq!(quote.tweet.quote_of, Some(original.id));
    assert_eq!(
        quote.quoted.map(|(id, c)| (id, c.quotes)),
        Some((original.id, 1))
    );
    assert_eq!(
        store
            .tweet(original.id)
            .await
            .unwrap()
            .unwrap()
            .counters
            .quotes,
        1
    );
    let quotes = TweetQuery {
        quote_of: Some(original.id),
        states: vec![TweetState::Published, TweetState::Edited],
        visibilities: Visibility::ALL.to_vec(),
        limit: 10,
        ..TweetQuery::default()
    };
    assert_eq!(
        ids(store.list_tweets(quotes.clone()).await.unwrap()),
        [quote.tweet.id]
    );
    let archived = store
        .transition(Transition {
            id: quote.tweet.id,
            actor: bob.id,
            action: Action::Archive,
            now: 7_000,
        })
        .await
        .unwrap();
    assert_eq!(archived.quoted.map(|(_, c)| c.quotes), Some(0));
    let private = create(
        &store,
        &ada,
        "just us",
        None,
        placed(Visibility::Followers, &[]),
    )
    .await;
    let refused = store
        .create_tweet(CreateTweet {
            author: bob.id,
            tweet: NewTweet {
                quote_of: Some(private.id),
                ..NewTweet::published(content("leak"))
            },
            placed: Placement::default(),
            now: 8_000,
        })
        .await;
    assert!(
        matches!(refused, Err(StoreError::Refused(Refusal::InvalidQuote))),
        "{refused:?}"
    );
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());
}

/// Likes and retweets are decided by the whole policy in the write's transaction: a
/// block or a followers-only tweet hides the tweet (not found, like a missing one), and a
/// followers-only tweet is never retweeted.
pub async fn engagement_is_decided_by_the_whole_policy(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let cy = user(&store, "cy").await;
    let named = user(&store, "named").await;
    let public = create(&store, &ada, "open", None, Placement::default()).await;
    let private = create(
        &store,
        &ada,
        "for followers @named",
        None,
        placed(Visibility::Followers, &[("named", named.id)]),
    )
    .await;
    let engage = |id: TweetId, who: &User, action| Engage {
        id,
        user: who.id,
        action,
        now: 5_000,
    };
    let refusal = |r: Result<Engaged>| match r {
        Ok(_) => None,
        Err(StoreError::Refused(refusal)) => Some(refusal),
        Err(e) => panic!("{e}"),
    };
    // Not a follower: the followers-only tweet does not exist for bob; named may like it.
    let missing = refusal(
        store
            .engage(engage(TweetId(1), &bob, EngagementAction::Like))
            .await,
    );
    assert_eq!(missing, Some(Refusal::NotFound));
    assert_eq!(
        refusal(
            store
                .engage(engage(private.id, &bob, EngagementAction::Like))
                .await
        ),
        missing
    );
    assert_eq!(
        refusal(
            store
                .engage(engage(private.id, &named, EngagementAction::Like))
                .await
        ),
        None
    );
    // A follower may like it, and may not retweet it.
    store
        .change_graph(GraphChange {
            actor: cy.id,
            other: ada.id,
            action: GraphAction::Follow,
            now: 5_000,
        })
        .await
        .unwrap();
    assert_eq!(
        refusal(
            store
                .engage(engage(private.id, &cy, EngagementAction::Like))
                .await
        ),
        None
    );
    let retweeted = refusal(
        store
            .engage(engage(private.id, &cy, EngagementAction::Retweet))
            .await,
    );
    assert!(
        matches!(retweeted, Some(Refusal::Invalid(_))),
        "{retweeted:?}"
    );
    // A block, either way, hides even the public tweet, for every action.
    store
        .change_graph(GraphChange {
            actor: ada.id,
            other: bob.id,
            action: GraphAction::Block,
            now: 6_000,
        })
        .await
        .unwrap();
    for action in [
        EngagementAction::Like,
        EngagementAction::Unlike,
        EngagementAction::Retweet,
        EngagementAction::Unretweet,
    ] {
        let refused = refusal(store.engage(engage(public.id, &bob, action)).await);
        assert_eq!(refused, Some(Refusal::NotFound), "{action:?}");
    }
    // The counts moved only for what was allowed: named's and cy's likes.
    let counters = store.tweet(private.id).await.unwrap().unwrap().counters;
    assert_eq!((counters.likes, counters.retweets), (2, 0));
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());
}
