#include "store/postgres/pg_pool.h"

namespace actlog::store::pg {

StatusOr<std::unique_ptr<PgConn>> PgPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  bool free = cv_.wait_for(lock, std::chrono::seconds(10),
                           [this] { return !idle_.empty() || open_ < max_size_; });
  if (!free) return Unavailable("every database connection is busy; try again");
  if (!idle_.empty()) {
    std::unique_ptr<PgConn> conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  ++open_;
  lock.unlock();
  StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(url_);
  if (!conn.ok()) {
    lock.lock();
    --open_;
    cv_.notify_one();
  }
  return conn;
}

void PgPool::Release(std::unique_ptr<PgConn> conn, const Status& status) {
  if (conn->healthy() && conn->in_transaction()) {
    // A failed call left its transaction open; end it before reuse.
    if (!conn->Exec("ROLLBACK").ok()) conn.reset();
  }
  bool broken = conn == nullptr || !conn->healthy() || status.code() == StatusCode::kUnavailable;
  std::vector<std::unique_ptr<PgConn>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken && status.error_code() != "pg_retry") {
      dropped.swap(idle_);  // the server likely closed them all: reconnect afresh
      open_ -= dropped.size() + 1;
    } else if (conn != nullptr && conn->healthy()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  cv_.notify_all();
}

Status PgPool::Run(const std::function<Status(PgConn&)>& fn) {
  StatusOr<std::unique_ptr<PgConn>> conn = Acquire();
  if (!conn.ok()) return conn.status();
  Status status = fn(**conn);
  Release(std::move(*conn), status);
  return status;
}

Status PgPool::Transaction(const std::function<Status(PgConn&)>& fn) {
  constexpr int kAttempts = 5;
  Status status;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    status = Run([&](PgConn& conn) -> Status {
      ACTLOG_RETURN_IF_ERROR(conn.Exec("BEGIN").status());
      ACTLOG_RETURN_IF_ERROR(fn(conn));
      return conn.Exec("COMMIT").status();
    });
    if (!IsRetryable(status)) return status;
  }
  return status;
}

}  // namespace actlog::store::pg
