// Metrics: a small Prometheus registry (counters, gauges, histograms with fixed buckets,
// each with labels) and its text exposition format 0.0.4 for GET /metrics.
//
// Usage: look a series up once and keep the pointer (lookups take a mutex, updates are
// lock-free atomics):
//   Counter* c = metrics->GetCounter("actlog_events_ingested_total", "Events stored.");
//   c->Increment(n);
//   metrics->GetGauge("actlog_ingest_queue_depth", "…")->Set(depth);
//   metrics->GetHistogram("actlog_http_request_duration_seconds", "…",
//                         {{"route", "/v1/events"}}, kLatencyBuckets)->Observe(0.004);
// A name keeps its first type, help and buckets. Collectors add series computed at
// scrape time (store counters).
//
// Thread-safe: every method, from any thread. Pointers returned stay valid for the
// registry's lifetime.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace actlog::server {

// Label name -> value, sorted by name (so the same labels are the same series).
using Labels = std::map<std::string, std::string>;

// Latency buckets in seconds, from 0.5 ms to 10 s.
inline const std::vector<double> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                    0.1,    0.25,  0.5,    1,     2.5,  5,     10};

class Counter {
 public:
  void Increment(double by = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double by);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double v);
  // Cumulative count per bucket (le = bounds()[i]), then +Inf = count().
  std::vector<uint64_t> CumulativeCounts() const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // non-cumulative, one per bound
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

class Metrics {
 public:
  enum class Type { kCounter, kGauge, kHistogram };

  // Returns the series, creating it (and its family with `help`) on first use. If `name`
  // was registered with another type, returns a private series that is never exposed
  // (so a naming bug cannot crash the server) and logs nothing; tests catch it.
  Counter* GetCounter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge* GetGauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram* GetHistogram(std::string_view name, std::string_view help, const Labels& labels,
                          const std::vector<double>& bounds = kLatencyBuckets);

  // A collector appends complete exposition lines (with # HELP/# TYPE) at scrape time,
  // e.g. store counters read from Store::Metrics(). Called under no registry lock.
  void AddCollector(std::function<void(std::string* out)> collector);

  // The Prometheus text format 0.0.4: families sorted by name, series by labels.
  std::string Expose() const;

  // Helpers for collectors: one "# HELP"/"# TYPE" header and one sample line.
  static void AppendHeader(std::string_view name, std::string_view help, Type type,
                           std::string* out);
  static void AppendSample(std::string_view name, const Labels& labels, double value,
                           std::string* out);
  // Label values escaped per the format (\\, \", \n).
  static std::string EscapeLabelValue(std::string_view v);

 private:
  struct Family {
    Type type;
    std::string help;
    std::vector<double> bounds;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
  };
  Family* FamilyFor(std::string_view name, std::string_view help, Type type,
                    const std::vector<double>* bounds);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;        // guarded by mu_
  std::deque<Counter> stray_counters_;                         // guarded by mu_ (type clashes)
  std::deque<Gauge> stray_gauges_;                             // guarded by mu_
  std::deque<Histogram> stray_histograms_;                     // guarded by mu_
  std::vector<std::function<void(std::string*)>> collectors_;  // guarded by mu_
};

}  // namespace actlog::server
