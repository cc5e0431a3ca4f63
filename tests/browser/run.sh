#!/usr/bin/env bash
# Runs the dashboard browser test (dashboard.test.mjs) with node:test's TAP reporter and ends with
# "browser: N passed, N failed, N skipped", which .ci/run adds to its own totals. Exit status 0 only without failures.
# Needs the ringkv binary (dotnet build src/RingKV.Cli, or RINGKV_BIN) and Chromium (skipped with a notice if absent).
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -d node_modules/playwright-core ]; then
  # playwright-core never downloads browsers; the variable keeps it that way should the package change.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null \
    || { echo "npm ci in tests/browser failed"; echo "browser: 0 passed, 1 failed, 0 skipped"; exit 1; }
fi

log=$(mktemp)
node --test --test-reporter=tap dashboard.test.mjs 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# node:test's TAP summary: "# pass N", "# fail N", "# cancelled N", "# skipped N" (cancelled tests count as failed).
count() { grep -E "^# $1 [0-9]+$" "$log" | tail -n 1 | grep -oE '[0-9]+$' || echo 0; }
passed=$(count pass)
failed=$(( $(count fail) + $(count cancelled) ))
skipped=$(count skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # node crashed, or a hook failed, without a test result
fi
if [ "$skipped" -gt 0 ]; then
  echo "NOTICE: $skipped browser test(s) SKIPPED (see the reason above)"
fi
rm -f "$log"
echo "browser: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
