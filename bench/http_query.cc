// actlog_http_query: page latency of `GET /v1/events` over one keep-alive connection, for
// scripts/bench.sh (the reads are described in page_latency.h).
//
//   actlog_http_query --port P --key KEY --org ORG --code CODE --actor ACTOR
//                     [--depth 100000] [--reps 1000]
//
// The figures include what a client pays: HTTP, the server's JSON encoding of 50 events
// and loopback TCP. The SQL baselines are measured in-process through their client
// libraries, without any HTTP, so the comparison is tilted against actlog.
#include "load_common.h"
#include "page_latency.h"

namespace actlog::bench {
namespace {

int CountEvents(const std::string& body) {
  int n = 0;
  for (size_t at = body.find("\"seq\":"); at != std::string::npos;
       at = body.find("\"seq\":", at + 1)) {
    ++n;
  }
  return n;
}

std::optional<std::string> NextCursor(const std::string& body) {
  static const std::string kKey = "\"next_cursor\":\"";
  size_t at = body.rfind(kKey);
  if (at == std::string::npos) return std::nullopt;
  size_t start = at + kKey.size();
  size_t end = body.find('"', start);
  if (end == std::string::npos) return std::nullopt;
  return body.substr(start, end - start);
}

int Main(int argc, char** argv) {
  int port = 0, reps = 1000;
  long depth = 100000;
  std::string key, org, code, actor;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--port")
      port = std::atoi(value.c_str());
    else if (flag == "--key")
      key = value;
    else if (flag == "--org")
      org = value;
    else if (flag == "--code")
      code = value;
    else if (flag == "--actor")
      actor = value;
    else if (flag == "--depth")
      depth = std::atol(value.c_str());
    else if (flag == "--reps")
      reps = std::atoi(value.c_str());
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (port <= 0 || key.empty() || org.empty() || code.empty() || actor.empty() || reps <= 0) {
    std::fprintf(stderr,
                 "usage: actlog_http_query --port P --key KEY --org ORG --code CODE --actor ID "
                 "[--depth 100000] [--reps 1000]\n");
    return 2;
  }
  HttpConnection conn(port, key);
  PageFn fetch = [&](const PageRequest& r, PageAnswer* answer) {
    std::string target = "/v1/events?org=" + UrlEncode(org) + "&limit=" + std::to_string(r.limit);
    if (!r.code.empty()) target += "&code=" + UrlEncode(r.code);
    if (!r.actor.empty()) target += "&actor=" + UrlEncode(r.actor);
    if (!r.cursor.empty()) target += "&cursor=" + UrlEncode(r.cursor);
    std::string body;
    int status = conn.Send("GET", target, "", &body);
    if (status != 200) {
      std::fprintf(stderr, "GET %s: status %d %s\n", target.c_str(), status,
                   body.substr(0, 300).c_str());
      return false;
    }
    answer->events = CountEvents(body);
    answer->next_cursor = NextCursor(body);
    return true;
  };
  std::printf("actlog over HTTP, org %s\n", org.c_str());
  return MeasureAllPages(fetch, code, actor, depth, reps) ? 0 : 1;
}

}  // namespace
}  // namespace actlog::bench

int main(int argc, char** argv) { return actlog::bench::Main(argc, argv); }
