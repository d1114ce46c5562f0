//! Home timelines (docs/API.md, "Home timeline"): fan-out on write, the read-time merge
//! of authors over the threshold, follow backfill, and a randomized check of every
//! user's timeline against an oracle.

use crate::support::{Account, Client, TestApp, eventually, expect_status, id_of, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Duration;

/// Every id of `token`'s home timeline, paging with `limit`.
async fn home_ids(client: &Client, token: &str, limit: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..200 {
        let path = match &cursor {
            Some(c) => format!("/api/timelines/home?limit={limit}&cursor={c}"),
            None => format!("/api/timelines/home?limit={limit}"),
        };
        let page = client.get_ok(&path, Some(token)).await;
        assert_eq!(page["partial"], false, "{page}");
        for item in page["items"].as_array().expect("items") {
            ids.push(id_of(item));
        }
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return ids,
        }
    }
    panic!("the home timeline did not end");
}

/// Wait until `token`'s home timeline is `expected` (deliveries are asynchronous).
async fn until_home(client: &Client, token: &str, expected: &[String], what: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let got = home_ids(client, token, 7).await;
        if got == expected {
            return;
        }
        if tokio::time::Instant::now() > deadline {
            assert_eq!(got, expected, "{what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn act(client: &Client, token: &str, who: &str, action: &str) -> u16 {
    let method = match action {
        "unfollow" | "unblock" | "unmute" => Method::DELETE,
        _ => Method::POST,
    };
    let path = match action {
        "unfollow" => format!("/api/users/{who}/follow"),
        "unblock" => format!("/api/users/{who}/block"),
        "unmute" => format!("/api/users/{who}/mute"),
        _ => format!("/api/users/{who}/{action}"),
    };
    client.must(method, &path, Some(token), None).await.status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_holds_followees_and_own_and_follows_the_graph() {
    let app = spawn(|_| {}).await;
    let c = app.client();
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, cy) = app.register("cy").await;
    let empty = c.get_ok("/api/timelines/home", Some(&bob)).await;
    assert_eq!(
        empty,
        json!({"items": [], "nextCursor": null, "partial": false})
    );
    assert_eq!(act(&c, &bob, "@ada", "follow").await, 200);
    let a1 = id_of(&app.post_tweet(&ada, "ada one").await);
    let c1 = id_of(&app.post_tweet(&cy, "cy one").await);
    let b1 = id_of(&app.post_tweet(&bob, "bob one").await);
    until_home(&c, &bob, &[b1.clone(), a1.clone()], "followee and own").await;
    // Following backfills; the order is by time, whenever delivered.
    assert_eq!(act(&c, &bob, "@cy", "follow").await, 200);
    until_home(
        &c,
        &bob,
        &[b1.clone(), c1.clone(), a1.clone()],
        "after follow",
    )
    .await;
    // Retweets by followees enter as entries of their own.
    let rt = expect_status(
        c.post_empty(&format!("/api/tweets/{a1}/retweet"), Some(&cy))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let rt = id_of(&rt);
    until_home(
        &c,
        &bob,
        &[rt.clone(), b1.clone(), c1.clone(), a1.clone()],
        "retweet",
    )
    .await;
    let page = c.get_ok("/api/timelines/home", Some(&bob)).await;
    assert_eq!(page["items"][0]["kind"], "retweet");
    assert_eq!(page["items"][0]["retweetOf"]["id"], a1.as_str());
    // Edits show without a new delivery; deletion and archiving take effect at once.
    app.edit(&ada, &a1, "ada one, edited").await;
    let page = c.get_ok("/api/timelines/home", Some(&bob)).await;
    assert_eq!(page["items"][3]["content"], "ada one, edited");
    app.transition(&cy, &c1, "archive").await;
    until_home(&c, &bob, &[rt.clone(), b1.clone(), a1.clone()], "archived").await;
    // Unfollow, mute and block take effect on the next read.
    assert_eq!(act(&c, &bob, "@ada", "unfollow").await, 200);
    until_home(&c, &bob, &[rt.clone(), b1.clone()], "unfollowed ada").await;
    assert_eq!(act(&c, &bob, "@cy", "mute").await, 200);
    until_home(&c, &bob, std::slice::from_ref(&b1), "muted cy").await;
    assert_eq!(act(&c, &bob, "@cy", "unmute").await, 200);
    until_home(&c, &bob, &[rt.clone(), b1.clone()], "unmuted cy").await;
    assert_eq!(act(&c, &cy, "@bob", "block").await, 200);
    until_home(&c, &bob, std::slice::from_ref(&b1), "blocked by cy").await;
    // Anonymous callers have no home.
    let anonymous = c.get("/api/timelines/home", None).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // The public timeline is the latest public tweets.
    let public = c.get_ok("/api/timelines/public?limit=2", None).await;
    assert_eq!(public["items"][0]["id"], b1.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_neither_skip_nor_repeat_while_tweets_arrive() {
    let app = spawn(|_| {}).await;
    let c = app.client();
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    assert_eq!(act(&c, &bob, "@ada", "follow").await, 200);
    let mut posted = Vec::new();
    for i in 0..30 {
        posted.push(id_of(&app.post_tweet(&ada, &format!("tweet {i}")).await));
    }
    posted.reverse();
    until_home(&c, &bob, &posted, "thirty").await;
    // Page while new ones arrive: the pages continue where they were, and the new ones
    // are above the first page.
    let first = c.get_ok("/api/timelines/home?limit=10", Some(&bob)).await;
    let mut seen: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    let mut cursor = first["nextCursor"].as_str().unwrap().to_owned();
    loop {
        app.post_tweet(&ada, "meanwhile").await;
        let page = c
            .get_ok(
                &format!("/api/timelines/home?limit=10&cursor={cursor}"),
                Some(&bob),
            )
            .await;
        seen.extend(page["items"].as_array().unwrap().iter().map(id_of));
        match page["nextCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, posted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authors_over_the_threshold_are_merged_when_read_and_lose_nothing_crossing_it() {
    let app = spawn(|c| c.engine.home.merge_threshold = 2).await;
    let c = app.client();
    let (_, star) = app.register("star").await;
    let mut fans = Vec::new();
    for name in ["fan1", "fan2", "fan3"] {
        let (_, token) = app.register(name).await;
        assert_eq!(act(&c, &token, "@star", "follow").await, 200);
        fans.push(token);
    }
    // Three followers, over the threshold of two: merged at read time.
    let s1 = id_of(&app.post_tweet(&star, "to many").await);
    for fan in &fans {
        until_home(&c, fan, std::slice::from_ref(&s1), "merged").await;
    }
    let stats = c.get_ok("/api/tweets/system/stats", None).await;
    assert!(stats["home"]["backlog"].is_u64(), "{stats}");
    // Two unfollow: back under nine tenths of the threshold, the next post delivers
    // what was merged, and nothing goes missing or doubles.
    assert_eq!(act(&c, &fans[1], "@star", "unfollow").await, 200);
    assert_eq!(act(&c, &fans[2], "@star", "unfollow").await, 200);
    let s2 = id_of(&app.post_tweet(&star, "to few").await);
    until_home(&c, &fans[0], &[s2.clone(), s1.clone()], "crossed down").await;
    until_home(&c, &fans[1], &[], "unfollowed").await;
    // And up again.
    assert_eq!(act(&c, &fans[1], "@star", "follow").await, 200);
    assert_eq!(act(&c, &fans[2], "@star", "follow").await, 200);
    let s3 = id_of(&app.post_tweet(&star, "to many again").await);
    for fan in &fans {
        until_home(&c, fan, &[s3.clone(), s2.clone(), s1.clone()], "crossed up").await;
    }
}

/// A small deterministic generator (xorshift), so a failure repeats with its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[derive(Clone)]
struct Posted {
    author: usize,
    visibility: &'static str,
    /// For a retweet entry: the original's index.
    original: Option<usize>,
    alive: bool,
}

/// The model the API is checked against: who follows, blocks and mutes whom, and what
/// was posted, in the order it entered view (a draft when it was published).
#[derive(Default)]
struct Oracle {
    follows: HashSet<(usize, usize)>,
    blocks: HashSet<(usize, usize)>,
    mutes: HashSet<(usize, usize)>,
    posts: Vec<(String, Posted)>,
    /// Drafts written and not yet published.
    drafts: Vec<(String, Posted)>,
}

impl Oracle {
    /// `a` did `action` about `b`, and the server took it.
    fn apply(&mut self, a: usize, b: usize, action: &str) {
        match action {
            "follow" => {
                self.follows.insert((a, b));
            }
            "unfollow" => {
                self.follows.remove(&(a, b));
            }
            "block" => {
                self.blocks.insert((a, b));
                self.follows.remove(&(a, b));
                self.follows.remove(&(b, a));
            }
            "unblock" => {
                self.blocks.remove(&(a, b));
            }
            "mute" => {
                self.mutes.insert((a, b));
            }
            _ => {
                self.mutes.remove(&(a, b));
            }
        }
    }

    fn blocked(&self, a: usize, b: usize) -> bool {
        self.blocks.contains(&(a, b)) || self.blocks.contains(&(b, a))
    }

    /// Whether `viewer` may see `p` in a list (the policy, written out again).
    fn listable(&self, viewer: usize, p: &Posted) -> bool {
        if !p.alive {
            return false;
        }
        if p.author == viewer {
            return true;
        }
        !self.blocked(viewer, p.author)
            && !self.mutes.contains(&(viewer, p.author))
            && (p.visibility != "followers" || self.follows.contains(&(viewer, p.author)))
    }

    /// Newest first by when each entered view: a draft published later comes before
    /// what was posted after it was written.
    fn home(&self, viewer: usize) -> Vec<String> {
        self.posts
            .iter()
            .rev()
            .filter(|(_, p)| p.author == viewer || self.follows.contains(&(viewer, p.author)))
            .filter(|(_, p)| self.listable(viewer, p))
            .filter(|(_, p)| match p.original {
                Some(o) => self.listable(viewer, &self.posts[o].1),
                None => true,
            })
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// Random follows, blocks, mutes, tweets of every visibility, replies, retweets and
/// deletions, with authors crossing a small merge threshold both ways; then every
/// user's home timeline, paged, equals the oracle's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_home_timeline_equals_the_oracle() {
    let app = spawn(|c| c.engine.home.merge_threshold = 4).await;
    against_the_oracle(&app).await;
}

/// The same with the stored timelines in Redis (as a cluster keeps them), and Redis
/// losing them all between rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_home_timeline_equals_the_oracle_with_timelines_in_redis() {
    let mut redis = crate::support::cluster::RedisServer::start();
    let url = redis.url();
    let app = spawn(|c| {
        c.engine.home.merge_threshold = 4;
        c.redis = Some(serde_json::from_value(json!({ "url": url })).expect("a redis config"));
    })
    .await;
    // Wait for the node to reach Redis (it connects in the background).
    eventually(Duration::from_secs(10), "the node linked to redis", || {
        let c = app.client();
        async move {
            let stats = c.get_ok("/api/tweets/system/stats", None).await;
            // Timelines in Redis (not this process's memory), and Redis reached.
            (stats["home"]["timelines"].is_null() && stats["node"]["linked"] == true).then_some(())
        }
    })
    .await;
    let (users, oracle) = run_oracle(&app).await;
    // Redis loses every stored timeline: each is rebuilt when read, the same.
    redis.stop();
    redis.resume();
    let c = app.client();
    for (i, user) in users.iter().enumerate() {
        until_home(
            &c,
            &user.token,
            &oracle.home(i),
            &format!("after redis lost user{i}'s timeline"),
        )
        .await;
    }
}

async fn against_the_oracle(app: &TestApp) {
    run_oracle(app).await;
}

async fn run_oracle(app: &TestApp) -> (Vec<Account>, Oracle) {
    let seed = std::env::var("STARLING_HOME_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_u64);
    let c = app.client();
    let mut users: Vec<Account> = Vec::new();
    for i in 0..10 {
        users.push(c.account(&format!("user{i}")).await);
    }
    let mut rng = Rng(seed);
    let mut oracle = Oracle::default();
    for round in 0..3 {
        for _ in 0..120 {
            let (a, b) = (rng.below(users.len()), rng.below(users.len()));
            let (ua, ub) = (&users[a], &users[b]);
            let op = rng.below(20);
            let graph = match op {
                0..=5 => Some("follow"),
                6 => Some("unfollow"),
                7 if rng.below(3) == 0 => Some("block"),
                8 => Some("unblock"),
                9 => Some("mute"),
                10 => Some("unmute"),
                _ => None,
            };
            if let Some(action) = graph.filter(|_| a != b) {
                if act(&c, &ua.token, &ub.id, action).await == 200 {
                    oracle.apply(a, b, action);
                }
                continue;
            }
            match op {
                11..=14 | 18 => {
                    // A tweet, or (18) a draft, published some time later (or never).
                    let draft = op == 18;
                    let visibility = match draft {
                        false => ["public", "unlisted", "followers"][rng.below(3)],
                        true => ["public", "followers"][rng.below(2)],
                    };
                    let body = json!({"content": format!("post {round} {a}"), "visibility": visibility, "draft": draft});
                    let reply = c
                        .must(Method::POST, "/api/tweets", Some(&ua.token), Some(body))
                        .await;
                    assert_eq!(reply.status, 201, "{:?}", reply.body);
                    let written = match draft {
                        false => &mut oracle.posts,
                        true => &mut oracle.drafts,
                    };
                    written.push((
                        id_of(&reply.body),
                        Posted {
                            author: a,
                            visibility,
                            original: None,
                            alive: true,
                        },
                    ));
                }
                15 | 16 if !oracle.posts.is_empty() => {
                    // A reply (its visibility is its parent's) or a retweet, when allowed.
                    let target = rng.below(oracle.posts.len());
                    let (target_id, target_post) = oracle.posts[target].clone();
                    if target_post.original.is_some() {
                        continue;
                    }
                    if rng.below(2) == 0 {
                        let body = json!({"content": format!("reply {round} {a}"), "replyToId": target_id});
                        let reply = c
                            .must(Method::POST, "/api/tweets", Some(&ua.token), Some(body))
                            .await;
                        if reply.status == 201 {
                            let visibility = match reply.body["visibility"].as_str().unwrap() {
                                "public" => "public",
                                "unlisted" => "unlisted",
                                _ => "followers",
                            };
                            oracle.posts.push((
                                id_of(&reply.body),
                                Posted {
                                    author: a,
                                    visibility,
                                    original: None,
                                    alive: true,
                                },
                            ));
                        }
                    } else {
                        let reply = c
                            .must(
                                Method::POST,
                                &format!("/api/tweets/{target_id}/retweet"),
                                Some(&ua.token),
                                None,
                            )
                            .await;
                        if reply.status == 201 {
                            oracle.posts.push((
                                id_of(&reply.body),
                                Posted {
                                    author: a,
                                    visibility: target_post.visibility,
                                    original: Some(target),
                                    alive: true,
                                },
                            ));
                        }
                    }
                }
                19 if !oracle.drafts.is_empty() => {
                    let (id, draft) = oracle.drafts.swap_remove(rng.below(oracle.drafts.len()));
                    let reply = c
                        .must(
                            Method::POST,
                            &format!("/api/tweets/{id}/publish"),
                            Some(&users[draft.author].token),
                            None,
                        )
                        .await;
                    assert_eq!(reply.status, 200, "{:?}", reply.body);
                    oracle.posts.push((id, draft));
                }
                17 if !oracle.posts.is_empty() => {
                    let target = rng.below(oracle.posts.len());
                    let (id, post) = oracle.posts[target].clone();
                    if post.alive && post.original.is_none() {
                        let token = &users[post.author].token;
                        let reply = c
                            .must(
                                Method::DELETE,
                                &format!("/api/tweets/{id}"),
                                Some(token),
                                None,
                            )
                            .await;
                        assert_eq!(reply.status, 204, "{:?}", reply.body);
                        oracle.posts[target].1.alive = false;
                    }
                }
                _ => {}
            }
        }
        for (i, user) in users.iter().enumerate() {
            let expected = oracle.home(i);
            until_home(
                &c,
                &user.token,
                &expected,
                &format!("seed {seed:#x}, round {round}, user{i}"),
            )
            .await;
        }
    }
    // Some draft was published after tweets written later than it: the order of entering
    // view is not the order of ids, so the check above tells them apart.
    let id = |i: usize| oracle.posts[i].0.parse::<i64>().unwrap();
    assert!(
        (1..oracle.posts.len()).any(|i| id(i) < id(i - 1)),
        "a draft published later"
    );
    // Some authors were merged at some point, and some were not.
    let followers: HashMap<usize, usize> =
        oracle.follows.iter().fold(HashMap::new(), |mut m, (_, b)| {
            *m.entry(*b).or_default() += 1;
            m
        });
    let over: BTreeSet<usize> = followers
        .iter()
        .filter(|(_, n)| **n > 4)
        .map(|(u, _)| *u)
        .collect();
    assert!(
        !over.is_empty() && over.len() < users.len(),
        "the graph crosses the threshold: {followers:?}"
    );
    (users, oracle)
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text message, within a deadline.
async fn next_text(ws: &mut Ws) -> Value {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let m = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message in time")
            .expect("open")
            .expect("a frame");
        if let Message::Text(t) = m {
            return serde_json::from_str(&t).expect("JSON");
        }
    }
}

/// Followers' live `home` streams get each new entry as they would see it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_stream_sends_new_entries_to_followers() {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let app: TestApp = spawn(|_| {}).await;
    let c = app.client();
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, cy) = app.register("cy").await;
    assert_eq!(act(&c, &bob, "@ada", "follow").await, 200);
    let (mut ws, _) =
        tokio_tungstenite::connect_async(c.ws_url(&format!("/api/stream?token={bob}")))
            .await
            .expect("connect");
    ws.send(Message::Text(
        r#"{"type":"subscribe","stream":"home"}"#.into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_text(&mut ws).await["type"], "subscribed");
    // Not followed: nothing; followed, followers-only: sent.
    app.post_tweet(&cy, "not for bob").await;
    let t = app
        .create(
            &ada,
            &json!({"content": "for followers", "visibility": "followers"}),
        )
        .await;
    let update = next_text(&mut ws).await;
    assert_eq!(update["type"], "home.update", "{update}");
    assert_eq!(update["data"]["id"], id_of(&t).as_str());
    assert_eq!(update["data"]["visibility"], "followers");
}

/// An empty home suggests whom to follow: the most followed first, never oneself, nor
/// anyone already followed, blocked either way or muted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_are_the_most_followed_not_yet_followed() {
    let app = spawn(|_| {}).await;
    let c = app.client();
    let (_, ada) = app.register("ada").await;
    let (_, bob) = app.register("bob").await;
    let (_, cy) = app.register("cy").await;
    let (_, dee) = app.register("dee").await;
    let (_, eve) = app.register("eve").await;
    for fan in [&bob, &cy, &eve] {
        assert_eq!(act(&c, fan, "@ada", "follow").await, 200);
    }
    for fan in [&cy, &eve] {
        assert_eq!(act(&c, fan, "@bob", "follow").await, 200);
    }
    assert_eq!(act(&c, &eve, "@cy", "follow").await, 200);
    let names = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["username"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = c.get_ok("/api/users/suggestions", Some(&dee)).await;
    assert_eq!(names(all.clone()), ["ada", "bob", "cy", "eve"]);
    assert_eq!(all["items"][0]["counts"]["followers"], 3);
    assert_eq!(act(&c, &dee, "@ada", "follow").await, 200);
    assert_eq!(act(&c, &dee, "@cy", "mute").await, 200);
    assert_eq!(act(&c, &eve, "@dee", "block").await, 200);
    let left = c.get_ok("/api/users/suggestions?limit=5", Some(&dee)).await;
    assert_eq!(names(left), ["bob"]);
    let one = c.get_ok("/api/users/suggestions?limit=1", Some(&ada)).await;
    assert_eq!(names(one), ["bob"]);
    let bad = c.get("/api/users/suggestions?limit=0", Some(&dee)).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        c.get("/api/users/suggestions", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
