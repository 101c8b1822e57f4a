// Metrics registry and Prometheus text exposition (metrics.h).
#include "server/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "actlog/json.h"

namespace actlog::server {
namespace {

void AtomicAdd(std::atomic<double>& a, double by) {
  double old = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(old, old + by, std::memory_order_relaxed)) {
  }
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  return FormatJsonNumber(v);
}

std::string_view TypeName(Metrics::Type type) {
  switch (type) {
    case Metrics::Type::kCounter:
      return "counter";
    case Metrics::Type::kGauge:
      return "gauge";
    case Metrics::Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

void Counter::Increment(double by) { AtomicAdd(value_, by); }
void Gauge::Add(double by) { AtomicAdd(value_, by); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out;
  uint64_t total = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out.push_back(total);
  }
  return out;
}

Metrics::Family* Metrics::FamilyFor(std::string_view name, std::string_view help, Type type,
                                    const std::vector<double>* bounds) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    Family family{type, std::string(help), bounds ? *bounds : std::vector<double>{}, {}, {}, {}};
    it = families_.emplace(std::string(name), std::move(family)).first;
  }
  return it->second.type == type ? &it->second : nullptr;
}

Counter* Metrics::GetCounter(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Family* f = FamilyFor(name, help, Type::kCounter, nullptr);
  if (f == nullptr) return &stray_counters_.emplace_back();
  auto& slot = f->counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return slot.get();
}

Gauge* Metrics::GetGauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Family* f = FamilyFor(name, help, Type::kGauge, nullptr);
  if (f == nullptr) return &stray_gauges_.emplace_back();
  auto& slot = f->gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return slot.get();
}

Histogram* Metrics::GetHistogram(std::string_view name, std::string_view help, const Labels& labels,
                                 const std::vector<double>& bounds) {
  std::lock_guard lock(mu_);
  Family* f = FamilyFor(name, help, Type::kHistogram, &bounds);
  if (f == nullptr) return &stray_histograms_.emplace_back(bounds);
  auto& slot = f->histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(f->bounds);
  return slot.get();
}

void Metrics::AddCollector(std::function<void(std::string*)> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::EscapeLabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void Metrics::AppendHeader(std::string_view name, std::string_view help, Type type,
                           std::string* out) {
  out->append("# HELP ").append(name).append(" ");
  for (char c : help) {  // help text escapes only backslash and newline
    if (c == '\\')
      out->append("\\\\");
    else if (c == '\n')
      out->append("\\n");
    else
      out->push_back(c);
  }
  out->append("\n# TYPE ").append(name).append(" ").append(TypeName(type)).append("\n");
}

void Metrics::AppendSample(std::string_view name, const Labels& labels, double value,
                           std::string* out) {
  out->append(name);
  if (!labels.empty()) {
    out->push_back('{');
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first) out->push_back(',');
      first = false;
      out->append(k).append("=\"").append(EscapeLabelValue(v)).append("\"");
    }
    out->push_back('}');
  }
  out->append(" ").append(FormatValue(value)).append("\n");
}

std::string Metrics::Expose() const {
  std::string out;
  std::vector<std::function<void(std::string*)>> collectors;
  {
    std::lock_guard lock(mu_);
    collectors = collectors_;
    for (const auto& [name, f] : families_) {
      AppendHeader(name, f.help, f.type, &out);
      for (const auto& [labels, c] : f.counters) AppendSample(name, labels, c->value(), &out);
      for (const auto& [labels, g] : f.gauges) AppendSample(name, labels, g->value(), &out);
      for (const auto& [labels, h] : f.histograms) {
        std::vector<uint64_t> cumulative = h->CumulativeCounts();
        std::string bucket = name + "_bucket";
        for (size_t i = 0; i < cumulative.size(); ++i) {
          Labels with_le = labels;
          with_le["le"] = FormatValue(h->bounds()[i]);
          AppendSample(bucket, with_le, static_cast<double>(cumulative[i]), &out);
        }
        Labels inf = labels;
        inf["le"] = "+Inf";
        uint64_t count = h->count();
        // count_ is bumped after the bucket: never report fewer than the buckets hold.
        if (!cumulative.empty()) count = std::max(count, cumulative.back());
        AppendSample(bucket, inf, static_cast<double>(count), &out);
        AppendSample(name + "_sum", labels, h->sum(), &out);
        AppendSample(name + "_count", labels, static_cast<double>(count), &out);
      }
    }
  }
  for (const auto& collect : collectors) collect(&out);
  return out;
}

}  // namespace actlog::server
