#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "actlog/json.h"
#include "core/json_syntax.h"

namespace actlog {
namespace {

std::string ErrorCodeOf(std::string_view text, JsonParseOptions options = {}) {
  StatusOr<Json> r = ParseJson(text, options);
  if (r.ok()) return "ok";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
  return r.status().error_code();
}

TEST(ParseJson, ReadsEveryValueType) {
  StatusOr<Json> r =
      ParseJson(R"({"n":null,"t":true,"f":false,"i":-42,"d":2.5,"s":"a\u00e9\n","a":[1,[]],"o":{}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Json& j = *r;
  ASSERT_TRUE(j.is_object());
  EXPECT_TRUE(j.Find("n")->is_null());
  EXPECT_TRUE(j.Find("t")->as_bool());
  EXPECT_FALSE(j.Find("f")->as_bool());
  EXPECT_EQ(j.Find("i")->as_number(), -42.0);
  EXPECT_EQ(j.Find("d")->as_number(), 2.5);
  EXPECT_EQ(j.Find("s")->as_string(), "a\xC3\xA9\n");
  ASSERT_EQ(j.Find("a")->as_array().size(), 2u);
  EXPECT_TRUE(j.Find("a")->as_array()[1].is_array());
  EXPECT_TRUE(j.Find("o")->is_object());
}

TEST(ParseJson, KeepsMemberOrder) {
  StatusOr<Json> r = ParseJson(R"({"b":1,"a":2,"c":3})");
  ASSERT_TRUE(r.ok());
  const Json::Object& o = r->as_object();
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].first, "b");
  EXPECT_EQ(o[1].first, "a");
  EXPECT_EQ(o[2].first, "c");
}

TEST(ParseJson, IntegersBecomeDoubles) {
  StatusOr<Json> r = ParseJson("[9007199254740993, 18446744073709551615, -9223372036854775808]");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->as_array()[0].as_number(), 9007199254740992.0);
  EXPECT_EQ(r->as_array()[1].as_number(), 18446744073709551616.0);
  EXPECT_EQ(r->as_array()[2].as_number(), -9223372036854775808.0);
}

TEST(ParseJson, AcceptsIntegersBeyondSixtyFourBitsAsRoundedDoubles) {
  // Canonical output writes doubles up to 1e21 in full, so these must read back.
  StatusOr<Json> r =
      ParseJson(R"({"x":[295147905179352830000, -123456789012345678901234567890, 1e308]})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Json::Array& a = r->Find("x")->as_array();
  EXPECT_EQ(a[0].as_number(), 295147905179352830000.0);
  EXPECT_EQ(a[1].as_number(), -123456789012345678901234567890.0);
  EXPECT_EQ(a[2].as_number(), 1e308);
}

TEST(ParseJson, RejectsNumbersBeyondDoubleRange) {
  EXPECT_EQ(ErrorCodeOf("1e400"), "number_out_of_range");
  EXPECT_EQ(ErrorCodeOf("[-1.5e309]"), "number_out_of_range");
  EXPECT_EQ(ErrorCodeOf("[1" + std::string(400, '0') + "]"), "number_out_of_range");
  StatusOr<Json> r = ParseJson(R"({"a": 1e999})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("1e999"), std::string::npos) << r.status().message();
}

TEST(ParseJson, TinyNumbersRoundToZero) {
  StatusOr<Json> r = ParseJson("[1e-400, -0.0]");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->as_array()[0].as_number(), 0.0);
  EXPECT_TRUE(std::signbit(r->as_array()[1].as_number()));
}

TEST(ParseJson, RejectsInvalidUtf8AndSaysWhere) {
  StatusOr<Json> r = ParseJson("[\"ok\", \"bad \xFF\"]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "invalid_utf8");
  EXPECT_NE(r.status().message().find("byte 12"), std::string::npos) << r.status().message();
  EXPECT_EQ(ErrorCodeOf("\"\xC0\xAF\""), "invalid_utf8");      // overlong '/'
  EXPECT_EQ(ErrorCodeOf("\"\xED\xA0\x80\""), "invalid_utf8");  // encoded surrogate
  EXPECT_EQ(ErrorCodeOf("\"\xF4\x90\x80\x80\""), "invalid_utf8");  // above U+10FFFF
  EXPECT_EQ(ErrorCodeOf("\"\xE2\x82\""), "invalid_utf8");          // truncated
}

TEST(ParseJson, RejectsMalformedJson) {
  for (std::string_view bad :
       {"", "   ", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "nul", "tru", "\"open",
        "01", "1.", "-", ".5", "+1", "1e", "[NaN]", "[Infinity]", "{'a':1}", "\"\\x\"",
        "\"\\ud800\"", "\"tab\there\"", "[1]x", "1 2", "{}{}"}) {
    EXPECT_EQ(ErrorCodeOf(bad), "malformed_json") << "input: " << bad;
  }
}

TEST(ParseJson, MalformedJsonMessageSaysWhatAndWhere) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {R"({"a" 1})", "expected ':' after an object key at byte 5"},
      {"[1,]", "expected a value at byte 3"},
      {"[1 2]", "expected ',' or ']' at byte 3"},
      {R"({"a":[1,2})", "expected ',' or ']' at byte 9"},
      {R"({"a":1,})", "expected a string key at byte 7"},
      {R"({"a":1 "b":2})", "expected ',' or '}' at byte 7"},
      {"\"open", "unterminated string at byte 0"},
      {R"(["\x"])", "invalid escape in a string at byte 2"},
      {R"(["\u12G4"])", "invalid \\u escape in a string at byte 2"},
      {R"("\ud800")", "unpaired surrogate in a string at byte 1"},
      {R"("\udc00\ud800")", "unpaired surrogate in a string at byte 1"},
      {"\"tab\there\"", "unescaped control character in a string at byte 4"},
      {"[1]x", "unexpected content after the JSON value at byte 3"},
      {"nul", "invalid literal at byte 0"},
      {"[truex]", "expected ',' or ']' at byte 5"},
      {"[", "unexpected end of input at byte 1"},
  };
  for (const auto& [text, message] : cases) {
    StatusOr<Json> r = ParseJson(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().error_code(), "malformed_json") << text;
    EXPECT_EQ(r.status().message(), message) << text;
  }
}

