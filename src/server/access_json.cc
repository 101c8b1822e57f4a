// JSON of the access resources (access_json.h).
#include "server/access_json.h"

#include <vector>

#include "actlog/event.h"
#include "server/errors.h"

namespace actlog::server {

StatusOr<Json> ReadObjectBody(const Request& request, bool allow_empty) {
  if (request.body.empty()) {
    if (allow_empty) return Json::MakeObject();
    return InvalidJson("a JSON object body is required");
  }
  ACTLOG_RETURN_IF_ERROR(CheckJsonContentType(request));
  StatusOr<Json> body = ParseJson(request.body);
  if (!body.ok()) return InvalidJson(body.status().message());
  if (!body->is_object()) return InvalidJson("the body must be a JSON object");
  return body;
}

Status RejectUnknownFields(const Json& body, std::initializer_list<std::string_view> known,
                           std::string_view error_code) {
  std::vector<ErrorDetail> details;
  for (const auto& [name, value] : body.as_object()) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == name;
    if (!ok) details.push_back({std::nullopt, name, "unknown_field", "unknown member"});
  }
  if (details.empty()) return Status::Ok();
  return InvalidArgument(std::string(error_code), "the body has unknown members",
                         std::move(details));
}

Status InvalidField(std::string_view error_code, std::string field, std::string code,
                    std::string message) {
  return InvalidArgument(std::string(error_code), field + ": " + message,
                         {{std::nullopt, field, std::move(code), message}});
}

Json OrgJson(const OrgInfo& org) {
  Json j = Json::MakeObject({{"org", Json::String(org.org)}});
  if (org.settings.name) j.Set("name", Json::String(*org.settings.name));
  if (org.settings.retention_days) {
    j.Set("retention_days", Json::Number(static_cast<double>(*org.settings.retention_days)));
  }
  j.Set("event_count", Json::Number(static_cast<double>(org.event_count)));
  j.Set("created_at",
        org.created_at_us >= 0 ? Json::String(FormatTimestamp(org.created_at_us)) : Json::Null());
  return j;
}

Json KeyJson(const ApiKeyRecord& key) {
  Json j = Json::MakeObject({{"id", Json::String(key.id)}, {"kind", Json::String(key.kind)}});
  if (key.org) j.Set("org", Json::String(*key.org));
  if (key.name) j.Set("name", Json::String(*key.name));
  j.Set("created_at", Json::String(FormatTimestamp(key.created_at_us)));
  if (key.revoked_at_us) j.Set("revoked_at", Json::String(FormatTimestamp(*key.revoked_at_us)));
  return j;
}

Json ListJson(Json data) {
  return Json::MakeObject({{"data", std::move(data)}, {"next_cursor", Json::Null()}});
}

Response JsonResponse(int status, const Json& body) {
  return Response::Json(status, CanonicalJson(body));
}

Response AccessError(const Status& status) {
  Response r = Response::Error(status);
  const std::string& code = status.error_code();
  if (code == "invalid_settings" || code == "invalid_key" || code == "invalid_token_request") {
    r.status = 422;
  }
  return r;
}

}  // namespace actlog::server
