#!/usr/bin/env bash
# Two server builds interleaved (e.g. before and after a storage change), to tell a change
# from this shared machine's noise. Each run starts a fresh server with a fresh data directory.
#
#   scripts/ab.sh create OLD_BINARY NEW_BINARY [ROUNDS]
#     ROUNDS (2) rounds of OLD then NEW: `starling-loadgen run --scenario create -c 256 -d 10
#     --users 64`; creates/s, p50 and p99 per run. PIN=1 pins the server to core 0 and the
#     generator to core 1.
#   scripts/ab.sh lists OLD_BINARY NEW_BINARY [TWEETS]
#     OLD then NEW, the server pinned to core 0: `starling-loadgen fill` writes TWEETS (50,000)
#     tweets by 16 users, then one keep-alive connection on core 1 reads, 3,000 times each after
#     300 of warm-up, /api/health (the minimal endpoint of the same run), the public list and
#     one author's list (20 a page); req/s, p50 and p95 per path. Sequential, one connection:
#     a no-regression check, not a target.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOADGEN="$ROOT/target/release/starling-loadgen"
MODE="$1" OLD="$2" NEW="$3"

DIR="" PORT="" PID=""
# start BINARY [CPU PREFIX...]: a fresh server; sets DIR, PORT, PID.
start() {
  local bin="$1"
  shift
  DIR="$(mktemp -d)"
  PORT="$("$LOADGEN" free-port)"
  "$@" "$bin" serve --rate-limit off --port "$PORT" --data-dir "$DIR/data" >"$DIR/server.log" 2>&1 &
  PID=$!
  "$LOADGEN" wait --url "http://127.0.0.1:$PORT" >/dev/null
}
stop() {
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  rm -rf "$DIR"
}

read_lists() {
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

case "$MODE" in
  create)
    server_cpu=() generator_cpu=()
    if [ "${PIN:-0}" = 1 ]; then server_cpu=(taskset -c 0) generator_cpu=(taskset -c 1); fi
    for round in $(seq "${4:-2}"); do
      for label in old new; do
        bin="$OLD"; [ "$label" = new ] && bin="$NEW"
        start "$bin" "${server_cpu[@]}"
        "${generator_cpu[@]}" "$LOADGEN" run --url "http://127.0.0.1:$PORT" --scenario create -c 256 -d 10 \
          --users 64 --out "$DIR/report.json" >/dev/null 2>&1
        echo "round $round $label: $(python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['total']; print(f\"{t['opsPerSec']:.0f}/s, p50 {t['p50Ms']:.1f} ms, p99 {t['p99Ms']:.1f} ms\")" "$DIR/report.json")"
        stop
      done
    done
    ;;
  lists)
    for label in old new; do
      bin="$OLD"; [ "$label" = new ] && bin="$NEW"
      start "$bin" taskset -c 0
      taskset -c 1 "$LOADGEN" fill --url "http://127.0.0.1:$PORT" --tweets "${4:-50000}" --users 16 -c 8 \
        >"$DIR/fill.log" 2>&1
      user="$(curl -s "http://127.0.0.1:$PORT/api/tweets?limit=1" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["author"]["username"])')"
      echo "$label: $(taskset -c 1 bash -c "$(declare -f read_lists); read_lists $PORT /api/health '/api/tweets?limit=20' '/api/tweets?limit=20&author=$user'")"
      stop
    done
    ;;
  *)
    echo "usage: scripts/ab.sh create|lists OLD_BINARY NEW_BINARY [ROUNDS|TWEETS]" >&2
    exit 2
    ;;
esac
