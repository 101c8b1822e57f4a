// Demo generator: a realistic, deterministic activity log of one organisation of the
// payment-orchestration platform (seed/activity-log.txt): members invited, joining,
// declining, leaving and coming back, API keys, deposit/provider/merchant accounts,
// routing and FX schemes, commerce schemes and accounts, manual payments and payouts,
// sign-ins; every built-in catalog code (the seed's and the implied ones) appears.
// Plausible actors, IPs, user agents, and field-level changes.
//
// The same options always produce the same events, byte for byte, on every platform
// (own PRNG, no std:: distributions), and a shorter run is a prefix of a longer one
// with the same seed. The first ~55 events set the organisation up and use every
// built-in non-actlog code; then comes a weighted mix of everyday activity (sign-ins
// and manual payments most often). `org` only changes where the org id appears, so demos
// for several orgs with one seed share their people. Used by `actlog demo`,
// `actlog serve --demo`, tests and benchmarks. Thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "actlog/json.h"

namespace actlog {

struct DemoOptions {
  std::string org = "org_demo";
  uint64_t events = 1000;  // how many events to produce
  uint64_t seed = 42;      // same seed and size -> same events
  // occurred_at of the first event (µs since epoch); events then advance by seconds to
  // minutes, so 1,000,000 events span months. Default: 2026-01-05T08:00:00Z.
  int64_t start_us = 1767600000000000;
  // Give every event a client id ("demo-<org>-<n>", n from 0), so re-ingesting is
  // exactly-once.
  bool client_ids = true;
};

// Calls `emit` once per event, in order, with the producer JSON (what a platform would
// POST: org, code, id, occurred_at, actor, target, context, changes or before/after,
// outcome, metadata). Stops early if `emit` returns false.
void GenerateDemo(const DemoOptions& options, const std::function<bool(const Json&)>& emit);

}  // namespace actlog
