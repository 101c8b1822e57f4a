// Authenticator: turns the credential of a request (`Authorization: Bearer <key or viewer
// token>`) into a Principal. The HTTP machinery calls it for every non-public route; the
// key ring (auth.cc: API keys stored hashed, compared in constant time, revocable) and
// viewer tokens (viewer_token.cc: short-lived, signed) implement it.
//
// Thread-safe: called from every I/O thread at once. Must not block on I/O for long
// (keys are cached in memory; the store is only read at start and on changes).
#pragma once

#include <string_view>

#include "actlog/status.h"
#include "server/principal.h"

namespace actlog::server {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Unauthenticated ("unauthenticated": missing/unknown/revoked key, bad or expired
  // token — the message says which without revealing whether a key id exists).
  virtual StatusOr<Principal> Authenticate(std::string_view bearer_credential) const = 0;
};

}  // namespace actlog::server
