// Json: a small owned JSON value, and the two ways actlog turns text into it and back.
//
// simdjson only parses, so actlog keeps its own value type for what it must build and
// rewrite: events, `changes`, `metadata`, canonical bytes. Objects keep insertion order
// (keys are unique: the parser rejects duplicates, as I-JSON asks). Numbers are IEEE
// doubles, as RFC 8785 requires; integers beyond 2^53 lose precision by that contract.
//
// Not thread-safe for concurrent mutation; const access from many threads is fine.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "actlog/status.h"

namespace actlog {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Array = std::vector<Json>;
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;

  Json() = default;  // null
  static Json Null() { return Json(); }
  static Json Bool(bool b);
  static Json Number(double d);
  static Json String(std::string s);
  static Json MakeArray(Array items = {});
  static Json MakeObject(Object members = {});

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kNumber; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // REQUIRES: the matching type.
  bool as_bool() const { return std::get<bool>(v_); }
  double as_number() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object member lookup; nullptr if absent or not an object.
  const Json* Find(std::string_view key) const;
  // Sets (replacing or appending) an object member. REQUIRES: is_object().
  void Set(std::string key, Json value);

  // Structural equality (objects compare as unordered maps).
  bool operator==(const Json& other) const;

  static const char* TypeName(Type t);  // "null", "boolean", "number", ...

 private:
  std::variant<std::monostate, bool, double, std::string, Array, Object> v_;
};

struct JsonParseOptions {
  // Nesting deeper than this is rejected (error_code "too_deep"); a guard for the parser,
  // the event's own depth limit of 8 is checked by validation with field paths.
  std::size_t max_depth = 64;
};

// Parses one JSON text with simdjson. Rejects invalid UTF-8 ("invalid_utf8"), malformed
// JSON ("malformed_json"), duplicate object keys ("duplicate_key"), trailing content,
// and non-finite numbers. The message says where.
StatusOr<Json> ParseJson(std::string_view text, const JsonParseOptions& options = {});

// RFC 8785 (JSON Canonicalization Scheme): members sorted by their keys' UTF-16 code
// units, no insignificant whitespace, strings escaped minimally, numbers formatted as
// ECMAScript's Number.prototype.toString. The output is what actlog hashes.
std::string CanonicalJson(const Json& value);
void AppendCanonicalJson(const Json& value, std::string* out);

// ECMAScript Number.prototype.toString for a finite double (RFC 8785 §3.2.2.3).
std::string FormatJsonNumber(double d);

// Appends `s` as a JSON string literal (RFC 8785 escaping). REQUIRES: valid UTF-8.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace actlog
