// HttpServer on a real socket (port 0): keep-alive, limits, timeouts, connection cap,
// chunked streams, the blocking pool and graceful shutdown (http_server.h).
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "server/errors.h"
#include "server/raw_http_client.h"

namespace actlog::server {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

std::string Get(std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n\r\n";
}

class HttpServerTest : public ::testing::Test {
 protected:
  // Requests are recorded just after their answer is written: wait for the line.
  bool WaitForMetric(const std::string& line) {
    for (int i = 0; i < 200; ++i) {
      if (metrics_.Expose().find(line) != std::string::npos) return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }

  void Start(ServerOptions options = {}) {
    options_ = options;
    router_.Add(Method::kGet, "/hello", Access::kPublic, [](Exchange& ex) -> Awaitable<void> {
      co_await ex.Respond(Response::Json(200, R"({"hello":"world"})"));
    });
    router_.Add(Method::kPost, "/echo", Access::kPublic, [](Exchange& ex) -> Awaitable<void> {
      co_await ex.Respond(Response::Json(200, ex.request().body));
    });
    router_.Add(Method::kGet, "/stream", Access::kPublic, [](Exchange& ex) -> Awaitable<void> {
      Response head;
      head.content_type = "text/plain";
      co_await ex.BeginStream(std::move(head));
      for (int i = 0; i < 3; ++i) co_await ex.Write("part" + std::to_string(i) + ";");
      co_await ex.EndStream();
    });
    router_.Add(
        Method::kGet, "/blocking", Access::kPublic, [this](Exchange& ex) -> Awaitable<void> {
          auto io_thread = std::this_thread::get_id();
          std::thread::id worker = co_await ex.Blocking([this] {
            std::this_thread::sleep_for(milliseconds(blocking_sleep_ms_));
            return std::this_thread::get_id();
          });
          co_await ex.Respond(
              Response::Json(200, worker != io_thread ? "\"other thread\"" : "\"same thread\""));
        });
    server_ = std::make_unique<HttpServer>(options_, router_, &metrics_);
    ASSERT_TRUE(server_->Listen({"127.0.0.1", 0}).ok());
    ASSERT_NE(server_->port(), 0);
    server_->Start();
  }
  void TearDown() override {
    if (server_) server_->Shutdown(milliseconds(2000));
  }

  ServerOptions options_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<int> blocking_sleep_ms_{0};
};

TEST_F(HttpServerTest, AnswersAndKeepsTheConnectionAlive) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send(Get("/hello")));
    std::string r = c.ReadResponse();
    EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
    EXPECT_NE(r.find("{\"hello\":\"world\"}"), std::string::npos);
  }
  EXPECT_TRUE(WaitForMetric(
      "actlog_http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 3\n"))
      << metrics_.Expose();
  EXPECT_TRUE(WaitForMetric("actlog_http_request_duration_seconds_count{route=\"/hello\"} 3\n"));
}

TEST_F(HttpServerTest, UnknownPathIs404AndRecordedAsUnmatched) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send(Get("/nope/secret-id")));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 404", 0), 0u) << r;
  EXPECT_TRUE(WaitForMetric("route=\"unmatched\",status=\"404\"} 1\n"));
  EXPECT_EQ(metrics_.Expose().find("secret-id"), std::string::npos);  // paths are no labels
}

