#!/usr/bin/env bash
# The server against Debian's real components: scrapes a node exporter and a pushgateway with the
# original prometheus.yml shape, promtool queries our API, a real Prometheus federates from us and
# answers the same PromQL on the same node exporter; plus the binary's SIGHUP/SIGKILL behaviour.
set -uo pipefail
cd "$(dirname "$0")/../.."
for b in /usr/bin/prometheus /usr/bin/promtool /usr/bin/prometheus-node-exporter /usr/bin/prometheus-pushgateway; do
  if [ ! -x "$b" ]; then echo "missing $b (run .ci/install-reference-stack.sh)"; echo "0 passed, 1 failed"; exit 1; fi
done
report=$(mktemp)
(cd apps/server && PROMETHIUM_VITEST_JSON="$report" ../../node_modules/.bin/vitest run test/interop.test.ts src/main.test.ts)
node .ci/suite-result.mjs "$report"
status=$?
rm -f "$report"
exit $status
