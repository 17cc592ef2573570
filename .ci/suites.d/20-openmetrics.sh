#!/usr/bin/env bash
# OpenMetrics parser conformance: every case's raw `metrics` bytes go to
# `pmtool check metrics --format openmetrics --lint=none` on stdin; a case passes when
# (exit 0) == shouldParse, as the upstream runner (openmetricstest) judges it.
set -uo pipefail
cd "$(dirname "$0")/../.."
SHARED="${PROMETHIUM_SHARED:-$(pwd)/../shared}"
SUITE="$SHARED/conformance/openmetrics/testdata/parsers"
if [ ! -d "$SUITE" ]; then echo "conformance data not found at $SUITE"; echo "0 passed, 1 failed"; exit 1; fi

# Prefer the built CLI (fast start); fall back to running the sources through tsx.
if npx -y pnpm@12.21.0 --filter '@promethium/pmtool...' build >/dev/null 2>&1 && [ -f tools/pmtool/dist/main.js ]; then
  PMTOOL=(node tools/pmtool/dist/main.js)
else
  echo "note: build failed, running pmtool from source with tsx"
  PMTOOL=(node_modules/.bin/tsx --conditions=@promethium/source tools/pmtool/src/main.ts)
fi

# One node process lists "<case> <shouldParse>" for all cases.
cases=$(node -e '
  const fs = require("fs"), path = require("path"), dir = process.argv[1];
  for (const c of fs.readdirSync(dir).sort()) {
    const f = path.join(dir, c, "test.json");
    if (fs.existsSync(f)) console.log(c + " " + JSON.parse(fs.readFileSync(f, "utf8")).shouldParse);
  }' "$SUITE")

passed=0; failed=0
while read -r name should; do
  dir="$SUITE/$name"
  if err=$("${PMTOOL[@]}" check metrics --format openmetrics --lint=none < "$dir/metrics" 2>&1 >/dev/null); then got=true; else got=false; fi
  if [ "$got" = "$should" ]; then
    passed=$((passed+1))
  else
    failed=$((failed+1))
    echo "FAIL $name: shouldParse=$should but parsed=$got ${err:+($err)}"
  fi
done <<< "$cases"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
