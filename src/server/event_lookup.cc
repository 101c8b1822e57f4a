#include "server/event_lookup.h"

namespace actlog::server {

Awaitable<StatusOr<StoredEvent>> GetVisibleEvent(Exchange& ex, Store* store,
                                                 const std::string& org,
                                                 const std::string& id) {
  StatusOr<StoredEvent> stored =
      co_await ex.Blocking([store, &org, &id] { return store->Get(org, id); });
  const Principal& p = ex.principal();
  if (stored.ok() && p.kind == PrincipalKind::kViewer && p.actor &&
      stored->event.actor.id != *p.actor) {
    stored = NotFound("no event " + id + " in org " + org);
  }
  co_return stored;
}

}  // namespace actlog::server
