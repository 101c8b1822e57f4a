#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actlog/json.h"

namespace actlog {
namespace {

const std::filesystem::path kVectorDir = std::filesystem::path(ACTLOG_TESTDATA_DIR) / "rfc8785";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double FromBits(std::uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

std::string CanonicalOf(std::string_view text) {
  StatusOr<Json> j = ParseJson(text);
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  return j.ok() ? CanonicalJson(*j) : "";
}

TEST(CanonicalJson, MatchesEveryPublishedRfc8785Vector) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kVectorDir / "input")) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    std::string expected = ReadFile(kVectorDir / "output" / name);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(CanonicalOf(ReadFile(entry.path())), expected);
    // Canonical output is a fixed point.
    EXPECT_EQ(CanonicalOf(expected), expected);
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

TEST(FormatJsonNumber, MatchesRfc8785AppendixB) {
  std::ifstream in(kVectorDir / "appendix-b.csv");
  ASSERT_TRUE(in) << "missing appendix-b.csv";
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("bits,", 0) == 0) continue;
    std::size_t comma = line.find(',');
    ASSERT_NE(comma, std::string::npos) << line;
    std::uint64_t bits = std::strtoull(line.substr(0, comma).c_str(), nullptr, 16);
    std::string expected = line.substr(comma + 1);
    EXPECT_EQ(FormatJsonNumber(FromBits(bits)), expected) << "bits " << line.substr(0, comma);
    ++rows;
  }
  EXPECT_EQ(rows, 24);
}

TEST(FormatJsonNumber, LaysOutDigitsAsEcmaScript) {
  EXPECT_EQ(FormatJsonNumber(1), "1");
  EXPECT_EQ(FormatJsonNumber(-1.5), "-1.5");
  EXPECT_EQ(FormatJsonNumber(100), "100");
  EXPECT_EQ(FormatJsonNumber(0.1), "0.1");
  EXPECT_EQ(FormatJsonNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatJsonNumber(123.456), "123.456");
  EXPECT_EQ(FormatJsonNumber(1e20), "100000000000000000000");
  EXPECT_EQ(FormatJsonNumber(1e21), "1e+21");
  EXPECT_EQ(FormatJsonNumber(1.5e21), "1.5e+21");
  EXPECT_EQ(FormatJsonNumber(-1e300), "-1e+300");
  EXPECT_EQ(FormatJsonNumber(1e-6), "0.000001");
  EXPECT_EQ(FormatJsonNumber(1.25e-6), "0.00000125");
  EXPECT_EQ(FormatJsonNumber(1e-7), "1e-7");
  EXPECT_EQ(FormatJsonNumber(-1.5e-7), "-1.5e-7");
  EXPECT_EQ(FormatJsonNumber(4.35), "4.35");
  EXPECT_EQ(FormatJsonNumber(2e-3), "0.002");
}

TEST(FormatJsonNumber, NegativeZeroIsZero) { EXPECT_EQ(FormatJsonNumber(-0.0), "0"); }

