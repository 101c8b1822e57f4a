// GET /v1/stats?org=…&bucket=hour|day&group_by=code|actor|resource + the filters of
// GET /v1/events (kRead): counts for the timeline chart (DESIGN §5):
//   {"data":[{"bucket":"2026-11-29T00:00:00Z","counts":{"org.member:invited":3,…}},…],
//    "events":N,"truncated":false}
// Buckets oldest first, only those with events. Work is bounded (StatsOptions::
// max_events, newest first): "truncated": true says more events matched than were
// counted, and the oldest bucket may then be partial.
#include <string>

#include "actlog/json.h"
#include "actlog/stats.h"
#include "server/errors.h"
#include "server/event_query_params.h"
#include "server/routes.h"
#include "server/stats_output.h"

namespace actlog::server {

std::string BucketLabel(int64_t start_us) {
  std::string text = FormatTimestamp(start_us);  // "…T00:00:00.000Z"
  size_t dot = text.find('.');
  if (dot != std::string::npos) text = text.substr(0, dot) + "Z";
  return text;
}

std::string StatsBody(const StatsResult& result) {
  std::string out = "{\"data\":[";
  for (size_t i = 0; i < result.buckets.size(); ++i) {
    const StatsBucketCounts& b = result.buckets[i];
    if (i > 0) out.push_back(',');
    out += "{\"bucket\":";
    AppendJsonString(BucketLabel(b.start_us), &out);
    out += ",\"counts\":{";
    bool first = true;
    for (const auto& [key, count] : b.counts) {
      if (!first) out.push_back(',');
      first = false;
      AppendJsonString(key, &out);
      out += ":" + std::to_string(count);
    }
    out += "}}";
  }
  out += "],\"events\":" + std::to_string(result.events);
  out += std::string(",\"truncated\":") + (result.truncated ? "true" : "false") + "}";
  return out;
}

StatusOr<StatsOptions> StatsOptionsFromParams(const Request& request) {
  StatsOptions options;
  if (std::optional<std::string> b = request.Query("bucket")) {
    std::optional<StatsBucket> bucket = ParseStatsBucket(*b);
    if (!bucket) {
      return InvalidArgument("invalid_query", "bucket must be hour or day",
                             {ErrorDetail{std::nullopt, "bucket", "invalid_value", *b}});
    }
    options.bucket = *bucket;
  }
  if (std::optional<std::string> g = request.Query("group_by")) {
    std::optional<StatsGroupBy> group_by = ParseStatsGroupBy(*g);
    if (!group_by) {
      return InvalidArgument("invalid_query", "group_by must be code, actor or resource",
                             {ErrorDetail{std::nullopt, "group_by", "invalid_value", *g}});
    }
    options.group_by = *group_by;
  }
  return options;
}

namespace {

Awaitable<void> Stats(Exchange& ex, ServerContext& ctx) {
  QueryParamRules rules;
  rules.extra = {"bucket", "group_by"};
  rules.paging = false;
  StatusOr<EventQuery> query = EventQueryFromParams(ex.request(), ex.principal(), rules);
  if (!query.ok()) {
    co_await ex.Respond(Response::Error(query.status()));
    co_return;
  }
  StatusOr<StatsOptions> options = StatsOptionsFromParams(ex.request());
  if (!options.ok()) {
    co_await ex.Respond(Response::Error(options.status()));
    co_return;
  }
  Store* store = ctx.store;
  StatusOr<StatsResult> result =
      co_await ex.Blocking([store, &query, &options] { return store->Stats(*query, *options); });
  if (!result.ok()) {
    co_await ex.Respond(Response::Error(result.status()));
    co_return;
  }
  co_await ex.Respond(Response::Json(200, StatsBody(*result)));
}

}  // namespace

void RegisterStatsRoutes(Router& router, ServerContext& ctx) {
  router.Add(Method::kGet, "/v1/stats", Access::kRead,
             [&ctx](Exchange& ex) { return Stats(ex, ctx); });
}

}  // namespace actlog::server
