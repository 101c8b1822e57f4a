#!/usr/bin/env bash
# The verifiable log at scale, end to end through the CLI (issue 4; docs/BENCHMARKS.md,
# "Integrity").
#
#   bench/integrity.sh [BUILD_DIR] [EVENTS]     (defaults: build, 1000000)
#
# 1. fills a data directory with EVENTS demo events of one org (`actlog ingest`, batches
#    of 10,000: the set-up, not what is measured),
# 2. times `actlog verify --data` (recomputes the whole tree from the events: leaves/s),
# 3. runs actlog_integrity_bench: inclusion and consistency proof latency (p50/p99) as the
#    server computes them, the client's proof check, the verification rate once more
#    in-process, and the tree's bytes per event (logical and on disk).
# Everything happens in a temporary directory that is removed at the end
# (BENCH_KEEP=1 keeps it).
set -euo pipefail

BUILD_DIR=${1:-build}
EVENTS=${2:-1000000}
ORG=org_bench
ACTLOG="$BUILD_DIR/actlog"
BENCH="$BUILD_DIR/actlog_integrity_bench"
for bin in "$ACTLOG" "$BENCH"; do
  [[ -x "$bin" ]] || { echo "missing $bin (build it first)" >&2; exit 2; }
done

WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/actlog-integrity-XXXXXX")
if [[ "${BENCH_KEEP:-0}" != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
echo "events:  $EVENTS (org $ORG)"

echo "== set-up: actlog demo | actlog ingest --batch 10000"
"$ACTLOG" demo --org "$ORG" --events "$EVENTS" > "$WORK/events.jsonl"
t0=$(now)
"$ACTLOG" ingest --data "$WORK/data" --batch 10000 "$WORK/events.jsonl" > /dev/null
t1=$(now)
printf 'ingest:  %.1f s\n' "$(elapsed "$t0" "$t1")"

echo "== actlog verify --data DIR --org $ORG"
t0=$(now)
"$ACTLOG" verify --data "$WORK/data" --org "$ORG"
t1=$(now)
v=$(elapsed "$t0" "$t1")
printf 'verify:  %.2f s wall, %.0f leaves/s (process start and store open included)\n' \
  "$v" "$(echo "$EVENTS / $v" | bc -l)"

echo "== actlog_integrity_bench --data DIR --org $ORG --samples 10000"
"$BENCH" --data "$WORK/data" --org "$ORG" --samples 10000
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at end)"
