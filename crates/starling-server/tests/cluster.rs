//! Three `starling` nodes on one PostgreSQL and one Redis, behind nginx: every promise
//! the API makes holds for a client whose requests reach any node (read your writes,
//! live events from every node exactly once, exact counts, cluster-wide rate limits),
//! and faults (a node killed with -9, Redis stopped, PostgreSQL stopped) lose nothing
//! acknowledged. Every wait is bounded.
//!
//! The tests run one at a time (each starts a cluster; two at once would only measure
//! the 2-core machine).

mod support;

use futures::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use starling_postgres::testing::FreshDatabase;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use support::cluster::{Cluster, OwnPostgres};
use support::{Client, eventually, id_of};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long any one expected event may take to arrive.
const EVENT_DEADLINE: Duration = Duration::from_secs(10);

async fn subscribe_all(client: &Client) -> Ws {
    let (mut ws, _) = tokio_tungstenite::connect_async(client.ws_url("/api/stream"))
        .await
        .expect("WebSocket handshake");
    let request = json!({"type": "subscribe", "all": true}).to_string();
    ws.send(Message::text(request)).await.expect("send");
    let ack = next_message(&mut ws, EVENT_DEADLINE)
        .await
        .expect("a subscription acknowledgement");
    assert_eq!(ack["type"], "subscribed", "{ack}");
    ws
}

/// The next JSON message within `within`, or `None`.
async fn next_message(ws: &mut Ws, within: Duration) -> Option<Value> {
    let read = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) => {
                    return serde_json::from_str::<Value>(&text).expect("JSON");
                }
                Some(Ok(_)) => continue,
                other => panic!("the stream ended: {other:?}"),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok()
}

