// The pieces of ValidateEvent: the problem collector, the free-form walk, and the
// fixed-schema groups actor, target, context and changes (see event_validate.cc for the
// conventions they share).
#include <arpa/inet.h>

#include <cstring>
#include <initializer_list>
#include <string>
#include <utility>

#include "core/event_validate_internal.h"

namespace actlog::internal {

constexpr std::size_t kMaxKeyInPath = 128;

std::string TruncatedKey(std::string_view key) {
  if (key.size() <= kMaxKeyInPath) return std::string(key);
  std::size_t n = kMaxKeyInPath;
  while (n > 0 && (static_cast<unsigned char>(key[n]) & 0xC0) == 0x80) --n;  // whole UTF-8
  return std::string(key.substr(0, n)) + "...";
}

std::string RenderPath(const PathNode& node) {
  std::vector<const PathNode*> chain;
  for (const PathNode* n = &node; n != nullptr; n = n->parent) chain.push_back(n);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->index) {
      out += "[" + std::to_string(*(*it)->index) + "]";
    } else {
      if (!out.empty()) out.push_back('.');
      out += TruncatedKey((*it)->key);
    }
  }
  return out;
}

void FieldChecker::Add(std::string field, const char* code, std::string message) {
  details_.push_back(ErrorDetail{index_, std::move(field), code, std::move(message)});
}

Status FieldChecker::ToStatus() {
  const ErrorDetail& first = details_.front();
  std::string message = details_.size() == 1 ? "invalid event: "
                                             : "invalid event (" + std::to_string(details_.size()) +
                                                   " problems), first: ";
  message += first.field.empty() ? "event" : first.field;
  message += ": " + first.message;
  return InvalidArgument("invalid_event", std::move(message), std::move(details_));
}

const std::string* FieldChecker::RequiredString(const Json* v, std::string_view path) {
  if (v == nullptr) {
    Add(std::string(path), "required", "this field is required");
    return nullptr;
  }
  return OptionalString(v, path);
}

const std::string* FieldChecker::OptionalString(const Json* v, std::string_view path) {
  if (v == nullptr) return nullptr;
  if (!v->is_string()) {
    Add(std::string(path), "invalid_type",
        std::string("must be a string, not ") + Json::TypeName(v->type()));
    return nullptr;
  }
  const std::string& s = v->as_string();
  if (s.size() > limits_.max_string_bytes) {
    Add(std::string(path), "too_long",
        "strings are at most " + std::to_string(limits_.max_string_bytes) + " bytes");
    return nullptr;
  }
  if (s.empty()) {
    Add(std::string(path), "empty", "must not be empty");
    return nullptr;
  }
  return &s;
}

void FieldChecker::WalkFree(const Json& v, const PathNode& path, std::size_t depth) {
  switch (v.type()) {
    case Json::Type::kString:
      if (v.as_string().size() > limits_.max_string_bytes) {
        Add(RenderPath(path), "too_long",
            "strings are at most " + std::to_string(limits_.max_string_bytes) + " bytes");
      }
      return;
    case Json::Type::kArray: {
      if (depth > limits_.max_depth) break;
      const Json::Array& items = v.as_array();
      for (std::size_t i = 0; i < items.size(); ++i) {
        WalkFree(items[i], PathNode{&path, {}, i}, depth + 1);
      }
      return;
    }
    case Json::Type::kObject:
      if (depth > limits_.max_depth) break;
      for (const auto& [key, value] : v.as_object()) {
        PathNode child{&path, key, std::nullopt};
        if (key.size() > limits_.max_string_bytes) {
          Add(RenderPath(child), "too_long",
              "member names are strings too: at most " + std::to_string(limits_.max_string_bytes) +
                  " bytes");
        }
        WalkFree(value, child, depth + 1);
      }
      return;
    default:
      return;
  }
  Add(RenderPath(path), "too_deep",
      "values nest at most " + std::to_string(limits_.max_depth) + " levels deep");
}

