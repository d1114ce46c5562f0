//! The behaviour every [`Store`] backend must show.
//!
//! Each check is an `async fn` taking a fresh, empty store. A backend runs them all with
//! [`conformance_tests!`](crate::conformance_tests), so SQLite and PostgreSQL are held to
//! one definition of correct.

use crate::*;
use starling_core::{Content, TweetState};
use std::sync::Arc;

/// Instantiate every conformance check as a `#[tokio::test]`.
///
/// `$factory` is an async fn returning `(Arc<dyn Store>, G)`, where `G` keeps the
/// backend's resources (a temporary directory, a database) alive for the test.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!(@each $factory,
            users_are_unique_case_insensitively,
            sessions_resolve_until_revoked,
            create_and_read_back,
            identical_content_is_stored_once,
            idempotency_key_returns_the_original,
            edits_keep_every_version,
            stale_expected_version_conflicts,
            only_the_author_writes,
            lifecycle_and_audit_trail,
            restore_makes_a_new_version,
            likes_are_per_user_and_idempotent,
            concurrent_likes_are_exact,
            concurrent_edits_are_contiguous,
            replies_count_on_the_parent,
            listing_pages_newest_first,
            hashtag_and_author_filters,
            views_accumulate,
            engagement_on_hidden_or_read_only_tweets,
            totals_match_rows
        );
    };
    (@each $factory:path, $($name:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (store, _guard) = $factory().await;
                $crate::conformance::$name(store).await;
            }
        )+
    };
}

type S = Arc<dyn Store>;

fn content(text: &str) -> Content {
    Content::parse(text).expect("valid test content")
}

async fn user(store: &S, name: &str) -> User {
    store
        .create_user(NewUser {
            username: name.to_string(),
            display_name: name.to_uppercase(),
            password_hash: format!("hash-of-{name}"),
            now: 1_000,
        })
        .await
        .expect("create user")
}

fn new_tweet(author: &User, text: &str) -> NewTweet {
    NewTweet {
        author: author.id,
        content: content(text),
        reply_to: None,
        draft: false,
        idempotency_key: None,
        request_hash: content(text).hash().0,
        now: 2_000,
    }
}

async fn post(store: &S, author: &User, text: &str) -> TweetRecord {
    store
        .create_tweet(new_tweet(author, text))
        .await
        .expect("create tweet")
        .tweet
}

async fn edit(store: &S, t: &TweetRecord, actor: &User, text: &str) -> Result<TweetRecord> {
    store
        .edit_tweet(EditTweet {
            id: t.id,
            actor: actor.id,
            content: content(text),
            expected_version: None,
            now: 3_000,
        })
        .await
        .map(|c| c.tweet)
}

async fn toggle(store: &S, t: TweetId, u: &User, toggle: Toggle) -> Result<Engaged> {
    store
        .engage(Engage {
            id: t,
            user: u.id,
            toggle,
            now: 4_000,
        })
        .await
}

async fn transition(store: &S, t: TweetId, u: &User, kind: TransitionKind) -> Result<TweetRecord> {
    store
        .transition(Transition {
            id: t,
            actor: u.id,
            kind,
            now: 5_000,
        })
        .await
        .map(|c| c.tweet)
}

pub async fn users_are_unique_case_insensitively(store: S) {
    let ada = user(&store, "Ada").await;
    assert_eq!(ada.username, "Ada");
    let dup = store
        .create_user(NewUser {
            username: "ADA".into(),
            display_name: "x".into(),
            password_hash: "h".into(),
            now: 1,
        })
        .await;
    assert_eq!(dup.unwrap_err(), StoreError::UsernameTaken);
    let (found, hash) = store.credentials("aDa").await.unwrap().expect("found");
    assert_eq!(found, ada);
    assert_eq!(hash, "hash-of-Ada");
    assert_eq!(
        store.user_by_username("ada").await.unwrap(),
        Some(ada.clone())
    );
    assert_eq!(store.user(ada.id).await.unwrap(), Some(ada));
    assert!(store.credentials("nobody").await.unwrap().is_none());
}