TEST_F(HttpServerTest, OversizedContentLengthIs413BeforeTheBodyIsSent) {
  ServerOptions o;
  o.max_body_bytes = 4096;
  Start(o);
  RawClient c(server_->port());
  ASSERT_TRUE(
      c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             "Content-Length: 100000\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
  EXPECT_NE(r.find("\"code\":\"body_too_large\""), std::string::npos);
  EXPECT_TRUE(c.ClosedByPeer());
}

TEST_F(HttpServerTest, OversizedChunkedBodyIs413) {
  ServerOptions o;
  o.max_body_bytes = 4096;
  Start(o);
  RawClient c(server_->port());
  std::string chunk(3000, 'x');
  ASSERT_TRUE(
      c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n\r\n"));
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  c.Send(std::string(size) + chunk + "\r\n");
  c.Send(std::string(size) + chunk + "\r\n");
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
}

TEST_F(HttpServerTest, BodyWithinLimitIsDelivered) {
  Start();
  RawClient c(server_->port());
  std::string body = R"({"k":")" + std::string(100000, 'a') + "\"}";
  ASSERT_TRUE(
      c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             "Content-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(r.substr(r.size() - body.size()), body);
}

TEST_F(HttpServerTest, ExpectContinueGets100ThenTheAnswer) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(
      c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  std::string cont = c.ReadResponse();
  EXPECT_EQ(cont.rfind("HTTP/1.1 100 Continue", 0), 0u) << cont;
  ASSERT_TRUE(c.Send("{}"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << r;
}

TEST_F(HttpServerTest, SlowLorisHeadersAreCutOff) {
  ServerOptions o;
  o.header_timeout_ms = 300;
  Start(o);
  RawClient c(server_->port());
  auto start = SteadyClock::now();
  // One byte every 50 ms: never a complete header inside the header timeout.
  std::string request = "GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: ";
  bool cut = false;
  for (size_t i = 0; i < 200 && !cut; ++i) {
    cut = !c.Send(std::string(1, i < request.size() ? request[i] : 'a'));
    std::this_thread::sleep_for(milliseconds(50));
    if (SteadyClock::now() - start > milliseconds(2000)) break;
  }
  EXPECT_TRUE(c.ClosedByPeer() || cut);
  EXPECT_LT(SteadyClock::now() - start, milliseconds(3000));
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions o;
  o.idle_timeout_ms = 200;
  Start(o);
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send(Get("/hello")));
  EXPECT_FALSE(c.ReadResponse().empty());
  auto start = SteadyClock::now();
  EXPECT_TRUE(c.ClosedByPeer());
  EXPECT_LT(SteadyClock::now() - start, milliseconds(2000));
}

TEST_F(HttpServerTest, OverMaxConnectionsIs503WithRetryAfter) {
  ServerOptions o;
  o.max_connections = 2;
  Start(o);
  RawClient a(server_->port()), b(server_->port());
  ASSERT_TRUE(a.Send(Get("/hello")));
  ASSERT_FALSE(a.ReadResponse().empty());
  ASSERT_TRUE(b.Send(Get("/hello")));
  ASSERT_FALSE(b.ReadResponse().empty());
  RawClient third(server_->port());
  third.Send(Get("/hello"));
  std::string r = third.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 503", 0), 0u) << r;
  EXPECT_NE(r.find("Retry-After: 1"), std::string::npos);
  EXPECT_NE(r.find("\"code\":\"unavailable\""), std::string::npos);
}

TEST_F(HttpServerTest, StreamsChunksAndKeepsTheConnection) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send(Get("/stream")));
  std::string r = c.ReadResponse();
  EXPECT_NE(r.find("Transfer-Encoding: chunked"), std::string::npos) << r;
  EXPECT_NE(r.find("6\r\npart0;\r\n6\r\npart1;\r\n6\r\npart2;\r\n0\r\n\r\n"), std::string::npos)
      << r;
  ASSERT_TRUE(c.Send(Get("/hello")));
  EXPECT_EQ(c.ReadResponse().rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(HttpServerTest, Http10StreamIsNotChunkedAndEndsWithTheConnection) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send("GET /stream HTTP/1.0\r\n\r\n"));
  std::string all;
  while (true) {
    std::string r = c.ReadResponse();  // no length and no chunks: reads up to the close
    if (r.empty()) break;
    all += r;
  }
  std::string rest = c.Rest();
  all += rest;
  EXPECT_EQ(all.rfind("HTTP/1.0 200", 0), 0u) << all;
  EXPECT_EQ(all.find("chunked"), std::string::npos);
  EXPECT_NE(all.find("part0;part1;part2;"), std::string::npos) << all;
}

TEST_F(HttpServerTest, Http10RequestGetsHttp10Answer) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send("GET /hello HTTP/1.0\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.0 200", 0), 0u) << r;
  EXPECT_TRUE(c.ClosedByPeer());
}

TEST_F(HttpServerTest, BlockingRunsOnTheWorkerPool) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send(Get("/blocking")));
  EXPECT_NE(c.ReadResponse().find("\"other thread\""), std::string::npos);
}

TEST_F(HttpServerTest, MalformedRequestIs400AndClosed) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send("THIS IS NOT HTTP\r\n\r\n"));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;
}

TEST_F(HttpServerTest, ShutdownLetsInFlightRequestsFinishAndClosesIdleOnes) {
  Start();
  blocking_sleep_ms_ = 400;
  RawClient idle(server_->port());
  ASSERT_TRUE(idle.Send(Get("/hello")));
  ASSERT_FALSE(idle.ReadResponse().empty());
  RawClient busy(server_->port());
  ASSERT_TRUE(busy.Send(Get("/blocking")));
  std::this_thread::sleep_for(milliseconds(100));  // the request is in the worker pool
  auto start = SteadyClock::now();
  int left = server_->Shutdown(milliseconds(5000));
  EXPECT_EQ(left, 0);
  EXPECT_LT(SteadyClock::now() - start, milliseconds(3000));
  std::string r = busy.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << r;
  EXPECT_NE(r.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(idle.ClosedByPeer());
  RawClient late(server_->port());
  EXPECT_FALSE(late.connected() && late.Send(Get("/hello")) && !late.ReadResponse().empty());
  server_.reset();
}

}  // namespace
}  // namespace actlog::server
