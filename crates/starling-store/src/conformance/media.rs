//! Media items: processing outcomes, descriptions, attachment to tweet versions, sweeps.

use super::*;
use starling_core::{MediaId, TweetId};

fn processed(key: &str) -> Processed {
    Processed {
        width: 40,
        height: 30,
        blurhash: "L00000fQfQfQfQfQfQfQfQfQfQfQ".into(),
        duration_ms: None,
        files: vec![MediaFile {
            name: "original".into(),
            width: 40,
            height: 30,
            content_type: "image/jpeg".into(),
            key: key.into(),
            bytes: 100,
        }],
    }
}

async fn upload(store: &S, owner: &User, kind: MediaKind, now: i64) -> MediaRecord {
    store
        .create_media(NewMedia {
            owner: owner.id,
            kind,
            alt_text: AltText::parse("a description").unwrap(),
            node: 1,
            deadline: now + 60_000,
            now,
        })
        .await
        .expect("create media")
}

async fn ready(store: &S, owner: &User, kind: MediaKind, key: &str) -> MediaRecord {
    let m = upload(store, owner, kind, 1_000).await;
    store
        .finish_media(FinishMedia {
            id: m.id,
            outcome: Ok(processed(key)),
            now: 1_500,
        })
        .await
        .expect("finish media")
}

fn with_media(author: &User, text: &str, media: &[MediaId]) -> CreateTweet {
    let mut c = new_tweet(author, "x");
    c.tweet.content = Content::parse_with(text, true).unwrap();
    c.tweet.media = media.to_vec();
    c
}

async fn edit_media(
    store: &S,
    t: TweetId,
    actor: &User,
    text: &str,
    media: Option<Vec<MediaId>>,
) -> Result<TweetRecord> {
    store
        .edit_tweet(EditTweet {
            id: t,
            actor: actor.id,
            content: Content::parse_with(text, true).unwrap(),
            mentions: Arc::from([]),
            expected_version: None,
            media,
            now: 3_000,
        })
        .await
        .map(|c| c.tweet)
}

fn ids(t: &TweetRecord) -> Vec<MediaId> {
    t.media.iter().map(|a| a.id).collect()
}

pub async fn media_are_processed_described_and_never_stuck(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let m = upload(&store, &ada, MediaKind::Image, 1_000).await;
    assert_eq!(m.state, MediaState::Processing);
    assert_eq!(m.alt_text, "a description");
    let read = store.media(m.id).await.unwrap().expect("stored");
    assert_eq!(read, m);
    assert_eq!(store.media(MediaId(424242)).await.unwrap(), None);

    let done = store
        .finish_media(FinishMedia {
            id: m.id,
            outcome: Ok(processed(&"a".repeat(64))),
            now: 2_000,
        })
        .await
        .unwrap();
    assert_eq!(done.state, MediaState::Ready);
    assert_eq!(done.processed, Some(processed(&"a".repeat(64))));
    assert_eq!(store.media(m.id).await.unwrap(), Some(done.clone()));
    // Only an item still processing takes an outcome.
    let again = store
        .finish_media(FinishMedia {
            id: m.id,
            outcome: Err("late".into()),
            now: 2_100,
        })
        .await;
    assert_eq!(again.unwrap_err(), Refusal::MediaNotFound);

    // The owner describes it; to anyone else it does not exist.
    let describe = |owner: &User, text: &str| DescribeMedia {
        id: m.id,
        owner: owner.id,
        alt_text: AltText::parse(text).unwrap(),
        now: 2_200,
    };
    let described = store.describe_media(describe(&ada, "a cat")).await.unwrap();
    assert_eq!(described.alt_text, "a cat");
    assert_eq!(store.media(m.id).await.unwrap().unwrap().alt_text, "a cat");
    assert_eq!(
        store
            .describe_media(describe(&bob, "mine"))
            .await
            .unwrap_err(),
        Refusal::MediaNotFound
    );

    // A failure keeps its reason.
    let f = upload(&store, &ada, MediaKind::Video, 1_000).await;
    let failed = store
        .finish_media(FinishMedia {
            id: f.id,
            outcome: Err("the video is longer than 140 s".into()),
            now: 2_000,
        })
        .await
        .unwrap();
    assert_eq!(failed.state, MediaState::Failed);
    assert_eq!(
        failed.error.as_deref(),
        Some("the video is longer than 140 s")
    );

    // Stalled: past its deadline, or its node started again.
    let late = upload(&store, &ada, MediaKind::Video, 1_000).await; // deadline 61_000
    let fresh = upload(&store, &ada, MediaKind::Video, 50_000).await; // deadline 110_000
    assert_eq!(store.fail_stalled_media(60_000, None).await.unwrap(), 0);
    assert_eq!(store.fail_stalled_media(70_000, None).await.unwrap(), 1);
    assert_eq!(
        store.media(late.id).await.unwrap().unwrap().state,
        MediaState::Failed
    );
    assert!(store.media(late.id).await.unwrap().unwrap().error.is_some());
    assert_eq!(
        store.media(fresh.id).await.unwrap().unwrap().state,
        MediaState::Processing
    );
    assert_eq!(store.fail_stalled_media(70_000, Some(2)).await.unwrap(), 0);
    assert_eq!(store.fail_stalled_media(70_000, Some(1)).await.unwrap(), 1);
    assert_eq!(
        store.media(fresh.id).await.unwrap().unwrap().state,
        MediaState::Failed
    );
}

