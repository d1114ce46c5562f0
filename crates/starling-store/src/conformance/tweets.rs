//! Tweets: writes, the event log, versions, lists.

use super::*;

const PUBLIC: [TweetState; 2] = [TweetState::Published, TweetState::Edited];

pub async fn create_and_read_back(store: S) {
    let ada = user(&store, "ada").await;
    let created = store
        .create_tweet(new_tweet(&ada, "hello #World"))
        .await
        .unwrap();
    assert!(created.fresh);
    let t = created.tweet;
    assert_eq!(t.version, 1);
    assert_eq!(t.state, TweetState::Published);
    assert_eq!(t.author.id, ada.id);
    assert_eq!(&*t.content, "hello #World");
    assert_eq!(t.content_hash, content("hello #World").hash());
    assert!(t.entities_json.contains("World"));
    let read = store.tweet(t.id).await.unwrap().expect("stored");
    assert_eq!(read.content, t.content);
    assert_eq!(read.counters, t.counters);
    assert_eq!(
        store.tweet(TweetId(12345)).await.unwrap().map(|t| t.id),
        None
    );

    let mut draft = new_tweet(&ada, "not yet");
    draft.tweet.draft = true;
    let d = store.create_tweet(draft).await.unwrap().tweet;
    assert_eq!(d.state, TweetState::Draft);
    assert!(d.id > t.id, "ids are k-sorted");
}

pub async fn many_read_at_once_as_one_by_one(store: S) {
    let ada = user(&store, "ada").await;
    let mut made = Vec::new();
    for text in ["one", "two", "three"] {
        made.push(
            store
                .create_tweet(new_tweet(&ada, text))
                .await
                .unwrap()
                .tweet,
        );
    }
    let mut draft = new_tweet(&ada, "a draft");
    draft.tweet.draft = true;
    made.push(store.create_tweet(draft).await.unwrap().tweet);
    let edited = edit(&store, &made[1], &ada, "two, edited").await.unwrap();
    assert_eq!(edited.version, 2);
    let ids: Vec<TweetId> = made.iter().map(|t| t.id).collect();
    // Asked for with an id that does not exist, and one twice.
    let asked = [ids[3], TweetId(12345), ids[0], ids[1], ids[2], ids[0]];
    let mut found = store.tweets(&asked).await.unwrap();
    found.sort_unstable_by_key(|t| t.id);
    found.dedup_by_key(|t| t.id);
    assert_eq!(found.iter().map(|t| t.id).collect::<Vec<_>>(), ids);
    for t in &found {
        let one = store.tweet(t.id).await.unwrap().expect("stored");
        assert_eq!(
            (
                &one.content,
                one.version,
                one.state,
                &one.author.username,
                one.counters
            ),
            (
                &t.content,
                t.version,
                t.state,
                &t.author.username,
                t.counters
            )
        );
    }
    assert_eq!(&*found[1].content, "two, edited");
    assert!(store.tweets(&[]).await.unwrap().is_empty());
}

pub async fn identical_content_is_stored_once(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let a = post(&store, &ada, "same words").await;
    let b = post(&store, &bob, "same words").await;
    assert_ne!(a.id, b.id);
    assert_eq!(a.content_hash, b.content_hash);
    let totals = store.totals().await.unwrap();
    assert_eq!(totals.tweets, 2);
    assert_eq!(totals.bodies, 1);
    assert_eq!(totals.versions, 2);
}

pub async fn idempotency_key_returns_the_original(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let mut t = new_tweet(&ada, "once only");
    t.tweet.idempotency_key = Some(IdempotencyKey::parse("key-1").unwrap());
    let first = store.create_tweet(t.clone()).await.unwrap();
    let retry = store.create_tweet(t.clone()).await.unwrap();
    assert!(first.fresh);
    assert!(!retry.fresh);
    assert_eq!(first.tweet.id, retry.tweet.id);
    // The same key from another user is another request.
    let mut other = new_tweet(&bob, "once only");
    other.tweet.idempotency_key = Some(IdempotencyKey::parse("key-1").unwrap());
    let theirs = store.create_tweet(other).await.unwrap();
    assert!(theirs.fresh);
    assert_ne!(theirs.tweet.id, first.tweet.id);
    assert_eq!(store.totals().await.unwrap().tweets, 2);
    // The same key with a different request is refused, and stores nothing.
    let mut changed = new_tweet(&ada, "something else");
    changed.tweet.idempotency_key = Some(IdempotencyKey::parse("key-1").unwrap());
    assert_eq!(
        store.create_tweet(changed).await.unwrap_err(),
        Refusal::IdempotencyKeyReused
    );
    assert_eq!(store.totals().await.unwrap().tweets, 2);
}

