// A thin, status-returning layer over libpq: one connection, statement parameters, and
// results read in binary format. Nothing above this file sees a PGconn or PGresult.
//
// Errors: a lost or refused connection (and the server's "shutting down" / "starting
// up" answers) is Unavailable "unavailable", so the HTTP layer answers 503 and the pool
// drops the connection; a deadlock or serialization failure is Unavailable
// "pg_retry" (the caller may run the transaction again); a unique violation is
// AlreadyExists "pg_unique_violation"; anything else is Internal.
//
// Thread-compatible: one PgConn is used by one thread at a time (the pool hands it out).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/status.h"

struct pg_conn;
struct pg_result;

namespace actlog::store::pg {

// Statement parameters. Text values are sent in text format (the server infers or the
// SQL casts their type); Bytes are sent in binary format (for bytea columns).
class PgParams {
 public:
  PgParams& Text(std::string_view v);
  PgParams& Bytes(std::string_view v);
  PgParams& Int(int64_t v);
  PgParams& Null();
  // The 1-based placeholder ("$n") of the parameter just added.
  int last() const { return static_cast<int>(values_.size()); }
  size_t size() const { return values_.size(); }

 private:
  friend class PgConn;
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<int> formats_;
};

// A result in binary format. Integer columns (smallint, integer, bigint) are read with
// Int; text and bytea with Bytes.
class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  // Rows changed by INSERT/UPDATE/DELETE.
  uint64_t affected() const;
  bool IsNull(int row, int col) const;
  std::string Bytes(int row, int col) const;
  // REQUIRES: an integer column; a NULL reads as 0.
  int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const;

 private:
  pg_result* result_;
};

class PgConn {
 public:
  // Connects to `url` (a postgres:// or postgresql:// URL, or a libpq conninfo string).
  // Sets client_encoding UTF8, a 5 s connect timeout and gssencmode=disable unless the URL
  // says otherwise.
  static StatusOr<std::unique_ptr<PgConn>> Connect(const std::string& url);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs one statement.
  StatusOr<PgResult> Exec(std::string_view sql);
  // Runs several statements separated by ';' (no parameters, results discarded).
  Status ExecScript(std::string_view sql);
  StatusOr<PgResult> Exec(std::string_view sql, const PgParams& params);

  // LISTEN support: the socket to poll for input, reading what arrived (false once the
  // connection is lost), and the notifications received so far as (channel, payload).
  int socket() const;
  bool ConsumeInput();
  std::vector<std::pair<std::string, std::string>> TakeNotifications();

  // False once the connection is known to be broken; the pool then drops it.
  bool healthy() const;
  // True while a transaction block is open (or failed) on this connection.
  bool in_transaction() const;

 private:
  explicit PgConn(pg_conn* conn) : conn_(conn) {}
  StatusOr<PgResult> Check(pg_result* result, std::string_view sql);

  pg_conn* conn_;
};

// `url` (postgres:// or postgresql://) with its database name replaced by `database`,
// e.g. for tests and benchmarks that create a database of their own on a server.
std::string UrlWithDatabase(std::string_view url, std::string_view database);

// A PostgreSQL text-array literal ("{"a","b"}") of `items`, for `$n::text[]` parameters.
std::string TextArray(const std::vector<std::string>& items);

// True for statuses that say "run the whole transaction again" (deadlock, serialization).
bool IsRetryable(const Status& status);

}  // namespace actlog::store::pg
