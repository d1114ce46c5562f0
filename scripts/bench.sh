#!/usr/bin/env bash
# Benchmarks Starling against a minimal axum handler measured in the same run, so every figure
# reads as a fraction of this machine's HTTP ceiling. See docs/BENCHMARKS.md.
#
#   scripts/bench.sh                 # full run (about 3 minutes)
#   scripts/bench.sh --quick         # smoke run: every scenario for about a second
#   scripts/bench.sh --baseline-only # every scenario against the baseline only (no server needed)
#
# Environment (defaults in brackets; --quick lowers the durations and user counts):
#   DURATION [10] measured seconds per scenario     WARMUP [2] warm-up seconds
#   CREATE_CONNECTIONS ["256 64"]  GET_CONNECTIONS [64]  LIKE_CONNECTIONS [64]
#   USERS [32] users for create/get   LIKE_USERS [256] distinct users on the hot tweet
#   TWEETS [1000] tweets the get scenario reads   THREADS [1] load generator threads
#   OUT_DIR [a new temp dir] where the JSON reports, logs and summary.md go
#   SKIP_BUILD [0] use already-built binaries   CARGO_TARGET_DIR [./target]
#   STORE [sqlite], postgres or both: which storage backends the server runs on, one after
#     the other in this run (PostgreSQL: a throwaway server from scripts/postgres.sh; its
#     runs are labelled pg-* and report only, the targets are SQLite's)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=full
for arg in "$@"; do
  case "$arg" in
    --quick) MODE=quick ;;
    --baseline-only) BASELINE_ONLY=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
BASELINE_ONLY=${BASELINE_ONLY:-0}

if [[ $MODE == quick ]]; then
  DURATION=${DURATION:-1}; WARMUP=${WARMUP:-0.3}; USERS=${USERS:-8}
  LIKE_USERS=${LIKE_USERS:-16}; LIKE_CONNECTIONS=${LIKE_CONNECTIONS:-16}; TWEETS=${TWEETS:-100}
fi
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CREATE_CONNECTIONS=${CREATE_CONNECTIONS:-256 64}
GET_CONNECTIONS=${GET_CONNECTIONS:-64}
LIKE_CONNECTIONS=${LIKE_CONNECTIONS:-64}
USERS=${USERS:-32}
LIKE_USERS=${LIKE_USERS:-256}
TWEETS=${TWEETS:-1000}
THREADS=${THREADS:-1}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/starling-bench.XXXXXX")}
mkdir -p "$OUT_DIR"

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  packages=(-p starling-loadgen)
  [[ $BASELINE_ONLY == 1 ]] || packages+=(-p starling-server)
  echo "== building release binaries (${packages[*]})" >&2
  (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET_DIR cargo build --release --quiet "${packages[@]}")
fi
LOADGEN=$TARGET_DIR/release/starling-loadgen
STARLING=$TARGET_DIR/release/starling

DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/starling-bench-data.XXXXXX")
BASELINE_PID=""
SERVER_PID=""
STORE=${STORE:-sqlite}
case $STORE in
  sqlite) STORES=(sqlite) ;;
  postgres) STORES=(postgres) ;;
  both) STORES=(sqlite postgres) ;;
  *) echo "bench.sh: STORE must be sqlite, postgres or both" >&2; exit 2 ;;
esac
PGDIR=""
if [[ " ${STORES[*]} " == *" postgres "* && $BASELINE_ONLY != 1 ]]; then
  eval "$("$ROOT/scripts/postgres.sh" start)"
  PGDIR=$STARLING_TEST_PGDIR
  PG_URL=$STARLING_TEST_DATABASE_URL
fi
stop() {
  local pid
  for pid in $SERVER_PID $BASELINE_PID; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $SERVER_PID $BASELINE_PID; do
    # Give a graceful shutdown 10 s, then insist.
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$DATA_DIR"
  if [[ -n $PGDIR ]]; then "$ROOT/scripts/postgres.sh" stop "$PGDIR"; fi
}
trap stop EXIT
trap 'exit 130' INT TERM

BASELINE_PORT=$("$LOADGEN" free-port)
"$LOADGEN" baseline --port "$BASELINE_PORT" >"$OUT_DIR/baseline.log" 2>&1 &
BASELINE_PID=$!
BASELINE_URL=http://127.0.0.1:$BASELINE_PORT
"$LOADGEN" wait --url "$BASELINE_URL" --timeout 30

