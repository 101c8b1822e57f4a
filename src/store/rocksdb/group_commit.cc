#include "store/rocksdb/group_commit.h"

namespace actlog::store {

StoreMetrics AppendCounters::Snapshot() const {
  StoreMetrics m;
  m.appends = appends.load();
  m.failed_appends = failed_appends.load();
  m.events = events.load();
  m.duplicates = duplicates.load();
  m.syncs = syncs.load();
  m.sync_micros_total = sync_micros.load();
  return m;
}

WriteQueue::~WriteQueue() { StopCommitter(); }

StatusOr<std::vector<AppendResult>> WriteQueue::Append(std::vector<Event> events,
                                                       const CommitFn& commit,
                                                       AppendCounters& counters) {
  if (events.empty()) return std::vector<AppendResult>();
  PendingAppend pending;
  pending.events = std::move(events);
  Submit(&pending, commit);
  (pending.result.ok() ? counters.appends : counters.failed_appends).fetch_add(1);
  return std::move(pending.result);
}

void WriteQueue::AppendAsync(std::vector<Event> events, const CommitFn& commit,
                             AppendCounters& counters,
                             std::function<void(StatusOr<std::vector<AppendResult>>)> done) {
  if (events.empty()) {
    done(std::vector<AppendResult>());
    return;
  }
  auto pending = std::make_unique<PendingAppend>();
  pending->events = std::move(events);
  pending->on_done = [&counters,
                      done = std::move(done)](StatusOr<std::vector<AppendResult>> result) {
    (result.ok() ? counters.appends : counters.failed_appends).fetch_add(1);
    done(std::move(result));
  };
  SubmitAsync(std::move(pending), commit);
}

size_t WriteQueue::Depth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void WriteQueue::Submit(PendingAppend* pending, const CommitFn& commit) {
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(pending);
  for (;;) {
    if (pending->done) return;
    if (!leading_) {
      LeadOneGroup(lock, commit);  // its group may stop short of `pending`: then again
    } else {
      pending->cv.wait(lock);
    }
  }
}

void WriteQueue::SubmitAsync(std::unique_ptr<PendingAppend> pending, const CommitFn& commit) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!committer_started_) {
    committer_started_ = true;
    async_commit_ = commit;
    committer_ = std::thread([this] { CommitterLoop(); });
  }
  queue_.push_back(pending.release());
  // A busy leader hands the queue on when it finishes; only an idle queue needs a wake.
  if (!leading_) committer_cv_.notify_one();
}

void WriteQueue::StopCommitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    committer_cv_.notify_one();
  }
  if (committer_.joinable()) committer_.join();
}

void WriteQueue::CommitterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    committer_cv_.wait(lock, [this] { return !leading_ && (stop_ || !queue_.empty()); });
    if (queue_.empty()) return;  // stopping, and nothing is left to commit
    LeadOneGroup(lock, async_commit_);
  }
}

void WriteQueue::LeadOneGroup(std::unique_lock<std::mutex>& lock, const CommitFn& commit) {
  // The front run, bounded in events (always at least one append).
  leading_ = true;
  std::vector<PendingAppend*> group;
  size_t events = 0;
  for (PendingAppend* p : queue_) {
    if (!group.empty() && events + p->events.size() > max_group_events_) break;
    group.push_back(p);
    events += p->events.size();
  }
  lock.unlock();
  commit(group);
  lock.lock();
  std::vector<PendingAppend*> finished_async;
  for (PendingAppend* p : group) {
    queue_.pop_front();
    p->done = true;
    if (p->on_done) {
      finished_async.push_back(p);
    } else {
      p->cv.notify_one();  // under the lock: its owner cannot return (and free it) before
    }
  }
  leading_ = false;
  // Hand the queue on: a synchronous waiter at the front leads next, else the committer.
  if (!queue_.empty() && !queue_.front()->on_done) {
    queue_.front()->cv.notify_one();
  } else if (committer_started_) {
    committer_cv_.notify_one();
  }
  if (finished_async.empty()) return;
  lock.unlock();
  for (PendingAppend* p : finished_async) {
    p->on_done(std::move(p->result));
    delete p;
  }
  lock.lock();
}

}  // namespace actlog::store
