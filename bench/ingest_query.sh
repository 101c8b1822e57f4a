#!/usr/bin/env bash
# Ingest and query benchmark of the embedded store, end to end through the CLI.
#
#   bench/ingest_query.sh [BUILD_DIR] [EVENTS]     (defaults: build, 1000000)
#
# 1. times `actlog demo` alone (generation cost, to subtract mentally),
# 2. writes the demo log to a file and times `actlog ingest` of that file (fsync per
#    batch of 1000, as shipped), reporting events/s,
# 3. reports data-directory bytes per event after `du -sb`,
# 4. runs actlog_store_bench for first-page and 10,000-deep query latencies.
# Everything happens in a temporary directory that is removed at the end
# (BENCH_KEEP=1 keeps it).
set -euo pipefail

BUILD_DIR=${1:-build}
EVENTS=${2:-1000000}
ORG=org_bench
ACTLOG="$BUILD_DIR/actlog"
STORE_BENCH="$BUILD_DIR/actlog_store_bench"
for bin in "$ACTLOG" "$STORE_BENCH"; do
  [[ -x "$bin" ]] || { echo "missing $bin (build it first)" >&2; exit 2; }
done

WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/actlog-bench-XXXXXX")
if [[ "${BENCH_KEEP:-0}" != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "memory:  $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
echo "disk:    $(df -h "$WORK" | awk 'NR==2 {print $1 ", " $2 " total, " $4 " free"}')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
echo "events:  $EVENTS (org $ORG)"

echo "== generation alone: actlog demo --events $EVENTS > /dev/null"
t0=$(now)
"$ACTLOG" demo --org "$ORG" --events "$EVENTS" > /dev/null
t1=$(now)
gen=$(elapsed "$t0" "$t1")
printf 'demo:    %.2f s (%.0f events/s)\n' "$gen" "$(echo "$EVENTS / $gen" | bc -l)"

"$ACTLOG" demo --org "$ORG" --events "$EVENTS" > "$WORK/events.jsonl"
printf 'input:   %d bytes (%.0f bytes/event)\n' "$(stat -c %s "$WORK/events.jsonl")" \
  "$(echo "$(stat -c %s "$WORK/events.jsonl") / $EVENTS" | bc -l)"

echo "== ingest: actlog ingest --data DIR events.jsonl"
t0=$(now)
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -f 'cpu:     %U s user, %S s sys, max RSS %M KiB' \
    "$ACTLOG" ingest --data "$WORK/data" "$WORK/events.jsonl"
else
  "$ACTLOG" ingest --data "$WORK/data" "$WORK/events.jsonl"
fi
t1=$(now)
ing=$(elapsed "$t0" "$t1")
printf 'ingest:  %.2f s wall (%.0f events/s, process start and store open included)\n' \
  "$ing" "$(echo "$EVENTS / $ing" | bc -l)"

echo "== size: du -sb DIR"
bytes=$(du -sb "$WORK/data" | cut -f1)
printf 'data:    %d bytes (%.0f bytes/event)\n' "$bytes" "$(echo "$bytes / $EVENTS" | bc -l)"

echo "== query latency: actlog_store_bench --data DIR --org $ORG"
"$STORE_BENCH" --data "$WORK/data" --org "$ORG" --reps "${BENCH_REPS:-2000}"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (at end)"
