// DecodeEvent has two readers (event_decode.cc): the tree reader must yield exactly the
// Event of the Json reader on every stored form it takes, and take no bytes the Json
// reader rejects.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/demo.h"
#include "actlog/event.h"
#include "core/event_decode_internal.h"

namespace actlog {
namespace {

using internal::DecodeEventFromTree;
using internal::DecodeEventThroughJson;

// Json as written, member order and number types included (operator== ignores order).
void Dump(const Json& j, std::string* out) {
  switch (j.type()) {
    case Json::Type::kObject:
      out->push_back('{');
      for (const Json::Member& m : j.as_object()) {
        AppendJsonString(m.first, out);
        out->push_back(':');
        Dump(m.second, out);
        out->push_back(',');
      }
      out->push_back('}');
      return;
    case Json::Type::kArray:
      out->push_back('[');
      for (const Json& item : j.as_array()) {
        Dump(item, out);
        out->push_back(',');
      }
      out->push_back(']');
      return;
    case Json::Type::kNumber:
      out->append(std::to_string(j.as_number()) + "/" + FormatJsonNumber(j.as_number()));
      return;
    default:
      AppendCanonicalJson(j, out);
  }
}

std::string DumpOf(const Json& j) {
  std::string out;
  Dump(j, &out);
  return out;
}

// Every field DecodeEvent sets, in a comparable text.
std::string Describe(const Event& e) {
  auto opt = [](const std::optional<std::string>& s) { return s ? "<" + *s + ">" : "-"; };
  std::string out = e.org + "|" + e.code + "|" + e.id + "|" + std::to_string(e.seq) + "|" +
                    std::to_string(e.occurred_at_us) + "|" + std::to_string(e.received_at_us) +
                    "|" + std::string(ToString(e.actor.type)) + "|" + e.actor.id + "|" +
                    opt(e.actor.name) + "|" + opt(e.actor.email) + "|";
  if (e.target) out += e.target->type + "|" + e.target->id + "|" + opt(e.target->name) + "|";
  out += opt(e.context.ip) + "|" + opt(e.context.user_agent) + "|" +
         opt(e.context.request_id) + "|" + DumpOf(e.changes) + "|" +
         std::string(ToString(e.outcome)) + "|" + opt(e.reason) + "|" + DumpOf(e.metadata) +
         "|" + (e.client_id ? "client" : "") + "|" + e.content_digest + "|" +
         std::to_string(e.erased.size());
  return out;
}

// Both readers take `bytes` and agree on every field.
void ExpectSameEvent(const std::string& bytes) {
  StatusOr<Event> reference = DecodeEventThroughJson(bytes);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString() << "\n" << bytes;
  std::optional<Event> tree = DecodeEventFromTree(bytes);
  ASSERT_TRUE(tree.has_value()) << bytes;
  EXPECT_EQ(Describe(*tree), Describe(*reference)) << bytes;
  StatusOr<Event> decoded = DecodeEvent(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(Describe(*decoded), Describe(*reference));
}

// The tree reader leaves `bytes` to the Json reader, and DecodeEvent answers its error.
void ExpectRejected(const std::string& bytes) {
  StatusOr<Event> reference = DecodeEventThroughJson(bytes);
  ASSERT_FALSE(reference.ok()) << bytes;
  EXPECT_EQ(reference.status().code(), StatusCode::kDataLoss) << bytes;
  EXPECT_FALSE(DecodeEventFromTree(bytes).has_value()) << bytes;
  StatusOr<Event> decoded = DecodeEvent(bytes);
  ASSERT_FALSE(decoded.ok()) << bytes;
  EXPECT_EQ(decoded.status().ToString(), reference.status().ToString());
}

TEST(EventDecode, TreeReaderEqualsJsonReaderOnDemoEvents) {
  DemoOptions options;
  options.events = 3000;
  uint64_t seq = 0;
  FakeClock clock(1'795'947'303'120'001);
  GenerateDemo(options, [&](const Json& producer) {
    StatusOr<Event> e = ValidateEvent(producer, Catalog::BuiltIn(), EventLimits());
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (!e.ok()) return false;
    e->seq = seq++;
    e->received_at_us = clock.NowMicros() + static_cast<int64_t>(seq);
    if (e->occurred_at_us < 0) e->occurred_at_us = e->received_at_us;
    std::string canonical = CanonicalEvent(*e);
    ExpectSameEvent(canonical);
    std::optional<Event> tree = DecodeEventFromTree(canonical);
    EXPECT_TRUE(tree && CanonicalEvent(*tree) == canonical) << canonical;
    return !testing::Test::HasFailure();
  });
  EXPECT_EQ(seq, options.events);
}

constexpr char kBase[] =
    R"({"actor":{"email":"alice@example.com","id":"u_7","name":"Alice","type":"user"},)"
    R"("code":"org.member:updated","id":"evt_1","occurred_at":"2026-11-29T10:15:03.120Z",)"
    R"("org":"o","outcome":"success","received_at":"2026-11-29T10:15:03.120001Z","seq":5})";

// kBase with `from` replaced by `to` (from must occur).
std::string With(const std::string& from, const std::string& to) {
  std::string s = kBase;
  std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string WithMember(const std::string& member) { return With("\"seq\":5", "\"seq\":5," + member); }

TEST(EventDecode, TreeReaderEqualsJsonReaderOnEdgeCases) {
  const std::vector<std::string> cases = {
      kBase,
      // Unicode escapes in values and keys, surrogate pairs, escaped controls.
      With("\"Alice\"", R"("Al\u00efce \ud83d\ude00 \"q\" \\ \n\t\u0001")"),
      WithMember(R"("metadata":{"caf\u00e9":"\u00e9","k\u0065y":"\u2028","":""})"),
      // Numbers: every simdjson number type, -0, exponents, 2^64-1, 2^63 negative.
      WithMember(R"("metadata":{"a":0,"b":-0,"c":1.5e300,"d":18446744073709551615,)"
                 R"("e":-9223372036854775808,"f":9007199254740993,"g":1e-7,"h":0.1})"),
      With("\"seq\":5", "\"seq\":5.0"), With("\"seq\":5", "\"seq\":5e0"),
      With("\"seq\":5", "\"seq\":9007199254740992"),
      // Nested metadata and changes, member order kept, arrays of everything.
      WithMember(R"("changes":{"role":{"from":"viewer","to":"admin"},"limits.daily":)"
                 R"({"from":null,"to":1e21}},"metadata":{"z":1,"a":{"b":{"c":{"d":[true,)"
                 R"(false,null,[],{},"s",[1,[2,[3]]]]}}},"m":[]})"),
      // Sealed references are strings like any other.
      With("\"alice@example.com\"", "\"sealed:v1:Mx8zQ0pLn3ZqQ2tSa1Zw0mJ4cVpYbGxGbVNhZ0U9\""),
      WithMember(R"("target":{"id":"m_12","name":"sealed:v1:AAAA","type":"org.member"},)"
                 R"("context":{"ip":"2001:db8::1","request_id":"r","user_agent":"UA"},)"
                 R"("reason":"r")"),
      // Empty groups, absent optionals, other member orders, whitespace.
      WithMember(R"("context":{},"changes":{},"metadata":{})"),
      With(R"("email":"alice@example.com","id":"u_7","name":"Alice","type":"user")",
           R"("type" : "system" , "id":"system")"),
      " \n" + With("\"seq\":5", "\"seq\" :\t5 ") + " ",
  };
  for (const std::string& bytes : cases) ExpectSameEvent(bytes);
}

TEST(EventDecode, IntegersBeyond64BitsTakeTheJsonReader) {
  // simdjson rejects them; ParseJson reads them as doubles, and so must DecodeEvent.
  std::string bytes = WithMember(R"("metadata":{"big":100000000000000000000})");
  EXPECT_FALSE(DecodeEventFromTree(bytes).has_value());
  StatusOr<Event> decoded = DecodeEvent(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(CanonicalJson(decoded->metadata), R"({"big":100000000000000000000})");
  StatusOr<Event> reference = DecodeEventThroughJson(bytes);
  ASSERT_TRUE(reference.ok());
  EXPECT_EQ(Describe(*decoded), Describe(*reference));
}

TEST(EventDecode, TreeReaderTakesNothingTheJsonReaderRejects) {
  std::string deep = "1";
  for (int i = 0; i < 70; ++i) deep = "[" + deep + "]";
  const std::vector<std::string> corrupt = {
      "", "not json", "[]", "null", "{}", std::string(kBase).substr(0, sizeof(kBase) - 2),
      With("\"o\"", "\"o\xff\""),
      // Duplicate keys at every level.
      WithMember(R"("seq":6)"), With(R"("id":"u_7",)", R"("id":"u_7","id":"u_8",)"),
      WithMember(R"("metadata":{"a":1,"a":2})"),
      WithMember(R"("changes":{"x":{"from":1,"from":2,"to":3}})"),
      // Unknown members, wrong types, JSON null where a string belongs.
      WithMember(R"("extra":1)"), With(R"("type":"user")", R"("type":"user","x":1)"),
      With("\"Alice\"", "null"), WithMember(R"("reason":null)"), WithMember(R"("target":null)"),
      WithMember(R"("context":{"ip":"1.2.3.4","port":1})"), WithMember(R"("context":[])"),
      WithMember(R"("changes":[])"), WithMember(R"("metadata":"m")"),
      WithMember(R"("target":{"type":"t"})"), WithMember(R"("target":{"id":"t"})"),
      With(R"("type":"user")", R"("type":"robot")"), With(R"(,"id":"u_7")", ""),
      With(R"("success")", R"("ok")"), With(R"("success")", "1"),
      With(R"("org":"o")", R"("org":1)"), With(R"("org":"o",)", ""),
      // seq: negative, fraction, beyond 2^53, a string, missing.
      With("\"seq\":5", "\"seq\":-1"), With("\"seq\":5", "\"seq\":1.5"),
      With("\"seq\":5", "\"seq\":9007199254740994"), With("\"seq\":5", "\"seq\":\"5\""),
      With(",\"seq\":5", ""),
      // Times that are not timestamps.
      With("\"2026-11-29T10:15:03.120001Z\"", "\"yesterday\""),
      With("\"2026-11-29T10:15:03.120Z\"", "1"),
      // Nesting beyond ParseJson's limit inside metadata.
      WithMember("\"metadata\":{\"d\":" + deep + "}"),
  };
  for (const std::string& bytes : corrupt) ExpectRejected(bytes);
}

}  // namespace
}  // namespace actlog
