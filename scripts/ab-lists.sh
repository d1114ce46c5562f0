#!/usr/bin/env bash
# A/B of list reads between two server binaries (e.g. before and after a storage change):
#   scripts/ab-lists.sh OLD_BINARY NEW_BINARY [TWEETS]
# Each binary gets a fresh data directory, pinned to core 0; `starling-loadgen fill` writes
# TWEETS (50,000) tweets by 16 users; then one keep-alive connection on core 1 reads, 3,000
# times each after 300 of warm-up: /api/health (the minimal endpoint of the same run),
# the public list and one author's list (20 a page). Prints req/s, p50 and p95 per path.
# Ad hoc: sequential, one connection; for a no-regression check, not for targets.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOADGEN="$ROOT/target/release/starling-loadgen"
TWEETS="${3:-50000}"
measure() {
  python3 - "$@" <<'PY'
import http.client, json, sys, time
port, paths = int(sys.argv[1]), sys.argv[2:]
c = http.client.HTTPConnection("127.0.0.1", port)
out = {}
for path in paths:
    lat = []
    for i in range(3300):
        t = time.perf_counter()
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        assert r.status == 200, (path, r.status)
        if i >= 300:
            lat.append(time.perf_counter() - t)
    lat.sort()
    out[path.split("&author=")[0] + ("&author=…" if "&author=" in path else "")] = {
        "rps": round(len(lat) / sum(lat)),
        "p50_us": round(lat[len(lat) // 2] * 1e6),
        "p95_us": round(lat[int(len(lat) * 0.95)] * 1e6),
    }
print(json.dumps(out))
PY
}
for label in old new; do
  bin="$1"; [ "$label" = new ] && bin="$2"
  dir="$(mktemp -d)"
  port="$("$LOADGEN" free-port)"
  taskset -c 0 "$bin" serve --rate-limit off --port "$port" --data-dir "$dir/data" >"$dir/server.log" 2>&1 &
  pid=$!
  "$LOADGEN" wait --url "http://127.0.0.1:$port" >/dev/null
  taskset -c 1 "$LOADGEN" fill --url "http://127.0.0.1:$port" --tweets "$TWEETS" --users 16 -c 8 >"$dir/fill.log" 2>&1
  user="$(curl -s "http://127.0.0.1:$port/api/tweets?limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["author"]["username"])')"
  echo "$label: $(taskset -c 1 bash -c "$(declare -f measure); measure $port /api/health '/api/tweets?limit=20' '/api/tweets?limit=20&author=$user'")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done
