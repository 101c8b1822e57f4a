// RateLimiter: a burst, then refusals with Retry-After, refill over (fake) time, one
// bucket per key, and memory bounded by evicting idle buckets.
#include "server/rate_limit.h"

#include <gtest/gtest.h>

#include "actlog/clock.h"

namespace actlog::server {
namespace {

TEST(RateLimiter, AllowsTheBurstThenRefusesWithRetryAfter) {
  FakeClock clock(1'000'000);
  RateLimiter limiter({.rate_per_second = 10, .burst = 5}, &clock);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Acquire("key_a"), std::nullopt) << i;
  EXPECT_EQ(limiter.Acquire("key_a"), 1) << "one token takes 0.1 s: retry after 1 s";
}

TEST(RateLimiter, RefillsAtTheConfiguredRate) {
  FakeClock clock(0);
  RateLimiter limiter({.rate_per_second = 10, .burst = 5}, &clock);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(limiter.Acquire("key_a"), std::nullopt);
  clock.Advance(99'000);
  EXPECT_EQ(limiter.Acquire("key_a"), 1) << "0.99 of a token is not a token";
  clock.Advance(1'000);
  EXPECT_EQ(limiter.Acquire("key_a"), std::nullopt) << "0.1 s later: one token";
  EXPECT_NE(limiter.Acquire("key_a"), std::nullopt);
  clock.Advance(60'000'000);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Acquire("key_a"), std::nullopt);
  EXPECT_NE(limiter.Acquire("key_a"), std::nullopt) << "refill stops at the burst size";
}

TEST(RateLimiter, RetryAfterCoversTheWaitForOneToken) {
  FakeClock clock(0);
  RateLimiter limiter({.rate_per_second = 0.25, .burst = 1}, &clock);
  ASSERT_EQ(limiter.Acquire("key_a"), std::nullopt);
  EXPECT_EQ(limiter.Acquire("key_a"), 4) << "a token every 4 s";
  clock.Advance(3'000'000);
  EXPECT_EQ(limiter.Acquire("key_a"), 1);
  clock.Advance(1'000'000);
  EXPECT_EQ(limiter.Acquire("key_a"), std::nullopt);
}

TEST(RateLimiter, KeysHaveSeparateBuckets) {
  FakeClock clock(0);
  RateLimiter limiter({.rate_per_second = 1, .burst = 1}, &clock);
  EXPECT_EQ(limiter.Acquire("key_a"), std::nullopt);
  EXPECT_NE(limiter.Acquire("key_a"), std::nullopt);
  EXPECT_EQ(limiter.Acquire("key_b"), std::nullopt) << "key_a's use does not limit key_b";
}

TEST(RateLimiter, ZeroRateTurnsLimitingOff) {
  FakeClock clock(0);
  RateLimiter limiter({.rate_per_second = 0, .burst = 1}, &clock);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Acquire("key_a"), std::nullopt);
  EXPECT_EQ(limiter.BucketCount(), 0u);
}

TEST(RateLimiter, MemoryStaysBoundedByEvictingIdleBuckets) {
  FakeClock clock(0);
  RateLimiter limiter({.rate_per_second = 100, .burst = 2, .max_buckets = 64}, &clock);
  for (int i = 0; i < 10'000; ++i) {
    limiter.Acquire("key_" + std::to_string(i));
    clock.Advance(1'000);
  }
  EXPECT_LE(limiter.BucketCount(), 64u);
}

TEST(RateLimiter, IdleBucketsAreDroppedFirst) {
  FakeClock clock(0);
  // 16 shards of 2 buckets each.
  RateLimiter limiter({.rate_per_second = 1, .burst = 1, .max_buckets = 32}, &clock);
  for (int i = 0; i < 1000; ++i) limiter.Acquire("key_" + std::to_string(i));
  ASSERT_EQ(limiter.BucketCount(), 32u) << "every shard full of busy (empty) buckets";
  clock.Advance(10'000'000);  // every bucket refilled: idle
  limiter.Acquire("newcomer");
  EXPECT_EQ(limiter.BucketCount(), 31u)
      << "the newcomer's shard dropped both idle buckets instead of only the oldest";
}

}  // namespace
}  // namespace actlog::server
