// Token buckets per key (rate_limit.h).
#include "server/rate_limit.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "server/errors.h"
#include "server/router.h"

namespace actlog::server {

RateLimiter::RateLimiter(RateLimitOptions options, const Clock* clock)
    : options_(options), clock_(clock) {
  options_.burst = std::max(options_.burst, 1.0);
  options_.max_buckets = std::max<size_t>(options_.max_buckets, kShards);
}

void RateLimiter::Refill(Bucket* bucket, int64_t now_us) const {
  if (now_us > bucket->updated_us) {
    double added =
        static_cast<double>(now_us - bucket->updated_us) / 1e6 * options_.rate_per_second;
    bucket->tokens = std::min(options_.burst, bucket->tokens + added);
  }
  bucket->updated_us = std::max(bucket->updated_us, now_us);
}

std::optional<int> RateLimiter::Acquire(std::string_view key_id) {
  if (options_.rate_per_second <= 0) return std::nullopt;
  int64_t now_us = clock_->NowMicros();
  Shard& shard = shards_[std::hash<std::string_view>()(key_id) % kShards];
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.buckets.find(std::string(key_id));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= options_.max_buckets / kShards) Evict(&shard, now_us);
    it = shard.buckets.emplace(std::string(key_id), Bucket{options_.burst, now_us}).first;
  }
  Bucket& bucket = it->second;
  Refill(&bucket, now_us);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::nullopt;
  }
  double wait_seconds = (1 - bucket.tokens) / options_.rate_per_second;
  return std::max(1, static_cast<int>(std::ceil(wait_seconds)));
}

void RateLimiter::Evict(Shard* shard, int64_t now_us) {
  auto oldest = shard->buckets.end();
  for (auto it = shard->buckets.begin(); it != shard->buckets.end();) {
    Refill(&it->second, now_us);
    if (it->second.tokens >= options_.burst) {
      it = shard->buckets.erase(it);
      continue;
    }
    if (oldest == shard->buckets.end() || it->second.updated_us < oldest->second.updated_us) {
      oldest = it;
    }
    ++it;
  }
  if (shard->buckets.size() >= options_.max_buckets / kShards) shard->buckets.erase(oldest);
}

size_t RateLimiter::BucketCount() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.buckets.size();
  }
  return n;
}

Handler WithRateLimit(RateLimiter* limiter, Handler inner) {
  if (limiter == nullptr) return inner;
  return [limiter, inner = std::move(inner)](Exchange& exchange) -> Awaitable<void> {
    const std::string& key_id = exchange.principal().key_id;
    if (!key_id.empty()) {
      if (std::optional<int> retry_after = limiter->Acquire(key_id)) {
        co_await exchange.Respond(ErrorResponse(
            RateLimited("too many requests for this key; retry later"), *retry_after));
        co_return;
      }
    }
    co_await inner(exchange);
  };
}

void ApplyRateLimit(Router& router, RateLimiter* limiter) {
  if (limiter == nullptr) return;
  for (const std::unique_ptr<Route>& route : router.routes()) {
    if (route->access == Access::kPublic) continue;
    route->handler = WithRateLimit(limiter, std::move(route->handler));
  }
}

}  // namespace actlog::server
