// Admin actions as actlog.* events (admin_log.h).
#include "server/admin_log.h"

#include <utility>
#include <vector>

namespace actlog::server {
namespace {

Json Target(std::string type, std::string id, std::optional<std::string> name = std::nullopt) {
  Json t = Json::MakeObject(
      {{"type", Json::String(std::move(type))}, {"id", Json::String(std::move(id))}});
  if (name) t.Set("name", Json::String(std::move(*name)));
  return t;
}

Json KeyMetadata(const ApiKeyRecord& key) {
  Json m = Json::MakeObject({{"kind", Json::String(key.kind)}});
  if (key.org) m.Set("org", Json::String(*key.org));
  return m;
}

}  // namespace

Json AdminLog::SettingsJson(const OrgSettings& settings) {
  Json j = Json::MakeObject();
  if (settings.name) j.Set("name", Json::String(*settings.name));
  if (settings.retention_days) {
    j.Set("retention_days", Json::Number(static_cast<double>(*settings.retention_days)));
  }
  return j;
}

StatusOr<Event> AdminLog::Build(const Principal& by, std::string_view org, std::string_view code,
                                Json target, Json before, Json after, Json metadata) const {
  Json input = Json::MakeObject({
      {"org", Json::String(std::string(org))},
      {"code", Json::String(std::string(code))},
      {"actor",
       Json::MakeObject({{"type", Json::String("api_key")},
                         {"id", Json::String(by.key_id.empty() ? "unknown" : by.key_id)}})},
  });
  if (!target.is_null()) input.Set("target", std::move(target));
  bool has_changes = (before.is_object() && !before.as_object().empty()) ||
                     (after.is_object() && !after.as_object().empty());
  if (has_changes) {
    input.Set("before", before.is_object() ? std::move(before) : Json::MakeObject());
    input.Set("after", after.is_object() ? std::move(after) : Json::MakeObject());
  }
  if (metadata.is_object() && !metadata.as_object().empty()) {
    input.Set("metadata", std::move(metadata));
  }
  StatusOr<Event> event = ValidateEvent(input, *catalog_, EventLimits{});
  if (!event.ok()) {
    // Admin events are built here from validated values: failing validation is a bug
    // (or a catalog without the actlog.* codes), never the caller's fault.
    return Internal("admin event " + std::string(code) +
                    " does not validate: " + event.status().ToString());
  }
  return event;
}

StatusOr<AppendResult> AdminLog::AppendEvents(std::vector<Event> events) {
  StatusOr<std::vector<AppendResult>> results = store_->Append(std::move(events));
  if (!results.ok()) return results.status();
  if (results->empty()) return Internal("append returned no result");
  return results->front();
}

StatusOr<AppendResult> AdminLog::Record(const Principal& by, std::string_view org,
                                        std::string_view code, Json target, Json before, Json after,
                                        Json metadata) {
  StatusOr<Event> event = Build(by, org, code, std::move(target), std::move(before),
                                std::move(after), std::move(metadata));
  if (!event.ok()) return event.status();
  std::vector<Event> events;
  events.push_back(std::move(event).value());
  return AppendEvents(std::move(events));
}

StatusOr<AppendResult> AdminLog::OrgCreated(const Principal& by, std::string_view org,
                                            const OrgSettings& settings) {
  return Record(by, org, "actlog.org:created", Target("org", std::string(org)), Json::MakeObject(),
                SettingsJson(settings), Json::MakeObject());
}

StatusOr<AppendResult> AdminLog::OrgUpdated(const Principal& by, std::string_view org,
                                            const OrgSettings& before, const OrgSettings& after) {
  std::vector<Event> events;
  StatusOr<Event> updated = Build(by, org, "actlog.org:updated", Target("org", std::string(org)),
                                  SettingsJson(before), SettingsJson(after), Json::MakeObject());
  if (!updated.ok()) return updated.status();
  events.push_back(std::move(updated).value());
  if (before.retention_days != after.retention_days) {
    auto days = [](const OrgSettings& s) {
      Json j = Json::MakeObject();
      if (s.retention_days) {
        j.Set("retention_days", Json::Number(static_cast<double>(*s.retention_days)));
      }
      return j;
    };
    StatusOr<Event> retention =
        Build(by, org, "actlog.retention:updated", Target("org", std::string(org)), days(before),
              days(after), Json::MakeObject());
    if (!retention.ok()) return retention.status();
    events.push_back(std::move(retention).value());
  }
  return AppendEvents(std::move(events));
}

StatusOr<AppendResult> AdminLog::KeyCreated(const Principal& by, const ApiKeyRecord& key) {
  return Record(by, key.org.value_or(std::string(kPlatformOrg)), "actlog.key:created",
                Target("api_key", key.id, key.name), Json::MakeObject(), Json::MakeObject(),
                KeyMetadata(key));
}

StatusOr<AppendResult> AdminLog::KeyRevoked(const Principal& by, const ApiKeyRecord& key) {
  return Record(by, key.org.value_or(std::string(kPlatformOrg)), "actlog.key:revoked",
                Target("api_key", key.id, key.name), Json::MakeObject(), Json::MakeObject(),
                KeyMetadata(key));
}

StatusOr<AppendResult> AdminLog::ViewerTokenCreated(const Principal& by, std::string_view org,
                                                    const std::optional<std::string>& actor,
                                                    int64_t expires_at_us) {
  Json metadata = Json::MakeObject({{"expires_at", Json::String(FormatTimestamp(expires_at_us))}});
  if (actor) metadata.Set("actor", Json::String(*actor));
  return Record(by, org, "actlog.viewer_token:created", Json(), Json::MakeObject(),
                Json::MakeObject(), std::move(metadata));
}

StatusOr<AppendResult> AdminLog::ExportCreated(const Principal& by, std::string_view org,
                                               Json metadata) {
  return Record(by, org, "actlog.export:created", Json(), Json::MakeObject(), Json::MakeObject(),
                std::move(metadata));
}

}  // namespace actlog::server