pub async fn tweets_carry_media_in_every_version(store: S) {
    let ada = user(&store, "ada").await;
    let bob = user(&store, "bob").await;
    let a = ready(&store, &ada, MediaKind::Image, &"a".repeat(64)).await;
    let b = ready(&store, &ada, MediaKind::Image, &"b".repeat(64)).await;
    let c = ready(&store, &ada, MediaKind::Image, &"c".repeat(64)).await;
    let video = ready(&store, &ada, MediaKind::Video, &"d".repeat(64)).await;
    let theirs = ready(&store, &bob, MediaKind::Image, &"e".repeat(64)).await;
    let waiting = upload(&store, &ada, MediaKind::Image, 1_000).await;

    // Refusals leave nothing attached.
    let refused = [
        (vec![theirs.id], Refusal::MediaNotFound),
        (vec![MediaId(999)], Refusal::MediaNotFound),
        (vec![waiting.id], Refusal::MediaNotReady),
        (vec![a.id, video.id], Refusal::InvalidMediaSet),
    ];
    for (media, why) in refused {
        let got = store.create_tweet(with_media(&ada, "no", &media)).await;
        assert_eq!(got.unwrap_err(), why, "{media:?}");
    }
    assert_eq!(store.media(a.id).await.unwrap().unwrap().tweet, None);
    // No words and no media is no tweet.
    assert!(matches!(
        store
            .create_tweet(with_media(&ada, "", &[]))
            .await
            .unwrap_err()
            .refusal(),
        Some(Refusal::Invalid(_))
    ));

    // Media only, in the order asked.
    let t = store
        .create_tweet(with_media(&ada, "", &[b.id, a.id]))
        .await
        .unwrap()
        .tweet;
    assert_eq!(&*t.content, "");
    assert_eq!(ids(&t), vec![b.id, a.id]);
    assert_eq!(t.media[1].alt_text, "a description");
    assert_eq!(t.media[1].processed, processed(&"a".repeat(64)));
    let read = store.tweet(t.id).await.unwrap().unwrap();
    assert_eq!(read.media, t.media);
    assert_eq!(store.media(a.id).await.unwrap().unwrap().tweet, Some(t.id));
    // Listed with its media too.
    let listed = store
        .list_tweets(TweetQuery {
            author: Some(ada.id),
            states: vec![TweetState::Published, TweetState::Edited],
            visibilities: vec![Visibility::Public],
            limit: 10,
            ..TweetQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        ids(listed.iter().find(|l| l.id == t.id).unwrap()),
        vec![b.id, a.id]
    );

    // Attached: taken, and described for good.
    let other = store.create_tweet(with_media(&ada, "again", &[a.id])).await;
    assert_eq!(other.unwrap_err(), Refusal::MediaInUse);
    let describe = store
        .describe_media(DescribeMedia {
            id: a.id,
            owner: ada.id,
            alt_text: AltText::parse("changed").unwrap(),
            now: 2_500,
        })
        .await;
    assert_eq!(describe.unwrap_err(), Refusal::MediaAttached);

    // Edits: the media stay unless named; a new set replaces them; text alone needs media.
    let v2 = edit_media(&store, t.id, &ada, "words now", None)
        .await
        .unwrap();
    assert_eq!(ids(&v2), vec![b.id, a.id]);
    let v3 = edit_media(&store, t.id, &ada, "words now", Some(vec![c.id, b.id]))
        .await
        .unwrap();
    assert_eq!(ids(&v3), vec![c.id, b.id]);
    assert_eq!(
        edit_media(&store, t.id, &ada, "", Some(vec![]))
            .await
            .unwrap_err()
            .refusal()
            .map(|r| matches!(r, Refusal::Invalid(_))),
        Some(true)
    );
    let v4 = edit_media(&store, t.id, &ada, "no media", Some(vec![]))
        .await
        .unwrap();
    assert!(v4.media.is_empty());
    // A removed item still belongs to the tweet: its versions refer to it.
    assert_eq!(store.media(a.id).await.unwrap().unwrap().tweet, Some(t.id));
    let stolen = store.create_tweet(with_media(&ada, "mine", &[a.id])).await;
    assert_eq!(stolen.unwrap_err(), Refusal::MediaInUse);

    let versions = store.versions(t.id).await.unwrap();
    let history: Vec<Vec<MediaId>> = versions
        .iter()
        .map(|v| v.media.iter().map(|a| a.id).collect())
        .collect();
    assert_eq!(
        history,
        vec![vec![b.id, a.id], vec![b.id, a.id], vec![c.id, b.id], vec![]]
    );
    // Restoring a version brings its media back.
    let restored = store
        .restore_version(RestoreVersion {
            id: t.id,
            actor: ada.id,
            version: 1,
            mentions: Arc::from([]),
            now: 4_000,
        })
        .await
        .unwrap()
        .tweet;
    assert_eq!(ids(&restored), vec![b.id, a.id]);
    assert_eq!(&*restored.content, "");
    assert!(store.audit().await.unwrap().is_empty());
}

pub async fn concurrent_tweets_take_an_item_once(store: S) {
    let ada = user(&store, "ada").await;
    let m = ready(&store, &ada, MediaKind::Video, &"f".repeat(64)).await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let ada = ada.clone();
        tasks.push(tokio::spawn(async move {
            store
                .create_tweet(with_media(&ada, &format!("take {i}"), &[m.id]))
                .await
        }));
    }
    let mut won = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok(created) => won.push(created.tweet.id),
            Err(e) => assert_eq!(e, Refusal::MediaInUse),
        }
    }
    assert_eq!(won.len(), 1, "exactly one tweet takes the item");
    assert_eq!(
        store.media(m.id).await.unwrap().unwrap().tweet,
        Some(won[0])
    );
}

