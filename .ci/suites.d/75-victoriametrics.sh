#!/usr/bin/env bash
# Remote write against Debian's real VictoriaMetrics, including the slow part npm test skips:
# VictoriaMetrics is stopped for 60 s mid-run and restarted on its data directory, and
# afterwards every sample our server scraped is in VictoriaMetrics (raw /api/v1/export vs our
# range queries), the same queries answer the same.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/victoria-metrics ]; then echo "missing /usr/bin/victoria-metrics (run .ci/install-reference-stack.sh)"; echo "0 passed, 1 failed"; exit 1; fi
report=$(mktemp)
(cd apps/server && PROMETHIUM_VM_OUTAGE=1 PROMETHIUM_VITEST_JSON="$report" ../../node_modules/.bin/vitest run src/remote/victoriametrics.e2e.test.ts)
node .ci/suite-result.mjs "$report"
status=$?
rm -f "$report"
exit $status
