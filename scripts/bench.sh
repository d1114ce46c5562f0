#!/usr/bin/env bash
# Benchmarks Starling against a minimal axum handler measured in the same run, so every figure
# reads as a fraction of this machine's HTTP ceiling. See docs/BENCHMARKS.md.
#
#   scripts/bench.sh                 # full run (about 3 minutes)
#   scripts/bench.sh --quick         # smoke run: every scenario for about a second
#   scripts/bench.sh --baseline-only # every scenario against the baseline only (no server needed)
#   STORE=cluster scripts/bench.sh   # N nodes behind nginx, next to the baseline behind nginx
#
# Environment (defaults in brackets; --quick lowers the durations and user counts):
#   DURATION [10] measured seconds per scenario     WARMUP [2] warm-up seconds
#   CREATE_CONNECTIONS ["256 64"]  GET_CONNECTIONS [64]  LIKE_CONNECTIONS [64]
#   USERS [32] users for create/get   LIKE_USERS [256] distinct users on the hot tweet
#   TWEETS [1000] tweets the get scenario reads   THREADS [1] load generator threads
#   GRAPH_USERS [1000] users of the Zipf follow graph   GRAPH_CONNECTIONS [32]
#   THREAD_CONNECTIONS [16] readers of the 1,000-reply thread (home and fanout use GRAPH_USERS)
#   OUT_DIR [a new temp dir] where the JSON reports, logs and summary.md go
#   SKIP_BUILD [0] use already-built binaries   CARGO_TARGET_DIR [./target]
#   STORE [sqlite], postgres, both (sqlite, postgres), cluster or all (sqlite, postgres,
#     cluster): what the server runs on, one after the other in this run (PostgreSQL: a
#     throwaway server from scripts/postgres.sh; its runs are labelled pg-* and report only,
#     the targets are SQLite's). cluster: scripts/cluster.sh up with NODES [3] nodes on one
#     PostgreSQL and one Redis behind nginx (--rate-limit off), runs labelled cluster-* (the
#     scenarios above plus mixed: 70% get, 20% like/unlike on random tweets, 10% create), and
#     the baseline handler behind a second nginx from the same template, nginx-baseline-*,
#     measured just before (report only)
# Every measured run also records the CPU time of each tier (node, postgres, redis, nginx,
# handler, loadgen) and of the machine across its measured window, per 1,000 requests
# (scripts/tier_cpu.py; OUT_DIR/cpu/NAME.json, and a table in summary.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=full
for arg in "$@"; do
  case "$arg" in
    --quick) MODE=quick ;;
    --baseline-only) BASELINE_ONLY=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
BASELINE_ONLY=${BASELINE_ONLY:-0}

if [[ $MODE == quick ]]; then
  DURATION=${DURATION:-1}; WARMUP=${WARMUP:-0.3}; USERS=${USERS:-8}
  LIKE_USERS=${LIKE_USERS:-16}; LIKE_CONNECTIONS=${LIKE_CONNECTIONS:-16}; TWEETS=${TWEETS:-100}
  GRAPH_USERS=${GRAPH_USERS:-50}
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
GRAPH_USERS=${GRAPH_USERS:-1000}
GRAPH_CONNECTIONS=${GRAPH_CONNECTIONS:-32}
THREAD_CONNECTIONS=${THREAD_CONNECTIONS:-16}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/starling-bench.XXXXXX")}
mkdir -p "$OUT_DIR" "$OUT_DIR/cpu"

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  packages=(-p starling-loadgen)
  [[ $BASELINE_ONLY == 1 ]] || packages+=(-p starling-server)
  echo "== building release binaries (${packages[*]})" >&2
  (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET_DIR cargo build --release --quiet "${packages[@]}")
fi
LOADGEN=$TARGET_DIR/release/starling-loadgen
STARLING=$TARGET_DIR/release/starling
TIER_CPU=$ROOT/scripts/tier_cpu.py

DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/starling-bench-data.XXXXXX")
BASELINE_PID=""
SERVER_PID=""
STORE=${STORE:-sqlite}
case $STORE in
  sqlite) STORES=(sqlite) ;;
  postgres) STORES=(postgres) ;;
  both) STORES=(sqlite postgres) ;;
  cluster) STORES=(cluster) ;;
  all) STORES=(sqlite postgres cluster) ;;
  *) echo "bench.sh: STORE must be sqlite, postgres, both, cluster or all" >&2; exit 2 ;;