namespace {

using Slot = std::pair<std::string_view, const Json**>;  // string_view: length first

// Reads a fixed-schema object: each known member into its slot (null = absent), unknown
// members reported. False (after reporting) if `v` is not an object.
bool ReadFixedObject(const Json& v, const char* path, std::initializer_list<Slot> slots,
                     FieldChecker* check) {
  if (!v.is_object()) {
    check->Add(path, "invalid_type",
               std::string("must be an object, not ") + Json::TypeName(v.type()));
    return false;
  }
  for (const auto& [key, value] : v.as_object()) {
    const Slot* slot = nullptr;
    for (const Slot& s : slots) {
      if (key == s.first) slot = &s;
    }
    if (slot == nullptr) {
      check->Add(std::string(path) + "." + TruncatedKey(key), "unknown_field",
                 std::string("not a field of ") + path);
    } else if (!value.is_null()) {
      *slot->second = &value;
    }
  }
  return true;
}

std::optional<std::string> Copy(const std::string* s) {
  return s == nullptr ? std::nullopt : std::optional<std::string>(*s);
}

bool IsIpAddress(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

}  // namespace

bool LooksLikeEmail(std::string_view s) {
  if (s.size() > 254) return false;
  const std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const std::string_view domain = s.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos ||
      domain.find('@') != std::string_view::npos) {
    return false;
  }
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || std::strchr("()<>[]\\,;:\"", c) != nullptr) return false;
  }
  return true;
}

void CheckActor(const EventFields& f, FieldChecker* check, Event* e) {
  if (f.actor == nullptr) {
    check->Add("actor", "required", "who did it: {\"type\":..., \"id\":...}");
    return;
  }
  const Json *type = nullptr, *id = nullptr, *name = nullptr, *email = nullptr;
  if (!ReadFixedObject(*f.actor, "actor",
                       {{"type", &type}, {"id", &id}, {"name", &name}, {"email", &email}}, check)) {
    return;
  }
  std::optional<ActorType> parsed;
  if (const std::string* t = check->RequiredString(type, "actor.type")) {
    parsed = ParseActorType(*t);
    if (!parsed) check->Add("actor.type", "invalid_value", "one of user, api_key, system");
  }
  e->actor.type = parsed.value_or(ActorType::kUser);
  if (id == nullptr && parsed == ActorType::kSystem) {
    e->actor.id = "system";
  } else if (const std::string* s = check->RequiredString(id, "actor.id")) {
    e->actor.id = *s;
  }
  e->actor.name = Copy(check->OptionalString(name, "actor.name"));
  if (const std::string* s = check->OptionalString(email, "actor.email")) {
    if (LooksLikeEmail(*s)) {
      e->actor.email = *s;
    } else {
      check->Add("actor.email", "invalid_format", "not an e-mail address");
    }
  }
}

void CheckTarget(const EventFields& f, FieldChecker* check, Event* e) {
  if (f.target == nullptr) return;
  const Json *type = nullptr, *id = nullptr, *name = nullptr;
  if (!ReadFixedObject(*f.target, "target", {{"type", &type}, {"id", &id}, {"name", &name}},
                       check)) {
    return;
  }
  Target t;
  const std::string* type_s = check->RequiredString(type, "target.type");
  const std::string* id_s = check->RequiredString(id, "target.id");
  t.name = Copy(check->OptionalString(name, "target.name"));
  if (type_s != nullptr && id_s != nullptr) {
    t.type = *type_s;
    t.id = *id_s;
    e->target = std::move(t);
  }
}

void CheckContext(const EventFields& f, FieldChecker* check, Event* e) {
  if (f.context == nullptr) return;
  const Json *ip = nullptr, *user_agent = nullptr, *request_id = nullptr;
  if (!ReadFixedObject(*f.context, "context",
                       {{"ip", &ip}, {"user_agent", &user_agent}, {"request_id", &request_id}},
                       check)) {
    return;
  }
  if (const std::string* s = check->OptionalString(ip, "context.ip")) {
    if (IsIpAddress(*s)) {
      e->context.ip = *s;
    } else {
      check->Add("context.ip", "invalid_format", "not an IPv4 or IPv6 address");
    }
  }
  e->context.user_agent = Copy(check->OptionalString(user_agent, "context.user_agent"));
  e->context.request_id = Copy(check->OptionalString(request_id, "context.request_id"));
}

}  // namespace actlog::internal
