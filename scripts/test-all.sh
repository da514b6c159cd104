#!/usr/bin/env bash
# Every test, from a fresh clone: type-check, lint, Vitest on PostgreSQL and on embedded PGlite,
# then the Playwright e2e suite in Debian's Chromium against a production build.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
bash scripts/ensure-system.sh --test || exit 1
bash scripts/ensure-node.sh || exit 1

# Outside test-results/: Playwright empties that folder when it starts.
reports=.data/test-reports
rm -rf "$reports" && mkdir -p "$reports"
status=0
pg_admin="$(bash scripts/test-postgres.sh)" || exit 1
export MEDIABIT_TEST_PG_URL="$pg_admin"

# Each stage prints how long the one before it took, and the whole run its total, so a slow stage shows.
stage_name="" stage_start=$SECONDS
stage() {
  [[ -n "$stage_name" ]] && echo "-- $stage_name took $((SECONDS - stage_start)) s"
  stage_name="$1" stage_start=$SECONDS
  [[ -n "$1" ]] && echo "== $1"
}

stage "type-check"
if npx tsc --noEmit -p .; then echo '{"passed":1,"failed":0}' >"$reports/typecheck.json"; else echo '{"passed":0,"failed":1}' >"$reports/typecheck.json"; status=1; fi

stage "lint"
if npx eslint .; then echo '{"passed":1,"failed":0}' >"$reports/lint.json"; else echo '{"passed":0,"failed":1}' >"$reports/lint.json"; status=1; fi

stage "production build (used by the two-server test and the e2e suite)"
rm -rf .next
if ! npx next build >"$reports/next-build.log" 2>&1; then
  tail -n 40 "$reports/next-build.log"
  echo '{"passed":0,"failed":1}' >"$reports/next-build.json"
  status=1
fi

# Temp files of this run (each test file's data dir and PGlite, servers' folders, scratch) go under one folder that is
# removed at the end; generated media fixtures stay cached in the usual temp folder across runs.
export MEDIABIT_FIXTURE_TMP="${TMPDIR:-/tmp}"
TMPDIR="$(mktemp -d "$MEDIABIT_FIXTURE_TMP/mediabit-run-XXXXXX")"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT

stage "vitest on PostgreSQL"
db="mediabit_test_$$"
psql -q -d "$pg_admin" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || exit 1
pg_url="${pg_admin%/*}/$db"
DATABASE_URL="$pg_url" npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest-postgres.json" || status=1
psql -q -d "$pg_admin" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1

stage "vitest on PGlite (the database-backed suites; net, media and storage use no database)"
env -u DATABASE_URL npx vitest run --exclude 'tests/net/**' --exclude 'tests/media/**' --exclude 'tests/storage/**' --exclude 'tests/server/**' --reporter=default --reporter=json --outputFile.json="$reports/vitest-pglite.json" || status=1

stage "e2e (Playwright, Chromium)"
if [[ -f .next/BUILD_ID ]]; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json || status=1
fi

# Databases the suites made for themselves (migrations, two-server and worker tests).
psql -At -d "$pg_admin" -c "SELECT datname FROM pg_database WHERE datname ~ '^mediabit_(mig|servers|test)_'" 2>/dev/null |
  while read -r name; do psql -q -d "$pg_admin" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1; done

stage ""
echo "-- all stages took $SECONDS s"
node scripts/test-summary.mjs "$reports" typecheck,lint,vitest-postgres,vitest-pglite,playwright
exit $status
