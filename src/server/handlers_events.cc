// POST /v1/events (ingest), GET /v1/events (list), GET /v1/events/{id} (one event):
// DESIGN §2, §4, §5, §9.
//
// Ingest: Content-Type application/json (else 415) -> ParseIngestBody with the catalog
// (413 body_too_large, 400 invalid_json, 422 invalid_event with details) -> every
// event's org must pass CanIngest (403 forbidden, details name each index) -> the batch
// is admitted into the bounded ingest queue (503 queue_full + Retry-After when full) ->
// Store::AppendAsync (embedded store) or Store::Append on the blocking pool (others);
// either way concurrent appends share one fsync -> 201
// {"data":[{"id","seq"}…]}, or 200 when every event was an exact duplicate; 409
// id_conflict for a reused client id with other content -> the live feed learns each
// org's new head.
#include <algorithm>
#include <map>
#include <utility>

#include "server/errors.h"
#include "server/event_output.h"
#include "server/event_lookup.h"
#include "server/event_query_params.h"
#include "server/event_services.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

// ParseIngestBody's syntax errors carry ParseJson's own codes (malformed_json,
// invalid_utf8, …); the API answers them all as invalid_json, the original code kept
// as a detail.
Status AsApiError(const Status& status) {
  const std::string& code = status.error_code();
  if (code == "invalid_event" || code == "body_too_large") return status;
  if (status.code() == StatusCode::kResourceExhausted) return BodyTooLarge(status.message());
  Status out = InvalidJson(status.message());
  out.mutable_details().push_back(ErrorDetail{std::nullopt, "", code, status.message()});
  for (const ErrorDetail& d : status.details()) out.mutable_details().push_back(d);
  return out;
}

Status CheckIngestOrgs(const Principal& principal, const std::vector<Event>& events) {
  std::vector<ErrorDetail> details;
  for (size_t i = 0; i < events.size(); ++i) {
    if (CanIngest(principal, events[i].org)) continue;
    details.push_back(
        ErrorDetail{i, "org", "forbidden", "this key may not write to org " + events[i].org});
  }
  if (details.empty()) return Status::Ok();
  Status st = Forbidden("this key may not write to the org of " + std::to_string(details.size()) +
                        " event(s)");
  st.mutable_details() = std::move(details);
  return st;
}

// Each org's new head (highest new seq + 1) after an append.
void NotifyFeed(LiveFeed& feed, const std::vector<AppendResult>& results) {
  std::map<std::string_view, uint64_t> heads;
  for (const AppendResult& r : results) {
    if (r.duplicate) continue;
    uint64_t& head = heads[r.org];
    head = std::max(head, r.seq + 1);
  }
  for (const auto& [org, head] : heads) feed.Notify(org, head);
}

// A store that completes appends on its own thread (the embedded store's group-commit
// committer) gets the batch straight from the I/O thread: one hand-off in, one out, no
// thread parked per request. Others append on the blocking pool.
Awaitable<StatusOr<std::vector<AppendResult>>> AppendEvents(Exchange& ex, Store& store,
                                                            std::vector<Event>& events) {
  using Result = StatusOr<std::vector<AppendResult>>;
  if (store.AppendsAsync()) {
    co_return co_await ex.Async<Result>([&store, &events](std::function<void(Result)> resume) {
      store.AppendAsync(std::move(events), std::move(resume));
    });
  }
  co_return co_await ex.Blocking([&store, &events] { return store.Append(std::move(events)); });
}

Awaitable<void> Ingest(Exchange& ex, ServerContext& ctx, IngestQueue& queue, LiveFeed& feed) {
  const Request& request = ex.request();
  if (Status st = CheckJsonContentType(request); !st.ok()) {
    co_await ex.Respond(Response::Error(st));
    co_return;
  }
  StatusOr<std::vector<Event>> events = ParseIngestBody(request.body, *ctx.catalog, EventLimits{});
  if (!events.ok()) {
    co_await ex.Respond(Response::Error(AsApiError(events.status())));
    co_return;
  }
  if (Status st = CheckIngestOrgs(ex.principal(), *events); !st.ok()) {
    co_await ex.Respond(Response::Error(st));
    co_return;
  }
  std::optional<IngestQueue::Ticket> ticket = queue.TryAdmit(events->size());
  if (!ticket) {
    co_await ex.Respond(
        Response::Error(QueueFull("the ingest queue is full (" + std::to_string(queue.capacity()) +
                                  " events in flight); retry after the Retry-After delay")));
    co_return;
  }
  StatusOr<std::vector<AppendResult>> appended = co_await AppendEvents(ex, *ctx.store, *events);
  ticket.reset();
  if (!appended.ok()) {
    co_await ex.Respond(Response::Error(appended.status()));
    co_return;
  }
  NotifyFeed(feed, *appended);
  int status = AllDuplicates(*appended) ? 200 : 201;
  co_await ex.Respond(Response::Json(status, IngestResultBody(*appended)));
}

Awaitable<void> List(Exchange& ex, ServerContext& ctx) {
  StatusOr<EventQuery> query = EventQueryFromParams(ex.request(), ex.principal(), {});
  if (!query.ok()) {
    co_await ex.Respond(Response::Error(query.status()));
    co_return;
  }
  Store* store = ctx.store;
  StatusOr<QueryPage> page = co_await ex.Blocking([store, &query] { return store->Query(*query); });
  if (!page.ok()) {
    co_await ex.Respond(Response::Error(page.status()));
    co_return;
  }
  co_await ex.Respond(Response::Json(200, EventListBody(*page)));
}

Awaitable<void> GetOne(Exchange& ex, ServerContext& ctx) {
  const Request& request = ex.request();
  for (const auto& [name, value] : request.query) {
    if (name != "org") {
      co_await ex.Respond(Response::Error(InvalidQuery("unknown query parameter " + name)));
      co_return;
    }
  }
  StatusOr<std::string> org = ReadOrg(request, ex.principal());
  if (!org.ok()) {
    co_await ex.Respond(Response::Error(org.status()));
    co_return;
  }
  std::string id = request.path_params.count("id") ? request.path_params.at("id") : "";
  Store* store = ctx.store;
  StatusOr<StoredEvent> stored = co_await GetVisibleEvent(ex, store, *org, id);
  if (!stored.ok()) {
    co_await ex.Respond(Response::Error(stored.status()));
    co_return;
  }
  std::string body;  // the event itself, as in a list's "data" array
  AppendEventJson(stored->event, &body);
  co_await ex.Respond(Response::Json(200, std::move(body)));
}

}  // namespace

void RegisterEventRoutes(Router& router, ServerContext& ctx) {
  std::shared_ptr<IngestQueue> queue = SharedIngestQueue(ctx);
  std::shared_ptr<LiveFeed> feed = SharedLiveFeed(ctx);
  router.Add(Method::kPost, "/v1/events", Access::kIngest,
             [&ctx, queue, feed](Exchange& ex) { return Ingest(ex, ctx, *queue, *feed); });
  router.Add(Method::kGet, "/v1/events", Access::kRead,
             [&ctx](Exchange& ex) { return List(ex, ctx); });
  router.Add(Method::kGet, "/v1/events/{id}", Access::kRead,
             [&ctx](Exchange& ex) { return GetOne(ex, ctx); });
}

}  // namespace actlog::server
