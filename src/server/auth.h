// KeyRing: the server's credentials (DESIGN §3) — API keys and viewer tokens — and the
// Authenticator the router calls for every non-public request.
//
// API keys look like "actlog_<kind>_<43 base64url chars>" (32 random bytes from
// libsodium); kind is admin, ingest or read. A key is shown once, when created; the store
// keeps only its SHA-256 (ApiKeyRecord) under a public id "key_<16 hex>". At start the
// ring loads every record into memory, so authentication never touches the store;
// changes go to the store first (synced), then to memory. When several servers share one
// store (PostgreSQL), each reloads the records in the background (StartRefresh), so a key
// created or revoked on one node takes effect on the others within that interval.
//
// Credentials starting with "actlog_vt_" are viewer tokens (viewer_token.h), checked
// with the HMAC secret the store keeps.
//
// Thread-safe: Authenticate runs on every I/O thread at once under a shared lock;
// CreateKey/Revoke/EnsureAdminKey take the lock exclusively only to update memory (the
// store write happens before, without the lock) and block on the store: call them via
// Exchange::Blocking().
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actlog/clock.h"
#include "actlog/status.h"
#include "actlog/store.h"
#include "core/periodic_thread.h"
#include "server/authenticator.h"
#include "server/viewer_token.h"

namespace actlog::server {

inline constexpr std::string_view kKeyPrefix = "actlog_";

// Key kinds as written in keys, records and the API.
inline constexpr std::string_view kAdminKind = "admin";
inline constexpr std::string_view kIngestKind = "ingest";
inline constexpr std::string_view kReadKind = "read";

struct CreatedKey {
  std::string key;  // the secret, shown once
  ApiKeyRecord record;
};

class KeyRing final : public Authenticator {
 public:
  // Loads every key record and the viewer-token secret (created on first start).
  // `store` and `clock` are not owned and must outlive the ring.
  static StatusOr<std::unique_ptr<KeyRing>> Open(Store* store, const Clock* clock);

  // The principal of an active key or a valid viewer token; Unauthenticated otherwise.
  StatusOr<Principal> Authenticate(std::string_view bearer_credential) const override;

  // A new key. kind: admin | ingest | read. Read keys need an org; admin keys take none
  // (they act on every org); ingest keys may have one. InvalidArgument "invalid_key"
  // (invalid_kind, org_required, org_not_allowed, invalid_org in the details) otherwise.
  StatusOr<CreatedKey> CreateKey(std::string_view kind, std::optional<std::string> org,
                                 std::optional<std::string> name = std::nullopt);

  // Revokes a key (idempotent; the first revocation time is kept): from now on it
  // answers 401. NotFound for an unknown id.
  StatusOr<ApiKeyRecord> Revoke(std::string_view id);

  // Every key record (revoked ones too), ordered by id. Records hold no secret.
  std::vector<ApiKeyRecord> List() const;
  std::optional<ApiKeyRecord> Find(std::string_view id) const;

  // At start: with `supplied` (from --admin-key-file / ACTLOG_ADMIN_KEY), registers that
  // key as an admin key unless its hash is known (InvalidArgument "invalid_admin_key"
  // if it is not of the form actlog_admin_<secret of 32+ chars>, FailedPrecondition if
  // that key was revoked or is not an admin key) and returns nullopt. Without it: if no
  // active admin key exists, creates one and returns it so the caller prints it once;
  // otherwise nullopt.
  StatusOr<std::optional<std::string>> EnsureAdminKey(std::optional<std::string> supplied);

  // Replaces the records in memory with the store's: keys that other servers created or
  // revoked since. On error the records in memory stay as they were.
  Status Reload();

  // Reloads every `every` on a thread of its own until StopRefresh (or destruction);
  // failures are reported through `on_error` and retried at the next tick.
  void StartRefresh(std::chrono::milliseconds every,
                    std::function<void(const Status&)> on_error);
  void StopRefresh() { refresher_.Stop(); }

  ~KeyRing() override { StopRefresh(); }

  const ViewerTokens& viewer_tokens() const { return *viewer_tokens_; }

  // SHA-256 of a key's text: what the store keeps.
  static std::string HashKey(std::string_view key);

 private:
  KeyRing(Store* store, const Clock* clock, std::unique_ptr<ViewerTokens> tokens)
      : store_(store), clock_(clock), viewer_tokens_(std::move(tokens)) {}
  StatusOr<Principal> AuthenticateKey(std::string_view key) const;
  Status Register(const ApiKeyRecord& record);  // store, then memory
  void Remember(const ApiKeyRecord& record);    // REQUIRES: mu_ held exclusively

  Store* store_;
  const Clock* clock_;
  std::unique_ptr<ViewerTokens> viewer_tokens_;

  mutable std::shared_mutex mu_;
  // Keyed by the SHA-256 of the key: a hash-map lookup by it is safe although its timing
  // depends on the bytes compared, because the hash of a 256-bit random secret tells an
  // attacker nothing about the secret (they cannot steer it byte by byte as they could
  // a plain key). The stored hash is then compared again in constant time.
  std::unordered_map<std::string, ApiKeyRecord> by_hash_;    // guarded by mu_
  std::unordered_map<std::string, std::string> hash_by_id_;  // guarded by mu_

  PeriodicThread refresher_;
};

}  // namespace actlog::server