/// Every message until `done` has seen what it waits for (or the deadline passes, which
/// fails), then whatever else arrives within a short grace (to catch duplicates).
async fn collect_until(
    ws: &mut Ws,
    what: &str,
    mut done: impl FnMut(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + EVENT_DEADLINE;
    let mut seen = Vec::new();
    while !done(&seen) {
        let left = deadline.saturating_duration_since(Instant::now());
        match next_message(ws, left).await {
            Some(message) => seen.push(message),
            None => panic!("timed out waiting for {what}; saw {seen:#?}"),
        }
    }
    while let Some(message) = next_message(ws, Duration::from_millis(500)).await {
        seen.push(message);
    }
    seen
}

fn count_of(messages: &[Value], kind: &str, id: &str) -> usize {
    messages
        .iter()
        .filter(|m| m["type"] == kind && m["data"]["id"] == id)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_on_any_node_sees_a_write_acknowledged_on_another() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    let cluster = Cluster::start(&db.url, 3, &[]);
    let (_, ada) = cluster.front().register("ada").await;
    let (_, bob) = cluster.front().register("bob").await;
    for round in 0..30 {
        let (a, b, c) = (round % 3, (round + 1) % 3, (round + 2) % 3);
        let tweet = cluster
            .node(a)
            .post_tweet(&ada, &format!("round {round}"))
            .await;
        let id = id_of(&tweet);
        // Created on one node, read at once on the next.
        let read = cluster.node(b).tweet(&id, None).await;
        assert_eq!(read["content"], format!("round {round}"));
        // Edited on a third node while the second has just read it.
        cluster
            .node(c)
            .edit(&ada, &id, &format!("round {round}, edited"))
            .await;
        let read = cluster.node(b).tweet(&id, None).await;
        assert_eq!(
            read["version"], 2,
            "node {b} served a stale version: {read}"
        );
        assert_eq!(read["content"], format!("round {round}, edited"));
        // Liked on one node, counted on every other.
        cluster.node(a).engage(&bob, &id, "like").await;
        for reader in [b, c] {
            let read = cluster.node(reader).tweet(&id, Some(&bob)).await;
            assert_eq!(read["engagement"]["likes"], 1, "node {reader}: {read}");
            assert_eq!(read["engagement"]["likedByCurrentUser"], true);
        }
        // Archived on one node: gone from public view on the others at once.
        cluster.node(b).transition(&ada, &id, "archive").await;
        let reply = cluster
            .node(c)
            .get_reply(&format!("/api/tweets/{id}"), None)
            .await;
        assert_eq!(reply.status, 404, "node {c} still shows an archived tweet");
    }
}

/// A quiet bus is pinged to check it is alive (every 5 s); the answer to a ping on a
/// subscribed connection is not the one of a plain connection, and reading it as one
/// dropped the subscription each time, losing what was published meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_stay_subscribed_through_a_quiet_bus() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    let cluster = Cluster::start(&db.url, 2, &[]);
    let mut stream = subscribe_all(&cluster.node(1)).await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    let logs = cluster.logs();
    assert!(
        !logs.contains("not hearing other nodes' events"),
        "a node lost its subscription while the bus was quiet:\n{logs}"
    );
    let (_, ada) = cluster.node(0).register("ada").await;
    let id = id_of(&cluster.node(0).post_tweet(&ada, "after the quiet").await);
    let seen = collect_until(&mut stream, "the tweet from node 0", |seen| {
        count_of(seen, "tweet.created", &id) > 0
    })
    .await;
    assert_eq!(count_of(&seen, "tweet.created", &id), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_on_each_node_sees_every_nodes_events_exactly_once() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    let cluster = Cluster::start(&db.url, 3, &[]);
    let (_, ada) = cluster.front().register("ada").await;
    let (_, bob) = cluster.front().register("bob").await;
    let mut streams = Vec::new();
    for node in 0..3 {
        streams.push(subscribe_all(&cluster.node(node)).await);
    }
    // A tweet created, edited, liked and deleted, each step on another node.
    let mut ids = Vec::new();
    for origin in 0..3 {
        let tweet = cluster
            .node(origin)
            .post_tweet(&ada, &format!("from node {origin}"))
            .await;
        let id = id_of(&tweet);
        cluster
            .node((origin + 1) % 3)
            .edit(&ada, &id, &format!("from node {origin}, edited"))
            .await;
        cluster
            .node((origin + 2) % 3)
            .engage(&bob, &id, "like")
            .await;
        ids.push(id);
    }
    let doomed = ids[0].clone();
    let resp = cluster
        .node(2)
        .delete(&format!("/api/tweets/{doomed}"), Some(&ada))
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);

    for (node, ws) in streams.iter_mut().enumerate() {
        let seen = collect_until(ws, "every node's events", |seen| {
            ids.iter().all(|id| {
                count_of(seen, "tweet.created", id) > 0
                    && count_of(seen, "tweet.updated", id) > 0
                    // The deleted tweet's coalesced update may be dropped with it.
                    && (*id == doomed || seen.iter().any(|m| {
                        m["type"] == "engagement.updated"
                            && m["data"]["id"] == id.as_str()
                            && m["data"]["engagement"]["likes"] == 1
                    }))
            }) && count_of(seen, "tweet.deleted", &doomed) > 0
        })
        .await;
        for id in &ids {
            assert_eq!(
                count_of(&seen, "tweet.created", id),
                1,
                "node {node}: {seen:#?}"
            );
            assert_eq!(
                count_of(&seen, "tweet.updated", id),
                1,
                "node {node}: {seen:#?}"
            );
        }
        assert_eq!(count_of(&seen, "tweet.deleted", &doomed), 1, "node {node}");
    }

    // Each node says which it is and that it hears the others; the totals are the
    // cluster's (three tweets posted, one deleted; the likes total counts every like given), whichever node answers.
    for node in 0..3 {
        let stats = cluster.node(node).stats().await;
        assert_eq!(stats["node"]["id"], node + 1, "{stats}");
        assert_eq!(stats["node"]["linked"], true, "{stats}");
        assert_eq!(stats["tweets"]["total"], 2, "node {node}: {stats}");
        assert_eq!(stats["engagement"]["likes"], 3, "node {node}: {stats}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn likes_from_users_spread_over_every_node_are_counted_exactly() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    let cluster = Cluster::start(&db.url, 3, &[]);
    let (_, ada) = cluster.front().register("ada").await;
    let tweet = cluster.front().post_tweet(&ada, "like me everywhere").await;
    let id = id_of(&tweet);
    let mut users = Vec::new();
    for i in 0..24 {
        users.push(cluster.front().register(&format!("fan{i}")).await.1);
    }
    // Each fan likes twice, at once, on two different nodes: one like each counts.
    let mut tasks = Vec::new();
    for (i, token) in users.iter().enumerate() {
        for node in [i % 3, (i + 1) % 3] {
            let client = cluster.node(node);
            let (token, id) = (token.clone(), id.clone());
            tasks.push(tokio::spawn(async move {
                client.engage(&token, &id, "like").await;
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    for node in 0..3 {
        let read = cluster.node(node).tweet(&id, None).await;
        assert_eq!(read["engagement"]["likes"], 24, "node {node}: {read}");
    }
    // Velocity (and so trends) counts every node's likes on every node, not only its
    // own: the five-minute window holds all 24.
    for node in 0..3 {
        let client = cluster.node(node);
        eventually(Duration::from_secs(10), "velocity from every node", || {
            let (client, id) = (client.clone(), id.clone());
            async move {
                let read = client.tweet(&id, None).await;
                let five = read["engagement"]["velocity"]["fiveMinutes"].as_f64()?;
                ((five * 5.0).round() == 24.0).then_some(())
            }
        })
        .await;
        let trends = client.get_ok("/api/trends/tweets?limit=5", None).await;
        assert_eq!(
            trends["items"][0]["id"],
            id.as_str(),
            "node {node}: {trends}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_hold_for_the_whole_cluster() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    // One request per second per client address, bursts of 6.
    let cluster = Cluster::start(&db.url, 3, &[("STARLING_RATE_LIMIT", "1/6,100/100")]);
    // Spread over three nodes, a client gets one allowance, not three.
    let started = Instant::now();
    let mut allowed = 0;
    let mut refused = 0;
    for i in 0..30 {
        let reply = cluster.node(i % 3).get_reply("/api/health", None).await;
        match reply.status {
            200 => allowed += 1,
            429 => refused += 1,
            other => panic!("unexpected {other}: {:?}", reply.body),
        }
    }
    let seconds = started.elapsed().as_secs() as usize;
    assert!(
        allowed <= 6 + seconds + 1,
        "{allowed} of 30 allowed in {seconds} s: the limit is per node, not per cluster"
    );
    assert!(refused > 0);
    // Through nginx, the client's own address counts (X-Forwarded-For from a trusted
    // proxy), and it is the same bucket.
    let reply = cluster.front().get_reply("/api/health", None).await;
    assert_eq!(reply.status, 429, "{:?}", reply.body);
}

/// The ids of the first 100 entries of the token's home timeline, as `client` reads them.
async fn home_ids(client: &Client, token: &str) -> Vec<String> {
    let page = client
        .get_ok("/api/timelines/home?limit=100", Some(token))
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect()
}

/// Writers going through nginx, retrying with their Idempotency-Key until acknowledged.
async fn write_until_acknowledged(front: &Client, token: &str, key: &str, content: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let sent = front
            .request(reqwest::Method::POST, "/api/tweets", Some(token))
            .header("Idempotency-Key", key)
            .json(&json!({"content": content}))
            .send()
            .await;
        if let Ok(resp) = sent {
            let status = resp.status();
            if status == StatusCode::CREATED || status == StatusCode::OK {
                let body: Value = resp.json().await.expect("JSON");
                return id_of(&body);
            }
            assert!(
                status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS,
                "a write answered {status}"
            );
        }
        assert!(Instant::now() < deadline, "{key} never acknowledged");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_under_load_loses_and_duplicates_nothing_acknowledged() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    let mut cluster = Cluster::start(&db.url, 3, &[]);
    let front = cluster.front();
    let mut tokens = Vec::new();
    for i in 0..4 {
        tokens.push(front.register(&format!("writer{i}")).await.1);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for (w, token) in tokens.iter().enumerate() {
        let (front, token, stop) = (front.clone(), token.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let key = format!("w{w}-{n}");
                let id =
                    write_until_acknowledged(&front, &token, &key, &format!("{key} text")).await;
                // Like it too, retried the same way (likes are idempotent per user).
                loop {
                    match front.try_engage(&token, &id, "like").await {
                        Ok(reply) if reply.status == 200 => break,
                        _ => tokio::time::sleep(Duration::from_millis(50)).await,
                    }
                }
                acknowledged.push((key, id));
                n += 1;
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    cluster.nodes[1].kill9();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(
        acknowledged.len() > 20,
        "too little load: {}",
        acknowledged.len()
    );

    // Every acknowledged tweet is there, liked, on a surviving node; and no content was
    // posted twice (a retry reached a node that had already written it).
    let survivor = cluster.node(2);
    for (key, id) in &acknowledged {
        let read = survivor.tweet(id, None).await;
        assert_eq!(read["content"], format!("{key} text"));
        assert_eq!(read["engagement"]["likes"], 1, "{key}: {read}");
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/tweets?limit=100&cursor={c}"),
            None => "/api/tweets?limit=100".to_string(),
        };
        let page = survivor.get_ok(&path, None).await;
        for item in page["items"].as_array().unwrap() {
            *seen
                .entry(item["content"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let duplicated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicated.is_empty(), "posted twice: {duplicated:?}");
    let ids: HashSet<_> = acknowledged.iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), acknowledged.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_stopped_writes_go_on_and_live_events_come_back_with_it() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    let mut cluster = Cluster::start(&db.url, 3, &[]);
    let (_, ada) = cluster.front().register("ada").await;
    let mut watcher = subscribe_all(&cluster.node(2)).await;

    cluster.redis.stop();
    // Writes are acknowledged and durable, reads work, on every node.
    let mut written = Vec::new();
    for i in 0..9 {
        let tweet = cluster
            .node(i % 3)
            .post_tweet(&ada, &format!("while redis is away {i}"))
            .await;
        written.push(id_of(&tweet));
    }
    for id in &written {
        cluster.node(1).tweet(id, None).await;
    }

    cluster.redis.resume();
    // Without restarting anything, node 0's events reach node 2's stream again: post
    // until one arrives (events published while a node is reconnecting are lost; that
    // is what live delivery promises).
    let deadline = Instant::now() + Duration::from_secs(20);
    'posting: loop {
        assert!(
            Instant::now() < deadline,
            "live events never came back across nodes"
        );
        let id = id_of(&cluster.node(0).post_tweet(&ada, "is anyone there").await);
        while let Some(m) = next_message(&mut watcher, Duration::from_secs(1)).await {
            if m["type"] == "tweet.created" && m["data"]["id"] == id.as_str() {
                break 'posting;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_postgres_stopped_nodes_answer_503_and_recover_without_a_restart() {
    let _one = ONE_AT_A_TIME.lock().await;
    let pg = OwnPostgres::start();
    let cluster = Cluster::start(&pg.url, 3, &[]);
    let front = cluster.front();
    let (_, ada) = front.register("ada").await;
    let before = id_of(&front.post_tweet(&ada, "before the outage").await);

    pg.pause();
    for node in 0..3 {
        let started = Instant::now();
        let resp = cluster
            .node(node)
            .post(
                "/api/tweets",
                Some(&ada),
                &json!({"content": "during the outage"}),
            )
            .await;
        assert_eq!(
            resp.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "node {node}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "node {node} took {:?}",
            started.elapsed()
        );
        assert!(
            resp.headers().contains_key("retry-after"),
            "503 without Retry-After"
        );
    }

    pg.resume();
    eventually(Duration::from_secs(30), "every node to recover", || {
        let cluster = &cluster;
        let (ada, before) = (ada.clone(), before.clone());
        async move {
            for node in 0..3 {
                let client = cluster.node(node);
                let reply = client
                    .try_post(&ada, &format!("after, on node {node}"), None)
                    .await
                    .ok()?;
                if reply.status != 201 {
                    return None;
                }
                let read = client
                    .get_reply(&format!("/api/tweets/{before}"), None)
                    .await;
                if read.status != 200 {
                    return None;
                }
            }
            Some(())
        }
    })
    .await;
}

/// Every follower's home timeline, read on any node, after posts on every node, a node
/// killed with -9 in the middle of fan-outs, and Redis losing every stored timeline:
/// it converges to the oracle (the acknowledged tweets of whom they follow, newest
/// first), and a follower's live `home` stream on one node hears posts made on others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_timelines_converge_across_nodes_a_kill_and_a_redis_flush() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    // A small threshold, so one author is merged at read time; claims run out quickly,
    // so the killed node's deliveries are taken over within the test.
    // A short lease, so the killed node may start again within the test.
    let settings = [
        ("STARLING_ENGINE__HOME__MERGE_THRESHOLD", "4"),
        ("STARLING_ENGINE__HOME__CLAIM_FOR", "2s"),
        ("STARLING_STORE__LEASE_TTL", "3s"),
    ];
    let mut cluster = Cluster::start(&db.url, 3, &settings);
    let front = cluster.front();
    let mut authors = Vec::new();
    for i in 0..3 {
        authors.push(front.account(&format!("author{i}")).await);
    }
    let mut fans = Vec::new();
    for i in 0..6 {
        fans.push(front.account(&format!("fan{i}")).await);
    }
    // author0: every fan (merged at read time); author1: even fans; author2: fan0 and fan1.
    let follows = |fan: usize, author: usize| match author {
        0 => true,
        1 => fan.is_multiple_of(2),
        _ => fan < 2,
    };
    for (f, fan) in fans.iter().enumerate() {
        for (a, author) in authors.iter().enumerate() {
            if follows(f, a) {
                let path = format!("/api/users/{}/follow", author.id);
                let node = cluster.node((f + a) % 3);
                assert_eq!(node.post_empty(&path, Some(&fan.token)).await.status(), 200);
            }
        }
    }
    // Timelines exist (in Redis) once read; read each on a different node.
    for (f, fan) in fans.iter().enumerate() {
        cluster
            .node(f % 3)
            .get_ok("/api/timelines/home", Some(&fan.token))
            .await;
    }
    let (mut live, _) = tokio_tungstenite::connect_async(
        cluster
            .node(2)
            .ws_url(&format!("/api/stream?token={}", fans[0].token)),
    )
    .await
    .expect("WebSocket handshake");
    let subscribe = json!({"type": "subscribe", "stream": "home"}).to_string();
    live.send(Message::text(subscribe)).await.expect("send");
    let ack = next_message(&mut live, EVENT_DEADLINE).await.expect("ack");
    assert_eq!(ack["type"], "subscribed", "{ack}");

    let mut posted: Vec<(usize, String)> = Vec::new();
    for round in 0..12 {
        for (a, author) in authors.iter().enumerate() {
            let key = format!("a{a}-{round}");
            if round == 5 && a == 1 {
                // Written on node 1, which dies right after acknowledging it, its own
                // fan-outs (this one, and any it had claimed) unfinished.
                let id =
                    write_until_acknowledged(&cluster.node(1), &author.token, &key, &key).await;
                cluster.nodes[1].kill9();
                posted.push((a, id));
                continue;
            }
            let id = write_until_acknowledged(&front, &author.token, &key, &key).await;
            posted.push((a, id));
        }
    }
    // Node 2's live stream heard a post written on another node.
    let heard = collect_until(&mut live, "a home.update", |seen| {
        seen.iter().any(|m| m["type"] == "home.update")
    })
    .await;
    assert!(
        heard.iter().all(|m| m["type"] == "home.update"),
        "{heard:#?}"
    );

    let expected = |f: usize| -> Vec<String> {
        let mut ids: Vec<(i64, String)> = posted
            .iter()
            .filter(|(a, _)| follows(f, *a))
            .map(|(_, id)| (id.parse().unwrap(), id.clone()))
            .collect();
        ids.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
        ids.into_iter().map(|(_, id)| id).collect()
    };
    let converge = |cluster: &Cluster, what: &'static str| {
        let clients = [cluster.node(0), cluster.node(2)];
        let fans = fans.clone();
        let expected: Vec<Vec<String>> = (0..fans.len()).map(expected).collect();
        async move {
            for (f, fan) in fans.iter().enumerate() {
                let client = clients[f % 2].clone();
                let want = expected[f].clone();
                let token = fan.token.clone();
                eventually(Duration::from_secs(30), what, || {
                    let (client, token, want) = (client.clone(), token.clone(), want.clone());
                    async move { (home_ids(&client, &token).await == want).then_some(()) }
                })
                .await;
            }
        }
    };
    converge(&cluster, "timelines after a node was killed").await;
    // Any node reports the cluster's deliveries, not only its own: author1's 12 posts
    // reached 3 fans and author2's 2 (author0 is merged), at least once each (the killed
    // node's claimed deliveries are carried out again by another).
    let (first, second) = eventually(Duration::from_secs(30), "the nodes' totals", || {
        let clients = [cluster.node(0), cluster.node(2)];
        async move {
            let mut stats = Vec::new();
            for client in clients {
                stats.push(client.get_ok("/api/tweets/system/stats", None).await);
            }
            let settled = stats.iter().all(|s| s["home"]["backlog"] == 0)
                && stats[0]["home"]["cluster"] == stats[1]["home"]["cluster"];
            settled.then(|| (stats[0].clone(), stats[1].clone()))
        }
    })
    .await;
    let count = |v: &Value| {
        v.as_u64()
            .unwrap_or_else(|| panic!("a count: {first} {second}"))
    };
    let all = &first["home"]["cluster"];
    assert!(count(&all["deliveries"]) >= 12 * (3 + 2), "{first}");
    assert!(
        count(&all["deliveries"])
            >= count(&first["home"]["deliveries"]) + count(&second["home"]["deliveries"]),
        "{first} {second}"
    );
    // Each fan's timeline was built when first read.
    assert!(count(&all["rebuilds"]) >= 6, "{first}");
    // Redis loses everything: timelines are rebuilt from the truth when read.
    cluster.redis.stop();
    cluster.redis.resume();
    converge(&cluster, "timelines after redis lost them").await;
    // The killed node starts again once its lease (3 s) has run out, and reads the same
    // timelines.
    tokio::time::sleep(Duration::from_secs(4)).await;
    cluster.restart(1);
    let restarted = cluster.node(1);
    for (f, fan) in fans.iter().enumerate() {
        let got = home_ids(&restarted, &fan.token).await;
        assert_eq!(got, expected(f), "fan {f} read on the restarted node");
    }
    let stats = cluster
        .node(0)
        .get_ok("/api/tweets/system/stats", None)
        .await;
    assert_eq!(stats["home"]["backlog"], 0, "{stats}");
    assert_eq!(
        stats["home"]["timelines"],
        Value::Null,
        "stored in redis: {stats}"
    );
    // Counted again since Redis came back: the timelines read since were rebuilt.
    let rebuilt = &stats["home"]["cluster"]["rebuilds"];
    assert!(rebuilt.as_u64().is_some_and(|n| n > 0), "{stats}");
}

/// Settings that put the nodes' media on the S3-compatible server of `scripts/s3.sh`
/// (`STARLING_TEST_S3_ENDPOINT`), in a new bucket.
async fn s3_settings() -> Vec<(String, String)> {
    let endpoint = std::env::var("STARLING_TEST_S3_ENDPOINT")
        .expect("STARLING_TEST_S3_ENDPOINT: run eval \"$(scripts/s3.sh start)\" first");
    let bucket = format!("cluster-{}", std::process::id());
    let made = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("the S3 server answers");
    assert!(made.status().is_success(), "bucket: {}", made.status());
    [
        ("STARLING_ENGINE__MEDIA__STORAGE__KIND", "s3"),
        (
            "STARLING_ENGINE__MEDIA__STORAGE__ENDPOINT",
            endpoint.as_str(),
        ),
        ("STARLING_ENGINE__MEDIA__STORAGE__BUCKET", bucket.as_str()),
        (
            "STARLING_ENGINE__MEDIA__STORAGE__ACCESS_KEY_ID",
            "starling-test",
        ),
        (
            "STARLING_ENGINE__MEDIA__STORAGE__SECRET_ACCESS_KEY",
            "starling-test-secret",
        ),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// A multipart form around `file`.
fn media_form(file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "cluster-media-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload_to(client: &Client, token: &str, file: &[u8]) -> reqwest::Response {
    let (content_type, body) = media_form(file);
    client
        .request(reqwest::Method::POST, "/api/media", Some(token))
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("upload")
}

/// Media on S3 are one set for every node: an upload through nginx is served by each
/// node and attached on another; a node killed while it transcodes a video leaves the
/// item failed (when it starts again), never processing for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_are_shared_through_s3_and_a_killed_job_ends_failed() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = FreshDatabase::create().await;
    let mut settings = s3_settings().await;
    settings.push(("STARLING_STORE__LEASE_TTL".into(), "3s".into()));
    let refs: Vec<(&str, &str)> = settings
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut cluster = Cluster::start(&db.url, 2, &refs);
    let front = cluster.front();
    let (_, token) = front.register("ada").await;

    let jpeg = starling_media::testing::jpeg_with_exif(640, 480, 1);
    let item: Value = upload_to(&front, &token, &jpeg).await.json().await.unwrap();
    assert_eq!(item["state"], "ready", "{item}");
    let url = item["url"].as_str().unwrap();
    let mut served = Vec::new();
    for i in 0..2 {
        let got = cluster.node(i).get(url, None).await;
        assert_eq!(got.status(), StatusCode::OK, "node {i}");
        served.push(got.bytes().await.unwrap());
    }
    assert_eq!(served[0], served[1]);
    let id = item["id"].as_str().unwrap();
    let tweet = cluster
        .node(1)
        .post(
            "/api/tweets",
            Some(&token),
            &json!({"content": "", "mediaIds": [id]}),
        )
        .await;
    assert_eq!(tweet.status(), StatusCode::CREATED);

    // A video long enough that its job is still running when node 1 (index 0) dies.
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("long.mp4");
    let made = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi"])
        .args(["-i", "testsrc2=size=1280x720:rate=30:duration=20"])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ])
        .arg(&video)
        .status()
        .expect("ffmpeg");
    assert!(made.success());
    let bytes = std::fs::read(&video).unwrap();
    let answer = upload_to(&cluster.node(0), &token, &bytes).await;
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    let pending: Value = answer.json().await.unwrap();
    cluster.nodes[0].kill9();
    let vid = pending["id"].as_str().unwrap().to_owned();
    let seen = cluster
        .node(1)
        .get_ok(&format!("/api/media/{vid}"), Some(&token))
        .await;
    assert_eq!(seen["state"], "processing", "{seen}");
    // Its node id's lease (3 s) runs out before it may start again.
    tokio::time::sleep(Duration::from_secs(4)).await;
    cluster.restart(0);
    let failed = eventually(
        Duration::from_secs(30),
        "the killed job's item to fail",
        || async {
            let m = cluster
                .node(1)
                .get_ok(&format!("/api/media/{vid}"), Some(&token))
                .await;
            (m["state"] == "failed").then_some(m)
        },
    )
    .await;
    assert!(
        failed["error"].as_str().unwrap().contains("interrupted"),
        "{failed}"
    );
    let attach = cluster
        .node(1)
        .post(
            "/api/tweets",
            Some(&token),
            &json!({"content": "x", "mediaIds": [vid]}),
        )
        .await;
    assert_eq!(attach.status(), StatusCode::CONFLICT);
}
