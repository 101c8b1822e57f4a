// The events API's own routes through a fake Exchange with a real store: ingest
// (statuses, bodies, error codes), list (filters, cursors, errors), one event.
#include "server/events_api_fixture.h"

namespace actlog::server::testing_events {
namespace {

TEST_F(EventsApiTest, IngestAnswersEachIdAndSeqInOrder) {
  FakeExchange ex = Post(R"({"events":[)" + EventJson("acme", "a", "org.member:invited") + "," +
                         EventJson("acme", "b", "org.member:joined") + "]}");
  ASSERT_EQ(ex.response->status, 201) << ex.response->body;
  Json b = Body(ex);
  const auto& data = b.Find("data")->as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].Find("id")->as_string(), "a");
  EXPECT_EQ(data[0].Find("seq")->as_number(), 0);
  EXPECT_EQ(data[1].Find("id")->as_string(), "b");
  EXPECT_EQ(data[1].Find("seq")->as_number(), 1);
}

TEST_F(EventsApiTest, ExactDuplicateIs200AndOtherContentIs409) {
  ASSERT_EQ(Post(EventJson("acme", "a", "org.member:invited")).response->status, 201);
  FakeExchange again = Post(EventJson("acme", "a", "org.member:invited"));
  EXPECT_EQ(again.response->status, 200);
  EXPECT_EQ(Body(again).Find("data")->as_array()[0].Find("seq")->as_number(), 0);
  FakeExchange other = Post(EventJson("acme", "a", "org.member:joined"));
  EXPECT_EQ(other.response->status, 409);
  EXPECT_EQ(ErrorCode(other), "id_conflict");
}

TEST_F(EventsApiTest, IngestErrorsHaveTheirStatusAndCode) {
  FakeExchange text = Post(EventJson("acme", "a", "org.member:invited"), Admin(), "text/plain");
  EXPECT_EQ(text.response->status, 415);
  EXPECT_EQ(ErrorCode(text), "unsupported_media_type");

  FakeExchange broken = Post(R"({"org":)");
  EXPECT_EQ(broken.response->status, 400);
  EXPECT_EQ(ErrorCode(broken), "invalid_json");

  FakeExchange invalid = Post(R"({"events":[)" + EventJson("acme", "a", "org.member:invited") +
                              "," + EventJson("acme", "b", "org.member:invitd") + "]}");
  EXPECT_EQ(invalid.response->status, 422);
  EXPECT_EQ(ErrorCode(invalid), "invalid_event");
  Json invalid_body = Body(invalid);
  const Json& detail = invalid_body.Find("error")->Find("details")->as_array()[0];
  EXPECT_EQ(detail.Find("index")->as_number(), 1);
  EXPECT_EQ(detail.Find("field")->as_string(), "code");

  FakeExchange big = Post(std::string(2 << 20, ' '));
  EXPECT_EQ(big.response->status, 413);
  EXPECT_EQ(ErrorCode(big), "body_too_large");

  StatusOr<OrgInfo> org = store_->GetOrg("acme");
  EXPECT_FALSE(org.ok()) << "nothing was stored";
}

TEST_F(EventsApiTest, IngestKeyOfOneOrgCannotWriteAnotherNamingTheIndex) {
  FakeExchange ex = Post(R"({"events":[)" + EventJson("acme", "a", "org.member:invited") + "," +
                             EventJson("globex", "b", "org.member:invited") + "]}",
                         Ingest("acme"));
  EXPECT_EQ(ex.response->status, 403);
  EXPECT_EQ(ErrorCode(ex), "forbidden");
  EXPECT_EQ(Body(ex).Find("error")->Find("details")->as_array()[0].Find("index")->as_number(), 1);
  EXPECT_EQ(Post(EventJson("acme", "a", "org.member:invited"), Ingest("acme")).response->status,
            201);
  EXPECT_EQ(
      Post(EventJson("globex", "a", "org.member:invited"), Ingest(std::nullopt)).response->status,
      201)
      << "a platform-wide ingest key writes to any org";
}

