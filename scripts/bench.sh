#!/usr/bin/env bash
# The one benchmark command (issue 8, docs/BENCHMARKS.md): actlog against the table a team
# would write by hand in PostgreSQL 15 and in SQLite, on the same demo events, in one run,
# with this machine's physical limits measured alongside. Prints one table.
#
#   scripts/bench.sh [--events N] [--quick] [--build DIR] [--connections C]
#
#   --events N       demo events to load into each system (default 1,000,000; --quick 100,000)
#   --quick          shorter phases (5 s single-event runs, 200 repetitions per page)
#   --build DIR      build directory (default build-bench; Release)
#   --connections C  connections for batch ingest, on actlog and PostgreSQL alike (default 4)
#
# Installs what it needs (apt-get), builds the Release binaries, writes the demo events
# once to a JSON Lines file, then measures: the physical limits; actlog over HTTP (durable
# batch ingest, durable single-event requests on 64 keep-alive connections, four page
# reads over HTTP and in-process, bytes on disk per event, server RSS, `actlog verify`
# leaves/s); PostgreSQL (multi-row INSERT and COPY, the same pages, single-row INSERTs on
# 64 connections); SQLite (the same, without COPY). Everything lives in a temporary
# directory removed at the end (BENCH_KEEP=1 keeps it; BENCH_TMP chooses where it is
# made, default /tmp; BENCH_RESULTS=FILE keeps the raw figures).
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=
QUICK=0
BUILD=build-bench
CONNECTIONS=4
while (($#)); do
  case $1 in
    --events) EVENTS=${2:?--events needs a number}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --build) BUILD=${2:?--build needs a directory}; shift 2 ;;
    --connections) CONNECTIONS=${2:?--connections needs a number}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ((QUICK)); then
  EVENTS=${EVENTS:-100000}; SINGLE_SECONDS=5; REPS=200; WRITE_MIB=256; LIMIT_SECONDS=1
else
  EVENTS=${EVENTS:-1000000}; SINGLE_SECONDS=10; REPS=1000; WRITE_MIB=1024; LIMIT_SECONDS=3
fi
[[ $EVENTS =~ ^[0-9]+$ ]] && ((EVENTS >= 1000)) || { echo "bench.sh: --events must be a number >= 1000" >&2; exit 2; }
DEPTH=100000
((EVENTS > DEPTH + 50)) || DEPTH=0  # the deep page needs an org deeper than 100,000
ORG=org_bench

step() { echo; echo "== $* (load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC)"; }

# --- 1. what it needs ------------------------------------------------------------------
step "installing what is missing"
scripts/install-deps.sh
NEED=(postgresql-15 libpq-dev sqlite3 libsqlite3-dev)
missing=()
for p in "${NEED[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. Release binaries ---------------------------------------------------------------
step "building (Release) in $BUILD"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DACTLOG_BUILD_BENCH=ON >/dev/null
TARGETS=(actlog actlog_http_batch actlog_http_query actlog_http_load actlog_physical_limits
         actlog_baseline_load actlog_store_bench)
cmake --build "$BUILD" --parallel 2 --target "${TARGETS[@]}" | tail -1
BIN=$(cd "$BUILD" && pwd)

WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/actlog-bench-XXXXXX")
chmod 755 "$WORK"
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  [[ -d $WORK/pg ]] && scripts/pg-cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
RESULTS=$WORK/results
: >"$RESULTS"
# Runs a tool, shows its report, and files its RESULT lines under a system's name.
record() {
  local system=$1; shift
  "$@" | tee "$WORK/out" | grep -v '^RESULT '
  awk -v s="$system" '$1 == "RESULT" { print s, $2, $3 }' "$WORK/out" >>"$RESULTS"
}
put() { echo "$1 $2 $3" >>"$RESULTS"; }

step "machine"
echo "cpu:    $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
echo "disk:   $(df -h "$WORK" | awk 'NR==2 {print $1 ", " $2 " total, " $4 " free"}')"
put machine load_start "$(cut -d' ' -f1 /proc/loadavg)"

# --- 3. the events, once ---------------------------------------------------------------
step "writing $EVENTS demo events"
"$BIN/actlog" demo --org "$ORG" --events "$EVENTS" >"$WORK/events.jsonl"
echo "$(stat -c %s "$WORK/events.jsonl") bytes ($(($(stat -c %s "$WORK/events.jsonl") / EVENTS)) bytes/event)"
# The filters: the most frequent code and actor of the log (the slowest selective pages).
CODE=$(head -n 200000 "$WORK/events.jsonl" | grep -o '"code":"[^"]*"' | sort | uniq -c |
       sort -rn | awk 'NR==1 { split($2, a, "\""); print a[4] }')
ACTOR=$(head -n 200000 "$WORK/events.jsonl" | grep -o '"actor":{[^}]*}' |
        grep -o '"id":"[^"]*"' | sort | uniq -c | sort -rn | awk 'NR==1 { split($2, a, "\""); print a[4] }')
echo "filters: code $CODE, actor $ACTOR"

# --- 4. physical limits ----------------------------------------------------------------
step "physical limits"
record limit "$BIN/actlog_physical_limits" --dir "$WORK" --write-mib "$WRITE_MIB" \
  --seconds "$LIMIT_SECONDS" --leaf-bytes $(($(stat -c %s "$WORK/events.jsonl") / EVENTS))

