// Query parameters -> EventQuery: every filter, paging, search, the org rules and the
// errors clients see.
#include "server/event_query_params.h"

#include <gtest/gtest.h>

#include "actlog/event.h"

namespace actlog::server {
namespace {

Request WithQuery(std::vector<std::pair<std::string, std::string>> params) {
  Request r;
  for (auto& [k, v] : params) r.query.emplace(k, v);
  return r;
}

Principal ReadKey(std::string org) {
  return Principal{PrincipalKind::kRead, std::move(org), std::nullopt, "key_r"};
}
Principal Admin() { return Principal{PrincipalKind::kAdmin, std::nullopt, std::nullopt, "key_a"}; }

std::string DetailField(const Status& st) {
  return st.details().empty() ? "" : st.details()[0].field;
}

TEST(EventQueryParams, MapsEveryFilterAndPagingParameter) {
  Request r = WithQuery({{"org", "acme"},
                         {"code", "org.member:invited"},
                         {"code", "api_key"},
                         {"actor", "u_7"},
                         {"actor_type", "user"},
                         {"actor_email", "a@example.com"},
                         {"target_type", "org.member"},
                         {"target_id", "m_1"},
                         {"outcome", "failure"},
                         {"from", "2026-11-01T00:00:00Z"},
                         {"to", "2026-11-02T00:00:00Z"},
                         {"q", "alice"},
                         {"order", "asc"},
                         {"limit", "25"},
                         {"cursor", "abc"}});
  StatusOr<EventQuery> q = EventQueryFromParams(r, Admin(), {});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->org, "acme");
  std::vector<FieldFilter> want = {{QueryField::kCode, "org.member:invited"},
                                   {QueryField::kCode, "api_key"},
                                   {QueryField::kActor, "u_7"},
                                   {QueryField::kActorType, "user"},
                                   {QueryField::kActorEmail, "a@example.com"},
                                   {QueryField::kTargetType, "org.member"},
                                   {QueryField::kTargetId, "m_1"},
                                   {QueryField::kOutcome, "failure"}};
  EXPECT_EQ(q->include, want);
  EXPECT_EQ(q->from_us, *ParseTimestamp("2026-11-01T00:00:00Z"));
  EXPECT_EQ(q->to_us, *ParseTimestamp("2026-11-02T00:00:00Z"));
  EXPECT_EQ(q->text, "alice");
  EXPECT_EQ(q->order, Order::kAsc);
  EXPECT_EQ(q->limit, 25);
  EXPECT_EQ(q->cursor, "abc");
}

TEST(EventQueryParams, DefaultsToNewestFirstFiftyPerPage) {
  StatusOr<EventQuery> q = EventQueryFromParams(WithQuery({{"org", "acme"}}), Admin(), {});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->order, Order::kDesc);
  EXPECT_EQ(q->limit, 50);
  EXPECT_TRUE(q->include.empty());
}

TEST(EventQueryParams, SearchStringAddsItsFilters) {
  Request r =
      WithQuery({{"org", "acme"}, {"search", "code:org.member:* -outcome:success \"x y\""}});
  StatusOr<EventQuery> q = EventQueryFromParams(r, Admin(), {});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->include.size(), 1u);
  EXPECT_EQ(q->include[0].field, QueryField::kCode);
  ASSERT_EQ(q->exclude.size(), 1u);
  EXPECT_EQ(q->exclude[0].value, "success");
  EXPECT_EQ(q->text, "x y");
}

TEST(EventQueryParams, BadSearchIsInvalidSearch) {
  Request r = WithQuery({{"org", "acme"}, {"search", "colour:red"}});
  StatusOr<EventQuery> q = EventQueryFromParams(r, Admin(), {});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().error_code(), "invalid_search");
}

