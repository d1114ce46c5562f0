#!/usr/bin/env python3
"""How much memory idle WebSocket clients cost a running server, and whether it comes back.

Opens SOCKETS raw WebSocket connections to /api/stream (half anonymous, half with a token, so
the anonymous cap is not what stops them), spread over loopback source addresses so the
per-address cap does not either; reads the server's RSS from /proc before, with every socket
open, right after closing them, and SETTLE seconds later. Loopback only; bounded in count
and time.

    scripts/ws_memory.py http://127.0.0.1:PORT SERVER_PID [SOCKETS] [SETTLE]
"""

import http.client
import json
import socket
import sys
import time

PER_ADDRESS = 30  # below the server's default per-address cap of 32


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def token(host, port):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    name = f"wsmem{int(time.time()) % 100000}"
    body = json.dumps({"username": name, "password": "ws memory measurement"})
    conn.request("POST", "/api/auth/register", body, {"Content-Type": "application/json"})
    answer = json.loads(conn.getresponse().read())
    return answer["token"]


def open_socket(host, port, source, path):
    s = socket.create_connection((host, port), timeout=10, source_address=(source, 0))
    s.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = s.recv(4096)
    if not head.startswith(b"HTTP/1.1 101"):
        s.close()
        raise RuntimeError(head.split(b"\r\n")[0].decode(errors="replace"))
    return s


def main():
    url, pid = sys.argv[1], int(sys.argv[2])
    sockets_wanted = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    settle = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    port = int(port)
    tok = token(host, port)
    before = rss_mib(pid)
    started = time.time()
    sockets, refused = [], {}
    for i in range(sockets_wanted):
        n = i // PER_ADDRESS
        source = f"127.0.{1 + n // 250}.{1 + n % 250}"
        path = "/api/stream" if i % 2 == 0 else f"/api/stream?token={tok}"
        try:
            sockets.append(open_socket(host, port, source, path))
        except Exception as e:  # a refusal is a result, not a crash
            refused[str(e)] = refused.get(str(e), 0) + 1
    opened = time.time() - started
    peak = rss_mib(pid)
    for s in sockets:
        s.close()
    time.sleep(1)
    closed = rss_mib(pid)
    time.sleep(settle)
    settled = rss_mib(pid)
    print(
        json.dumps(
            {
                "sockets_open": len(sockets),
                "refused": refused,
                "open_seconds": round(opened, 1),
                "rss_mib": {
                    "before": round(before, 1),
                    "all_open": round(peak, 1),
                    "1s_after_close": round(closed, 1),
                    f"{settle:g}s_after_close": round(settled, 1),
                },
                "kib_per_socket": round((peak - before) * 1024 / max(len(sockets), 1), 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
