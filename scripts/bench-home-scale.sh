#!/usr/bin/env bash
# Home timelines at issue 11's scale, embedded mode: a Zipf graph of USERS users and about
# FOLLOWS follows written by `starling seed-graph` (through the API it would take hours:
# sign-up is argon2), then, against one server on it and next to the minimal handler
# measured in the same run:
#   baseline-get-64  the minimal handler (the machine's HTTP ceiling)
#   home-64          reads of random users' home timelines (every timeline stored first;
#                    the note gives the server's RSS and the bytes per stored entry)
#   fanout-1000ps    1,000 posts/s by Zipf-drawn authors: write → delivered p50/p99
#   fanout-max       posts as fast as the server takes them: deliveries per second
# See docs/BENCHMARKS.md ("Home timelines at 100,000 users").
#
#   scripts/bench-home-scale.sh
#   STORE=cluster scripts/bench-home-scale.sh
#       The same against NODES nodes on PostgreSQL and Redis behind nginx (scripts/cluster.sh),
#       the graph written into the cluster's PostgreSQL while they run; the runs are named
#       cluster-*. The fan-out check counts every node's deliveries (`home.cluster` in the
#       stats). Report only, as the embedded mode's targets are the issue's.
#
# Environment (defaults in brackets):
#   USERS [100000]  FOLLOWS [5000000]  DURATION [10]  WARMUP [2]  CONNECTIONS [64]
#   STORE [sqlite] or cluster   NODES [3]
#   OUT_DIR [a new temp dir] reports, logs and summary.md   SKIP_BUILD [0]   CARGO_TARGET_DIR [./target]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
USERS=${USERS:-100000}
FOLLOWS=${FOLLOWS:-5000000}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
STORE=${STORE:-sqlite}
NODES=${NODES:-3}
case $STORE in
  sqlite | cluster) ;;
  *) echo "bench-home-scale.sh: STORE must be sqlite or cluster, not $STORE" >&2; exit 2 ;;
esac
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/starling-bench-home.XXXXXX")}
mkdir -p "$OUT_DIR"

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  echo "== building release binaries" >&2
  (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET_DIR cargo build --release --quiet -p starling-server -p starling-loadgen)
fi
LOADGEN=$TARGET_DIR/release/starling-loadgen
STARLING=$TARGET_DIR/release/starling

DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/starling-bench-home-data.XXXXXX")
BASELINE_PID=""
SERVER_PID=""
CLUSTER_DIR=""
stop() {
  local pid
  for pid in $SERVER_PID $BASELINE_PID; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $SERVER_PID $BASELINE_PID; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n $CLUSTER_DIR ]]; then
    mkdir -p "$OUT_DIR/cluster-logs"
    for node in "$CLUSTER_DIR"/node-*; do
      cp "$node/node.log" "$OUT_DIR/cluster-logs/$(basename "$node").log" 2>/dev/null || true
    done
    "$ROOT/scripts/cluster.sh" down "$CLUSTER_DIR" >&2 || true
  fi
  rm -rf "$DATA_DIR"
}
trap stop EXIT
trap 'exit 130' INT TERM

if [[ $STORE == cluster ]]; then
  # The nodes first, so the schema is theirs; they keep no copies of rows while several run.
  CLUSTER_DIR=$DATA_DIR/cluster
  eval "$(SKIP_BUILD=1 STARLING_BIN=$STARLING STARLING_LOG=warn "$ROOT/scripts/cluster.sh" up "$CLUSTER_DIR" \
    --nodes "$NODES" -- --rate-limit off)"
  echo "== seeding $USERS users and about $FOLLOWS follows into the cluster's PostgreSQL" >&2
  STARLING_LOG=warn "$STARLING" seed-graph --users "$USERS" --follows "$FOLLOWS" \
    --database-url "$STARLING_CLUSTER_DATABASE_URL" --tokens-file "$OUT_DIR/users.txt" 2>&1 \
    | tee "$OUT_DIR/seed.log" >&2
  SERVER_URL=$STARLING_CLUSTER_URL
  PREFIX=cluster-
