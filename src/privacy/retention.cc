#include "privacy/retention.h"

#include "actlog/json.h"

namespace actlog::privacy {
namespace {

constexpr int64_t kMicrosPerDay = int64_t{86'400} * 1'000'000;

// actlog.retention:pruned: who (the system's retention job), which org, what went.
StatusOr<std::string> LogRun(Store& store, const Catalog& catalog, const RetentionRun& run) {
  Json input = Json::MakeObject({
      {"org", Json::String(run.org)},
      {"code", Json::String("actlog.retention:pruned")},
      {"actor", Json::MakeObject({{"type", Json::String("system")},
                                  {"id", Json::String("retention")}})},
      {"target", Json::MakeObject({{"type", Json::String("org")},
                                   {"id", Json::String(run.org)}})},
      {"metadata",
       Json::MakeObject({
           {"retention_days", Json::Number(static_cast<double>(run.retention_days))},
           {"cutoff", Json::String(FormatTimestamp(run.cutoff_us))},
           {"events_removed", Json::Number(static_cast<double>(run.result.events_removed))},
           {"first_kept_seq", Json::Number(static_cast<double>(run.result.first_kept_seq))},
       })},
  });
  StatusOr<Event> event = ValidateEvent(input, catalog, EventLimits{});
  if (!event.ok()) return Internal("retention event does not validate: " + event.status().ToString());
  std::vector<Event> events;
  events.push_back(std::move(event).value());
  StatusOr<std::vector<AppendResult>> appended = store.Append(std::move(events));
  if (!appended.ok()) return appended.status();
  return appended->front().id;
}

}  // namespace

StatusOr<std::vector<RetentionRun>> RunRetention(Store& store, const Clock& clock,
                                                 const Catalog& catalog) {
  StatusOr<std::vector<OrgInfo>> orgs = store.ListOrgs();
  if (!orgs.ok()) return orgs.status();
  std::vector<RetentionRun> runs;
  int64_t now = clock.NowMicros();
  for (const OrgInfo& org : *orgs) {
    if (!org.settings.retention_days || *org.settings.retention_days <= 0) continue;
    RetentionRun run{org.org, *org.settings.retention_days};
    run.cutoff_us = now - *org.settings.retention_days * kMicrosPerDay;
    StatusOr<PruneResult> pruned = store.PruneBefore(org.org, run.cutoff_us);
    if (!pruned.ok()) return pruned.status();
    run.result = *pruned;
    if (run.result.events_removed > 0) {
      StatusOr<std::string> logged = LogRun(store, catalog, run);
      if (!logged.ok()) return logged.status();
      run.logged_id = std::move(logged).value();
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

void RetentionJob::Start() {
  thread_.Start(interval_, PeriodicThread::FirstRun::kAtStart, [this] {
    StatusOr<std::vector<RetentionRun>> runs = RunRetention(*store_, *clock_, *catalog_);
    if (!runs.ok() && on_error_) on_error_(runs.status());
  });
}

void RetentionJob::Stop() { thread_.Stop(); }

}  // namespace actlog::privacy
