// The store conformance suite's fixture and helpers: every Store backend must pass the
// TEST_P(StoreConformance, ...) tests in src/store/store_conformance*_test.cc. A backend
// joins by adding one entry to Backends() in store_conformance_test.cc.
//
// The query tests compare the store against a brute-force evaluation of the same query
// over the events the test appended, written here independently of the store's index.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "actlog/clock.h"
#include "actlog/event.h"
#include "actlog/query.h"
#include "actlog/store.h"

namespace actlog::store_test {

struct StoreBackend {
  std::string name;
  // Opens (or reopens) the backend's store in/for `dir`; a fresh dir is a fresh store.
  std::function<StatusOr<std::unique_ptr<Store>>(const std::string& dir, const Clock* clock,
                                                 bool sync)>
      open;
  bool reports_metrics = true;
  // Optional: moves everything written so far to its long-term form (for RocksDB:
  // flush and full compaction), so reads are tested beyond the write buffers.
  std::function<Status(Store*)> settle;
  // Optional: removes what `open` created for `dir` beyond the directory itself (for
  // PostgreSQL: the test's database). Called after the store is closed.
  std::function<void(const std::string& dir)> cleanup;
  // Optional: why the backend cannot run here ("" = it can). Its tests are then skipped.
  // Backends are always listed, so ctest's test discovery (at build time) does not
  // depend on the environment the tests later run in.
  std::function<std::string()> unavailable;
};

inline void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string Digest(uint64_t n) {
  std::string d(32, '\0');
  for (int i = 0; i < 8; ++i) d[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return d;
}

// A minimal valid event of `org` with code `code`.
inline Event MakeEvent(std::string org, std::string code, std::string actor_id = "u_1") {
  Event e;
  e.org = std::move(org);
  e.code = std::move(code);
  e.actor.id = std::move(actor_id);
  e.content_digest = Digest(std::hash<std::string>()(e.org + e.code + e.actor.id));
  return e;
}

// An event as the test expects it to be stored, with its canonical bytes.
struct Expected {
  Event event;
  std::string canonical;
};

class StoreConformance : public ::testing::TestWithParam<StoreBackend> {
 protected:
  static constexpr int64_t kStart = 1'790'000'000'000'000;  // 2026-09-21, microseconds

  void SetUp() override {
    if (GetParam().unavailable) {
      std::string why = GetParam().unavailable();
      if (!why.empty()) GTEST_SKIP() << why;
    }
    std::string templ = (std::filesystem::temp_directory_path() / "actlog_store_XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    Open();
  }
  void TearDown() override {
    if (dir_.empty()) return;  // skipped before anything was made
    store_.reset();
    if (GetParam().cleanup) GetParam().cleanup(dir_);
    std::filesystem::remove_all(dir_);
  }
  void Open(bool sync = false) {
    store_.reset();
    auto store = GetParam().open(dir_, &clock_, sync);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  // Appends and records what the store must now hold. REQUIRES: no id conflicts.
  std::vector<AppendResult> AppendRecorded(std::vector<Event> events);
  // Random events of the given orgs, in batches of random size.
  void AppendRandom(std::mt19937* rng, const std::vector<std::string>& orgs, int count);
  EventQuery RandomQuery(std::mt19937* rng, const std::string& org);
  // Every event of query.org matching the query, in the query's order.
  std::vector<uint64_t> BruteForce(const EventQuery& query) const;
  // Follows cursors to the end; fails the test if it does not end.
  std::vector<uint64_t> PageThrough(EventQuery query);
  // For every query: BruteForce finds something, and PageThrough finds the same.
  void ExpectPagesAsBruteForce(const std::vector<EventQuery>& queries);

  std::string dir_;
  FakeClock clock_{kStart};
  std::unique_ptr<Store> store_;
  std::map<std::string, std::vector<Expected>> expected_;  // by org, index = seq
  uint64_t next_digest_ = 1'000'000;
};

}  // namespace actlog::store_test
