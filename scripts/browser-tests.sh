#!/usr/bin/env bash
# Browser tests of the Activity Log page (docs/WEB.md "Browser tests"): Debian's chromium
# driven by playwright-core (pinned in tests/browser/package-lock.json), against the real
# `actlog serve --demo` that each run starts on a free port with fresh data.
#
# Usage: scripts/browser-tests.sh [ACTLOG_BINARY] (default build/actlog; it builds
# nothing). Screenshots go to $SCREENSHOT_DIR (default: browser-screenshots/ beside the
# binary). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-build/actlog}")
[[ -x "$binary" ]] || { echo "browser-tests: no actlog binary at $binary (build it first)" >&2; exit 2; }
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$(dirname "$binary")/browser-screenshots}

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "install ok installed" ||
  need+=(fonts-dejavu-core)
if ((${#need[@]} > 0)); then
  echo "browser-tests: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cd tests/browser
# playwright-core only: it never downloads a browser (the tests use /usr/bin/chromium).
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
ACTLOG_BINARY="$binary" CHROMIUM=$(command -v chromium) node --test --test-concurrency=1 \
  --test-timeout=300000 modules.test.js activity_log.test.js
