#include "privacy/personal_fields.h"

#include <algorithm>
#include <string_view>

namespace actlog::privacy {
namespace {

// Everything below is written once for Event and for const Event: `E` is either, and
// the pointers it hands out have the same constness.

// The member `key` of an object, or nullptr.
template <typename J>
J* Member(J* obj, std::string_view key) {
  if (obj == nullptr || !obj->is_object()) return nullptr;
  for (auto& m : obj->as_object()) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

// Walks a dotted path below metadata/changes; nullptr if any step is missing.
template <typename J>
J* WalkJson(J* root, std::string_view rest) {
  J* at = root;
  while (at != nullptr && !rest.empty()) {
    size_t dot = rest.find('.');
    at = Member(at, rest.substr(0, dot));
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  }
  return at;
}

bool Nested(std::string_view outer, std::string_view inner) {
  return inner.size() > outer.size() && inner.starts_with(outer) && inner[outer.size()] == '.';
}

template <typename E>
typename BasicPersonalSlot<E>::Field* FixedField(E* e, std::string_view path) {
  if (path == "actor.name") return &e->actor.name;
  if (path == "actor.email") return &e->actor.email;
  if (path == "context.ip") return &e->context.ip;
  if (path == "context.user_agent") return &e->context.user_agent;
  if (path == "context.request_id") return &e->context.request_id;
  if (path == "target.name" && e->target) return &e->target->name;
  return nullptr;
}

template <typename E>
class SlotList {
 public:
  explicit SlotList(E* event) : event_(event) {}

  void Add(std::string_view path, const std::string& subject) {
    if (subject.empty()) return;
    // A path named twice, or one inside another (metadata.a, metadata.a.b), counts
    // once: the first wins, so no slot points into a value another slot replaces.
    for (const BasicPersonalSlot<E>& s : slots_) {
      if (s.path == path || Nested(s.path, path) || Nested(path, s.path)) return;
    }
    BasicPersonalSlot<E> slot{std::string(path), subject};
    if (auto* f = FixedField(event_, path)) {
      if (!f->has_value()) return;
      slot.field = f;
    } else if (path.starts_with("metadata.")) {
      slot.json = WalkJson(&event_->metadata, path.substr(9));
    } else if (path.starts_with("changes.")) {
      slot.json = WalkJson(&event_->changes, path.substr(8));
    }
    if (slot.field == nullptr && (slot.json == nullptr || slot.json->is_null())) return;
    slots_.push_back(std::move(slot));
  }
  std::vector<BasicPersonalSlot<E>> Take() { return std::move(slots_); }

 private:
  E* event_;
  std::vector<BasicPersonalSlot<E>> slots_;
};

template <typename E>
std::vector<BasicPersonalSlot<E>> SlotsOf(E* event, const Catalog& catalog) {
  const CatalogEntry* entry = catalog.Find(event->code);
  bool target_person = entry != nullptr && entry->target_is_person && event->target;
  const std::string& actor = event->actor.id;
  SlotList<E> slots(event);
  slots.Add("actor.name", actor);
  slots.Add("actor.email", actor);
  slots.Add("context.ip", actor);
  slots.Add("context.user_agent", actor);
  if (target_person) slots.Add("target.name", event->target->id);
  if (entry != nullptr) {
    const std::string& owner = target_person ? event->target->id : actor;
    for (const std::string& path : entry->personal_fields) slots.Add(path, owner);
  }
  return slots.Take();
}

}  // namespace

std::vector<PersonalSlot> PersonalSlots(Event* event, const Catalog& catalog) {
  return SlotsOf(event, catalog);
}

std::vector<ConstPersonalSlot> PersonalSlots(const Event& event, const Catalog& catalog) {
  return SlotsOf(&event, catalog);
}

}  // namespace actlog::privacy
