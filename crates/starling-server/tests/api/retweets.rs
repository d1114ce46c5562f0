//! Retweets as entries of their own and quotes (docs/API.md, "Retweets and quotes").

use crate::support::{expect_error, expect_status, id_of, spawn};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retweet_is_one_entry_and_one_count() {
    let app = spawn(|_| {}).await;
    let (ada_user, ada) = app.register("ada").await;
    let (bob_user, bob) = app.register("bob").await;
    let original = id_of(&app.post_tweet(&ada, "worth repeating").await);
    let path = format!("/api/tweets/{original}/retweet");
    let first = expect_status(app.post_empty(&path, Some(&bob)).await, StatusCode::CREATED).await;
    assert_eq!(first["kind"], "retweet");
    assert_eq!(first["author"]["id"], bob_user["id"]);
    assert_eq!(first["retweetOf"]["id"], original.as_str());
    assert_eq!(first["retweetOf"]["author"]["id"], ada_user["id"]);
    assert_eq!(first["retweetOf"]["engagement"]["retweets"], 1);
    assert_eq!(
        first["retweetOf"]["engagement"]["retweetedByCurrentUser"],
        true
    );
    let entry = id_of(&first);
    // Again, by the endpoint, by the engagement action, or through the entry itself:
    // the same entry, the same count.
    let again = expect_status(app.post_empty(&path, Some(&bob)).await, StatusCode::OK).await;
    assert_eq!(again["id"], entry.as_str());
    app.engage(&bob, &original, "retweet").await;
    let via_entry = app
        .post_empty(&format!("/api/tweets/{entry}/retweet"), Some(&bob))
        .await;
    assert_eq!(
        expect_status(via_entry, StatusCode::OK).await["id"],
        entry.as_str()
    );
    assert_eq!(
        app.tweet(&original, None).await["engagement"]["retweets"],
        1
    );
    // The entry reads like a tweet and is in bob's list, newest first.
    assert_eq!(
        app.tweet(&entry, None).await["retweetOf"]["content"],
        "worth repeating"
    );
    let listed = app.get_ok("/api/users/@bob/tweets", None).await;
    assert_eq!(listed["items"][0]["id"], entry.as_str());
    // Not in public lists: they list tweets, not retweets.
    let latest = app.get_ok("/api/tweets", None).await;
    assert!(
        latest["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["kind"] != "retweet")
    );
    // A retweet is not edited or archived, only undone.
    let edit = app
        .put(
            &format!("/api/tweets/{entry}"),
            Some(&bob),
            &json!({"content": "x"}),
        )
        .await;
    expect_error(edit, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let archive = app
        .post_empty(&format!("/api/tweets/{entry}/archive"), Some(&bob))
        .await;
    expect_error(
        archive,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // Undone: 204, the count goes, the entry answers 404; undoing twice changes nothing.
    let undo = app.delete(&path, Some(&bob)).await;
    assert_eq!(undo.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.delete(&path, Some(&bob)).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.tweet(&original, None).await["engagement"]["retweets"],
        0
    );
    expect_error(
        app.get(&format!("/api/tweets/{entry}"), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Deleting the entry is undoing it.
    let second = expect_status(app.post_empty(&path, Some(&bob)).await, StatusCode::CREATED).await;
    assert_ne!(second["id"], entry.as_str(), "a new retweet is a new entry");
    let gone = app
        .delete(&format!("/api/tweets/{}", id_of(&second)), Some(&bob))
        .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.tweet(&original, Some(&bob)).await["engagement"]["retweetedByCurrentUser"],
        false
    );
    // When the original goes, its retweets go with it.
    let third =
        id_of(&expect_status(app.post_empty(&path, Some(&bob)).await, StatusCode::CREATED).await);
    app.transition(&ada, &original, "archive").await;
    expect_error(
        app.get(&format!("/api/tweets/{third}"), Some(&bob)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let listed = app.get_ok("/api/users/@bob/tweets", None).await;
    assert_eq!(listed["items"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotes_embed_what_the_viewer_may_see_and_are_counted() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, eve) = app.register("eve").await;
    let original = id_of(&app.post_tweet(&ada, "quote me").await);
    let quote = app
        .create(&bob, &json!({"content": "indeed", "quoteOfId": original}))
        .await;
    assert_eq!(quote["kind"], "quote");
    assert_eq!(quote["quoteOf"]["id"], original.as_str());
    assert_eq!(quote["quoteOf"]["content"], "quote me");
    let quote_id = id_of(&quote);
    assert_eq!(app.tweet(&original, None).await["engagement"]["quotes"], 1);
    let quotes = app
        .get_ok(&format!("/api/tweets/{original}/quotes"), None)
        .await;
    assert_eq!(quotes["items"][0]["id"], quote_id.as_str());
    // Ada blocks eve: eve still reads bob's quote, with the original as a gap.
    app.expect(
        Method::POST,
        "/api/users/@eve/block",
        Some(&ada),
        None,
        StatusCode::OK,
    )
    .await;
    let seen_by_eve = app.tweet(&quote_id, Some(&eve)).await;
    assert_eq!(
        seen_by_eve["quoteOf"],
        json!({"id": original, "unavailable": true})
    );
    // ... and cannot quote it; the refusal is the one for a tweet that does not exist.
    let refused = app
        .post(
            "/api/tweets",
            Some(&eve),
            &json!({"content": "hm", "quoteOfId": original}),
        )
        .await;
    let refused = expect_status(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let missing = app
        .post(
            "/api/tweets",
            Some(&eve),
            &json!({"content": "hm", "quoteOfId": "1234567890123"}),
        )
        .await;
    assert_eq!(
        refused,
        expect_status(missing, StatusCode::UNPROCESSABLE_ENTITY).await
    );
    assert_eq!(refused["error"]["field"], "quoteOfId");
    // Followers-only tweets are neither quoted nor retweeted.
    let private = id_of(
        &app.create(
            &ada,
            &json!({"content": "just us", "visibility": "followers"}),
        )
        .await,
    );
    let resp = app
        .post(
            "/api/tweets",
            Some(&ada),
            &json!({"content": "me", "quoteOfId": private}),
        )
        .await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let resp = app
        .post_empty(&format!("/api/tweets/{private}/retweet"), Some(&ada))
        .await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    // A deleted original leaves the quote with a gap and the count with the quote's
    // author's tweet gone.
    let resp = app
        .delete(&format!("/api/tweets/{quote_id}"), Some(&bob))
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.tweet(&original, None).await["engagement"]["quotes"], 0);
}
