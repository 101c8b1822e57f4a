#include <gtest/gtest.h>

#include <string>

#include "actlog/catalog.h"
#include "actlog/event.h"

namespace actlog {
namespace {

Json Parse(std::string_view text) {
  StatusOr<Json> j = ParseJson(text);
  EXPECT_TRUE(j.ok()) << j.status().ToString() << "\n" << text;
  return j.ok() ? *j : Json();
}

Json Diff(std::string_view before, std::string_view after) {
  return DiffObjects(Parse(before), Parse(after));
}

TEST(DiffObjects, RecordsChangedScalarsWithBothSides) {
  EXPECT_EQ(Diff(R"({"role":"viewer","name":"Bob"})", R"({"role":"admin","name":"Bob"})"),
            Parse(R"({"role":{"from":"viewer","to":"admin"}})"));
}

TEST(DiffObjects, IdenticalObjectsHaveNoChanges) {
  EXPECT_EQ(Diff(R"({"a":1,"b":{"c":[1,2]}})", R"({"b":{"c":[1,2]},"a":1})"), Parse("{}"));
  EXPECT_EQ(Diff("{}", "{}"), Parse("{}"));
}

TEST(DiffObjects, RemovedFieldsGoToNullAndAddedFieldsComeFromNull) {
  EXPECT_EQ(Diff(R"({"old":"x","kept":1})", R"({"kept":1,"new":true})"),
            Parse(R"({"old":{"from":"x","to":null},"new":{"from":null,"to":true}})"));
}

TEST(DiffObjects, NestedObjectsUseDottedPaths) {
  EXPECT_EQ(Diff(R"({"address":{"city":"Paris","zip":"75001","geo":{"lat":1}}})",
                 R"({"address":{"city":"Lyon","zip":"75001","geo":{"lat":2}}})"),
            Parse(R"({"address.city":{"from":"Paris","to":"Lyon"},
                      "address.geo.lat":{"from":1,"to":2}})"));
}

TEST(DiffObjects, ArraysAreComparedWhole) {
  EXPECT_EQ(Diff(R"({"tags":["a","b"]})", R"({"tags":["a","c"]})"),
            Parse(R"({"tags":{"from":["a","b"],"to":["a","c"]}})"));
}

TEST(DiffObjects, AnObjectFacingANonObjectIsComparedWhole) {
  EXPECT_EQ(Diff(R"({"limit":{"daily":5}})", R"({"limit":null})"),
            Parse(R"({"limit":{"from":{"daily":5},"to":null}})"));
  EXPECT_EQ(Diff(R"({"limit":7})", R"({"limit":{"daily":5}})"),
            Parse(R"({"limit":{"from":7,"to":{"daily":5}}})"));
  EXPECT_EQ(Diff(R"({})", R"({"limit":{"daily":5}})"),
            Parse(R"({"limit":{"from":null,"to":{"daily":5}}})"));
}

TEST(DiffObjects, ExplicitNullDiffersFromAbsent) {
  EXPECT_EQ(Diff(R"({"a":null})", R"({})"), Parse(R"({"a":{"from":null,"to":null}})"));
}

TEST(DiffObjects, NumbersCompareByValueAndTypesMatter) {
  EXPECT_EQ(Diff(R"({"n":1.0})", R"({"n":1})"), Parse("{}"));
  EXPECT_EQ(Diff(R"({"n":1})", R"({"n":"1"})"), Parse(R"({"n":{"from":1,"to":"1"}})"));
}

TEST(DiffObjects, ValidationTurnsBeforeAfterIntoChanges) {
  StatusOr<Event> e = ValidateEvent(
      Parse(R"({"org":"o","code":"org.member:updated","actor":{"type":"user","id":"u"},
                "before":{"role":"viewer","team":{"name":"ops"}},
                "after":{"role":"admin","team":{"name":"sre"}}})"),
      Catalog::BuiltIn(), EventLimits());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->changes, Parse(R"({"role":{"from":"viewer","to":"admin"},
                                  "team.name":{"from":"ops","to":"sre"}})"));
}

}  // namespace
}  // namespace actlog
