// The events API's read routes through a fake Exchange with a real store: event
// types, stats, export (pages, formats, the admin log) and the SSE live tail (resume,
// wake-up on ingest).
#include "server/events_api_fixture.h"

namespace actlog::server::testing_events {
namespace {

TEST_F(EventsApiTest, EventTypesAreGroupedByResource) {
  FakeExchange ex = Call(Method::kGet, "/v1/event-types", Reader("acme"));
  ASSERT_EQ(ex.response->status, 200);
  Json b = Body(ex);
  std::string previous;
  size_t codes = 0;
  for (const Json& group : b.Find("data")->as_array()) {
    std::string resource = group.Find("resource")->as_string();
    EXPECT_LT(previous, resource) << "sorted, each resource once";
    previous = resource;
    for (const Json& t : group.Find("types")->as_array()) {
      EXPECT_EQ(Catalog::ResourceOf(t.Find("code")->as_string()), resource);
      EXPECT_FALSE(t.Find("description")->as_string().empty());
      ++codes;
    }
  }
  EXPECT_EQ(codes, catalog_.entries().size());
}

TEST_F(EventsApiTest, StatsCountByDayAndCode) {
  ASSERT_EQ(Post(R"({"events":[)" + EventJson("acme", "a", "org.member:invited") + "," +
                 EventJson("acme", "b", "org.member:invited") + "," +
                 EventJson("acme", "c", "org.member:joined") + "]}")
                .response->status,
            201);
  FakeExchange ex = Call(Method::kGet, "/v1/stats", Reader("acme"), {{"bucket", "day"}});
  ASSERT_EQ(ex.response->status, 200) << ex.response->body;
  Json b = Body(ex);
  ASSERT_EQ(b.Find("data")->as_array().size(), 1u);
  const Json& day = b.Find("data")->as_array()[0];  // b outlives it
  EXPECT_EQ(day.Find("bucket")->as_string(), "2026-11-29T00:00:00Z");
  EXPECT_EQ(day.Find("counts")->Find("org.member:invited")->as_number(), 2);
  EXPECT_EQ(day.Find("counts")->Find("org.member:joined")->as_number(), 1);
  EXPECT_FALSE(b.Find("truncated")->as_bool());
  EXPECT_EQ(ErrorCode(Call(Method::kGet, "/v1/stats", Reader("acme"), {{"bucket", "week"}})),
            "invalid_query");
}

TEST_F(EventsApiTest, StoreStatsCountsTheNewestEventsUpToTheBound) {
  std::string batch = R"({"events":[)";
  const char* days[] = {"2026-11-27T10:00:00Z", "2026-11-28T10:00:00Z", "2026-11-29T10:00:00Z"};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) batch += ",";
    batch += R"({"org":"acme","code":"org.member:joined","occurred_at":")" + std::string(days[i]) +
             R"(","actor":{"type":"user","id":"u_1"}})";
  }
  ASSERT_EQ(Post(batch + "]}").response->status, 201);
  EventQuery query;
  query.org = "acme";
  StatsOptions options;
  options.max_events = 2;
  StatusOr<StatsResult> r = store_->Stats(query, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->events, 2u);
  ASSERT_EQ(r->buckets.size(), 2u) << "the two newest days";
  EXPECT_EQ(r->buckets[0].start_us, *ParseTimestamp("2026-11-28T00:00:00Z"));
  options.max_events = 3;
  r = store_->Stats(query, options);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->truncated) << "exactly the bound is not truncated";
  EXPECT_EQ(r->buckets.size(), 3u);
}