pub async fn sessions_resolve_until_revoked(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let open = |hash: u8, user: UserId| {
        let store = store.clone();
        async move {
            store
                .create_session(NewSession {
                    token_hash: [hash; 32],
                    user,
                    now: 10,
                    expires_at: 1_000,
                })
                .await
                .unwrap()
        }
    };
    let first = open(1, ada.id).await;
    let second = open(2, ada.id).await;
    let bobs = open(3, bob.id).await;
    let (found, session) = store.session_by_token([1; 32]).await.unwrap().unwrap();
    assert_eq!((found, session.clone()), (ada.clone(), first.clone()));
    assert_eq!(store.session_by_token([9; 32]).await.unwrap(), None);
    store.renew_session(first.id, 50, 2_000).await.unwrap();
    let (_, renewed) = store.session_by_token([1; 32]).await.unwrap().unwrap();
    assert_eq!((renewed.last_used_at, renewed.expires_at), (50, 2_000));
    let listed: Vec<SessionId> = store
        .sessions(ada.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, [second.id, first.id], "newest first, own only");
    // Another user's session cannot be revoked by id.
    assert_eq!(
        store
            .delete_sessions(RevokeSessions::One {
                user: ada.id,
                id: bobs.id
            })
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
    let gone = store
        .delete_sessions(RevokeSessions::Token([1; 32]))
        .await
        .unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(store.session_by_token([1; 32]).await.unwrap(), None);
    open(4, ada.id).await;
    let gone = store
        .delete_sessions(RevokeSessions::AllOf(ada.id))
        .await
        .unwrap();
    assert_eq!(gone.len(), 2);
    assert!(store.sessions(ada.id).await.unwrap().is_empty());
    assert!(store.session_by_token([3; 32]).await.unwrap().is_some());
}

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
    draft.draft = true;
    let d = store.create_tweet(draft).await.unwrap().tweet;
    assert_eq!(d.state, TweetState::Draft);
    assert!(d.id > t.id, "ids are k-sorted");
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
    t.idempotency_key = Some("key-1".into());
    let first = store.create_tweet(t.clone()).await.unwrap();
    let retry = store.create_tweet(t.clone()).await.unwrap();
    assert!(first.fresh);
    assert!(!retry.fresh);
    assert_eq!(first.tweet.id, retry.tweet.id);
    // The same key from another user is another request.
    let mut other = new_tweet(&bob, "once only");
    other.idempotency_key = Some("key-1".into());
    let theirs = store.create_tweet(other).await.unwrap();
    assert!(theirs.fresh);
    assert_ne!(theirs.tweet.id, first.tweet.id);
    assert_eq!(store.totals().await.unwrap().tweets, 2);
    // The same key with a different request is refused, and stores nothing.
    let mut changed = new_tweet(&ada, "something else");
    changed.idempotency_key = Some("key-1".into());
    assert_eq!(
        store.create_tweet(changed).await.unwrap_err(),
        StoreError::IdempotencyKeyReused
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
            now: 1,
        })
        .await;
    assert_eq!(
        stale.unwrap_err(),
        StoreError::VersionConflict { current: 2 }
    );
    assert_eq!(store.versions(t.id).await.unwrap().len(), 2);
}

pub async fn only_the_author_writes(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let t = post(&store, &ada, "mine").await;
    assert_eq!(
        edit(&store, &t, &bob, "theirs").await.unwrap_err(),
        StoreError::Forbidden
    );
    for kind in [TransitionKind::Archive, TransitionKind::Delete] {
        assert_eq!(
            transition(&store, t.id, &bob, kind).await.unwrap_err(),
            StoreError::Forbidden
        );
    }
    // A draft is invisible to others: not found, not forbidden.
    let mut d = new_tweet(&ada, "secret draft");
    d.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    assert_eq!(
        edit(&store, &d, &bob, "x").await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        transition(&store, d.id, &bob, TransitionKind::Publish)
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        edit(&store, &t, &ada, "still mine").await.unwrap().version,
        2
    );
}

