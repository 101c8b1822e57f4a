// GET / and the Activity Log page's files (docs/WEB.md): public, since the page holds no
// data; everything it shows comes from /v1 with the reader's own credential.
//
// Every answer carries a strict Content-Security-Policy (scripts and styles only from
// this origin, no inline code, no plugins, fetches only to this origin), nosniff and
// no-referrer. Caching: the files are not content-addressed, so they are revalidated
// every time (no-cache) with their strong ETag; a match answers 304 without the body.
#include <optional>
#include <string>
#include <string_view>

#include "server/routes.h"
#include "server/web_assets.h"

namespace actlog::server {
namespace {

// frame-ancestors is left open on purpose: the page is meant to be embedded in the
// platform's own dashboard (DESIGN §3, viewer tokens); it shows only what the token in
// its fragment can read.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'";

// True when an If-None-Match header lists `etag` (or is "*"). Weak validators compare
// weakly, as RFC 9110 §13.1.2 asks for If-None-Match.
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view tag = header.substr(pos, comma - pos);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    pos = comma + 1;
  }
  return false;
}

Response AssetResponse(const WebAsset& asset, const Request& request) {
  Response response;
  response.headers = {
      {"Content-Security-Policy", std::string(kContentSecurityPolicy)},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-cache"},
      {"ETag", std::string(asset.etag)},
  };
  std::optional<std::string> none_match = request.Header("if-none-match");
  if (none_match && NoneMatchHits(*none_match, asset.etag)) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  response.status = 200;
  response.content_type = std::string(asset.content_type);
  response.body = std::string(asset.body);
  return response;
}

void AddAsset(Router& router, std::string_view path, const WebAsset& asset) {
  router.Add(Method::kGet, path, Access::kPublic, [&asset](Exchange& ex) -> Awaitable<void> {
    co_await ex.Respond(AssetResponse(asset, ex.request()));
  });
}

}  // namespace

void RegisterWebRoutes(Router& router, ServerContext& /*ctx*/) {
  for (const WebAsset& asset : WebAssets()) {
    AddAsset(router, asset.path, asset);
    if (asset.path == "/index.html") AddAsset(router, "/", asset);
  }
}

}  // namespace actlog::server
