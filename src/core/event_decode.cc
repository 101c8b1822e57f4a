// DecodeEvent: stored event bytes back to an Event.
//
// Two readers of the same bytes. The tree reader takes simdjson's parse tree straight
// into the Event's fields, and builds a Json only of `changes` and `metadata`: a page
// decodes dozens of events, and building a whole Json of each first, to take it apart
// again, was most of decoding. The Json reader (DecodeEventThroughJson) parses with
// ParseJson and then reads that Json strictly; DecodeEvent falls back to it for whatever
// the tree reader does not take, so it alone words the errors of corrupt bytes, and it
// reads integers beyond 64 bits (simdjson rejects them; ParseJson retries them as
// doubles). The tree reader takes nothing that the Json reader rejects and yields the
// same Event (event_decode_test.cc compares the two).
#include <simdjson.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "actlog/event.h"
#include "actlog/json.h"
#include "core/event_decode_internal.h"
#include "core/json_tree.h"

namespace actlog {
namespace internal {

namespace {

// Reads one stored object strictly: every key must be known, every type right. The
// first problem wins; stored bytes are either whole or corrupt, so one reason suffices.
// Strings and objects are moved out of the parsed value, not copied: a page decodes
// dozens of events, and copying their strings was a fifth of decoding.
class StoredReader {
 public:
  StoredReader(Json& obj, std::string path) : obj_(obj), path_(std::move(path)) {
    if (!obj.is_object()) Fail(path_.empty() ? "event" : path_, "is not an object");
  }

  Json* Get(const char* key, bool required) {
    Json* v = obj_.is_object() ? Find(key) : nullptr;
    if (v != nullptr) {
      ++seen_;
    } else if (required && obj_.is_object()) {
      Fail(Path(key), "is missing");
    }
    return v;
  }
  std::string String(const char* key) {
    std::optional<std::string> v = OptString(key, /*required=*/true);
    return v.value_or("");
  }
  std::optional<std::string> OptString(const char* key, bool required = false) {
    Json* v = Get(key, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
      Fail(Path(key), "is not a string");
      return std::nullopt;
    }
    return std::move(v->as_string());
  }
  int64_t Time(const char* key) {
    std::string s = String(key);
    if (!error_.empty()) return -1;
    StatusOr<int64_t> t = ParseTimestamp(s);
    if (!t.ok()) {
      Fail(Path(key), "is not a timestamp");
      return -1;
    }
    return *t;
  }
  // Call after reading every known key: anything left over is unknown.
  void Finish() {
    if (obj_.is_object() && error_.empty() && seen_ != obj_.as_object().size()) {
      Fail(path_.empty() ? "event" : path_, "has unknown fields");
    }
  }
  void Fail(const std::string& where, const char* what) {
    if (error_.empty()) error_ = where + " " + what;
  }
  std::string Path(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& error() const { return error_; }
  void Adopt(const StoredReader& inner) {
    if (error_.empty()) error_ = inner.error_;
  }

 private:
  Json* Find(std::string_view key) {
    for (Json::Member& m : obj_.as_object()) {
      if (m.first == key) return &m.second;
    }
    return nullptr;
  }

  Json& obj_;
  std::string path_;
  std::size_t seen_ = 0;
  std::string error_;
};

}  // namespace

StatusOr<Event> DecodeEventThroughJson(std::string_view canonical) {
  StatusOr<Json> parsed = ParseJson(canonical);
  if (!parsed.ok()) return DataLoss("stored event does not parse: " + parsed.status().message());
  Json& j = *parsed;
  Event e;
  StoredReader r(j, "");
  e.org = r.String("org");
  e.code = r.String("code");
  e.id = r.String("id");
  if (const Json* seq = r.Get("seq", true)) {
    double d = seq->is_number() ? seq->as_number() : -1;
    if (d < 0 || d > 9007199254740992.0 || std::floor(d) != d) {
      r.Fail("seq", "is not a non-negative integer");
    } else {
      e.seq = static_cast<uint64_t>(d);
    }
  }
  e.occurred_at_us = r.Time("occurred_at");
  e.received_at_us = r.Time("received_at");

  if (Json* a = r.Get("actor", true)) {
    StoredReader ar(*a, "actor");
    std::optional<ActorType> type = ParseActorType(ar.String("type"));
    if (!type) ar.Fail("actor.type", "is not an actor type");
    e.actor.type = type.value_or(ActorType::kUser);
    e.actor.id = ar.String("id");
    e.actor.name = ar.OptString("name");
    e.actor.email = ar.OptString("email");
    ar.Finish();
    r.Adopt(ar);
  }
  if (Json* t = r.Get("target", false)) {
    StoredReader tr(*t, "target");
    e.target.emplace();
    e.target->type = tr.String("type");
    e.target->id = tr.String("id");
    e.target->name = tr.OptString("name");
    tr.Finish();
    r.Adopt(tr);
  }
  if (Json* c = r.Get("context", false)) {
    StoredReader cr(*c, "context");
    e.context.ip = cr.OptString("ip");
    e.context.user_agent = cr.OptString("user_agent");
    e.context.request_id = cr.OptString("request_id");
    cr.Finish();
    r.Adopt(cr);
  }
  if (Json* ch = r.Get("changes", false)) {
    if (ch->is_object()) {
      e.changes = std::move(*ch);
    } else {
      r.Fail("changes", "is not an object");
    }
  }
  std::optional<Outcome> outcome = ParseOutcome(r.String("outcome"));
  if (!outcome) r.Fail("outcome", "is not an outcome");
  e.outcome = outcome.value_or(Outcome::kSuccess);
  e.reason = r.OptString("reason");
  if (Json* m = r.Get("metadata", false)) {
    if (m->is_object()) {
      e.metadata = std::move(*m);
    } else {
      r.Fail("metadata", "is not an object");
    }
  }
  r.Finish();
  if (!r.error().empty()) return DataLoss("stored event is corrupt: " + r.error());
  return e;
}

}  // namespace internal

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// The members of one stored object, by name. Read() takes the object only if every
// member's name is one of `names` and none appears twice: the Json reader rejects both
// (unknown fields, duplicate keys), so the tree reader leaves such bytes to it.
template <std::size_t N>
class Members {
 public:
  explicit Members(const std::array<std::string_view, N>& names) : names_(names) {}

