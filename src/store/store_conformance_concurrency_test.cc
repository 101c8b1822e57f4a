// Store conformance: concurrent appends (group commit), paging while appends continue,
// and durability across close and reopen.
#include <atomic>
#include <set>
#include <thread>

#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

TEST_P(StoreConformance, ConcurrentAppendsAreAllStoredGaplessAndShareSyncs) {
  Open(/*sync=*/true);
  constexpr int kThreads = 8;
  constexpr int kAppendsPerThread = 60;
  std::vector<std::vector<AppendResult>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        Event a = MakeEvent("org_a", "org:updated", "u_" + std::to_string(t));
        a.id = "t" + std::to_string(t) + "_" + std::to_string(i);
        Event b = MakeEvent(t % 2 ? "org_b" : "org_a", "com:created");
        auto r = store_->Append({a, b});
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        results[t].insert(results[t].end(), r->begin(), r->end());
      }
    });
  }
  for (std::thread& t : threads) t.join();

  std::map<std::string, std::set<uint64_t>> seqs;
  for (const auto& per_thread : results) {
    for (const AppendResult& r : per_thread) {
      EXPECT_FALSE(r.duplicate);
      EXPECT_TRUE(seqs[r.org].insert(r.seq).second) << "seq handed out twice";
    }
  }
  size_t total = 0;
  for (const auto& [org, set] : seqs) {
    ASSERT_FALSE(set.empty());
    EXPECT_EQ(*set.rbegin() + 1, set.size()) << org << ": seqs must have no gap";
    EXPECT_EQ(store_->GetOrg(org)->event_count, set.size());
    total += set.size();
  }
  EXPECT_EQ(total, size_t{kThreads} * kAppendsPerThread * 2);
  auto stored = store_->Get("org_a", "t3_17");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->event.actor.id, "u_3");

  if (GetParam().reports_metrics) {
    StoreMetrics m = store_->Metrics();
    EXPECT_EQ(m.appends, uint64_t{kThreads} * kAppendsPerThread);
    EXPECT_EQ(m.events, total);
    EXPECT_LT(m.syncs, m.appends) << "concurrent appends should share synced writes";
    EXPECT_GT(m.disk_bytes, 0u);
  }
}

TEST_P(StoreConformance, PagingWhileAppendingSeesEveryEarlierEventExactlyOnce) {
  std::mt19937 rng(99);
  AppendRandom(&rng, {"org_a"}, 1000);
  EventQuery base;
  base.org = "org_a";
  base.limit = 37;
  for (Order order : {Order::kDesc, Order::kAsc}) {
    base.order = order;
    std::vector<uint64_t> before = BruteForce(base);
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      std::mt19937 wrng(5);
      for (int i = 0; !stop.load() && i < 2000; ++i) {
        Event e = MakeEvent("org_a", "org:updated");
        // New events land before, inside and after the range already paged.
        e.occurred_at_us = kStart - int64_t{std::uniform_int_distribution<int>(-5, 500)(wrng)} *
                                        60'000'000;
        ASSERT_TRUE(store_->Append({e}).ok());
      }
    });
    std::vector<uint64_t> seen = PageThrough(base);
    stop.store(true);
    writer.join();
    std::multiset<uint64_t> seen_set(seen.begin(), seen.end());
    for (uint64_t seq : before) {
      EXPECT_EQ(seen_set.count(seq), 1u) << "seq " << seq;
    }
    EXPECT_EQ(std::set<uint64_t>(seen.begin(), seen.end()).size(), seen.size())
        << "no event may appear twice";
  }
}

TEST_P(StoreConformance, DataHeadsAndIndexesSurviveReopen) {
  std::mt19937 rng(3);
  AppendRandom(&rng, {"org_a", "org_b"}, 400);
  Event dup = MakeEvent("org_a", "org:updated");
  dup.id = "kept";
  AppendRecorded({dup});
  uint64_t head_a = expected_["org_a"].size();
  Open();
  EXPECT_EQ(store_->GetOrg("org_a")->event_count, head_a);
  EXPECT_EQ(store_->GetOrg("org_b")->event_count, expected_["org_b"].size());
  auto again = store_->Append({dup});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)[0].duplicate) << "exactly-once survives reopen";
  if (GetParam().settle) {
    ASSERT_TRUE(GetParam().settle(store_.get()).ok());
  }
  auto next = AppendRecorded({MakeEvent("org_a", "com:created")});
  EXPECT_EQ(next[0].seq, head_a);
  AppendRandom(&rng, {"org_a", "org_b"}, 100);  // new events beside settled ones
  for (int i = 0; i < 100; ++i) {
    EventQuery q = RandomQuery(&rng, i % 2 ? "org_a" : "org_b");
    ASSERT_EQ(PageThrough(q), BruteForce(q)) << FormatSearchString(q);
  }
  auto stored = store_->GetBySeq("org_b", 0);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->canonical, expected_["org_b"][0].canonical);
}

}  // namespace
}  // namespace actlog::store_test
