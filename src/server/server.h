// Server: one `actlog serve` process — the store, catalog, clock, metrics, credentials,
// the routes of every handler file and the HTTP machinery, wired together (DESIGN §9–10).
//
//   StatusOr<std::unique_ptr<Server>> server = Server::Create(options);
//   server->Start();                    // listening; port() is the real port
//   server->WaitForStopRequest();       // SIGTERM / SIGINT / RequestStop()
//   server->Shutdown();                 // graceful: finish requests, end streams, sync
//
// Tests pass their own store, clock and authenticator through ServerDeps.
// Thread-safety: Create/Start/Shutdown from one thread; RequestStop from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/status.h"
#include "actlog/store.h"
#include "integrity/checkpointer.h"
#include "server/authenticator.h"
#include "server/config.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/routes.h"
#include "privacy/retention.h"

namespace actlog::server {

// What a caller may supply instead of the defaults.
struct ServerDeps {
  std::unique_ptr<Store> store;                  // null: open the store options name
  const Clock* clock = nullptr;                  // null: SystemClock::Default(); not owned
  std::unique_ptr<Authenticator> authenticator;  // null: the server's key ring
};

class Server {
 public:
  // Loads the catalog, opens the store, registers every route, prepares TLS. Does not
  // listen yet. Errors name what failed (config, catalog, store).
  static StatusOr<std::unique_ptr<Server>> Create(const ServerOptions& options,
                                                  ServerDeps deps = {});
  ~Server();

  // Binds options.listen and starts serving. After OK, port() is the real port.
  Status Start();
  uint16_t port() const;
  // "http://HOST:PORT" (https with TLS), with the real port.
  std::string url() const;

  void WaitForStopRequest();
  void RequestStop();

  // Graceful shutdown: stop accepting, let in-flight requests finish (ingest fsyncs
  // included) for up to options.shutdown_grace_ms, end streams, then Store::Sync().
  Status Shutdown();

  // The admin key created at this start (first start without a supplied key), to be
  // printed once; nullopt otherwise.
  const std::optional<std::string>& created_admin_key() const { return created_admin_key_; }

  // Seeds `org` with `events` demo events (GenerateDemo) unless it has events already.
  // Returns how many were stored now (0 if the org was seeded before).
  StatusOr<uint64_t> SeedDemo(const std::string& org, uint64_t events);

  ServerContext& context() { return ctx_; }
  Router& router() { return router_; }
  Metrics& metrics() { return metrics_; }

 private:
  Server() = default;
  Status Init(const ServerOptions& options, ServerDeps deps);

  Metrics metrics_;
  Catalog catalog_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Authenticator> authenticator_;  // from ServerDeps, if given
  std::unique_ptr<KeyRing> key_ring_;
  std::unique_ptr<AdminLog> admin_log_;
  std::unique_ptr<RateLimiter> rate_limiter_;
  // Prunes orgs past their retention_days once at start and then hourly.
  std::unique_ptr<privacy::RetentionJob> retention_job_;
  std::unique_ptr<integrity::Checkpointer> checkpointer_;
  std::unique_ptr<integrity::CheckpointSigner> checkpoint_signer_;  // null when off
  std::optional<std::string> created_admin_key_;
  ServerContext ctx_;
  Router router_;
  ListenAddress address_;
  std::unique_ptr<HttpServer> http_;
  bool started_ = false;
  bool shut_down_ = false;
};

// Store counters as Prometheus series: actlog_events_ingested_total, actlog_appends_total,
// actlog_fsync_total, actlog_fsync_seconds_total, actlog_requests_per_fsync,
// actlog_store_size_bytes, … (these names come from here; do not register them again).
void AppendStoreMetrics(const StoreMetrics& m, std::string* out);

}  // namespace actlog::server
