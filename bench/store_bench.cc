// Query latency of the embedded store, measured on a data directory that `actlog ingest`
// filled (bench/ingest_query.sh): a first page with and without filters, and a page
// 10,000 events deep reached through cursors. The deep page is found once by paging,
// then its cursor is fetched again and again; p50/p99 over many repetitions, and the
// deep/first ratio (deep pages should cost what first pages cost).
//
//   actlog_store_bench --data DIR --org ORG [--reps N] [--depth D] [--limit L]
//   actlog_store_bench --data DIR --org ORG --code CODE --actor ID [--reps N] [--depth D]
//   actlog_store_bench --store postgres://… --org ORG ...   (the PostgreSQL store)
//
// With --code and --actor it runs instead the four reads of scripts/bench.sh
// (page_latency.h) in-process, so they line up with the SQL baselines, which are also
// measured without HTTP, and prints RESULT lines.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "actlog/query.h"
#include "actlog/store.h"
#include "page_latency.h"

namespace actlog {
namespace {

struct Latency {
  double p50_us = 0;
  double p99_us = 0;
  double mean_us = 0;
  std::size_t events = 0;  // events per page
};

Latency Measure(Store* store, const EventQuery& query, int reps) {
  std::vector<double> samples;
  samples.reserve(reps);
  Latency latency;
  for (int i = 0; i < reps; ++i) {
    auto start = std::chrono::steady_clock::now();
    StatusOr<QueryPage> page = store->Query(query);
    auto stop = std::chrono::steady_clock::now();
    if (!page.ok()) {
      std::fprintf(stderr, "query failed: %s\n", page.status().ToString().c_str());
      std::exit(1);
    }
    latency.events = page->events.size();
    samples.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
  }
  std::sort(samples.begin(), samples.end());
  latency.p50_us = samples[samples.size() / 2];
  latency.p99_us = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  for (double s : samples) latency.mean_us += s / samples.size();
  return latency;
}

// The cursor after `depth` events of `query`, found by paging 200 at a time.
std::string CursorAtDepth(Store* store, EventQuery query, uint64_t depth, uint64_t* reached) {
  query.limit = kMaxQueryLimit;
  *reached = 0;
  while (*reached < depth) {
    query.limit = static_cast<int>(std::min<uint64_t>(kMaxQueryLimit, depth - *reached));
    StatusOr<QueryPage> page = store->Query(query);
    if (!page.ok() || !page->next_cursor) break;
    *reached += page->events.size();
    query.cursor = *page->next_cursor;
  }
  return query.cursor;
}

void Print(const char* name, const Latency& latency, double baseline_p50) {
  std::printf("%-44s %6zu events  p50 %8.1f us  p99 %8.1f us  mean %8.1f us  x%.2f\n", name,
              latency.events, latency.p50_us, latency.p99_us, latency.mean_us,
              baseline_p50 > 0 ? latency.p50_us / baseline_p50 : 1.0);
}

}  // namespace
}  // namespace actlog

int main(int argc, char** argv) {
  using namespace actlog;
  std::string data_dir, org, store_url, code, actor;
  int reps = 2000, limit = 50;
  uint64_t depth = 10000;
  CLI::App app{"Query latency of the embedded store"};
  app.add_option("--data", data_dir, "Data directory filled by actlog ingest");
  app.add_option("--store", store_url, "Store URL (postgres://…) instead of --data");
  app.add_option("--org", org, "Organisation to query")->required();
  app.add_option("--reps", reps, "Repetitions per query")->capture_default_str();
  app.add_option("--depth", depth, "Events before the deep page")->capture_default_str();
  app.add_option("--limit", limit, "Page size")->capture_default_str();
  app.add_option("--code", code, "Exact code of the filtered read (with --actor: bench.sh reads)");
  app.add_option("--actor", actor, "Actor id of the filtered read (with --code)");
  CLI11_PARSE(app, argc, argv);

  StoreOptions options;
  options.data_dir = data_dir;
  options.url = store_url;
  if (data_dir.empty() == store_url.empty()) {
    std::fprintf(stderr, "give exactly one of --data DIR and --store URL\n");
    return 2;
  }
  StatusOr<std::unique_ptr<Store>> store = OpenStore(options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  StatusOr<OrgInfo> info = (*store)->GetOrg(org);
  if (!info.ok()) {
    std::fprintf(stderr, "%s\n", info.status().ToString().c_str());
    return 1;
  }
  std::printf("org %s: %llu events, %d repetitions per query, page size %d\n", org.c_str(),
              static_cast<unsigned long long>(info->event_count), reps, limit);

  if (!code.empty() && !actor.empty()) {
    bench::PageFn fetch = [&](const bench::PageRequest& r, bench::PageAnswer* answer) {
      EventQuery query;
      query.org = org;
      query.limit = r.limit;
      query.cursor = r.cursor;
      if (!r.code.empty()) query.include.push_back({QueryField::kCode, r.code});
      if (!r.actor.empty()) query.include.push_back({QueryField::kActor, r.actor});
      StatusOr<QueryPage> page = (*store)->Query(query);
      if (!page.ok()) {
        std::fprintf(stderr, "query failed: %s\n", page.status().ToString().c_str());
        return false;
      }
      answer->events = static_cast<int>(page->events.size());
      answer->next_cursor = page->next_cursor;
      return true;
    };
    std::printf("actlog store in-process (no HTTP)\n");
    return bench::MeasureAllPages(fetch, code, actor, static_cast<long>(depth), reps) ? 0 : 1;
  }

  EventQuery all;
  all.org = org;
  all.limit = limit;
  EventQuery filtered = all;
  filtered.include.push_back({QueryField::kCode, "org.member:*"});
  EventQuery failures = all;
  failures.include.push_back({QueryField::kOutcome, "failure"});
  EventQuery successes = all;
  successes.include.push_back({QueryField::kOutcome, "success"});
  EventQuery users = all;  // the embedded store checks these on the events (no stream)
  users.include.push_back({QueryField::kActorType, "user"});
  EventQuery systems = all;
  systems.include.push_back({QueryField::kActorType, "system"});

  Latency first = Measure(store->get(), all, reps);
  Print("first page, no filter", first, first.p50_us);
  Latency first_filtered = Measure(store->get(), filtered, reps);
  Print("first page, code org.member:*", first_filtered, first.p50_us);
  Latency first_failures = Measure(store->get(), failures, reps);
  Print("first page, outcome failure", first_failures, first.p50_us);
  Latency first_successes = Measure(store->get(), successes, reps);
  Print("first page, outcome success", first_successes, first.p50_us);
  Latency first_users = Measure(store->get(), users, reps);
  Print("first page, actor type user", first_users, first.p50_us);
  Latency first_systems = Measure(store->get(), systems, reps);
  Print("first page, actor type system", first_systems, first.p50_us);

  for (EventQuery* query : {&all, &filtered}) {
    uint64_t reached = 0;
    EventQuery deep = *query;
    deep.cursor = CursorAtDepth(store->get(), *query, depth, &reached);
    Latency latency = Measure(store->get(), deep, reps);
    std::string name = "page " + std::to_string(reached) + " deep, " +
                       (query == &all ? "no filter" : "code org.member:*");
    Print(name.c_str(), latency, query == &all ? first.p50_us : first_filtered.p50_us);
  }
  return 0;
}
