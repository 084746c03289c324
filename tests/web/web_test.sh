#!/usr/bin/env bash
# The `web` ctest (tests/web/CMakeLists.txt): npm ci when needed, npm run build, the browser tests.
# Usage: web_test.sh PATH_TO_JCM SOURCE_DIR ARTIFACTS_DIR
set -euo pipefail
jcm=$1 source=$2 artifacts=$3
cd "$source/web"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
rm -rf "$artifacts"
node tests/browser.test.mjs "$jcm" "$source" "$artifacts"
