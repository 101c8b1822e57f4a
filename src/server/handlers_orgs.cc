// Routes of the orgs resource (DESIGN §9). Placeholder until the handlers land.
namespace actlog::server {

class Router;
struct ServerContext;

void RegisterOrgRoutes(Router&, ServerContext&) {}

}  // namespace actlog::server
