// IngestQueue: admission by event count, release by ticket, the depth gauge.
#include "server/ingest_queue.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "server/metrics.h"

namespace actlog::server {
namespace {

TEST(IngestQueue, AdmitsUpToCapacityThenRefuses) {
  IngestQueue queue(10);
  std::optional<IngestQueue::Ticket> a = queue.TryAdmit(6);
  ASSERT_TRUE(a);
  EXPECT_EQ(queue.depth(), 6u);
  EXPECT_FALSE(queue.TryAdmit(5)) << "6 + 5 > 10";
  std::optional<IngestQueue::Ticket> b = queue.TryAdmit(4);
  ASSERT_TRUE(b);
  EXPECT_EQ(queue.depth(), 10u);
  EXPECT_FALSE(queue.TryAdmit(1));
}

TEST(IngestQueue, ReleasingATicketFreesItsEvents) {
  IngestQueue queue(10);
  {
    std::optional<IngestQueue::Ticket> a = queue.TryAdmit(10);
    ASSERT_TRUE(a);
    EXPECT_FALSE(queue.TryAdmit(1));
  }
  EXPECT_EQ(queue.depth(), 0u);
  EXPECT_TRUE(queue.TryAdmit(10));
}

TEST(IngestQueue, MovedTicketReleasesOnce) {
  IngestQueue queue(10);
  {
    std::optional<IngestQueue::Ticket> a = queue.TryAdmit(3);
    IngestQueue::Ticket moved(std::move(*a));
    a.reset();
    EXPECT_EQ(queue.depth(), 3u);
  }
  EXPECT_EQ(queue.depth(), 0u);
}

TEST(IngestQueue, BatchLargerThanCapacityIsNeverAdmitted) {
  IngestQueue queue(5);
  EXPECT_FALSE(queue.TryAdmit(6));
  EXPECT_EQ(queue.depth(), 0u);
}

TEST(IngestQueue, GaugeFollowsDepth) {
  Metrics metrics;
  Gauge* gauge = metrics.GetGauge("actlog_ingest_queue_depth", "depth");
  IngestQueue queue(100, gauge);
  {
    auto t = queue.TryAdmit(42);
    EXPECT_EQ(gauge->value(), 42);
  }
  EXPECT_EQ(gauge->value(), 0);
}

TEST(IngestQueue, ConcurrentAdmissionsNeverExceedCapacity) {
  IngestQueue queue(64);
  std::atomic<uint64_t> max_seen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        auto ticket = queue.TryAdmit(3);
        uint64_t d = queue.depth();
        uint64_t m = max_seen.load();
        while (d > m && !max_seen.compare_exchange_weak(m, d)) {
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(max_seen.load(), 64u);
  EXPECT_EQ(queue.depth(), 0u);
}

}  // namespace
}  // namespace actlog::server
