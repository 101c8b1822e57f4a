// actlog tail: follow an organisation's log live over the HTTP API (GET
// /v1/events/stream, Server-Sent Events), with the filters of `query`. Needs --server
// (or ACTLOG_SERVER). Prints one event per line (JSON, or a table row); if the stream
// drops it reconnects with Last-Event-ID = the last seq seen, so nothing is missed or
// repeated. --from-seq N starts after seq N (replaying what came since).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "actlog/catalog.h"
#include "actlog/json.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/cli_format.h"
#include "cli/cli_remote.h"
#include "cli/http_client.h"

namespace actlog::cli {
namespace {

constexpr int kMaxReconnects = 10;

struct TailFlags {
  QueryFlags filters;
  std::string from_seq;
  long max_events = 0;  // 0 = follow until interrupted
};

std::shared_ptr<TailFlags>& Flags() {
  static std::shared_ptr<TailFlags> flags = std::make_shared<TailFlags>();
  return flags;
}

// Splits SSE frames out of `buffer`; prints each event frame. False once max_events
// were printed.
class FramePrinter {
 public:
  explicit FramePrinter(const TailFlags& flags) : flags_(flags) {}

  bool Feed(std::string_view bytes) {
    buffer_.append(bytes);
    size_t end;
    while ((end = buffer_.find("\n\n")) != std::string::npos) {
      std::string frame = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      std::string id, event, data;
      size_t pos = 0;
      while (pos <= frame.size()) {
        size_t eol = frame.find('\n', pos);
        std::string line = frame.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        pos = eol == std::string::npos ? frame.size() + 1 : eol + 1;
        if (line.rfind("id: ", 0) == 0) id = line.substr(4);
        if (line.rfind("event: ", 0) == 0) event = line.substr(7);
        if (line.rfind("data: ", 0) == 0) data += line.substr(6);
      }
      if (event == "error") {
        PrintError("the server ended the stream: " + data);
        failed_ = true;
        return false;
      }
      if (data.empty()) continue;  // heartbeats
      if (!id.empty()) last_id_ = id;
      std::string out = data + "\n";
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fflush(stdout);
      ++printed_;
      if (flags_.max_events > 0 && printed_ >= flags_.max_events) return false;
    }
    return true;
  }
  const std::string& last_id() const { return last_id_; }
  bool done() const { return failed_ || (flags_.max_events > 0 && printed_ >= flags_.max_events); }
  bool failed() const { return failed_; }

 private:
  const TailFlags& flags_;
  std::string buffer_;
  std::string last_id_;
  long printed_ = 0;
  bool failed_ = false;
};

int RunLocalTail() {
  PrintError("tail follows a server: give --server URL --key KEY (or ACTLOG_SERVER, ACTLOG_KEY)");
  return kExitUsage;
}

}  // namespace

int RunRemoteTail(CLI::App* cmd, const RemoteOptions& remote) {
  const TailFlags& flags = *Flags();
  StatusOr<HttpUrl> url = ParseHttpUrl(remote.server);
  if (!url.ok()) return FailWith(url.status());
  std::string error;
  std::string target = "/v1/events/stream" + RemoteFilterQuery(cmd, &error);
  if (!error.empty()) {
    PrintError(error);
    return kExitUsage;
  }
  FramePrinter printer(flags);
  std::string last = flags.from_seq;
  HttpClient client(*url, remote.key);
  for (int attempt = 0; attempt <= kMaxReconnects && !printer.done(); ++attempt) {
    HttpHeaders headers = {{"Accept", "text/event-stream"}};
    if (!last.empty()) headers.push_back({"Last-Event-ID", last});
    StatusOr<HttpReply> reply =
        client.Stream(target, headers, [&](std::string_view bytes) { return printer.Feed(bytes); });
    if (!printer.last_id().empty()) last = printer.last_id();
    if (reply.ok() && reply->status != 200) {
      PrintError(DescribeHttpError(*reply));
      return kExitUsage;
    }
    if (printer.done()) break;
    if (attempt == kMaxReconnects) return reply.ok() ? kExitUsage : FailWith(reply.status());
    std::this_thread::sleep_for(std::chrono::seconds(1));  // then resume after `last`
  }
  return printer.failed() ? kExitUsage : kExitOk;
}

Command RegisterTailCommand(CLI::App* app) {
  std::shared_ptr<TailFlags> flags = Flags();
  CLI::App* cmd = app->add_subcommand(
      "tail", "Follow an organisation's events live from a server (needs --server, --key)");
  AddQueryFlags(cmd, &flags->filters, Order::kAsc);
  cmd->add_option("--from-seq", flags->from_seq,
                  "Start after this seq (replays newer events first)");
  cmd->add_option("--max-events", flags->max_events, "Stop after this many events (0: follow)")
      ->capture_default_str();
  return Command{cmd, [] { return RunLocalTail(); }};
}

}  // namespace actlog::cli
