#!/usr/bin/env bash
# A real third-party EPCIS client against `serialtrack serve` (issue 5 "Proof"): epcis2.js
# from npm captures events through POST /capture (tests/server/epcis2js_client.js), and the
# GET /events answer (and the document sent) validate against the GS1 EPCIS JSON Schema
# with ajv (scripts/ajv-validate).
#
#   epcis2js_client_test.sh SERIALTRACK_BINARY NODE_DIR SHARED_TESTDATA
#
# NODE_DIR is a build-local npm folder (epcis2.js goes into NODE_DIR/epcis2js, ajv into
# NODE_DIR as the other schema tests share it). Exit 0 passed, 1 failed, 77 skipped (no
# node/npm, or npm cannot install the client: the reason is printed).
set -uo pipefail

binary=$1
node_dir=$2
testdata=$3
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
schema=$testdata/epcis/schema/json/EPCIS-JSON-Schema.json

skip() { echo "epcis2js_client_test: skipped: $*"; exit 77; }
fail() { echo "epcis2js_client_test: FAILED: $*"; exit 1; }

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
  skip "node or npm not installed (scripts/install-deps installs them)"
[[ -x $binary ]] || fail "no serialtrack binary at $binary"
[[ -f $schema ]] || fail "no EPCIS JSON Schema at $schema"

client_dir=$node_dir/epcis2js
mkdir -p "$client_dir"
if [[ ! -d $client_dir/node_modules/epcis2.js ]]; then
  # epcis2.js 2.7.3 lists the npm placeholder "fs@0.0.1-security", which some registries
  # do not serve; require('fs') is Node's own module whatever is installed, so an empty
  # package stands in for it.
  cat >"$client_dir/package.json" <<'JSON'
{"private": true,
 "dependencies": {"epcis2.js": "2.7.3"},
 "overrides": {"fs": "npm:empty-npm-package@1.0.0"}}
JSON
  (
    flock 9
    [[ -d $client_dir/node_modules/epcis2.js ]] ||
      npm install --no-audit --no-fund --loglevel error --prefix "$client_dir" >"$client_dir/npm.log" 2>&1
  ) 9>"$client_dir/.install.lock" ||
    skip "npm could not install epcis2.js@2.7.3 (see $client_dir/npm.log: $(tail -n 3 "$client_dir/npm.log" | tr '\n' ' '))"
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$binary" serve --open --db "$work/st.db" --listen 127.0.0.1:0 --threads 2 --log-level warn \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
url=
for _ in $(seq 100); do  # at most 10 s for the server to say where it listens
  url=$(sed -n 's/^listening on //p' "$work/serve.out")
  [[ -n $url ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "serve exited: $(cat "$work/serve.err")"
  sleep 0.1
done
[[ -n $url ]] || fail "serve did not start: $(cat "$work/serve.err")"

NODE_PATH=$client_dir/node_modules timeout 60 node "$source_dir/tests/server/epcis2js_client.js" \
  "$url" "$work" || fail "the epcis2.js client failed against $url"

"$source_dir/scripts/ajv-validate" "$node_dir" "$schema" "$work/events.json" "$work/captured.json" \
  >"$work/ajv.log" 2>&1
status=$?
cat "$work/ajv.log"
[[ $status -eq 77 ]] && skip "ajv could not run (node or npm missing)"
[[ $status -eq 0 ]] || fail "ajv: GET /events or the captured document does not match the schema"

kill -TERM "$server_pid"
wait "$server_pid"
rc=$?
server_pid=
[[ $rc -eq 0 ]] || fail "serve exited with $rc on SIGTERM: $(cat "$work/serve.err")"
echo "epcis2js_client_test: passed"
