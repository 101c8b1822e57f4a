// Append notifications between nodes: LISTEN "actlog_append" on a connection of its own,
// in a thread that lives from the first SetAppendListener to the store's end. While the
// database is away it retries every second; notifications sent meanwhile are lost, which
// live tails survive (they also poll the store at each heartbeat).
#include <poll.h>

#include <charconv>

#include "store/postgres/pg_store.h"

namespace actlog::store::pg {

void PgStore::SetAppendListener(
    std::function<void(std::string_view org, uint64_t next_seq)> listener) {
  std::lock_guard<std::mutex> lock(listen_mu_);
  listener_ = std::move(listener);
  if (listener_ && !listen_thread_.joinable()) {
    listen_thread_ = std::thread([this] { ListenLoop(); });
  }
}

PgStore::~PgStore() {
  {
    std::lock_guard<std::mutex> lock(listen_mu_);
    listen_stop_ = true;
    listener_ = nullptr;
  }
  listen_cv_.notify_all();
  if (listen_thread_.joinable()) listen_thread_.join();
}

void PgStore::ListenLoop() {
  auto stopping = [this] {
    std::lock_guard<std::mutex> lock(listen_mu_);
    return listen_stop_;
  };
  while (!stopping()) {
    StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(pool_->url());
    if (!conn.ok() || !(*conn)->Exec("LISTEN actlog_append").ok()) {
      std::unique_lock<std::mutex> lock(listen_mu_);
      listen_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return listen_stop_; });
      continue;
    }
    while (!stopping()) {
      pollfd fd{(*conn)->socket(), POLLIN, 0};
      if (::poll(&fd, 1, 250) < 0 && errno != EINTR) break;
      if (!(*conn)->ConsumeInput()) break;  // lost: reconnect
      for (const auto& [channel, payload] : (*conn)->TakeNotifications()) {
        size_t space = payload.find(' ');
        uint64_t next_seq = 0;
        if (space == std::string::npos ||
            std::from_chars(payload.data(), payload.data() + space, next_seq).ec != std::errc()) {
          continue;
        }
        std::lock_guard<std::mutex> lock(listen_mu_);
        if (listener_) listener_(std::string_view(payload).substr(space + 1), next_seq);
      }
    }
  }
}

}  // namespace actlog::store::pg
