// Viewer tokens (DESIGN §3, §9; admin only): POST /v1/orgs/{org}/viewer-tokens with
// {"ttl_seconds"?: 1..86400 (default 900), "actor"?: actor id} answers 201
// {"token","expires_at","org","actor"?}. The org must exist (404 otherwise). Each token
// minted is logged as actlog.viewer_token:created in the org; the token itself is
// never logged.
#include "server/access_json.h"
#include "server/admin_log.h"
#include "server/auth.h"
#include "server/errors.h"
#include "server/routes.h"
#include "server/viewer_token.h"

namespace actlog::server {
namespace {

constexpr std::string_view kInvalid = "invalid_token_request";

struct MintRequest {
  int64_t ttl_seconds = ViewerTokens::kDefaultTtlSeconds;
  std::optional<std::string> actor;
};

StatusOr<MintRequest> ParseMint(const Request& request) {
  StatusOr<Json> body = ReadObjectBody(request, /*allow_empty=*/true);
  if (!body.ok()) return body.status();
  ACTLOG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"ttl_seconds", "actor"}, kInvalid));
  MintRequest out;
  if (const Json* ttl = body->Find("ttl_seconds"); ttl && !ttl->is_null()) {
    if (!ttl->is_number() || ttl->as_number() < 1 ||
        ttl->as_number() > ViewerTokens::kMaxTtlSeconds ||
        ttl->as_number() != static_cast<int64_t>(ttl->as_number())) {
      return InvalidField(kInvalid, "ttl_seconds", "invalid_value",
                          "an integer number of seconds, 1..86400");
    }
    out.ttl_seconds = static_cast<int64_t>(ttl->as_number());
  }
  if (const Json* actor = body->Find("actor"); actor && !actor->is_null()) {
    if (!actor->is_string() || actor->as_string().empty() || actor->as_string().size() > 256) {
      return InvalidField(kInvalid, "actor", "invalid_value", "an actor id of 1..256 bytes");
    }
    out.actor = actor->as_string();
  }
  return out;
}

Json GrantJson(const ViewerTokenGrant& grant, const std::string& org,
               const std::optional<std::string>& actor) {
  Json j = Json::MakeObject({{"token", Json::String(grant.token)},
                             {"expires_at", Json::String(FormatTimestamp(grant.expires_at_us))},
                             {"org", Json::String(org)}});
  if (actor) j.Set("actor", Json::String(*actor));
  return j;
}

Awaitable<void> MintToken(Exchange& ex, ServerContext& ctx) {
  if (!ctx.key_ring || !ctx.admin_log || !ctx.store) {
    co_return co_await ex.Respond(AccessError(Unavailable("viewer tokens not configured")));
  }
  const std::string& org = ex.request().path_params.at("org");
  StatusOr<MintRequest> parsed = ParseMint(ex.request());
  if (!parsed.ok()) co_return co_await ex.Respond(AccessError(parsed.status()));
  StatusOr<ViewerTokenGrant> grant = co_await ex.Blocking([&]() -> StatusOr<ViewerTokenGrant> {
    StatusOr<OrgInfo> info = ctx.store->GetOrg(org);
    if (!info.ok()) return info.status();
    StatusOr<ViewerTokenGrant> minted =
        ctx.key_ring->viewer_tokens().Mint(org, parsed->actor, parsed->ttl_seconds);
    if (!minted.ok()) return minted;
    StatusOr<AppendResult> logged = ctx.admin_log->ViewerTokenCreated(
        ex.principal(), org, parsed->actor, minted->expires_at_us);
    if (!logged.ok()) return logged.status();
    return minted;
  });
  if (!grant.ok()) co_return co_await ex.Respond(AccessError(grant.status()));
  co_await ex.Respond(JsonResponse(201, GrantJson(*grant, org, parsed->actor)));
}

}  // namespace

void RegisterViewerTokenRoutes(Router& router, ServerContext& ctx) {
  router.Add(Method::kPost, "/v1/orgs/{org}/viewer-tokens", Access::kAdmin,
             [&ctx](Exchange& ex) { return MintToken(ex, ctx); });
}

}  // namespace actlog::server