TEST_F(EventsApiTest, FullIngestQueueAnswers503WithRetryAfter) {
  TearDown();
  Open(0);
  FakeExchange ex = Post(EventJson("acme", "a", "org.member:invited"));
  EXPECT_EQ(ex.response->status, 503);
  EXPECT_EQ(ErrorCode(ex), "queue_full");
  EXPECT_TRUE(HasHeader(*ex.response, "Retry-After"));
  EXPECT_FALSE(store_->GetOrg("acme").ok());
}

TEST_F(EventsApiTest, ListFiltersAndPagesWithCursors) {
  for (int i = 0; i < 5; ++i) {
    std::string code = i % 2 ? "org.member:joined" : "org.member:invited";
    ASSERT_EQ(Post(EventJson("acme", "e" + std::to_string(i), code)).response->status, 201);
  }
  FakeExchange first = Call(Method::kGet, "/v1/events", Reader("acme"),
                            {{"code", "org.member:invited"}, {"limit", "2"}, {"order", "asc"}});
  ASSERT_EQ(first.response->status, 200) << first.response->body;
  Json b = Body(first);
  ASSERT_EQ(b.Find("data")->as_array().size(), 2u);
  EXPECT_EQ(b.Find("data")->as_array()[0].Find("id")->as_string(), "e0");
  EXPECT_EQ(b.Find("data")->as_array()[1].Find("id")->as_string(), "e2");
  std::string cursor = b.Find("next_cursor")->as_string();
  FakeExchange second =
      Call(Method::kGet, "/v1/events", Reader("acme"),
           {{"code", "org.member:invited"}, {"limit", "2"}, {"order", "asc"}, {"cursor", cursor}});
  Json b2 = Body(second);
  ASSERT_EQ(b2.Find("data")->as_array().size(), 1u);
  EXPECT_EQ(b2.Find("data")->as_array()[0].Find("id")->as_string(), "e4");
  EXPECT_TRUE(b2.Find("next_cursor")->is_null());
}

TEST_F(EventsApiTest, ListErrors) {
  EXPECT_EQ(ErrorCode(Call(Method::kGet, "/v1/events", Reader("acme"), {{"limit", "500"}})),
            "invalid_query");
  EXPECT_EQ(ErrorCode(Call(Method::kGet, "/v1/events", Reader("acme"), {{"search", "x:y"}})),
            "invalid_search");
  EXPECT_EQ(ErrorCode(Call(Method::kGet, "/v1/events", Reader("acme"), {{"cursor", "garbage"}})),
            "invalid_cursor");
  FakeExchange other = Call(Method::kGet, "/v1/events", Reader("acme"), {{"org", "globex"}});
  EXPECT_EQ(other.response->status, 403);
}

TEST_F(EventsApiTest, OneEventByIdAndNotFoundAcrossOrgs) {
  ASSERT_EQ(Post(EventJson("acme", "a", "org.member:invited")).response->status, 201);
  FakeExchange ok = Call(Method::kGet, "/v1/events/a", Reader("acme"));
  ASSERT_EQ(ok.response->status, 200) << ok.response->body;
  EXPECT_EQ(Body(ok).Find("code")->as_string(), "org.member:invited");
  EXPECT_EQ(Body(ok).Find("seq")->as_number(), 0);
  EXPECT_EQ(Call(Method::kGet, "/v1/events/nope", Reader("acme")).response->status, 404);
  EXPECT_EQ(Call(Method::kGet, "/v1/events/a", Reader("globex")).response->status, 404)
      << "another org's reader learns nothing about the event";
  Principal viewer{PrincipalKind::kViewer, "acme", "u_2", "vt"};
  EXPECT_EQ(Call(Method::kGet, "/v1/events/a", viewer).response->status, 404)
      << "a viewer for another actor";
}

}  // namespace
}  // namespace actlog::server::testing_events
