#!/usr/bin/env bash
# Media benchmarks (docs/BENCHMARKS.md, "Media"), each next to a reference measured in the
# same run on the same inputs:
#   1. a 12-megapixel JPEG to every stored file (original and the w150/w360/w680/w1200
#      variants in WebP and JPEG) on one core, next to libvips (`vipsthumbnail`, what
#      Mastodon uses) making the same files on the same core;
#   2. uploads per second with 4 clients at once through the API, next to libvips making
#      the same files 4 at a time;
#   3. the server's peak RSS while 8 clients upload 12-megapixel JPEGs at once;
#   4. a 30-second 1080p video from upload to ready, next to ffmpeg alone transcoding it.
#
#   scripts/bench-media.sh          # about 3 minutes after the build
# Environment: OUT_DIR [a new temp dir], SKIP_BUILD [0], DURATION [20] seconds per upload run,
#   RUNS [5] timed runs of the pipeline and of libvips.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT_DIR=${OUT_DIR:-$(mktemp -d /tmp/starling-bench-media.XXXXXX)}
DURATION=${DURATION:-20}
RUNS=${RUNS:-5}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$OUT_DIR"
cd "$ROOT"

need=()
command -v vipsthumbnail >/dev/null || need+=(libvips-tools)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
if (( ${#need[@]} )); then
  sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  cargo build --release --quiet -p starling-server -p starling-loadgen
fi
LOADGEN=$TARGET/release/starling-loadgen
STARLING=$TARGET/release/starling

echo "== inputs in $OUT_DIR"
PHOTO=$OUT_DIR/photo-12mp.jpg
# A photograph-like 4000 x 3000 (noise keeps it from compressing like a test card).
ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=4000x3000 -frames:v 1 \
  -vf noise=alls=24:allf=t -q:v 2 "$PHOTO"
VIDEO=$OUT_DIR/video-30s-1080p.mp4
ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=30:duration=30 \
  -f lavfi -i sine=frequency=440:duration=30 -c:v libx264 -preset veryfast -pix_fmt yuv420p \
  -c:a aac -shortest "$VIDEO"
ls -l "$PHOTO" "$VIDEO"

now() { date +%s.%N; }
elapsed_ms() { python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000, 1))" "$1" "$2"; }
median() { python3 -c "import sys, statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

# libvips making what Starling stores: the original re-encoded without metadata, and each
# width in WebP (Q 80) and JPEG (Q 85), auto-rotated and stripped, one process per file.
vips_all() {
  local dir=$1
  vips copy "$PHOTO" "$dir/original.jpg[Q=85,strip]"
  for w in 150 360 680 1200; do
    vipsthumbnail "$PHOTO" --size "${w}x" -o "$dir/w$w.webp[Q=80,strip]"
    vipsthumbnail "$PHOTO" --size "${w}x" -o "$dir/w$w.jpg[Q=85,strip]"
  done
}
export -f vips_all
export PHOTO

echo "== 1. one 12 MP JPEG to every file, one core"
taskset -c 0 "$LOADGEN" media-process --input "$PHOTO" --runs "$RUNS" | tee "$OUT_DIR/starling-process.json"
vips_times=()
for _ in $(seq "$RUNS"); do
  d=$(mktemp -d "$OUT_DIR/vips.XXXX")
  t0=$(now); VIPS_CONCURRENCY=1 taskset -c 0 bash -c "vips_all $d"; t1=$(now)
  vips_times+=("$(elapsed_ms "$t0" "$t1")")
done
startup=()
for _ in $(seq "$RUNS"); do
  t0=$(now); taskset -c 0 vips --version >/dev/null; t1=$(now); startup+=("$(elapsed_ms "$t0" "$t1")")
done
ls -l "$d" > "$OUT_DIR/vips-files.txt"
echo "libvips: ${vips_times[*]} ms (median $(median "${vips_times[@]}") ms for 9 processes; one 'vips --version' start: median $(median "${startup[@]}") ms)" | tee "$OUT_DIR/vips-process.txt"

echo "== server"
DATA=$(mktemp -d "$OUT_DIR/data.XXXX")
PORT=$("$LOADGEN" free-port)
"$STARLING" --port "$PORT" --data-dir "$DATA" --rate-limit off >"$OUT_DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
"$LOADGEN" wait --url "http://127.0.0.1:$PORT"

echo "== 2. uploads per second, 4 clients"
"$LOADGEN" media-upload --url "http://127.0.0.1:$PORT" --file "$PHOTO" -c 4 -d "$DURATION" --server-pid "$PID" \
  | tee "$OUT_DIR/upload-4.json"
t0=$(now)
seq 16 | VIPS_CONCURRENCY=1 xargs -P 4 -I{} bash -c 'd=$(mktemp -d); vips_all $d; rm -rf $d'
t1=$(now)
echo "libvips, 16 photos 4 at a time: $(elapsed_ms "$t0" "$t1") ms" | tee "$OUT_DIR/vips-4.txt"

echo "== 3. peak RSS, 8 clients uploading 12 MP JPEGs"
"$LOADGEN" media-upload --url "http://127.0.0.1:$PORT" --file "$PHOTO" -c 8 -d "$DURATION" --server-pid "$PID" \
  | tee "$OUT_DIR/upload-8.json"

echo "== 4. a 30 s 1080p video, upload to ready"
TOKEN=$(curl -fsS -H 'content-type: application/json' \
  -d '{"username":"videobench","password":"correct horse battery staple"}' \
  "http://127.0.0.1:$PORT/api/auth/register" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
t0=$(now)
ID=$(curl -fsS -H "authorization: Bearer $TOKEN" -F "file=@$VIDEO" "http://127.0.0.1:$PORT/api/media" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
while :; do
  STATE=$(curl -fsS -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/media/$ID" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  [[ $STATE != processing ]] && break
  sleep 0.2
done
t1=$(now)
echo "starling: 30 s 1080p video $STATE after $(elapsed_ms "$t0" "$t1") ms" | tee "$OUT_DIR/video.txt"
t0=$(now)
ffmpeg -nostdin -loglevel error -y -i "$VIDEO" -map 0:v:0 -map 0:a:0 -c:v libx264 -preset veryfast -crf 23 \
  -vf "scale=w='min(iw,1280)':h='min(ih,1280)':force_original_aspect_ratio=decrease:force_divisible_by=2,format=yuv420p" \
  -threads 1 -c:a aac -b:a 128k -movflags +faststart "$OUT_DIR/ffmpeg-alone.mp4"
t1=$(now)
echo "ffmpeg alone (same settings, one thread): $(elapsed_ms "$t0" "$t1") ms" | tee -a "$OUT_DIR/video.txt"
echo "== results in $OUT_DIR"
