// The routes of `actlog serve` and what every handler file gets to serve them.
//
// Each handler file (one per resource) defines one Register*Routes function that adds
// its routes: router.Add(Method::kGet, "/v1/events/{id}", Access::kRead, handler).
// server.cc builds one ServerContext and calls every Register function once at start,
// before serving; handlers capture `ServerContext&` (it outlives every request).
//
// Owners may add members for their services (key ring, live feed, ingest queue): add a
// pointer member with a comment, and set it in server.cc (S1) or say where it is set.
#pragma once

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/store.h"
#include "server/authenticator.h"
#include "server/config.h"
#include "server/metrics.h"
#include "server/router.h"

namespace actlog::server {

class KeyRing;      // auth.h (S2)
class RateLimiter;  // rate_limit.h (S2)
class AdminLog;     // admin_log.h (S2)
class IngestQueue;  // ingest_queue.h (S3)
class LiveFeed;     // live_feed.h (S3)
}  // namespace actlog::server
namespace actlog::integrity {
class Checkpointer;  // integrity/checkpointer.h
}  // namespace actlog::integrity
namespace actlog::server {

// Shared services of one server. Plain struct: every pointer is owned by the Server
// (server.h) and outlives all requests. The pointed-to services are thread-safe (each
// header says so); the struct itself is not modified after start.
struct ServerContext {
  Store* store = nullptr;               // events; every call via Exchange::Blocking()
  const Catalog* catalog = nullptr;     // known codes, mode (strict/open)
  const Clock* clock = nullptr;         // the one source of time
  Metrics* metrics = nullptr;           // Prometheus registry (/metrics)
  const Authenticator* auth = nullptr;  // what the router authenticates with
  ServerOptions options;                // limits and settings as started

  // Services of the handler files. server.cc creates the key ring, admin log and rate
  // limiter; event_services.cc creates the ingest queue and live feed on first use.
  KeyRing* key_ring = nullptr;
  RateLimiter* rate_limiter = nullptr;
  AdminLog* admin_log = nullptr;
  IngestQueue* ingest_queue = nullptr;
  LiveFeed* live_feed = nullptr;
  // Signs and keeps checkpoints (server.cc creates it; handlers_integrity.cc serves them).
  integrity::Checkpointer* checkpointer = nullptr;
};

// One per handler file.
void RegisterHealthRoutes(Router& router, ServerContext& ctx);       // handlers_health.cc
void RegisterEventRoutes(Router& router, ServerContext& ctx);        // handlers_events.cc
void RegisterCatalogRoutes(Router& router, ServerContext& ctx);      // handlers_catalog.cc
void RegisterStatsRoutes(Router& router, ServerContext& ctx);        // handlers_stats.cc
void RegisterStreamRoutes(Router& router, ServerContext& ctx);       // handlers_stream.cc
void RegisterExportRoutes(Router& router, ServerContext& ctx);       // handlers_export.cc
void RegisterOrgRoutes(Router& router, ServerContext& ctx);          // handlers_orgs.cc
void RegisterSubjectRoutes(Router& router, ServerContext& ctx);      // handlers_subjects.cc
void RegisterKeyRoutes(Router& router, ServerContext& ctx);          // handlers_keys.cc
void RegisterViewerTokenRoutes(Router& router, ServerContext& ctx);  // handlers_viewer_tokens.cc
void RegisterIntegrityRoutes(Router& router, ServerContext& ctx);    // handlers_integrity.cc
// Called by RegisterIntegrityRoutes: checkpoints and the public key.
void RegisterCheckpointRoutes(Router& router, ServerContext& ctx);   // handlers_checkpoints.cc
void RegisterWebRoutes(Router& router, ServerContext& ctx);          // handlers_web.cc

// All of the above, in that order.
void RegisterAllRoutes(Router& router, ServerContext& ctx);

}  // namespace actlog::server
