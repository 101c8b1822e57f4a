// KeyRing: API keys and the authenticator (auth.h).
#include "server/auth.h"

#include <sodium.h>

#include <algorithm>
#include <mutex>

#include "actlog/event.h"

namespace actlog::server {
namespace {

constexpr size_t kKeySecretBytes = 32;
constexpr size_t kIdBytes = 8;
constexpr size_t kMinSuppliedSecretChars = 32;
constexpr size_t kMaxKeyNameBytes = 200;

Status Rejected(std::string message) {
  return Status(StatusCode::kUnauthenticated, "unauthenticated", std::move(message));
}

Status InvalidKey(std::string field, std::string code, std::string message) {
  return InvalidArgument("invalid_key", message,
                         {{std::nullopt, std::move(field), std::move(code), message}});
}

std::string NewKeyId() {
  unsigned char raw[kIdBytes];
  randombytes_buf(raw, sizeof raw);
  char hex[kIdBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return "key_" + std::string(hex);
}

std::optional<PrincipalKind> KindOf(std::string_view kind) {
  if (kind == kAdminKind) return PrincipalKind::kAdmin;
  if (kind == kIngestKind) return PrincipalKind::kIngest;
  if (kind == kReadKind) return PrincipalKind::kRead;
  return std::nullopt;
}

bool IsActiveAdmin(const ApiKeyRecord& r) { return r.kind == kAdminKind && !r.revoked_at_us; }

}  // namespace

std::string KeyRing::HashKey(std::string_view key) {
  std::string hash(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(hash.data()),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return hash;
}

StatusOr<std::unique_ptr<KeyRing>> KeyRing::Open(Store* store, const Clock* clock) {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  StatusOr<std::string> secret = store->GetOrCreateSecret(kViewerTokenSecretName);
  if (!secret.ok()) return secret.status();
  StatusOr<std::vector<ApiKeyRecord>> records = store->ListApiKeys();
  if (!records.ok()) return records.status();
  std::unique_ptr<KeyRing> ring(
      new KeyRing(store, clock, std::make_unique<ViewerTokens>(std::move(secret).value(), clock)));
  std::unique_lock lock(ring->mu_);
  for (const ApiKeyRecord& r : *records) ring->Remember(r);
  lock.unlock();
  return ring;
}

Status KeyRing::Reload() {
  StatusOr<std::vector<ApiKeyRecord>> records = store_->ListApiKeys();
  if (!records.ok()) return records.status();
  std::unordered_map<std::string, ApiKeyRecord> by_hash;
  std::unordered_map<std::string, std::string> hash_by_id;
  for (const ApiKeyRecord& r : *records) {
    by_hash[r.hash] = r;
    hash_by_id[r.id] = r.hash;
  }
  std::unique_lock lock(mu_);
  // This ring may have created or revoked a key while the listing ran: keep a key memory
  // knows and the listing lacks, and a revocation the listing does not show yet
  // (revocation is for good, so the revoked record is always the newer one).
  for (const auto& [hash, record] : by_hash_) {
    auto listed = by_hash.find(hash);
    if (listed == by_hash.end()) {
      by_hash.emplace(hash, record);
      hash_by_id.emplace(record.id, hash);
    } else if (record.revoked_at_us && !listed->second.revoked_at_us) {
      listed->second = record;
    }
  }
  by_hash_ = std::move(by_hash);
  hash_by_id_ = std::move(hash_by_id);
  return Status::Ok();
}

void KeyRing::StartRefresh(std::chrono::milliseconds every,
                           std::function<void(const Status&)> on_error) {
  refresher_.Stop();
  refresher_.Start(every, PeriodicThread::FirstRun::kAfterInterval,
                   [this, on_error = std::move(on_error)] {
                     Status reloaded = Reload();
                     if (!reloaded.ok() && on_error) on_error(reloaded);
                   });
}

void KeyRing::Remember(const ApiKeyRecord& record) {
  by_hash_[record.hash] = record;
  hash_by_id_[record.id] = record.hash;
}

StatusOr<Principal> KeyRing::Authenticate(std::string_view credential) const {
  if (credential.starts_with(kViewerTokenPrefix)) return viewer_tokens_->Verify(credential);
  if (!credential.starts_with(kKeyPrefix)) return Rejected("not an actlog API key");
  return AuthenticateKey(credential);
}

StatusOr<Principal> KeyRing::AuthenticateKey(std::string_view key) const {
  std::string hash = HashKey(key);
  std::shared_lock lock(mu_);
  auto it = by_hash_.find(hash);
  // The map found the record by the hash; compare the stored hash once more in
  // constant time so that no byte-wise early exit on secret-derived data remains.
  if (it == by_hash_.end() ||
      sodium_memcmp(it->second.hash.data(), hash.data(), hash.size()) != 0) {
    return Rejected("unknown API key");
  }
  const ApiKeyRecord& r = it->second;
  if (r.revoked_at_us) return Rejected("the API key was revoked");
  std::optional<PrincipalKind> kind = KindOf(r.kind);
  if (!kind) return Rejected("the API key has an unknown kind");
  Principal p;
  p.kind = *kind;
  p.org = r.org;
  p.key_id = r.id;
  return p;
}

StatusOr<CreatedKey> KeyRing::CreateKey(std::string_view kind, std::optional<std::string> org,
                                        std::optional<std::string> name) {
  std::optional<PrincipalKind> k = KindOf(kind);
  if (!k) return InvalidKey("kind", "invalid_kind", "kind must be admin, ingest or read");
  if (*k == PrincipalKind::kRead && !org) {
    return InvalidKey("org", "org_required", "a read key needs an org");
  }
  if (*k == PrincipalKind::kAdmin && org) {
    return InvalidKey("org", "org_not_allowed", "admin keys act on every org; give no org");
  }
  if (org && !IsValidOrgId(*org)) return InvalidKey("org", "invalid_org", "not an org id");
  if (name && name->size() > kMaxKeyNameBytes) {
    return InvalidKey("name", "too_long", "name is at most 200 bytes");
  }
  unsigned char raw[kKeySecretBytes];
  randombytes_buf(raw, sizeof raw);
  CreatedKey created;
  created.key = std::string(kKeyPrefix) + std::string(kind) + "_" +
                Base64UrlEncode(std::string_view(reinterpret_cast<char*>(raw), sizeof raw));
  sodium_memzero(raw, sizeof raw);
  ApiKeyRecord& r = created.record;
  r.id = NewKeyId();
  r.kind = std::string(kind);
  r.org = std::move(org);
  r.hash = HashKey(created.key);
  r.created_at_us = clock_->NowMicros();
  r.name = std::move(name);
  ACTLOG_RETURN_IF_ERROR(Register(r));
  return created;
}

Status KeyRing::Register(const ApiKeyRecord& record) {
  ACTLOG_RETURN_IF_ERROR(store_->PutApiKey(record));
  std::unique_lock lock(mu_);
  Remember(record);
  return Status::Ok();
}

StatusOr<ApiKeyRecord> KeyRing::Revoke(std::string_view id) {
  StatusOr<ApiKeyRecord> revoked = store_->RevokeApiKey(id, clock_->NowMicros());
  if (!revoked.ok()) return revoked;
  std::unique_lock lock(mu_);
  Remember(*revoked);
  return revoked;
}

std::vector<ApiKeyRecord> KeyRing::List() const {
  std::vector<ApiKeyRecord> out;
  {
    std::shared_lock lock(mu_);
    out.reserve(by_hash_.size());
    for (const auto& [hash, record] : by_hash_) out.push_back(record);
  }
  std::sort(out.begin(), out.end(),
            [](const ApiKeyRecord& a, const ApiKeyRecord& b) { return a.id < b.id; });
  return out;
}

std::optional<ApiKeyRecord> KeyRing::Find(std::string_view id) const {
  std::shared_lock lock(mu_);
  auto it = hash_by_id_.find(std::string(id));
  if (it == hash_by_id_.end()) return std::nullopt;
  return by_hash_.at(it->second);
}

StatusOr<std::optional<std::string>> KeyRing::EnsureAdminKey(std::optional<std::string> supplied) {
  if (supplied) {
    std::string_view key = *supplied;
    std::string prefix = std::string(kKeyPrefix) + std::string(kAdminKind) + "_";
    if (!key.starts_with(prefix) || key.size() < prefix.size() + kMinSuppliedSecretChars ||
        std::any_of(key.begin(), key.end(), [](char c) { return c <= ' ' || c > '~'; })) {
      return InvalidArgument("invalid_admin_key",
                             "the supplied admin key must be actlog_admin_ followed by at "
                             "least 32 printable characters");
    }
    std::string hash = HashKey(key);
    {
      std::shared_lock lock(mu_);
      auto it = by_hash_.find(hash);
      if (it != by_hash_.end()) {
        if (IsActiveAdmin(it->second)) return std::optional<std::string>();
        return Status(StatusCode::kFailedPrecondition, "invalid_admin_key",
                      "the supplied admin key was revoked or is not an admin key");
      }
    }
    ApiKeyRecord r;
    r.id = NewKeyId();
    r.kind = std::string(kAdminKind);
    r.hash = std::move(hash);
    r.created_at_us = clock_->NowMicros();
    r.name = "supplied admin key";
    ACTLOG_RETURN_IF_ERROR(Register(r));
    return std::optional<std::string>();
  }
  {
    std::shared_lock lock(mu_);
    for (const auto& [hash, record] : by_hash_) {
      if (IsActiveAdmin(record)) return std::optional<std::string>();
    }
  }
  StatusOr<CreatedKey> created = CreateKey(kAdminKind, std::nullopt, "initial admin key");
  if (!created.ok()) return created.status();
  return std::optional<std::string>(std::move(created->key));
}

}  // namespace actlog::server