TEST(EventQueryParams, RejectsBadValuesNamingTheParameter) {
  struct Case {
    std::string name, value;
  };
  for (const Case& c : std::vector<Case>{{"limit", "0"},
                                         {"limit", "201"},
                                         {"limit", "ten"},
                                         {"order", "up"},
                                         {"from", "yesterday"},
                                         {"to", "2026-13-01T00:00:00Z"},
                                         {"outcome", "maybe"},
                                         {"actor_type", "robot"},
                                         {"code", "Not A Code"}}) {
    StatusOr<EventQuery> q =
        EventQueryFromParams(WithQuery({{"org", "acme"}, {c.name, c.value}}), Admin(), {});
    ASSERT_FALSE(q.ok()) << c.name << "=" << c.value;
    EXPECT_EQ(q.status().error_code(), "invalid_query") << c.name;
    EXPECT_EQ(DetailField(q.status()), c.name) << q.status().ToString();
  }
}

TEST(EventQueryParams, UnknownParameterIsAnErrorNotIgnored) {
  StatusOr<EventQuery> q =
      EventQueryFromParams(WithQuery({{"org", "acme"}, {"actr", "u_7"}}), Admin(), {});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().error_code(), "invalid_query");
  EXPECT_EQ(DetailField(q.status()), "actr");
}

TEST(EventQueryParams, EndpointRulesDecideExtraAndPagingParameters) {
  QueryParamRules stats;
  stats.extra = {"bucket"};
  stats.paging = false;
  EXPECT_TRUE(
      EventQueryFromParams(WithQuery({{"org", "a"}, {"bucket", "day"}}), Admin(), stats).ok());
  StatusOr<EventQuery> paged =
      EventQueryFromParams(WithQuery({{"org", "a"}, {"cursor", "x"}}), Admin(), stats);
  ASSERT_FALSE(paged.ok());
  EXPECT_EQ(DetailField(paged.status()), "cursor");
  EXPECT_FALSE(
      EventQueryFromParams(WithQuery({{"org", "a"}, {"bucket", "day"}}), Admin(), {}).ok());
  QueryParamRules export_rules;
  export_rules.paging = false;
  export_rules.default_order = Order::kAsc;
  EXPECT_EQ(EventQueryFromParams(WithQuery({{"org", "a"}}), Admin(), export_rules)->order,
            Order::kAsc);
}

TEST(EventQueryParams, ReadKeyDefaultsToItsOrgAndCannotReadAnother) {
  StatusOr<EventQuery> own = EventQueryFromParams(WithQuery({}), ReadKey("acme"), {});
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->org, "acme");
  StatusOr<EventQuery> other =
      EventQueryFromParams(WithQuery({{"org", "globex"}}), ReadKey("acme"), {});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().error_code(), "forbidden");
}

TEST(EventQueryParams, AdminMustNameTheOrg) {
  StatusOr<std::string> org = ReadOrg(WithQuery({}), Admin());
  ASSERT_FALSE(org.ok());
  EXPECT_EQ(org.status().error_code(), "invalid_query");
  EXPECT_EQ(DetailField(org.status()), "org");
  EXPECT_EQ(ReadOrg(WithQuery({{"org", "../x"}}), Admin()).status().error_code(), "invalid_query");
}

TEST(EventQueryParams, IngestKeyCannotRead) {
  Principal ingest{PrincipalKind::kIngest, std::nullopt, std::nullopt, "key_i"};
  EXPECT_EQ(ReadOrg(WithQuery({{"org", "acme"}}), ingest).status().error_code(), "forbidden");
}

TEST(EventQueryParams, ViewerTokenForOneActorIsPinnedToThatActor) {
  Principal viewer{PrincipalKind::kViewer, "acme", "u_7", "vt"};
  StatusOr<EventQuery> q = EventQueryFromParams(WithQuery({}), viewer, {});
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->include.size(), 1u);
  EXPECT_EQ(q->include[0], (FieldFilter{QueryField::kActor, "u_7"}));

  StatusOr<EventQuery> same = EventQueryFromParams(WithQuery({{"actor", "u_7"}}), viewer, {});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->include.size(), 1u) << "no duplicate actor filter";

  // Another actor, directly or through the search string, would widen the OR: refused.
  EXPECT_EQ(EventQueryFromParams(WithQuery({{"actor", "u_8"}}), viewer, {}).status().error_code(),
            "forbidden");
  EXPECT_EQ(
      EventQueryFromParams(WithQuery({{"search", "actor:u_8"}}), viewer, {}).status().error_code(),
      "forbidden");
}

}  // namespace
}  // namespace actlog::server
