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

size_t WriteQueue::Depth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void WriteQueue::Submit(PendingAppend* pending, const CommitFn& commit) {
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(pending);
  while (!pending->done && pending != queue_.front()) pending->cv.wait(lock);
  if (pending->done) return;

  // Leader: take the front run, bounded in events (always at least our own).
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
  for (PendingAppend* p : group) {
    queue_.pop_front();
    p->done = true;
    if (p != pending) p->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
}

}  // namespace actlog::store
