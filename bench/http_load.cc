// actlog_http_load: an HTTP ingest load generator for `actlog serve` (bench/http_ingest.sh).
//
//   actlog_http_load --port P --key KEY [--connections 64] [--seconds 10] [--org bench]
//                    [--requests N]   (per connection; 0 = run for --seconds)
//                    [--file EVENTS.jsonl]
//
// Without --file each request is a small `org:created` event; with --file the events are
// the file's lines in turn (e.g. `actlog demo` output), moved to --org and given distinct
// client ids, so every request stores a new event.
//
// Each connection is one thread with one keep-alive socket, sending single-event POST
// /v1/events with distinct client ids, one request at a time. Reports requests/s, p50/
// p99/max latency, non-2xx answers and connection errors, then reads /metrics before and
// after to report the server's fsyncs and appends per fsync for the run.
#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "load_common.h"

namespace {

using namespace actlog::bench;

struct Options {
  int port = 0;
  std::string key;
  int connections = 64;
  double seconds = 10;
  long requests = 0;
  std::string org = "bench";
  std::string file;
};

// The file's events, when --file is given.
std::vector<std::string> g_lines;
std::atomic<size_t> g_next_line{0};

std::string Get(int port, const std::string& target) {
  int fd = Connect(port);
  if (fd < 0) return "";
  std::string buf, body;
  if (WriteAll(fd, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
    ReadResponse(fd, &buf, &body);
  }
  ::close(fd);
  return body;
}

// Sum of every sample of `name` (with or without labels) in Prometheus text.
double MetricSum(const std::string& text, const std::string& name) {
  double sum = 0;
  size_t pos = 0;
  while ((pos = text.find(name, pos)) != std::string::npos) {
    bool line_start = pos == 0 || text[pos - 1] == '\n';
    size_t after = pos + name.size();
    pos = after;
    if (!line_start || after >= text.size() || (text[after] != ' ' && text[after] != '{')) continue;
    size_t space = text.find(' ', text[after] == '{' ? text.find('}', after) : after);
    sum += std::strtod(text.c_str() + space + 1, nullptr);
  }
  return sum;
}

struct Worker {
  std::vector<double> latencies_ms;
  long ok = 0, non2xx = 0, errors = 0;
  std::map<int, long> statuses;
};

void Run(const Options& o, int index, std::chrono::steady_clock::time_point deadline,
         std::atomic<bool>* start, Worker* w) {
  while (!start->load()) std::this_thread::yield();
  int fd = Connect(o.port);
  std::string buf;
  for (long i = 0; o.requests > 0 ? i < o.requests : std::chrono::steady_clock::now() < deadline;
       ++i) {
    if (fd < 0 && (fd = Connect(o.port)) < 0) {
      ++w->errors;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    std::string body;
    if (!g_lines.empty()) {
      size_t n = g_next_line.fetch_add(1);
      body = ReplaceString(g_lines[n % g_lines.size()], "\"org\":\"", o.org);
      body =
          ReplaceString(body, "\"id\":\"demo-", std::to_string(getpid()) + "-" + std::to_string(n));
    } else {
      body = "{\"org\":\"" + o.org + "\",\"code\":\"org:created\",\"id\":\"load-" +
             std::to_string(getpid()) + "-" + std::to_string(index) + "-" + std::to_string(i) +
             "\",\"actor\":{\"type\":\"user\",\"id\":\"u_" + std::to_string(i % 1000) + "\"}}";
    }
    std::string req =
        "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + o.key +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    auto t0 = std::chrono::steady_clock::now();
    int status = WriteAll(fd, req) ? ReadResponse(fd, &buf, nullptr) : 0;
    auto t1 = std::chrono::steady_clock::now();
    if (status == 0) {
      ++w->errors;
      ::close(fd);
      fd = -1;
      buf.clear();
      continue;
    }
    ++w->statuses[status];
    (status / 100 == 2 ? w->ok : w->non2xx)++;
    w->latencies_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  if (fd >= 0) ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--port")
      o.port = std::atoi(value.c_str());
    else if (flag == "--key")
      o.key = value;
    else if (flag == "--connections")
      o.connections = std::atoi(value.c_str());
    else if (flag == "--seconds")
      o.seconds = std::atof(value.c_str());
    else if (flag == "--requests")
      o.requests = std::atol(value.c_str());
    else if (flag == "--org")
      o.org = value;
    else if (flag == "--file")
      o.file = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (o.port <= 0 || o.key.empty() || o.connections <= 0) {
    std::fprintf(stderr,
                 "usage: actlog_http_load --port P --key KEY [--connections 64] [--seconds 10] "
                 "[--requests N] [--org bench]\n");
    return 2;
  }
  if (!o.file.empty()) {
    LineBatches lines(o.file);
    if (!lines.ok() || !lines.Next(200000, &g_lines)) {
      std::fprintf(stderr, "cannot read events from %s\n", o.file.c_str());
      return 2;
    }
  }
  std::string before = Get(o.port, "/metrics");
  std::vector<Worker> workers(o.connections);
  std::vector<std::thread> threads;
  std::atomic<bool> start{false};
  auto t0 = std::chrono::steady_clock::now();
  auto deadline = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(o.seconds));
  for (int i = 0; i < o.connections; ++i) {
    threads.emplace_back(Run, std::cref(o), i, deadline, &start, &workers[i]);
  }
  t0 = std::chrono::steady_clock::now();
  start = true;
  for (std::thread& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string after = Get(o.port, "/metrics");

  std::vector<double> all;
  long ok = 0, non2xx = 0, errors = 0;
  std::map<int, long> statuses;
  for (Worker& w : workers) {
    all.insert(all.end(), w.latencies_ms.begin(), w.latencies_ms.end());
    ok += w.ok;
    non2xx += w.non2xx;
    errors += w.errors;
    for (auto [s, n] : w.statuses) statuses[s] += n;
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  std::printf("connections %d, %.2f s, %zu responses, %ld 2xx, %ld non-2xx, %ld errors\n",
              o.connections, elapsed, all.size(), ok, non2xx, errors);
  for (auto [s, n] : statuses) std::printf("  status %d: %ld\n", s, n);
  std::printf("throughput %.0f requests/s (2xx: %.0f/s)\n", all.size() / elapsed, ok / elapsed);
  std::printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", pct(0.50), pct(0.90),
              pct(0.99), all.empty() ? 0.0 : all.back());
  Result("single_requests_per_s", all.size() / elapsed);
  Result("single_p50_ms", pct(0.50));
  Result("single_p99_ms", pct(0.99));
  Result("single_errors", non2xx + errors);
  double fsyncs = MetricSum(after, "actlog_fsync_total") - MetricSum(before, "actlog_fsync_total");
  double appends =
      MetricSum(after, "actlog_appends_total") - MetricSum(before, "actlog_appends_total");
  if (fsyncs > 0) {
    std::printf("server: %.0f fsyncs, %.0f appends -> %.1f appends (requests) per fsync\n", fsyncs,
                appends, appends / fsyncs);
    Result("single_appends_per_fsync", appends / fsyncs);
  } else {
    std::printf("server: fsync metrics not found in /metrics\n");
  }
  return errors == 0 && non2xx == 0 ? 0 : 1;
}
