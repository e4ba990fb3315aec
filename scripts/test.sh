#!/usr/bin/env bash
# Every check and every test: typecheck, lint, unit tests (Vitest), e2e tests (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/ensure-test-tools.sh
npm run --silent typecheck
npm run --silent lint
npx vitest run
bash scripts/ensure-chromium.sh
npx playwright test
