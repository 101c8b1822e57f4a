#include "actlog/demo.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/json.h"

namespace actlog {
namespace {

std::vector<Json> Generate(const DemoOptions& options) {
  std::vector<Json> out;
  GenerateDemo(options, [&out](const Json& e) {
    out.push_back(e);
    return true;
  });
  return out;
}

std::string Canonical(const std::vector<Json>& events) {
  std::string out;
  for (const Json& e : events) {
    AppendCanonicalJson(e, &out);
    out.push_back('\n');
  }
  return out;
}

DemoOptions Options(uint64_t seed, uint64_t events) {
  DemoOptions o;
  o.seed = seed;
  o.events = events;
  return o;
}

const std::string& Str(const Json& e, const char* key) { return e.Find(key)->as_string(); }

TEST(Demo, SameOptionsGiveIdenticalBytes) {
  EXPECT_EQ(Canonical(Generate(Options(7, 3000))), Canonical(Generate(Options(7, 3000))));
}

TEST(Demo, DifferentSeedGivesDifferentLog) {
  EXPECT_NE(Canonical(Generate(Options(7, 300))), Canonical(Generate(Options(8, 300))));
}

TEST(Demo, ShorterRunIsPrefixOfLongerRun) {
  std::vector<Json> longer = Generate(Options(3, 500));
  std::vector<Json> shorter = Generate(Options(3, 120));
  ASSERT_EQ(shorter.size(), 120u);
  longer.resize(120);
  EXPECT_EQ(Canonical(shorter), Canonical(longer));
}

TEST(Demo, EveryBuiltInCodeAppearsInFirstHundredEvents) {
  Catalog catalog = Catalog::BuiltIn();
  for (uint64_t seed : {0ULL, 1ULL, 2ULL, 42ULL, 1234567ULL, 0xFFFFFFFFFFFFFFFFULL}) {
    std::set<std::string> seen;
    for (const Json& e : Generate(Options(seed, 100))) seen.insert(Str(e, "code"));
    for (const CatalogEntry& entry : catalog.entries()) {
      if (entry.code.rfind("actlog.", 0) == 0) continue;
      EXPECT_TRUE(seen.count(entry.code)) << entry.code << " missing for seed " << seed;
    }
  }
}

TEST(Demo, EveryEventPassesValidationWithBuiltInCatalog) {
  const Catalog catalog = Catalog::BuiltIn();
  const EventLimits limits;
  for (uint64_t seed : {1ULL, 42ULL, 99ULL}) {
    uint64_t n = 0;
    GenerateDemo(Options(seed, 20000), [&](const Json& e) {
      StatusOr<Event> ev = ValidateEvent(e, catalog, limits);
      EXPECT_TRUE(ev.ok()) << "seed " << seed << " event " << n << ": " << ev.status().ToString()
                           << "\n"
                           << CanonicalJson(e);
      ++n;
      return ev.ok();  // stop at the first failure: one message is enough
    });
    EXPECT_EQ(n, 20000u) << "seed " << seed;
  }
}

TEST(Demo, ClientIdsNumberEventsFromZero) {
  DemoOptions o = Options(5, 3);
  o.org = "acme";
  std::vector<Json> events = Generate(o);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(Str(events[0], "id"), "demo-acme-0");
  EXPECT_EQ(Str(events[2], "id"), "demo-acme-2");
  EXPECT_EQ(Str(events[1], "org"), "acme");
  o.client_ids = false;
  for (const Json& e : Generate(o)) EXPECT_EQ(e.Find("id"), nullptr);
}

TEST(Demo, TimeStartsAtStartAndAdvancesSecondsToMinutes) {
  DemoOptions o = Options(11, 5000);
  std::vector<Json> events = Generate(o);
  int64_t prev = -1;
  for (const Json& e : events) {
    const int64_t t = ParseTimestamp(Str(e, "occurred_at")).value();
    if (prev < 0) {
      EXPECT_EQ(t, o.start_us);
      EXPECT_EQ(Str(e, "occurred_at"), "2026-01-05T08:00:00.000Z");
    } else {
      EXPECT_GE(t - prev, 1'000'000);
      EXPECT_LE(t - prev, 600'000'000);
    }
    prev = t;
  }
}

TEST(Demo, StopsWhenEmitReturnsFalse) {
  int calls = 0;
  GenerateDemo(Options(1, 1000), [&calls](const Json&) { return ++calls < 10; });
  EXPECT_EQ(calls, 10);
}

TEST(Demo, MixHasEveryActorTypeFailuresAndBothChangeStyles) {
  std::map<std::string, int> actor_types;
  int failures = 0, with_changes = 0, with_before_after = 0, failures_with_reason = 0;
  std::set<std::string> members;
  for (const Json& e : Generate(Options(42, 5000))) {
    ++actor_types[Str(*e.Find("actor"), "type")];
    if (Str(e, "outcome") == "failure") {
      ++failures;
      failures_with_reason += e.Find("reason") != nullptr ? 1 : 0;
    }
    with_changes += e.Find("changes") != nullptr ? 1 : 0;
    with_before_after += e.Find("before") != nullptr && e.Find("after") != nullptr ? 1 : 0;
    if (Str(e, "code") == "org.member:joined") members.insert(Str(*e.Find("target"), "id"));
  }
  EXPECT_GT(actor_types["user"], 3000);
  EXPECT_GT(actor_types["api_key"], 50);
  EXPECT_GT(actor_types["system"], 10);
  EXPECT_GT(failures, 20);
  EXPECT_EQ(failures_with_reason, failures);
  EXPECT_GT(with_changes, 500);
  EXPECT_GT(with_before_after, 300);
  // The team: between 15 and 40 people joined (the owner created the org).
  EXPECT_GE(members.size() + 1, 15u);
  EXPECT_LE(members.size() + 1, 60u);
}

TEST(Demo, RoleChangesRecordFromAndTo) {
  bool found = false;
  for (const Json& e : Generate(Options(9, 300))) {
    if (Str(e, "code") != "org.member:updated") continue;
    const Json* role = e.Find("changes")->Find("role");
    ASSERT_NE(role, nullptr);
    EXPECT_NE(Str(*role, "from"), Str(*role, "to"));
    found = true;
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace actlog
