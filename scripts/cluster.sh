#!/usr/bin/env bash
# Starling as a cluster on this machine: PostgreSQL, Redis, N stateless nodes and nginx in
# front of them, all on free loopback ports, in one temporary directory, as the current user
# (PostgreSQL as `postgres` when that is root: scripts/postgres.sh). docs/DEPLOYMENT.md
# explains the pieces; deploy/nginx.conf.template is the proxy's configuration.
#
#   scripts/cluster.sh [start] [--nodes N] [-- SERVE_ARGS...]
#       Start everything, print the URL, the nodes' URLs and where the logs are, then wait
#       in the foreground. Ctrl-C, SIGTERM or any failure stops everything it started and
#       deletes the directory (KEEP=1 keeps the directory, logs included).
#   eval "$(scripts/cluster.sh up [DIR] [--nodes N] [-- SERVE_ARGS...])"
#       The same, for tests and benchmarks: start everything in DIR (created; must be empty
#       if it exists; default a new temporary directory), print the exports below on stdout
#       (progress goes to stderr) and return. Everything keeps running until `down`. If
#       start-up fails, what was started is stopped and DIR deleted (KEEP=1 keeps it).
#         STARLING_CLUSTER_URL           http://127.0.0.1:PORT, nginx in front of the nodes
#         STARLING_CLUSTER_DIR           DIR, for `down`, `status` and `node`
#         STARLING_CLUSTER_NODES         the nodes' own URLs, space-separated, node 1 first
#         STARLING_CLUSTER_DATABASE_URL  the PostgreSQL database the nodes share
#         STARLING_CLUSTER_REDIS_URL     the Redis they share
#         STARLING_CLUSTER_S3_ENDPOINT   the S3-compatible server (moto) their media go to
#       (deliberately not STARLING_DATABASE_URL: a starling started later in the same shell
#       would take it as its own setting). DIR/cluster.env holds the same lines.
#   scripts/cluster.sh down DIR [--keep]
#       Stop nginx, the nodes (SIGTERM: each finishes its requests and releases its node id),
#       Redis and PostgreSQL, then delete DIR (--keep or KEEP=1: keep it, logs included).
#   scripts/cluster.sh status DIR
#       Each process, alive or not, and each node's /api/health.
#   scripts/cluster.sh node DIR K stop|kill|start
#       Stop node K (SIGTERM), kill it (SIGKILL: a crash), or start it again on its port,
#       for failover tests. After a kill, its node id stays leased for store.lease-ttl
#       (30 s): a start before then is refused by the node, as it should be.
#   scripts/cluster.sh redis DIR stop|start
#       Stop Redis or start it again on its port, for outage tests (the nodes keep serving
#       and reconnect by themselves). For PostgreSQL outages: scripts/postgres.sh pause|resume
#       "$(cat DIR/postgres)".
#
# SERVE_ARGS go to every `starling serve`, e.g. `-- --rate-limit off` for load tests.
# Each node K (1..N, default 3) runs with --node-id K --store postgres --host 127.0.0.1
# --port (its own) --data-dir DIR/node-K/data --trusted-proxies 127.0.0.1/32 and, from the
# environment, STARLING_DATABASE_URL and STARLING_REDIS_URL; other STARLING_* variables of
# the caller (STARLING_LOG, STARLING_STORE__POOL_SIZE, ...) reach the nodes unchanged.
#
# Layout of DIR: cluster.env; postgres (the path of scripts/postgres.sh's directory);
# redis/{redis.log,redis.pid,port}; node-K/{node.log,pid,port,data/}; nginx/{nginx.conf,
# error.log,access.log,pid}; bin and serve-args.sh (how `node K start` starts a node).
#
# Environment: STARLING_BIN [target/release/starling] the server binary; SKIP_BUILD=1 never
# builds (a missing binary is an error, a missing web/dist means nodes without the web UI);
# otherwise the binary is built if missing (`cargo build --release -p starling-server`, or
# always with BUILD=1: a binary older than the code is not rebuilt otherwise) and web/dist
# if missing, as scripts/start.sh does. Debian's postgresql, redis-server and nginx are
# installed if missing (apt-get, with sudo when not root).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEMPLATE=$ROOT/deploy/nginx.conf.template

say() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit "${1:-2}"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

nginx_bin() {
  command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true
}

# Debian's packages this needs, installed in one go if any is missing.
install_missing() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [[ -n $(nginx_bin) ]] || missing+=(nginx)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  if (( ${#missing[@]} )); then
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    say "installing ${missing[*]}"
    $sudo apt-get update -qq >&2
    # Debian may also start the packaged services (nginx on port 80, Redis on 6379); this
    # script runs its own on free ports and leaves those alone.
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

build() {
  if [[ ${SKIP_BUILD:-0} == 1 ]]; then
    [[ -x $BIN ]] || die "$BIN is missing (SKIP_BUILD=1): cargo build --release -p starling-server"
    return
  fi
  if [[ ! -f $ROOT/web/dist/index.html ]]; then
    if command -v npm >/dev/null; then
      say "building the web UI (web/dist)"
      if [[ ! -f $ROOT/web/node_modules/.package-lock.json \
            || $ROOT/web/package-lock.json -nt $ROOT/web/node_modules/.package-lock.json ]]; then
        (cd "$ROOT/web" && npm ci --no-audit --no-fund --loglevel=error) >&2
      fi
      (cd "$ROOT/web" && npm run build --silent) >&2
    else
      say "npm not found: the nodes serve the API without the web UI (Node.js 20+ builds it)"
    fi
  fi
  if [[ ! -x $BIN || ${BUILD:-0} == 1 ]]; then
    [[ $BIN == "$ROOT/target/release/starling" ]] \
      || die "$BIN: this script builds only target/release/starling (STARLING_BIN names another)"
    say "building the release binary"
    (cd "$ROOT" && cargo build --release -p starling-server) >&2
  fi
}

# --- processes, by the pid files this script writes --------------------------------------

# owned PID TEXT: PID is alive and its command line contains TEXT (a pid file can outlive
# its process, and the pid be taken by another). A process that has exited but is not yet
# reaped has an empty command line, so it counts as gone.
owned() {
  [[ -n ${1:-} && -r /proc/$1/cmdline ]] && tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF -- "$2"
}

# launching PID TEXT: owned, or just started with `&` and not yet at its exec, when its
# command line is still this script's (on a busy machine a wait loop can look that early).
# One reading of the command line for both tests: the exec may happen between two readings.
launching() {
  local cmd
  [[ -n ${1:-} && -r /proc/$1/cmdline ]] || return 1
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ -n $cmd && ($cmd == *"$2"* || $cmd == *"$0"*) ]]
}

# stop_pid PID TEXT SIGNAL SECONDS: send SIGNAL, wait up to SECONDS, then SIGKILL.
stop_pid() {
  local pid=$1 text=$2 signal=$3 seconds=$4 i
  owned "$pid" "$text" || return 0
  kill "-$signal" "$pid" 2>/dev/null || return 0
  for ((i = 0; i < seconds * 10; i++)); do
    owned "$pid" "$text" || return 0
    sleep 0.1
  done
  say "pid $pid did not stop within ${seconds}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# setting NAME: NAME's value in $DIR/cluster.env (read, not sourced, so the nodes'
# environment holds only what node_start gives it).
setting() { sed -n "s/^export $1=//p" "$DIR/cluster.env" | tr -d '"'; }

# node_start K: start node K of the cluster in $DIR, on its recorded port.
node_start() {
  local k=$1 nd=$DIR/node-$1 SERVE_ARGS=()
  # shellcheck disable=SC1091 # written by `up` with `declare -p SERVE_ARGS`
  source "$DIR/serve-args.sh"
  local args=(serve --host 127.0.0.1 --port "$(cat "$nd/port")" --data-dir "$nd/data"
              --node-id "$k" --store postgres --trusted-proxies 127.0.0.1/32)
  if [[ -f $ROOT/web/dist/index.html ]]; then args+=(--web-dir "$ROOT/web/dist"); fi
  # setsid: a Ctrl-C meant for this script does not reach the nodes; it stops them in order.
  # NO_COLOR: plain text in the log files.
  # Media on the shared S3-compatible server (a node's own disk would serve its uploads only).
  NO_COLOR=1 STARLING_DATABASE_URL=$(setting STARLING_CLUSTER_DATABASE_URL) \
    STARLING_REDIS_URL=$(setting STARLING_CLUSTER_REDIS_URL) \
    STARLING_ENGINE__MEDIA__STORAGE__KIND=s3 \
    STARLING_ENGINE__MEDIA__STORAGE__ENDPOINT=$(setting STARLING_CLUSTER_S3_ENDPOINT) \
    STARLING_ENGINE__MEDIA__STORAGE__BUCKET=starling-media \
    STARLING_ENGINE__MEDIA__STORAGE__ACCESS_KEY_ID=starling \
    STARLING_ENGINE__MEDIA__STORAGE__SECRET_ACCESS_KEY=starling-local \
    setsid "$(cat "$DIR/bin")" "${args[@]}" "${SERVE_ARGS[@]}" </dev/null >>"$nd/node.log" 2>&1 &
  echo "$!" >"$nd/pid"
}

# node_wait K: until node K answers /api/health (60 s: the first node applies migrations,
# and a node waits for nobody else's lease on its id).
node_wait() {
  local k=$1 nd=$DIR/node-$1 pid url deadline=$((SECONDS + 60))
  pid=$(cat "$nd/pid")
  url=http://127.0.0.1:$(cat "$nd/port")/api/health
  while ((SECONDS < deadline)); do
    if curl -fsS --max-time 1 -o /dev/null "$url" 2>/dev/null; then return 0; fi
    launching "$pid" "$nd/data" || break
    sleep 0.1
  done
  say "node $k did not become healthy; the end of $nd/node.log:"
  tail -n 30 "$nd/node.log" >&2 || true
  return 1
}

# redis_start: Redis for the cluster in $DIR, on its recorded port. No persistence: Redis
# holds no truth (live events between nodes, shared rate limits), so a restart starts empty.
redis_start() {
  local port i
  port=$(cat "$DIR/redis/port")
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --daemonize yes --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/redis/redis.log" \
    --dir "$DIR/redis" </dev/null >&2
  for ((i = 0; i < 100; i++)); do
    [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.1
  done
  tail -n 20 "$DIR/redis/redis.log" >&2
  die "Redis did not start"
}

redis_stop() {
  if [[ -f $DIR/redis/redis.pid ]]; then
    stop_pid "$(cat "$DIR/redis/redis.pid")" "127.0.0.1:$(cat "$DIR/redis/port")" TERM 10
  fi
}

node_stop() { # node_stop K SIGNAL
  local nd=$DIR/node-$1
  if [[ -f $nd/pid ]]; then stop_pid "$(cat "$nd/pid")" "$nd/data" "$2" 15; fi
}

# down: stop what $DIR records, in the order that drops no acknowledged work: the proxy
# first (no new requests), then the nodes (each finishes its own), then what they share.
down() {
  local nd pgdir
  # Graceful: nginx finishes requests in flight; the template's worker_shutdown_timeout
  # (10 s) closes what is left, WebSockets included.
  if [[ -f $DIR/nginx/pid ]]; then
    stop_pid "$(cat "$DIR/nginx/pid")" "$DIR/nginx/nginx.conf" QUIT 15
  fi
  # SIGTERM to every node at once, then wait for each (api.connections.shutdown-grace: 10 s).
  for nd in "$DIR"/node-*; do
    if [[ -f $nd/pid ]] && owned "$(cat "$nd/pid")" "$nd/data"; then
      kill -TERM "$(cat "$nd/pid")" 2>/dev/null || true
    fi
  done
  for nd in "$DIR"/node-*; do
    if [[ -f $nd/pid ]]; then stop_pid "$(cat "$nd/pid")" "$nd/data" TERM 15; fi
  done
  redis_stop
  if [[ -f $DIR/s3.pid ]]; then "$ROOT/scripts/s3.sh" stop "$(cat "$DIR/s3.pid")"; fi
  if [[ -f $DIR/postgres ]]; then
    pgdir=$(cat "$DIR/postgres")
    if [[ -d $pgdir ]]; then "$ROOT/scripts/postgres.sh" stop "$pgdir"; fi
  fi
}

# --- up ----------------------------------------------------------------------------------

up() {
  (( NODES >= 1 && NODES <= 1023 )) || die "--nodes must be 1-1023 (node ids are 1..N)"
  # scripts/postgres.sh allows 400 connections; each node keeps up to store.pool-size.
  local pool=${STARLING_STORE__POOL_SIZE:-16}
  (( NODES * pool <= 390 )) \
    || die "$NODES nodes x $pool connections exceed the local PostgreSQL's 400: set STARLING_STORE__POOL_SIZE"
  [[ -f $TEMPLATE ]] || die "$TEMPLATE is missing"
  install_missing
  BIN=${STARLING_BIN:-$ROOT/target/release/starling}
  build
  local nginx k
  nginx=$(nginx_bin)

  if [[ -z $DIR ]]; then
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/starling-cluster.XXXXXX")
  else
    [[ ! -e $DIR || -z $(ls -A "$DIR" 2>/dev/null) ]] || die "$DIR exists and is not empty"
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
  fi
  STARTED=1
  # nginx's workers run as `nobody` when root starts it: they must reach DIR/nginx.
  chmod 755 "$DIR"
  echo "$BIN" >"$DIR/bin"
  declare -p SERVE_ARGS >"$DIR/serve-args.sh"

  say "PostgreSQL (scripts/postgres.sh)"
  local pg pg_url pg_dir
  pg=$("$ROOT/scripts/postgres.sh" start)
  pg_url=$(sed -n 's/^export STARLING_TEST_DATABASE_URL=//p' <<<"$pg")
  pg_dir=$(sed -n 's/^export STARLING_TEST_PGDIR=//p' <<<"$pg")
  [[ -n $pg_url && -n $pg_dir ]] || die "scripts/postgres.sh printed no database: $pg"
  echo "$pg_dir" >"$DIR/postgres"

  say "Redis"
  local redis_port
  mkdir -p "$DIR/redis"
  redis_port=$(free_port)
  echo "$redis_port" >"$DIR/redis/port"
  redis_start

  say "S3-compatible storage for media (scripts/s3.sh: moto, in memory)"
  local s3 s3_url
  s3=$("$ROOT/scripts/s3.sh" start)
  s3_url=$(sed -n 's/^export STARLING_TEST_S3_ENDPOINT=//p' <<<"$s3")
  sed -n 's/^export STARLING_TEST_S3_PID=//p' <<<"$s3" >"$DIR/s3.pid"
  [[ -n $s3_url ]] || die "scripts/s3.sh printed no endpoint: $s3"
  curl -fsS -X PUT -o /dev/null "$s3_url/starling-media" || die "could not create the media bucket"

  local nginx_port
  nginx_port=$(free_port)
  cat >"$DIR/cluster.env" <<EOF
export STARLING_CLUSTER_URL=http://127.0.0.1:$nginx_port
export STARLING_CLUSTER_DIR=$DIR
export STARLING_CLUSTER_DATABASE_URL=$pg_url
export STARLING_CLUSTER_REDIS_URL=redis://127.0.0.1:$redis_port/
export STARLING_CLUSTER_S3_ENDPOINT=$s3_url
EOF

  say "$NODES nodes ($BIN)"
  local nodes="" upstreams=""
  for ((k = 1; k <= NODES; k++)); do
    mkdir -p "$DIR/node-$k/data"
    free_port >"$DIR/node-$k/port"
    node_start "$k"
  done
  for ((k = 1; k <= NODES; k++)); do
    node_wait "$k" || die "node $k did not start"
    nodes+="${nodes:+ }http://127.0.0.1:$(cat "$DIR/node-$k/port")"
    # A node that fails is left alone for 5 s, then tried again.
    upstreams+="server 127.0.0.1:$(cat "$DIR/node-$k/port") max_fails=1 fail_timeout=5s;"$'\n        '
  done
  echo "export STARLING_CLUSTER_NODES=\"$nodes\"" >>"$DIR/cluster.env"

  say "nginx ($nginx)"
  local conf
  mkdir -p "$DIR/nginx"
  conf=$(<"$TEMPLATE")
  conf=${conf//@UPSTREAMS@/$upstreams}
  conf=${conf//@RUNDIR@/$DIR/nginx}
  conf=${conf//@LISTEN@/127.0.0.1:$nginx_port}
  printf '%s\n' "$conf" >"$DIR/nginx/nginx.conf"
  local nginx_args=(-p "$DIR/nginx" -e "$DIR/nginx/error.log" -c "$DIR/nginx/nginx.conf")
  "$nginx" -t -q "${nginx_args[@]}" || die "nginx refused $DIR/nginx/nginx.conf"
  # `daemon off`: the process started here is nginx's master.
  setsid "$nginx" "${nginx_args[@]}" </dev/null >>"$DIR/nginx/error.log" 2>&1 &
  echo "$!" >"$DIR/nginx/pid"
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    curl -fsS --max-time 1 -o /dev/null "http://127.0.0.1:$nginx_port/api/health" 2>/dev/null && break
    launching "$(cat "$DIR/nginx/pid")" "$DIR/nginx/nginx.conf" || break
    sleep 0.1
  done
  curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$nginx_port/api/health" \
    || { tail -n 20 "$DIR/nginx/error.log" >&2; die "no answer from /api/health through nginx"; }
  UP_OK=1
}

# After a failed start-up: stop what was started; KEEP=1 keeps the directory and its logs.
cleanup_failed_up() {
  if [[ ${STARTED:-0} == 1 && ${UP_OK:-0} != 1 ]]; then
    say "start-up failed: stopping what was started"
    down
    if [[ $KEEP == 1 ]]; then say "kept $DIR"; else rm -rf "$DIR"; fi
  fi
}

# The foreground mode's exit, whatever the cause: stop everything.
stop_all() {
  if [[ ${UP_OK:-0} != 1 ]]; then cleanup_failed_up; return; fi
  say "stopping"
  down
  if [[ $KEEP == 1 ]]; then say "kept $DIR"; else rm -rf "$DIR"; fi
}

describe() {
  local k
  {
    echo
    echo "Starling: $NODES nodes behind nginx at $(setting STARLING_CLUSTER_URL)"
    for ((k = 1; k <= NODES; k++)); do
      echo "  node $k     http://127.0.0.1:$(cat "$DIR/node-$k/port")  log $DIR/node-$k/node.log"
    done
    echo "  nginx      logs $DIR/nginx/access.log, $DIR/nginx/error.log"
    echo "  PostgreSQL $(setting STARLING_CLUSTER_DATABASE_URL)  log $(cat "$DIR/postgres")/server.log"
    echo "  Redis      $(setting STARLING_CLUSTER_REDIS_URL)  log $DIR/redis/redis.log"
  } >&2
}

# DIR for down, status and node: one this script made.
existing_dir() {
  DIR=${positional[0]:?usage: cluster.sh $COMMAND DIR}
  [[ -f $DIR/cluster.env ]] || die "$DIR is not a cluster directory (no cluster.env)"
  DIR=$(cd "$DIR" && pwd)
  NODES=$(find "$DIR" -maxdepth 1 -name 'node-*' | wc -l)
}

# --- commands ----------------------------------------------------------------------------

COMMAND=start
case "${1:-}" in
  start|up|down|status|node|redis) COMMAND=$1; shift ;;
  -h|--help|help) usage 0 ;;
esac
DIR=""
NODES=3
SERVE_ARGS=()
KEEP=${KEEP:-0}
positional=()
while (( $# )); do
  case "$1" in
    --nodes) NODES=${2:?--nodes needs a number}; shift 2 ;;
    --nodes=*) NODES=${1#--nodes=}; shift ;;
    --keep) KEEP=1; shift ;;
    --) shift; SERVE_ARGS=("$@"); break ;;
    -h|--help) usage 0 ;;
    -*) say "unknown option $1"; usage ;;
    *) positional+=("$1"); shift ;;
  esac
