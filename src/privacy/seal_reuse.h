// Sealing a subject's repeated values once (docs/PRIVACY.md "One blob, many events").
//
// Most events of one actor carry the same actor.name, actor.email, context.ip and
// context.user_agent. Instead of a blob per (event, subject), a store keeps one blob per
// distinct (org, subject, values) within a reuse window, and every event of that window
// that repeats the values refers to it. A window is a fixed span of the store-assigned
// time (received_at): an event only refers to a blob made in its own window, so
// retention can delete a window's blobs once the window has ended before its cutoff.
//
// SealReuseCache remembers, per store, which blob holds which values. Its key never holds
// plaintext: it is org ‖ subject ‖ BLAKE2b keyed with the subject's key over
// (window ‖ canonical values). A subject's new key (after an erasure) gives new cache
// keys, so a blob of an erased key is never found again, on this node or another.
// GroupReuse serves one group commit: blobs made earlier in the group are reused at once;
// cached ones only after the store confirms the blob still exists (a write that failed,
// or a retention run, must not leave events pointing at nothing); new blobs enter the
// cache only once the group is durable (Commit).
//
// SealReuseCache is thread-safe; GroupReuse is thread-compatible (one group at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actlog/status.h"
#include "privacy/sealing.h"

namespace actlog::privacy {

// One hour of received_at: a sealed value outlives the retention cutoff by at most this
// (plus the interval of the retention job).
inline constexpr int64_t kReuseWindowMicros = int64_t{3600} * 1'000'000;

// The window of a store-assigned time (floor division, also before 1970).
int64_t ReuseWindow(int64_t recorded_at_us);
// The first time after window `window`.
int64_t ReuseWindowEnd(int64_t window);

class SealReuseCache {
 public:
  // Above `max_entries` the cache drops everything and starts again.
  explicit SealReuseCache(size_t max_entries = 100'000) : max_entries_(max_entries) {}

  // org ‖ 0x00 ‖ subject ‖ 0x00 ‖ BLAKE2b-256(key: subject key; window ‖ plaintext).
  static std::string CacheKey(std::string_view org, std::string_view subject,
                              std::string_view subject_key, int64_t window,
                              std::string_view plaintext);

  std::optional<std::string> Find(const std::string& cache_key) const;
  void Remember(const std::string& cache_key, const std::string& hash);
  void Forget(const std::string& cache_key);
  size_t size() const;

 private:
  const size_t max_entries_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> entries_;  // guarded by mu_
};

class GroupReuse final : public BlobReuse {
 public:
  // Whether the blob `hash` of `subject` in `org`, window `window`, is stored now.
  using Exists = std::function<StatusOr<bool>(std::string_view org, std::string_view subject,
                                              int64_t window, std::string_view hash)>;

  // `exists` may be null: cached hashes are then reused unchecked and listed by
  // FromCache() for the caller to check before it commits (one query for the group).
  GroupReuse(SealReuseCache* cache, int64_t recorded_at_us, Exists exists = nullptr)
      : cache_(cache), window_(ReuseWindow(recorded_at_us)), exists_(std::move(exists)) {}

  StatusOr<std::optional<std::string>> Reusable(std::string_view org, std::string_view subject,
                                                std::string_view key,
                                                std::string_view plaintext) override;
  void Sealed(std::string_view org, std::string_view subject, std::string_view key,
              std::string_view plaintext, const std::string& hash) override;

  int64_t window() const { return window_; }

  // A hash taken from the cache and not made or checked in this group.
  struct Unchecked {
    std::string org;
    std::string subject;
    std::string hash;
    std::string cache_key;
  };
  const std::vector<Unchecked>& FromCache() const { return unchecked_; }

  // After the group is durable: its new blobs join the cache.
  void Commit();

 private:
  SealReuseCache* cache_;
  int64_t window_;
  Exists exists_;
  std::map<std::string, std::string> group_;  // cache key -> hash, made or checked here
  std::vector<std::pair<std::string, std::string>> fresh_;  // new in this group
  std::vector<Unchecked> unchecked_;
};

}  // namespace actlog::privacy
