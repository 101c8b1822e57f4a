// The Json value type: construction, member lookup and structural equality.
#include <algorithm>
#include <string_view>
#include <utility>

#include "actlog/json.h"

namespace actlog {

Json Json::Bool(bool b) {
  Json j;
  j.v_ = b;
  return j;
}

Json Json::Number(double d) {
  Json j;
  j.v_ = d;
  return j;
}

Json Json::String(std::string s) {
  Json j;
  j.v_ = std::move(s);
  return j;
}

Json Json::MakeArray(Array items) {
  Json j;
  j.v_ = std::move(items);
  return j;
}

Json Json::MakeObject(Object members) {
  Json j;
  j.v_ = std::move(members);
  return j;
}

const Json* Json::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Member& m : as_object()) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

void Json::Set(std::string key, Json value) {
  Object& members = as_object();
  for (Member& m : members) {
    if (m.first == key) {
      m.second = std::move(value);
      return;
    }
  }
  members.emplace_back(std::move(key), std::move(value));
}

namespace {

// Objects compare as maps: same size and every member of `a` present in `b` with an
// equal value. Keys are unique, so equal sizes make the inclusion an equality.
bool ObjectsEqual(const Json::Object& a, const Json::Object& b) {
  if (a.size() != b.size()) return false;
  // Same order is the common case (both sides built the same way): try it first.
  bool same_order = true;
  for (std::size_t i = 0; i < a.size() && same_order; ++i) {
    if (a[i].first != b[i].first) same_order = false;
    else if (!(a[i].second == b[i].second)) return false;
  }
  if (same_order) return true;
  for (const Json::Member& m : a) {
    auto it = std::find_if(b.begin(), b.end(),
                           [&](const Json::Member& n) { return n.first == m.first; });
    if (it == b.end() || !(it->second == m.second)) return false;
  }
  return true;
}

}  // namespace

bool Json::operator==(const Json& other) const {
  if (type() != other.type()) return false;
  switch (type()) {
    case Type::kNull:
      return true;
    case Type::kBool:
      return as_bool() == other.as_bool();
    case Type::kNumber:
      return as_number() == other.as_number();
    case Type::kString:
      return as_string() == other.as_string();
    case Type::kArray:
      return as_array() == other.as_array();
    case Type::kObject:
      return ObjectsEqual(as_object(), other.as_object());
  }
  return false;
}

const char* Json::TypeName(Type t) {
  switch (t) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kNumber:
      return "number";
    case Type::kString:
      return "string";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "unknown";
}

}  // namespace actlog
