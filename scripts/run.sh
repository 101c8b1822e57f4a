#!/usr/bin/env bash
# The README's run command: install what is missing, build (Release), and run the main
# job: `actlog serve --demo` on the embedded store in ./data. It seeds the demo
# organisation on first start, prints the admin key (first start only: keep it) and the
# URL, and serves until Ctrl-C. Extra arguments go to `actlog serve`, e.g.
# `scripts/run.sh --listen 127.0.0.1:9090`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DACTLOG_BUILD_TESTS=OFF -DACTLOG_BUILD_BENCH=OFF
exec build/actlog serve --demo --data ./data "$@"
