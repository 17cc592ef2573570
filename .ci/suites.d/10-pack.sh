#!/usr/bin/env bash
# Each library package must be publishable on its own: pack it and load the tarball in plain Node.
set -uo pipefail
cd "$(dirname "$0")/../.."
PNPM="npx -y pnpm@12.21.0"
out=$(mktemp -d); app=$(mktemp -d)
passed=0; failed=0
$PNPM exec turbo run build >/dev/null 2>&1 || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
for p in exposition tsdb-core promql client web-toolkit; do
  (cd packages/$p && $PNPM pack --pack-destination "$out" >/dev/null 2>&1) || { echo "pack $p failed"; failed=$((failed+1)); }
done
(cd "$app" && npm init -y >/dev/null 2>&1 && npm i --no-audit --no-fund "$out"/*.tgz >/dev/null 2>&1) || { echo "npm install of tarballs failed"; failed=$((failed+1)); }
for p in exposition tsdb-core promql client web-toolkit; do
  if (cd "$app" && node --input-type=module -e "const m = await import('@promethium/$p'); if (Object.keys(m).length === 0) process.exit(1);") ; then
    echo "ok   @promethium/$p loads from its tarball in plain Node"; passed=$((passed+1))
  else echo "FAIL @promethium/$p does not load from its tarball"; failed=$((failed+1)); fi
done
rm -rf "$out" "$app"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
