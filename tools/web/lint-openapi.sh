#!/usr/bin/env bash
# Lints the HTTP contract (docs/openapi.yaml) with Redocly CLI, pinned in package.json.
# The pinned devDependency is installed by scripts/setup.sh (npm ci), the only installer.
# Exits non-zero when the document has errors.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/redocly ]; then
  echo "lint-openapi: tools/web/node_modules is missing: run scripts/setup.sh" >&2
  exit 1
fi
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  node_modules/.bin/redocly lint ../../docs/openapi.yaml --config redocly.yaml --format=stylish
