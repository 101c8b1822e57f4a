// RunOrdered hands results to the consumer in index order whatever order the workers
// finish in, never runs more than the window ahead, and stops when the consumer says so.
#include "store/rocksdb/ordered_parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

namespace actlog::store {
namespace {

TEST(RunOrdered, ConsumesEveryItemInOrderWhateverOrderTheyFinishIn) {
  for (size_t threads : {0, 1, 2, 5}) {
    std::vector<size_t> seen;
    RunOrdered<size_t>(
        200, threads, 3,
        [](size_t i) {
          // Later items often finish first.
          std::this_thread::sleep_for(std::chrono::microseconds((200 - i) % 7 * 50));
          return i * 10;
        },
        [&](size_t v) {
          seen.push_back(v);
          return true;
        });
    ASSERT_EQ(seen.size(), 200u) << threads << " threads";
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i * 10) << threads << " threads";
  }
}

TEST(RunOrdered, ProducesAtMostTheWindowAheadOfTheConsumer) {
  std::atomic<size_t> consumed{0};
  std::atomic<size_t> furthest_ahead{0};
  RunOrdered<size_t>(
      100, 4, 6,
      [&](size_t i) {
        size_t ahead = i - std::min(i, consumed.load());
        size_t seen = furthest_ahead.load();
        while (ahead > seen && !furthest_ahead.compare_exchange_weak(seen, ahead)) {
        }
        return i;
      },
      [&](size_t i) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        consumed = i + 1;
        return true;
      });
  EXPECT_EQ(consumed.load(), 100u);
  EXPECT_LE(furthest_ahead.load(), 6u);  // the item being consumed, then the window
}

TEST(RunOrdered, StopsWhenTheConsumerSaysSo) {
  for (size_t threads : {0, 2}) {
    std::atomic<size_t> produced{0};
    std::vector<size_t> seen;
    RunOrdered<size_t>(
        1000, threads, 4,
        [&](size_t i) {
          ++produced;
          return i;
        },
        [&](size_t i) {
          seen.push_back(i);
          return i < 9;
        });
    EXPECT_EQ(seen.size(), 10u);
    EXPECT_LE(produced.load(), 10u + 4u) << threads << " threads";
  }
}

}  // namespace
}  // namespace actlog::store
