// Routes of the viewer_tokens resource (DESIGN §9). Placeholder until the handlers land.
namespace actlog::server {

class Router;
struct ServerContext;

void RegisterViewerTokenRoutes(Router&, ServerContext&) {}

}  // namespace actlog::server