# --- 5. actlog -------------------------------------------------------------------------
KEY="actlog_admin_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
echo '{"rate_limit_per_second": 0}' >"$WORK/config.json"
# Starts `actlog serve` on data directory $1 (port 0) and sets SERVER_PID and PORT.
serve() {
  ACTLOG_ADMIN_KEY="$KEY" "$BIN/actlog" serve --listen 127.0.0.1:0 --data "$1" \
    --config "$WORK/config.json" >"$WORK/serve.out" 2>"$WORK/serve.err" &
  SERVER_PID=$!
  PORT=
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's#^listening on http://[^:]*:\([0-9]*\).*#\1#p' "$WORK/serve.out")
    [[ -n $PORT ]] && return 0
    sleep 0.1
  done
  echo "server did not start:" >&2; cat "$WORK/serve.err" >&2; exit 1
}
stop_server() { kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=; }

step "actlog: durable batch ingest, batches of 1,000 on $CONNECTIONS connections"
serve "$WORK/actlog"
written0=$(awk '/^write_bytes/ { print $2 }' /proc/$SERVER_PID/io)
record actlog "$BIN/actlog_http_batch" --port "$PORT" --key "$KEY" --file "$WORK/events.jsonl" \
  --batch 1000 --connections "$CONNECTIONS"
put actlog bytes_live "$(du -sb "$WORK/actlog" | cut -f1)"
# What the server made the disk write per event (WAL, flushes, compactions so far).
put actlog written_per_event "$(awk -v w0="$written0" -v n="$EVENTS" '/^write_bytes/ { print ($2 - w0) / n }' /proc/$SERVER_PID/io)"

step "actlog: page latency"
record actlog "$BIN/actlog_http_query" --port "$PORT" --key "$KEY" --org "$ORG" --code "$CODE" \
  --actor "$ACTOR" --depth "$DEPTH" --reps "$REPS"
put actlog rss_mib "$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' /proc/$SERVER_PID/status)"
put actlog hwm_mib "$(awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' /proc/$SERVER_PID/status)"
stop_server

step "actlog: verify, bytes on disk"
# At rest: a read-write open replays the WAL into table files, as the next start would
# (verify opens read-only and writes nothing).
"$BIN/actlog" orgs --data "$WORK/actlog" >/dev/null
t0=$(date +%s.%N)
"$BIN/actlog" verify --data "$WORK/actlog" --org "$ORG"
t1=$(date +%s.%N)
put actlog verify_leaves_per_s "$(awk -v n="$EVENTS" -v a="$t0" -v b="$t1" 'BEGIN { print n / (b - a) }')"
echo "verify: $EVENTS leaves in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s (process start and store open included)"
bytes=$(du -sb "$WORK/actlog" | cut -f1)
put actlog bytes_per_event "$(awk -v b="$bytes" -v n="$EVENTS" 'BEGIN { print b / n }')"
echo "data directory at rest: $bytes bytes ($((bytes / EVENTS)) bytes/event; right after the ingest, WAL included: $(awk '$2 == "bytes_live" { print $3 }' "$RESULTS"))"

step "actlog: the same page reads in-process (actlog_store_bench, no HTTP, like the SQL baselines)"
record store "$BIN/actlog_store_bench" --data "$WORK/actlog" --org "$ORG" --code "$CODE" \
  --actor "$ACTOR" --depth "$DEPTH" --reps "$REPS"

# A fresh store, so the batch-ingested org's size and pages are not mixed with these.
step "actlog: durable single-event requests, 64 connections, $SINGLE_SECONDS s"
serve "$WORK/actlog-single"
record actlog "$BIN/actlog_http_load" --port "$PORT" --key "$KEY" --connections 64 \
  --seconds "$SINGLE_SECONDS" --org org_single --file "$WORK/events.jsonl"
stop_server

# --- 6. PostgreSQL ---------------------------------------------------------------------
step "PostgreSQL 15 (scripts/pg-cluster.sh)"
URL=$(scripts/pg-cluster.sh start "$WORK/pg")
echo "$URL ($(grep -E '^(shared_buffers|synchronous_commit|fsync) ' "$WORK/pg/pgdata/postgresql.conf" | tr '\n' ' '))"
record pg "$BIN/actlog_baseline_load" --pg "$URL" --file "$WORK/events.jsonl" --batch 1000 \
  --connections "$CONNECTIONS" --copy 1 --org "$ORG" --code "$CODE" --actor "$ACTOR" \
  --depth "$DEPTH" --reps "$REPS" --single-seconds "$SINGLE_SECONDS" --single-connections 64
scripts/pg-cluster.sh stop "$WORK/pg"

# --- 7. SQLite -------------------------------------------------------------------------
step "SQLite $(sqlite3 --version | cut -d' ' -f1) (WAL, synchronous=FULL)"
record sqlite "$BIN/actlog_baseline_load" --sqlite "$WORK/sqlite.db" --file "$WORK/events.jsonl" \
  --batch 1000 --connections 1 --org "$ORG" --code "$CODE" --actor "$ACTOR" --depth "$DEPTH" \
  --reps "$REPS" --single-seconds "$SINGLE_SECONDS" --single-connections 64
put machine load_end "$(cut -d' ' -f1 /proc/loadavg)"

# --- 8. the table ----------------------------------------------------------------------
step "results"
scripts/bench-table.sh "$RESULTS" "$EVENTS" "$CONNECTIONS"
if [[ -n ${BENCH_RESULTS:-} ]]; then cp "$RESULTS" "$BENCH_RESULTS"; fi
