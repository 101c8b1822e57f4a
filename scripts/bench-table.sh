#!/usr/bin/env bash
# Prints scripts/bench.sh's one table from its results file (lines "system key value",
# systems actlog, pg, sqlite, limit, machine).
#
#   scripts/bench-table.sh RESULTS EVENTS CONNECTIONS
#
# Ratios read "actlog is ×N better": actlog/baseline for rates, baseline/actlog for
# latencies and sizes, so above 1 favours actlog whatever the unit.
set -euo pipefail
results=${1:?usage: bench-table.sh RESULTS EVENTS CONNECTIONS}
events=${2:?}
connections=${3:?}

awk -v events="$events" -v conns="$connections" '
  { v[$1 "." $2] = $3 }
  function has(k) { return (k in v) }
  function num(k,   x) {
    if (!has(k)) return "-"
    x = v[k] + 0
    if (x >= 100) return sprintf("%\047.0f", x)
    if (x >= 10) return sprintf("%.1f", x)
    return sprintf("%.3f", x)
  }
  function ratio(a, b, higher_better) {
    if (!has(a) || !has(b) || v[a] + 0 == 0 || v[b] + 0 == 0) return "-"
    return sprintf("×%.2f", higher_better ? v[a] / v[b] : v[b] / v[a])
  }
  # One row: label, key for actlog, key for the baselines, higher is better?, goal.
  # akey may name another system ("store.q_first_p50_ms"); plain keys belong to actlog.
  function row(label, akey, bkey, hb, goal) {
    if (index(akey, ".") == 0) akey = "actlog." akey
    printf "| %-44s | %12s | %12s | %8s | %12s | %8s | %-26s |\n", label, num(akey),
      bkey == "" ? "-" : num("pg." bkey), bkey == "" ? "-" : ratio(akey, "pg." bkey, hb),
      bkey == "" ? "-" : num("sqlite." bkey), bkey == "" ? "-" : ratio(akey, "sqlite." bkey, hb),
      goal
  }
  function limit(label, key) { printf "| %-44s | %12s |\n", label, num("limit." key) }
  END {
    printf "actlog vs hand-made tables, %s demo events, load average %s at start, %s at end\n\n",
      events, v["machine.load_start"], v["machine.load_end"]
    printf "| %-44s | %12s | %12s | %8s | %12s | %8s | %-26s |\n", "measure", "actlog",
      "PostgreSQL", "ratio", "SQLite", "ratio", "goal"
    print "|---|---:|---:|---:|---:|---:|---|"
    row("durable batch ingest, events/s (" conns " conns)", "batch_events_per_s",
        "insert_events_per_s", 1, ">= 200,000 and >= 5× PG")
    printf "| %-44s | %12s | %12s | %8s | %12s | %8s | %-26s |\n", "  PostgreSQL fed by COPY instead, events/s",
      num("actlog.batch_events_per_s"), num("pg.copy_events_per_s"),
      ratio("actlog.batch_events_per_s", "pg.copy_events_per_s", 1), "-", "-", ""
    row("batch of 1,000: p99 answer, ms", "batch_p99_ms", "", 0, "")
    row("durable single-event requests/s, 64 conns", "single_requests_per_s",
        "single_requests_per_s", 1, ">= 30,000")
    row("  p50, ms", "single_p50_ms", "single_p50_ms", 0, "")
    row("  p99, ms", "single_p99_ms", "single_p99_ms", 0, "<= 10")
    row("  requests per fsync (actlog)", "single_appends_per_fsync", "", 1, "")
    row("first page (50), p50 ms", "q_first_p50_ms", "q_first_p50_ms", 0, "")
    row("first page (50), p99 ms", "q_first_p99_ms", "q_first_p99_ms", 0, "<= 5, >= 3× PG")
    row("filtered by code, first page, p50 ms", "q_code_p50_ms", "q_code_p50_ms", 0, "")
    row("filtered by code, first page, p99 ms", "q_code_p99_ms", "q_code_p99_ms", 0, "<= 5, >= 3× PG")
    row("filtered by actor, first page, p50 ms", "q_actor_p50_ms", "q_actor_p50_ms", 0, "")
    row("filtered by actor, first page, p99 ms", "q_actor_p99_ms", "q_actor_p99_ms", 0, "<= 5, >= 3× PG")
    row("page 100,000 deep by cursor, p50 ms", "q_deep_p50_ms", "q_deep_p50_ms", 0, "")
    row("page 100,000 deep by cursor, p99 ms", "q_deep_p99_ms", "q_deep_p99_ms", 0, "<= 5, >= 3× PG")
    row("the same four reads in-process (no HTTP):", "-", "", 0, "")
    row("  first page, p50 ms", "store.q_first_p50_ms", "q_first_p50_ms", 0, "")
    row("  first page, p99 ms", "store.q_first_p99_ms", "q_first_p99_ms", 0, "")
    row("  by code, p50 ms", "store.q_code_p50_ms", "q_code_p50_ms", 0, "")
    row("  by code, p99 ms", "store.q_code_p99_ms", "q_code_p99_ms", 0, "")
    row("  by actor, p50 ms", "store.q_actor_p50_ms", "q_actor_p50_ms", 0, "")
    row("  by actor, p99 ms", "store.q_actor_p99_ms", "q_actor_p99_ms", 0, "")
    row("  100,000 deep, p50 ms", "store.q_deep_p50_ms", "q_deep_p50_ms", 0, "")
    row("  100,000 deep, p99 ms", "store.q_deep_p99_ms", "q_deep_p99_ms", 0, "")
    row("bytes on disk per event", "bytes_per_event", "bytes_per_event", 0, "<= 150")
    row("  written to disk per event during ingest", "written_per_event", "", 0, "")
    row("full verification, leaves/s", "verify_leaves_per_s", "", 1, ">= 2,000,000")
    row("server RSS after serving, MiB", "rss_mib", "", 0, "<= 256")
    row("  server peak RSS, MiB", "hwm_mib", "", 0, "")
    print ""
    print "Physical limits of this machine, same run:"
    print ""
    printf "| %-44s | %12s |\n", "limit", "value"
    print "|---|---:|"
    limit("SHA-256, MB/s (one core)", "sha256_mb_per_s")
    limit("leaf hashes of an average event, /s (one core)", "leaf_hashes_per_s")
    limit("4 KiB write + fdatasync, /s", "fsyncs_per_s")
    limit("sequential write + fdatasync, MB/s", "seq_write_mb_per_s")
  }' "$results"
