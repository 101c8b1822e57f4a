// Black-box tests of the events API on the real server: POST /v1/events (201/200/409 and
// every rejection: 400/413/415/422), GET /v1/events (filters, cursor pages, bad
// parameters) and GET /v1/events/{id}, plus 404/405 for routes.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "http_fixture.h"

namespace actlog::testing {
namespace {

using EventsApiTest = HttpServerTest;

TEST_F(EventsApiTest, IngestAnswers201WithIdAndSeqAndTheEventCanBeReadBack) {
  HttpResponse r = admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme", "c-1"));
  ASSERT_EQ(r.status, 201) << r.body;
  Json data = r.JsonBody();
  ASSERT_TRUE(data.Find("data") && data.Find("data")->is_array());
  const Json& first = data.Find("data")->as_array().at(0);
  EXPECT_EQ(first.Find("id")->as_string(), "c-1");
  EXPECT_TRUE(first.Find("seq")->is_number());

  HttpResponse one = admin().Send("GET", "/v1/events/c-1?org=acme", kTestAdminKey);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.JsonBody().Find("code")->as_string(), "org:created");
  EXPECT_EQ(one.JsonBody().Find("org")->as_string(), "acme");

  HttpResponse list = admin().Send("GET", "/v1/events?org=acme", kTestAdminKey);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.JsonBody().Find("data")->as_array().size(), 1u);
  EXPECT_TRUE(list.JsonBody().Find("next_cursor")->is_null());
}

TEST_F(EventsApiTest, BatchAnswersInTheOrderSentWithIncreasingSeqs) {
  std::string body = "{\"events\":[" + EventJson("acme", "b-1") + "," + EventJson("acme", "b-2") +
                     "," + EventJson("acme", "b-3") + "]}";
  HttpResponse r = admin().Send("POST", "/v1/events", kTestAdminKey, body);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json::Array& data = r.JsonBody().Find("data")->as_array();
  ASSERT_EQ(data.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(data[i].Find("id")->as_string(), "b-" + std::to_string(i + 1));
    if (i > 0) {
      EXPECT_GT(data[i].Find("seq")->as_number(), data[i - 1].Find("seq")->as_number());
    }
  }
}

TEST_F(EventsApiTest, ExactDuplicateAnswers200AndOtherContentUnderTheSameIdAnswers409) {
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme", "d-1")).status, 201);
  HttpResponse again = admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme", "d-1"));
  EXPECT_EQ(again.status, 200) << again.body;
  HttpResponse other =
      admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme", "d-1", "someone_else"));
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.ErrorCode(), "id_conflict");
  HttpResponse list = admin().Send("GET", "/v1/events?org=acme", kTestAdminKey);
  EXPECT_EQ(list.JsonBody().Find("data")->as_array().size(), 1u);
}

TEST_F(EventsApiTest, RejectsWrongContentTypeMalformedJsonInvalidUtf8AndInvalidEvents) {
  HttpResponse text =
      admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme"), "text/plain");
  EXPECT_EQ(text.status, 415) << text.body;
  EXPECT_EQ(text.ErrorCode(), "unsupported_media_type");

  HttpResponse malformed = admin().Send("POST", "/v1/events", kTestAdminKey, "{\"org\":");
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(malformed.ErrorCode(), "invalid_json");

  std::string bad_utf8 = "{\"org\":\"acme\",\"code\":\"org:created\",\"actor\":{\"type\":\"user\","
                         "\"id\":\"u\xff\"}}";
  HttpResponse utf8 = admin().Send("POST", "/v1/events", kTestAdminKey, bad_utf8);
  EXPECT_EQ(utf8.status, 400) << utf8.body;
  EXPECT_EQ(utf8.ErrorCode(), "invalid_json");

  HttpResponse missing = admin().Send("POST", "/v1/events", kTestAdminKey,
                                      R"({"org":"acme","actor":{"type":"user","id":"u"}})");
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(missing.ErrorCode(), "invalid_event");
  const Json* details = missing.JsonBody().Find("error")->Find("details");
  ASSERT_TRUE(details && details->is_array());
  EXPECT_FALSE(details->as_array().empty());

  HttpResponse unknown = admin().Send(
      "POST", "/v1/events", kTestAdminKey,
      R"({"org":"acme","code":"org:created","actor":{"type":"user","id":"u"},"colour":"red"})");
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(unknown.ErrorCode(), "invalid_event");

  // Nothing of the above was stored.
  HttpResponse list = admin().Send("GET", "/v1/events?org=acme", kTestAdminKey);
  EXPECT_EQ(list.JsonBody().Find("data")->as_array().size(), 0u) << list.body;
}

