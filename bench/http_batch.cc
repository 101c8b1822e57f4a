// actlog_http_batch: durable batch ingest over HTTP, for scripts/bench.sh.
//
//   actlog_http_batch --port P --key KEY --file EVENTS.jsonl [--batch 1000]
//                     [--connections 4] [--limit N]
//
// Reads the JSON Lines file (e.g. `actlog demo` output) and sends it as
// `{"events":[…]}` batches of --batch lines on --connections keep-alive connections,
// one request at a time each. Every 2xx answer means the batch was fsynced (DESIGN §4),
// so events/s is the durable rate. Reading and framing the file happen in the timed
// loop (they are cheap beside the request); the file should sit in the page cache.
#include <atomic>
#include <chrono>
#include <thread>

#include "load_common.h"

namespace actlog::bench {
namespace {

struct Options {
  int port = 0;
  std::string key;
  std::string file;
  size_t batch = 1000;
  int connections = 4;
  long limit = 0;
};

struct Worker {
  std::vector<double> latencies_ms;
  long events = 0;
  long failed_batches = 0;
  std::string first_error;
};

void Run(const Options& o, LineBatches* lines, Worker* w) {
  HttpConnection conn(o.port, o.key);
  std::vector<std::string> batch;
  std::string body, answer;
  while (lines->Next(o.batch, &batch)) {
    body = "{\"events\":[";
    for (size_t i = 0; i < batch.size(); ++i) {
      if (i > 0) body.push_back(',');
      body += batch[i];
    }
    body += "]}";
    auto t0 = std::chrono::steady_clock::now();
    int status = conn.Send("POST", "/v1/events", body, &answer);
    auto t1 = std::chrono::steady_clock::now();
    w->latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    if (status / 100 == 2) {
      w->events += static_cast<long>(batch.size());
    } else {
      ++w->failed_batches;
      if (w->first_error.empty()) {
        w->first_error = "status " + std::to_string(status) + ": " + answer.substr(0, 300);
      }
    }
  }
}

int Main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--port")
      o.port = std::atoi(value.c_str());
    else if (flag == "--key")
      o.key = value;
    else if (flag == "--file")
      o.file = value;
    else if (flag == "--batch")
      o.batch = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--connections")
      o.connections = std::atoi(value.c_str());
    else if (flag == "--limit")
      o.limit = std::atol(value.c_str());
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (o.port <= 0 || o.key.empty() || o.file.empty() || o.batch == 0 || o.connections <= 0) {
    std::fprintf(stderr,
                 "usage: actlog_http_batch --port P --key KEY --file EVENTS.jsonl [--batch 1000] "
                 "[--connections 4] [--limit N]\n");
    return 2;
  }
  LineBatches lines(o.file, o.limit);
  if (!lines.ok()) {
    std::fprintf(stderr, "cannot read %s\n", o.file.c_str());
    return 2;
  }
  std::vector<Worker> workers(o.connections);
  std::vector<std::thread> threads;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < o.connections; ++i)
    threads.emplace_back(Run, std::cref(o), &lines, &workers[i]);
  for (std::thread& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::vector<double> all;
  long events = 0, failed = 0;
  for (Worker& w : workers) {
    all.insert(all.end(), w.latencies_ms.begin(), w.latencies_ms.end());
    events += w.events;
    failed += w.failed_batches;
    if (!w.first_error.empty()) std::fprintf(stderr, "first error: %s\n", w.first_error.c_str());
  }
  std::sort(all.begin(), all.end());
  std::printf(
      "batch ingest: %ld events in %.2f s on %d connections, %zu batches of %zu, "
      "%ld failed\n",
      events, seconds, o.connections, all.size(), o.batch, failed);
  std::printf("  %.0f events/s durable; batch latency ms p50 %.1f p99 %.1f max %.1f\n",
              events / seconds, Quantile(all, 0.5), Quantile(all, 0.99),
              all.empty() ? 0.0 : all.back());
  Result("batch_events", events);
  Result("batch_seconds", seconds);
  Result("batch_events_per_s", events / seconds);
  Result("batch_p50_ms", Quantile(all, 0.5));
  Result("batch_p99_ms", Quantile(all, 0.99));
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace actlog::bench

int main(int argc, char** argv) { return actlog::bench::Main(argc, argv); }
