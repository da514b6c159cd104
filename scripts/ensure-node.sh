#!/usr/bin/env bash
# Installs npm dependencies when package.json changed since the last install, then generates the
# Prisma client. `npm install`, not `npm ci`: this registry lacks some optional platform packages.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f node_modules/.package-lock.json || package.json -nt node_modules/.package-lock.json ]]; then
  echo "[mediabit] installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi
bash scripts/prisma-generate.sh