else
  echo "== seeding $USERS users and about $FOLLOWS follows" >&2
  STARLING_LOG=warn "$STARLING" seed-graph --users "$USERS" --follows "$FOLLOWS" --data-dir "$DATA_DIR" \
    --tokens-file "$OUT_DIR/users.txt" 2>&1 | tee "$OUT_DIR/seed.log" >&2
  echo "database: $(du -sh "$DATA_DIR" | cut -f1)" | tee -a "$OUT_DIR/seed.log" >&2
  PREFIX=
fi

BASELINE_PORT=$("$LOADGEN" free-port)
"$LOADGEN" baseline --port "$BASELINE_PORT" >"$OUT_DIR/baseline.log" 2>&1 &
BASELINE_PID=$!
BASELINE_URL=http://127.0.0.1:$BASELINE_PORT
"$LOADGEN" wait --url "$BASELINE_URL" --timeout 30

if [[ $STORE == sqlite ]]; then
  SERVER_PORT=$("$LOADGEN" free-port)
  STARLING_RATE_LIMIT=off "$STARLING" serve --port "$SERVER_PORT" --data-dir "$DATA_DIR" \
    >"$OUT_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  SERVER_URL=http://127.0.0.1:$SERVER_PORT
  "$LOADGEN" wait --url "$SERVER_URL" --timeout 60
fi
rss() {
  if [[ -n $SERVER_PID ]]; then
    awk '/VmRSS/ {print $2, $3}' "/proc/$SERVER_PID/status"
  else
    local f
    for f in "$CLUSTER_DIR"/node-*/pid; do
      printf '%s ' "$(basename "$(dirname "$f")"): $(awk '/VmRSS/ {print $2, $3}' "/proc/$(cat "$f")/status")"
    done
  fi
}
echo "server RSS at start, the graph loaded: $(rss)" | tee -a "$OUT_DIR/seed.log" >&2

FAILED=()
run() {
  local name=$1 url=$2 pid=$3
  shift 3
  echo "== $name" >&2
  # The nodes of a cluster are several processes: no single one to watch.
  if ! "$LOADGEN" run --url "$url" ${pid:+--server-pid "$pid"} --label "$name" --out "$OUT_DIR/$name.json" \
      --duration "$DURATION" --warmup "$WARMUP" "$@" 2>>"$OUT_DIR/loadgen.log"; then
    FAILED+=("$name")
  fi
}

run "baseline-get-$CONNECTIONS" "$BASELINE_URL" "$BASELINE_PID" --scenario get -c "$CONNECTIONS" \
  --users 32 --users-file "$OUT_DIR/users-baseline.txt" --tweets 1000
run "${PREFIX}home-$CONNECTIONS" "$SERVER_URL" "$SERVER_PID" --scenario home -c "$CONNECTIONS" \
  --users "$USERS" --users-file "$OUT_DIR/users.txt" --graph-seeded
# The home run posted each user's first tweets: the fan-out runs reuse them.
run "${PREFIX}fanout-1000ps" "$SERVER_URL" "$SERVER_PID" --scenario fanout -c 16 --rate 1000 \
  --users "$USERS" --users-file "$OUT_DIR/users.txt" --graph-seeded --tweets-seeded
run "${PREFIX}fanout-max" "$SERVER_URL" "$SERVER_PID" --scenario fanout -c 16 \
  --users "$USERS" --users-file "$OUT_DIR/users.txt" --graph-seeded --tweets-seeded
echo "server RSS at the end: $(rss)" | tee -a "$OUT_DIR/seed.log" >&2

{
  echo "Measured $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
    "$(nproc) cores; STORE=$STORE USERS=$USERS FOLLOWS=$FOLLOWS DURATION=$DURATION; load average $(cut -d' ' -f1-3 /proc/loadavg) after."
  echo
  cat "$OUT_DIR/seed.log"
  echo
  "$LOADGEN" summarize "$OUT_DIR"/*.json
} | tee "$OUT_DIR/summary.md"
if ((${#FAILED[@]})); then
  echo "bench-home-scale.sh: failed: ${FAILED[*]}" >&2
  exit 1
fi
