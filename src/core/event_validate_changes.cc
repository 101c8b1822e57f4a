// `changes`, or `before` + `after`, of a producer event (DESIGN §2: the old value is
// always kept). A producer sends field-level changes itself, or two snapshots from which
// DiffObjects computes them; never both, and never one snapshot alone.
#include <string>

#include "core/event_validate_internal.h"

namespace actlog::internal {
namespace {

// Both snapshots must be objects within the limits; true when they are.
bool CheckSnapshots(const EventFields& f, FieldChecker* check) {
  const std::size_t before = check->problems();
  for (const auto& [name, v] : {std::pair{"before", f.before}, std::pair{"after", f.after}}) {
    if (!v->is_object()) {
      check->Add(name, "invalid_type",
                 std::string("must be an object, not ") + Json::TypeName(v->type()));
      continue;
    }
    check->WalkFree(*v, PathNode{nullptr, name, std::nullopt}, 2);
  }
  return check->problems() == before;
}

// Each entry of `changes` is {"from": x, "to": y}, exactly.
void CheckEntry(const std::string& key, const Json& entry, const PathNode& root,
                FieldChecker* check) {
  const PathNode node{&root, key, std::nullopt};
  if (key.size() > check->limits().max_string_bytes) {
    check->Add(RenderPath(node), "too_long", "member names are strings too");
    return;
  }
  if (!entry.is_object()) {
    check->Add(RenderPath(node), "invalid_type", "a change is {\"from\": ..., \"to\": ...}");
    return;
  }
  const Json *from = nullptr, *to = nullptr;
  for (const auto& [k, v] : entry.as_object()) {
    if (k == "from") {
      from = &v;
    } else if (k == "to") {
      to = &v;
    } else {
      check->Add(RenderPath(PathNode{&node, k, std::nullopt}), "unknown_field",
                 "a change has only \"from\" and \"to\"");
    }
  }
  for (const auto& [name, v] : {std::pair{"from", from}, std::pair{"to", to}}) {
    const PathNode child{&node, name, std::nullopt};
    if (v == nullptr) {
      check->Add(RenderPath(child), "required", "a change records both sides (null if none)");
    } else {
      check->WalkFree(*v, child, 4);
    }
  }
}

}  // namespace

void CheckChanges(const EventFields& f, FieldChecker* check, Event* e) {
  const bool has_snapshots = f.before != nullptr || f.after != nullptr;
  if (f.changes != nullptr && has_snapshots) {
    check->Add("changes", "conflicting_fields", "send either changes or before/after, not both");
    return;
  }
  if ((f.before == nullptr) != (f.after == nullptr)) {
    check->Add(f.before != nullptr ? "before" : "after", "conflicting_fields",
               "before and after come together");
    return;
  }
  if (has_snapshots) {
    if (CheckSnapshots(f, check)) e->changes = DiffObjects(*f.before, *f.after);
    return;
  }
  if (f.changes == nullptr) return;
  if (!f.changes->is_object()) {
    check->Add("changes", "invalid_type",
               std::string("must be an object, not ") + Json::TypeName(f.changes->type()));
    return;
  }
  const std::size_t before = check->problems();
  const PathNode root{nullptr, "changes", std::nullopt};
  for (const auto& [key, entry] : f.changes->as_object()) CheckEntry(key, entry, root, check);
  if (check->problems() == before) e->changes = *f.changes;
}

}  // namespace actlog::internal
