// ParseJson: simdjson's DOM parser, then a walk that copies the tape into a Json while
// enforcing what simdjson does not: unique keys, a nesting limit, and numbers that fit a
// double (simdjson rejects integers beyond 64 bits, which a double holds; see
// RewriteBigIntegers).
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/json.h"
#include "core/json_syntax.h"
#include "core/json_tree.h"

namespace actlog {
namespace {

using json_internal::DescribeJsonSyntaxError;
using json_internal::IsJsonNumber;

// One parser per thread: it keeps its buffers between calls, which is most of
// simdjson's speed on small documents.
simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

std::string Quote(std::string_view s, std::size_t limit = 40) {
  std::string out = "\"";
  out.append(s.substr(0, limit));
  if (s.size() > limit) out += "...";
  out += '"';
  return out;
}

// Byte offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlongs, no surrogates, nothing above U+10FFFF); text.size() if all is well.
std::size_t FirstInvalidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return n;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True if a grammatical JSON number is too large in magnitude for a double. (Too small
// is fine: it rounds to zero, as simdjson and strtod do.)
bool Overflows(std::string_view tok) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), value);
  if (ec != std::errc::result_out_of_range) return false;
  // Out of range either way; decide by the decimal magnitude: position of the first
  // significant digit relative to the point, plus the exponent.
  long magnitude = 0;
  std::size_t i = (tok[0] == '-') ? 1 : 0;
  bool seen_significant = false, after_point = false;
  for (; i < tok.size() && tok[i] != 'e' && tok[i] != 'E'; ++i) {
    if (tok[i] == '.') {
      after_point = true;
    } else if (!seen_significant && tok[i] != '0') {
      seen_significant = true;
      if (after_point) break;
    }
    if (IsDigit(tok[i]) && !after_point && seen_significant) ++magnitude;
    if (after_point && !seen_significant) --magnitude;
  }
  std::size_t e = tok.find_first_of("eE");
  if (e != std::string_view::npos) {
    bool negative = tok[e + 1] == '-';
    long exponent = 0;
    for (std::size_t k = e + 1; k < tok.size(); ++k) {
      if (IsDigit(tok[k])) exponent = std::min(exponent * 10 + (tok[k] - '0'), 100000L);
    }
    magnitude += negative ? -exponent : exponent;
  }
  return magnitude > 0;
}

bool IsNumberChar(char c) {
  return IsDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// simdjson's DOM answers NUMBER_ERROR without a position, both for bad syntax and for
// integers that do not fit 64 bits. This finds the number tokens itself: a bad one is
// malformed_json, one beyond a double's range is number_out_of_range, and long integers
// (which a double holds, with rounding) are copied into *rewritten with an "e0" suffix
// so that simdjson reads them as doubles. Returns OK if a retry on *rewritten may work.
Status RewriteBigIntegers(std::string_view text, std::string* rewritten) {
  rewritten->clear();
  rewritten->reserve(text.size() + 16);
  bool changed = false;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {  // copy a string through, escapes included
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"') j += (text[j] == '\\') ? 2 : 1;
      j = std::min(j + 1, text.size());
      rewritten->append(text.substr(i, j - i));
      i = j;
      continue;
    }
    if (c != '-' && !IsDigit(c)) {
      rewritten->push_back(c);
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && IsNumberChar(text[j])) ++j;
    std::string_view tok = text.substr(i, j - i);
    bool integer = false;
    if (!IsJsonNumber(tok, &integer)) {
      return InvalidArgument("malformed_json",
                             "invalid number " + Quote(tok) + " at byte " + std::to_string(i));
    }
    if (Overflows(tok)) {
      return InvalidArgument("number_out_of_range", "number " + Quote(tok) + " at byte " +
                                                        std::to_string(i) +
                                                        " is beyond the range of a double");
    }
    rewritten->append(tok);
    std::size_t digits = tok.size() - (tok[0] == '-' ? 1 : 0);
    if (integer && digits >= 19) {
      rewritten->append("e0");
      changed = true;
    }
    i = j;
  }
  if (!changed) return InvalidArgument("malformed_json", "invalid number");
  return Status::Ok();
}

Status FromSimdjsonError(simdjson::error_code error, std::string_view text) {
  using simdjson::error_code;
  switch (error) {
    case error_code::UTF8_ERROR:
      return InvalidArgument("invalid_utf8",
                             "invalid UTF-8 at byte " + std::to_string(FirstInvalidUtf8(text)));
    case error_code::DEPTH_ERROR:
      return InvalidArgument("too_deep", "JSON nesting exceeds the parser's limit");
    case error_code::NUMBER_OUT_OF_RANGE:
      return InvalidArgument("number_out_of_range", "a number does not fit a double");
    case error_code::EMPTY:
      return InvalidArgument("malformed_json", "empty input: no JSON value");
    case error_code::MEMALLOC:
      return Internal("JSON parser could not allocate memory");
    default: {
      std::string where = DescribeJsonSyntaxError(text);
      return InvalidArgument("malformed_json",
                             where.empty() ? simdjson::error_message(error) : where);
    }
  }
}

// Copies a simdjson DOM into a Json, checking depth and key uniqueness on the way.
class Converter {
 public:
  explicit Converter(std::size_t max_depth) : max_depth_(max_depth) {}

