//! `starling migrate-store`: a SQLite data directory with tweets in every state, edits,
//! restores, replies, likes, retweets, views, drafts, sessions and idempotency keys,
//! copied into PostgreSQL, reads the same through the API of a PostgreSQL-backed server
//! (ids unchanged, tokens still valid, a retried create still answered from its key).

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use starling_postgres::testing::FreshDatabase;
use std::process::Command;
use std::time::Duration;
use support::{Client, Server, id_of};

/// Everything the API shows about `ids` to `token` (and to anyone), with velocities
/// removed (they depend on the minute they are read in).
async fn everything(client: &Client, token: &str, ids: &[String]) -> Value {
    let mut seen = serde_json::Map::new();
    for id in ids {
        for (what, path, who) in [
            ("tweet", format!("/api/tweets/{id}"), Some(token)),
            ("public", format!("/api/tweets/{id}"), None),
            (
                "versions",
                format!("/api/tweets/{id}/versions"),
                Some(token),
            ),
            ("events", format!("/api/tweets/{id}/events"), Some(token)),
        ] {
            let reply = client.get_reply(&path, who).await;
            seen.insert(
                format!("{what} {id}"),
                json!({"status": reply.status, "body": reply.body}),
            );
        }
    }
    for path in [
        "/api/tweets?limit=100",
        "/api/tweets?hashtag=moving&limit=100",
        "/api/me",
        "/api/users/@ada",
        "/api/users/@bob",
        "/api/users/@cy",
        "/api/users/@bob/tweets?limit=100&replies=true",
        "/api/users/@ada/tweets?limit=100",
        "/api/users/@ada/followers",
        "/api/me/follow-requests",
        "/api/me/blocks",
    ] {
        let reply = client.get_reply(path, Some(token)).await;
        seen.insert(
            path.to_string(),
            json!({"status": reply.status, "body": reply.body}),
        );
    }
    let mut stats = client.stats().await;
    seen.insert(
        "totals".into(),
        json!([stats["tweets"].take(), stats["engagement"].take()]),
    );
    let mut all = Value::Object(seen);
    strip_velocity(&mut all);
    all
}

fn strip_velocity(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("velocity");
            map.remove("createdPerSecond");
            map.values_mut().for_each(strip_velocity);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_velocity),
        _ => {}
    }
}

