// The events API handlers (ingest, list, one event, event types, stats, export, live
// tail) through their routes on a fake Exchange with a real store in a temp dir:
// statuses, bodies and error codes. Sockets are S4's black-box tests.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <filesystem>
#include <thread>

#include "actlog/json.h"
#include "server/admin_log.h"
#include "server/live_feed.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

constexpr int64_t kNow = 1'790'000'000'000'000;

class FakeExchange final : public Exchange {
 public:
  Request req;
  Principal who;
  std::optional<Response> response;  // Respond, or the stream head
  std::vector<std::string> chunks;
  bool ended = false;
  size_t stop_after_writes = SIZE_MAX;  // then stopping() turns true

  const Request& request() const override { return req; }
  const Principal& principal() const override { return who; }
  Awaitable<void> Respond(Response r) override {
    response = std::move(r);
    co_return;
  }
  Awaitable<void> BeginStream(Response head) override {
    response = std::move(head);
    co_return;
  }
  Awaitable<bool> Write(std::string chunk) override {
    chunks.push_back(std::move(chunk));
    co_return true;
  }
  Awaitable<void> EndStream() override {
    ended = true;
    co_return;
  }
  Awaitable<void> Sleep(int64_t) override { co_return; }
  bool stopping() const override { return chunks.size() >= stop_after_writes; }
  std::string Streamed() const {
    std::string all;
    for (const std::string& c : chunks) all += c;
    return all;
  }

 protected:
  Awaitable<void> RunBlocking(std::function<void()> fn) override {
    fn();
    co_return;
  }
};

Principal Admin() { return {PrincipalKind::kAdmin, std::nullopt, std::nullopt, "key_admin"}; }
Principal Ingest(std::optional<std::string> org) {
  return {PrincipalKind::kIngest, std::move(org), std::nullopt, "key_ingest"};
}
Principal Reader(std::string org) { return {PrincipalKind::kRead, org, std::nullopt, "key_read"}; }

std::string EventJson(const std::string& org, const std::string& id, const std::string& code,
                  const std::string& actor = "u_1") {
  return R"({"org":")" + org + R"(","id":")" + id + R"(","code":")" + code +
         R"(","occurred_at":"2026-11-29T10:00:00Z","actor":{"type":"user","id":")" + actor +
         R"("}})";
}

class EventsApiTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(50'000); }
  void TearDown() override {
    router_.reset();
    admin_log_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open(uint32_t queue_capacity) {
    std::string templ = (std::filesystem::temp_directory_path() / "actlog_hev_XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    StoreOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.sync = false;
    store_ = std::move(OpenRocksStore(options)).value();
    ctx_ = ServerContext{};  // the services are created anew with the routes
    ctx_.store = store_.get();
    ctx_.catalog = &catalog_;
    ctx_.clock = &clock_;
    ctx_.metrics = &metrics_;
    ctx_.options.ingest_queue_capacity = queue_capacity;
    admin_log_ = std::make_unique<AdminLog>(store_.get(), &catalog_);
    ctx_.admin_log = admin_log_.get();
    router_ = std::make_unique<Router>();
    RegisterEventRoutes(*router_, ctx_);
    RegisterCatalogRoutes(*router_, ctx_);
    RegisterStatsRoutes(*router_, ctx_);
    RegisterStreamRoutes(*router_, ctx_);
    RegisterExportRoutes(*router_, ctx_);
  }

  // Sets up `ex` for the route of method + path (path without query).
  void Prepare(FakeExchange& ex, Method method, const std::string& path, Principal who,
               std::vector<std::pair<std::string, std::string>> query) {
    RouteMatch match = router_->Match(method, path);
    ASSERT_NE(match.route, nullptr) << path;
    ex.req.method = method;
    ex.req.path = path;
    ex.req.path_params = match.params;
    for (auto& [k, v] : query) ex.req.query.emplace(k, v);
    ex.who = std::move(who);
    handler_ = match.route->handler;
  }
  void Run(FakeExchange& ex) {
    boost::asio::io_context io;
    boost::asio::co_spawn(io, handler_(ex), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    io.run();
  }
  FakeExchange Call(Method method, const std::string& path, Principal who,
                    std::vector<std::pair<std::string, std::string>> query = {},
                    std::string body = "", std::string content_type = "application/json") {
    FakeExchange ex;
    Prepare(ex, method, path, std::move(who), std::move(query));
    ex.req.body = std::move(body);
    if (!content_type.empty()) ex.req.headers["content-type"] = content_type;
    Run(ex);
    return ex;
  }
  FakeExchange Post(const std::string& body, Principal who = Admin(),
                    std::string content_type = "application/json") {
    return Call(Method::kPost, "/v1/events", std::move(who), {}, body, content_type);
  }

  std::string dir_;
  FakeClock clock_{kNow};
  Catalog catalog_ = Catalog::BuiltIn();
  Metrics metrics_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<AdminLog> admin_log_;
  ServerContext ctx_;
  std::unique_ptr<Router> router_;
  Handler handler_;
};

Json Body(const FakeExchange& ex) {
  StatusOr<Json> j = ParseJson(ex.response->body);
  EXPECT_TRUE(j.ok()) << ex.response->body;
  return j.ok() ? *j : Json();
}
std::string ErrorCode(const FakeExchange& ex) {
  Json b = Body(ex);
  const Json* e = b.Find("error");
  return e && e->Find("code") ? e->Find("code")->as_string() : "";
}
bool HasHeader(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return true;
  }
  return false;
}

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

  FakeExchange invalid = Post(R"({"events":[)" + EventJson("acme", "a", "org.member:invited") + "," +
                              EventJson("acme", "b", "org.member:invitd") + "]}");
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
  EXPECT_EQ(Post(EventJson("acme", "a", "org.member:invited"), Ingest("acme")).response->status, 201);
  EXPECT_EQ(Post(EventJson("globex", "a", "org.member:invited"), Ingest(std::nullopt)).response->status,
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
  FakeExchange second = Call(Method::kGet, "/v1/events", Reader("acme"),
                             {{"code", "org.member:invited"}, {"limit", "2"}, {"order", "asc"},
                              {"cursor", cursor}});
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

  FakeExchange csv = Call(Method::kGet, "/v1/export", Admin(), {{"org", "acme"}, {"format", "csv"}});
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
  Run(ex);
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

}  // namespace
}  // namespace actlog::server