done
[[ $NODES =~ ^[0-9]+$ ]] || die "--nodes must be a number"

case $COMMAND in
  start)
    (( ${#positional[@]} == 0 )) || usage
    trap stop_all EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    up
    describe
    echo "Ctrl-C stops everything." >&2
    # Wait here. Say when a node exits (nginx sends its requests to the others); stop
    # everything if nginx does.
    declare -A reported=()
    while owned "$(cat "$DIR/nginx/pid")" "$DIR/nginx/nginx.conf"; do
      for ((k = 1; k <= NODES; k++)); do
        if [[ -z ${reported[$k]:-} ]] && ! owned "$(cat "$DIR/node-$k/pid")" "$DIR/node-$k/data"; then
          say "node $k exited; the end of its log:"
          tail -n 10 "$DIR/node-$k/node.log" >&2
          reported[$k]=1
        fi
      done
      sleep 1 &
      wait $! || true
    done
    die "nginx exited; the end of $DIR/nginx/error.log: $(tail -n 5 "$DIR/nginx/error.log")"
    ;;
  up)
    (( ${#positional[@]} <= 1 )) || usage
    DIR=${positional[0]:-}
    trap cleanup_failed_up EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    up
    describe
    cat "$DIR/cluster.env"
    ;;
  down)
    existing_dir
    down
    if [[ $KEEP == 1 ]]; then say "stopped; kept $DIR"; else rm -rf "$DIR"; fi
    ;;
  status)
    existing_dir
    running() { if owned "$(cat "$1" 2>/dev/null)" "$2"; then echo running; else echo "not running"; fi; }
    health() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1/api/health" || true; }
    url=$(setting STARLING_CLUSTER_URL)
    echo "nginx $url: $(running "$DIR/nginx/pid" "$DIR/nginx/nginx.conf"), health $(health "$url")"
    for ((k = 1; k <= NODES; k++)); do
      url=http://127.0.0.1:$(cat "$DIR/node-$k/port")
      echo "node $k $url: $(running "$DIR/node-$k/pid" "$DIR/node-$k/data"), health $(health "$url")"
    done
    echo "redis $(setting STARLING_CLUSTER_REDIS_URL): $(redis-cli -p "$(cat "$DIR/redis/port")" ping 2>&1 || true)"
    echo "postgresql $(setting STARLING_CLUSTER_DATABASE_URL): $(cat "$DIR/postgres")"
    ;;
  node)
    existing_dir
    k=${positional[1]:?usage: cluster.sh node DIR K stop|kill|start}
    [[ -d $DIR/node-$k ]] || die "no node $k in $DIR"
    case "${positional[2]:-}" in
      stop) node_stop "$k" TERM ;;
      kill) node_stop "$k" KILL ;;
      start)
        ! owned "$(cat "$DIR/node-$k/pid")" "$DIR/node-$k/data" || die "node $k is running"
        node_start "$k"
        node_wait "$k"
        ;;
      *) die "usage: cluster.sh node DIR K stop|kill|start" ;;
    esac
    ;;
  redis)
    existing_dir
    case "${positional[1]:-}" in
      stop) redis_stop ;;
      start)
        ! owned "$(cat "$DIR/redis/redis.pid" 2>/dev/null)" "127.0.0.1:$(cat "$DIR/redis/port")" \
          || die "Redis is running"
        redis_start
        ;;
      *) die "usage: cluster.sh redis DIR stop|start" ;;
    esac
    ;;
esac