fn migrate(from: &std::path::Path, to: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_starling"))
        .args(["migrate-store", "--from"])
        .arg(from)
        .env("STARLING_DATABASE_URL", to)
        .env("STARLING_LOG", "warn")
        .output()
        .expect("run starling migrate-store")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_directory_moves_to_postgres_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    let app = server.client();
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;

    let mut ids = Vec::new();
    let published = id_of(&app.post_tweet(&ada, "moving day #moving").await);
    let edited = id_of(&app.post_tweet(&ada, "first words #moving").await);
    app.edit(&ada, &edited, "second words #moving").await;
    app.edit(&ada, &edited, "third words").await;
    let restored = app
        .send_json(
            reqwest::Method::POST,
            &format!("/api/tweets/{edited}/restore"),
            Some(&ada),
            &json!({"version": 1}),
        )
        .await;
    assert_eq!(restored.status(), StatusCode::OK);
    let draft = id_of(&app.post_draft(&ada, "a draft, never published").await);
    let published_draft = id_of(&app.post_draft(&ada, "a draft, then published").await);
    app.transition(&ada, &published_draft, "publish").await;
    let archived = id_of(&app.post_tweet(&ada, "to the archive").await);
    app.transition(&ada, &archived, "archive").await;
    let deleted = id_of(&app.post_tweet(&ada, "gone").await);
    assert_eq!(
        app.delete(&format!("/api/tweets/{deleted}"), Some(&ada))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let reply = app
        .create(&bob, &json!({"content": "a reply", "replyToId": published}))
        .await;
    let reply = id_of(&reply);
    app.engage(&bob, &published, "like").await;
    app.engage(&bob, &edited, "retweet").await;
    app.engage(&ada, &reply, "like").await;
    app.engage(&bob, &published, "view").await;
    // The social graph and what rests on it: a profile, follows, a request, a block, a
    // followers-only tweet, a retweet entry and a quote.
    let (_, cy) = app.register("cy").await;
    for (token, body) in [
        (&ada, json!({"bio": "moving house", "protected": true})),
        (&cy, json!({"displayName": "Cy"})),
    ] {
        let resp = app
            .send_json(reqwest::Method::PATCH, "/api/me", Some(token), &body)
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    for (token, path) in [
        (&bob, "/api/users/@ada/follow"),
        (&cy, "/api/users/@ada/follow"),
        (&ada, "/api/users/@cy/mute"),
    ] {
        assert_eq!(
            app.post_empty(path, Some(token)).await.status(),
            StatusCode::OK
        );
    }
    let bob_id = app.get_ok("/api/users/@bob", None).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let accept = format!("/api/me/follow-requests/{bob_id}/accept");
    assert_eq!(
        app.post_empty(&accept, Some(&ada)).await.status(),
        StatusCode::OK
    );
    let private = id_of(&app.post_tweet(&ada, "for my followers").await);
    let retweet = app
        .post_empty(&format!("/api/tweets/{published}/retweet"), Some(&bob))
        .await;
    assert_eq!(retweet.status(), StatusCode::CREATED);
    let quote = app
        .create(&bob, &json!({"content": "quoting", "quoteOfId": published}))
        .await;
    let social = [private, id_of(&quote)];
    let keyed = app
        .request(reqwest::Method::POST, "/api/tweets", Some(&bob))
        .header("Idempotency-Key", "move-1")
        .json(&json!({"content": "posted with a key"}))
        .send()
        .await
        .unwrap();
    assert_eq!(keyed.status(), StatusCode::CREATED);
    let keyed: Value = keyed.json().await.unwrap();
    ids.extend([
        published,
        edited,
        draft,
        published_draft,
        archived,
        deleted,
        reply.clone(),
    ]);
    ids.push(id_of(&keyed));
    ids.extend(social);

    let before = everything(&app, &ada, &ids).await;
    // What is compared is not empty: the liked tweet, the draft, the deleted one.
    let tweet = |id: &str| before[format!("tweet {id}")].clone();
    assert_eq!(
        tweet(&ids[0])["body"]["engagement"]["likes"],
        1,
        "{before:#}"
    );
    assert_eq!(
        tweet(&ids[0])["body"]["engagement"]["views"],
        1,
        "{before:#}"
    );
    assert_eq!(tweet(&ids[1])["body"]["version"], 4, "{before:#}");
    assert_eq!(tweet(&ids[2])["body"]["state"], "draft");
    assert_eq!(tweet(&ids[5])["status"], 404);
    assert_eq!(before["/api/users/@ada"]["body"]["bio"], "moving house");
    assert_eq!(before["/api/users/@ada"]["body"]["counts"]["followers"], 1);
    assert_eq!(tweet(&ids[8])["body"]["visibility"], "followers");
    server.terminate();
    assert!(server.wait_exit(Duration::from_secs(20)).success());

    let db = FreshDatabase::create().await;
    let out = migrate(dir.path(), &db.url);
    let log = String::from_utf8_lossy(&out.stderr);
    println!("{log}");
    assert!(out.status.success(), "migrate-store failed:\n{log}");
    assert!(log.contains("verified"), "{log}");
    assert!(
        !log.contains(&db.url),
        "the URL (a secret) was printed:\n{log}"
    );
    for table in [
        "users",
        "sessions",
        "bodies",
        "tweets",
        "tweet_events",
        "likes",
        "idempotency_keys",
    ] {
        assert!(log.contains(table), "no report for {table}:\n{log}");
    }

    // A second run refuses: the target is not empty.
    let again = migrate(dir.path(), &db.url);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

    let pg_dir = tempfile::tempdir().unwrap();
    let pg_server = Server::start_with(
        pg_dir.path(),
        &[
            ("STARLING_RATE_LIMIT", "off"),
            ("STARLING_STORE", "postgres"),
            ("STARLING_DATABASE_URL", &db.url),
        ],
    );
    let moved = pg_server.client();
    let after = everything(&moved, &ada, &ids).await;
    assert_eq!(before, after, "the API reads differently after the move");

    // Sessions moved (the old token works), and so did the idempotency key.
    let retried = moved
        .request(reqwest::Method::POST, "/api/tweets", Some(&bob))
        .header("Idempotency-Key", "move-1")
        .json(&json!({"content": "posted with a key"}))
        .send()
        .await
        .unwrap();
    assert_eq!(retried.status(), StatusCode::CREATED);
    let retried: Value = retried.json().await.unwrap();
    assert_eq!(retried["id"], keyed["id"], "the key's tweet, not a new one");
    // And the moved database goes on: new writes, new ids.
    let new = moved.post_tweet(&ada, "first words on PostgreSQL").await;
    assert!(new["id"].as_str().unwrap().parse::<i64>().unwrap() > 0);
}
