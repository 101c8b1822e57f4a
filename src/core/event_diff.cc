// DiffObjects: the field-level `changes` of an event from a producer's before/after.
//
// Objects present on both sides are compared member by member under dotted paths
// ("address.city"); anything else (arrays, scalars, an object facing a non-object) is
// compared whole. A member only in `before` changes to null, one only in `after` comes
// from null. Output order: `before`'s members in its order, then members new in `after`;
// the canonical form sorts them anyway. A key that itself contains '.' makes its path
// ambiguous; the values are still recorded exactly.
#include <string>
#include <utility>

#include "actlog/event.h"

namespace actlog {
namespace {

std::string Join(const std::string& prefix, const std::string& key) {
  if (prefix.empty()) return key;
  std::string out;
  out.reserve(prefix.size() + 1 + key.size());
  out.append(prefix).push_back('.');
  out.append(key);
  return out;
}

void AddChange(std::string path, const Json& from, const Json& to, Json::Object* out) {
  Json::Object change;
  change.emplace_back("from", from);
  change.emplace_back("to", to);
  out->emplace_back(std::move(path), Json::MakeObject(std::move(change)));
}

// REQUIRES: before.is_object() && after.is_object().
void Diff(const Json& before, const Json& after, const std::string& prefix, Json::Object* out) {
  for (const auto& [key, old_value] : before.as_object()) {
    const Json* new_value = after.Find(key);
    if (new_value == nullptr) {
      AddChange(Join(prefix, key), old_value, Json::Null(), out);
    } else if (old_value.is_object() && new_value->is_object()) {
      Diff(old_value, *new_value, Join(prefix, key), out);
    } else if (!(old_value == *new_value)) {
      AddChange(Join(prefix, key), old_value, *new_value, out);
    }
  }
  for (const auto& [key, new_value] : after.as_object()) {
    if (before.Find(key) == nullptr) AddChange(Join(prefix, key), Json::Null(), new_value, out);
  }
}

}  // namespace

Json DiffObjects(const Json& before, const Json& after) {
  Json::Object out;
  if (!before.is_object() || !after.is_object()) {
    // Not the documented input; record the whole change rather than lose it.
    if (!(before == after)) AddChange("", before, after, &out);
    return Json::MakeObject(std::move(out));
  }
  Diff(before, after, "", &out);
  return Json::MakeObject(std::move(out));
}

}  // namespace actlog
