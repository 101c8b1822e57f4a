// Black-box tests of GET /v1/events/stream (SSE) on the real server: live events arrive
// as frames, and a client that drops the connection and comes back with Last-Event-ID
// gets exactly the events it missed, then live ones again.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "http_fixture.h"

namespace actlog::testing {
namespace {

using StreamTest = HttpServerTest;

std::string Batch(const std::string& org, const std::string& prefix, int from, int count) {
  std::string body = "{\"events\":[";
  for (int i = from; i < from + count; ++i) {
    if (i > from) body += ",";
    body += EventJson(org, prefix + std::to_string(i));
  }
  return body + "]}";
}

std::string IdOf(const HttpClient::SseFrame& frame) {
  StatusOr<Json> j = ParseJson(frame.data);
  if (!j.ok() || !j->Find("id")) return "";
  return j->Find("id")->as_string();
}

TEST_F(StreamTest, LiveEventsArriveAndResumeWithLastEventIdGivesExactlyTheMissedOnes) {
  ASSERT_TRUE(CreateOrg(admin(), "acme"));
  ASSERT_TRUE(CreateOrg(admin(), "other"));
  std::string read = CreateKey(admin(), "read", "acme");
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, Batch("acme", "old-", 0, 3)).status,
            201);

  HttpClient tail(port());
  HttpResponse head = tail.OpenStream("/v1/events/stream?org=acme", read);
  ASSERT_EQ(head.status, 200) << head.body;
  EXPECT_NE(head.Header("content-type").find("text/event-stream"), std::string::npos);

  // Only new events: the three old ones are not replayed without Last-Event-ID.
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, Batch("acme", "live-", 0, 3)).status,
            201);
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, Batch("other", "x-", 0, 2)).status,
            201);
  std::string last_seq;
  for (int i = 0; i < 3; ++i) {
    std::optional<HttpClient::SseFrame> f = tail.NextSseFrame(std::chrono::seconds(10));
    ASSERT_TRUE(f) << "frame " << i;
    EXPECT_EQ(f->event, "event");
    EXPECT_EQ(IdOf(*f), "live-" + std::to_string(i));
    EXPECT_FALSE(f->id.empty());
    last_seq = f->id;
  }
  tail.Close();

  // Missed while away: 4 more for acme (and some for another org, which must not show).
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, Batch("acme", "missed-", 0, 4)).status,
            201);
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, Batch("other", "y-", 0, 2)).status,
            201);

  HttpClient again(port());
  ASSERT_EQ(again.OpenStream("/v1/events/stream?org=acme", read, {{"Last-Event-ID", last_seq}})
                .status,
            200);
  std::vector<std::string> got;
  for (int i = 0; i < 4; ++i) {
    std::optional<HttpClient::SseFrame> f = again.NextSseFrame(std::chrono::seconds(10));
    ASSERT_TRUE(f) << "missed frame " << i;
    got.push_back(IdOf(*f));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"missed-0", "missed-1", "missed-2", "missed-3"}));
  // Nothing more (no repeats of live-*), until a new event comes.
  EXPECT_FALSE(again.NextSseFrame(std::chrono::milliseconds(700)));
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme", "after")).status,
            201);
  std::optional<HttpClient::SseFrame> f = again.NextSseFrame(std::chrono::seconds(10));
  ASSERT_TRUE(f);
  EXPECT_EQ(IdOf(*f), "after");
}

TEST_F(StreamTest, FiltersApplyToTheLiveTail) {
  HttpClient tail(port());
  ASSERT_EQ(tail.OpenStream("/v1/events/stream?org=acme&actor=bob", kTestAdminKey).status, 200);
  std::string body = "{\"events\":[" + EventJson("acme", "a1", "alice") + "," +
                     EventJson("acme", "b1", "bob") + "," + EventJson("acme", "a2", "alice") +
                     "]}";
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, body).status, 201);
  std::optional<HttpClient::SseFrame> f = tail.NextSseFrame(std::chrono::seconds(10));
  ASSERT_TRUE(f);
  EXPECT_EQ(IdOf(*f), "b1");
  EXPECT_FALSE(tail.NextSseFrame(std::chrono::milliseconds(500)));
}

}  // namespace
}  // namespace actlog::testing
