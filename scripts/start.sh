#!/usr/bin/env bash
# Build the web UI and the server, then start Starling at http://127.0.0.1:3001
# (data in ./data). Extra arguments go to `starling serve`, e.g. --port 8080.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

command -v npm >/dev/null || { echo "start.sh: Node.js 20+ and npm are needed to build the web UI" >&2; exit 1; }
# Install the web dependencies only when the lock file changed since the last install.
if [[ ! -f web/node_modules/.package-lock.json || web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then
  (cd web && npm ci --no-audit --no-fund)
fi
(cd web && npm run build --silent)
cargo build --release -p starling-server
exec ./target/release/starling serve --web-dir web/dist "$@"