pub async fn edits_keep_every_version(store: S) {
    let ada = user(&store, "ada").await;
    let t = post(&store, &ada, "v1").await;
    let t2 = edit(&store, &t, &ada, "v2 #new").await.unwrap();
    assert_eq!(t2.version, 2);
    assert_eq!(t2.state, TweetState::Edited);
    assert!(t2.counters.rev > t.counters.rev);
    let t3 = edit(&store, &t, &ada, "v3").await.unwrap();
    assert_eq!(t3.version, 3);
    let versions = store.versions(t.id).await.unwrap();
    let texts: Vec<_> = versions
        .iter()
        .map(|v| (v.version, v.content.as_str()))
        .collect();
    assert_eq!(texts, [(1, "v1"), (2, "v2 #new"), (3, "v3")]);
    assert_eq!(versions[1].content_hash, content("v2 #new").hash());
    assert_eq!(&*store.tweet(t.id).await.unwrap().unwrap().content, "v3");
}

pub async fn stale_expected_version_conflicts(store: S) {
    let ada = user(&store, "ada").await;
    let t = post(&store, &ada, "v1").await;
    let ok = store
        .edit_tweet(EditTweet {
            id: t.id,
            actor: ada.id,
            content: content("v2"),
            expected_version: Some(1),
            media: None,
            mentions: Arc::from([]),
            now: 1,
        })
        .await
        .unwrap();
    assert_eq!(ok.tweet.version, 2);
    assert_eq!(ok.previous, TweetState::Published);
    let stale = store
        .edit_tweet(EditTweet {
            id: t.id,
            actor: ada.id,
            content: content("v2 again"),
            expected_version: Some(1),
            media: None,
            mentions: Arc::from([]),
            now: 1,
        })
        .await;
    assert_eq!(stale.unwrap_err(), Refusal::VersionConflict { current: 2 });
    assert_eq!(store.versions(t.id).await.unwrap().len(), 2);
}

pub async fn only_the_author_writes(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let t = post(&store, &ada, "mine").await;
    assert_eq!(
        edit(&store, &t, &bob, "theirs").await.unwrap_err(),
        Refusal::NotAuthor
    );
    for kind in [Action::Archive, Action::Delete] {
        assert_eq!(
            transition(&store, t.id, &bob, kind).await.unwrap_err(),
            Refusal::NotAuthor
        );
    }
    // A draft is invisible to others: not found, not forbidden.
    let mut d = new_tweet(&ada, "secret draft");
    d.tweet.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    assert_eq!(
        edit(&store, &d, &bob, "x").await.unwrap_err(),
        Refusal::NotFound
    );
    assert_eq!(
        transition(&store, d.id, &bob, Action::Publish)
            .await
            .unwrap_err(),
        Refusal::NotFound
    );
    assert_eq!(
        edit(&store, &t, &ada, "still mine").await.unwrap().version,
        2
    );
}

pub async fn lifecycle_and_audit_trail(store: S) {
    let ada = user(&store, "ada").await;
    let mut d = new_tweet(&ada, "draft text");
    d.tweet.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    let d2 = edit(&store, &d, &ada, "draft text, better").await.unwrap();
    assert_eq!(d2.state, TweetState::Draft);
    let p = transition(&store, d.id, &ada, Action::Publish)
        .await
        .unwrap();
    assert_eq!(p.state, TweetState::Published);
    assert_eq!(p.version, 2, "publishing is not a new version");
    let again = transition(&store, d.id, &ada, Action::Publish)
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::Refused(Refusal::IllegalTransition(_))),
        "{again:?}"
    );
    let e = edit(&store, &p, &ada, "published, edited").await.unwrap();
    assert_eq!(e.state, TweetState::Edited);
    let a = transition(&store, d.id, &ada, Action::Archive)
        .await
        .unwrap();
    assert_eq!(a.state, TweetState::Archived);
    assert!(matches!(
        edit(&store, &a, &ada, "no").await.unwrap_err(),
        StoreError::Refused(Refusal::IllegalTransition(_))
    ));
    let del = transition(&store, d.id, &ada, Action::Delete)
        .await
        .unwrap();
    assert_eq!(del.state, TweetState::Deleted);
    // A deleted tweet is gone from every read, so even its author no longer finds it.
    assert_eq!(
        transition(&store, d.id, &ada, Action::Delete)
            .await
            .unwrap_err(),
        Refusal::NotFound
    );

    let events = store.events(d.id).await.unwrap();
    let kinds: Vec<_> = events.iter().map(|e| (e.seq, e.kind, e.version)).collect();
    use EventKind::*;
    assert_eq!(
        kinds,
        [
            (1, Created, 1),
            (2, Edited, 2),
            (3, Published, 2),
            (4, Edited, 3),
            (5, Archived, 3),
            (6, Deleted, 3)
        ]
    );
    assert!(events.iter().all(|e| e.actor == ada.id));
    // The history stays after deletion.
    assert_eq!(store.versions(d.id).await.unwrap().len(), 3);
    assert_eq!(
        store.totals().await.unwrap().tweets,
        0,
        "deleted tweets are not counted"
    );
}

