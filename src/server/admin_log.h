// AdminLog: every use of admin power is itself an event (DESIGN §3) — an actlog.* event
// in the log of the org concerned, with actor {"type":"api_key","id":<key id>} (or the
// viewer token's id), appended through the same path as producer events: built as
// producer JSON, checked by ValidateEvent against the catalog, stored by Store::Append.
//
// Where an action concerns no org — a platform-wide key (admin keys, ingest keys without
// an org) created or revoked — it is logged in the platform org kPlatformOrg ("actlog"),
// so that every key's history is in some log; the API refuses to create an org of that
// name (handlers_orgs.cc).
//
// Appending creates the org if it had no events yet: a key made for an org before the
// org has events brings the org into being, with the key's creation as its first event.
//
// Thread-safe (the store is). Every call blocks on a synced append: call via
// Exchange::Blocking(). Each returns the stored event's id and seq.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/event.h"
#include "actlog/json.h"
#include "actlog/status.h"
#include "actlog/store.h"
#include "server/principal.h"

namespace actlog::server {

inline constexpr std::string_view kPlatformOrg = "actlog";

class AdminLog {
 public:
  // Not owned; must outlive the log.
  AdminLog(Store* store, const Catalog* catalog) : store_(store), catalog_(catalog) {}

  // actlog.org:created in `org`, with the initial settings as changes.
  StatusOr<AppendResult> OrgCreated(const Principal& by, std::string_view org,
                                    const OrgSettings& settings);
  // actlog.org:updated (settings before -> after) and, when retention_days changed,
  // actlog.retention:updated, in one atomic append. Returns the first event.
  StatusOr<AppendResult> OrgUpdated(const Principal& by, std::string_view org,
                                    const OrgSettings& before, const OrgSettings& after);
  // actlog.key:created / actlog.key:revoked in the key's org (or kPlatformOrg).
  StatusOr<AppendResult> KeyCreated(const Principal& by, const ApiKeyRecord& key);
  StatusOr<AppendResult> KeyRevoked(const Principal& by, const ApiKeyRecord& key);
  // actlog.viewer_token:created; metadata says for which actor and until when.
  StatusOr<AppendResult> ViewerTokenCreated(const Principal& by, std::string_view org,
                                            const std::optional<std::string>& actor,
                                            int64_t expires_at_us);
  // actlog.export:created (for the export handler); `metadata` describes the export
  // (format, filters) and must be a JSON object without personal data.
  StatusOr<AppendResult> ExportCreated(const Principal& by, std::string_view org, Json metadata);

  // The generic form: one actlog.* event from producer JSON parts. `before` and
  // `after` (objects, may be empty) become its field-level changes; `target` may be null.
  StatusOr<AppendResult> Record(const Principal& by, std::string_view org, std::string_view code,
                                Json target, Json before, Json after, Json metadata);

  // The settings as the JSON object used in changes: {"name"?, "retention_days"?}.
  static Json SettingsJson(const OrgSettings& settings);

 private:
  StatusOr<Event> Build(const Principal& by, std::string_view org, std::string_view code,
                        Json target, Json before, Json after, Json metadata) const;
  StatusOr<AppendResult> AppendEvents(std::vector<Event> events);

  Store* store_;
  const Catalog* catalog_;
};

}  // namespace actlog::server
