#!/usr/bin/env bash
# One command from a fresh clone to a running Mediabit: system packages, npm dependencies, Prisma
# client, production build (only when sources changed), then `next start`, which migrates and
# creates the first login and API key. Honours PORT, MEDIABIT_DATA_DIR, DATABASE_URL,
# MEDIABIT_BOOTSTRAP_KEY and the other settings in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh
bash scripts/ensure-node.sh
if [[ ! -f .next/BUILD_ID ]] || [[ -n "$(find app components lib inngest prisma public next.config.ts package.json instrumentation.ts -newer .next/BUILD_ID -type f 2>/dev/null | grep -v '^lib/db/generated/' | head -n 1)" ]]; then
  echo "[mediabit] building"
  NEXT_TELEMETRY_DISABLED=1 npx next build
fi
export NEXT_TELEMETRY_DISABLED=1
exec npx next start -p "${PORT:-3000}"
