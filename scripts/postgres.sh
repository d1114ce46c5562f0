#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: Debian's PostgreSQL (installed if
# missing), run as the `postgres` user when we are root (PostgreSQL refuses to run as
# root), in a temporary directory, on a free loopback port.
#
#   eval "$(scripts/postgres.sh start)"   # exports STARLING_TEST_DATABASE_URL, STARLING_TEST_PGDIR
#   scripts/postgres.sh pause DIR         # stop the server, keep its data (outage tests)
#   scripts/postgres.sh resume DIR        # start it again on the same port
#   scripts/postgres.sh stop DIR          # stop it and delete everything
set -euo pipefail

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ]; then
    echo "postgres.sh: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}

# Run as the owner of the data directory: `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_server() {
  local bin=$1 dir=$2 port
  port=$(cat "$dir/port")
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
}

case "${1:-}" in
  start)
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/starling-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync and synchronous_commit stay on: the tests check durable acknowledgement.
    echo "$port" >"$dir/port"
    start_server "$bin" "$dir"
    echo "export STARLING_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    echo "export STARLING_TEST_PGDIR=$dir"
    ;;
  pause)
    dir=${2:?usage: postgres.sh pause DIR}
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >&2
    ;;
  resume)
    dir=${2:?usage: postgres.sh resume DIR}
    start_server "$(pg_bin)" "$dir"
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop DIR}
    bin=$(pg_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start | pause DIR | resume DIR | stop DIR" >&2
    exit 2
    ;;
esac
