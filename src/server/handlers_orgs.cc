// Orgs (DESIGN §9, admin only): POST /v1/orgs creates, GET /v1/orgs lists with event
// counts, PATCH /v1/orgs/{org} changes settings. Each change is logged in the org itself
// (actlog.org:created, actlog.org:updated, actlog.retention:updated) by AdminLog.
//
// Settings members: "name" (string, 1..200 bytes) and "retention_days" (integer,
// 1..36500); in PATCH, null clears a setting and an absent member keeps it. Anything
// else is 422 invalid_settings with one detail per problem.
#include <mutex>

#include "actlog/event.h"
#include "server/access_json.h"
#include "server/admin_log.h"
#include "server/errors.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

constexpr int64_t kMaxRetentionDays = 36500;
constexpr size_t kMaxOrgNameBytes = 200;
constexpr std::string_view kInvalid = "invalid_settings";

// Serialises check-then-create of orgs in this process, so two concurrent POSTs of one
// org cannot both succeed. (The org comes into being with its actlog.org:created event.)
std::mutex create_mu;

Status ApplySettings(const Json& body, OrgSettings* settings) {
  if (const Json* name = body.Find("name")) {
    if (name->is_null()) {
      settings->name.reset();
    } else if (!name->is_string() || name->as_string().empty() ||
               name->as_string().size() > kMaxOrgNameBytes) {
      return InvalidField(kInvalid, "name", "invalid_value", "a string of 1..200 bytes");
    } else {
      settings->name = name->as_string();
    }
  }
  if (const Json* days = body.Find("retention_days")) {
    if (days->is_null()) {
      settings->retention_days.reset();
    } else if (!days->is_number() || days->as_number() != static_cast<int64_t>(days->as_number()) ||
               days->as_number() < 1 || days->as_number() > kMaxRetentionDays) {
      return InvalidField(kInvalid, "retention_days", "invalid_value",
                          "an integer number of days, 1..36500");
    } else {
      settings->retention_days = static_cast<int64_t>(days->as_number());
    }
  }
  return Status::Ok();
}

bool Ready(const ServerContext& ctx) { return ctx.store && ctx.admin_log; }

struct CreateRequest {
  std::string org;
  OrgSettings settings;
};

StatusOr<CreateRequest> ParseCreate(const Request& request) {
  StatusOr<Json> body = ReadObjectBody(request, /*allow_empty=*/false);
  if (!body.ok()) return body.status();
  ACTLOG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"org", "name", "retention_days"}, kInvalid));
  const Json* id = body->Find("org");
  if (!id || !id->is_string() || !IsValidOrgId(id->as_string())) {
    return InvalidField(kInvalid, "org", "invalid_format", "an org id: 1..64 of [A-Za-z0-9_.-]");
  }
  if (id->as_string() == kPlatformOrg) {
    return Conflict("the org id actlog is reserved for actlog's own log");
  }
  CreateRequest out{id->as_string(), {}};
  ACTLOG_RETURN_IF_ERROR(ApplySettings(*body, &out.settings));
  return out;
}

// The PATCH body, validated (settings are applied later, to the stored ones).
StatusOr<Json> ParsePatch(const Request& request) {
  StatusOr<Json> body = ReadObjectBody(request, /*allow_empty=*/false);
  if (!body.ok()) return body.status();
  ACTLOG_RETURN_IF_ERROR(RejectUnknownFields(*body, {"name", "retention_days"}, kInvalid));
  OrgSettings probe;
  ACTLOG_RETURN_IF_ERROR(ApplySettings(*body, &probe));
  return body;
}

Awaitable<void> CreateOrg(Exchange& ex, ServerContext& ctx) {
  if (!Ready(ctx)) co_return co_await ex.Respond(AccessError(Unavailable("orgs not configured")));
  StatusOr<CreateRequest> parsed = ParseCreate(ex.request());
  if (!parsed.ok()) co_return co_await ex.Respond(AccessError(parsed.status()));
  const std::string& org = parsed->org;
  const OrgSettings& settings = parsed->settings;

  StatusOr<OrgInfo> created = co_await ex.Blocking([&]() -> StatusOr<OrgInfo> {
    std::lock_guard<std::mutex> lock(create_mu);
    StatusOr<OrgInfo> existing = ctx.store->GetOrg(org);
    if (existing.ok()) return Conflict("org " + org + " already exists");
    if (existing.status().code() != StatusCode::kNotFound) return existing.status();
    StatusOr<AppendResult> logged = ctx.admin_log->OrgCreated(ex.principal(), org, settings);
    if (!logged.ok()) return logged.status();
    if (settings == OrgSettings{}) return ctx.store->GetOrg(org);
    return ctx.store->UpdateOrgSettings(org, [&](OrgSettings* s) {
      *s = settings;
      return Status::Ok();
    });
  });
  if (!created.ok()) co_return co_await ex.Respond(AccessError(created.status()));
  co_await ex.Respond(JsonResponse(201, OrgJson(*created)));
}

Awaitable<void> ListOrgs(Exchange& ex, ServerContext& ctx) {
  if (!Ready(ctx)) co_return co_await ex.Respond(AccessError(Unavailable("orgs not configured")));
  StatusOr<std::vector<OrgInfo>> orgs = co_await ex.Blocking([&] { return ctx.store->ListOrgs(); });
  if (!orgs.ok()) co_return co_await ex.Respond(AccessError(orgs.status()));
  Json data = Json::MakeArray();
  for (const OrgInfo& org : *orgs) data.as_array().push_back(OrgJson(org));
  co_await ex.Respond(JsonResponse(200, ListJson(std::move(data))));
}

Awaitable<void> UpdateOrg(Exchange& ex, ServerContext& ctx) {
  if (!Ready(ctx)) co_return co_await ex.Respond(AccessError(Unavailable("orgs not configured")));
  const std::string& org = ex.request().path_params.at("org");
  StatusOr<Json> body = ParsePatch(ex.request());
  if (!body.ok()) co_return co_await ex.Respond(AccessError(body.status()));

  StatusOr<OrgInfo> updated = co_await ex.Blocking([&]() -> StatusOr<OrgInfo> {
    OrgSettings before;
    StatusOr<OrgInfo> info = ctx.store->UpdateOrgSettings(org, [&](OrgSettings* s) {
      before = *s;
      return ApplySettings(*body, s);
    });
    if (!info.ok() || info->settings == before) return info;
    StatusOr<AppendResult> logged =
        ctx.admin_log->OrgUpdated(ex.principal(), org, before, info->settings);
    if (!logged.ok()) return logged.status();
    return ctx.store->GetOrg(org);  // counts the events just logged
  });
  if (!updated.ok()) co_return co_await ex.Respond(AccessError(updated.status()));
  co_await ex.Respond(JsonResponse(200, OrgJson(*updated)));
}

}  // namespace

void RegisterOrgRoutes(Router& router, ServerContext& ctx) {
  router.Add(Method::kPost, "/v1/orgs", Access::kAdmin,
             [&ctx](Exchange& ex) { return CreateOrg(ex, ctx); });
  router.Add(Method::kGet, "/v1/orgs", Access::kAdmin,
             [&ctx](Exchange& ex) { return ListOrgs(ex, ctx); });
  router.Add(Method::kPatch, "/v1/orgs/{org}", Access::kAdmin,
             [&ctx](Exchange& ex) { return UpdateOrg(ex, ctx); });
}

}  // namespace actlog::server