  bool Read(element e) {
    simdjson::dom::object object;
    if (e.get_object().get(object) != simdjson::SUCCESS) return false;
    for (simdjson::dom::key_value_pair member : object) {
      std::size_t i = 0;
      while (i < N && names_[i] != member.key) ++i;
      if (i == N || present_[i]) return false;
      present_[i] = true;
      values_[i] = member.value;
    }
    return true;
  }

  bool Has(std::size_t i) const { return present_[i]; }
  element Get(std::size_t i) const { return values_[i]; }

  // False if absent or not a string.
  bool View(std::size_t i, std::string_view* out) const {
    return present_[i] && values_[i].get_string().get(*out) == simdjson::SUCCESS;
  }
  bool String(std::size_t i, std::string* out) const {
    std::string_view s;
    if (!View(i, &s)) return false;
    out->assign(s);
    return true;
  }
  // Absent is fine; present must be a string (JSON null is not).
  bool OptString(std::size_t i, std::optional<std::string>* out) const {
    if (!present_[i]) return true;
    std::string_view s;
    if (!View(i, &s)) return false;
    out->emplace(s);
    return true;
  }
  bool Time(std::size_t i, int64_t* out) const {
    std::string_view s;
    if (!View(i, &s)) return false;
    StatusOr<int64_t> t = ParseTimestamp(s);
    if (!t.ok()) return false;
    *out = *t;
    return true;
  }

