// Event counts by bucket (actlog/stats.h) and the default Store::Stats.
#include <utility>

#include "actlog/catalog.h"
#include "actlog/stats.h"
#include "actlog/store.h"

namespace actlog {
namespace {

constexpr int64_t kHourUs = int64_t{3600} * 1'000'000;
constexpr int64_t kDayUs = 24 * kHourUs;

int64_t FloorTo(int64_t us, int64_t step) {
  int64_t q = us / step;
  if (us % step != 0 && us < 0) --q;
  return q * step;
}

}  // namespace

std::optional<StatsBucket> ParseStatsBucket(std::string_view s) {
  if (s == "hour") return StatsBucket::kHour;
  if (s == "day") return StatsBucket::kDay;
  return std::nullopt;
}

std::optional<StatsGroupBy> ParseStatsGroupBy(std::string_view s) {
  if (s == "code") return StatsGroupBy::kCode;
  if (s == "actor") return StatsGroupBy::kActor;
  if (s == "resource") return StatsGroupBy::kResource;
  return std::nullopt;
}

int64_t StatsBucketStart(int64_t us, StatsBucket bucket) {
  return FloorTo(us, bucket == StatsBucket::kHour ? kHourUs : kDayUs);
}

std::string StatsGroupKey(const Event& event, StatsGroupBy group_by) {
  switch (group_by) {
    case StatsGroupBy::kCode:
      return event.code;
    case StatsGroupBy::kActor:
      return event.actor.id;
    case StatsGroupBy::kResource:
      return std::string(Catalog::ResourceOf(event.code));
  }
  return event.code;
}

bool StatsCounter::Add(const Event& event) {
  if (events_ >= options_.max_events) {
    truncated_ = true;
    return false;
  }
  ++events_;
  ++buckets_[StatsBucketStart(event.occurred_at_us, options_.bucket)]
            [StatsGroupKey(event, options_.group_by)];
  return true;
}

StatsResult StatsCounter::Finish() && {
  StatsResult result;
  result.events = events_;
  result.truncated = truncated_;
  result.buckets.reserve(buckets_.size());
  for (auto& [start, counts] : buckets_) {
    result.buckets.push_back(StatsBucketCounts{start, std::move(counts)});
  }
  return result;
}

StatusOr<StatsResult> Store::Stats(const EventQuery& query, const StatsOptions& options) {
  EventQuery page_query = query;
  page_query.order = Order::kDesc;
  page_query.limit = kMaxQueryLimit;
  page_query.cursor.clear();
  StatsCounter counter(options);
  for (;;) {
    StatusOr<QueryPage> page = Query(page_query);
    if (!page.ok()) return page.status();
    for (const StoredEvent& stored : page->events) {
      if (!counter.Add(stored.event)) return std::move(counter).Finish();
    }
    if (!page->next_cursor) break;
    page_query.cursor = *page->next_cursor;
  }
  return std::move(counter).Finish();
}

}  // namespace actlog
