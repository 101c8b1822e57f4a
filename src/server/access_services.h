// The access services of one server (DESIGN §3), opened together: the key ring (also the
// Authenticator), the admin log and the rate limiter, plus the admin key to print when
// the first start had to create one.
//
// Wiring in server.cc:
//   StatusOr<AccessServices> access = OpenAccessServices(store, &catalog, clock,
//                                                         supplied_admin_key, {});
//   ctx.key_ring = access->key_ring.get();  ctx.auth = ctx.key_ring;  (unless a test
//   supplied its own authenticator)  ctx.admin_log = ...;  ctx.rate_limiter = ...;
//   RegisterAllRoutes(router, ctx);  ApplyRateLimit(router, ctx.rate_limiter);
//   if (access->new_admin_key) print "admin key: <key>" once on stdout.
//
// Thread-safety: the services are thread-safe (see their headers); the struct is not.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/status.h"
#include "actlog/store.h"
#include "server/admin_log.h"
#include "server/auth.h"
#include "server/rate_limit.h"

namespace actlog::server {

struct AccessServices {
  std::unique_ptr<KeyRing> key_ring;
  std::unique_ptr<AdminLog> admin_log;
  std::unique_ptr<RateLimiter> rate_limiter;
  // Set when this start created the first admin key: print it once, never log it.
  std::optional<std::string> new_admin_key;
};

// Loads the key ring (KeyRing::Open), ensures an admin key (KeyRing::EnsureAdminKey with
// `supplied_admin_key` from --admin-key-file / ACTLOG_ADMIN_KEY) and creates the admin
// log and rate limiter. `store`, `catalog` and `clock` must outlive the services.
StatusOr<AccessServices> OpenAccessServices(Store* store, const Catalog* catalog,
                                            const Clock* clock,
                                            std::optional<std::string> supplied_admin_key,
                                            RateLimitOptions rate_limit);

}  // namespace actlog::server
