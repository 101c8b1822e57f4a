// Event: one entry of an organisation's activity log (DESIGN §2), and the functions that
// turn producer JSON into events and events into their canonical bytes.
//
// Life of an event: ParseIngestBody()/ValidateEvent() check what a producer sent and
// compute field-level `changes` from `before`/`after`; a Store then assigns `seq`, the
// server `id` when none was given and `received_at`, defaults `occurred_at`, and stores
// CanonicalEvent() bytes, which are also the event's Merkle leaf. DecodeEvent() reads
// those bytes back.
//
// Plain value types; thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/json.h"
#include "actlog/status.h"

namespace actlog {

class Catalog;
class Clock;

enum class ActorType { kUser, kApiKey, kSystem };
enum class Outcome { kSuccess, kFailure };

std::string_view ToString(ActorType t);  // "user", "api_key", "system"
std::string_view ToString(Outcome o);    // "success", "failure"
std::optional<ActorType> ParseActorType(std::string_view s);
std::optional<Outcome> ParseOutcome(std::string_view s);

struct Actor {
  ActorType type = ActorType::kUser;
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> email;
};

struct Target {
  std::string type;
  std::string id;
  std::optional<std::string> name;
};

// The request context. Known keys only: ip, user_agent, request_id.
struct EventContext {
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;
  std::optional<std::string> request_id;
};

struct Event {
  // --- what the producer sent (validated) ---
  std::string org;
  std::string code;
  std::string id;               // client id; empty until the store assigns one
  bool client_id = false;       // true when the producer gave `id`
  int64_t occurred_at_us = -1;  // -1: not given, the store uses received_at
  Actor actor;
  std::optional<Target> target;
  EventContext context;
  Json changes = Json::MakeObject();  // {"field": {"from": x, "to": y}, ...}
  Outcome outcome = Outcome::kSuccess;
  std::optional<std::string> reason;  // only with outcome failure
  Json metadata = Json::MakeObject();

  // SHA-256 of the canonical form of what the producer sent (without server fields):
  // a retry with the same client id is a duplicate exactly when the digests match.
  std::string content_digest;  // 32 raw bytes; set by validation

  // --- assigned by the store ---
  uint64_t seq = 0;
  int64_t received_at_us = -1;

  // --- set by a store's read path, never stored ---
  // Paths of personal values whose data subject was erased ("actor.email",
  // "metadata.phone"), sorted. Those values read as absent; EventToJson writes them as
  // null and lists them in "erased" (docs/PRIVACY.md).
  std::vector<std::string> erased;
};

// Limits of DESIGN §2. Defaults are the contract; tests may lower them.
struct EventLimits {
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_batch_events = 1000;
  std::size_t max_string_bytes = 4096;
  std::size_t max_metadata_bytes = 16 * 1024;  // canonical bytes of `metadata`
  std::size_t max_depth = 8;                   // nesting of any value, top object = 1
  std::size_t max_id_bytes = 128;
  std::size_t max_org_bytes = 64;
};

// Validates one producer object (already parsed) into an Event. Errors carry
// error_code "invalid_event" and one ErrorDetail per problem (all of them, not just the
// first), fields as dotted paths ("actor.email", "changes.role.from", array elements as
// "metadata.tags[2]"); `index` (if given) is stamped on every detail. Checks the code
// against the catalog. Detail codes, stable for clients and tests:
//   required, invalid_type, unknown_field, empty, too_long (a string or member name over
//   max_string_bytes), too_large (metadata), too_deep, invalid_format (org, id, code
//   shape, timestamp, ip, email), invalid_value (enum value; reason without failure),
//   unknown_code (strict catalog; the message suggests the nearest code),
//   conflicting_fields (changes with before/after, or one snapshot alone).
// JSON null in a fixed field (org, actor.name, target, ...) counts as absent; every
// fixed string must be non-empty. A system actor without id gets id "system".
// Sets content_digest. Thread-safe (the catalog is only read).
StatusOr<Event> ValidateEvent(const Json& input, const Catalog& catalog, const EventLimits& limits,
                              std::optional<std::size_t> index = std::nullopt);

// Parses a POST /v1/events body: one event object, or {"events":[...]} with 1..1000
// events. The batch is all-or-nothing: on any error, every bad event is named by index
// (a single event is index 0). Errors: ResourceExhausted "body_too_large" (checked
// before parsing); ParseJson's own error ("malformed_json", "invalid_utf8", ...);
// "invalid_event" with details, where problems of the envelope itself (field "events":
// invalid_type / empty / batch_too_large, or another member: unknown_field) carry no
// index.
StatusOr<std::vector<Event>> ParseIngestBody(std::string_view body, const Catalog& catalog,
                                             const EventLimits& limits);

// Field-level changes between two objects: nested objects compared recursively with
// dotted paths ("address.city"), arrays and scalars compared whole; a field only in
// `before` goes to null, only in `after` comes from null. Result as Event::changes.
Json DiffObjects(const Json& before, const Json& after);

// The stored event as a Json object (server fields included, absent optionals omitted):
//   org, code, id, seq, occurred_at, received_at, actor{type,id,name?,email?},
//   target?{type,id,name?}, context?{ip?,user_agent?,request_id?} (omitted when empty),
//   changes (omitted when empty), outcome, reason?, metadata (omitted when empty).
// Times are FormatTimestamp strings. A read event with `erased` paths also has each of
// them as null and "erased":[paths] (never so in the stored form, where erased is
// empty). `client_id` and `content_digest` are NOT part of
// the stored event: they are ingest-time facts the store keeps beside it (the digest
// covers personal values, which must stay erasable while the leaf is immutable).
// REQUIRES: seq, id, received_at_us and occurred_at_us assigned.
Json EventToJson(const Event& event);

// RFC 8785 canonical bytes of EventToJson(event): the stored value and the Merkle leaf.
std::string CanonicalEvent(const Event& event);
// The same bytes appended to *out, written field by field without building the Json
// first (pages of the events API are written with it). Ignores `erased`: REQUIRES
// event.erased empty for the bytes to equal CanonicalJson(EventToJson(event)).
void AppendCanonicalEvent(const Event& event, std::string* out);

// Reads canonical (or any stored) event bytes back: every stored field round-trips;
// client_id stays false and content_digest empty (see EventToJson). DataLoss if the
// bytes do not parse, a field is missing or mistyped, or an unknown field appears.
StatusOr<Event> DecodeEvent(std::string_view canonical);

// RFC 3339 timestamps. Parse accepts any offset and up to 9 fractional digits (kept to
// microseconds); Format writes UTC with 3 fractional digits, or 6 when sub-millisecond.
StatusOr<int64_t> ParseTimestamp(std::string_view text);
std::string FormatTimestamp(int64_t micros);

// A new server event id: "evt_" + 26 Crockford base32 chars (48-bit ms time + 80 random
// bits, ULID layout), so ids sort by creation time.
std::string NewEventId(const Clock& clock);

// Shape checks shared by validation and the HTTP layer.
bool IsValidOrgId(std::string_view org);       // [A-Za-z0-9_.-]{1,64}, not "." or ".."
bool IsValidClientId(std::string_view id);     // printable ASCII without space, 1..128
bool IsWellFormedCode(std::string_view code);  // resource[.sub]*:action, lower snake case

}  // namespace actlog
