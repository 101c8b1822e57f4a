#!/usr/bin/env bash
# Configures and builds actlog. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
# Default BUILD_DIR is build/ (Release). ACTLOG_BUILD_TARGET=T builds only target T.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$dir" --parallel "$(nproc)" ${ACTLOG_BUILD_TARGET:+--target "$ACTLOG_BUILD_TARGET"}
