// Proofs of each org's Merkle tree (DESIGN §6, §9; docs/INTEGRITY.md):
//   GET /v1/events/{id}/proof[?org=&size=N]  -> {"leaf_index","tree_size","leaf","hashes"}
//     the RFC 9162 inclusion proof of the event (leaf = base64 of its canonical bytes) in
//     the org's tree of N leaves (default: the current size);
//   GET /v1/orgs/{org}/consistency?from=A&to=B -> {"hashes":[…]}.
//   GET /v1/orgs/{org}/log/tile/{L}/{N}[.p/{W}] and
//     /v1/orgs/{org}/log/tile/entries/{N}[.p/{W}]: the tree as C2SP tlog-tiles (hash
//     tiles and entry bundles of canonical event bytes, application/octet-stream; full
//     tiles are immutable and say so in Cache-Control). A tile the tree does not have
//     (yet, or that wide) is 404; a malformed tile path is 400 invalid_tile_path.
// Hashes are standard base64. Bad sizes are 400 invalid_query; another org's event is
// 404 like in GET /v1/events/{id}. Checkpoints and the public key: handlers_checkpoints.cc.
#include <charconv>
#include <memory>
#include <optional>

#include "actlog/json.h"
#include "actlog/merkle.h"
#include "actlog/tiles.h"
#include "integrity/encoding.h"
#include "server/errors.h"
#include "server/event_lookup.h"
#include "server/event_query_params.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

Status BadQuery(std::string message) {
  return InvalidArgument("invalid_query", std::move(message));
}

// A decimal uint64 query parameter: nullopt if absent, invalid_query if malformed.
StatusOr<std::optional<uint64_t>> SizeParam(const Request& request, std::string_view name) {
  std::optional<std::string> text = request.Query(name);
  if (!text) return std::optional<uint64_t>();
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || text->empty()) {
    return BadQuery(std::string(name) + " must be a non-negative integer");
  }
  return std::optional<uint64_t>(value);
}

// invalid_proof_request from the store is the caller's mistake: 400 invalid_query.
Status AsApiError(const Status& status) {
  if (status.error_code() == "invalid_proof_request") return BadQuery(status.message());
  return status;
}

Json HashArray(const std::vector<std::string>& hashes) {
  Json::Array out;
  for (const std::string& h : hashes) out.push_back(Json::String(integrity::encoding::Base64Encode(h)));
  return Json::MakeArray(std::move(out));
}

Awaitable<void> Proof(Exchange& ex, ServerContext& ctx) {
  const Request& request = ex.request();
  for (const auto& [name, value] : request.query) {
    if (name != "org" && name != "size") {
      co_await ex.Respond(Response::Error(BadQuery("unknown query parameter " + name)));
      co_return;
    }
  }
  StatusOr<std::string> org = ReadOrg(request, ex.principal());
  StatusOr<std::optional<uint64_t>> size = SizeParam(request, "size");
  if (!org.ok() || !size.ok()) {
    co_await ex.Respond(Response::Error(!org.ok() ? org.status() : size.status()));
    co_return;
  }
  std::string id = request.path_params.count("id") ? request.path_params.at("id") : "";
  Store* store = ctx.store;
  StatusOr<StoredEvent> stored = co_await GetVisibleEvent(ex, store, *org, id);
  if (!stored.ok()) {
    co_await ex.Respond(Response::Error(stored.status()));
    co_return;
  }
  uint64_t seq = stored->event.seq;
  std::optional<uint64_t> want = *size;
  StatusOr<std::pair<uint64_t, std::vector<std::string>>> proof =
      co_await ex.Blocking([store, &org, seq, want]()
                               -> StatusOr<std::pair<uint64_t, std::vector<std::string>>> {
        uint64_t tree_size = 0;
        if (want) {
          tree_size = *want;
        } else {
          StatusOr<TreeHead> head = store->GetTreeHead(*org);
          if (!head.ok()) return head.status();
          tree_size = head->size;
        }
        auto hashes = store->InclusionProof(*org, seq, tree_size);
        if (!hashes.ok()) return hashes.status();
        return std::make_pair(tree_size, std::move(hashes).value());
      });
  if (!proof.ok()) {
    co_await ex.Respond(Response::Error(AsApiError(proof.status())));
    co_return;
  }
  Json body = Json::MakeObject();
  body.Set("leaf_index", Json::Number(static_cast<double>(seq)));
  body.Set("tree_size", Json::Number(static_cast<double>(proof->first)));
  body.Set("leaf", Json::String(integrity::encoding::Base64Encode(stored->canonical)));
  body.Set("hashes", HashArray(proof->second));
  co_await ex.Respond(Response::Json(200, CanonicalJson(body)));
}

