#!/usr/bin/env bash
# The README's start command on this clone: server, pushgateway and example app come up, and
# `pmtool query instant http://127.0.0.1:9090 'errors_total'` answers within a minute.
set -uo pipefail
cd "$(dirname "$0")/../.."
for port in 9090 9091; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    echo "port $port is already in use: the quick start needs 9090 and 9091 free"; echo "0 passed, 1 failed"; exit 1
  fi
done
log=$(mktemp)
export PROMETHIUM_DATA=$(mktemp -d)
setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "-$pid" 2>/dev/null; sleep 2; kill -KILL -- "-$pid" 2>/dev/null; rm -rf "$PROMETHIUM_DATA"; }
trap cleanup EXIT
PMTOOL="node_modules/.bin/tsx --conditions=@promethium/source tools/pmtool/src/main.ts"
start=$(date +%s)
while :; do
  out=$($PMTOOL query instant http://127.0.0.1:9090 'errors_total' 2>&1)
  if echo "$out" | grep -q 'errors_total{.*job="my_job"'; then
    echo "after $(( $(date +%s) - start )) s: $out"
    echo "1 passed, 0 failed"; exit 0
  fi
  if [ $(( $(date +%s) - start )) -ge 60 ]; then
    echo "no errors_total{job=\"my_job\"} within 60 s; last answer: $out"; echo "--- npm start output"; tail -40 "$log"
    echo "0 passed, 1 failed"; exit 1
  fi
  sleep 2
done
