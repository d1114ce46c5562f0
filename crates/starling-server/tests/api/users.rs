//! Profiles and the social graph over HTTP (docs/API.md, "Users"): profiles by id and
//! `@username`, profile edits, follows and requests, blocks, mutes, lists with cursors,
//! prefix search, and exact counts under concurrent follows.

use crate::support::{TestApp, expect_error, expect_status, id_of, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn call(app: &TestApp, method: Method, path: &str, token: &str) -> Value {
    app.expect(method, path, Some(token), None, StatusCode::OK)
        .await
}

async fn follow(app: &TestApp, token: &str, who: &str) -> Value {
    call(
        app,
        Method::POST,
        &format!("/api/users/{who}/follow"),
        token,
    )
    .await
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_by_id_and_username_with_counts_and_relationship() {
    let app = spawn(|_| {}).await;
    let (ada, ada_token) = app.register("ada").await;
    let (bob, bob_token) = app.register("bob").await;
    let ada_id = ada["id"].as_str().unwrap();
    app.post_tweet(&ada_token, "hello").await;
    app.post_draft(&ada_token, "not counted").await;

    let by_id = app.get_ok(&format!("/api/users/{ada_id}"), None).await;
    let by_name = app.get_ok("/api/users/@ADA", None).await;
    assert_eq!(by_id, by_name);
    assert_eq!(by_id["username"], "ada");
    assert_eq!(by_id["bio"], "");
    assert_eq!(by_id["protected"], false);
    assert_eq!(
        by_id["counts"],
        json!({"followers": 0, "following": 0, "tweets": 1})
    );
    assert!(
        by_id.get("relationship").is_none(),
        "anonymous: no relationship"
    );
    let own = app
        .get_ok(&format!("/api/users/{ada_id}"), Some(&ada_token))
        .await;
    assert!(
        own.get("relationship").is_none(),
        "oneself: no relationship"
    );

    follow(&app, &bob_token, "@ada").await;
    let seen_by_bob = app.get_ok("/api/users/@ada", Some(&bob_token)).await;
    assert_eq!(
        seen_by_bob["relationship"],
        json!({"following": true, "followedBy": false, "requested": false,
               "blocking": false, "blockedBy": false, "muting": false})
    );
    assert_eq!(seen_by_bob["counts"]["followers"], 1);
    let bob_profile = app
        .get_ok(&format!("/api/users/{}", bob["id"].as_str().unwrap()), None)
        .await;
    assert_eq!(bob_profile["counts"]["following"], 1);

    // Missing, malformed: the same 404.
    for path in [
        "/api/users/@nobody",
        "/api/users/123",
        "/api/users/@",
        "/api/users/x1",
    ] {
        expect_error(
            app.get(path, None).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_edit_shows_everywhere_and_bad_fields_are_named() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let tweet = app.post_tweet(&ada, "before the rename").await;
    let id = id_of(&tweet);
    app.tweet(&id, None).await; // cached now
    let patched = app
        .expect(
            Method::PATCH,
            "/api/me",
            Some(&ada),
            Some(&json!({"displayName": "Ada Lovelace", "bio": "Analytical engines 中文"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(patched["displayName"], "Ada Lovelace");
    assert_eq!(patched["bio"], "Analytical engines 中文");
    assert_eq!(
        app.tweet(&id, None).await["author"]["displayName"],
        "Ada Lovelace"
    );
    assert_eq!(
        app.get_ok("/api/me", Some(&ada)).await["displayName"],
        "Ada Lovelace"
    );

    let too_long = json!({"bio": "中".repeat(81)});
    let resp = app
        .send_json(Method::PATCH, "/api/me", Some(&ada), &too_long)
        .await;
    let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error["field"], "bio");
    let resp = app
        .send_json(
            Method::PATCH,
            "/api/me",
            Some(&ada),
            &json!({"displayName": ""}),
        )
        .await;
    let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error["field"], "displayName");
    let resp = app
        .send_json(
            Method::PATCH,
            "/api/me",
            Some(&ada),
            &json!({"username": "eve"}),
        )
        .await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let resp = app
        .send_json(Method::PATCH, "/api/me", None, &json!({"bio": "x"}))
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Nothing of the refused edits landed.
    assert_eq!(
        app.get_ok("/api/users/@ada", None).await["bio"],
        "Analytical engines 中文"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follows_unfollows_and_lists_page_newest_first() {
    let app = spawn(|_| {}).await;
    let (_, star) = app.register("star").await;
    let mut fans = Vec::new();
    for i in 0..5 {
        let (user, token) = app.register(&format!("fan{i}")).await;
        follow(&app, &token, "@star").await;
        fans.push((user["id"].as_str().unwrap().to_string(), token));
    }
    // Twice changes nothing.
    let again = follow(&app, &fans[0].1, "@star").await;
    assert_eq!(again["following"], true);
    assert_eq!(
        app.get_ok("/api/users/@star", None).await["counts"]["followers"],
        5
    );

    let first = app.get_ok("/api/users/@star/followers?limit=2", None).await;
    let cursor = first["nextCursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let second = app
        .get_ok(
            &format!("/api/users/@star/followers?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    let cursor = second["nextCursor"]
        .as_str()
        .expect("a third page")
        .to_string();
    let third = app
        .get_ok(
            &format!("/api/users/@star/followers?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    assert!(third["nextCursor"].is_null());
    let listed: Vec<String> = [ids(&first), ids(&second), ids(&third)].concat();
    let expected: Vec<String> = fans.iter().rev().map(|(id, _)| id.clone()).collect();
    assert_eq!(listed, expected, "newest first, each once");
    let following = app.get_ok("/api/users/@fan0/following", None).await;
    assert_eq!(following["items"][0]["username"], "star");
    assert!(following["items"][0]["since"].is_string());

    let unfollowed = call(&app, Method::DELETE, "/api/users/@star/follow", &fans[0].1).await;
    assert_eq!(unfollowed["following"], false);
    assert_eq!(
        app.get_ok("/api/users/@star", None).await["counts"]["followers"],
        4
    );

    let resp = app
        .send(Method::POST, "/api/users/@star/follow", Some(&star))
        .await;
    let error = expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(error["field"], "user");
    let resp = app
        .send(Method::POST, "/api/users/@ghost/follow", Some(&star))
        .await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    let resp = app
        .get("/api/users/@star/followers?cursor=t0000000000000000", None)
        .await;
    expect_error(resp, StatusCode::BAD_REQUEST, "invalid_cursor").await;
    let resp = app
        .send(Method::POST, "/api/users/@star/follow", None)
        .await;
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protected_accounts_approve_their_followers() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (bob, bob_token) = app.register("bob").await;
    let (cy, cy_token) = app.register("cy").await;
    let bob_id = bob["id"].as_str().unwrap();
    let cy_id = cy["id"].as_str().unwrap();
    app.expect(
        Method::PATCH,
        "/api/me",
        Some(&ada),
        Some(&json!({"protected": true})),
        StatusCode::OK,
    )
    .await;

    let asked = follow(&app, &bob_token, "@ada").await;
    assert_eq!(
        (asked["following"].clone(), asked["requested"].clone()),
        (json!(false), json!(true))
    );
    follow(&app, &cy_token, "@ada").await;
    let waiting = app.get_ok("/api/me/follow-requests", Some(&ada)).await;
    assert_eq!(ids(&waiting), vec![cy_id.to_string(), bob_id.to_string()]);
    // A protected account's lists are for its followers.
    let resp = app.get("/api/users/@ada/followers", Some(&bob_token)).await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;

    let accepted = call(
        &app,
        Method::POST,
        &format!("/api/me/follow-requests/{bob_id}/accept"),
        &ada,
    )
    .await;
    assert_eq!(accepted["followedBy"], true);
    let rejected = call(
        &app,
        Method::POST,
        &format!("/api/me/follow-requests/{cy_id}/reject"),
        &ada,
    )
    .await;
    assert_eq!(rejected["followedBy"], false);
    let resp = app
        .send(
            Method::POST,
            &format!("/api/me/follow-requests/{cy_id}/accept"),
            Some(&ada),
        )
        .await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    let resp = app
        .send(
            Method::POST,
            "/api/me/follow-requests/abc/accept",
            Some(&ada),
        )
        .await;
    expect_error(resp, StatusCode::BAD_REQUEST, "invalid_id").await;
    // Answering oneself: there is no such request.
    let ada_id = app.get_ok("/api/me", Some(&ada)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = app
        .send(
            Method::POST,
            &format!("/api/me/follow-requests/{ada_id}/reject"),
            Some(&ada),
        )
        .await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;

    let followers = app
        .get_ok("/api/users/@ada/followers", Some(&bob_token))
        .await;
    assert_eq!(ids(&followers), vec![bob_id.to_string()]);
    assert_eq!(
        app.get_ok("/api/users/@ada", None).await["counts"]["followers"],
        1
    );
    // Withdrawing a request.
    follow(&app, &cy_token, "@ada").await;
    let withdrawn = call(&app, Method::DELETE, "/api/users/@ada/follow", &cy_token).await;
    assert_eq!(withdrawn["requested"], false);
    assert!(ids(&app.get_ok("/api/me/follow-requests", Some(&ada)).await).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_cut_follows_both_ways_and_mutes_are_listed() {
    let app = spawn(|_| {}).await;
    let (_, ada) = app.register("ada").await;
    let (bob, bob_token) = app.register("bob").await;
    follow(&app, &ada, "@bob").await;
    follow(&app, &bob_token, "@ada").await;

    let blocked = call(&app, Method::POST, "/api/users/@bob/block", &ada).await;
    assert_eq!(
        blocked,
        json!({"following": false, "followedBy": false, "requested": false,
               "blocking": true, "blockedBy": false, "muting": false})
    );
    for name in ["ada", "bob"] {
        let counts = app.get_ok(&format!("/api/users/@{name}"), None).await["counts"].clone();
        assert_eq!(
            counts,
            json!({"followers": 0, "following": 0, "tweets": 0}),
            "{name}"
        );
    }
    let resp = app
        .send(Method::POST, "/api/users/@ada/follow", Some(&bob_token))
        .await;
    expect_error(resp, StatusCode::FORBIDDEN, "blocked").await;
    assert_eq!(
        app.get_ok("/api/users/@ada", Some(&bob_token)).await["relationship"]["blockedBy"],
        true
    );
    let resp = app.get("/api/users/@ada/following", Some(&bob_token)).await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        ids(&app.get_ok("/api/me/blocks", Some(&ada)).await),
        vec![bob["id"].as_str().unwrap().to_string()]
    );
    // Search leaves the blocked out, both ways.
    assert!(
        app.get_ok("/api/users?prefix=bo", Some(&ada)).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.get_ok("/api/users?prefix=bo", None).await["items"][0]["username"],
        "bob"
    );

    call(&app, Method::DELETE, "/api/users/@bob/block", &ada).await;
    follow(&app, &bob_token, "@ada").await;
    let muted = call(&app, Method::POST, "/api/users/@bob/mute", &ada).await;
    assert_eq!(
        (muted["muting"].clone(), muted["followedBy"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(
        app.get_ok("/api/me/mutes", Some(&ada)).await["items"][0]["username"],
        "bob"
    );
    let unmuted = call(&app, Method::DELETE, "/api/users/@bob/mute", &ada).await;
    assert_eq!(unmuted["muting"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_completes_prefixes_and_refuses_bad_ones() {
    let app = spawn(|_| {}).await;
    for name in ["alice", "alfred", "bob", "al_x"] {
        app.register(name).await;
    }
    let found = app.get_ok("/api/users?prefix=AL", None).await;
    let names: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["al_x", "alfred", "alice"]);
    assert_eq!(
        app.get_ok("/api/users?prefix=@bo", None).await["items"][0]["username"],
        "bob"
    );
    assert!(
        app.get_ok("/api/users?prefix=a%25", None).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for bad in [
        "/api/users",
        "/api/users?prefix=",
        "/api/users?prefix=%20%20",
    ] {
        let resp = app.get(bad, None).await;
        expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_follows_of_one_account_count_exactly() {
    let app = spawn(|_| {}).await;
    app.register("star").await;
    let mut tokens = Vec::new();
    for i in 0..30 {
        tokens.push(app.register(&format!("fan{i}")).await.1);
    }
    let mut tasks = Vec::new();
    for (i, token) in tokens.into_iter().enumerate() {
        let client = (*app).clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..2 {
                let resp = client
                    .send(Method::POST, "/api/users/@star/follow", Some(&token))
                    .await;
                expect_status(resp, StatusCode::OK).await;
            }
            if i % 5 == 0 {
                let resp = client
                    .send(Method::DELETE, "/api/users/@star/follow", Some(&token))
                    .await;
                expect_status(resp, StatusCode::OK).await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let star = app.get_ok("/api/users/@star", None).await;
    assert_eq!(star["counts"]["followers"], 24);
    let listed = app
        .get_ok("/api/users/@star/followers?limit=100", None)
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 24);
}
