// Routes of the events API (S3); filled in step by step.
#include "server/routes.h"

namespace actlog::server {

void RegisterEventRoutes(Router& router, ServerContext& ctx) {
  (void)router;
  (void)ctx;
}

}  // namespace actlog::server
