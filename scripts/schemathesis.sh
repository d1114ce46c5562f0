#!/usr/bin/env bash
# Fuzz the HTTP API against its own OpenAPI document with schemathesis: every operation
# gets examples, boundary values and random inputs, then stateful sequences (create a
# tweet, then edit/publish/engage with it), and each response must be no 5xx and match
# the documented status codes, content types and schemas.
#
# Usage: scripts/schemathesis.sh [PATH_TO_STARLING_BINARY [SCHEMATHESIS_RUN_ARGS...]]
#   The binary defaults to $STARLING_BIN, then target/release/starling (this script does
#   not build it: scripts/test.sh builds it before calling this). Further arguments go to
#   `schemathesis run` as they are, e.g. `--report=har --report-dir=/tmp/st` to keep
#   every request and response for a closer look.
# Environment:
#   STARLING_CACHE_DIR          where the schemathesis virtualenv lives (default ~/.cache/starling)
#   SCHEMATHESIS_MAX_EXAMPLES   test cases per operation and phase (default 100)
#   SCHEMATHESIS_SEED           generation seed (default fixed, so a failure reproduces)
#   SCHEMATHESIS_JUNIT_PATH     keep the JUnit report there (default: a temporary file)
set -euo pipefail

# Pinned exactly: a newer schemathesis adds checks and changes generation, which would
# turn a green run red without any change on our side.
SCHEMATHESIS_VERSION=4.32.5

# Resolve a relative binary path against the caller's directory, before moving to the root.
bin=${1:-${STARLING_BIN:-}}
(( $# )) && shift
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -z $bin ]]; then
  bin=$ROOT/target/release/starling
