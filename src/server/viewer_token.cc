// Viewer tokens: minting and verification (viewer_token.h).
#include "server/viewer_token.h"

#include <sodium.h>

#include <cmath>

#include "actlog/event.h"
#include "actlog/json.h"

namespace actlog::server {
namespace {

constexpr size_t kMaxActorBytes = 256;
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

Status Rejected(std::string message) {
  return Status(StatusCode::kUnauthenticated, "unauthenticated", std::move(message));
}

std::string Hex(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  hex.pop_back();
  return hex;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 1, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, kVariant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  // One accepted spelling per byte string: trailing bits must be zero.
  if (Base64UrlEncode(out) != text) return std::nullopt;
  return out;
}

ViewerTokens::ViewerTokens(std::string secret, const Clock* clock)
    : secret_(std::move(secret)), clock_(clock) {}

std::string ViewerTokens::Mac(std::string_view payload) const {
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret_.data()),
                              secret_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(payload.data()),
                                payload.size());
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

StatusOr<ViewerTokenGrant> ViewerTokens::Mint(std::string_view org,
                                              std::optional<std::string> actor,
                                              int64_t ttl_seconds) const {
  if (ttl_seconds < 1 || ttl_seconds > kMaxTtlSeconds) {
    return InvalidArgument("invalid_ttl",
                           "ttl_seconds must be 1.." + std::to_string(kMaxTtlSeconds));
  }
  if (!IsValidOrgId(org)) return InvalidArgument("invalid_org", "not an org id");
  if (actor && (actor->empty() || actor->size() > kMaxActorBytes)) {
    return InvalidArgument("invalid_actor", "actor must be an actor id of 1..256 bytes");
  }
  int64_t exp = clock_->NowMicros() / 1'000'000 + ttl_seconds;
  Json payload = Json::MakeObject();
  if (actor) payload.Set("actor", Json::String(*actor));
  payload.Set("exp", Json::Number(static_cast<double>(exp)));
  payload.Set("org", Json::String(std::string(org)));
  std::string bytes = CanonicalJson(payload);
  ViewerTokenGrant grant;
  grant.token =
      std::string(kViewerTokenPrefix) + Base64UrlEncode(bytes) + "." + Base64UrlEncode(Mac(bytes));
  grant.expires_at_us = exp * 1'000'000;
  return grant;
}

StatusOr<Principal> ViewerTokens::Verify(std::string_view token) const {
  if (!token.starts_with(kViewerTokenPrefix)) return Rejected("not a viewer token");
  token.remove_prefix(kViewerTokenPrefix.size());
  size_t dot = token.find('.');
  if (dot == std::string_view::npos) return Rejected("malformed viewer token");
  std::optional<std::string> payload = Base64UrlDecode(token.substr(0, dot));
  std::optional<std::string> mac = Base64UrlDecode(token.substr(dot + 1));
  if (!payload || !mac || mac->size() != crypto_auth_hmacsha256_BYTES) {
    return Rejected("malformed viewer token");
  }
  // Check the signature before reading the payload; sodium_memcmp takes the same time
  // wherever the first differing byte is.
  std::string want = Mac(*payload);
  if (sodium_memcmp(want.data(), mac->data(), want.size()) != 0) {
    return Rejected("viewer token signature does not match");
  }
  StatusOr<Json> json = ParseJson(*payload);
  if (!json.ok() || !json->is_object()) return Rejected("malformed viewer token");
  const Json* org = json->Find("org");
  const Json* exp = json->Find("exp");
  const Json* actor = json->Find("actor");
  if (!org || !org->is_string() || !exp || !exp->is_number() || (actor && !actor->is_string())) {
    return Rejected("malformed viewer token");
  }
  if (static_cast<double>(clock_->NowMicros()) >= exp->as_number() * 1e6) {
    return Rejected("viewer token expired");
  }
  Principal p;
  p.kind = PrincipalKind::kViewer;
  p.org = org->as_string();
  if (actor) p.actor = actor->as_string();
  p.key_id = "vt_" + Hex(std::string_view(*mac).substr(0, 8));
  return p;
}

}  // namespace actlog::server