TEST_F(EventsApiTest, OversizedBodyAnswers413) {
  std::string huge = "{\"org\":\"acme\",\"code\":\"org:created\",\"actor\":{\"type\":\"user\","
                     "\"id\":\"u\"},\"metadata\":{\"blob\":\"" +
                     std::string(3 << 20, 'x') + "\"}}";
  HttpResponse r = admin().Send("POST", "/v1/events", kTestAdminKey, huge);
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
  EXPECT_EQ(r.ErrorCode(), "body_too_large");
}

TEST_F(EventsApiTest, ListPagesWithCursorsWithoutRepeatsAndFiltersByActor) {
  std::string batch = "{\"events\":[";
  for (int i = 0; i < 25; ++i) {
    if (i) batch += ",";
    batch += EventJson("acme", "p-" + std::to_string(i), i % 5 == 0 ? "u_five" : "u_other");
  }
  batch += "]}";
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, batch).status, 201);
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    std::string target = "/v1/events?org=acme&limit=10";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    HttpResponse page = admin().Send("GET", target, kTestAdminKey);
    ASSERT_EQ(page.status, 200) << page.body;
    for (const Json& e : page.JsonBody().Find("data")->as_array()) {
      EXPECT_TRUE(seen.insert(e.Find("id")->as_string()).second);
    }
    const Json* next = page.JsonBody().Find("next_cursor");
    cursor = next && next->is_string() ? next->as_string() : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(pages, 3);

  HttpResponse five = admin().Send("GET", "/v1/events?org=acme&actor=u_five", kTestAdminKey);
  ASSERT_EQ(five.status, 200);
  EXPECT_EQ(five.JsonBody().Find("data")->as_array().size(), 5u);
  HttpResponse searched =
      admin().Send("GET", "/v1/events?org=acme&search=actor:u_five", kTestAdminKey);
  ASSERT_EQ(searched.status, 200) << searched.body;
  EXPECT_EQ(searched.JsonBody().Find("data")->as_array().size(), 5u);
}

TEST_F(EventsApiTest, BadQueryParametersAnswer400WithTheirCodes) {
  HttpResponse cursor = admin().Send("GET", "/v1/events?org=acme&cursor=garbage", kTestAdminKey);
  EXPECT_EQ(cursor.status, 400) << cursor.body;
  EXPECT_EQ(cursor.ErrorCode(), "invalid_cursor");
  HttpResponse limit = admin().Send("GET", "/v1/events?org=acme&limit=100000", kTestAdminKey);
  EXPECT_EQ(limit.status, 400) << limit.body;
  EXPECT_EQ(limit.ErrorCode(), "invalid_query");
  HttpResponse search =
      admin().Send("GET", "/v1/events?org=acme&search=after:notadate", kTestAdminKey);
  EXPECT_EQ(search.status, 400) << search.body;
  EXPECT_EQ(search.ErrorCode(), "invalid_search");
}

TEST_F(EventsApiTest, UnknownEventUnknownPathAndWrongMethodAnswer404And405) {
  HttpResponse none = admin().Send("GET", "/v1/events/nope?org=acme", kTestAdminKey);
  EXPECT_EQ(none.status, 404) << none.body;
  EXPECT_EQ(none.ErrorCode(), "not_found");
  HttpResponse path = admin().Send("GET", "/v1/nothing-here", kTestAdminKey);
  EXPECT_EQ(path.status, 404);
  HttpResponse method = admin().Send("PUT", "/v1/events", kTestAdminKey, "{}");
  EXPECT_EQ(method.status, 405) << method.body;
  EXPECT_EQ(method.ErrorCode(), "method_not_allowed");
}

TEST_F(EventsApiTest, StatsCountEventsByBucketAndCode) {
  std::string batch = "{\"events\":[" + EventJson("acme") + "," + EventJson("acme") + "," +
                      EventJson("acme") + "]}";
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, batch).status, 201);
  HttpResponse r = admin().Send("GET", "/v1/stats?org=acme&bucket=day&group_by=code", kTestAdminKey);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.JsonBody().Find("events")->as_number(), 3);
  EXPECT_FALSE(r.JsonBody().Find("truncated")->as_bool());
  const Json::Array& buckets = r.JsonBody().Find("data")->as_array();
  ASSERT_EQ(buckets.size(), 1u) << r.body;
  EXPECT_EQ(buckets[0].Find("counts")->Find("org:created")->as_number(), 3);
  HttpResponse bad = admin().Send("GET", "/v1/stats?org=acme&bucket=week", kTestAdminKey);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.ErrorCode(), "invalid_query");
}

TEST_F(EventsApiTest, EventTypesListsTheCatalogToAnyKey) {
  ASSERT_TRUE(CreateOrg(admin(), "acme"));
  std::string read = CreateKey(admin(), "read", "acme");
  HttpResponse r = admin().Send("GET", "/v1/event-types", read);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("org:created"), std::string::npos);
}

}  // namespace
}  // namespace actlog::testing
