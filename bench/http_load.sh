#!/usr/bin/env bash
# HTTP load benchmark (loopback; wrk with 2 threads and 64 connections), issue 5 targets:
# verification of random existing serials on a store of ITEMS commissioned packs, against
# a bare Boost.Beast hello-JSON endpoint (bench/http_hello_server.cc) measured in the same
# run, POST /capture of documents of $EVENTS events (bench/wrk_capture.lua) twice (events
# on packs drawn at random from the store's, and on serials never commissioned, each of
# which raises a lifecycle alert), and verification while documents of $MIXED_EVENTS
# (1,000) events are captured.
#
#   bench/http_load.sh [BUILD_DIR] [DURATION] [ITEMS]    defaults: build 10s 1000000
#   e.g. bench/http_load.sh build 5s 10000               (a quick check that it works)
#
# Builds serialtrack and http_hello_server in BUILD_DIR when they are missing. The store
# is made by `serialtrack capture` of commissioning documents (10 events of 1,000 SGTINs
# each per document: the bulk path of trace::capture). Prints req/s and p99 of each run,
# events/s of capture, and verification req/s over hello req/s. Needs wrk and curl
# (scripts/install-deps). Run on an otherwise idle machine: figures on a shared one are
# not the server's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-build}
duration=${2:-10s}
items=${3:-1000000}
events=${EVENTS:-100}
gtin=10614141073464  # urn:epc:id:sgtin:0614141.107346.*
command -v wrk >/dev/null || { echo "http_load: wrk is not installed" >&2; exit 2; }
command -v curl >/dev/null || { echo "http_load: curl is not installed" >&2; exit 2; }

if [[ ! -x $build/serialtrack || ! -x $build/http_hello_server ]]; then
  echo "== building serialtrack and http_hello_server in $build"
  [[ -f $build/CMakeCache.txt ]] ||
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSERIALTRACK_BENCH=ON >/dev/null
  cmake --build "$build" --target serialtrack_cli http_hello_server >/dev/null
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- the store: ITEMS commissioned SGTINs, serials 1..ITEMS ---------------------------
mkdir -p "$work/docs"
awk -v items="$items" -v dir="$work/docs" 'BEGIN {
  per_event = 1000; per_doc = 10 * per_event; doc = 0
  for (first = 1; first <= items; first += per_doc) {
    file = sprintf("%s/commission-%06d.json", dir, ++doc)
    printf "{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"]," \
           "\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\"," \
           "\"creationDate\":\"2024-01-01T00:00:00Z\",\"epcisBody\":{\"eventList\":[" > file
    for (e = first; e < first + per_doc && e <= items; e += per_event) {
      if (e > first) printf "," > file
      printf "{\"type\":\"ObjectEvent\",\"eventTime\":\"2024-01-01T10:00:00Z\"," \
             "\"eventTimeZoneOffset\":\"+00:00\",\"action\":\"ADD\"," \
             "\"bizStep\":\"commissioning\",\"disposition\":\"active\"," \
             "\"readPoint\":{\"id\":\"urn:epc:id:sgln:0614141.07346.1234\"},\"epcList\":[" > file
      for (s = e; s < e + per_event && s <= items; ++s)
        printf "%s\"urn:epc:id:sgtin:0614141.107346.%d\"", (s > e ? "," : ""), s > file
      printf "]}" > file
    }
    printf "]}}\n" > file
    close(file)
  }
}'
seq 1 "$items" >"$work/serials.txt"
t0=$(date +%s.%N)
"$build/serialtrack" capture --db "$work/bench.db" "$work"/docs/*.json >/dev/null
t1=$(date +%s.%N)
rm -rf "$work/docs"
awk -v n="$items" -v a="$t0" -v b="$t1" \
  'BEGIN { printf "== store: %d items commissioned in %.1f s (%.0f items/s)\n", n, b - a, n / (b - a) }'

# Starts a server printing "listening on URL"; sets $url.
start() {
  "$@" >"$work/out" 2>"$work/err" &
  pids+=($!)
  for _ in $(seq 200); do
    url=$(sed -n 's/^listening on //p' "$work/out")
    [[ -n $url ]] && return 0
    sleep 0.05
  done
  echo "http_load: $1 did not start: $(cat "$work/err")" >&2
  exit 1
}

# wrk's requests/s, p99 in ms and non-2xx count from its --latency output in file $1.
summary() {
  awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
               p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%.0f %.2f %d\n", rps, p99, bad }' "$1"
}

load() {  # load NAME URL [wrk args...]
  local name=$1 target=$2
  shift 2
  wrk -t2 -c64 -d"$duration" --latency "$@" "$target" >"$work/$name.wrk"
  read -r rps p99 bad < <(summary "$work/$name.wrk")
  printf "%-34s %10s req/s   p99 %7s ms   non-2xx %s\n" "$name" "$rps" "$p99" "$bad"
  eval "${name//[^a-z]/_}_rps=$rps"
}

start "$build/http_hello_server" --listen 127.0.0.1:0 --threads 2
load hello "$url/"
kill "${pids[-1]}" && wait "${pids[-1]}" 2>/dev/null || true

SERIALTRACK_VERIFICATION_RATE=1e9 SERIALTRACK_VERIFICATION_BURST=1e9 \
  start "$build/serialtrack" serve --open --db "$work/bench.db" --listen 127.0.0.1:0 \
  --threads 2 --log-level warn
probe=$(curl -s "$url/verify?gtin=$gtin&serial=$(( (items + 1) / 2 ))")
[[ $probe == *'"verified":true'* ]] || { echo "http_load: a stored serial does not verify: $probe" >&2; exit 1; }
SERIALS=$work/serials.txt GTIN=$gtin load verification "$url" -s "$here/wrk_verify.lua"
RUN=$(date +%s) EVENTS=$events ITEMS=$items load "capture (commissioned packs)" "$url" \
  -s "$here/wrk_capture.lua"
grep -E "^captures/s" "$work/capture (commissioned packs).wrk" | sed "s/^/  /"
RUN=$(date +%s)-unknown EVENTS=$events load "capture (never commissioned)" "$url" \
  -s "$here/wrk_capture.lua"
grep -E "^captures/s" "$work/capture (never commissioned).wrk" | sed "s/^/  /"
# Verification while captures run (a packaging line capturing as pharmacies verify):
# 4 connections capture documents of $MIXED_EVENTS events, 32 verify, one wrk thread each.
mixed_events=${MIXED_EVENTS:-1000}
RUN=$(date +%s)-mixed EVENTS=$mixed_events wrk -t1 -c4 -d"$duration" --latency \
  -s "$here/wrk_capture.lua" "$url" >"$work/mixed-capture.wrk" &
mixed_capture=$!
SERIALS=$work/serials.txt GTIN=$gtin wrk -t1 -c32 -d"$duration" --latency \
  -s "$here/wrk_verify.lua" "$url" >"$work/mixed-verification.wrk"
wait "$mixed_capture"
read -r rps p99 bad < <(summary "$work/mixed-verification.wrk")
printf "%-34s %10s req/s   p99 %7s ms   non-2xx %s\n" "verification during captures" "$rps" "$p99" "$bad"
grep -E "^captures/s" "$work/mixed-capture.wrk" | sed "s/^/  captures of $mixed_events events: /"
awk -v v="$verification_rps" -v h="$hello_rps" \
  'BEGIN { printf "verification / hello: %.2f (target >= 0.80)\n", v / h }'
