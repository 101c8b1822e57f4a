// actlog_baseline_load: the PostgreSQL and SQLite baselines of scripts/bench.sh
// (baseline.h), fed the same JSON Lines file as actlog and asked the same pages.
//
//   actlog_baseline_load (--pg URL | --sqlite FILE) --file EVENTS.jsonl
//       [--batch 1000] [--connections 4] [--copy 1] [--org org_bench]
//       [--code CODE --actor ID] [--depth 100000] [--reps 1000]
//       [--single-seconds 10] [--single-connections 64] [--single-org org_single]
//
// In order: batch load with multi-row INSERT (one transaction per --batch rows, on
// --connections connections); bytes on disk; page latency (page_latency.h); durable
// single-row INSERTs on --single-connections connections for --single-seconds; then,
// with --copy 1, the table is recreated and the same file loaded again with COPY.
// Prints RESULT lines (load_common.h) for scripts/bench.sh.
#include <atomic>
#include <chrono>
#include <thread>

#include "baseline.h"
#include "load_common.h"
#include "page_latency.h"

namespace actlog::bench {
namespace {

struct Options {
  std::string pg, sqlite, file;
  size_t batch = 1000;
  int connections = 4;
  bool copy = false;
  std::string org = "org_bench", code, actor, single_org = "org_single";
  long depth = 100000;
  int reps = 1000;
  double single_seconds = 10;
  int single_connections = 64;
};

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Loads the whole file in batches on o.connections threads; returns events/s, 0 on error.
double Load(Baseline* base, const Options& o, bool copy, long* loaded) {
  LineBatches lines(o.file);
  std::atomic<long> events{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    std::string error;
    std::unique_ptr<Connection> conn = base->Connect(&error);
    std::vector<std::string> batch;
    std::vector<Row> rows;
    while (conn && !failed && lines.Next(o.batch, &batch)) {
      rows.resize(batch.size());
      for (size_t i = 0; i < batch.size(); ++i) {
        if (!ParseRow(batch[i], &rows[i], &error)) break;
      }
      if (!error.empty() ||
          !(copy ? conn->CopyBatch(rows, &error) : conn->InsertBatch(rows, &error)))
        break;
      events += static_cast<long>(rows.size());
    }
    if (!conn || !error.empty()) {
      std::fprintf(stderr, "%s load: %s\n", base->Name().c_str(), error.c_str());
      failed = true;
    }
  };
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < o.connections; ++i) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  double seconds = Since(t0);
  *loaded = events;
  if (failed) return 0;
  std::printf("%s %s: %ld events in %.2f s on %d connections, batches of %zu: %.0f events/s\n",
              base->Name().c_str(), copy ? "COPY" : "multi-row INSERT", events.load(), seconds,
              o.connections, o.batch, events / seconds);
  return events / seconds;
}

bool ReportBytes(Baseline* base, const std::string& key, long events) {
  std::string error;
  if (!base->Settle(&error)) {
    std::fprintf(stderr, "%s: %s\n", base->Name().c_str(), error.c_str());
    return false;
  }
  double bytes = base->BytesOnDisk();
  std::printf("%s on disk: %.0f bytes (%.0f bytes/event)\n", base->Name().c_str(), bytes,
              bytes / events);
  Result(key, bytes / events);
  return true;
}

// Durable one-row transactions on many connections, as single-event requests would be.
bool Single(Baseline* base, const Options& o) {
  std::vector<Row> rows;
  {
    LineBatches lines(o.file);
    std::vector<std::string> head;
    lines.Next(200000, &head);
    std::string error;
    for (const std::string& line : head) {
      Row row;
      if (!ParseRow(line, &row, &error)) return false;
      row.org = o.single_org;
      rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) return false;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::vector<double>> latencies(o.single_connections);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<long>(o.single_seconds * 1000));
  auto worker = [&](int index) {
    std::string error;
    std::unique_ptr<Connection> conn = base->Connect(&error);
    while (conn && !failed && std::chrono::steady_clock::now() < deadline) {
      size_t n = next.fetch_add(1);
      Row row = rows[n % rows.size()];
      row.id = "single-" + std::to_string(n);
      auto t0 = std::chrono::steady_clock::now();
      if (!conn->InsertOne(row, &error)) break;
      latencies[index].push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    if (!conn || !error.empty()) {
      std::fprintf(stderr, "%s single insert: %s\n", base->Name().c_str(), error.c_str());
      failed = true;
    }
  };
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < o.single_connections; ++i) threads.emplace_back(worker, i);
  for (std::thread& t : threads) t.join();
  double seconds = Since(t0);
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  std::printf(
      "%s single-row INSERT, %d connections: %zu in %.2f s = %.0f/s, p50 %.2f ms "
      "p99 %.2f ms\n",
      base->Name().c_str(), o.single_connections, all.size(), seconds, all.size() / seconds,
      Quantile(all, 0.5), Quantile(all, 0.99));
  Result("single_requests_per_s", all.size() / seconds);
  Result("single_p50_ms", Quantile(all, 0.5));
  Result("single_p99_ms", Quantile(all, 0.99));
  return !failed;
}

bool Queries(Baseline* base, const Options& o) {
  std::string error;
  std::unique_ptr<Connection> conn = base->Connect(&error);
  if (!conn) {
    std::fprintf(stderr, "%s: %s\n", base->Name().c_str(), error.c_str());
    return false;
  }
  PageFn fetch = [&](const PageRequest& r, PageAnswer* answer) {
    if (conn->Page(o.org, r, answer, &error)) return true;
    std::fprintf(stderr, "%s page: %s\n", base->Name().c_str(), error.c_str());
    return false;
  };
  std::printf("%s, org %s\n", base->Name().c_str(), o.org.c_str());
  return MeasureAllPages(fetch, o.code, o.actor, o.depth, o.reps);
}

int Main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--pg")
      o.pg = value;
    else if (flag == "--sqlite")
      o.sqlite = value;
    else if (flag == "--file")
      o.file = value;
    else if (flag == "--batch")
      o.batch = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--connections")
      o.connections = std::atoi(value.c_str());
    else if (flag == "--copy")
      o.copy = value == "1";
    else if (flag == "--org")
      o.org = value;
    else if (flag == "--code")
      o.code = value;
    else if (flag == "--actor")
      o.actor = value;
    else if (flag == "--depth")
      o.depth = std::atol(value.c_str());
    else if (flag == "--reps")
      o.reps = std::atoi(value.c_str());
    else if (flag == "--single-seconds")
      o.single_seconds = std::atof(value.c_str());
    else if (flag == "--single-connections")
      o.single_connections = std::atoi(value.c_str());
    else if (flag == "--single-org")
      o.single_org = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (o.pg.empty() == o.sqlite.empty() || o.file.empty() || o.code.empty() || o.actor.empty() ||
      o.batch == 0 || o.connections <= 0 || o.reps <= 0) {
    std::fprintf(stderr,
                 "usage: actlog_baseline_load (--pg URL | --sqlite FILE) --file EVENTS.jsonl "
                 "--code CODE --actor ID [--batch 1000] [--connections 4] [--copy 1] ...\n");
    return 2;
  }
  std::string error;
  std::unique_ptr<Baseline> base =
      o.pg.empty() ? NewSqliteBaseline(o.sqlite, &error) : NewPostgresBaseline(o.pg, &error);
  if (!base || !base->Reset(&error)) {
    std::fprintf(stderr, "baseline: %s\n", error.c_str());
    return 1;
  }
  long events = 0;
  double rate = Load(base.get(), o, /*copy=*/false, &events);
  if (rate <= 0) return 1;
  Result("insert_events_per_s", rate);
  if (!ReportBytes(base.get(), "bytes_per_event", events)) return 1;
  if (!Queries(base.get(), o)) return 1;
  if (o.single_seconds > 0 && !Single(base.get(), o)) return 1;
  if (o.copy) {
    if (!base->Reset(&error)) {
      std::fprintf(stderr, "baseline: %s\n", error.c_str());
      return 1;
    }
    rate = Load(base.get(), o, /*copy=*/true, &events);
    if (rate <= 0) return 1;
    Result("copy_events_per_s", rate);
    if (!ReportBytes(base.get(), "copy_bytes_per_event", events)) return 1;
  }
  return 0;
}

}  // namespace
}  // namespace actlog::bench

int main(int argc, char** argv) { return actlog::bench::Main(argc, argv); }
