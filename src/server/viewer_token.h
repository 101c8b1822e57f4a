// Viewer tokens (DESIGN §3): short-lived signed credentials an admin mints for one org
// (optionally one actor), so the Activity Log page embedded in a platform's dashboard
// can read that org's log without holding an API key.
//
// Format: "actlog_vt_" + base64url(payload) + "." + base64url(HMAC-SHA256(secret,
// payload)), base64url without padding, where payload is the canonical JSON
// {"actor"?:string,"exp":unix seconds,"org":string}. The secret is 32 random bytes kept
// in the store (Store::GetOrCreateSecret(kViewerTokenSecretName)), so tokens survive a
// restart and every server on one store accepts them.
//
// A token is only ever a read principal (PrincipalKind::kViewer) for its org; with
// `actor`, handlers limit lists to that actor's events (Principal::actor). It cannot act
// as an API key: the router's access rules never let kViewer ingest or administer.
//
// Thread-safe: immutable after construction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actlog/clock.h"
#include "actlog/status.h"
#include "server/principal.h"

namespace actlog::server {

inline constexpr std::string_view kViewerTokenPrefix = "actlog_vt_";
inline constexpr std::string_view kViewerTokenSecretName = "viewer_token";

struct ViewerTokenGrant {
  std::string token;
  int64_t expires_at_us = 0;
};

class ViewerTokens {
 public:
  static constexpr int64_t kDefaultTtlSeconds = 15 * 60;
  static constexpr int64_t kMaxTtlSeconds = 24 * 60 * 60;

  // REQUIRES: secret.size() == 32; clock outlives this object.
  ViewerTokens(std::string secret, const Clock* clock);

  // A token for `org` (and only `actor`'s events, if given) valid for `ttl_seconds`.
  // InvalidArgument "invalid_ttl" unless 1 <= ttl_seconds <= kMaxTtlSeconds,
  // "invalid_org" / "invalid_actor" for an org id or actor id of the wrong shape.
  StatusOr<ViewerTokenGrant> Mint(std::string_view org, std::optional<std::string> actor,
                                  int64_t ttl_seconds = kDefaultTtlSeconds) const;

  // The viewer principal of a valid, unexpired token; Unauthenticated "unauthenticated"
  // otherwise (malformed, bad signature — compared in constant time — or expired).
  // Principal::key_id is "vt_" + 16 hex digits of the MAC: stable per token, for rate
  // limits and logs, and reveals nothing of the secret.
  StatusOr<Principal> Verify(std::string_view token) const;

 private:
  std::string Mac(std::string_view payload) const;

  std::string secret_;
  const Clock* clock_;
};

// base64url without padding (RFC 4648 §5), and its strict inverse: nullopt for any
// character outside the alphabet, a length no encoding has, or non-zero trailing bits.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace actlog::server
