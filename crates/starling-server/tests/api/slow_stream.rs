//! A WebSocket client that stops reading is disconnected, and it slows nobody else:
//! another client on the same stream still receives every event.
//!
//! The server runs in-process with tight stream limits (a backlog of 16 messages, a
//! 200 ms send timeout) so the slow path is reached with a few hundred tweets; the slow
//! client asks the kernel for a tiny receive buffer so the server's sends really block.

use crate::support::{id_of, spawn};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;
use tokio::net::TcpSocket;
use tokio_tungstenite::tungstenite::Message;

const TWEETS: usize = 250;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_dropped_and_the_others_get_every_event() {
    let app = spawn(|config| {
        config.api.stream.backlog = 16;
        config.api.stream.send_timeout = Duration::from_millis(200);
    })
    .await;
    let addr = app.addr;
    let url = format!("ws://{addr}/api/stream");
    let subscribe_all = Message::text(json!({"type": "subscribe", "all": true}).to_string());

    // The reader: subscribes, then collects the ids of every created tweet.
    let (mut reader, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    reader.send(subscribe_all.clone()).await.unwrap();
    let ack = next_text(&mut reader).await.expect("an acknowledgement");
    assert_eq!(ack["type"], "subscribed");
    let reading = tokio::spawn(async move {
        let mut seen = HashSet::new();
        while seen.len() < TWEETS {
            match next_text(&mut reader).await {
                Some(m) if m["type"] == "tweet.created" => {
                    seen.insert(m["data"]["id"].as_str().unwrap().to_string());
                }
                Some(_) => {}
                None => break,
            }
        }
        seen
    });

    // The slow client: a tiny receive buffer, subscribes, and never reads again.
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(addr).await.unwrap();
    let (mut slow, _) = tokio_tungstenite::client_async(&url, stream).await.unwrap();
    slow.send(subscribe_all).await.unwrap();

    // Post enough tweets to fill the slow client's buffers (and the server's send buffer,
    // which the kernel may grow to 4 MiB) several times over.
    let (_, token) = app.register("poster").await;
    // Each link counts 23 towards the 280 limit whatever its length, so ten 2,000-byte
    // links make a valid tweet of ~20 KB: the stream messages fill buffers quickly.
    let path = "a".repeat(2000);
    let mut posted = HashSet::new();
    for i in 0..TWEETS {
        let content = (0..10)
            .map(|k| format!("https://example.com/{path}/{i}/{k}"))
            .collect::<Vec<_>>()
            .join(" ");
        posted.insert(id_of(&app.post_tweet(&token, &content).await));
    }

    let seen = tokio::time::timeout(Duration::from_secs(30), reading)
        .await
        .expect("the reading client got every event before the deadline")
        .unwrap();
    assert_eq!(seen, posted, "the reading client missed events");

    // The slow client now drains what its buffers held; then the stream must end,
    // well before it could have carried all the tweets.
    let mut received = 0;
    let drained = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = slow.next().await {
            match message {
                Message::Text(_) => received += 1,
                Message::Close(frame) => {
                    if let Some(frame) = frame {
                        assert_eq!(u16::from(frame.code), 1008, "{frame:?}");
                    }
                    break;
                }
                _ => {}
            }
        }
    })
    .await;
    assert!(
        drained.is_ok(),
        "the slow client was never disconnected (it read {received} messages)"
    );
    assert!(
        received < TWEETS,
        "the slow client got all {received} messages: it was not dropped"
    );
}

/// The next text message as JSON, or `None` when the stream ends; fails after 10 s.
async fn next_text<S>(ws: &mut S) -> Option<Value>
where
    S: futures::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let read = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).ok(),
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("a message before the deadline")
}
