// RateLimiter: a token bucket per credential (DESIGN §3: 429 rate_limited with
// Retry-After). Each key id gets `burst` tokens, refilled at `rate_per_second`; a request
// takes one. When none is left, Acquire says how many whole seconds until one is.
//
// Memory is bounded: at most `max_buckets` buckets are kept. A bucket that has refilled
// completely holds no information (a new bucket starts full), so when the limit is hit
// such idle buckets are dropped; if every bucket is busy, the one touched longest ago is.
// Dropping a busy bucket can only be generous to that key, never unfair to another.
//
// The defaults are generous (2,000 requests/s, burst 4,000 per key) so that benchmarks
// with a single key are not throttled; deployments set their own.
//
// Thread-safe: buckets are spread over shards, each with its own mutex.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "actlog/clock.h"
#include "server/http_exchange.h"

namespace actlog::server {

struct RateLimitOptions {
  double rate_per_second = 2000;  // tokens added per second; <= 0 turns limiting off
  double burst = 4000;            // bucket size: requests allowed at once after idling
  size_t max_buckets = 100'000;   // bound on memory (about 100 bytes per bucket)
};

class RateLimiter {
 public:
  // `clock` is not owned and must outlive the limiter.
  RateLimiter(RateLimitOptions options, const Clock* clock);

  // Takes one token from `key_id`'s bucket: nullopt if allowed, otherwise the seconds
  // (>= 1) after which a retry will be allowed, for Retry-After.
  std::optional<int> Acquire(std::string_view key_id);

  // Buckets held now (for tests and metrics).
  size_t BucketCount() const;

 private:
  static constexpr size_t kShards = 16;
  struct Bucket {
    double tokens = 0;
    int64_t updated_us = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;  // guarded by mu
  };
  void Refill(Bucket* bucket, int64_t now_us) const;
  void Evict(Shard* shard, int64_t now_us);  // REQUIRES: shard->mu held

  RateLimitOptions options_;
  const Clock* clock_;
  std::array<Shard, kShards> shards_;
};

// Wraps a handler so that every call first takes a token for the caller's key id
// (Principal::key_id; public routes, without one, pass): when exhausted it answers 429
// rate_limited with Retry-After and does not run `inner`. `limiter` may be null (off).
Handler WithRateLimit(RateLimiter* limiter, Handler inner);

class Router;
// Wraps the handler of every non-public route registered so far with WithRateLimit.
// server.cc calls it once after RegisterAllRoutes, before serving.
void ApplyRateLimit(Router& router, RateLimiter* limiter);

}  // namespace actlog::server
