// EventMatcher: the live tail's filters agree with the store query's semantics.
#include "server/event_matcher.h"

#include <gtest/gtest.h>

namespace actlog::server {
namespace {

Event Sample() {
  Event e;
  e.org = "acme";
  e.code = "org.member:invited";
  e.id = "evt_1";
  e.actor = Actor{ActorType::kUser, "u_7", "Alice", "Alice@Example.com"};
  e.target = Target{"org.member", "m_1", "Bob"};
  e.outcome = Outcome::kSuccess;
  e.occurred_at_us = 1'000'000;
  e.received_at_us = 1'000'000;
  return e;
}

bool Match(const EventQuery& q, const Event& e) {
  return EventMatcher(q).Matches(e, CanonicalEvent(e));
}

EventQuery With(std::vector<FieldFilter> include, std::vector<FieldFilter> exclude = {}) {
  EventQuery q;
  q.org = "acme";
  q.include = std::move(include);
  q.exclude = std::move(exclude);
  return q;
}

TEST(EventMatcher, EmptyQueryMatchesEverything) { EXPECT_TRUE(Match(With({}), Sample())); }

TEST(EventMatcher, CodeFilterIsExactOrResourcePrefix) {
  EXPECT_TRUE(Match(With({{QueryField::kCode, "org.member:invited"}}), Sample()));
  EXPECT_TRUE(Match(With({{QueryField::kCode, "org.member:*"}}), Sample()));
  EXPECT_TRUE(Match(With({{QueryField::kCode, "org"}}), Sample()));
  EXPECT_FALSE(Match(With({{QueryField::kCode, "org.member:removed"}}), Sample()));
  EXPECT_FALSE(Match(With({{QueryField::kCode, "api_key"}}), Sample()));
}

TEST(EventMatcher, SameFieldOrsAndFieldsAnd) {
  EXPECT_TRUE(Match(With({{QueryField::kActor, "u_8"}, {QueryField::kActor, "u_7"}}), Sample()));
  EXPECT_FALSE(
      Match(With({{QueryField::kActor, "u_7"}, {QueryField::kOutcome, "failure"}}), Sample()));
  EXPECT_TRUE(Match(With({{QueryField::kActor, "u_7"},
                          {QueryField::kTargetId, "m_1"},
                          {QueryField::kTargetType, "org.member"},
                          {QueryField::kActorType, "user"}}),
                    Sample()));
}

TEST(EventMatcher, EmailComparesCaseInsensitively) {
  EXPECT_TRUE(Match(With({{QueryField::kActorEmail, "alice@example.COM"}}), Sample()));
  Event no_email = Sample();
  no_email.actor.email.reset();
  EXPECT_FALSE(Match(With({{QueryField::kActorEmail, "alice@example.com"}}), no_email));
}

TEST(EventMatcher, NegativeFiltersExclude) {
  EXPECT_FALSE(Match(With({}, {{QueryField::kOutcome, "success"}}), Sample()));
  EXPECT_TRUE(Match(With({}, {{QueryField::kOutcome, "failure"}}), Sample()));
}

TEST(EventMatcher, EventWithoutTargetFailsTargetFilters) {
  Event e = Sample();
  e.target.reset();
  EXPECT_FALSE(Match(With({{QueryField::kTargetType, "org.member"}}), e));
}

TEST(EventMatcher, TimeRangeIsHalfOpen) {
  EventQuery q = With({});
  q.from_us = 1'000'000;
  q.to_us = 2'000'000;
  Event e = Sample();
  EXPECT_TRUE(Match(q, e));
  e.occurred_at_us = 2'000'000;
  EXPECT_FALSE(Match(q, e));
  e.occurred_at_us = 999'999;
  EXPECT_FALSE(Match(q, e));
}

TEST(EventMatcher, TextIsCaseInsensitiveOverTheStoredEvent) {
  EventQuery q = With({});
  q.text = "BOB";
  EXPECT_TRUE(Match(q, Sample()));
  q.text = "carol";
  EXPECT_FALSE(Match(q, Sample()));
}

}  // namespace
}  // namespace actlog::server