pub async fn sweeps_delete_only_what_no_tweet_holds(store: S) {
    let ada = user(&store, "ada").await;
    let kept = ready(&store, &ada, MediaKind::Image, &"1".repeat(64)).await;
    let shared_key = "2".repeat(64);
    let left = ready(&store, &ada, MediaKind::Image, &shared_key).await;
    let twin = ready(&store, &ada, MediaKind::Image, &shared_key).await;
    let failed = upload(&store, &ada, MediaKind::Video, 1_000).await;
    store
        .finish_media(FinishMedia {
            id: failed.id,
            outcome: Err("broken".into()),
            now: 1_200,
        })
        .await
        .unwrap();
    store
        .create_tweet(with_media(&ada, "keep", &[kept.id, twin.id]))
        .await
        .unwrap();
    let all = vec!["1".repeat(64), shared_key.clone(), "9".repeat(64)];
    let mut referenced = store.referenced_blobs(&all).await.unwrap();
    referenced.sort();
    assert_eq!(referenced, vec!["1".repeat(64), shared_key.clone()]);

    // Nothing old enough yet.
    let early = SweepMedia {
        unattached_before: 500,
        failed_before: 500,
        limit: 100,
    };
    assert_eq!(store.sweep_media(early).await.unwrap(), 0);
    let sweep = SweepMedia {
        unattached_before: 10_000,
        failed_before: 10_000,
        limit: 100,
    };
    assert_eq!(store.sweep_media(sweep).await.unwrap(), 2);
    assert_eq!(store.media(left.id).await.unwrap(), None);
    assert_eq!(store.media(failed.id).await.unwrap(), None);
    assert!(store.media(kept.id).await.unwrap().is_some());
    assert!(store.media(twin.id).await.unwrap().is_some());
    // The shared blob is still referred to by the attached twin.
    let mut referenced = store.referenced_blobs(&all).await.unwrap();
    referenced.sort();
    assert_eq!(referenced, vec!["1".repeat(64), shared_key]);
    assert_eq!(store.sweep_media(sweep).await.unwrap(), 0);
}
