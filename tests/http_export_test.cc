// Black-box tests of GET /v1/export on the real server: jsonl and csv bodies hold every
// matching event oldest first, and an export of 100,000 events streams in constant
// memory (the server's VmRSS grows by less than 32 MiB while it runs).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>

#include "http_fixture.h"

namespace actlog::testing {
namespace {

using ExportTest = HttpServerTest;

std::string Batch(int from, int count) {
  std::string body = "{\"events\":[";
  for (int i = from; i < from + count; ++i) {
    if (i > from) body += ",";
    body += EventJson("acme", "e-" + std::to_string(i));
  }
  return body + "]}";
}

TEST_F(ExportTest, JsonlAndCsvHoldEveryEventOldestFirst) {
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, Batch(0, 5)).status, 201);
  HttpResponse jsonl = admin().Send("GET", "/v1/export?org=acme&format=jsonl", kTestAdminKey);
  ASSERT_EQ(jsonl.status, 200) << jsonl.body;
  EXPECT_NE(jsonl.Header("content-disposition").find("attachment"), std::string::npos);
  // 5 events + the actlog.export:created admin event logged before the stream starts.
  size_t lines = std::count(jsonl.body.begin(), jsonl.body.end(), '\n');
  EXPECT_GE(lines, 5u);
  EXPECT_LT(jsonl.body.find("\"e-0\""), jsonl.body.find("\"e-4\""));
  HttpResponse csv = admin().Send("GET", "/v1/export?org=acme&format=csv", kTestAdminKey);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("e-3"), std::string::npos);
  HttpResponse bad = admin().Send("GET", "/v1/export?org=acme&format=xml", kTestAdminKey);
  EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(ExportTest, ExportOf100kEventsStreamsInConstantMemory) {
  constexpr int kEvents = 100'000;
  for (int i = 0; i < kEvents; i += 1000) {
    HttpResponse r = admin().Send("POST", "/v1/events", kTestAdminKey, Batch(i, 1000));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  std::string read = CreateKey(admin(), "read", "acme");
  long before = server_->RssKib();
  ASSERT_GT(before, 0);
  std::atomic<long> peak{before};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), server_->RssKib());
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  HttpClient client(port());
  HttpResponse r = client.Send("GET", "/v1/export?org=acme&format=jsonl", read);
  done = true;
  sampler.join();
  ASSERT_EQ(r.status, 200);
  // Every ingested event once, plus the actlog.key:created of the read key.
  size_t exported = 0;
  for (size_t at = 0; (at = r.body.find("\"id\":\"e-", at)) != std::string::npos; ++at) ++exported;
  EXPECT_EQ(exported, static_cast<size_t>(kEvents));
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), kEvents + 1);
  long growth_kib = peak - before;
  EXPECT_LT(growth_kib, 32 * 1024) << "RSS before " << before << " KiB, peak " << peak.load();
  std::printf("export of %d events (%zu bytes): RSS %ld KiB -> peak %ld KiB (+%ld KiB)\n", kEvents,
              r.body.size(), before, peak.load(), growth_kib);
}

}  // namespace
}  // namespace actlog::testing
