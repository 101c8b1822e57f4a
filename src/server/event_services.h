// The shared services of the events API (ingest queue, live feed), found or created
// from the ServerContext by the Register functions of handlers_events.cc and
// handlers_stream.cc.
//
// If server.cc set ctx.ingest_queue / ctx.live_feed, those are used (not owned here).
// Otherwise the first call creates the service, points the context at it and returns
// the owning pointer, which the caller keeps in its route handlers: the services then
// live exactly as long as the router's routes, which outlive every request.
//
// Call only while registering routes (single-threaded).
#pragma once

#include <memory>

#include "server/ingest_queue.h"
#include "server/live_feed.h"
#include "server/routes.h"

namespace actlog::server {

std::shared_ptr<IngestQueue> SharedIngestQueue(ServerContext& ctx);
std::shared_ptr<LiveFeed> SharedLiveFeed(ServerContext& ctx);

}  // namespace actlog::server
