// Server wiring (server.h).
#include "server/server.h"

#include <cstdio>
#include <vector>

#include "actlog/demo.h"
#include "actlog/event.h"
#include "server/admin_log.h"
#include "server/auth.h"
#include "server/errors.h"
#include "server/live_feed.h"
#include "server/rate_limit.h"

namespace actlog::server {

// How often the retention job prunes (it also runs once at start).
constexpr std::chrono::hours kRetentionInterval{1};
// How often a server on a shared store (PostgreSQL) reloads the API keys.
constexpr std::chrono::seconds kKeyRefreshInterval{2};

void RegisterAllRoutes(Router& router, ServerContext& ctx) {
  RegisterHealthRoutes(router, ctx);
  RegisterEventRoutes(router, ctx);
  RegisterCatalogRoutes(router, ctx);
  RegisterStatsRoutes(router, ctx);
  RegisterStreamRoutes(router, ctx);
  RegisterExportRoutes(router, ctx);
  RegisterOrgRoutes(router, ctx);
  RegisterSubjectRoutes(router, ctx);
  RegisterKeyRoutes(router, ctx);
  RegisterViewerTokenRoutes(router, ctx);
  RegisterIntegrityRoutes(router, ctx);
  RegisterWebRoutes(router, ctx);
}

void AppendStoreMetrics(const StoreMetrics& m, std::string* out) {
  using T = Metrics::Type;
  auto one = [out](const char* name, const char* help, T type, double value) {
    Metrics::AppendHeader(name, help, type, out);
    Metrics::AppendSample(name, {}, value, out);
  };
  one("actlog_events_ingested_total", "Events newly stored (duplicates not counted).", T::kCounter,
      static_cast<double>(m.events));
  one("actlog_duplicate_events_total", "Events answered from an earlier identical append.",
      T::kCounter, static_cast<double>(m.duplicates));
  one("actlog_appends_total", "Successful store appends (one per ingest request).", T::kCounter,
      static_cast<double>(m.appends));
  one("actlog_failed_appends_total", "Store appends that returned an error.", T::kCounter,
      static_cast<double>(m.failed_appends));
  one("actlog_fsync_total", "Group-commit writes synced to disk.", T::kCounter,
      static_cast<double>(m.syncs));
  one("actlog_fsync_seconds_total", "Wall time spent in group-commit writes.", T::kCounter,
      static_cast<double>(m.sync_micros_total) / 1e6);
  one("actlog_fsync_average_seconds", "Mean time of one group-commit write.", T::kGauge,
      m.syncs == 0 ? 0.0 : static_cast<double>(m.sync_micros_total) / 1e6 / m.syncs);
  one("actlog_requests_per_fsync", "Appends per synced write: how well group commit works.",
      T::kGauge, m.syncs == 0 ? 0.0 : static_cast<double>(m.appends) / m.syncs);
  one("actlog_store_size_bytes", "Approximate on-disk size of the store.", T::kGauge,
      static_cast<double>(m.disk_bytes));
}

StatusOr<std::unique_ptr<Server>> Server::Create(const ServerOptions& options, ServerDeps deps) {
  std::unique_ptr<Server> server(new Server());
  Status st = server->Init(options, std::move(deps));
  if (!st.ok()) return st;
  return server;
}

Status Server::Init(const ServerOptions& options, ServerDeps deps) {
  StatusOr<ListenAddress> address = ParseListenAddress(options.listen);
  if (!address.ok()) return address.status();
  address_ = *address;

  catalog_ = Catalog::BuiltIn(options.catalog_mode);
  if (!options.catalog_file.empty())
    ACTLOG_RETURN_IF_ERROR(catalog_.LoadFile(options.catalog_file));

  const Clock* clock = deps.clock ? deps.clock : SystemClock::Default();
  store_ = std::move(deps.store);
  if (!store_) {
    StoreOptions store_options;
    store_options.data_dir = options.data_dir;
    store_options.url = options.store_url;
    store_options.clock = clock;
    store_options.catalog = &catalog_;  // which values are personal (sealed)
    StatusOr<std::unique_ptr<Store>> opened = OpenStore(store_options);
    if (!opened.ok()) return opened.status();
    store_ = std::move(*opened);
  }
  Store* store = store_.get();
  StatusOr<std::unique_ptr<KeyRing>> ring = KeyRing::Open(store, clock);
  if (!ring.ok()) return ring.status();
  key_ring_ = std::move(*ring);
  StatusOr<std::optional<std::string>> supplied = SuppliedAdminKey(options);
  if (!supplied.ok()) return supplied.status();
  StatusOr<std::optional<std::string>> created = key_ring_->EnsureAdminKey(*supplied);
  if (!created.ok()) return created.status();
  created_admin_key_ = *created;
  authenticator_ = std::move(deps.authenticator);
  admin_log_ = std::make_unique<AdminLog>(store, &catalog_);
  RateLimitOptions limits;
  limits.rate_per_second = options.rate_limit_per_second;
  limits.burst = options.rate_limit_burst;
  rate_limiter_ = std::make_unique<RateLimiter>(limits, clock);
  retention_job_ = std::make_unique<privacy::RetentionJob>(
      store, clock, &catalog_, kRetentionInterval, [](const Status& failed) {
        std::fprintf(stderr, "retention: %s\n", failed.ToString().c_str());
      });

  StatusOr<std::unique_ptr<integrity::Checkpointer>> checkpointer = integrity::Checkpointer::Open(
      store, clock, CheckpointKeyFile(options), options.log_name);
  if (!checkpointer.ok()) return checkpointer.status();
  checkpointer_ = std::move(checkpointer).value();
  if (options.checkpoint_interval_ms > 0) {
    checkpoint_signer_ = std::make_unique<integrity::CheckpointSigner>(
        store, checkpointer_.get(), std::chrono::milliseconds(options.checkpoint_interval_ms));
  }

  metrics_.AddCollector([store](std::string* out) { AppendStoreMetrics(store->Metrics(), out); });
  metrics_.GetGauge("actlog_ingest_queue_depth", "Ingest events accepted and not yet stored.");

  ctx_.store = store;
  ctx_.catalog = &catalog_;
  ctx_.clock = clock;
  ctx_.metrics = &metrics_;
  ctx_.auth = authenticator_ ? authenticator_.get() : key_ring_.get();
  ctx_.options = options;
  ctx_.key_ring = key_ring_.get();
  ctx_.admin_log = admin_log_.get();
  ctx_.rate_limiter = rate_limiter_.get();
  ctx_.checkpointer = checkpointer_.get();
  router_.set_authenticator(ctx_.auth);
  RegisterAllRoutes(router_, ctx_);
  ApplyRateLimit(router_, rate_limiter_.get());

  http_ = std::make_unique<HttpServer>(ctx_.options, router_, &metrics_);
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return InvalidArgument("invalid_config", "TLS needs both --tls-cert and --tls-key");
    }
    ACTLOG_RETURN_IF_ERROR(http_->EnableTls(options.tls_cert_file, options.tls_key_file));
  }
  return Status::Ok();
}

