#!/usr/bin/env bash
# Runs the end-to-end suite and the tests of the built package (the unit test files that load
# dist/) under each Node.js of the matrix, provisioned by scripts/provision-node.mjs: that Node
# first on PATH, so jest, the package managers' scripts (npm, pnpm 10, yarn) and every command
# the tests start run on it. dist/ must be built (npm run build); the build does not depend on
# the Node that runs it.
#
#   bash scripts/test-node-matrix.sh          Node 22 and 24
#   bash scripts/test-node-matrix.sh 24 26    those majors
#
# Prints one "nodeNN: N passed, N failed, N skipped" line per Node at the end; exits 1 if any
# run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p .cache
mapfile -t bins < <(node scripts/provision-node.mjs "$@")
mapfile -t dist_tests < <(grep -rl --include='*.test.ts' -e 'helpers/dist' test | grep -v -e '^test/e2e/' -e '^test/stress/' | sort)

status=0
summary=()
for bin in "${bins[@]}"; do
  version=$("$bin" --version)
  major=${version#v}; major=${major%%.*}
  results=".cache/jest-node${major}.json"
  echo "== Node ${version}: e2e suite and ${#dist_tests[@]} test files of the built package"
  start=$(date +%s)
  PATH="$(dirname "$bin"):$PATH" "$bin" node_modules/jest/bin/jest.js --ci --selectProjects e2e unit \
    --json --outputFile="$results" -- test/e2e "${dist_tests[@]}" || status=1
  echo "== Node ${version}: $(( $(date +%s) - start )) s"
  summary+=("$("$bin" -e '
    const r = require(process.argv[1])
    console.log(`node${process.argv[2]}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)
  ' "$PWD/$results" "$major" || echo "node${major}: no results")")
done
printf '%s\n' "${summary[@]}"
exit "$status"