 private:
  const std::array<std::string_view, N>& names_;
  std::array<element, N> values_{};
  std::array<bool, N> present_{};
};

// Member names, in the order the canonical bytes hold them.
enum EventMember : std::size_t {
  kActor, kChanges, kCode, kContext, kId, kMetadata, kOccurredAt, kOrg, kOutcome, kReason,
  kReceivedAt, kSeq, kTarget, kEventMembers
};
constexpr std::array<std::string_view, kEventMembers> kEventNames = {
    "actor", "changes", "code", "context", "id", "metadata", "occurred_at",
    "org", "outcome", "reason", "received_at", "seq", "target"};
enum ActorMember : std::size_t { kActorEmail, kActorId, kActorName, kActorType, kActorMembers };
constexpr std::array<std::string_view, kActorMembers> kActorNames = {"email", "id", "name",
                                                                     "type"};
enum TargetMember : std::size_t { kTargetId, kTargetName, kTargetType, kTargetMembers };
constexpr std::array<std::string_view, kTargetMembers> kTargetNames = {"id", "name", "type"};
enum ContextMember : std::size_t { kContextIp, kRequestId, kUserAgent, kContextMembers };
constexpr std::array<std::string_view, kContextMembers> kContextNames = {"ip", "request_id",
                                                                         "user_agent"};

// A number as ParseJson reads it (a double), which must be a safe non-negative integer.
bool ReadSeq(element e, uint64_t* out) {
  double d;
  switch (e.type()) {
    case element_type::INT64:
      d = static_cast<double>(e.get_int64().value_unsafe());
      break;
    case element_type::UINT64:
      d = static_cast<double>(e.get_uint64().value_unsafe());
      break;
    case element_type::DOUBLE:
      d = e.get_double().value_unsafe();
      break;
    default:
      return false;
  }
  if (d < 0 || d > 9007199254740992.0 || std::floor(d) != d) return false;
  *out = static_cast<uint64_t>(d);
  return true;
}

bool ReadActor(element e, Actor* actor) {
  Members<kActorMembers> m(kActorNames);
  std::string_view type;
  if (!m.Read(e) || !m.View(kActorType, &type)) return false;
  std::optional<ActorType> parsed = ParseActorType(type);
  if (!parsed) return false;
  actor->type = *parsed;
  return m.String(kActorId, &actor->id) && m.OptString(kActorName, &actor->name) &&
         m.OptString(kActorEmail, &actor->email);
}

bool ReadTarget(element e, Target* target) {
  Members<kTargetMembers> m(kTargetNames);
  return m.Read(e) && m.String(kTargetType, &target->type) &&
         m.String(kTargetId, &target->id) && m.OptString(kTargetName, &target->name);
}

bool ReadContext(element e, EventContext* context) {
  Members<kContextMembers> m(kContextNames);
  return m.Read(e) && m.OptString(kContextIp, &context->ip) &&
         m.OptString(kUserAgent, &context->user_agent) &&
         m.OptString(kRequestId, &context->request_id);
}

// `changes` and `metadata`: an object, as a Json with ParseJson's own checks (a member
// of the root object sits at depth 1).
bool ReadObject(element e, Json* out) {
  return e.is_object() && json_internal::TreeToJson(e, 1, JsonParseOptions{}, out).ok();
}

bool ReadEvent(element root, Event* e) {
  Members<kEventMembers> m(kEventNames);
  if (!m.Read(root) || !m.String(kOrg, &e->org) || !m.String(kCode, &e->code) ||
      !m.String(kId, &e->id) || !m.Has(kSeq) || !ReadSeq(m.Get(kSeq), &e->seq) ||
      !m.Time(kOccurredAt, &e->occurred_at_us) || !m.Time(kReceivedAt, &e->received_at_us) ||
      !m.Has(kActor) || !ReadActor(m.Get(kActor), &e->actor)) {
    return false;
  }
  if (m.Has(kTarget) && !ReadTarget(m.Get(kTarget), &e->target.emplace())) return false;
  if (m.Has(kContext) && !ReadContext(m.Get(kContext), &e->context)) return false;
  if (m.Has(kChanges) && !ReadObject(m.Get(kChanges), &e->changes)) return false;
  std::string_view outcome;
  if (!m.View(kOutcome, &outcome)) return false;
  std::optional<Outcome> parsed = ParseOutcome(outcome);
  if (!parsed) return false;
  e->outcome = *parsed;
  if (!m.OptString(kReason, &e->reason)) return false;
  return !m.Has(kMetadata) || ReadObject(m.Get(kMetadata), &e->metadata);
}

}  // namespace

std::optional<Event> internal::DecodeEventFromTree(std::string_view canonical) {
  simdjson::dom::element root;
  if (json_internal::ParseTree(canonical, &root) != simdjson::SUCCESS) return std::nullopt;
  Event event;
  if (!ReadEvent(root, &event)) return std::nullopt;
  return event;
}

StatusOr<Event> DecodeEvent(std::string_view canonical) {
  std::optional<Event> event = internal::DecodeEventFromTree(canonical);
  if (event) return std::move(*event);
  // Corrupt bytes (the Json reader says what is wrong) or integers beyond 64 bits.
  return internal::DecodeEventThroughJson(canonical);
}

}  // namespace actlog