pub async fn restore_makes_a_new_version(store: S) {
    let ada = user(&store, "ada").await;
    let t = post(&store, &ada, "original").await;
    edit(&store, &t, &ada, "changed").await.unwrap();
    let r = store
        .restore_version(RestoreVersion {
            mentions: Arc::from([]),
            id: t.id,
            actor: ada.id,
            version: 1,
            now: 9,
        })
        .await
        .unwrap()
        .tweet;
    assert_eq!(r.version, 3);
    assert_eq!(&*r.content, "original");
    assert_eq!(r.content_hash, t.content_hash);
    let missing = store
        .restore_version(RestoreVersion {
            mentions: Arc::from([]),
            id: t.id,
            actor: ada.id,
            version: 9,
            now: 9,
        })
        .await;
    assert_eq!(missing.unwrap_err(), Refusal::NoSuchVersion);
    let events = store.events(t.id).await.unwrap();
    assert_eq!(events.last().unwrap().kind, EventKind::Restored);
    assert_eq!(store.totals().await.unwrap().bodies, 2);
}

pub async fn concurrent_edits_are_contiguous(store: S) {
    let ada = user(&store, "ada").await;
    let t = post(&store, &ada, "v1").await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let store = store.clone();
            let ada = ada.clone();
            let t = t.clone();
            tokio::spawn(async move { edit(&store, &t, &ada, &format!("edit {i}")).await.unwrap() })
        })
        .collect();
    let mut seen = Vec::new();
    for task in tasks {
        seen.push(task.await.unwrap().version);
    }
    seen.sort();
    assert_eq!(
        seen,
        (2..=51).collect::<Vec<_>>(),
        "each edit got its own version"
    );
    let versions: Vec<_> = store
        .versions(t.id)
        .await
        .unwrap()
        .iter()
        .map(|v| v.version)
        .collect();
    assert_eq!(versions, (1..=51).collect::<Vec<_>>());
}

pub async fn replies_count_on_the_parent(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let parent = post(&store, &ada, "parent").await;
    let mut reply = new_tweet(&bob, "a reply");
    reply.tweet.reply_to = Some(parent.id);
    let created = store.create_tweet(reply).await.unwrap();
    assert_eq!(created.tweet.reply_to, Some(parent.id));
    let (pid, counters) = created.parent.expect("parent counters");
    assert_eq!(pid, parent.id);
    assert_eq!(counters.replies, 1);
    assert_eq!(
        store
            .tweet(parent.id)
            .await
            .unwrap()
            .unwrap()
            .counters
            .replies,
        1
    );

    let mut orphan = new_tweet(&bob, "to nowhere");
    orphan.tweet.reply_to = Some(TweetId(999));
    assert_eq!(
        store.create_tweet(orphan).await.unwrap_err(),
        Refusal::InvalidReply
    );
    // A draft reply counts once published, and stops counting when it leaves public
    // view: the count is of replies everyone can see.
    let replies_of = |id| {
        let store = store.clone();
        async move { store.tweet(id).await.unwrap().unwrap().counters.replies }
    };
    let mut draft_reply = new_tweet(&bob, "a draft reply");
    draft_reply.tweet.reply_to = Some(parent.id);
    draft_reply.tweet.draft = true;
    let draft_reply = store.create_tweet(draft_reply).await.unwrap();
    assert!(draft_reply.parent.is_none());
    assert_eq!(replies_of(parent.id).await, 1, "a draft reply was counted");
    let published = store
        .transition(Transition {
            id: draft_reply.tweet.id,
            actor: bob.id,
            action: Action::Publish,
            now: 2,
        })
        .await
        .unwrap();
    assert_eq!(
        published.parent.map(|(p, c)| (p, c.replies)),
        Some((parent.id, 2))
    );
    for action in [Action::Archive, Action::Delete] {
        store
            .transition(Transition {
                id: draft_reply.tweet.id,
                actor: bob.id,
                action,
                now: 3,
            })
            .await
            .unwrap();
        assert_eq!(replies_of(parent.id).await, 1, "after {action:?}");
    }
    store
        .transition(Transition {
            id: created.tweet.id,
            actor: bob.id,
            action: Action::Delete,
            now: 4,
        })
        .await
        .unwrap();
    assert_eq!(
        replies_of(parent.id).await,
        0,
        "a deleted reply still counted"
    );
    assert_eq!(store.totals().await.unwrap().replies, 0);

    let mut d = new_tweet(&ada, "draft parent");
    d.tweet.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    let mut to_draft = new_tweet(&bob, "to a draft");
    to_draft.tweet.reply_to = Some(d.id);
    assert_eq!(
        store.create_tweet(to_draft).await.unwrap_err(),
        Refusal::InvalidReply
    );
}