# start_server STORE: the server on that backend, on a fresh port and data directory.
start_server() {
  local store_args=() store_env=()
  if [[ $1 == postgres ]]; then store_args=(--store postgres); store_env=("STARLING_DATABASE_URL=$PG_URL"); fi
  rm -rf "$DATA_DIR" && mkdir -p "$DATA_DIR"
  SERVER_PORT=$("$LOADGEN" free-port)
  env "${store_env[@]}" STARLING_RATE_LIMIT=off "$STARLING" serve --port "$SERVER_PORT" --data-dir "$DATA_DIR" "${store_args[@]}" \
    >"$OUT_DIR/server-$1.log" 2>&1 &
  SERVER_PID=$!
  SERVER_URL=http://127.0.0.1:$SERVER_PORT
  if ! "$LOADGEN" wait --url "$SERVER_URL" --timeout 60; then
    echo "bench.sh: the server did not become healthy; its log:" >&2
    tail -n 40 "$OUT_DIR/server-$1.log" >&2
    exit 1
  fi
  SERVER_PID_FOR_RUNS=$SERVER_PID
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
FAILED=()
# run NAME URL PID ARGS...: one scenario, its table on the terminal, its JSON in $OUT_DIR/NAME.json.
run() {
  local name=$1 url=$2 pid=$3
  shift 3
  echo "== $name" >&2
  if ! "$LOADGEN" run --url "$url" --server-pid "$pid" --threads "$THREADS" --label "$name" \
      --out "$OUT_DIR/$name.json" --duration "$DURATION" --warmup "$WARMUP" "$@" 2>>"$OUT_DIR/loadgen.log"; then
    FAILED+=("$name")
  fi
}

BASELINE_USERS=$OUT_DIR/users-baseline.txt

for c in $CREATE_CONNECTIONS; do
  run "baseline-create-$c" "$BASELINE_URL" "$BASELINE_PID" --scenario create -c "$c" --users "$USERS" --users-file "$BASELINE_USERS"
done
run "baseline-get-$GET_CONNECTIONS" "$BASELINE_URL" "$BASELINE_PID" --scenario get -c "$GET_CONNECTIONS" \
  --users "$USERS" --users-file "$BASELINE_USERS" --tweets "$TWEETS"

if [[ $BASELINE_ONLY == 1 ]]; then
  STORES=(baseline)
fi
for store in "${STORES[@]}"; do
case $store in
  baseline) PREFIX=self- SERVER_URL=$BASELINE_URL SERVER_PID_FOR_RUNS=$BASELINE_PID ;;
  sqlite) PREFIX="" ; start_server sqlite ;;
  postgres) PREFIX=pg- ; start_server postgres ;;
esac
checked=sqlite
if [[ $store == postgres ]]; then checked=postgres; fi
SERVER_USERS=$OUT_DIR/users-$store-server.txt
for c in $CREATE_CONNECTIONS; do
  case $checked:$c in
    sqlite:256) expect=(--expect-ops-per-sec 15000 --expect-p99-ms 50) ;;
    sqlite:64) expect=(--expect-ops-per-sec 8000 --expect-p99-ms 25) ;;
    *) expect=() ;;
  esac
  run "${PREFIX}create-$c" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario create -c "$c" \
    --users "$USERS" --users-file "$SERVER_USERS" "${expect[@]}"
done
get_expect=(--expect-baseline-ratio 0.5 --expect-p99-ms 10)
like_expect=(--expect-ops-per-sec 10000)
if [[ $checked != sqlite ]]; then get_expect=(); like_expect=(); fi
run "${PREFIX}get-$GET_CONNECTIONS" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario get -c "$GET_CONNECTIONS" \
  --users "$USERS" --users-file "$SERVER_USERS" --tweets "$TWEETS" "${get_expect[@]}"
run "${PREFIX}like-$LIKE_CONNECTIONS" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario like -c "$LIKE_CONNECTIONS" \
  --users "$LIKE_USERS" --users-file "$SERVER_USERS" "${like_expect[@]}"
run "${PREFIX}seed-check" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario seed-check --users 10 --users-file "$SERVER_USERS"

if [[ -n $SERVER_PID ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "bench.sh: the $store server exited during the benchmark; the end of its log:" >&2
  tail -n 40 "$OUT_DIR/server-$store.log" >&2
  FAILED+=("server-exited-$store")
fi
if [[ -n $SERVER_PID ]]; then stop_server; fi
done

{
  if [[ ${SKIP_BUILD:-0} == 1 ]]; then
    built="prebuilt binaries in $TARGET_DIR"
  else
    built="binaries built from the work tree at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  fi
  echo "Measured $(date -u +%Y-%m-%dT%H:%M:%SZ) with $built" \
    "on $(nproc) cores ($(uname -sr)); mode $MODE, DURATION=$DURATION WARMUP=$WARMUP THREADS=$THREADS;" \
    "load average $LOAD_AT_START before the runs, $(cut -d' ' -f1-3 /proc/loadavg) after."
  echo
  "$LOADGEN" summarize "$OUT_DIR"/*.json
} | tee "$OUT_DIR/summary.md"
echo "reports, logs and summary.md are in $OUT_DIR" >&2

if ((${#FAILED[@]})); then
  echo "bench.sh: failed: ${FAILED[*]} (see $OUT_DIR/loadgen.log)" >&2
  exit 1
fi