pub async fn lifecycle_and_audit_trail(store: S) {
    let ada = user(&store, "ada").await;
    let mut d = new_tweet(&ada, "draft text");
    d.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    let d2 = edit(&store, &d, &ada, "draft text, better").await.unwrap();
    assert_eq!(d2.state, TweetState::Draft);
    let p = transition(&store, d.id, &ada, TransitionKind::Publish)
        .await
        .unwrap();
    assert_eq!(p.state, TweetState::Published);
    assert_eq!(p.version, 2, "publishing is not a new version");
    let again = transition(&store, d.id, &ada, TransitionKind::Publish)
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::IllegalTransition(_)),
        "{again:?}"
    );
    let e = edit(&store, &p, &ada, "published, edited").await.unwrap();
    assert_eq!(e.state, TweetState::Edited);
    let a = transition(&store, d.id, &ada, TransitionKind::Archive)
        .await
        .unwrap();
    assert_eq!(a.state, TweetState::Archived);
    assert!(matches!(
        edit(&store, &a, &ada, "no").await.unwrap_err(),
        StoreError::IllegalTransition(_)
    ));
    let del = transition(&store, d.id, &ada, TransitionKind::Delete)
        .await
        .unwrap();
    assert_eq!(del.state, TweetState::Deleted);
    // A deleted tweet is gone from every read, so even its author no longer finds it.
    assert_eq!(
        transition(&store, d.id, &ada, TransitionKind::Delete)
            .await
            .unwrap_err(),
        StoreError::NotFound
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
            id: t.id,
            actor: ada.id,
            version: 9,
            now: 9,
        })
        .await;
    assert_eq!(missing.unwrap_err(), StoreError::NoSuchVersion);
    let events = store.events(t.id).await.unwrap();
    assert_eq!(events.last().unwrap().kind, EventKind::Restored);
    assert_eq!(store.totals().await.unwrap().bodies, 2);
}

