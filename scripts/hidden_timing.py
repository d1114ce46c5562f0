#!/usr/bin/env python3
"""Can a client tell a hidden tweet from a missing one by timing? (issue 14, item 11)

Against a running server: registers a user, makes a draft (hidden from everyone else) and
picks an id that was never issued (older than a minute, so it never will be), then sends
ROUNDS anonymous GETs to each, interleaved, over one keep-alive connection each, and
reports the latency quantiles and how often a 15-request majority vote would tell them
apart. Loopback only; bounded.

    scripts/hidden_timing.py http://127.0.0.1:PORT [ROUNDS]
"""

import http.client
import json
import random
import statistics
import sys
import time


def call(conn, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    resp = conn.getresponse()
    return resp.status, resp.read()


def main():
    url = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    setup = http.client.HTTPConnection(host, int(port), timeout=30)
    name = f"timing{int(time.time()) % 100000}"
    _, body = call(setup, "POST", "/api/auth/register", {"username": name, "password": "timing measurement"})
    token = json.loads(body)["token"]
    _, body = call(setup, "POST", "/api/tweets", {"content": "a private draft", "draft": True}, token)
    hidden = json.loads(body)["id"]
    # An id from 2024: its timestamp is long past, so no tweet can ever get it.
    missing = str((1_000_000 << 22) | 12345)
    a = http.client.HTTPConnection(host, int(port), timeout=30)
    b = http.client.HTTPConnection(host, int(port), timeout=30)
    times = {"hidden": [], "missing": []}
    for _ in range(rounds):
        order = [("hidden", a, hidden), ("missing", b, missing)]
        random.shuffle(order)
        for kind, conn, tweet in order:
            started = time.perf_counter()
            status, _ = call(conn, "GET", f"/api/tweets/{tweet}")
            times[kind].append((time.perf_counter() - started) * 1e6)
            assert status == 404, (kind, status)
    # The attacker's vote: 15 requests to each, the side with the lower median is "hidden".
    votes = right = 0
    h, m = times["hidden"], times["missing"]
    for start in range(0, rounds - 15, 15):
        votes += 1
        if statistics.median(h[start : start + 15]) < statistics.median(m[start : start + 15]):
            right += 1
    q = lambda xs: [round(v, 1) for v in statistics.quantiles(xs, n=4)]
    print(
        json.dumps(
            {
                "rounds": rounds,
                "hidden_us_quartiles": q(h),
                "missing_us_quartiles": q(m),
                "vote_says_hidden_is_faster": f"{right}/{votes} ({100 * right / max(votes, 1):.1f}%)",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
