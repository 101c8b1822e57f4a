// GET /v1/export?org=…&format=jsonl|csv + the filters of GET /v1/events (kRead): every
// matching event, oldest first, streamed with chunked transfer encoding in constant
// memory whatever the export's size (DESIGN §5): one page of Store::Query at a time
// (kMaxQueryLimit events), rendered and written, the write awaited before the next page
// is read. Content-Disposition names a file actlog-<org>-<time>.<jsonl|csv>.
//
// An export by an admin key is logged first, as actlog.export:created in the org (its
// metadata: the format and the filters, without actor_email or text, which may be
// personal). If that log fails, no export. The export shows the log as it was asked
// for: its own actlog.export:created event is left out (later exports include it). A store error in
// the middle of the stream ends it without the final chunk, so the client sees an incomplete body,
// never a silently short file.
#include <string>

#include "actlog/json.h"
#include "core/export_format.h"
#include "server/admin_log.h"
#include "server/errors.h"
#include "server/event_query_params.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

// "20261129T101503Z" for file names.
std::string CompactTime(int64_t us) {
  std::string t = FormatTimestamp(us).substr(0, 19);  // 2026-11-29T10:15:03
  std::string out;
  for (char c : t) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out + "Z";
}

Status BadFormat(const std::string& name) {
  return InvalidArgument("invalid_query", "format must be jsonl or csv",
                         {ErrorDetail{std::nullopt, "format", "invalid_value", name}});
}

Json ExportMetadata(const EventQuery& query, std::string_view format) {
  EventQuery shown = query;
  shown.text.clear();
  auto personal = [](const FieldFilter& f) { return f.field == QueryField::kActorEmail; };
  std::erase_if(shown.include, personal);
  std::erase_if(shown.exclude, personal);
  Json metadata = Json::MakeObject();
  metadata.Set("format", Json::String(std::string(format)));
  metadata.Set("filters", Json::String(FormatSearchString(shown)));
  return metadata;
}

Awaitable<void> Export(Exchange& ex, ServerContext& ctx) {
  QueryParamRules rules;
  rules.extra = {"format"};
  rules.paging = false;
  rules.default_order = Order::kAsc;
  StatusOr<EventQuery> query = EventQueryFromParams(ex.request(), ex.principal(), rules);
  if (!query.ok()) {
    co_await ex.Respond(Response::Error(query.status()));
    co_return;
  }
  std::string format_name = ex.request().Query("format").value_or("jsonl");
  std::optional<ExportFormat> format = ParseExportFormat(format_name);
  if (!format) {
    co_await ex.Respond(Response::Error(BadFormat(format_name)));
    co_return;
  }
  query->limit = kMaxQueryLimit;
  std::string own_event;  // the actlog.export:created of this very export
  if (IsAdmin(ex.principal()) && ctx.admin_log != nullptr) {
    AdminLog* log = ctx.admin_log;
    const Principal& by = ex.principal();
    Json metadata = ExportMetadata(*query, format_name);
    StatusOr<AppendResult> logged = co_await ex.Blocking(
        [log, &by, &query, &metadata] { return log->ExportCreated(by, query->org, metadata); });
    if (!logged.ok()) {
      co_await ex.Respond(Response::Error(logged.status()));
      co_return;
    }
    own_event = logged->id;
  }

  Response head;
  head.content_type = std::string(ExportContentType(*format));
  head.headers = {
      {"Content-Disposition", "attachment; filename=\"actlog-" + query->org + "-" +
                                  CompactTime(ctx.clock->NowMicros()) + "." + format_name + "\""},
      {"Cache-Control", "no-store"}};
  co_await ex.BeginStream(std::move(head));
  std::string chunk;
  AppendExportHeader(*format, &chunk);
  Store* store = ctx.store;
  for (;;) {
    StatusOr<QueryPage> page =
        co_await ex.Blocking([store, &query] { return store->Query(*query); });
    if (!page.ok()) co_return;  // no final chunk: the client sees the export fail
    for (const StoredEvent& stored : page->events) {
      if (!own_event.empty() && stored.event.id == own_event) continue;
      AppendExportEvent(stored.event, *ctx.catalog, *format, &chunk);
    }
    if (!chunk.empty() && !co_await ex.Write(std::move(chunk))) co_return;
    chunk.clear();
    if (!page->next_cursor || ex.stopping()) break;
    query->cursor = *page->next_cursor;
  }
  if (ex.stopping()) co_return;  // cut short by shutdown: incomplete, not a short file
  co_await ex.EndStream();
}

}  // namespace

void RegisterExportRoutes(Router& router, ServerContext& ctx) {
  router.Add(Method::kGet, "/v1/export", Access::kRead,
             [&ctx](Exchange& ex) { return Export(ex, ctx); });
}

}  // namespace actlog::server
