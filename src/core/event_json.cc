// The stored form of an event: EventToJson and its RFC 8785 bytes (CanonicalEvent, which
// is also the Merkle leaf). The way back, DecodeEvent, is in event_decode.cc.
//
// Stored fields, in the order EventToJson writes them (canonical bytes sort them):
//   org, code, id, seq, occurred_at, received_at,
//   actor {type, id, name?, email?}, target? {type, id, name?},
//   context? {ip?, user_agent?, request_id?}   (omitted when all three are absent),
//   changes   (omitted when empty), outcome, reason?, metadata (omitted when empty).
// Times are FormatTimestamp strings. `client_id` and `content_digest` are ingest-time
// facts kept by the store beside the event, not in it: the digest covers personal values
// that must be erasable (DESIGN §7), so it may not sit in an immutable leaf.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/event.h"
#include "actlog/json.h"

namespace actlog {

std::string_view ToString(ActorType t) {
  switch (t) {
    case ActorType::kUser:
      return "user";
    case ActorType::kApiKey:
      return "api_key";
    case ActorType::kSystem:
      return "system";
  }
  return "user";
}

std::string_view ToString(Outcome o) { return o == Outcome::kFailure ? "failure" : "success"; }

std::optional<ActorType> ParseActorType(std::string_view s) {
  if (s == "user") return ActorType::kUser;
  if (s == "api_key") return ActorType::kApiKey;
  if (s == "system") return ActorType::kSystem;
  return std::nullopt;
}

std::optional<Outcome> ParseOutcome(std::string_view s) {
  if (s == "success") return Outcome::kSuccess;
  if (s == "failure") return Outcome::kFailure;
  return std::nullopt;
}

namespace {

void SetIf(Json::Object* obj, const char* key, const std::optional<std::string>& v) {
  if (v) obj->emplace_back(key, Json::String(*v));
}

bool IsEmptyObject(const Json& j) { return j.is_object() && j.as_object().empty(); }

// Sets the value at a dotted path to null, creating the objects on the way (an erased
// value may be the only member of its object, which EventToJson then omitted).
void SetNull(Json* at, std::string_view path) {
  while (true) {
    size_t dot = path.find('.');
    std::string key(path.substr(0, dot));
    if (!at->is_object()) return;
    Json* next = nullptr;
    for (Json::Member& m : at->as_object()) {
      if (m.first == key) next = &m.second;
    }
    if (dot == std::string_view::npos) {
      at->Set(std::move(key), Json::Null());
      return;
    }
    if (next == nullptr) {
      at->Set(key, Json::MakeObject());
      next = &at->as_object().back().second;
    }
    at = next;
    path = path.substr(dot + 1);
  }
}

// A read event whose subject was erased: each erased value is null, and "erased" lists
// their paths (docs/PRIVACY.md).
void MarkErased(const std::vector<std::string>& erased, Json* out) {
  Json::Array paths;
  for (const std::string& path : erased) {
    SetNull(out, path);
    paths.push_back(Json::String(path));
  }
  out->Set("erased", Json::MakeArray(std::move(paths)));
}

}  // namespace

Json EventToJson(const Event& e) {
  Json::Object out;
  out.reserve(14);
  out.emplace_back("org", Json::String(e.org));
  out.emplace_back("code", Json::String(e.code));
  out.emplace_back("id", Json::String(e.id));
  out.emplace_back("seq", Json::Number(static_cast<double>(e.seq)));
  out.emplace_back("occurred_at", Json::String(FormatTimestamp(e.occurred_at_us)));
  out.emplace_back("received_at", Json::String(FormatTimestamp(e.received_at_us)));

  Json::Object actor;
  actor.emplace_back("type", Json::String(std::string(ToString(e.actor.type))));
  actor.emplace_back("id", Json::String(e.actor.id));
  SetIf(&actor, "name", e.actor.name);
  SetIf(&actor, "email", e.actor.email);
  out.emplace_back("actor", Json::MakeObject(std::move(actor)));

  if (e.target) {
    Json::Object target;
    target.emplace_back("type", Json::String(e.target->type));
    target.emplace_back("id", Json::String(e.target->id));
    SetIf(&target, "name", e.target->name);
    out.emplace_back("target", Json::MakeObject(std::move(target)));
  }
  Json::Object context;
  SetIf(&context, "ip", e.context.ip);
  SetIf(&context, "user_agent", e.context.user_agent);
  SetIf(&context, "request_id", e.context.request_id);
  if (!context.empty()) out.emplace_back("context", Json::MakeObject(std::move(context)));

  if (!IsEmptyObject(e.changes) && !e.changes.is_null()) out.emplace_back("changes", e.changes);
  out.emplace_back("outcome", Json::String(std::string(ToString(e.outcome))));
  SetIf(&out, "reason", e.reason);
  if (!IsEmptyObject(e.metadata) && !e.metadata.is_null()) {
    out.emplace_back("metadata", e.metadata);
  }
  Json result = Json::MakeObject(std::move(out));
  if (!e.erased.empty()) MarkErased(e.erased, &result);
  return result;
}

namespace {

// Appends `,"key":` (no comma before the first member). Keys are known ASCII names, so
// RFC 8785's UTF-16 order is plain byte order; callers write them sorted.
void Key(std::string_view key, bool* first, std::string* out) {
  if (!*first) out->push_back(',');
  *first = false;
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

void StringMember(std::string_view key, std::string_view value, bool* first, std::string* out) {
  Key(key, first, out);
  AppendJsonString(value, out);
}

void OptMember(std::string_view key, const std::optional<std::string>& v, bool* first,
               std::string* out) {
  if (v) StringMember(key, *v, first, out);
}

bool HasMembers(const Json& j) { return j.is_object() && !j.as_object().empty(); }

}  // namespace

std::string CanonicalEvent(const Event& e) {
  std::string out;
  out.reserve(384);
  AppendCanonicalEvent(e, &out);
  return out;
}

// Written directly instead of CanonicalJson(EventToJson(event)), which deep-copies
// changes and metadata first; tests hold the two byte-identical.
void AppendCanonicalEvent(const Event& e, std::string* out_ptr) {
  std::string& out = *out_ptr;
  bool first = true;
  out.push_back('{');
  Key("actor", &first, &out);
  {
    bool f = true;
    out.push_back('{');
    OptMember("email", e.actor.email, &f, &out);
    StringMember("id", e.actor.id, &f, &out);
    OptMember("name", e.actor.name, &f, &out);
    StringMember("type", ToString(e.actor.type), &f, &out);
    out.push_back('}');
  }
  if (HasMembers(e.changes)) {
    Key("changes", &first, &out);
    AppendCanonicalJson(e.changes, &out);
  }
  StringMember("code", e.code, &first, &out);
  if (e.context.ip || e.context.request_id || e.context.user_agent) {
    Key("context", &first, &out);
    bool f = true;
    out.push_back('{');
    OptMember("ip", e.context.ip, &f, &out);
    OptMember("request_id", e.context.request_id, &f, &out);
    OptMember("user_agent", e.context.user_agent, &f, &out);
    out.push_back('}');
  }
  StringMember("id", e.id, &first, &out);
  if (HasMembers(e.metadata)) {
    Key("metadata", &first, &out);
    AppendCanonicalJson(e.metadata, &out);
  }
  StringMember("occurred_at", FormatTimestamp(e.occurred_at_us), &first, &out);
  StringMember("org", e.org, &first, &out);
  StringMember("outcome", ToString(e.outcome), &first, &out);
  OptMember("reason", e.reason, &first, &out);
  StringMember("received_at", FormatTimestamp(e.received_at_us), &first, &out);
  Key("seq", &first, &out);
  out.append(FormatJsonNumber(static_cast<double>(e.seq)));
  if (e.target) {
    Key("target", &first, &out);
    bool f = true;
    out.push_back('{');
    StringMember("id", e.target->id, &f, &out);
    OptMember("name", e.target->name, &f, &out);
    StringMember("type", e.target->type, &f, &out);
    out.push_back('}');
  }
  out.push_back('}');
}

}  // namespace actlog
