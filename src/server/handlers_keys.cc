// Routes of the keys resource (DESIGN §9). Placeholder until the handlers land.
namespace actlog::server {

class Router;
struct ServerContext;

void RegisterKeyRoutes(Router&, ServerContext&) {}

}  // namespace actlog::server
