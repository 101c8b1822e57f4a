// Page-latency measurement shared by the HTTP query tool and the SQL baselines: the same
// four reads on every system, so their figures line up in scripts/bench.sh's table.
//
//   first   newest 50 events of the org
//   code    newest 50 with one exact code
//   actor   newest 50 of one actor
//   deep    the 50 events after the first `depth` (100,000 by default), by cursor: the
//           cursor is found once by paging 200 at a time, then that page is fetched again
//           and again
//
// A system plugs in as a PageFn; latencies are wall-clock per call, p50/p99 over --reps.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "load_common.h"

namespace actlog::bench {

struct PageRequest {
  std::string code;    // empty: no code filter
  std::string actor;   // empty: no actor filter
  std::string cursor;  // empty: first page; else what the previous page returned
  int limit = 50;
};

struct PageAnswer {
  int events = 0;
  std::optional<std::string> next_cursor;
};

// Fetches one page; false (with a message on stderr) on error.
using PageFn = std::function<bool(const PageRequest&, PageAnswer*)>;

struct PageLatency {
  double p50_ms = 0, p99_ms = 0;
  int events = 0;
  bool ok = false;
};

inline PageLatency MeasurePage(const PageFn& fetch, const PageRequest& request, int reps) {
  PageLatency out;
  std::vector<double> samples;
  for (int i = 0; i < reps; ++i) {
    PageAnswer answer;
    auto t0 = std::chrono::steady_clock::now();
    if (!fetch(request, &answer)) return out;
    auto t1 = std::chrono::steady_clock::now();
    samples.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    out.events = answer.events;
  }
  std::sort(samples.begin(), samples.end());
  out.p50_ms = Quantile(samples, 0.5);
  out.p99_ms = Quantile(samples, 0.99);
  out.ok = true;
  return out;
}

// The cursor after `depth` events of the unfiltered listing, or nullopt if the org is
// not that deep.
inline std::optional<std::string> CursorAtDepth(const PageFn& fetch, long depth) {
  PageRequest request;
  long reached = 0;
  while (reached < depth) {
    request.limit = static_cast<int>(std::min<long>(200, depth - reached));
    PageAnswer answer;
    if (!fetch(request, &answer) || !answer.next_cursor) return std::nullopt;
    reached += answer.events;
    request.cursor = *answer.next_cursor;
  }
  return request.cursor;
}

inline void Report(const std::string& name, const PageLatency& l) {
  std::printf("  %-8s %3d events  p50 %7.3f ms  p99 %7.3f ms\n", name.c_str(), l.events, l.p50_ms,
              l.p99_ms);
  Result("q_" + name + "_p50_ms", l.p50_ms);
  Result("q_" + name + "_p99_ms", l.p99_ms);
}

// Runs the four reads of the header comment; returns false if one failed.
inline bool MeasureAllPages(const PageFn& fetch, const std::string& code, const std::string& actor,
                            long depth, int reps) {
  PageRequest first, by_code, by_actor;
  by_code.code = code;
  by_actor.actor = actor;
  std::printf("page latency, %d repetitions each, 50 events per page:\n", reps);
  for (auto [name, request] :
       {std::pair{"first", first}, std::pair{"code", by_code}, std::pair{"actor", by_actor}}) {
    PageLatency l = MeasurePage(fetch, request, reps);
    if (!l.ok) return false;
    Report(name, l);
  }
  if (depth <= 0) return true;
  std::optional<std::string> cursor = CursorAtDepth(fetch, depth);
  if (!cursor) {
    std::printf("  deep: the org has fewer than %ld events past the first page; skipped\n", depth);
    return true;
  }
  PageRequest deep;
  deep.cursor = *cursor;
  PageLatency l = MeasurePage(fetch, deep, reps);
  if (!l.ok) return false;
  Report("deep", l);
  return true;
}

}  // namespace actlog::bench
