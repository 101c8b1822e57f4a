// Group commit: a leader/follower writer queue in the manner of LevelDB's DBImpl::Write.
//
// Each Append becomes a PendingAppend and joins the queue. When no group is being
// committed, a waiting thread becomes the leader: it takes the front run of pending
// appends (up to `max_group_events` events, at least one append), commits them with one
// synced write through the given function, and wakes the others with their results.
// Appends arriving while a leader writes wait and form the next group, so one fsync
// serves many requests.
//
// Asynchronous appends (SubmitAsync) park no thread: the append joins the same queue
// with a completion, and a committer thread the queue starts on first use leads the
// groups no waiting caller leads. The completion runs on whichever thread committed the
// group, after its write, so a server can post the answer back to its I/O thread.
//
// Thread-safe. The commit function runs without the queue lock, on one thread at a time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <span>
#include <thread>
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
  // Set for an asynchronous append: called once with `result` after the group's write
  // (or failure), without the queue lock; the queue then deletes the PendingAppend.
  std::function<void(StatusOr<std::vector<AppendResult>>)> on_done;
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
  // Stops the committer thread (see StopCommitter).
  ~WriteQueue();

  // Returns once `pending` has been committed (by this thread or by another leader).
  void Submit(PendingAppend* pending, const CommitFn& commit);

  // Queues `pending` (its on_done set) and returns at once; the committer thread, or a
  // synchronous leader, commits it and calls on_done. The first call starts the
  // committer with a copy of `commit`. REQUIRES: every call passes the same commit
  // function, and none after StopCommitter.
  void SubmitAsync(std::unique_ptr<PendingAppend> pending, const CommitFn& commit);

  // Store::Append without waiting: `done` gets what Append would return, on the thread
  // that committed the group. Counted in `counters` like Append.
  void AppendAsync(std::vector<Event> events, const CommitFn& commit, AppendCounters& counters,
                   std::function<void(StatusOr<std::vector<AppendResult>>)> done);

  // Commits everything queued, then ends the committer thread (if it was started). Owners
  // call it before the state their commit function uses goes away.
  void StopCommitter();

  // Store::Append through the queue: the batch as one PendingAppend, counted in
  // `counters` (appends or failed_appends).
  StatusOr<std::vector<AppendResult>> Append(std::vector<Event> events, const CommitFn& commit,
                                             AppendCounters& counters);

  // Appends waiting or being committed right now (for tests and metrics).
  size_t Depth() const;

 private:
  // Commits the front run of the queue. REQUIRES: `lock` holds mu_ and no one leads.
  void LeadOneGroup(std::unique_lock<std::mutex>& lock, const CommitFn& commit);
  void CommitterLoop();

  const size_t max_group_events_;
  mutable std::mutex mu_;
  std::deque<PendingAppend*> queue_;  // guarded by mu_; FIFO, a group is a front run
  bool leading_ = false;              // guarded by mu_; a group is being committed
  bool stop_ = false;                 // guarded by mu_
  bool committer_started_ = false;    // guarded by mu_
  std::condition_variable committer_cv_;
  CommitFn async_commit_;  // guarded by mu_; set by the first SubmitAsync
  std::thread committer_;  // started by the first SubmitAsync (under mu_), joined by Stop
};

}  // namespace actlog::store
