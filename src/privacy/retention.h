// The retention job (DESIGN §7): removes each org's events older than its
// retention_days and logs every run that removed something as an
// actlog.retention:pruned event in that org.
//
// An event's age is its received_at (the store's clock when it was appended), which
// follows seq; so what goes is always the oldest run of the log, from the first event
// not yet pruned (Store::PruneBefore). occurred_at is the producer's claim and may be
// anything, so it is not used.
//
// Thread-safe if the store is; one run at a time per store is the caller's duty.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/store.h"
#include "core/periodic_thread.h"

namespace actlog::privacy {

struct RetentionRun {
  std::string org;
  int64_t retention_days = 0;
  int64_t cutoff_us = 0;   // events received before this were removed
  PruneResult result;
  std::string logged_id;   // the actlog.retention:pruned event, if anything was removed
};

// One pass over every org whose settings have retention_days > 0, at clock.NowMicros().
// Stops at the first error (the orgs done so far stay done).
StatusOr<std::vector<RetentionRun>> RunRetention(Store& store, const Clock& clock,
                                                 const Catalog& catalog);

// Runs RunRetention on a thread of its own: once at Start, then every `interval` (and
// never two at once). A failed run is reported to `on_error` (for the server's log) and
// retried at the next interval. Start/Stop from one thread; Stop waits for a run in
// progress to finish.
class RetentionJob {
 public:
  // Not owned; all must outlive the job.
  RetentionJob(Store* store, const Clock* clock, const Catalog* catalog,
               std::chrono::milliseconds interval,
               std::function<void(const Status&)> on_error = nullptr)
      : store_(store), clock_(clock), catalog_(catalog), interval_(interval),
        on_error_(std::move(on_error)) {}
  ~RetentionJob() { Stop(); }
  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;

  void Start();
  void Stop();

 private:
  Store* store_;
  const Clock* clock_;
  const Catalog* catalog_;
  std::chrono::milliseconds interval_;
  std::function<void(const Status&)> on_error_;
  PeriodicThread thread_;
};

}  // namespace actlog::privacy