  Status Convert(simdjson::dom::element e, std::size_t depth, Json* out) {
    using simdjson::dom::element_type;
    switch (e.type()) {
      case element_type::NULL_VALUE:
        *out = Json::Null();
        return Status::Ok();
      case element_type::BOOL:
        *out = Json::Bool(e.get_bool().value_unsafe());
        return Status::Ok();
      case element_type::INT64:
        *out = Json::Number(static_cast<double>(e.get_int64().value_unsafe()));
        return Status::Ok();
      case element_type::UINT64:
        *out = Json::Number(static_cast<double>(e.get_uint64().value_unsafe()));
        return Status::Ok();
      case element_type::DOUBLE:
        *out = Json::Number(e.get_double().value_unsafe());
        return Status::Ok();
      case element_type::STRING:
        *out = Json::String(std::string(e.get_string().value_unsafe()));
        return Status::Ok();
      case element_type::ARRAY:
        return ConvertArray(e.get_array().value_unsafe(), depth + 1, out);
      case element_type::OBJECT:
        return ConvertObject(e.get_object().value_unsafe(), depth + 1, out);
    }
    return Internal("unknown simdjson element type");
  }

 private:
  Status CheckDepth(std::size_t depth) const {
    if (depth <= max_depth_) return Status::Ok();
    return InvalidArgument("too_deep", "JSON nesting is deeper than " +
                                           std::to_string(max_depth_) + " levels");
  }

  Status ConvertArray(simdjson::dom::array a, std::size_t depth, Json* out) {
    ACTLOG_RETURN_IF_ERROR(CheckDepth(depth));
    Json::Array items;
    items.reserve(a.size());
    for (simdjson::dom::element child : a) {
      items.emplace_back();
      ACTLOG_RETURN_IF_ERROR(Convert(child, depth, &items.back()));
    }
    *out = Json::MakeArray(std::move(items));
    return Status::Ok();
  }

  Status ConvertObject(simdjson::dom::object o, std::size_t depth, Json* out) {
    ACTLOG_RETURN_IF_ERROR(CheckDepth(depth));
    Json::Object members;
    members.reserve(o.size());
    for (simdjson::dom::key_value_pair kv : o) {
      members.emplace_back(std::string(kv.key), Json());
      ACTLOG_RETURN_IF_ERROR(Convert(kv.value, depth, &members.back().second));
    }
    ACTLOG_RETURN_IF_ERROR(CheckUniqueKeys(members));
    *out = Json::MakeObject(std::move(members));
    return Status::Ok();
  }

  static Status DuplicateKey(std::string_view key) {
    return InvalidArgument("duplicate_key", "duplicate object key " + Quote(key, 200));
  }

  // Pairwise for the usual small objects; sorting views beyond that.
  static Status CheckUniqueKeys(const Json::Object& members) {
    constexpr std::size_t kPairwiseLimit = 16;
    if (members.size() <= kPairwiseLimit) {
      for (std::size_t i = 1; i < members.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (members[i].first == members[j].first) return DuplicateKey(members[i].first);
        }
      }
      return Status::Ok();
    }
    std::vector<std::string_view> keys;
    keys.reserve(members.size());
    for (const Json::Member& m : members) keys.push_back(m.first);
    std::sort(keys.begin(), keys.end());
    auto dup = std::adjacent_find(keys.begin(), keys.end());
    if (dup != keys.end()) return DuplicateKey(*dup);
    return Status::Ok();
  }

  std::size_t max_depth_;
};

// Inputs up to this size are copied into a per-thread padded buffer that is kept between
// calls (one allocation per thread, not per call); larger ones get a buffer of their own
// so that a thread does not hold on to the memory of its largest input.
constexpr std::size_t kRetainedBufferBytes = 1 << 20;

StatusOr<Json> ParseOnce(std::string_view text, const JsonParseOptions& options,
                         simdjson::error_code* error) {
  simdjson::dom::element root;
  *error = json_internal::ParseTree(text, &root);
  if (*error != simdjson::SUCCESS) return FromSimdjsonError(*error, text);
  Json out;
  ACTLOG_RETURN_IF_ERROR(Converter(options.max_depth).Convert(root, 0, &out));
  return out;
}

}  // namespace

namespace json_internal {

// The tree's strings live in the parser's own buffer, so the input copy may be reused
// (or freed) once parse() returns.
simdjson::error_code ParseTree(std::string_view text, simdjson::dom::element* root) {
  simdjson::dom::parser& parser = ThreadParser();
  const std::size_t padded_size = text.size() + simdjson::SIMDJSON_PADDING;
  thread_local std::string retained;
  std::string oversized;
  std::string& buffer = padded_size <= kRetainedBufferBytes ? retained : oversized;
  if (buffer.size() < padded_size) buffer.resize(padded_size);
  // simdjson may read (never use) the padding; zero it as simdjson::padded_string does.
  std::fill(std::copy(text.begin(), text.end(), buffer.begin()), buffer.begin() + padded_size,
            '\0');
  return parser.parse(buffer.data(), text.size(), /*realloc_if_needed=*/false).get(*root);
}

Status TreeToJson(simdjson::dom::element element, std::size_t depth,
                  const JsonParseOptions& options, Json* out) {
  return Converter(options.max_depth).Convert(element, depth, out);
}

}  // namespace json_internal

StatusOr<Json> ParseJson(std::string_view text, const JsonParseOptions& options) {
  simdjson::error_code error = simdjson::SUCCESS;
  StatusOr<Json> result = ParseOnce(text, options, &error);
  if (error != simdjson::NUMBER_ERROR) return result;
  std::string rewritten;
  ACTLOG_RETURN_IF_ERROR(RewriteBigIntegers(text, &rewritten));
  return ParseOnce(rewritten, options, &error);
}

}  // namespace actlog