StatusOr<uint64_t> Server::SeedDemo(const std::string& org, uint64_t events) {
  StatusOr<OrgInfo> info = store_->GetOrg(org);
  if (info.ok() && info->event_count > 0) return uint64_t{0};
  if (!info.ok() && info.status().code() != StatusCode::kNotFound) return info.status();
  DemoOptions demo;
  demo.org = org;
  demo.events = events;
  // The demo should look like a live log: shift it so that its last event happened a
  // minute ago, not on the generator's fixed start date. A first pass (no validation)
  // finds the span; the events are otherwise those of `actlog demo`.
  int64_t last_us = demo.start_us;
  GenerateDemo(demo, [&last_us](const Json& producer) {
    const Json* at = producer.Find("occurred_at");
    if (at != nullptr && at->is_string()) {
      StatusOr<int64_t> t = ParseTimestamp(at->as_string());
      if (t.ok()) last_us = std::max(last_us, *t);
    }
    return true;
  });
  demo.start_us += ctx_.clock->NowMicros() - int64_t{60'000'000} - last_us;
  constexpr size_t kBatch = 500;
  std::vector<Event> batch;
  uint64_t stored = 0;
  Status failed;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    StatusOr<std::vector<AppendResult>> appended = store_->Append(std::move(batch));
    batch.clear();
    if (!appended.ok()) return appended.status();
    for (const AppendResult& r : *appended) stored += r.duplicate ? 0 : 1;
    return Status::Ok();
  };
  EventLimits limits;
  GenerateDemo(demo, [&](const Json& producer) {
    StatusOr<Event> event = ValidateEvent(producer, catalog_, limits);
    if (!event.ok()) {
      failed = event.status();
      return false;
    }
    batch.push_back(std::move(*event));
    if (batch.size() >= kBatch) failed = flush();
    return failed.ok();
  });
  if (failed.ok()) failed = flush();
  if (!failed.ok()) return failed;
  return stored;
}

Server::~Server() {
  if (started_ && !shut_down_) Shutdown();
}

Status Server::Start() {
  ACTLOG_RETURN_IF_ERROR(http_->Listen(address_));
  http_->Start();
  retention_job_->Start();
  if (checkpoint_signer_) checkpoint_signer_->Start();
  // Servers sharing a database see each other's key changes within this interval.
  if (!ctx_.options.store_url.empty()) {
    key_ring_->StartRefresh(kKeyRefreshInterval, [](const Status& failed) {
      std::fprintf(stderr, "keys: reload failed: %s\n", failed.ToString().c_str());
    });
  }
  started_ = true;
  return Status::Ok();
}

uint16_t Server::port() const { return http_->port(); }

std::string Server::url() const {
  std::string host = address_.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(http_->tls() ? "https" : "http") + "://" + host + ":" + std::to_string(port());
}

void Server::WaitForStopRequest() { http_->WaitForStopRequest(); }
void Server::RequestStop() { http_->RequestStop(); }

Status Server::Shutdown() {
  if (shut_down_) return Status::Ok();
  shut_down_ = true;
  LiveFeed* feed = ctx_.live_feed;
  int left = http_->Shutdown(std::chrono::milliseconds(ctx_.options.shutdown_grace_ms), [feed] {
    if (feed != nullptr) feed->Shutdown();  // parked live tails end now
  });
  if (left > 0) {
    std::fprintf(stderr, "shutdown: %d connection(s) still open after the grace period\n", left);
  }
  retention_job_->Stop();
  if (checkpoint_signer_) checkpoint_signer_->Stop();
  key_ring_->StopRefresh();
  return store_->Sync();
}

}  // namespace actlog::server
