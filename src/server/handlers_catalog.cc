// GET /v1/event-types (any key or viewer token): the catalog grouped by resource
// (DESIGN §2 "Catalog"):
//   {"data":[{"resource":"org.member","types":[{"code":…,"description":…},…]},…]}
// Resources sorted by name, codes sorted within each resource.
#include <map>
#include <string>

#include "actlog/json.h"
#include "server/catalog_output.h"
#include "server/routes.h"

namespace actlog::server {

std::string EventTypesBody(const Catalog& catalog) {
  std::map<std::string, std::vector<const CatalogEntry*>> by_resource;
  for (const CatalogEntry& entry : catalog.entries()) {
    by_resource[std::string(Catalog::ResourceOf(entry.code))].push_back(&entry);
  }
  std::string out = "{\"data\":[";
  bool first_resource = true;
  for (auto& [resource, entries] : by_resource) {
    if (!first_resource) out.push_back(',');
    first_resource = false;
    out += "{\"resource\":";
    AppendJsonString(resource, &out);
    out += ",\"types\":[";
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += "{\"code\":";
      AppendJsonString(entries[i]->code, &out);
      out += ",\"description\":";
      AppendJsonString(entries[i]->description, &out);
      out.push_back('}');
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

void RegisterCatalogRoutes(Router& router, ServerContext& ctx) {
  // The catalog is immutable while serving: render it once.
  auto body = std::make_shared<const std::string>(EventTypesBody(*ctx.catalog));
  router.Add(
      Method::kGet, "/v1/event-types", Access::kAnyKey,
      [body](Exchange& ex) -> Awaitable<void> { co_await ex.Respond(Response::Json(200, *body)); });
}

}  // namespace actlog::server
