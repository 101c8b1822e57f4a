// GET /healthz, /readyz, /metrics (DESIGN §10): public, for load balancers and Prometheus.
#include "server/errors.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

// The process is up and serving HTTP.
Awaitable<void> Healthz(Exchange& ex) {
  co_await ex.Respond(Response::Json(200, R"({"status":"ok"})"));
}

// The store answers a read, and the server is not shutting down.
Awaitable<void> Readyz(Exchange& ex, ServerContext& ctx) {
  if (ex.stopping()) {
    co_await ex.Respond(Response::Error(Unavailable("the server is shutting down")));
    co_return;
  }
  Store* store = ctx.store;
  Status st = co_await ex.Blocking([store] {
    StatusOr<OrgInfo> probe = store->GetOrg("actlog_readyz_probe");
    return probe.ok() || probe.status().code() == StatusCode::kNotFound ? Status::Ok()
                                                                        : probe.status();
  });
  if (!st.ok()) {
    co_await ex.Respond(Response::Error(Unavailable("the store does not answer: " + st.message())));
    co_return;
  }
  co_await ex.Respond(Response::Json(200, R"({"status":"ready"})"));
}

Awaitable<void> MetricsText(Exchange& ex, ServerContext& ctx) {
  Metrics* metrics = ctx.metrics;
  // Collectors read store counters: cheap, but off the I/O thread all the same.
  std::string text = co_await ex.Blocking([metrics] { return metrics->Expose(); });
  Response response;
  response.status = 200;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = std::move(text);
  co_await ex.Respond(std::move(response));
}

}  // namespace

void RegisterHealthRoutes(Router& router, ServerContext& ctx) {
  router.Add(Method::kGet, "/healthz", Access::kPublic, Healthz);
  router.Add(Method::kGet, "/readyz", Access::kPublic,
             [&ctx](Exchange& ex) { return Readyz(ex, ctx); });
  router.Add(Method::kGet, "/metrics", Access::kPublic,
             [&ctx](Exchange& ex) { return MetricsText(ex, ctx); });
}

}  // namespace actlog::server