TEST(JsonSyntax, FindsNoErrorInValidJson) {
  for (std::string_view good :
       {R"({"a":[1,-2.5e+3,{"b":null}],"c":"\u00e9\ud83d\ude00\n","d":true,"e":false})",
        " [ ] ", "0", "\"\"", "{}", "[[[]]]", "-0.0E-0"}) {
    EXPECT_TRUE(ParseJson(good).ok()) << good;
    EXPECT_EQ(json_internal::DescribeJsonSyntaxError(good), "") << good;
  }
}

TEST(ParseJson, MalformedNumberMessageNamesTokenAndOffset) {
  StatusOr<Json> r = ParseJson("[1, 2, 03]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "malformed_json");
  EXPECT_NE(r.status().message().find("\"03\" at byte 7"), std::string::npos)
      << r.status().message();
}

TEST(ParseJson, RejectsDuplicateKeysAndNamesThem) {
  StatusOr<Json> r = ParseJson(R"({"a":1,"b":{"x":1,"x":2}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "duplicate_key");
  EXPECT_NE(r.status().message().find("\"x\""), std::string::npos) << r.status().message();
  // Escaped and literal spellings of one key are the same key.
  EXPECT_EQ(ErrorCodeOf(R"({"\u0061":1,"a":2})"), "duplicate_key");
}

TEST(ParseJson, FindsDuplicatesInLargeObjects) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_EQ(ErrorCodeOf(text + "\"k99\":0}"), "duplicate_key");
  EXPECT_EQ(ErrorCodeOf(text + "\"k100\":0}"), "ok");
}

TEST(ParseJson, EnforcesMaxDepth) {
  JsonParseOptions options;
  options.max_depth = 3;
  EXPECT_EQ(ErrorCodeOf("[[[1]]]", options), "ok");
  EXPECT_EQ(ErrorCodeOf(R"({"a":{"b":[]}})", options), "ok");
  EXPECT_EQ(ErrorCodeOf("[[[[1]]]]", options), "too_deep");
  EXPECT_EQ(ErrorCodeOf(R"({"a":{"b":[{}]}})", options), "too_deep");
  EXPECT_EQ(ErrorCodeOf("1", JsonParseOptions{0}), "ok");
  EXPECT_EQ(ErrorCodeOf("[]", JsonParseOptions{0}), "too_deep");
}

TEST(ParseJson, DeepInputBeyondParserLimitIsTooDeep) {
  std::string text(5000, '[');
  text += std::string(5000, ']');
  EXPECT_EQ(ErrorCodeOf(text, JsonParseOptions{100000}), "too_deep");
  EXPECT_EQ(ErrorCodeOf(text), "too_deep");
}

TEST(ParseJson, AcceptsSurroundingWhitespaceAndScalars) {
  EXPECT_EQ(ErrorCodeOf(" \t\r\n{}\n "), "ok");
  StatusOr<Json> r = ParseJson("\"\\ud83d\\ude00\"");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->as_string(), "\xF0\x9F\x98\x80");
}

TEST(ParseJson, ParsesInputsLargerThanTheRetainedBufferAndSmallOnesAfter) {
  std::string big = "[";
  for (int i = 0; i < 300000; ++i) big += std::to_string(i) + ",";
  big += "\"end\"]";
  ASSERT_GT(big.size(), 1u << 20);
  StatusOr<Json> r = ParseJson(big);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->as_array().size(), 300001u);
  EXPECT_EQ(r->as_array()[299999].as_number(), 299999.0);
  // A shorter input after a longer one must not see the longer one's leftover bytes.
  EXPECT_EQ(ErrorCodeOf("[1,2,3,4,5,6,7,8,9,10]"), "ok");
  EXPECT_EQ(ErrorCodeOf("[1"), "malformed_json");
  EXPECT_EQ(ErrorCodeOf("[1]"), "ok");
}

TEST(ParseJson, ParserIsReusableAfterErrors) {
  EXPECT_EQ(ErrorCodeOf("[1,"), "malformed_json");
  StatusOr<Json> r = ParseJson("[1]");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->as_array()[0].as_number(), 1.0);
}

}  // namespace
}  // namespace actlog
