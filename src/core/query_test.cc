#include "actlog/query.h"

#include <gtest/gtest.h>

#include <string>

namespace actlog {
namespace {

EventQuery ValidQuery() {
  EventQuery q;
  q.org = "org_42";
  return q;
}

TEST(QueryField, KeysRoundTripAndAliasesParse) {
  for (QueryField f :
       {QueryField::kCode, QueryField::kActor, QueryField::kActorType, QueryField::kActorEmail,
        QueryField::kTargetType, QueryField::kTargetId, QueryField::kOutcome}) {
    EXPECT_EQ(ParseQueryField(ToString(f)), f) << ToString(f);
  }
  EXPECT_EQ(ToString(QueryField::kTargetId), "target");
  EXPECT_EQ(ParseQueryField("email"), QueryField::kActorEmail);
  EXPECT_EQ(ParseQueryField("target_id"), QueryField::kTargetId);
  EXPECT_EQ(ParseQueryField("after"), std::nullopt);
  EXPECT_EQ(ParseQueryField("Code"), std::nullopt);
}

TEST(ValidateQuery, AcceptsMinimalQuery) { EXPECT_TRUE(ValidateQuery(ValidQuery()).ok()); }

TEST(ValidateQuery, RequiresValidOrg) {
  for (const char* org : {"", ".", "..", "a/b", "org 1"}) {
    EventQuery q = ValidQuery();
    q.org = org;
    Status s = ValidateQuery(q);
    ASSERT_EQ(s.error_code(), "invalid_query") << org;
    EXPECT_EQ(s.details().at(0).field, "org");
  }
}

TEST(ValidateQuery, LimitMustBeOneToTwoHundred) {
  EventQuery q = ValidQuery();
  for (int limit : {1, 200}) {
    q.limit = limit;
    EXPECT_TRUE(ValidateQuery(q).ok()) << limit;
  }
  for (int limit : {0, -1, 201}) {
    q.limit = limit;
    Status s = ValidateQuery(q);
    ASSERT_EQ(s.error_code(), "invalid_query") << limit;
    EXPECT_EQ(s.details().at(0).field, "limit");
  }
}

TEST(ValidateQuery, FromMustBeBeforeTo) {
  EventQuery q = ValidQuery();
  q.from_us = 100;
  q.to_us = 101;
  EXPECT_TRUE(ValidateQuery(q).ok());
  q.to_us = 100;
  EXPECT_EQ(ValidateQuery(q).details().at(0).field, "from");
  q.to_us = std::nullopt;
  EXPECT_TRUE(ValidateQuery(q).ok());
}

TEST(ValidateQuery, TimesMustBeBetween1970And9999) {
  EventQuery q = ValidQuery();
  q.from_us = 0;
  q.to_us = 253'402'300'799'999'999;  // 9999-12-31T23:59:59.999999Z
  EXPECT_TRUE(ValidateQuery(q).ok());
  q.from_us = -1;
  EXPECT_EQ(ValidateQuery(q).details().at(0).field, "from");
  q.from_us = 0;
  q.to_us = 253'402'300'800'000'000;
  EXPECT_EQ(ValidateQuery(q).details().at(0).field, "to");
}

TEST(ValidateQuery, ChecksFilterValues) {
  EventQuery q = ValidQuery();
  q.include = {{QueryField::kCode, "org.member:*"}, {QueryField::kCode, "org.member"},
               {QueryField::kCode, "org:created"},  {QueryField::kOutcome, "failure"},
               {QueryField::kActorType, "api_key"}, {QueryField::kActor, "u 7"}};
  q.exclude = {{QueryField::kOutcome, "success"}};
  EXPECT_TRUE(ValidateQuery(q).ok());

  q.include = {
      {QueryField::kCode, "Org:created"}, {QueryField::kOutcome, "ok"}, {QueryField::kActor, ""}};
  q.exclude = {{QueryField::kActorType, "robot"}};
  Status s = ValidateQuery(q);
  ASSERT_EQ(s.error_code(), "invalid_query");
  ASSERT_EQ(s.details().size(), 4u);
  EXPECT_EQ(s.details()[0].field, "code");
  EXPECT_EQ(s.details()[1].field, "outcome");
  EXPECT_EQ(s.details()[2].field, "actor");
  EXPECT_EQ(s.details()[3].field, "actor_type");
  EXPECT_EQ(s.details()[3].code, "invalid_value");
}

TEST(ValidateQuery, BoundsTextAndFilterCount) {
  EventQuery q = ValidQuery();
  q.text = std::string(4096, 'a');
  EXPECT_TRUE(ValidateQuery(q).ok());
  q.text.push_back('a');
  EXPECT_EQ(ValidateQuery(q).details().at(0).field, "q");
  q.text.clear();
  q.include.assign(65, {QueryField::kActor, "u"});
  EXPECT_EQ(ValidateQuery(q).details().at(0).field, "filters");
}

TEST(CodeFilter, ExactCodeMatchesOnlyItself) {
  EXPECT_TRUE(CodeMatchesFilter("org.member:invited", "org.member:invited"));
  EXPECT_FALSE(CodeMatchesFilter("org.member:joined", "org.member:invited"));
}

TEST(CodeFilter, PrefixMatchesResourceAndSubResources) {
  for (const char* prefix : {"org.member:*", "org.member"}) {
    EXPECT_TRUE(CodeMatchesFilter("org.member:invited", prefix));
    EXPECT_TRUE(CodeMatchesFilter("org.member.phone:verified", prefix));
    EXPECT_FALSE(CodeMatchesFilter("org:created", prefix));
    EXPECT_FALSE(CodeMatchesFilter("org.member_x:created", prefix));
    EXPECT_FALSE(CodeMatchesFilter("org.profile:updated", prefix));
  }
  EXPECT_TRUE(CodeMatchesFilter("com.scheme_payment_service:updated", "com"));
  EXPECT_TRUE(CodeMatchesFilter("org:created", "org:*"));
}

TEST(CodeFilter, ShapesOfFilters) {
  for (const char* ok : {"org:created", "org:*", "org", "org.member", "org.member:*"}) {
    EXPECT_TRUE(IsCodeFilter(ok)) << ok;
  }
  for (const char* bad : {"", "*", ":*", "org.*", "org:", "Org", "org.member:**", "org:x:*"}) {
    EXPECT_FALSE(IsCodeFilter(bad)) << bad;
  }
}

}  // namespace
}  // namespace actlog
