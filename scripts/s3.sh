#!/usr/bin/env bash
# A throwaway S3-compatible server for the tests: moto (from PyPI) in server mode, on a
# free loopback port. moto is installed once into a virtual environment under
# ${STARLING_CACHE:-$HOME/.cache/starling}/moto and reused.
#
#   eval "$(scripts/s3.sh start)"   # exports STARLING_TEST_S3_ENDPOINT, STARLING_TEST_S3_PID
#   scripts/s3.sh stop PID
set -euo pipefail

cache=${STARLING_CACHE:-$HOME/.cache/starling}
venv=$cache/moto

case "${1:-}" in
  start)
    if [ ! -x "$venv/bin/moto_server" ]; then
      echo "s3.sh: installing moto into $venv" >&2
      mkdir -p "$cache"
      python3 -m venv "$venv" >&2
      "$venv/bin/pip" install -q 'moto[server]==5.*' >&2
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    log=$(mktemp /tmp/starling-s3.XXXXXX.log)
    "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
      if curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1; then break; fi
      sleep 0.1
    done
    curl -fsS "http://127.0.0.1:$port/" >/dev/null || { cat "$log" >&2; exit 1; }
    echo "export STARLING_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
    echo "export STARLING_TEST_S3_PID=$pid"
    ;;
  stop)
    kill "${2:?usage: s3.sh stop PID}" 2>/dev/null || true
    ;;
  *)
    echo "usage: $0 start | stop PID" >&2
    exit 2
    ;;
esac