TEST(FormatJsonNumber, NonFiniteBecomesNullRatherThanInvalidJson) {
  EXPECT_EQ(FormatJsonNumber(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(FormatJsonNumber(-std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(FormatJsonNumber(std::numeric_limits<double>::quiet_NaN()), "null");
}

// Significant digits of a FormatJsonNumber result (leading zeros of 0.000ddd excluded).
int SignificantDigits(const std::string& s) {
  std::string mantissa = s.substr(0, s.find('e'));
  std::string digits;
  for (char c : mantissa) {
    if (c >= '0' && c <= '9') digits += c;
  }
  std::size_t first = digits.find_first_not_of('0');
  std::size_t last = digits.find_last_not_of('0');
  // Integers written in full (up to 1e21) end in zeros that are not significant.
  return first == std::string::npos ? 1 : static_cast<int>(last - first + 1);
}

// For random doubles: the output reads back (strtod and ParseJson) to the same double,
// no decimal with fewer significant digits does, and the exponent form is used exactly
// outside [1e-6, 1e21).
TEST(FormatJsonNumber, RoundTripsAndIsShortestForRandomDoubles) {
  std::mt19937_64 rng(20260601);
  std::uniform_int_distribution<int> decade(-12, 25);
  constexpr int kSamples = 300000;
  for (int i = 0; i < kSamples; ++i) {
    double d;
    if (i % 2 == 0) {  // any bit pattern: mostly huge and tiny magnitudes
      d = FromBits(rng());
      if (!std::isfinite(d)) continue;
    } else {  // the plain-notation range and its edges
      d = std::ldexp(static_cast<double>(rng() >> 11), -53) * std::pow(10.0, decade(rng));
      if (rng() & 1) d = -d;
    }
    const std::string s = FormatJsonNumber(d);
    ASSERT_EQ(std::strtod(s.c_str(), nullptr), d) << s;
    if (d == 0) continue;
    const int k = SignificantDigits(s);
    if (k > 1) {
      char shorter[64];
      std::snprintf(shorter, sizeof shorter, "%.*e", k - 2, d);
      ASSERT_NE(std::strtod(shorter, nullptr), d) << s << " is not the shortest: " << shorter;
    }
    const bool plain = std::fabs(d) >= 1e-6 && std::fabs(d) < 1e21;
    ASSERT_EQ(s.find('e') == std::string::npos, plain) << s;
    if (i % 10 == 1) {
      StatusOr<Json> parsed = ParseJson(s);
      ASSERT_TRUE(parsed.ok()) << s << ": " << parsed.status().ToString();
      ASSERT_EQ(parsed->as_number(), d) << s;
    }
  }
}

TEST(CanonicalJson, SortsKeysByUtf16CodeUnitsNotCodePoints) {
  // U+10000 is D800 DC00 in UTF-16, so it sorts after U+D7FF and before U+E000, though
  // its code point (and UTF-8 bytes) are above U+FFFF.
  Json o = Json::MakeObject({
      {"\xEF\xBF\xBF", Json::Number(5)},      // U+FFFF
      {"\xEE\x80\x80", Json::Number(4)},      // U+E000
      {"\xF0\x9F\x98\x80", Json::Number(3)},  // U+1F600
      {"\xF0\x90\x80\x80", Json::Number(2)},  // U+10000
      {"\xED\x9F\xBF", Json::Number(1)},      // U+D7FF
      {"ab", Json::Number(0.5)},
      {"a", Json::Number(0)},
  });
  EXPECT_EQ(CanonicalJson(o),
            "{\"a\":0,\"ab\":0.5,\"\xED\x9F\xBF\":1,\"\xF0\x90\x80\x80\":2,"
            "\"\xF0\x9F\x98\x80\":3,\"\xEE\x80\x80\":4,\"\xEF\xBF\xBF\":5}");
}

TEST(CanonicalJson, SortsLargeObjectsToo) {
  Json::Object members;
  for (int i = 39; i >= 0; --i) {
    members.emplace_back(std::string(1, static_cast<char>('0' + i)), Json::Number(i));
  }
  members.emplace_back("\xEF\xAC\xB3", Json::Null());      // U+FB33
  members.emplace_back("\xF0\x9F\x98\x82", Json::Null());  // U+1F602
  std::string out = CanonicalJson(Json::MakeObject(members));
  std::string expected = "{";
  for (int i = 0; i < 40; ++i) {
    expected.append(1, '"').append(1, static_cast<char>('0' + i)).append("\":");
    expected.append(std::to_string(i)).append(1, ',');
  }
  expected += "\"\xF0\x9F\x98\x82\":null,\"\xEF\xAC\xB3\":null}";
  EXPECT_EQ(out, expected);
}

TEST(CanonicalJson, SortsNestedObjectsAndKeepsArrayOrder) {
  EXPECT_EQ(CanonicalOf(R"({"b":[3,{"z":1,"y":[{"d":0,"c":0}]},1],"a":{}})"),
            R"({"a":{},"b":[3,{"y":[{"c":0,"d":0}],"z":1},1]})");
}

TEST(AppendJsonString, EscapesOnlyWhatRfc8785Requires) {
  std::string all_controls;
  for (int c = 0; c < 0x20; ++c) all_controls.push_back(static_cast<char>(c));
  std::string out;
  AppendJsonString(all_controls + "\"\\/\x7F\xC3\xA9\xF0\x9F\x98\x80<>&'", &out);
  EXPECT_EQ(out,
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
            "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
            "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\x7F\xC3\xA9"
            "\xF0\x9F\x98\x80<>&'\"");
}

// A byte-at-a-time statement of the escaping rules, to check the word-at-a-time writer
// at every offset within and across its eight-byte steps.
std::string ReferenceEscape(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

TEST(AppendJsonString, EscapesAtEveryOffset) {
  const unsigned char specials[] = {0x00, 0x01, 0x08, 0x1F, '"', '\\', 0x20, 0x21, 0x5B, 0x5D,
                                    0x7F, 0x80, 0xA2, 0xDC, 0xFF};
  for (std::size_t len = 1; len <= 40; ++len) {
    for (std::size_t pos = 0; pos < len; ++pos) {
      for (unsigned char c : specials) {
        std::string s(len, 'a');
        s[pos] = static_cast<char>(c);
        if (pos + 9 < len) s[pos + 9] = '\n';  // a second escape in a later word
        std::string out;
        AppendJsonString(s, &out);
        ASSERT_EQ(out, ReferenceEscape(s)) << "len " << len << " pos " << pos << " byte " << int{c};
      }
    }
  }
}

TEST(AppendCanonicalJson, AppendsWithoutClearing) {
  std::string out = "prefix:";
  AppendCanonicalJson(Json::MakeArray({Json::Bool(true), Json::Null(), Json::String("x")}), &out);
  EXPECT_EQ(out, "prefix:[true,null,\"x\"]");
}

TEST(CanonicalJson, MemberOrderOfInputDoesNotMatter) {
  EXPECT_EQ(CanonicalOf(R"({"x":1,"y":{"p":true,"q":false}})"),
            CanonicalOf(R"({"y":{"q":false,"p":true},"x":1.0})"));
}

}  // namespace
}  // namespace actlog
