// Test fixture of the events API handler tests (handlers_events_test.cc,
// handlers_read_test.cc): a fake Exchange that records the answer or the streamed chunks,
// and a fixture with a real store in a temp dir and the S3 routes registered.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <thread>

#include "actlog/json.h"
#include "server/admin_log.h"
#include "server/live_feed.h"
#include "server/routes.h"

namespace actlog::server::testing_events {

inline constexpr int64_t kNow = 1'790'000'000'000'000;

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

inline Principal Admin() {
  return {PrincipalKind::kAdmin, std::nullopt, std::nullopt, "key_admin"};
}
inline Principal Ingest(std::optional<std::string> org) {
  return {PrincipalKind::kIngest, std::move(org), std::nullopt, "key_ingest"};
}
inline Principal Reader(std::string org) {
  return {PrincipalKind::kRead, org, std::nullopt, "key_read"};
}

inline std::string EventJson(const std::string& org, const std::string& id, const std::string& code,
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

inline Json Body(const FakeExchange& ex) {
  StatusOr<Json> j = ParseJson(ex.response->body);
  EXPECT_TRUE(j.ok()) << ex.response->body;
  return j.ok() ? *j : Json();
}
inline std::string ErrorCode(const FakeExchange& ex) {
  Json b = Body(ex);
  const Json* e = b.Find("error");
  return e && e->Find("code") ? e->Find("code")->as_string() : "";
}
inline bool HasHeader(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return true;
  }
  return false;
}

}  // namespace actlog::server::testing_events
