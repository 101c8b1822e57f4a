#!/usr/bin/env bash
# The two store backends on the same events: ingest through the CLI and query latency.
#
#   bench/backends.sh [BUILD_DIR] [EVENTS]     (defaults: build, 200000)
#
# 1. writes EVENTS demo events of one org to a file;
# 2. times `actlog ingest` of that file into the embedded store (--data DIR) and into the
#    PostgreSQL store (--store URL) on a throwaway PostgreSQL 15 cluster started here with
#    scripts/pg-cluster.sh (fsync on, synchronous_commit on: durable commits on both);
#    the CLI appends batches of 1,000 events, one synced write (RocksDB) or one committed
#    transaction (PostgreSQL) each;
# 3. reports the bytes each store takes;
# 4. runs actlog_store_bench (first pages with and without filters, a 10,000-deep page)
#    on both.
# Everything lives in a temporary directory, removed at the end (BENCH_KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-build}
EVENTS=${2:-200000}
ORG=org_bench
ACTLOG="$BUILD_DIR/actlog"
STORE_BENCH="$BUILD_DIR/actlog_store_bench"
for bin in "$ACTLOG" "$STORE_BENCH"; do
  [[ -x "$bin" ]] || { echo "missing $bin (build it first)" >&2; exit 2; }
done

WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/actlog-backends-XXXXXX")
chmod 755 "$WORK"  # the cluster runs as the postgres user when we are root
cleanup() {
  scripts/pg-cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
rate() { echo "$EVENTS / ($2 - $1)" | bc -l; }

echo "== machine"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu:     $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
echo "events:  $EVENTS (org $ORG)"

"$ACTLOG" demo --org "$ORG" --events "$EVENTS" > "$WORK/events.jsonl"
URL=$(scripts/pg-cluster.sh start "$WORK/pg")
echo "postgres: $URL (PostgreSQL 15, fsync on, synchronous_commit on)"

echo "== ingest (actlog ingest FILE, batches of 1000)"
t0=$(now)
"$ACTLOG" ingest --data "$WORK/data" "$WORK/events.jsonl" >/dev/null
t1=$(now)
printf 'rocksdb:    %8.0f events/s  (%.2f s)\n' "$(rate "$t0" "$t1")" "$(echo "$t1 - $t0" | bc -l)"
t0=$(now)
"$ACTLOG" ingest --store "$URL" "$WORK/events.jsonl" >/dev/null
t1=$(now)
printf 'postgresql: %8.0f events/s  (%.2f s)\n' "$(rate "$t0" "$t1")" "$(echo "$t1 - $t0" | bc -l)"

echo "== size"
rocks_bytes=$(du -sb "$WORK/data" | cut -f1)
pg_bytes=$(psql "$URL" -Atc "CHECKPOINT; SELECT pg_database_size(current_database())" | tail -1)
printf 'rocksdb:    %d bytes (%.0f bytes/event)\n' "$rocks_bytes" "$(echo "$rocks_bytes / $EVENTS" | bc -l)"
printf 'postgresql: %d bytes (%.0f bytes/event, database without WAL)\n' "$pg_bytes" \
  "$(echo "$pg_bytes / $EVENTS" | bc -l)"

echo "== query latency, rocksdb (actlog_store_bench --data)"
"$STORE_BENCH" --data "$WORK/data" --org "$ORG"
echo "== query latency, postgresql (actlog_store_bench --store)"
psql "$URL" -qc "VACUUM ANALYZE" >/dev/null
"$STORE_BENCH" --store "$URL" --org "$ORG"
