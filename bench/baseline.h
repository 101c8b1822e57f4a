// The baselines actlog is compared with (scripts/bench.sh): the audit table a team would
// write by hand in the database it already has — PostgreSQL 15 and SQLite — fed the same
// demo events and asked the same pages as actlog.
//
// The table (same columns on both; PostgreSQL's body is jsonb, SQLite's text):
//
//   audit_events(seq       identity / rowid, the tie-break of equal times
//                org, id   PRIMARY KEY (org, id) on PostgreSQL, UNIQUE on SQLite —
//                          the client id, exactly-once like actlog's
//                code, actor_type, actor_id, target_type, target_id, outcome,
//                occurred_at (timestamptz / ISO-8601 text), body (the whole event))
//   B-tree indexes: (org, occurred_at, seq), (org, code, occurred_at, seq),
//                   (org, actor_id, occurred_at, seq), (org, target_type, target_id,
//                   occurred_at, seq)
//
// Each index ends in (occurred_at, seq) so a filtered, newest-first page is one index
// range scan with a keyset cursor, the way a competent team would write it; without
// that, filtered pages would sort every match and the baseline would be a straw man.
//
// Durability is what actlog promises: PostgreSQL with synchronous_commit = on and fsync
// on; SQLite in WAL mode with synchronous = FULL.
//
// Not thread-safe: one Connection per thread. Baseline::Connect is thread-safe.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "page_latency.h"

namespace actlog::bench {

// One event as the table's columns. Built from a demo JSON line by ParseRow.
struct Row {
  std::string org, id, code, actor_type, actor_id, target_type, target_id, outcome;
  std::string occurred_at;  // as sent: 2026-01-05T08:00:00.000Z
  std::string body;         // the whole line
};

// Parses one JSON line; false (and `error`) if it lacks a required field.
bool ParseRow(const std::string& line, Row* row, std::string* error);

class Connection {
 public:
  virtual ~Connection() = default;
  // One transaction holding all rows, written as the system's idiomatic bulk insert.
  virtual bool InsertBatch(std::span<const Row> rows, std::string* error) = 0;
  // One transaction loading all rows with COPY; false with "unsupported" where there is
  // no COPY (SQLite).
  virtual bool CopyBatch(std::span<const Row> rows, std::string* error) = 0;
  // One row, its own (durable) transaction.
  virtual bool InsertOne(const Row& row, std::string* error) = 0;
  // One page of the org, newest first (page_latency.h); the cursor is "occurred_at|seq".
  virtual bool Page(const std::string& org, const PageRequest& request, PageAnswer* answer,
                    std::string* error) = 0;
};

class Baseline {
 public:
  virtual ~Baseline() = default;
  virtual std::string Name() const = 0;
  // Drops and creates the table and its indexes.
  virtual bool Reset(std::string* error) = 0;
  virtual std::unique_ptr<Connection> Connect(std::string* error) = 0;
  // After a load, before queries: refresh the planner's statistics (as autovacuum or a
  // scheduled ANALYZE would) and, for SQLite, checkpoint the WAL into the database.
  virtual bool Settle(std::string* error) = 0;
  // Bytes the table, its indexes (and TOAST) take on disk; -1 if unknown.
  virtual double BytesOnDisk() = 0;
};

// `url`: a libpq connection string. nullptr (and `error`) if libpq cannot connect.
std::unique_ptr<Baseline> NewPostgresBaseline(const std::string& url, std::string* error);
// `path`: the database file, created if missing.
std::unique_ptr<Baseline> NewSqliteBaseline(const std::string& path, std::string* error);

}  // namespace actlog::bench
