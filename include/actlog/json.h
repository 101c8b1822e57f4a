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
  std::string& as_string() { return std::get<std::string>(v_); }
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
  // the event's own depth limit of 8 is checked by validation with field paths. A
  // top-level array or object is depth 1, so 0 allows only scalars. simdjson itself
  // stops at 1024 levels, whatever this says.
  std::size_t max_depth = 64;
};

// Parses one JSON text (RFC 8259, surrounding whitespace allowed) with simdjson.
// Numbers become doubles: integers beyond 2^53 are rounded, integers beyond 64 bits are
// accepted too (canonical output writes doubles below 1e21 in full, and must read back),
// magnitudes below the smallest double become 0.
//
// Errors, all StatusCode::kInvalidArgument, with these error_code strings:
//   "invalid_utf8"         not UTF-8 (overlongs, encoded surrogates, > U+10FFFF, cut
//                          sequences); the message gives the byte offset
//   "malformed_json"       any syntax error: bad token, missing ',' or ':', unterminated
//                          or badly escaped string, unpaired \u surrogate escape, raw
//                          control character in a string, trailing content, empty input,
//                          NaN/Infinity; the message says what was expected at which byte
//   "duplicate_key"        two members of one object with the same (unescaped) key; the
//                          message quotes the key
//   "too_deep"             nesting beyond options.max_depth (or simdjson's 1024)
//   "number_out_of_range"  a number whose magnitude overflows a double (e.g. 1e400); the
//                          message quotes it and gives the byte offset
// and StatusCode::kInternal ("internal") only if memory cannot be allocated.
//
// Thread-safe: each thread uses its own simdjson parser and input buffer, kept between
// calls (the buffer is only kept for inputs up to 1 MiB).
StatusOr<Json> ParseJson(std::string_view text, const JsonParseOptions& options = {});

// RFC 8785 (JSON Canonicalization Scheme): members sorted by their keys' UTF-16 code
// units, no insignificant whitespace, strings escaped minimally, numbers formatted as
// ECMAScript's Number.prototype.toString. The output is what actlog hashes. Thread-safe;
// allocates nothing beyond growing `out`, except for objects of more than 16 members
// (which sort a vector of member pointers).
std::string CanonicalJson(const Json& value);
void AppendCanonicalJson(const Json& value, std::string* out);

// ECMAScript Number.prototype.toString for a finite double (RFC 8785 §3.2.2.3): the
// shortest digits that read back to `d`, written in full from 1e-6 up to 1e21, with an
// exponent ("1e-7", "1.5e+21") outside that range; -0 is "0". RFC 8785 makes NaN and the
// infinities an error; this writes "null" for them (as JSON.stringify does) rather than
// invalid JSON. ParseJson never produces them.
std::string FormatJsonNumber(double d);

// Appends `s` as a JSON string literal (RFC 8785 escaping): \b \f \n \r \t \" \\,
// other controls below U+0020 as \u00xx (lowercase hex), every other byte as it is
// ('/' and U+007F included). REQUIRES: valid UTF-8 (bytes are copied, not checked).
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace actlog
