// RFC 8785 (JSON Canonicalization Scheme) serialisation. On the ingest hot path: no
// allocation per value beyond growing `out`, and objects with up to kInlineMembers
// members sort an on-stack array of pointers.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/json.h"

namespace actlog {
namespace {

// Writes Number.prototype.toString(d) for a finite, non-zero d into buf and returns the
// end. `std::to_chars` gives the shortest digits that round-trip (closest to d when
// several are as short), which is what ECMAScript's algorithm picks; the layout below
// is ECMA-262 §6.1.6.1.20 (Number::toString) steps 5 to 10.
char* WriteNumber(double d, char* buf) {
  char* out = buf;
  if (d < 0) {
    *out++ = '-';
    d = -d;
  }
  char sci[32];
  auto res = std::to_chars(sci, sci + sizeof(sci), d, std::chars_format::scientific);
  // sci is "D[.DDD]e[+-]XX": collect the digits and the decimal exponent.
  char digits[20];
  int k = 0;
  const char* p = sci;
  for (; p < res.ptr && *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  int exponent = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), res.ptr, exponent);
  const int n = exponent + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {     // integer: digits, then zeros
    std::memcpy(out, digits, k);
    out += k;
    std::memset(out, '0', n - k);
    return out + (n - k);
  }
  if (0 < n && n <= 21) {  // point inside the digits
    std::memcpy(out, digits, n);
    out += n;
    *out++ = '.';
    std::memcpy(out, digits + n, k - n);
    return out + (k - n);
  }
  if (-6 < n && n <= 0) {  // 0.000ddd
    *out++ = '0';
    *out++ = '.';
    std::memset(out, '0', -n);
    out += -n;
    std::memcpy(out, digits, k);
    return out + k;
  }
  *out++ = digits[0];  // exponent form: d[.ddd]e+x / e-x
  if (k > 1) {
    *out++ = '.';
    std::memcpy(out, digits + 1, k - 1);
    out += k - 1;
  }
  *out++ = 'e';
  *out++ = (n - 1 < 0) ? '-' : '+';
  return std::to_chars(out, out + 8, std::abs(n - 1)).ptr;
}

void AppendNumber(double d, std::string* out) {
  if (!std::isfinite(d)) {
    // Not representable (RFC 8785 forbids it); ParseJson never yields one. Written as
    // null, as ECMAScript's JSON.stringify does, rather than emitting invalid JSON.
    out->append("null");
    return;
  }
  if (d == 0) {  // also -0
    out->push_back('0');
    return;
  }
  char buf[40];
  out->append(buf, WriteNumber(d, buf));
}

// Orders keys by their UTF-16 code units (RFC 8785 §3.2.3). For valid UTF-8, byte order
// is code point order, and that differs from UTF-16 order in one way only: characters
// at or above U+10000 (lead byte F0..F4, surrogate pairs in UTF-16) come before
// U+E000..U+FFFF (lead byte EE or EF). The first differing byte of two keys with a
// common prefix is either both lead bytes or both continuation bytes of characters of
// the same length, so only the lead-byte case needs the correction.
bool Utf16Less(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size();
  const auto ca = static_cast<unsigned char>(a[i]);
  const auto cb = static_cast<unsigned char>(b[i]);
  const bool a_astral = ca >= 0xF0, b_astral = cb >= 0xF0;
  const bool a_high_bmp = ca == 0xEE || ca == 0xEF, b_high_bmp = cb == 0xEE || cb == 0xEF;
  if (a_astral && b_high_bmp) return true;
  if (b_astral && a_high_bmp) return false;
  return ca < cb;
}

// True if any byte of the eight in `word` must be escaped: below 0x20, '"' or '\\'.
// Each test is the classic "some byte is zero / below n" bit trick, exact as a yes/no.
bool WordNeedsEscape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;
  return (below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0;
}

constexpr std::size_t kInlineMembers = 16;

bool MemberLess(const Json::Member* x, const Json::Member* y) {
  return Utf16Less(x->first, y->first);
}

void AppendValue(const Json& value, std::string* out);

void AppendMembers(const Json::Member* const* begin, const Json::Member* const* end,
                   std::string* out) {
  out->push_back('{');
  for (const Json::Member* const* m = begin; m != end; ++m) {
    if (m != begin) out->push_back(',');
    AppendJsonString((*m)->first, out);
    out->push_back(':');
    AppendValue((*m)->second, out);
  }
  out->push_back('}');
}

void AppendObject(const Json::Object& members, std::string* out) {
  if (members.size() <= kInlineMembers) {
    std::array<const Json::Member*, kInlineMembers> sorted;
    for (std::size_t i = 0; i < members.size(); ++i) sorted[i] = &members[i];
    auto* end = sorted.data() + members.size();
    if (!std::is_sorted(sorted.data(), end, MemberLess)) std::sort(sorted.data(), end, MemberLess);
    AppendMembers(sorted.data(), end, out);
    return;
  }
  std::vector<const Json::Member*> sorted;
  sorted.reserve(members.size());
  for (const Json::Member& m : members) sorted.push_back(&m);
  std::sort(sorted.begin(), sorted.end(), MemberLess);
  AppendMembers(sorted.data(), sorted.data() + sorted.size(), out);
}

void AppendValue(const Json& value, std::string* out) {
  switch (value.type()) {
    case Json::Type::kNull:
      out->append("null");
      return;
    case Json::Type::kBool:
      out->append(value.as_bool() ? "true" : "false");
      return;
    case Json::Type::kNumber:
      AppendNumber(value.as_number(), out);
      return;
    case Json::Type::kString:
      AppendJsonString(value.as_string(), out);
      return;
    case Json::Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Json& item : value.as_array()) {
        if (!first) out->push_back(',');
        first = false;
        AppendValue(item, out);
      }
      out->push_back(']');
      return;
    }
    case Json::Type::kObject:
      AppendObject(value.as_object(), out);
      return;
  }
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const std::size_t n = s.size();
  std::size_t run = 0;  // start of the pending run of bytes copied as they are
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {  // skip eight plain bytes at a time
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (!WordNeedsEscape(word)) {
        i += 8;
        continue;
      }
    }
    for (const std::size_t stop = std::min(i + 8, n); i < stop; ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out->append(s.data() + run, i - run);
      run = i + 1;
      char esc[6] = {'\\', 0, 0, 0, 0, 0};
      std::size_t len = 2;
      switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
          esc[1] = 'u';
          esc[2] = '0';
          esc[3] = '0';
          esc[4] = kHex[c >> 4];
          esc[5] = kHex[c & 0xF];
          len = 6;
      }
      out->append(esc, len);
    }
  }
  out->append(s.data() + run, n - run);
  out->push_back('"');
}

std::string FormatJsonNumber(double d) {
  std::string out;
  AppendNumber(d, &out);
  return out;
}

void AppendCanonicalJson(const Json& value, std::string* out) { AppendValue(value, out); }

std::string CanonicalJson(const Json& value) {
  std::string out;
  AppendValue(value, &out);
  return out;
}

}  // namespace actlog
