#!/usr/bin/env bash
# `pnpm dev` (scripts/stack.mjs --watch): server, pushgateway and example app come up in watch
# mode on free ports, errors_total is queryable within 30 s, the UI page is served, touching a
# source file restarts only the service that imports it, and SIGTERM stops everything.
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0; failed=0
ok() { echo "ok   $1"; passed=$((passed+1)); }
fail() { echo "FAIL $1"; failed=$((failed+1)); }

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
sp=$(free_port); pp=$(free_port)
while [ "$pp" = "$sp" ]; do pp=$(free_port); done
export PROMETHIUM_DATA=$(mktemp -d)
export PROMETHIUM_SERVER_ADDRESS=127.0.0.1:$sp PROMETHIUM_PUSHGATEWAY_ADDRESS=127.0.0.1:$pp
export PROMETHIUM_CONFIG=$PROMETHIUM_DATA/prometheus.yml
cat >"$PROMETHIUM_CONFIG" <<EOF
global: { scrape_interval: 15s }
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs: [{ targets: ['127.0.0.1:$pp'] }]
EOF
log=$(mktemp)
setsid node scripts/stack.mjs --watch >"$log" 2>&1 &
pid=$!
cleanup() { kill -KILL -- "-$pid" 2>/dev/null; rm -rf "$PROMETHIUM_DATA" "$log"; }
trap cleanup EXIT

PMTOOL="node_modules/.bin/tsx --conditions=@promethium/source tools/pmtool/src/main.ts"
start=$(date +%s); out=''
until echo "$out" | grep -q 'errors_total{.*job="my_job"'; do
  [ $(( $(date +%s) - start )) -ge 30 ] && break
  sleep 2
  out=$($PMTOOL query instant "http://127.0.0.1:$sp" 'errors_total' 2>&1)
done
if echo "$out" | grep -q 'errors_total{.*job="my_job"'; then ok "errors_total after $(( $(date +%s) - start )) s: $out"
else fail "no errors_total{job=\"my_job\"} within 30 s; last answer: $out"; fi

ui=''
for _ in $(seq 60); do
  ui=$(curl -s "http://127.0.0.1:$sp/" || true)
  echo "$ui" | grep -q '<title>Promethium</title>' && break
  sleep 1
done
if echo "$ui" | grep -q '<title>Promethium</title>'; then ok "the server serves the UI bundle built by vite build --watch"
else fail "no UI page at http://127.0.0.1:$sp/"; fi

# tsx watch reacts to a change event; touch makes one without changing the file.
before_app=$(grep -c 'example-app: pushing job' "$log"); before_server=$(grep -c 'Starting Promethium' "$log")
touch apps/example-app/src/batch-job.ts
for _ in $(seq 20); do
  [ "$(grep -c 'example-app: pushing job' "$log")" -gt "$before_app" ] && break
  sleep 1
done
if [ "$(grep -c 'example-app: pushing job' "$log")" -gt "$before_app" ] && [ "$(grep -c 'Starting Promethium' "$log")" -eq "$before_server" ]; then
  ok "a change in apps/example-app/src restarts the example app only"
else fail "touching apps/example-app/src/batch-job.ts did not restart (only) the example app"; fi

kill -TERM "$pid"
for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then fail "still running 20 s after SIGTERM"
elif [ "$(grep -c 'exited (0)' "$log")" -ge 3 ]; then ok "SIGTERM stops every service cleanly"
else fail "services did not exit cleanly: $(grep 'exited' "$log" | tr '\n' ' ')"; fi

if [ "$failed" -ne 0 ]; then echo "--- stack output"; tail -40 "$log"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
