// API keys (DESIGN §3, §9; admin only): POST /v1/keys creates a key and shows it once,
// GET /v1/keys lists key records (never a key or its hash; ?org= narrows to one org),
// DELETE /v1/keys/{id} revokes (204, idempotent; 404 for an unknown id). Creation and
// revocation are logged as actlog.key:created / actlog.key:revoked in the key's org, or
// in the platform org for platform-wide keys (admin_log.h).
//
// The last active admin key cannot be revoked (409 conflict): nobody could administer
// the server any more until a restart created a new one.
#include <mutex>

#include "server/access_json.h"
#include "server/admin_log.h"
#include "server/auth.h"
#include "server/errors.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

constexpr std::string_view kInvalid = "invalid_key";

// Serialises revocations, so the last-admin check and the revocation are one step.
std::mutex revoke_mu;

struct CreateRequest {
  std::string kind;
  std::optional<std::string> org;
  std::optional<std::string> name;
};

StatusOr<std::optional<std::string>> OptionalString(const Json& body, std::string_view field) {
  const Json* v = body.Find(field);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    return InvalidField(kInvalid, std::string(field), "invalid_type", "must be a string");
  }
  return std::optional<std::string>(v->as_string());
}

StatusOr<CreateRequest> ParseCreate(const Request& request) {
  StatusOr<Json> body = ReadObjectBody(request, /*allow_empty=*/false);
  if (!body.ok()) return body.status();
  ACTLOG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"kind", "org", "name"}, kInvalid));
  CreateRequest out;
  const Json* kind = body->Find("kind");
  if (!kind || !kind->is_string()) {
    return InvalidField(kInvalid, "kind", "required", "admin, ingest or read");
  }
  out.kind = kind->as_string();
  StatusOr<std::optional<std::string>> org = OptionalString(*body, "org");
  if (!org.ok()) return org.status();
  out.org = *org;
  StatusOr<std::optional<std::string>> name = OptionalString(*body, "name");
  if (!name.ok()) return name.status();
  out.name = *name;
  return out;
}

bool Ready(const ServerContext& ctx) { return ctx.key_ring && ctx.admin_log; }

Awaitable<void> CreateKey(Exchange& ex, ServerContext& ctx) {
  if (!Ready(ctx)) co_return co_await ex.Respond(AccessError(Unavailable("keys not configured")));
  StatusOr<CreateRequest> parsed = ParseCreate(ex.request());
  if (!parsed.ok()) co_return co_await ex.Respond(AccessError(parsed.status()));
  StatusOr<CreatedKey> created = co_await ex.Blocking([&]() -> StatusOr<CreatedKey> {
    StatusOr<CreatedKey> key = ctx.key_ring->CreateKey(parsed->kind, parsed->org, parsed->name);
    if (!key.ok()) return key;
    StatusOr<AppendResult> logged = ctx.admin_log->KeyCreated(ex.principal(), key->record);
    if (!logged.ok()) {
      // No admin power without its log entry: take the key back.
      (void)ctx.key_ring->Revoke(key->record.id);
      return logged.status();
    }
    return key;
  });
  if (!created.ok()) co_return co_await ex.Respond(AccessError(created.status()));
  Json body = KeyJson(created->record);
  body.Set("key", Json::String(created->key));
  co_await ex.Respond(JsonResponse(201, body));
}

Awaitable<void> ListKeys(Exchange& ex, ServerContext& ctx) {
  if (!Ready(ctx)) co_return co_await ex.Respond(AccessError(Unavailable("keys not configured")));
  std::optional<std::string> org = ex.request().Query("org");
  Json data = Json::MakeArray();
  for (const ApiKeyRecord& key : ctx.key_ring->List()) {
    if (!org || key.org == org) data.as_array().push_back(KeyJson(key));
  }
  co_await ex.Respond(JsonResponse(200, ListJson(std::move(data))));
}

bool IsLastActiveAdmin(const KeyRing& ring, const ApiKeyRecord& key) {
  if (key.kind != kAdminKind || key.revoked_at_us) return false;
  for (const ApiKeyRecord& other : ring.List()) {
    if (other.id != key.id && other.kind == kAdminKind && !other.revoked_at_us) return false;
  }
  return true;
}

Awaitable<void> RevokeKey(Exchange& ex, ServerContext& ctx) {
  if (!Ready(ctx)) co_return co_await ex.Respond(AccessError(Unavailable("keys not configured")));
  const std::string& id = ex.request().path_params.at("id");
  Status status = co_await ex.Blocking([&]() -> Status {
    std::lock_guard<std::mutex> lock(revoke_mu);
    std::optional<ApiKeyRecord> key = ctx.key_ring->Find(id);
    if (!key) return NotFound("no key " + id);
    if (key->revoked_at_us) return Status::Ok();  // already revoked (and logged)
    if (IsLastActiveAdmin(*ctx.key_ring, *key)) {
      return Conflict("this is the last active admin key; create another one first");
    }
    StatusOr<ApiKeyRecord> revoked = ctx.key_ring->Revoke(id);
    if (!revoked.ok()) return revoked.status();
    return ctx.admin_log->KeyRevoked(ex.principal(), *revoked).status();
  });
  if (!status.ok()) co_return co_await ex.Respond(AccessError(status));
  Response none;
  none.status = 204;
  none.content_type.clear();
  co_await ex.Respond(std::move(none));
}

}  // namespace

void RegisterKeyRoutes(Router& router, ServerContext& ctx) {
  router.Add(Method::kPost, "/v1/keys", Access::kAdmin,
             [&ctx](Exchange& ex) { return CreateKey(ex, ctx); });
  router.Add(Method::kGet, "/v1/keys", Access::kAdmin,
             [&ctx](Exchange& ex) { return ListKeys(ex, ctx); });
  router.Add(Method::kDelete, "/v1/keys/{id}", Access::kAdmin,
             [&ctx](Exchange& ex) { return RevokeKey(ex, ctx); });
}

}  // namespace actlog::server
