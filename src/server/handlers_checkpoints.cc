// Signed checkpoints of each org's tree (DESIGN §6, §9; docs/INTEGRITY.md):
//   GET /v1/orgs/{org}/checkpoint, GET /v1/orgs/{org}/log/checkpoint -> text/plain: the
//     org's newest signed checkpoint (integrity/checkpointer.h: a new one is signed when
//     the tree grew, at most once a second per org; the background signer does the same);
//   GET /v1/orgs/{org}/checkpoints[?cursor=&limit=N] -> {"data":[{"size","note"}…],
//     "next_cursor"}: every kept checkpoint, smallest tree first (limit 1..200, default 100);
//   GET /v1/public-key -> text/plain: the vkey that verifies the checkpoints.
// An org without events or creation is 404; another org's is 403.
#include <charconv>
#include <string>

#include "actlog/json.h"
#include "integrity/checkpointer.h"
#include "server/errors.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

constexpr uint64_t kDefaultListLimit = 100;
constexpr uint64_t kMaxListLimit = 200;

Response Text(std::string body) {
  Response r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

std::string OrgParam(const Request& request) {
  return request.path_params.count("org") ? request.path_params.at("org") : "";
}

Awaitable<void> LatestCheckpoint(Exchange& ex, ServerContext& ctx) {
  std::string org = OrgParam(ex.request());
  if (!CanRead(ex.principal(), org)) {
    co_await ex.Respond(Response::Error(Forbidden("this credential cannot read org " + org)));
    co_return;
  }
  StatusOr<std::string> note = co_await ex.Blocking([&ctx, &org]() -> StatusOr<std::string> {
    StatusOr<OrgInfo> info = ctx.store->GetOrg(org);  // no checkpoints for unknown orgs
    if (!info.ok()) return info.status();
    return ctx.checkpointer->Latest(org);
  });
  if (!note.ok()) {
    co_await ex.Respond(Response::Error(note.status()));
    co_return;
  }
  co_await ex.Respond(Text(std::move(note).value()));
}

// A decimal query parameter, `fallback` when absent.
StatusOr<uint64_t> NumberParam(const Request& request, std::string_view name, uint64_t fallback) {
  std::optional<std::string> text = request.Query(name);
  if (!text) return fallback;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size()) {
    return InvalidArgument("invalid_query", std::string(name) + " must be a non-negative integer");
  }
  return value;
}

struct CheckpointPage {
  std::vector<StoredCheckpoint> checkpoints;
  bool more = false;
};

Awaitable<void> ListCheckpoints(Exchange& ex, ServerContext& ctx) {
  const Request& request = ex.request();
  std::string org = OrgParam(request);
  if (!CanRead(ex.principal(), org)) {
    co_await ex.Respond(Response::Error(Forbidden("this credential cannot read org " + org)));
    co_return;
  }
  Status bad = Status::Ok();
  for (const auto& [name, value] : request.query) {
    if (name != "cursor" && name != "limit") bad = InvalidQuery("unknown query parameter " + name);
  }
  StatusOr<uint64_t> from = NumberParam(request, "cursor", 0);
  StatusOr<uint64_t> limit = NumberParam(request, "limit", kDefaultListLimit);
  if (bad.ok() && !from.ok()) bad = InvalidQuery("invalid cursor");
  if (bad.ok() && !limit.ok()) bad = limit.status();
  if (bad.ok() && (*limit == 0 || *limit > kMaxListLimit))
    bad = InvalidQuery("limit must be 1-200");
  if (!bad.ok()) {
    co_await ex.Respond(Response::Error(bad));
    co_return;
  }
  uint64_t first = *from, n = *limit;
  StatusOr<CheckpointPage> page =
      co_await ex.Blocking([&ctx, &org, first, n]() -> StatusOr<CheckpointPage> {
        StatusOr<OrgInfo> info = ctx.store->GetOrg(org);
        if (!info.ok()) return info.status();
        auto listed = ctx.store->ListCheckpoints(org, first, n + 1);
        if (!listed.ok()) return listed.status();
        CheckpointPage out{std::move(listed).value(), false};
        out.more = out.checkpoints.size() > n;
        if (out.more) out.checkpoints.resize(n);
        return out;
      });
  if (!page.ok()) {
    co_await ex.Respond(Response::Error(page.status()));
    co_return;
  }
  Json::Array data;
  for (const StoredCheckpoint& c : page->checkpoints) {
    Json item = Json::MakeObject();
    item.Set("size", Json::Number(static_cast<double>(c.size)));
    item.Set("note", Json::String(c.note));
    data.push_back(std::move(item));
  }
  Json body = Json::MakeObject();
  body.Set("data", Json::MakeArray(std::move(data)));
  body.Set("next_cursor",
           page->more ? Json::String(std::to_string(page->checkpoints.back().size + 1)) : Json());
  co_await ex.Respond(Response::Json(200, CanonicalJson(body)));
}

Awaitable<void> PublicKey(Exchange& ex, ServerContext& ctx) {
  co_await ex.Respond(Text(ctx.checkpointer->VerifierKey() + "\n"));
}

}  // namespace

void RegisterCheckpointRoutes(Router& router, ServerContext& ctx) {
  if (ctx.checkpointer == nullptr) return;  // a context built without one (some unit tests)
  router.Add(Method::kGet, "/v1/orgs/{org}/checkpoint", Access::kRead,
             [&ctx](Exchange& ex) { return LatestCheckpoint(ex, ctx); });
  router.Add(Method::kGet, "/v1/orgs/{org}/log/checkpoint", Access::kRead,
             [&ctx](Exchange& ex) { return LatestCheckpoint(ex, ctx); });
  router.Add(Method::kGet, "/v1/orgs/{org}/checkpoints", Access::kRead,
             [&ctx](Exchange& ex) { return ListCheckpoints(ex, ctx); });
  router.Add(Method::kGet, "/v1/public-key", Access::kPublic,
             [&ctx](Exchange& ex) { return PublicKey(ex, ctx); });
}

}  // namespace actlog::server
