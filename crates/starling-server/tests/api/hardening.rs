//! Request- and stream-level attacks (issue 14): metric labels from client input,
//! routes without rate limits, missing security headers, spoofed client addresses,
//! operational endpoints open to all, oversized WebSocket frames, idle and flooding
//! WebSocket clients. Each test reproduces the attack in bounded time and size.

use crate::support::{TIGHT_LIMITS, TestApp, spawn};
use futures::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

/// Resident memory of this test process (the server runs in it), in bytes.
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0)
        * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extension_methods_are_refused_and_never_become_metric_labels() {
    let app = spawn(|_| {}).await;
    let before = app.get("/metrics", None).await.text().await.unwrap().len();
    for i in 0..200 {
        let method = Method::from_bytes(format!("X{i}{}", "Q".repeat(10_000)).as_bytes()).unwrap();
        let resp = app
            .request(method, "/api/health", None)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["code"], "method_not_allowed");
    }
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    assert!(
        !metrics.contains("QQQQ"),
        "a client's method became a label"
    );
    assert!(
        metrics.len() < before + 4_000,
        "/metrics grew from {before} to {} bytes",
        metrics.len()
    );
    // Status classes, not codes.
    assert!(metrics.contains("status=\"2xx\""), "{metrics}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_is_rate_limited_the_web_ui_included() {
    let app = spawn(|c| c.api.rate_limits = Some(TIGHT_LIMITS)).await;
    expect_rate_limited(20, |_| async {
        app.get("/index.html", None).await.status()
    })
    .await;
}

