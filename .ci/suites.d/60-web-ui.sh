#!/usr/bin/env bash
# Web UI in a real browser: the built UI in Debian's Chromium (playwright-core) against Debian's
# Prometheus 2.42 and against our own server (same config, node_exporter, rules), plus the
# pushgateway's page against our pushgateway. npm test skips these tests when Chromium is absent;
# this suite installs it so CI always runs them.
set -uo pipefail
cd "$(dirname "$0")/../.."
PNPM="npx -y pnpm@12.21.0"
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "installing chromium (Debian)"
  apt-get install -y -qq --no-install-recommends chromium >/tmp/web-ui-chromium-apt.log 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends chromium >>/tmp/web-ui-chromium-apt.log 2>&1; } ||
    tail -20 /tmp/web-ui-chromium-apt.log
fi
for bin in /usr/bin/chromium /usr/bin/prometheus /usr/bin/prometheus-node-exporter; do
  if [ ! -x "$bin" ]; then echo "missing $bin: the browser tests cannot run"; echo "0 passed, 1 failed"; exit 1; fi
done
results=apps/web-ui/test-results/vitest.json
saved=$(mktemp)
# Keep the package's own report from npm test (.ci/run counts it): set it aside and put it back.
[ -f "$results" ] && cp "$results" "$saved"
(cd apps/web-ui && $PNPM exec vitest run browser)
rc=$?
read -r passed failed < <(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log((r.numPassedTests ?? 0) + " " + ((r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0)));
' "$results" 2>/dev/null || echo "0 1")
if [ -s "$saved" ]; then cp "$saved" "$results"; else rm -f "$results"; fi
rm -f "$saved"
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "no browser test ran"; fi
echo "screenshots: apps/web-ui/test-results/screenshots/"
echo "$passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
