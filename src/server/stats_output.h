// GET /v1/stats (handlers_stats.cc): its parameters and its body. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "actlog/stats.h"
#include "actlog/status.h"
#include "server/http_exchange.h"

namespace actlog::server {

// bucket=hour|day (default day), group_by=code|actor|resource (default code);
// invalid_query naming the parameter otherwise.
StatusOr<StatsOptions> StatsOptionsFromParams(const Request& request);

// "2026-11-29T00:00:00Z": a bucket start without fractional seconds.
std::string BucketLabel(int64_t start_us);

// {"data":[{"bucket":…,"counts":{…}},…],"events":N,"truncated":bool}
std::string StatsBody(const StatsResult& result);

}  // namespace actlog::server
