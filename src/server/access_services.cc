// Opening the access services together (access_services.h).
#include "server/access_services.h"

namespace actlog::server {

StatusOr<AccessServices> OpenAccessServices(Store* store, const Catalog* catalog,
                                            const Clock* clock,
                                            std::optional<std::string> supplied_admin_key,
                                            RateLimitOptions rate_limit) {
  AccessServices services;
  StatusOr<std::unique_ptr<KeyRing>> ring = KeyRing::Open(store, clock);
  if (!ring.ok()) return ring.status();
  services.key_ring = std::move(ring).value();
  StatusOr<std::optional<std::string>> admin_key =
      services.key_ring->EnsureAdminKey(std::move(supplied_admin_key));
  if (!admin_key.ok()) return admin_key.status();
  services.new_admin_key = std::move(admin_key).value();
  services.admin_log = std::make_unique<AdminLog>(store, catalog);
  services.rate_limiter = std::make_unique<RateLimiter>(rate_limit, clock);
  return services;
}

}  // namespace actlog::server
