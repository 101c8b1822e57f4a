#!/usr/bin/env bash
# The README's test command: install what is missing, build, and run the whole test suite.
# Exits non-zero if any test fails. Set ACTLOG_SKIP_SANITIZERS=1 to skip the ASan+UBSan
# pass of the unit tests (CI always runs it). A throwaway PostgreSQL cluster
# (scripts/pg-cluster.sh) serves the PostgreSQL store's tests; if it cannot start, the
# command fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build (Release)"
scripts/build.sh build -DACTLOG_BUILD_TESTS=ON -DACTLOG_BUILD_BENCH=ON -DACTLOG_SANITIZE=OFF
echo "== PostgreSQL 15 for the PostgreSQL store's tests (a throwaway cluster, stopped on exit)"
pg_dir=$(mktemp -d /tmp/actlog-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
if ! ACTLOG_TEST_POSTGRES_URL=$(scripts/pg-cluster.sh start "$pg_dir"); then
  echo "test: the PostgreSQL cluster did not start; its logs:" >&2
  cat "$pg_dir"/*.log >&2 || true
  exit 1
fi
export ACTLOG_TEST_POSTGRES_URL
echo "== tests (Release): unit + black-box"
(cd build && ctest --output-on-failure --timeout 1200 -j "$(nproc)")
echo "== browser tests of the web page (Debian's chromium + playwright-core, docs/WEB.md)"
scripts/browser-tests.sh build/actlog

if [[ "${ACTLOG_SKIP_SANITIZERS:-0}" != 1 ]]; then
  echo "== build (ASan + UBSan)"
  # Only the unit tests run under the sanitizers, so only they are built; -O1 keeps the
  # build short on a 2-core machine and the stack traces readable.
  ACTLOG_BUILD_TARGET=actlog_unit_tests scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Sanitize \
    -DCMAKE_CXX_FLAGS="-O1 -g1" -DACTLOG_SANITIZE=ON -DACTLOG_BUILD_BENCH=OFF -DACTLOG_BUILD_BLACKBOX=OFF
  echo "== unit tests under ASan + UBSan"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure --timeout 1200 -j "$(nproc)" -L unit)
fi
echo "== all tests passed"
