// DESIGN §2 limits, each exactly at the limit (accepted) and one over (rejected).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "actlog/catalog.h"
#include "actlog/event.h"

namespace actlog {
namespace {

using Problem = std::tuple<std::string, std::string>;  // (field, code)

Json Minimal() {
  Json j = Json::MakeObject();
  j.Set("org", Json::String("org_1"));
  j.Set("code", Json::String("org:created"));
  Json actor = Json::MakeObject();
  actor.Set("type", Json::String("user"));
  actor.Set("id", Json::String("u_1"));
  j.Set("actor", std::move(actor));
  return j;
}

Json WithMetadata(Json metadata) {
  Json j = Minimal();
  j.Set("metadata", std::move(metadata));
  return j;
}

// {"k": {"k": ... {"k": 1}}} with `levels` objects in all.
Json Nested(int levels) {
  Json v = Json::Number(1);
  for (int i = 0; i < levels; ++i) {
    Json o = Json::MakeObject();
    o.Set("k", std::move(v));
    v = std::move(o);
  }
  return v;
}

class EventLimitsTest : public ::testing::Test {
 protected:
  bool Accepts(const Json& j) {
    StatusOr<Event> e = ValidateEvent(j, catalog_, limits_);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok();
  }
  std::set<Problem> Problems(const Json& j) {
    StatusOr<Event> e = ValidateEvent(j, catalog_, limits_);
    std::set<Problem> out;
    EXPECT_FALSE(e.ok());
    if (!e.ok()) {
      for (const ErrorDetail& d : e.status().details()) out.emplace(d.field, d.code);
    }
    return out;
  }
  Catalog catalog_ = Catalog::BuiltIn();
  EventLimits limits_;
};

TEST_F(EventLimitsTest, StringsUpTo4KiBInFixedFields) {
  Json j = Minimal();
  Json actor = *j.Find("actor");
  actor.Set("name", Json::String(std::string(4096, 'n')));
  j.Set("actor", actor);
  EXPECT_TRUE(Accepts(j));
  actor.Set("name", Json::String(std::string(4097, 'n')));
  j.Set("actor", actor);
  EXPECT_EQ(Problems(j), (std::set<Problem>{{"actor.name", "too_long"}}));
}

TEST_F(EventLimitsTest, StringsUpTo4KiBAnywhereInMetadataIncludingKeys) {
  Json list = Json::MakeArray({Json::Number(0), Json::String(std::string(4096, 'v'))});
  Json inner = Json::MakeObject();
  inner.Set(std::string(4096, 'k'), std::move(list));
  EXPECT_TRUE(Accepts(WithMetadata(Json::MakeObject({{"a", inner}}))));

  inner.as_object()[0].second.as_array()[1] = Json::String(std::string(4097, 'v'));
  EXPECT_EQ(Problems(WithMetadata(Json::MakeObject({{"a", inner}}))),
            (std::set<Problem>{{"metadata.a." + std::string(128, 'k') + "...[1]", "too_long"}}));

  Json long_key = Json::MakeObject();
  long_key.Set(std::string(4097, 'k'), Json::Number(1));
  EXPECT_EQ(Problems(WithMetadata(long_key)),
            (std::set<Problem>{{"metadata." + std::string(128, 'k') + "...", "too_long"}}));
}

TEST_F(EventLimitsTest, StringsUpTo4KiBInChangesAndSnapshots) {
  Json change =
      Json::MakeObject({{"from", Json::Null()}, {"to", Json::String(std::string(4096, 'x'))}});
  Json j = Minimal();
  j.Set("changes", Json::MakeObject({{"note", change}}));
  EXPECT_TRUE(Accepts(j));
  change.Set("to", Json::String(std::string(4097, 'x')));
  j.Set("changes", Json::MakeObject({{"note", change}}));
  EXPECT_EQ(Problems(j), (std::set<Problem>{{"changes.note.to", "too_long"}}));

  Json s = Minimal();
  s.Set("before", Json::MakeObject());
  s.Set("after", Json::MakeObject({{"note", Json::String(std::string(4097, 'x'))}}));
  EXPECT_EQ(Problems(s), (std::set<Problem>{{"after.note", "too_long"}}));
}

TEST_F(EventLimitsTest, MetadataUpTo16KiBCanonical) {
  // Four members, the last padded so that the canonical bytes are exactly 16 KiB.
  auto metadata_of_size = [](std::size_t total) {
    Json m = Json::MakeObject();
    for (const char* k : {"a", "b", "c"}) m.Set(k, Json::String(std::string(4096, 'x')));
    m.Set("d", Json::String(""));
    const std::size_t overhead = CanonicalJson(m).size();
    m.Set("d", Json::String(std::string(total - overhead, 'x')));
    EXPECT_EQ(CanonicalJson(m).size(), total);
    return m;
  };
  EXPECT_TRUE(Accepts(WithMetadata(metadata_of_size(16 * 1024))));
  EXPECT_EQ(Problems(WithMetadata(metadata_of_size(16 * 1024 + 1))),
            (std::set<Problem>{{"metadata", "too_large"}}));
}

TEST_F(EventLimitsTest, DepthUpTo8WithTheEventObjectAtDepth1) {
  // The event is depth 1 and metadata depth 2, so metadata may hold 6 more levels.
  EXPECT_TRUE(Accepts(WithMetadata(Nested(7))));
  EXPECT_EQ(Problems(WithMetadata(Nested(8))),
            (std::set<Problem>{{"metadata.k.k.k.k.k.k.k", "too_deep"}}));
  // Arrays count as levels too.
  // metadata(2) > k: array(3) > [0](4) ...: room for 5 objects inside the array.
  Json arr = Json::MakeArray({Nested(6)});
  EXPECT_EQ(Problems(WithMetadata(Json::MakeObject({{"k", arr}}))),
            (std::set<Problem>{{"metadata.k[0].k.k.k.k.k", "too_deep"}}));
  Json ok = Json::MakeArray({Nested(5)});
  EXPECT_TRUE(Accepts(WithMetadata(Json::MakeObject({{"k", ok}}))));
}

TEST_F(EventLimitsTest, DepthAppliesToChangeValuesAndSnapshots) {
  // changes(2) > entry(3) > from(4): from may hold 5 levels.
  Json j = Minimal();
  j.Set("changes",
        Json::MakeObject({{"f", Json::MakeObject({{"from", Nested(5)}, {"to", Json::Null()}})}}));
  EXPECT_TRUE(Accepts(j));
  j.Set("changes",
        Json::MakeObject({{"f", Json::MakeObject({{"from", Nested(6)}, {"to", Json::Null()}})}}));
  EXPECT_EQ(Problems(j), (std::set<Problem>{{"changes.f.from.k.k.k.k.k", "too_deep"}}));
  Json s = Minimal();
  s.Set("before", Nested(7));
  s.Set("after", Nested(8));
  EXPECT_EQ(Problems(s), (std::set<Problem>{{"after.k.k.k.k.k.k.k", "too_deep"}}));
}

TEST_F(EventLimitsTest, OrgIdsUpTo64AndClientIdsUpTo128Bytes) {
  Json j = Minimal();
  j.Set("org", Json::String(std::string(64, 'o')));
  j.Set("id", Json::String(std::string(128, 'i')));
  EXPECT_TRUE(Accepts(j));
  j.Set("org", Json::String(std::string(65, 'o')));
  j.Set("id", Json::String(std::string(129, 'i')));
  EXPECT_EQ(Problems(j), (std::set<Problem>{{"org", "invalid_format"}, {"id", "invalid_format"}}));
}

TEST_F(EventLimitsTest, LoweredLimitsAreHonoured) {
  limits_.max_string_bytes = 16;
  limits_.max_depth = 3;
  limits_.max_metadata_bytes = 30;
  const std::string s16(16, 's');
  Json j = WithMetadata(Json::MakeObject({{"a", Json::String(s16)}}));  // 24 canonical bytes
  EXPECT_TRUE(Accepts(j));
  j = WithMetadata(Json::MakeObject({{"a", Json::String(s16 + "s")}}));
  EXPECT_EQ(Problems(j), (std::set<Problem>{{"metadata.a", "too_long"}}));
  j = WithMetadata(
      Json::MakeObject({{"a", Json::String("1234567890")}, {"b", Json::String("123456")}}));
  EXPECT_EQ(Problems(j), (std::set<Problem>{{"metadata", "too_large"}}));  // 31 bytes
  EXPECT_TRUE(Accepts(WithMetadata(Nested(2))));
  EXPECT_EQ(Problems(WithMetadata(Nested(3))), (std::set<Problem>{{"metadata.k.k", "too_deep"}}));
}

}  // namespace
}  // namespace actlog