pub async fn likes_are_per_user_and_idempotent(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let t = post(&store, &ada, "like me").await;
    let first = toggle(&store, t.id, &bob, Toggle::Like).await.unwrap();
    assert!(first.changed && first.liked && !first.retweeted);
    assert_eq!(first.counters.likes, 1);
    let twice = toggle(&store, t.id, &bob, Toggle::Like).await.unwrap();
    assert!(!twice.changed);
    assert_eq!(twice.counters.likes, 1);
    let rt = toggle(&store, t.id, &bob, Toggle::Retweet).await.unwrap();
    assert!(rt.liked && rt.retweeted);
    assert_eq!(rt.counters.retweets, 1);
    toggle(&store, t.id, &ada, Toggle::Like).await.unwrap();
    let flags = store
        .viewer_flags(bob.id, &[t.id, TweetId(1)])
        .await
        .unwrap();
    assert_eq!(flags, [(true, true), (false, false)]);
    let un = toggle(&store, t.id, &bob, Toggle::Unlike).await.unwrap();
    assert!(un.changed && !un.liked);
    assert_eq!(un.counters.likes, 1);
    let un2 = toggle(&store, t.id, &bob, Toggle::Unlike).await.unwrap();
    assert!(!un2.changed);
    assert_eq!(un2.counters.likes, 1);
    let un3 = toggle(&store, t.id, &bob, Toggle::Unretweet).await.unwrap();
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
                toggle(&store, t.id, &u, Toggle::Like),
                toggle(&store, t.id, &u, Toggle::Like)
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
    reply.reply_to = Some(parent.id);
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
    orphan.reply_to = Some(TweetId(999));
    assert_eq!(
        store.create_tweet(orphan).await.unwrap_err(),
        StoreError::InvalidReply
    );
    // A draft reply counts once published, and stops counting when it leaves public
    // view: the count is of replies everyone can see.
    let replies_of = |id| {
        let store = store.clone();
        async move { store.tweet(id).await.unwrap().unwrap().counters.replies }
    };
    let mut draft_reply = new_tweet(&bob, "a draft reply");
    draft_reply.reply_to = Some(parent.id);
    draft_reply.draft = true;
    let draft_reply = store.create_tweet(draft_reply).await.unwrap();
    assert!(draft_reply.parent.is_none());
    assert_eq!(replies_of(parent.id).await, 1, "a draft reply was counted");
    let published = store
        .transition(Transition {
            id: draft_reply.tweet.id,
            actor: bob.id,
            kind: TransitionKind::Publish,
            now: 2,
        })
        .await
        .unwrap();
    assert_eq!(
        published.parent.map(|(p, c)| (p, c.replies)),
        Some((parent.id, 2))
    );
    for kind in [TransitionKind::Archive, TransitionKind::Delete] {
        store
            .transition(Transition {
                id: draft_reply.tweet.id,
                actor: bob.id,
                kind,
                now: 3,
            })
            .await
            .unwrap();
        assert_eq!(replies_of(parent.id).await, 1, "after {kind:?}");
    }
    store
        .transition(Transition {
            id: created.tweet.id,
            actor: bob.id,
            kind: TransitionKind::Delete,
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
    d.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    let mut to_draft = new_tweet(&bob, "to a draft");
    to_draft.reply_to = Some(d.id);
    assert_eq!(
        store.create_tweet(to_draft).await.unwrap_err(),
        StoreError::InvalidReply
    );
}

pub async fn listing_pages_newest_first(store: S) {
    let ada = user(&store, "ada").await;
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(post(&store, &ada, &format!("tweet {i}")).await.id);
    }
    let mut d = new_tweet(&ada, "hidden draft");
    d.draft = true;
    store.create_tweet(d).await.unwrap();
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .list_tweets(TweetQuery {
                before,
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        // New tweets arriving between pages must not shift what comes next.
        post(&store, &ada, &format!("interloper {}", seen.len())).await;
        before = page.last().map(|t| t.id);
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
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_ada.iter().map(|t| t.id).collect::<Vec<_>>(), [a.id]);
    let mut d = new_tweet(&ada, "draft #rust");
    d.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    let drafts = store
        .list_tweets(TweetQuery {
            author: Some(ada.id),
            states: vec![TweetState::Draft],
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
    d.draft = true;
    let d = store.create_tweet(d).await.unwrap().tweet;
    assert_eq!(
        toggle(&store, d.id, &bob, Toggle::Like).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        toggle(&store, d.id, &ada, Toggle::Like).await.unwrap_err(),
        StoreError::ReadOnly(TweetState::Draft)
    );
    let t = post(&store, &ada, "archive me").await;
    transition(&store, t.id, &ada, TransitionKind::Archive)
        .await
        .unwrap();
    assert_eq!(
        toggle(&store, t.id, &ada, Toggle::Like).await.unwrap_err(),
        StoreError::ReadOnly(TweetState::Archived)
    );
    assert_eq!(
        toggle(&store, t.id, &bob, Toggle::Like).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        toggle(&store, TweetId(5), &bob, Toggle::Like)
            .await
            .unwrap_err(),
        StoreError::NotFound
    );
}

pub async fn totals_match_rows(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let t = post(&store, &ada, "one").await;
    post(&store, &ada, "two").await;
    edit(&store, &t, &ada, "one, edited").await.unwrap();
    toggle(&store, t.id, &bob, Toggle::Like).await.unwrap();
    toggle(&store, t.id, &bob, Toggle::Retweet).await.unwrap();
    let mut r = new_tweet(&bob, "reply");
    r.reply_to = Some(t.id);
    store.create_tweet(r).await.unwrap();
    // Changes that cancel out, and a deleted tweet, leave the totals as the rows are.
    toggle(&store, t.id, &ada, Toggle::Like).await.unwrap();
    toggle(&store, t.id, &ada, Toggle::Unlike).await.unwrap();
    toggle(&store, t.id, &ada, Toggle::Unlike).await.unwrap();
    let gone = post(&store, &bob, "one").await; // the first tweet's body: no new body
    transition(&store, gone.id, &bob, TransitionKind::Delete)
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
            tweets: 3,
            versions: 5,
            bodies: 4,
            likes: 1,
            retweets: 1,
            replies: 1,
            views: 5
        }
    );
}
