// Event counts by time bucket and group, for the timeline chart (GET /v1/stats,
// DESIGN §5): how many events of each code (or actor, or resource) occurred in each
// hour or day (UTC) of a query's range.
//
// The work is bounded: at most StatsOptions::max_events events are counted (newest
// first); when more match, the answer says truncated and its oldest bucket may be
// partial. Plain value types and pure functions; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/event.h"

namespace actlog {

enum class StatsBucket { kHour, kDay };
enum class StatsGroupBy { kCode, kActor, kResource };

std::optional<StatsBucket> ParseStatsBucket(std::string_view s);    // "hour", "day"
std::optional<StatsGroupBy> ParseStatsGroupBy(std::string_view s);  // "code", "actor", "resource"

struct StatsOptions {
  StatsBucket bucket = StatsBucket::kDay;
  StatsGroupBy group_by = StatsGroupBy::kCode;
  // Counting stops after this many events (truncated = true). Bounds one request's work.
  uint64_t max_events = 100'000;
};

struct StatsBucketCounts {
  int64_t start_us = 0;                    // the bucket's first microsecond (UTC)
  std::map<std::string, uint64_t> counts;  // group key -> events
  bool operator==(const StatsBucketCounts&) const = default;
};

struct StatsResult {
  std::vector<StatsBucketCounts> buckets;  // oldest first; only buckets with events
  uint64_t events = 0;                     // events counted
  bool truncated = false;                  // more events matched than max_events
};

// The start of the bucket holding `us` (floor to the hour or the UTC day).
int64_t StatsBucketStart(int64_t us, StatsBucket bucket);

// The group key of an event: its code, its actor id, or the code's resource.
std::string StatsGroupKey(const Event& event, StatsGroupBy group_by);

// Accumulates events into a StatsResult; events may come in any order.
class StatsCounter {
 public:
  explicit StatsCounter(const StatsOptions& options) : options_(options) {}
  // Counts one event; false (and nothing counted) once max_events were counted, which
  // marks the result truncated.
  bool Add(const Event& event);
  StatsResult Finish() &&;

 private:
  StatsOptions options_;
  std::map<int64_t, std::map<std::string, uint64_t>> buckets_;
  uint64_t events_ = 0;
  bool truncated_ = false;
};

}  // namespace actlog
