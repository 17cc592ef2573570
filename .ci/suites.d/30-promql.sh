#!/usr/bin/env bash
# PromQL conformance: Prometheus' own test scripts (../shared/conformance/promqltest, not in the
# repo) through `pmtool promql test`. Prints the per-file table and the skip rule; fails only when
# a required file is below 95% of its non-skipped evals (the other files are reported).
set -uo pipefail
cd "$(dirname "$0")/../.."
shared="${PROMETHIUM_SHARED:-$(pwd)/../shared}"
dir="$shared/conformance/promqltest"
if [ ! -d "$dir" ]; then
  echo "promqltest scripts not found at $dir: skipped"
  echo "0 passed, 0 failed"
  exit 0
fi
required=literals,selectors,staleness,collision,trig_functions,subquery,range_queries,at_modifier,operators,aggregators,functions,name_label_dropping,histograms
tsx=node_modules/.bin/tsx
[ -x "$tsx" ] || tsx="npx -y pnpm@12.21.0 exec tsx"
$tsx --conditions=@promethium/source tools/pmtool/src/main.ts promql test --threshold 95 --require "$required" "$dir"/*.test
