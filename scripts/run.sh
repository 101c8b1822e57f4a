#!/usr/bin/env bash
# The README's run command: install what is missing, build (Release), run the main job.
# Until `actlog serve` exists, the main job ingests the demo log into ./data and prints a
# filtered query.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
ACTLOG_BUILD_TESTS=OFF scripts/build.sh build -DACTLOG_BUILD_TESTS=OFF -DACTLOG_BUILD_BENCH=OFF
bin=build/actlog
if [[ ! -d data ]]; then
  "$bin" demo --events 5000 --seed 42 | "$bin" ingest --data ./data
fi
"$bin" orgs --data ./data
echo
echo '$ actlog query --data ./data --org org_demo --search "code:org.member:* -outcome:success" --limit 10'
"$bin" query --data ./data --org org_demo --search "code:org.member:* -outcome:success" --limit 10