Awaitable<void> Consistency(Exchange& ex, ServerContext& ctx) {
  const Request& request = ex.request();
  std::string org = request.path_params.count("org") ? request.path_params.at("org") : "";
  if (!CanRead(ex.principal(), org)) {
    co_await ex.Respond(Response::Error(Forbidden("this credential cannot read org " + org)));
    co_return;
  }
  StatusOr<std::optional<uint64_t>> from = SizeParam(request, "from");
  StatusOr<std::optional<uint64_t>> to = SizeParam(request, "to");
  Status bad = !from.ok() ? from.status() : !to.ok() ? to.status() : Status::Ok();
  if (bad.ok() && (!*from || !*to)) bad = BadQuery("from and to are required");
  if (!bad.ok()) {
    co_await ex.Respond(Response::Error(bad));
    co_return;
  }
  Store* store = ctx.store;
  uint64_t a = **from, b = **to;
  StatusOr<std::vector<std::string>> proof =
      co_await ex.Blocking([store, &org, a, b] { return store->ConsistencyProof(org, a, b); });
  if (!proof.ok()) {
    co_await ex.Respond(Response::Error(AsApiError(proof.status())));
    co_return;
  }
  Json body = Json::MakeObject();
  body.Set("hashes", HashArray(*proof));
  co_await ex.Respond(Response::Json(200, CanonicalJson(body)));
}

Response Bytes(std::string body, bool immutable) {
  Response r;
  r.content_type = "application/octet-stream";
  r.body = std::move(body);
  if (immutable) r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  return r;
}

// Hash tile or entry bundle `tile` of the org's current tree.
StatusOr<std::string> ReadLogTile(Store* store, const std::string& org,
                                  const integrity::TilePathInfo& info) {
  const integrity::TileId& tile = info.tile;
  if (!info.entries) return store->ReadTile(org, tile.level, tile.index, tile.width);
  StatusOr<TreeHead> head = store->GetTreeHead(org);
  if (!head.ok()) return head.status();
  uint64_t first = tile.index * integrity::kTileWidth;
  if (integrity::TileWidth(0, tile.index, head->size) < tile.width) {
    return NotFound("org " + org + " has no " + integrity::EntryBundlePath(tile.index, tile.width));
  }
  std::vector<std::string> entries;
  Status scanned = store->Scan(org, first, first + tile.width, [&entries](const StoredEvent& e) {
    entries.push_back(e.canonical);
    return true;
  });
  if (!scanned.ok()) return scanned;
  if (entries.size() != tile.width) {
    // Retention removed the first events on purpose (docs/PRIVACY.md): not damage.
    StatusOr<uint64_t> pruned = store->PrunedBelow(org);
    if (pruned.ok() && *pruned > first) {
      return NotFound("org " + org + " entries below seq " + std::to_string(*pruned) +
                      " were pruned by retention");
    }
    return DataLoss("events missing under entry bundle");
  }
  return integrity::EncodeEntryBundle(entries);
}

Awaitable<void> LogTile(Exchange& ex, ServerContext& ctx) {
  const Request& request = ex.request();
  std::string org = request.path_params.count("org") ? request.path_params.at("org") : "";
  if (!CanRead(ex.principal(), org)) {
    co_await ex.Respond(Response::Error(Forbidden("this credential cannot read org " + org)));
    co_return;
  }
  std::string path = request.path_params.count("path") ? request.path_params.at("path") : "";
  StatusOr<integrity::TilePathInfo> info = integrity::ParseTilePath("tile/" + path);
  if (!info.ok()) {
    co_await ex.Respond(Response::Error(info.status()));
    co_return;
  }
  // Entry bundles hold whole events; a viewer token limited to one actor must not see
  // other actors' events through them (hash tiles reveal no content and stay readable).
  const Principal& p = ex.principal();
  if (info->entries && p.kind == PrincipalKind::kViewer && p.actor) {
    co_await ex.Respond(Response::Error(
        Forbidden("a viewer token limited to one actor cannot read entry bundles")));
    co_return;
  }
  Store* store = ctx.store;
  integrity::TilePathInfo want = *info;
  StatusOr<std::string> bytes =
      co_await ex.Blocking([store, &org, want] { return ReadLogTile(store, org, want); });
  if (!bytes.ok()) {
    co_await ex.Respond(Response::Error(bytes.status()));
    co_return;
  }
  co_await ex.Respond(Bytes(std::move(bytes).value(), want.tile.full()));
}

}  // namespace

void RegisterIntegrityRoutes(Router& router, ServerContext& ctx) {
  router.Add(Method::kGet, "/v1/events/{id}/proof", Access::kRead,
             [&ctx](Exchange& ex) { return Proof(ex, ctx); });
  router.Add(Method::kGet, "/v1/orgs/{org}/consistency", Access::kRead,
             [&ctx](Exchange& ex) { return Consistency(ex, ctx); });
  router.Add(Method::kGet, "/v1/orgs/{org}/log/tile/{path...}", Access::kRead,
             [&ctx](Exchange& ex) { return LogTile(ex, ctx); });
  RegisterCheckpointRoutes(router, ctx);
}

}  // namespace actlog::server
