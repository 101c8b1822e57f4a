#!/usr/bin/env bash
# The README's test command: install what is missing, build, and run the whole test suite.
# Exits non-zero if any test fails. Set ACTLOG_SKIP_SANITIZERS=1 to skip the ASan+UBSan
# pass of the unit tests (CI always runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build (Release)"
scripts/build.sh build -DACTLOG_BUILD_TESTS=ON -DACTLOG_BUILD_BENCH=ON -DACTLOG_SANITIZE=OFF
echo "== tests (Release): unit + black-box"
(cd build && ctest --output-on-failure --timeout 1200 -j "$(nproc)")

if [[ "${ACTLOG_SKIP_SANITIZERS:-0}" != 1 ]]; then
  echo "== build (ASan + UBSan)"
  scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACTLOG_SANITIZE=ON \
    -DACTLOG_BUILD_BENCH=OFF
  echo "== unit tests under ASan + UBSan"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure --timeout 1200 -j "$(nproc)" -L unit)
fi
echo "== all tests passed"
