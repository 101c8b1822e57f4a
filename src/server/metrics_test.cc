// Metrics registry and the Prometheus text format (metrics.h).
#include "server/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "server/server.h"

namespace actlog::server {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(Metrics, CounterWithLabelsInTextFormat) {
  Metrics m;
  m.GetCounter("actlog_http_requests_total", "HTTP requests answered.",
               {{"route", "/v1/events"}, {"method", "GET"}, {"status", "200"}})
      ->Increment(3);
  std::string text = m.Expose();
  EXPECT_TRUE(Contains(text, "# HELP actlog_http_requests_total HTTP requests answered.\n"));
  EXPECT_TRUE(Contains(text, "# TYPE actlog_http_requests_total counter\n"));
  // Labels sorted by name, values quoted.
  EXPECT_TRUE(Contains(
      text, "actlog_http_requests_total{method=\"GET\",route=\"/v1/events\",status=\"200\"} 3\n"))
      << text;
}

TEST(Metrics, SameLabelsAreTheSameSeries) {
  Metrics m;
  Counter* a = m.GetCounter("c_total", "h", {{"x", "1"}});
  Counter* b = m.GetCounter("c_total", "h", {{"x", "1"}});
  Counter* c = m.GetCounter("c_total", "h", {{"x", "2"}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::string text = m.Expose();
  // One header for the family, two samples.
  EXPECT_EQ(text.find("# TYPE c_total"), text.rfind("# TYPE c_total"));
}

TEST(Metrics, GaugeSetAndAdd) {
  Metrics m;
  Gauge* g = m.GetGauge("actlog_ingest_queue_depth", "Depth.");
  g->Set(10);
  g->Add(-3);
  EXPECT_TRUE(Contains(m.Expose(),
                       "# TYPE actlog_ingest_queue_depth gauge\n"
                       "actlog_ingest_queue_depth 7\n"));
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Metrics m;
  Histogram* h = m.GetHistogram("lat_seconds", "Latency.", {{"route", "/r"}}, {0.5, 2});
  h->Observe(0.25);
  h->Observe(0.5);  // le is inclusive
  h->Observe(1);
  h->Observe(8);
  std::string text = m.Expose();
  EXPECT_TRUE(Contains(text, "# TYPE lat_seconds histogram\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{le=\"0.5\",route=\"/r\"} 2\n")) << text;
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{le=\"2\",route=\"/r\"} 3\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_bucket{le=\"+Inf\",route=\"/r\"} 4\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_sum{route=\"/r\"} 9.75\n"));
  EXPECT_TRUE(Contains(text, "lat_seconds_count{route=\"/r\"} 4\n"));
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(Metrics::EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(Metrics, TypeClashDoesNotCorruptTheFamily) {
  Metrics m;
  m.GetCounter("x_total", "h")->Increment();
  Gauge* stray = m.GetGauge("x_total", "h");
  ASSERT_NE(stray, nullptr);
  stray->Set(99);
  std::string text = m.Expose();
  EXPECT_TRUE(Contains(text, "# TYPE x_total counter\nx_total 1\n"));
  EXPECT_FALSE(Contains(text, "99"));
}

TEST(Metrics, CollectorsAppendAtScrapeTime) {
  Metrics m;
  int calls = 0;
  m.AddCollector([&calls](std::string* out) {
    ++calls;
    Metrics::AppendHeader("y", "Y.", Metrics::Type::kGauge, out);
    Metrics::AppendSample("y", {}, calls, out);
  });
  EXPECT_TRUE(Contains(m.Expose(), "y 1\n"));
  EXPECT_TRUE(Contains(m.Expose(), "y 2\n"));
}

TEST(Metrics, StoreMetricsIncludeRequestsPerFsync) {
  StoreMetrics s;
  s.appends = 300;
  s.events = 450;
  s.syncs = 12;
  s.sync_micros_total = 24000;
  s.disk_bytes = 4096;
  std::string text;
  AppendStoreMetrics(s, &text);
  EXPECT_TRUE(Contains(text, "actlog_events_ingested_total 450\n"));
  EXPECT_TRUE(Contains(text, "actlog_fsync_total 12\n"));
  EXPECT_TRUE(Contains(text, "actlog_requests_per_fsync 25\n"));
  EXPECT_TRUE(Contains(text, "actlog_fsync_seconds_total 0.024\n"));
  EXPECT_TRUE(Contains(text, "actlog_fsync_average_seconds 0.002\n"));
  EXPECT_TRUE(Contains(text, "actlog_store_size_bytes 4096\n"));
  StoreMetrics none;
  std::string empty;
  AppendStoreMetrics(none, &empty);
  EXPECT_TRUE(Contains(empty, "actlog_requests_per_fsync 0\n"));
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
  Metrics m;
  Counter* c = m.GetCounter("n_total", "h");
  Histogram* h = m.GetHistogram("d_seconds", "h", {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c->Increment();
        h->Observe(0.001);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c->value(), 40000);
  EXPECT_EQ(h->count(), 40000u);
}

}  // namespace
}  // namespace actlog::server
