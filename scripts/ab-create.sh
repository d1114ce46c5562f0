#!/usr/bin/env bash
# Interleaved A/B of tweet creation between two server binaries (e.g. before and after a
# storage change), to tell a change from a noisy host:
#   scripts/ab-create.sh OLD_BINARY NEW_BINARY [ROUNDS]
# Each round runs OLD then NEW, each a fresh server with a fresh data directory, and
# `starling-loadgen run --scenario create -c 256 -d 10 --users 64` against it. Prints
# creates/s, p50 and p99 per run. PIN=1 pins the server to core 0 and the generator to core 1.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOADGEN="$ROOT/target/release/starling-loadgen"
ROUNDS="${3:-2}"
server_cpu=() generator_cpu=()
if [ "${PIN:-0}" = 1 ]; then server_cpu=(taskset -c 0) generator_cpu=(taskset -c 1); fi
for round in $(seq "$ROUNDS"); do
  for label in old new; do
    bin="$1"; [ "$label" = new ] && bin="$2"
    dir="$(mktemp -d)"
    port="$("$LOADGEN" free-port)"
    "${server_cpu[@]}" "$bin" serve --rate-limit off --port "$port" --data-dir "$dir/data" >"$dir/server.log" 2>&1 &
    pid=$!
    "$LOADGEN" wait --url "http://127.0.0.1:$port" >/dev/null
    "${generator_cpu[@]}" "$LOADGEN" run --url "http://127.0.0.1:$port" --scenario create -c 256 -d 10 --users 64 \
      --out "$dir/report.json" >/dev/null 2>&1
    echo "round $round $label: $(python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['total']; print(f\"{t['opsPerSec']:.0f}/s, p50 {t['p50Ms']:.1f} ms, p99 {t['p99Ms']:.1f} ms\")" "$dir/report.json")"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
  done
done
