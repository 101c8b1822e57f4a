// Black-box tests of the server's machinery on the real binary: health and metrics,
// the slow-loris header timeout, 503 queue_full and 429 rate_limited (both with
// Retry-After) under tiny configured limits, malformed request lines, and SIGTERM
// finishing in-flight requests before exiting 0.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "http_fixture.h"

namespace actlog::testing {
namespace {

using ServerTest = HttpServerTest;

TEST_F(ServerTest, HealthReadinessAndPrometheusMetricsArePublic) {
  EXPECT_EQ(admin().Send("GET", "/healthz").status, 200);
  EXPECT_EQ(admin().Send("GET", "/readyz").status, 200);
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme")).status, 201);
  HttpResponse metrics = admin().Send("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.Header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE"), std::string::npos);
  EXPECT_NE(metrics.body.find("actlog_ingest_queue_depth"), std::string::npos);
}

TEST_F(ServerTest, SlowLorisHeadersAreCutOffByTheHeaderTimeout) {
  StartWith({}, R"({"header_timeout_ms": 1500})");
  HttpClient loris(port());
  ASSERT_TRUE(loris.WriteRaw("G"));
  auto start = std::chrono::steady_clock::now();
  std::string head = "ET /v1/events?org=acme HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  bool cut = false;
  for (int i = 0; i < 200 && !cut; ++i) {
    // One byte every 100 ms: far slower than any client, faster than an idle timeout.
    if (!loris.WriteRaw(std::string(1, i < static_cast<int>(head.size()) ? head[i] : 'a'))) {
      cut = true;
      break;
    }
    std::string got;
    if (loris.ReadUntilClose(std::chrono::milliseconds(100), &got)) cut = true;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(cut) << "the trickling client was never cut off";
  EXPECT_LT(seconds, 5.0);
  EXPECT_GE(seconds, 1.0);
  // The server still serves others.
  EXPECT_EQ(admin().Send("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, MalformedRequestLineIsAnsweredWith400OrClosed) {
  HttpClient raw(port());
  ASSERT_TRUE(raw.WriteRaw("THIS IS NOT HTTP\r\n\r\n"));
  std::string got;
  raw.ReadUntilClose(std::chrono::seconds(5), &got);
  EXPECT_TRUE(got.empty() || got.rfind("HTTP/1.1 400", 0) == 0) << got;
  EXPECT_EQ(admin().Send("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, FullIngestQueueAnswers503QueueFullWithRetryAfter) {
  StartWith({}, R"({"ingest_queue_capacity": 1})");
  EXPECT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme")).status, 201);
  std::string two = "{\"events\":[" + EventJson("acme") + "," + EventJson("acme") + "]}";
  HttpResponse r = admin().Send("POST", "/v1/events", kTestAdminKey, two);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.ErrorCode(), "queue_full");
  EXPECT_FALSE(r.Header("retry-after").empty());
}

TEST_F(ServerTest, RateLimitedKeyAnswers429WithRetryAfter) {
  StartWith({}, R"({"rate_limit_per_second": 1, "rate_limit_burst": 3})");
  int limited = 0;
  HttpResponse last;
  for (int i = 0; i < 10; ++i) {
    last = admin().Send("GET", "/v1/events?org=acme", kTestAdminKey);
    if (last.status == 429) {
      ++limited;
      EXPECT_EQ(last.ErrorCode(), "rate_limited");
      EXPECT_FALSE(last.Header("retry-after").empty());
    }
  }
  EXPECT_GE(limited, 6);
  EXPECT_EQ(admin().Send("GET", "/healthz").status, 200);  // public routes are not limited
}

TEST_F(ServerTest, SigtermFinishesInFlightRequestsAndExitsZero) {
  std::atomic<int> ok{0}, failed{0}, responded{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      HttpClient c(port());
      for (int i = 0; !stop; ++i) {
        std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        HttpResponse r = c.Send("POST", "/v1/events", kTestAdminKey, EventJson("acme", id));
        if (r.status == 0) break;  // connection closed by the stopping server
        ++responded;
        if (r.status == 201) {
          ++ok;
        } else if (r.status != 503) {
          ++failed;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int code = server_->Stop();
  stop = true;
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(code, 0) << server_->Stderr();
  EXPECT_GT(ok.load(), 0);
  // Answers given while stopping are either success or 503, never a server error.
  EXPECT_EQ(failed.load(), 0) << "of " << responded.load();
  // Every acknowledged event is there after a restart.
  StartWith({}, "");
  HttpResponse count = admin().Send("GET", "/v1/orgs", kTestAdminKey);
  ASSERT_EQ(count.status, 200);
  double events = -1;
  for (const Json& o : count.JsonBody().Find("data")->as_array()) {
    if (o.Find("org")->as_string() == "acme") events = o.Find("event_count")->as_number();
  }
  EXPECT_EQ(events, ok.load());
}

}  // namespace
}  // namespace actlog::testing