pub async fn listing_pages_newest_first(store: S) {
    let ada = user(&store, "ada").await;
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(post(&store, &ada, &format!("tweet {i}")).await.id);
    }
    let mut d = new_tweet(&ada, "hidden draft");
    d.tweet.draft = true;
    store.create_tweet(d).await.unwrap();
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .list_tweets(TweetQuery {
                before,
                limit: 10,
                states: PUBLIC.to_vec(),
                visibilities: Visibility::ALL.to_vec(),
                ..Default::default()
            })
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        // New tweets arriving between pages must not shift what comes next.
        post(&store, &ada, &format!("interloper {}", seen.len())).await;
        before = page.last().map(|t| t.position);
        seen.extend(page.into_iter().map(|t| t.id));
    }
    ids.reverse();
    assert_eq!(seen, ids);
}

pub async fn hashtag_and_author_filters(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let a = post(&store, &ada, "I like #Rust").await;
    let b = post(&store, &bob, "#rust is nice #tokio").await;
    post(&store, &bob, "#rustacean is another tag").await;
    let q = |hashtag: &str| TweetQuery {
        hashtag: Some(hashtag.into()),
        limit: 10,
        states: PUBLIC.to_vec(),
        visibilities: Visibility::ALL.to_vec(),
        ..Default::default()
    };
    let ids: Vec<_> = store
        .list_tweets(q("rust"))
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, [b.id, a.id]);
    // Editing away the tag removes it from the index.
    edit(&store, &a, &ada, "no tags now").await.unwrap();
    let ids: Vec<_> = store
        .list_tweets(q("rust"))
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, [b.id]);
    let by_ada = store
        .list_tweets(TweetQuery {
            author: Some(ada.id),
            limit: 10,
            states: PUBLIC.to_vec(),
            visibilities: Visibility::ALL.to_vec(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_ada.iter().map(|t| t.id).collect::<Vec<_>>(), [a.id]);
    // No hidden default: a query that names no state lists nothing.
    let unnamed = store
        .list_tweets(TweetQuery {
            author: Some(ada.id),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(unnamed.is_empty());
    let mut d = new_tweet(&ada, "draft #rust");
    d.tweet.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    let drafts = store
        .list_tweets(TweetQuery {
            author: Some(ada.id),
            states: vec![TweetState::Draft],
            visibilities: Visibility::ALL.to_vec(),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(drafts.iter().map(|t| t.id).collect::<Vec<_>>(), [d.id]);
    assert_eq!(
        store.list_tweets(q("rust")).await.unwrap().len(),
        1,
        "drafts are not listed"
    );
}

/// A draft published later lists where a tweet posted at that moment would: first in
/// the public list, its author's, its hashtag's, its quoted tweet's and in rebuilt home
/// timelines, and pages go on from it without repeats or gaps. Its id stays (links and
/// events refer to it); its time becomes the publication's, while its events keep the
/// draft's. Edits after publication keep its place.
pub async fn a_draft_published_later_lists_as_new(store: S) {
    let (ada, bob) = (user(&store, "ada").await, user(&store, "bob").await);
    let quoted = post(&store, &bob, "quote me").await;
    let draft = store
        .create_tweet(CreateTweet {
            tweet: NewTweet {
                draft: true,
                quote_of: Some(quoted.id),
                ..NewTweet::published(content("written first #later"))
            },
            ..new_tweet(&ada, "unused")
        })
        .await
        .unwrap()
        .tweet;
    assert_eq!(
        draft.position, draft.id,
        "a tweet lists by its id until published"
    );
    let mut posted = Vec::new();
    for (author, text) in [(&ada, "ada #later"), (&bob, "bob #later")] {
        let t = store
            .create_tweet(CreateTweet {
                tweet: NewTweet {
                    quote_of: Some(quoted.id),
                    ..NewTweet::published(content(text))
                },
                ..new_tweet(author, "unused")
            })
            .await
            .unwrap()
            .tweet;
        assert_eq!(t.position, t.id);
        posted.push(t);
    }
    let published = transition(&store, draft.id, &ada, Action::Publish)
        .await
        .unwrap();
    assert_eq!(published.id, draft.id);
    assert!(published.position > posted[1].position, "listed as new");
    assert_eq!(published.created_at, 5_000, "its time is its publication's");
    let read = store.tweet(draft.id).await.unwrap().unwrap();
    assert_eq!(
        (read.position, read.created_at),
        (published.position, 5_000)
    );
    let events = store.events(draft.id).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.created_at).collect::<Vec<_>>(),
        [2_000, 5_000],
        "the events keep the draft's time"
    );

    let expected = [published.id, posted[1].id, posted[0].id];
    let lists = [
        ("public", TweetQuery::default()),
        (
            "author",
            TweetQuery {
                author: Some(ada.id),
                ..TweetQuery::default()
            },
        ),
        (
            "hashtag",
            TweetQuery {
                hashtag: Some("later".into()),
                ..TweetQuery::default()
            },
        ),
        (
            "quotes",
            TweetQuery {
                quote_of: Some(quoted.id),
                ..TweetQuery::default()
            },
        ),
    ];
    let bob_posted = posted[1].id;
    let check = |lists: Vec<(&'static str, TweetQuery)>| {
        let store = store.clone();
        async move {
            for (name, query) in lists {
                let ada_only = query.author.is_some();
                let mut seen = page_through(&store, query).await;
                seen.retain(|id| *id != quoted.id);
                let want: Vec<TweetId> = expected
                    .iter()
                    .copied()
                    .filter(|id| !ada_only || *id != bob_posted)
                    .collect();
                assert_eq!(seen, want, "{name}");
            }
        }
    };
    check(lists.to_vec()).await;
    // Threads order siblings by it too.
    let outline = store.conversation(draft.conversation_id, 10).await.unwrap();
    assert_eq!(
        outline
            .iter()
            .find(|o| o.id == draft.id)
            .map(|o| o.position),
        Some(published.position)
    );
    // What rebuilds a home timeline, likewise.
    let entries = store
        .recent_entries(&[ada.id, bob.id], None, 3)
        .await
        .unwrap();
    assert_eq!(
        entries,
        vec![
            Entry {
                position: published.position,
                id: published.id,
                author: ada.id
            },
            Entry {
                position: posted[1].position,
                id: posted[1].id,
                author: bob.id
            },
            Entry {
                position: posted[0].position,
                id: posted[0].id,
                author: ada.id
            },
        ]
    );
    let below = store
        .recent_entries(&[ada.id], Some(published.position), 5)
        .await
        .unwrap();
    assert_eq!(
        below.iter().map(|e| e.id).collect::<Vec<_>>(),
        [posted[0].id]
    );
    // An edit keeps its place (its hashtag rows are written again).
    edit(&store, &published, &ada, "edited #later")
        .await
        .unwrap();
    check(lists.to_vec()).await;
}

/// Every tweet `query` lists in public view, a page of one at a time, each page going on
/// after the last one's position.
async fn page_through(store: &S, query: TweetQuery) -> Vec<TweetId> {
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .list_tweets(TweetQuery {
                before,
                limit: 1,
                states: PUBLIC.to_vec(),
                visibilities: Visibility::ALL.to_vec(),
                ..query.clone()
            })
            .await
            .unwrap();
        let Some(last) = page.last() else {
            return seen;
        };
        before = Some(last.position);
        seen.extend(page.iter().map(|t| t.id));
    }
}

/// A create by an author that does not exist is refused as not found, and it fails
/// alone: creates running at the same moment (perhaps in the same batch) succeed.
pub async fn a_missing_author_fails_alone(store: S) {
    let ada = user(&store, "ada").await;
    let ghost = User {
        id: UserId(ada.id.0 + 1_000_000),
        ..ada.clone()
    };
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (store, ada) = (store.clone(), ada.clone());
        tasks.push(tokio::spawn(async move {
            store
                .create_tweet(new_tweet(&ada, &format!("fine {i}")))
                .await
        }));
    }
    let missing = {
        let store = store.clone();
        tokio::spawn(async move { store.create_tweet(new_tweet(&ghost, "nobody")).await })
    };
    for task in tasks {
        task.await
            .unwrap()
            .expect("a create by a real author succeeds");
    }
    assert_eq!(missing.await.unwrap().unwrap_err(), Refusal::NotFound);
    assert_eq!(store.totals().await.unwrap().tweets, 20);
    assert_eq!(store.audit().await.unwrap(), Vec::<String>::new());
}
