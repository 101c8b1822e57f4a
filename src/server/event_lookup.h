// One event by id, as the caller may see it: shared by GET /v1/events/{id} and the
// inclusion-proof route so both apply the same visibility rule. Runs the store read on
// the blocking pool; call from a handler coroutine.
#pragma once

#include <string>

#include "actlog/status.h"
#include "actlog/store.h"
#include "server/http_exchange.h"

namespace actlog::server {

// The event `id` of `org`. NotFound when absent, and also for another actor's event
// under a viewer token limited to one actor, so that its existence does not leak.
Awaitable<StatusOr<StoredEvent>> GetVisibleEvent(Exchange& ex, Store* store,
                                                 const std::string& org,
                                                 const std::string& id);

}  // namespace actlog::server
