// GET /v1/events/stream?org=… + the filters of GET /v1/events (kRead): the live tail as
// Server-Sent Events (DESIGN §5). Each matching event is one frame
//   id: <seq>\nevent: event\ndata: <event JSON>\n\n
// A client that reconnects with Last-Event-ID: <seq> (or ?last_event_id=<seq>) first
// gets every matching event with a greater seq, read from the store, then new ones as
// they are ingested. Without it the stream starts at the org's current head (new events
// only). A comment ": ping" goes out after kHeartbeat without data.
//
// Memory stays bounded whatever the client does: events are read from the store in
// chunks (kScanChunk events, about kChunkBytes) and each chunk is written (awaited)
// before the next is read, so a slow reader only falls behind in the store; nothing
// queues for it. The live feed only says "the head moved" (live_feed.h). The stream
// ends when the client goes, when the server shuts down, or on a store error (an
// "event: error" frame first).
#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>

#include "actlog/json.h"
#include "privacy/blind_index.h"
#include "server/errors.h"
#include "server/event_matcher.h"
#include "server/event_output.h"
#include "server/event_query_params.h"
#include "server/event_services.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kHeartbeat = std::chrono::seconds(15);
constexpr uint64_t kScanChunk = 256;
constexpr size_t kChunkBytes = 1 << 20;

struct ScanResult {
  std::string frames;  // SSE frames of the matching events
  uint64_t next = 0;   // where the next scan starts
  bool more = false;   // the chunk was full: scan again at once
  Status status;
};

void AppendFrame(const Event& event, std::string* out) {
  *out += "id: " + std::to_string(event.seq) + "\nevent: event\ndata: ";
  AppendEventJson(event, out);
  *out += "\n\n";
}

// Reads events [from, from + kScanChunk) of `org` and renders those that match.
ScanResult ScanChunk(Store& store, const std::string& org, uint64_t from,
                     const EventMatcher& matcher) {
  ScanResult r;
  r.next = from;
  uint64_t seen = 0;
  r.status = store.Scan(org, from, from + kScanChunk, [&](const StoredEvent& stored) {
    ++seen;
    r.next = stored.event.seq + 1;
    if (matcher.Matches(stored.event, stored.canonical)) AppendFrame(stored.event, &r.frames);
    return r.frames.size() < kChunkBytes;
  });
  r.more = seen == kScanChunk || r.frames.size() >= kChunkBytes;
  return r;
}

StatusOr<std::optional<uint64_t>> LastEventId(const Request& request) {
  std::optional<std::string> text = request.Header("last-event-id");
  if (!text || text->empty()) text = request.Query("last_event_id");
  if (!text || text->empty()) return std::optional<uint64_t>();
  uint64_t seq = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seq);
  if (ec != std::errc() || end != text->data() + text->size() ||
      seq == std::numeric_limits<uint64_t>::max()) {
    return InvalidArgument("invalid_query", "Last-Event-ID must be an event seq",
                           {ErrorDetail{std::nullopt, "last_event_id", "invalid_value", *text}});
  }
  return std::optional<uint64_t>(seq);
}

// Where the stream starts: after Last-Event-ID, else at the org's current head.
Awaitable<StatusOr<uint64_t>> StartSeq(Exchange& ex, Store* store, const std::string& org) {
  StatusOr<std::optional<uint64_t>> last = LastEventId(ex.request());
  if (!last.ok()) co_return last.status();
  if (*last) co_return **last + 1;
  StatusOr<OrgInfo> info = co_await ex.Blocking([store, &org] { return store->GetOrg(org); });
  if (info.ok()) co_return info->event_count;
  if (info.status().code() == StatusCode::kNotFound) co_return uint64_t{0};
  co_return info.status();
}

Awaitable<void> Stream(Exchange& ex, ServerContext& ctx, LiveFeed& feed) {
  QueryParamRules rules;
  rules.extra = {"last_event_id"};
  rules.paging = false;
  StatusOr<EventQuery> query = EventQueryFromParams(ex.request(), ex.principal(), rules);
  if (!query.ok()) {
    co_await ex.Respond(Response::Error(query.status()));
    co_return;
  }
  Store* store = ctx.store;
  const std::string org = query->org;
  StatusOr<uint64_t> start = co_await StartSeq(ex, store, org);
  if (!start.ok()) {
    co_await ex.Respond(Response::Error(start.status()));
    co_return;
  }
  if (Status searchable = privacy::CheckSearchable(*query, *ctx.catalog); !searchable.ok()) {
    co_await ex.Respond(Response::Error(searchable));
    co_return;
  }
  const EventMatcher matcher(*query, ctx.catalog);
  Response head;
  head.content_type = "text/event-stream";
  head.headers = {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
  co_await ex.BeginStream(std::move(head));
  if (!co_await ex.Write(": connected\n\n")) co_return;

  uint64_t next = *start;
  bool scan = true;
  auto last_write = SteadyClock::now();
  while (!ex.stopping()) {
    while (scan) {
      ScanResult r = co_await ex.Blocking(
          [store, &org, next, &matcher] { return ScanChunk(*store, org, next, matcher); });
      if (!r.status.ok()) {
        std::string frame = "event: error\ndata: " + ErrorBody(r.status) + "\n\n";
        co_await ex.Write(std::move(frame));
        co_await ex.EndStream();
        co_return;
      }
      next = r.next;
      scan = r.more && !ex.stopping();
      if (r.frames.empty()) continue;
      if (!co_await ex.Write(std::move(r.frames))) co_return;
      last_write = SteadyClock::now();
    }
    if (ex.stopping()) break;
    auto idle = SteadyClock::now() - last_write;
    if (idle >= kHeartbeat) {
      if (!co_await ex.Write(": ping\n\n")) co_return;
      last_write = SteadyClock::now();
      scan = true;  // events appended by other paths (admin log) are not notified
      continue;
    }
    auto left = std::chrono::duration_cast<milliseconds>(kHeartbeat - idle);
    // Sleeps until new events, the next heartbeat or shutdown (Server::Shutdown calls
    // LiveFeed::Shutdown): no polling.
    scan = co_await feed.Wait(org, next, left + milliseconds(1));
    if (!scan && feed.shut_down()) break;
  }
  co_await ex.EndStream();
}

}  // namespace

void RegisterStreamRoutes(Router& router, ServerContext& ctx) {
  std::shared_ptr<LiveFeed> feed = SharedLiveFeed(ctx);
  router.Add(Method::kGet, "/v1/events/stream", Access::kRead,
             [&ctx, feed](Exchange& ex) { return Stream(ex, ctx, *feed); });
}

}  // namespace actlog::server
