#include "privacy/seal_reuse.h"

#include <sodium.h>

namespace actlog::privacy {

int64_t ReuseWindow(int64_t recorded_at_us) {
  int64_t w = recorded_at_us / kReuseWindowMicros;
  if (recorded_at_us % kReuseWindowMicros < 0) --w;
  return w;
}

int64_t ReuseWindowEnd(int64_t window) { return (window + 1) * kReuseWindowMicros; }

std::string SealReuseCache::CacheKey(std::string_view org, std::string_view subject,
                                     std::string_view subject_key, int64_t window,
                                     std::string_view plaintext) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash_state state;
  crypto_generichash_init(&state, reinterpret_cast<const unsigned char*>(subject_key.data()),
                          subject_key.size(), sizeof(digest));
  unsigned char be[8];
  auto w = static_cast<uint64_t>(window);
  for (int i = 7; i >= 0; --i, w >>= 8) be[i] = static_cast<unsigned char>(w & 0xff);
  crypto_generichash_update(&state, be, sizeof(be));
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(plaintext.data()),
                            plaintext.size());
  crypto_generichash_final(&state, digest, sizeof(digest));
  std::string key;
  key.reserve(org.size() + subject.size() + 2 + sizeof(digest));
  key.append(org).push_back('\0');
  key.append(subject).push_back('\0');
  key.append(reinterpret_cast<const char*>(digest), sizeof(digest));
  return key;
}

std::optional<std::string> SealReuseCache::Find(const std::string& cache_key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(cache_key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void SealReuseCache::Remember(const std::string& cache_key, const std::string& hash) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[cache_key] = hash;
}

void SealReuseCache::Forget(const std::string& cache_key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(cache_key);
}

size_t SealReuseCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

StatusOr<std::optional<std::string>> GroupReuse::Reusable(std::string_view org,
                                                          std::string_view subject,
                                                          std::string_view key,
                                                          std::string_view plaintext) {
  std::string cache_key = SealReuseCache::CacheKey(org, subject, key, window_, plaintext);
  if (auto it = group_.find(cache_key); it != group_.end()) {
    return std::optional<std::string>(it->second);
  }
  std::optional<std::string> hash = cache_->Find(cache_key);
  if (!hash) return std::optional<std::string>();
  if (exists_) {
    StatusOr<bool> stored = exists_(org, subject, window_, *hash);
    if (!stored.ok()) return stored.status();
    if (!*stored) {
      cache_->Forget(cache_key);
      return std::optional<std::string>();
    }
  } else {
    unchecked_.push_back({std::string(org), std::string(subject), *hash, cache_key});
  }
  group_.emplace(std::move(cache_key), *hash);
  return std::optional<std::string>(std::move(hash));
}

void GroupReuse::Sealed(std::string_view org, std::string_view subject, std::string_view key,
                        std::string_view plaintext, const std::string& hash) {
  std::string cache_key = SealReuseCache::CacheKey(org, subject, key, window_, plaintext);
  group_[cache_key] = hash;
  fresh_.emplace_back(std::move(cache_key), hash);
}

void GroupReuse::Commit() {
  for (const auto& [cache_key, hash] : fresh_) cache_->Remember(cache_key, hash);
  fresh_.clear();
}

}  // namespace actlog::privacy
