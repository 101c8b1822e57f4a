// Group commit: a leader/follower writer queue in the manner of LevelDB's DBImpl::Write.
//
// Each Append becomes a PendingAppend and joins the queue. The thread at the front is
// the leader: it takes the front run of pending appends (up to `max_group_events`
// events, at least one append), commits them with one synced write through the given
// function, and wakes the others with their results. Appends arriving while a leader
// writes wait and form the next group, so one fsync serves many requests.
//
// Thread-safe. The commit function runs without the queue lock, on one thread at a time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <span>
#include <vector>

#include "actlog/event.h"
#include "actlog/status.h"
#include "actlog/store.h"

namespace actlog::store {

// One Append call (or one org creation, which is serialised with appends so that the
// leader alone decides when an org comes into being).
struct PendingAppend {
  std::vector<Event> events;
  std::optional<std::string> create_org;  // set: register this org; `events` is empty
  StatusOr<std::vector<AppendResult>> result = Internal("append was not committed");
  bool done = false;  // guarded by WriteQueue::mu_
  std::condition_variable cv;
};

// What a store counts of its appends: StoreMetrics but for the disk size.
struct AppendCounters {
  std::atomic<uint64_t> appends{0}, failed_appends{0}, events{0}, duplicates{0}, syncs{0},
      sync_micros{0};

  // Called by a store's commit function once per group it wrote.
  void CountGroupWrite(uint64_t new_events, int64_t micros) {
    syncs.fetch_add(1);
    sync_micros.fetch_add(static_cast<uint64_t>(micros));
    events.fetch_add(new_events);
  }
  StoreMetrics Snapshot() const;
};

class WriteQueue {
 public:
  // Commits a group: must set `result` of every entry. Never throws.
  using CommitFn = std::function<void(std::span<PendingAppend* const> group)>;

  explicit WriteQueue(size_t max_group_events) : max_group_events_(max_group_events) {}

  // Returns once `pending` has been committed (by this thread or by a leader).
  void Submit(PendingAppend* pending, const CommitFn& commit);

  // Store::Append through the queue: the batch as one PendingAppend, counted in
  // `counters` (appends or failed_appends).
  StatusOr<std::vector<AppendResult>> Append(std::vector<Event> events, const CommitFn& commit,
                                             AppendCounters& counters);

  // Appends waiting or being committed right now (for tests and metrics).
  size_t Depth() const;

 private:
  const size_t max_group_events_;
  mutable std::mutex mu_;
  std::deque<PendingAppend*> queue_;  // guarded by mu_; front = current leader
};

}  // namespace actlog::store
