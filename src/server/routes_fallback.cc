// Temporary weak definitions of the Register functions whose handler files have not
// landed yet, so the server links meanwhile. A handler file's own (strong) definition
// replaces the fallback; this file goes once every handler file exists.
#include "server/routes.h"

namespace actlog::server {

#define ACTLOG_WEAK_ROUTES(name) \
  __attribute__((weak)) void name(Router&, ServerContext&) {}

ACTLOG_WEAK_ROUTES(RegisterEventRoutes)
ACTLOG_WEAK_ROUTES(RegisterCatalogRoutes)
ACTLOG_WEAK_ROUTES(RegisterStatsRoutes)
ACTLOG_WEAK_ROUTES(RegisterStreamRoutes)
ACTLOG_WEAK_ROUTES(RegisterExportRoutes)

#undef ACTLOG_WEAK_ROUTES

}  // namespace actlog::server
