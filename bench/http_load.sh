#!/usr/bin/env bash
# HTTP load benchmark (loopback, wrk 2 threads, 64 connections): the bare Beast hello
# JSON baseline (bench/http_hello_server.cc), then POST /capture on `serialtrack serve`
# over a fresh database (bench/wrk_capture.lua, $EVENTS events per document).
#   bench/http_load.sh [BUILD_DIR] [DURATION]     e.g. bench/http_load.sh build 10s
# Needs wrk (scripts/install-deps). Run on an otherwise idle machine.
set -euo pipefail
build=${1:-build}
duration=${2:-10s}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server printing "listening on URL"; sets $url.
start() {
  "$@" > "$work/out" 2> "$work/err" &
  pids+=($!)
  for _ in $(seq 100); do
    url=$(sed -n 's/^listening on //p' "$work/out")
    [ -n "$url" ] && return 0
    sleep 0.05
  done
  echo "http_load: $1 did not start: $(cat "$work/err")" >&2
  exit 1
}

start "$build/http_hello_server" --listen 127.0.0.1:0 --threads 2
echo "== bare Beast hello JSON ($url)"
wrk -t2 -c64 -d"$duration" --latency "$url/" | grep -E "Requests/sec|99%|Latency"

start "$build/serialtrack" serve --db "$work/bench.db" --listen 127.0.0.1:0 --threads 2 \
  --log-level warn
echo "== serialtrack GET /health ($url)"
wrk -t2 -c64 -d"$duration" --latency "$url/health" | grep -E "Requests/sec|99%|Latency"
echo "== serialtrack POST /capture, ${EVENTS:-100} events per document"
RUN=$(date +%s) wrk -t2 -c64 -d"$duration" --latency -s "$here/wrk_capture.lua" "$url"