esac
NODES=${NODES:-3}
CLUSTER_DIR=""
PROXY_DIR=""
PROXY_PID=""
PGDIR=""
if [[ " ${STORES[*]} " == *" postgres "* && $BASELINE_ONLY != 1 ]]; then
  eval "$("$ROOT/scripts/postgres.sh" start)"
  PGDIR=$STARLING_TEST_PGDIR
  PG_URL=$STARLING_TEST_DATABASE_URL
fi
# The cluster's logs (not nginx's access log: hundreds of MB) into OUT_DIR, then `down`.
cluster_down() {
  [[ -n $CLUSTER_DIR && -f $CLUSTER_DIR/cluster.env ]] || { CLUSTER_DIR=""; return 0; }
  mkdir -p "$OUT_DIR/cluster-logs"
  local nd
  for nd in "$CLUSTER_DIR"/node-*; do cp "$nd/node.log" "$OUT_DIR/cluster-logs/$(basename "$nd").log" 2>/dev/null || true; done
  cp "$CLUSTER_DIR/nginx/error.log" "$OUT_DIR/cluster-logs/nginx-error.log" 2>/dev/null || true
  cp "$CLUSTER_DIR/redis/redis.log" "$OUT_DIR/cluster-logs/redis.log" 2>/dev/null || true
  cp "$(cat "$CLUSTER_DIR/postgres" 2>/dev/null)/server.log" "$OUT_DIR/cluster-logs/postgres.log" 2>/dev/null || true
  "$ROOT/scripts/cluster.sh" down "$CLUSTER_DIR" 2>>"$OUT_DIR/cluster.log" || true
  CLUSTER_DIR=""
}
# The baseline's nginx: SIGQUIT (graceful), then SIGTERM; never SIGKILL (it would leave workers).
proxy_down() {
  [[ -n $PROXY_PID ]] || return 0
  kill -QUIT "$PROXY_PID" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$PROXY_PID" 2>/dev/null || break; sleep 0.1; done
  kill -TERM "$PROXY_PID" 2>/dev/null || true
  wait "$PROXY_PID" 2>/dev/null || true
  cp "$PROXY_DIR/error.log" "$OUT_DIR/nginx-baseline-error.log" 2>/dev/null || true
  rm -rf "$PROXY_DIR"
  PROXY_PID="" PROXY_DIR=""
}
stop() {
  local pid
  cluster_down
  proxy_down
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

# start_cluster: scripts/cluster.sh up in a new directory (NODES nodes, --rate-limit off);
# sets SERVER_URL (nginx), SERVER_PID_FOR_RUNS (node 1: the reports' server memory and cores)
# and TIERS (every node, PostgreSQL's postmaster, Redis, nginx's master: their descendants count).
start_cluster() {
  CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/starling-bench-cluster.XXXXXX")
  local exports
  if ! exports=$(SKIP_BUILD=1 STARLING_BIN=$STARLING "$ROOT/scripts/cluster.sh" up "$CLUSTER_DIR" \
      --nodes "$NODES" -- --rate-limit off 2>>"$OUT_DIR/cluster.log"); then
    echo "bench.sh: the cluster did not start; the end of $OUT_DIR/cluster.log:" >&2
    tail -n 40 "$OUT_DIR/cluster.log" >&2
    CLUSTER_DIR=""
    exit 1
  fi
  eval "$exports"
  SERVER_URL=$STARLING_CLUSTER_URL
  local nd node_pids=()
  for nd in "$CLUSTER_DIR"/node-*; do node_pids+=("$(cat "$nd/pid")"); done
  SERVER_PID_FOR_RUNS=$(cat "$CLUSTER_DIR/node-1/pid")
  local pg_pid
  pg_pid=$(head -n 1 "$(cat "$CLUSTER_DIR/postgres")/data/postmaster.pid")
  TIERS=(--tier "node=$(IFS=,; echo "${node_pids[*]}")" --tier "postgres=$pg_pid"
         --tier "redis=$(cat "$CLUSTER_DIR/redis/redis.pid")" --tier "nginx=$(cat "$CLUSTER_DIR/nginx/pid")")
}

# start_proxy: the baseline handler behind its own nginx, from deploy/nginx.conf.template as
# scripts/cluster.sh fills it in; sets PROXY_URL.
start_proxy() {
  local nginx port conf
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  PROXY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/starling-bench-nginx.XXXXXX")
  chmod 755 "$PROXY_DIR" # the workers run as nobody when root starts nginx
  port=$("$LOADGEN" free-port)
  conf=$(<"$ROOT/deploy/nginx.conf.template")
  conf=${conf//@UPSTREAMS@/server 127.0.0.1:$BASELINE_PORT max_fails=1 fail_timeout=5s;}
  conf=${conf//@RUNDIR@/$PROXY_DIR}
  conf=${conf//@LISTEN@/127.0.0.1:$port}
  printf '%s\n' "$conf" >"$PROXY_DIR/nginx.conf"
  local args=(-p "$PROXY_DIR" -e "$PROXY_DIR/error.log" -c "$PROXY_DIR/nginx.conf")
  "$nginx" -t -q "${args[@]}"
  "$nginx" "${args[@]}" </dev/null >>"$PROXY_DIR/error.log" 2>&1 &
  PROXY_PID=$!
  PROXY_URL=http://127.0.0.1:$port
  "$LOADGEN" wait --url "$PROXY_URL" --timeout 30
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
FAILED=()
TIERS=()
# run NAME URL PID ARGS...: one scenario, its table on the terminal, its JSON in $OUT_DIR/NAME.json,
# the CPU of each tier in TIERS (and of the generator) across its measured window in $OUT_DIR/cpu/NAME.json.
run() {
  local name=$1 url=$2 pid=$3
  shift 3
  echo "== $name" >&2
  if ! python3 "$TIER_CPU" run --label "$name" --out "$OUT_DIR/cpu/$name.json" --report "$OUT_DIR/$name.json" \
      --warmup "$WARMUP" --duration "$DURATION" --log "$OUT_DIR/loadgen.log" "${TIERS[@]}" -- \
      "$LOADGEN" run --url "$url" --server-pid "$pid" --threads "$THREADS" --label "$name" \
      --out "$OUT_DIR/$name.json" --duration "$DURATION" --warmup "$WARMUP" "$@"; then
    FAILED+=("$name")
  fi
}

BASELINE_USERS=$OUT_DIR/users-baseline.txt

TIERS=(--tier "handler=$BASELINE_PID")
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
  sqlite) PREFIX="" ; start_server sqlite; TIERS=(--tier "node=$SERVER_PID") ;;
  postgres)
    PREFIX=pg- ; start_server postgres
    TIERS=(--tier "node=$SERVER_PID" --tier "postgres=$(head -n 1 "$PGDIR/data/postmaster.pid")") ;;
  cluster)
    # The minimal handler behind nginx first, while nothing else runs, then the cluster.
    start_proxy
    TIERS=(--tier "nginx=$PROXY_PID" --tier "handler=$BASELINE_PID")
    for c in $CREATE_CONNECTIONS; do
      run "nginx-baseline-create-$c" "$PROXY_URL" "$BASELINE_PID" --scenario create -c "$c" \
        --users "$USERS" --users-file "$BASELINE_USERS"
    done
    run "nginx-baseline-get-$GET_CONNECTIONS" "$PROXY_URL" "$BASELINE_PID" --scenario get -c "$GET_CONNECTIONS" \
      --users "$USERS" --users-file "$BASELINE_USERS" --tweets "$TWEETS"
    run "nginx-baseline-like-$LIKE_CONNECTIONS" "$PROXY_URL" "$BASELINE_PID" --scenario like -c "$LIKE_CONNECTIONS" \
      --users "$LIKE_USERS" --users-file "$BASELINE_USERS"
    run "nginx-baseline-mixed-$GET_CONNECTIONS" "$PROXY_URL" "$BASELINE_PID" --scenario mixed -c "$GET_CONNECTIONS" \
      --users "$USERS" --users-file "$BASELINE_USERS" --tweets "$TWEETS"
    proxy_down
    PREFIX=cluster- ; start_cluster ;;
esac
checked=sqlite
if [[ $store != sqlite && $store != baseline ]]; then checked=$store; fi
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
if [[ $store == cluster ]]; then
  # 70% get, 20% like/unlike on random tweets (not one hot tweet), 10% create.
  run "${PREFIX}mixed-$GET_CONNECTIONS" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario mixed -c "$GET_CONNECTIONS" \
    --users "$USERS" --users-file "$SERVER_USERS" --tweets "$TWEETS"
fi
# The social graph: follows and unfollows on a Zipf graph (counts checked exactly), profile
# reads, and reads of a 1,000-reply thread (target on SQLite: p99 <= 20 ms).
run "${PREFIX}graph-$GRAPH_CONNECTIONS" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario graph -c "$GRAPH_CONNECTIONS" \
  --users "$GRAPH_USERS" --users-file "$SERVER_USERS"
thread_expect=(--expect-p99-ms 20)
if [[ $checked != sqlite ]]; then thread_expect=(); fi
run "${PREFIX}thread-$THREAD_CONNECTIONS" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario thread -c "$THREAD_CONNECTIONS" \
  --users "$USERS" --users-file "$SERVER_USERS" "${thread_expect[@]}"
# Home timelines on the same Zipf graph: reads of stored timelines, then posts at 1,000/s
# (write -> delivered latency, target p99 <= 1 s) and unpaced (deliveries per second), the
# deliveries counted exactly against the graph.
run "${PREFIX}home-$GET_CONNECTIONS" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario home -c "$GET_CONNECTIONS" \
  --users "$GRAPH_USERS" --users-file "$SERVER_USERS"
if [[ $store != cluster ]]; then
  # (Not behind nginx: the delivery counters it checks are each node's own.)
  run "${PREFIX}fanout-1000ps" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario fanout -c 16 --rate 1000 \
    --users "$GRAPH_USERS" --users-file "$SERVER_USERS"
  run "${PREFIX}fanout-max" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario fanout -c 16 \
    --users "$GRAPH_USERS" --users-file "$SERVER_USERS"
fi
run "${PREFIX}seed-check" "$SERVER_URL" "$SERVER_PID_FOR_RUNS" --scenario seed-check --users 10 --users-file "$SERVER_USERS"

if [[ -n $SERVER_PID ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "bench.sh: the $store server exited during the benchmark; the end of its log:" >&2
  tail -n 40 "$OUT_DIR/server-$store.log" >&2
  FAILED+=("server-exited-$store")
fi
if [[ -n $SERVER_PID ]]; then stop_server; fi
if [[ $store == cluster ]]; then
  for nd in "$CLUSTER_DIR"/node-*; do
    if ! kill -0 "$(cat "$nd/pid")" 2>/dev/null; then
      echo "bench.sh: cluster $(basename "$nd") exited during the benchmark; the end of its log:" >&2
      tail -n 40 "$nd/node.log" >&2
      FAILED+=("cluster-$(basename "$nd")-exited")
    fi
  done
  # Answers other than 2xx that nginx itself gave (no node answered) or passed on from a node.
  NGINX_NON_2XX=$(awk 'match($0, /" [0-9][0-9][0-9] /) { s = substr($0, RSTART + 2, 3); if (s !~ /^2/) c[s]++ }
    END { for (s in c) out = out (out ? ", " : "") s "×" c[s]; print (out ? out : "none") }' \
    "$CLUSTER_DIR/nginx/access.log" 2>/dev/null || echo "?")
  cluster_down
fi
TIERS=()
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
  shopt -s nullglob
  direct=() proxied=()
  for f in "$OUT_DIR"/*.json; do
    case ${f##*/} in nginx-baseline-*|cluster-*) ;; *) direct+=("$f") ;; esac
  done
  proxied=("$OUT_DIR"/nginx-baseline-*.json "$OUT_DIR"/cluster-*.json)
  if ((${#direct[@]})); then "$LOADGEN" summarize "${direct[@]}"; fi
  if ((${#proxied[@]})); then
    echo
    echo "Behind nginx (deploy/nginx.conf.template): cluster-* is $NODES nodes on one PostgreSQL and one" \
      "Redis (scripts/cluster.sh, --rate-limit off), nginx-baseline-* the baseline handler behind a" \
      "second nginx from the same template; \"vs baseline\" is against nginx-baseline-*. The server" \
      "column's memory and cores are node 1's only. Answers other than 2xx in the cluster's nginx" \
      "access log, set-up requests included: ${NGINX_NON_2XX:-?}."
    echo
    "$LOADGEN" summarize "${proxied[@]}"
  fi
  # In the order the runs happened.
  mapfile -t cpu < <(ls -tr "$OUT_DIR"/cpu/*.json 2>/dev/null)
  if ((${#cpu[@]})); then
    echo
    echo "CPU per tier across each measured window (scripts/tier_cpu.py): CPU-ms per 1,000 requests" \
      "(2xx and errors), and in brackets the cores used. Sampled 10% of DURATION (at most 0.5 s) in" \
      "from each end of the window; each tier is its processes and their descendants. From /proc/stat:" \
      "machine busy, irq + softirq (loopback networking; this kernel also charges it to the processes" \
      "it interrupts, so it is mostly inside the tiers already) and other = machine busy - tiers" \
      "together (work of no tier, e.g. other work on the machine; the largest are named, approximately)."
    echo
    python3 "$TIER_CPU" table "${cpu[@]}"
  fi
  shopt -u nullglob
} | tee "$OUT_DIR/summary.md"
echo "reports, logs and summary.md are in $OUT_DIR" >&2

if ((${#FAILED[@]})); then
  echo "bench.sh: failed: ${FAILED[*]} (see $OUT_DIR/loadgen.log)" >&2
  exit 1
fi
