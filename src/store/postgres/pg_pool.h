// PgPool: a small pool of libpq connections to one database.
//
// Connections are opened on demand up to `max_size` and kept while healthy. A call
// that finds the database gone (Unavailable) makes the pool drop every idle connection
// too, since a restarted server has closed them all: the next call connects afresh, so
// the store recovers by itself when the database is back, without a restart. While it
// is down every call fails fast with Unavailable (connect timeout 5 s at most).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_conn.h"

namespace actlog::store::pg {

class PgPool {
 public:
  PgPool(std::string url, size_t max_size) : url_(std::move(url)), max_size_(max_size) {}

  // Runs `fn` on a pooled connection. A transaction `fn` leaves open is rolled back.
  // Waits up to 10 s for a free connection when all are busy (then Unavailable).
  Status Run(const std::function<Status(PgConn&)>& fn);

  // Runs `fn` in BEGIN ... COMMIT, again (up to 5 times) when the database asks for a
  // retry (deadlock, serialization failure). `fn` must be safe to run again.
  Status Transaction(const std::function<Status(PgConn&)>& fn);

  const std::string& url() const { return url_; }

 private:
  StatusOr<std::unique_ptr<PgConn>> Acquire();
  void Release(std::unique_ptr<PgConn> conn, const Status& status);

  const std::string url_;
  const size_t max_size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;  // guarded by mu_
  size_t open_ = 0;                            // guarded by mu_: idle + handed out
};

}  // namespace actlog::store::pg