/// Send `n` requests made by `request(i)`: at least one must be refused with 429.
async fn expect_rate_limited<F, Fut>(n: usize, request: F)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = StatusCode>,
{
    let mut statuses = Vec::new();
    for i in 0..n {
        statuses.push(request(i).await);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_endpoints_have_their_own_lower_limit() {
    let app = spawn(|c| {
        c.api.rate_limits = Some(starling_api::rate_limit::RateLimits {
            per_ip: (1000, 1000),
            per_token: (1000, 1000),
            auth_per_ip: (1, 3),
        })
    })
    .await;
    let body = json!({"username": "nobody", "password": "wrong password"});
    let mut limited = 0;
    for _ in 0..6 {
        if app.post("/api/auth/login", None, &body).await.status() == 429 {
            limited += 1;
        }
    }
    assert!(limited >= 2, "only {limited} of 6 logins were limited");
    // Other routes are not affected by the account endpoints' budget.
    assert_eq!(app.get("/api/health", None).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let app = spawn(|_| {}).await;
    for path in ["/api/health", "/api/nope", "/", "/api/tweets/abc"] {
        let resp = app.get(path, None).await;
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    // Trusted: each forwarded client has its own budget.
    let app = spawn(|c| {
        c.api.rate_limits = Some(TIGHT_LIMITS);
        c.api.trusted_proxies = starling_api::TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    let from = |ip: &'static str| {
        let app = &app;
        async move {
            app.request(Method::GET, "/api/health", None)
                .header("x-forwarded-for", ip)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    expect_rate_limited(8, |_| from("203.0.113.1")).await;
    assert_eq!(from("203.0.113.2").await, StatusCode::OK);

    // Not trusted: the header is the client's own claim and changes nothing.
    let app = spawn(|c| c.api.rate_limits = Some(TIGHT_LIMITS)).await;
    expect_rate_limited(8, |i| {
        let request = app
            .request(Method::GET, "/api/health", None)
            .header("x-forwarded-for", format!("198.51.100.{i}"));
        async move { request.send().await.unwrap().status() }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operational_endpoints_are_for_operators() {
    // Without an operator token: loopback clients only.
    let proxied = spawn(|c| {
        c.api.trusted_proxies = starling_api::TrustedProxies::parse("127.0.0.1").unwrap();
    })
    .await;
    for path in ["/metrics", "/api/tweets/system/stats"] {
        assert_eq!(proxied.get(path, None).await.status(), 200, "{path}");
        let remote = proxied
            .request(Method::GET, path, None)
            .header("x-forwarded-for", "203.0.113.9")
            .send()
            .await
            .unwrap();
        assert_eq!(remote.status(), 403, "{path}");
    }
    // With one: whoever presents it, and nobody else.
    let app = spawn(|c| {
        c.api.operator_token = Some(starling_core::settings::Secret::new("op-secret-token"));
    })
    .await;
    for path in ["/metrics", "/api/tweets/system/stats"] {
        assert_eq!(app.get(path, None).await.status(), 403, "{path}");
        assert_eq!(app.get(path, Some("op-secret-tokeX")).await.status(), 403);
        assert_eq!(app.get(path, Some("op-secret-token")).await.status(), 200);
    }
    // Health stays public and says nothing about content.
    let health: Value = app.get("/api/health", None).await.json().await.unwrap();
    assert_eq!(health["status"], "ok");
}

// ---- the live stream ----

async fn ws_connect(app: &TestApp, query: &str) -> Result<WsStream, u16> {
    match tokio_tungstenite::connect_async(app.ws_url(&format!("/api/stream{query}"))).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => Err(resp.status().as_u16()),
        Err(e) => panic!("handshake failed: {e}"),
    }
}

type WsStream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Read until the server closes; the close code, if it sent one.
async fn close_code(ws: &mut WsStream, within: Duration) -> Option<u16> {
    let read = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    };
    tokio::time::timeout(within, read)
        .await
        .expect("the server did not close the socket")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_frame_larger_than_the_message_limit_is_refused_unbuffered() {
    let app = spawn(|_| {}).await;
    let start_rss = rss();
    let mut sockets = Vec::new();
    for _ in 0..20 {
        // A raw handshake, then the header of a 15 MiB masked text frame and 1 MiB of it.
        let mut tcp = TcpStream::connect(app.addr).await.unwrap();
        tcp.write_all(
            b"GET /api/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
              Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        )
        .await
        .unwrap();
        let mut head = [0u8; 1024];
        let n = tcp.read(&mut head).await.unwrap();
        assert!(head[..n].starts_with(b"HTTP/1.1 101"));
        let len: u64 = 15 << 20;
        let mut frame = vec![0x81, 0x80 | 127];
        frame.extend_from_slice(&len.to_be_bytes());
        frame.extend_from_slice(&[1, 2, 3, 4]);
        tcp.write_all(&frame).await.unwrap();
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..16 {
            if tcp.write_all(&chunk).await.is_err() {
                break;
            }
        }
        sockets.push(tcp);
    }
    // The server refuses each frame at its header and closes.
    for tcp in &mut sockets {
        let mut sink = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut sink)).await;
        assert!(closed.is_ok(), "a socket with a huge frame stayed open");
    }
    let grown = rss().saturating_sub(start_rss);
    assert!(grown < 64 << 20, "RSS grew by {} MiB", grown >> 20);
    assert_eq!(app.get("/api/health", None).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_websocket_clients_are_pinged_then_closed() {
    let app = spawn(|c| {
        c.api.stream.ping_interval = Duration::from_millis(200);
        c.api.stream.idle_timeout = Duration::from_millis(700);
    })
    .await;
    // A raw socket that completes the handshake and then never reads or answers.
    let mut tcp = TcpStream::connect(app.addr).await.unwrap();
    tcp.write_all(
        b"GET /api/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
          Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let mut seen = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut seen)).await;
    assert!(closed.is_ok(), "a silent WebSocket client stayed connected");
    assert!(started.elapsed() >= Duration::from_millis(600));
    // It was pinged (opcode 0x9) before being closed (0x8).
    assert!(seen.windows(2).any(|w| w == [0x89, 0x00]), "no ping seen");

    // A client that answers pings (tungstenite does, when read) stays.
    let mut ws = ws_connect(&app, "").await.unwrap();
    let alive = tokio::time::timeout(Duration::from_millis(1500), ws.next()).await;
    match alive {
        Err(_) => {}
        Ok(Some(Ok(Message::Ping(_)))) => {}
        other => panic!("a responsive client was dropped: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_caps_per_address_and_for_anonymous_clients_are_exact() {
    let app = spawn(|c| {
        c.api.stream.max_per_client = 5;
        c.api.stream.max_anonymous = 3;
        c.api.stream.max_connections = 100;
    })
    .await;
    let (_, token) = app.register("ada").await;
    // Many handshakes at once: the anonymous cap cannot overshoot.
    let attempts = (0..10).map(|_| ws_connect(&app, ""));
    let results = futures::future::join_all(attempts).await;
    let open = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(open, 3, "anonymous sockets open: {open}");
    assert!(results.iter().any(|r| matches!(r, Err(503))));
    // Signed-in sockets still fit, up to the address's share.
    let mut signed = Vec::new();
    for _ in 0..2 {
        signed.push(ws_connect(&app, &format!("?token={token}")).await.unwrap());
    }
    assert_eq!(
        ws_connect(&app, &format!("?token={token}")).await.err(),
        Some(429),
        "the per-address cap"
    );
    // Closing frees the slots.
    drop(results);
    drop(signed);
    crate::support::eventually_ok(Duration::from_secs(5), || async {
        ws_connect(&app, "").await.is_ok()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_messages_are_rate_limited_and_acknowledged_briefly() {
    let app = spawn(|c| c.api.stream.messages_per_second = 5).await;
    let mut ws = ws_connect(&app, "").await.unwrap();
    let ids: Vec<String> = (1..=900).map(|i| i.to_string()).collect();
    ws.send(Message::text(
        json!({"type": "subscribe", "tweetIds": ids}).to_string(),
    ))
    .await
    .unwrap();
    let ack = loop {
        match ws.next().await.unwrap().unwrap() {
            Message::Text(t) => break t,
            _ => continue,
        }
    };
    // A tiny message is acknowledged with a tiny reply, not the 900 ids subscribed.
    ws.send(Message::text(
        json!({"type": "subscribe", "tweetIds": ["901"]}).to_string(),
    ))
    .await
    .unwrap();
    let small = loop {
        match ws.next().await.unwrap().unwrap() {
            Message::Text(t) => break t,
            _ => continue,
        }
    };
    assert!(ack.len() > 5_000);
    assert!(small.len() < 100, "{small}");
    assert!(small.contains("\"count\":901"), "{small}");
    // A flood is closed with 1008.
    for _ in 0..200 {
        if ws
            .send(Message::text(r#"{"type":"subscribe","all":true}"#))
            .await
            .is_err()
        {
            break;
        }
    }
    assert_eq!(
        close_code(&mut ws, Duration::from_secs(5)).await,
        Some(1008)
    );
}