elif [[ $bin != /* ]]; then
  bin=$PWD/$bin
fi
if [[ ! -x $bin ]]; then
  echo "schemathesis.sh: no executable starling binary at $bin (build it first)" >&2
  exit 2
fi
# 100 finds the same failures as 300 at a third of the time (about 25 s against a debug
# build on 2 cores; 30 misses a few); the stateful phase hardly grows with it anyway.
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-100}
seed=${SCHEMATHESIS_SEED:-20261122}

# ---- the virtualenv -------------------------------------------------------------------
cache=${STARLING_CACHE_DIR:-$HOME/.cache/starling}
venv=$cache/schemathesis-venv
stamp=$venv/.starling-stamp
want_stamp="schemathesis==$SCHEMATHESIS_VERSION"

apt_install() {
  local sudo=""
  [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Debian ships python3 without ensurepip; `python3 -m venv` then fails half-way.
if ! command -v python3 >/dev/null; then
  apt_install python3 python3-venv
elif ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt_install python3-venv
fi

# The stamp is written last, so an interrupted install is redone rather than trusted; the
# python check catches a venv whose interpreter was upgraded or removed underneath it.
if [[ ! -f $stamp || $(<"$stamp") != "$want_stamp" ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
  echo "schemathesis: installing $want_stamp into $venv"
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$want_stamp"
  printf '%s\n' "$want_stamp" >"$stamp"
fi

# ---- the server -----------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/starling-schemathesis.XXXXXX")
server_pid=""
runner_pid=""
# shellcheck disable=SC2317  # called from the EXIT trap, which shellcheck 0.9 cannot follow
stop() {
  if [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
# shellcheck disable=SC2317  # likewise
cleanup() {
  stop "$runner_pid"
  stop "$server_pid"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Rate limiting off: schemathesis sends far more than 200 requests a second from one IP,
# and 429s would only hide what the fuzzing is after.
STARLING_LOG=${STARLING_LOG:-warn} "$bin" serve --port 0 --host 127.0.0.1 \
  --data-dir "$work/data" --rate-limit off >"$work/server.out" 2>"$work/server.log" &
server_pid=$!

addr=""
for _ in $(seq 300); do
  addr=$(sed -n 's#^starling listening on http://##p' "$work/server.out")
  [[ -n $addr ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "schemathesis.sh: starling exited before listening:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z $addr ]]; then
  echo "schemathesis.sh: starling did not print its address within 30 s" >&2
  exit 1
fi
base=http://$addr

# ---- a user to act as -----------------------------------------------------------------
export STARLING_URL=$base STARLING_USER=schemathesis STARLING_PASSWORD=schemathesis-password
STARLING_TOKEN=$("$venv/bin/python" - <<'EOF'
import json, os, urllib.request
body = json.dumps({"username": os.environ["STARLING_USER"], "password": os.environ["STARLING_PASSWORD"]}).encode()
req = urllib.request.Request(os.environ["STARLING_URL"] + "/api/auth/register", data=body,
                             headers={"Content-Type": "application/json"}, method="POST")
with urllib.request.urlopen(req, timeout=30) as resp:
    print(json.load(resp)["token"])
EOF
)
export STARLING_TOKEN

# The token goes in through an auth hook rather than `-H Authorization: ...`: a header
# given with -H is sent on every request, logout included, and the first fuzzed logout
# would revoke it, leaving every later authenticated request a 401 that tests nothing.
# So the operations that end sessions (logout, logout-all, and revoking a session, whose
# id the stateful phase takes from the shared user's session list) get a fresh token each
# time, and everything else the shared one. The fresh token comes from registering a
# throwaway user, not from logging in: the fuzzed logins (random credentials, all from
# this address) soon trip the failed-login throttle, after which every login from here
# answers 429 `too_many_attempts` for minutes.
cat >"$work/hooks.py" <<'EOF'
import json
import os
import secrets
import urllib.request
import zlib

import schemathesis

BASE = os.environ["STARLING_URL"]


def bearer(case, token):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


@(schemathesis.auth(refresh_interval=None)
  .apply_to(method="POST", path="/api/auth/logout")
  .apply_to(method="POST", path="/api/auth/logout-all")
  .apply_to(method="DELETE", path="/api/me/sessions/{id}"))
class ThrowawayToken:
    def get(self, case, ctx):
        # Usernames are 1-15 of [A-Za-z0-9_]: "st_" and 12 random hex digits, which
        # neither the shared user nor a fuzzed registration will have taken.
        body = json.dumps({"username": f"st_{secrets.token_hex(6)}", "password": secrets.token_hex(16)})
        req = urllib.request.Request(BASE + "/api/auth/register", data=body.encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)["token"]

    def set(self, case, data, ctx):
        bearer(case, data)


# A generated replyToId names no tweet (422), so most fuzzed creates would fail on it, and
# the stateful phase would have few tweets to follow links from (edit, publish, engage...).
# Keep it in one body in four, picked from the body itself: the run stays a function of
# the seed alone.
@schemathesis.hook("map_body").apply_to(method="POST", path="/api/tweets")
def fewer_replies(ctx, body):
    if isinstance(body, dict) and "replyToId" in body:
        if zlib.crc32(json.dumps(body, sort_keys=True).encode()) % 4:
            body = {k: v for k, v in body.items() if k != "replyToId"}
    return body


@schemathesis.auth()
class SharedToken:
    def get(self, case, ctx):
        return os.environ["STARLING_TOKEN"]

    def set(self, case, data, ctx):
        bearer(case, data)
EOF

# ---- the run --------------------------------------------------------------------------
# /api/stream is excluded: it is a WebSocket upgrade, which schemathesis cannot speak. Every
# plain GET it sends is refused by axum's upgrade extractor (400, text/plain, "Connection
# header did not include 'upgrade'") before any of our code runs, so all it could report is
# that same refusal, over and over; crates/starling-server/tests/stream.rs tests the protocol.
# One worker (the default, said aloud): with more, the order of requests, and so what the
# stateful phase finds, depends on scheduling and not on the seed alone.
# --continue-on-failure: without it each operation stops at its first failure, so one
# known doc gap (say, an undocumented 415) hides every other problem of that operation.
# --output-sanitize=false: the token belongs to a throwaway user on a throwaway server, and
# masked, the printed curl commands send `Authorization: [Filtered]` and reproduce only a 401.
# The generation database is off so that a run depends on the seed alone, not on what an
# earlier run left behind (it would also write .hypothesis/ into the work tree).
junit=${SCHEMATHESIS_JUNIT_PATH:-$work/junit.xml}
[[ $junit == /* ]] || junit=$PWD/$junit
cmd=(
  "$venv/bin/schemathesis" run "$base/api/openapi.json"
  --phases="examples,coverage,fuzzing,stateful"
  --checks="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
  --exclude-path=/api/stream
  --workers=1
  --max-examples="$max_examples"
  --seed="$seed"
  --generation-database=none
  --request-timeout=30
  --continue-on-failure
  --output-sanitize=false
  "$@"
  # Last, so that extra arguments cannot move the report the closing line is counted from.
  # The path alone turns the JUnit report on: a `--report=junit` here would override an
  # earlier `--report=har` given as an extra argument (the last `--report` wins).
  --report-junit-path="$junit"
)
echo "schemathesis: ${cmd[*]}"
start=$SECONDS
status=0
# In the background and waited for: bash runs a trap only once the foreground command is
# done, so a SIGTERM (a CI timeout, say) would otherwise wait out the whole run.
(cd "$work" && SCHEMATHESIS_HOOKS="$work/hooks.py" exec "${cmd[@]}") &
runner_pid=$!
wait "$runner_pid" || status=$?
runner_pid=""
elapsed=$((SECONDS - start))

# A server that died mid-run turns every later request into a connection error; say so
# plainly, with its log, rather than leaving a wall of network failures to decode.
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "schemathesis: starling died during the run; its log:" >&2
  tail -n 50 "$work/server.log" >&2
  status=1
fi
# schemathesis shows a 5xx with its body only, which says nothing internal by design; the
# cause is in the server log (an `internal error` line).
if grep -qE 'ERROR|panicked' "$work/server.log"; then
  echo "schemathesis: errors in the server log:" >&2
  grep -E 'ERROR|panicked' "$work/server.log" | head -n 40 >&2
fi

# The JUnit report has one test case per API operation (all phases together) plus one for
# the stateful suite: count those that passed and those that failed or errored.
read -r passed failed < <("$venv/bin/python" - "$junit" <<'EOF' 2>/dev/null || echo "0 0"
import sys
import xml.etree.ElementTree as ET

passed = failed = 0
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    outcomes = {child.tag for child in case}
    if outcomes & {"failure", "error"}:
        failed += 1
    elif "skipped" not in outcomes:
        passed += 1
print(passed, failed)
EOF
)
if (( status != 0 && failed == 0 )); then
  # schemathesis failed without a failed operation (bad schema, crash): count the run.
  failed=1
fi
echo "schemathesis took ${elapsed}s (exit code $status)"
echo "schemathesis: $passed passed, $failed failed"
exit "$status"
