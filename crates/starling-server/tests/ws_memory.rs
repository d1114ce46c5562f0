//! Idle WebSockets cost little memory. Its own test binary: it measures the process's
//! resident memory, which tests running beside it in one process would inflate (it
//! failed that way once the API tests grew, at 80 KiB against a 64 KiB bound).

mod support;

use support::spawn;
use tokio::net::TcpStream;

fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0)
        * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_websockets_cost_little_memory() {
    const SOCKETS: usize = 500;
    let app = spawn(|c| c.api.stream.max_per_client = SOCKETS).await;
    let (warm, _) = tokio_tungstenite::connect_async(app.ws_url("/api/stream"))
        .await
        .unwrap();
    drop(warm);
    let before = rss();
    let mut sockets = Vec::new();
    // The client's own buffers kept small too, so the figure is mostly the server's.
    let small = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    for _ in 0..SOCKETS {
        let tcp = TcpStream::connect(app.addr).await.unwrap();
        let (ws, _) = tokio_tungstenite::client_async_with_config(
            app.ws_url("/api/stream"),
            tcp,
            Some(small),
        )
        .await
        .unwrap();
        sockets.push(ws);
    }
    let per_socket = rss().saturating_sub(before) / SOCKETS as u64;
    // Client and server halves both live in this process: 2 × the server's own cost.
    assert!(
        per_socket < 64 * 1024,
        "{per_socket} bytes per idle socket (client and server)"
    );
}
