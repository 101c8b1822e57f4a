// HttpServer on a real socket (port 0): keep-alive, limits, timeouts, connection cap,
// chunked streams, the blocking pool and graceful shutdown (http_server.h).
#include "server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "server/errors.h"

namespace actlog::server {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// A raw TCP client: exactly the bytes we choose, so limits and timeouts can be probed.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  bool Send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Reads one response: headers, then a Content-Length or chunked body. "" when the
  // connection closed (or timed out) first.
  std::string ReadResponse() {
    while (buf_.find("\r\n\r\n") == std::string::npos) {
      if (!Fill()) return "";
    }
    size_t head_end = buf_.find("\r\n\r\n") + 4;
    std::string head = buf_.substr(0, head_end);
    std::string lower = head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t body_end = head_end;
    if (lower.find("transfer-encoding: chunked") != std::string::npos) {
      while (buf_.find("\r\n0\r\n\r\n", head_end - 2) == std::string::npos) {
        if (!Fill()) return "";
      }
      body_end = buf_.find("\r\n0\r\n\r\n", head_end - 2) + 7;
    } else if (size_t cl = lower.find("content-length: "); cl != std::string::npos) {
      body_end = head_end + std::stoul(lower.substr(cl + 16));
      while (buf_.size() < body_end) {
        if (!Fill()) return "";
      }
    }
    std::string response = buf_.substr(0, body_end);
    buf_.erase(0, body_end);
    return response;
  }
  // True if the server closed the connection (read returns 0) within the receive timeout.
  bool ClosedByPeer() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool Fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, n);
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

std::string Get(std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n\r\n";
}

class HttpServerTest : public ::testing::Test {
 protected:
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
    router_.Add(Method::kGet, "/blocking", Access::kPublic,
                [this](Exchange& ex) -> Awaitable<void> {
                  auto io_thread = std::this_thread::get_id();
                  std::thread::id worker = co_await ex.Blocking([this] {
                    std::this_thread::sleep_for(milliseconds(blocking_sleep_ms_));
                    return std::this_thread::get_id();
                  });
                  co_await ex.Respond(Response::Json(
                      200, worker != io_thread ? "\"other thread\"" : "\"same thread\""));
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
  std::string metrics = metrics_.Expose();
  EXPECT_NE(metrics.find("actlog_http_requests_total{method=\"GET\",route=\"/hello\","
                         "status=\"200\"} 3"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("actlog_http_request_duration_seconds_count{route=\"/hello\"} 3"),
            std::string::npos);
}

TEST_F(HttpServerTest, UnknownPathIs404AndRecordedAsUnmatched) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send(Get("/nope/secret-id")));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 404", 0), 0u) << r;
  std::string metrics = metrics_.Expose();
  EXPECT_NE(metrics.find("route=\"unmatched\""), std::string::npos);
  EXPECT_EQ(metrics.find("secret-id"), std::string::npos);  // paths never become labels
}

TEST_F(HttpServerTest, OversizedContentLengthIs413BeforeTheBodyIsSent) {
  ServerOptions o;
  o.max_body_bytes = 4096;
  Start(o);
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
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
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
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
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                     "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(r.substr(r.size() - body.size()), body);
}

TEST_F(HttpServerTest, ExpectContinueGets100ThenTheAnswer) {
  Start();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
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
