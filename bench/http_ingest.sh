#!/usr/bin/env bash
# HTTP ingest benchmark: starts `actlog serve` on a temporary data directory (port 0,
# a known admin key, rate limit off) and runs actlog_http_load against it.
#
#   bench/http_ingest.sh [BUILD_DIR] [CONNECTIONS] [SECONDS]   (defaults: build, 64, 10)
#
# Prints the machine, then the load generator's report: requests/s, p50/p90/p99/max
# latency, non-2xx and errors, and appends per fsync from the server's /metrics.
# Everything happens in a temporary directory that is removed at the end.
set -euo pipefail

BUILD_DIR=${1:-build}
CONNECTIONS=${2:-64}
SECONDS_TO_RUN=${3:-10}
ACTLOG="$BUILD_DIR/actlog"
LOAD="$BUILD_DIR/actlog_http_load"
for bin in "$ACTLOG" "$LOAD"; do
  [[ -x "$bin" ]] || { echo "missing $bin (build it first)" >&2; exit 2; }
done

WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/actlog-http-bench-XXXXXX")
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

KEY="actlog_admin_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
echo '{"rate_limit_per_second": 0}' > "$WORK/config.json"

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "memory:  $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
echo "disk:    $(df -h "$WORK" | awk 'NR==2 {print $1 ", " $2 " total, " $4 " free"}')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"

ACTLOG_ADMIN_KEY="$KEY" "$ACTLOG" serve --listen 127.0.0.1:0 --data "$WORK/data" \
  --config "$WORK/config.json" > "$WORK/stdout" 2> "$WORK/stderr" &
SERVER_PID=$!
PORT=
for _ in $(seq 1 300); do
  PORT=$(sed -n 's#^listening on http://[^:]*:\([0-9]*\).*#\1#p' "$WORK/stdout")
  [[ -n "$PORT" ]] && break
  sleep 0.1
done
[[ -n "$PORT" ]] || { echo "server did not start:" >&2; cat "$WORK/stderr" >&2; exit 1; }

echo "== actlog_http_load --connections $CONNECTIONS --seconds $SECONDS_TO_RUN (single-event POSTs)"
"$LOAD" --port "$PORT" --key "$KEY" --connections "$CONNECTIONS" --seconds "$SECONDS_TO_RUN"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at end)"