TEST_F(EventsApiTest, ExportStreamsEveryEventOldestFirstAndLogsAdminExports) {
  std::string batch = R"({"events":[)";
  for (int i = 0; i < 450; ++i) {
    if (i > 0) batch += ",";
    batch += EventJson("acme", "e" + std::to_string(i), "org.member:invited");
  }
  ASSERT_EQ(Post(batch + "]}").response->status, 201);
  FakeExchange ex = Call(Method::kGet, "/v1/export", Reader("acme"), {{"format", "jsonl"}});
  ASSERT_EQ(ex.response->status, 200);
  EXPECT_EQ(ex.response->content_type, "application/x-ndjson");
  EXPECT_TRUE(HasHeader(*ex.response, "Content-Disposition"));
  EXPECT_TRUE(ex.ended);
  EXPECT_EQ(ex.chunks.size(), 3u) << "one chunk per page of 200";
  std::string all = ex.Streamed();
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 450);

  FakeExchange csv =
      Call(Method::kGet, "/v1/export", Admin(), {{"org", "acme"}, {"format", "csv"}});
  std::string text = csv.Streamed();
  EXPECT_EQ(text.rfind("seq,id,", 0), 0u);
  EXPECT_NE(text.find("\r\n0,e0,"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 451) << "header + events, not its own log";
  EXPECT_EQ(text.find("actlog.export:created"), std::string::npos);
  StatusOr<OrgInfo> org = store_->GetOrg("acme");
  ASSERT_TRUE(org.ok());
  StatusOr<StoredEvent> last = store_->GetBySeq("acme", org->event_count - 1);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->event.code, "actlog.export:created") << "admin exports are logged";
}

TEST_F(EventsApiTest, StreamResumesAfterLastEventId) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Post(EventJson("acme", "e" + std::to_string(i), "org.member:invited",
                             i == 3 ? "u_other" : "u_1"))
                  .response->status,
              201);
  }
  FakeExchange ex;
  Prepare(ex, Method::kGet, "/v1/events/stream", Reader("acme"), {{"actor", "u_1"}});
  ex.req.headers["last-event-id"] = "1";
  ex.stop_after_writes = 2;  // ": connected", then the catch-up chunk
  auto start = std::chrono::steady_clock::now();
  Run(ex);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5))
      << "a stopping server does not park the stream until the heartbeat";
  EXPECT_EQ(ex.response->content_type, "text/event-stream");
  ASSERT_EQ(ex.chunks.size(), 2u);
  EXPECT_EQ(ex.chunks[1].rfind("id: 2\nevent: event\ndata: {", 0), 0u) << ex.chunks[1];
  EXPECT_NE(ex.chunks[1].find("id: 4\n"), std::string::npos);
  EXPECT_EQ(ex.chunks[1].find("id: 3\n"), std::string::npos) << "filtered out";
  EXPECT_TRUE(ex.ended) << "the stream ends when the server stops";
}

TEST_F(EventsApiTest, StreamWakesOnIngest) {
  ASSERT_EQ(Post(EventJson("acme", "old", "org.member:invited")).response->status, 201);
  FakeExchange stream;
  Prepare(stream, Method::kGet, "/v1/events/stream", Reader("acme"), {});
  stream.stop_after_writes = 2;
  Handler stream_handler = handler_;
  boost::asio::io_context io;
  boost::asio::co_spawn(io, stream_handler(stream), boost::asio::detached);
  auto start = std::chrono::steady_clock::now();
  std::thread runner([&] { io.run(); });
  while (ctx_.live_feed->waiting() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(Post(EventJson("acme", "new", "org.member:invited")).response->status, 201);
  runner.join();
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(stream.chunks.size(), 2u);
  EXPECT_EQ(stream.chunks[1].rfind("id: 1\n", 0), 0u) << "only the new event: " << stream.chunks[1];
  EXPECT_LT(took, std::chrono::seconds(5)) << "woken by the feed, not a heartbeat";
}

TEST_F(EventsApiTest, FeedShutdownEndsAParkedStream) {
  FakeExchange stream;
  Prepare(stream, Method::kGet, "/v1/events/stream", Reader("acme"), {});
  Handler stream_handler = handler_;
  boost::asio::io_context io;
  boost::asio::co_spawn(io, stream_handler(stream), boost::asio::detached);
  auto start = std::chrono::steady_clock::now();
  std::thread runner([&] { io.run(); });
  while (ctx_.live_feed->waiting() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ctx_.live_feed->Shutdown();
  runner.join();
  EXPECT_TRUE(stream.ended) << "the stream is ended properly (final chunk)";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace actlog::server::testing_events
