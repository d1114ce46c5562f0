#!/usr/bin/env bash
# Run every test: formatting and lints, the Rust workspace (unit, storage conformance on
# SQLite and PostgreSQL, text conformance, API over real HTTP on both backends,
# concurrency, crash safety, attacks, demo),
# schemathesis against the OpenAPI document, the web UI's component tests, the
# end-to-end test in headless Chromium, and a benchmark smoke run.
# Installs what it needs (npm packages, Debian's chromium, postgresql, redis-server and
# nginx) on a fresh machine, and starts a throwaway PostgreSQL server (scripts/postgres.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
step() { printf '\n==== %s\n' "$*"; }

step "system packages"
# Debian's Chromium (end-to-end test), an emoji font (screenshots), curl and python3 (demo.sh).
missing=()
[[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] || missing+=(chromium fonts-noto-color-emoji)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
# Debian's PostgreSQL: the storage conformance suite and the API tests run on it too.
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
# Redis and nginx: the cluster (scripts/cluster.sh) and the nginx template's check.
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || missing+=(nginx)
# ffmpeg (video and GIF processing, and the test corpus), exiftool (metadata checks).
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v exiftool >/dev/null || missing+=(libimage-exiftool-perl)
# python3-venv: scripts/s3.sh installs moto (the S3-compatible server) into a venv.
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if (( ${#missing[@]} )); then
  sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null || true

# One full run gains nothing from incremental state and it is the largest part of target/
# (several GB); a developer's own `cargo test` keeps it.
export CARGO_INCREMENTAL=0

step "rust: format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "containers: hadolint, compose.yaml, nginx -t (the image is not built here: no Docker engine)"
scripts/lint-containers.sh

step "rust: build (release binaries for the end-to-end and benchmark runs)"
cargo build --release --quiet -p starling-server -p starling-loadgen

step "postgresql: a throwaway server (as the postgres user, temporary directory, free port)"
eval "$(scripts/postgres.sh start)"
trap 'scripts/postgres.sh stop "$STARLING_TEST_PGDIR"' EXIT
echo "PostgreSQL for the tests at $STARLING_TEST_DATABASE_URL"

step "s3: a throwaway S3-compatible server (moto, cached under ~/.cache/starling)"
eval "$(scripts/s3.sh start)"
trap 'scripts/postgres.sh stop "$STARLING_TEST_PGDIR"; scripts/s3.sh stop "$STARLING_TEST_S3_PID"' EXIT
echo "S3 for the tests at $STARLING_TEST_S3_ENDPOINT"

step "rust: tests (the storage conformance suite runs on SQLite and PostgreSQL; the API tests on SQLite)"
cargo test --workspace --quiet

step "rust: the API tests again, on PostgreSQL"
STARLING_TEST_BACKEND=postgres cargo test --quiet -p starling-server --test api

step "rust: the media API tests again, with blobs on the S3-compatible server"
STARLING_TEST_MEDIA=s3 cargo test --quiet -p starling-server --test api media::

step "api: schemathesis against the OpenAPI document (stateful phase included)"
scripts/schemathesis.sh "$ROOT/target/release/starling"

step "web: install"
(cd web && npm ci --no-audit --no-fund --loglevel=error)

step "web: component tests"
(cd web && npm test --silent)

step "web: end-to-end in headless Chromium"
(cd web && STARLING_BIN="$ROOT/target/release/starling" npm run e2e --silent)

step "web: throttled-phone measurements (reported, not asserted; web/README.md)"
(cd web && STARLING_BIN="$ROOT/target/release/starling" PERF_RUNS=1 npm run perf --silent)

step "benchmark smoke run"
SKIP_BUILD=1 scripts/bench.sh --quick
