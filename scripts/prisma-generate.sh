#!/usr/bin/env bash
# Generates the Prisma client offline: `prisma generate` never runs the schema engine, but the CLI
# insists on finding one, so any existing file satisfies it (NOTES-STACK.md, "Prisma 7 offline").
set -euo pipefail
cd "$(dirname "$0")/.."
PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$PWD/package.json}" node node_modules/prisma/build/index.js generate >/dev/null
echo "prisma client generated in lib/db/generated"
