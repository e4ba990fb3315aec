#!/usr/bin/env bash
# Every check and every test: typecheck, lint, unit tests (Vitest), e2e tests (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
# Install on a clean checkout, and again when package-lock.json changed since the last install (npm keeps its own
# copy in node_modules/.package-lock.json), so a pulled dependency is never missing.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci; fi
bash scripts/ensure-test-tools.sh
npm run --silent typecheck
npm run --silent lint
npx vitest run
bash scripts/ensure-chromium.sh
npx playwright test
