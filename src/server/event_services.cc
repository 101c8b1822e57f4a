// Events API services (event_services.h).
#include "server/event_services.h"

namespace actlog::server {

std::shared_ptr<IngestQueue> SharedIngestQueue(ServerContext& ctx) {
  if (ctx.ingest_queue != nullptr) {
    return std::shared_ptr<IngestQueue>(ctx.ingest_queue, [](IngestQueue*) {});
  }
  Gauge* depth = ctx.metrics == nullptr
                     ? nullptr
                     : ctx.metrics->GetGauge("actlog_ingest_queue_depth",
                                             "Ingest events accepted and not yet stored.");
  auto queue = std::make_shared<IngestQueue>(ctx.options.ingest_queue_capacity, depth);
  ctx.ingest_queue = queue.get();
  return queue;
}

std::shared_ptr<LiveFeed> SharedLiveFeed(ServerContext& ctx) {
  if (ctx.live_feed != nullptr) {
    return std::shared_ptr<LiveFeed>(ctx.live_feed, [](LiveFeed*) {});
  }
  auto feed = std::make_shared<LiveFeed>();
  ctx.live_feed = feed.get();
  if (ctx.store != nullptr) {
    // Appends through other nodes sharing the store (PostgreSQL) wake live tails too.
    std::weak_ptr<LiveFeed> weak = feed;
    ctx.store->SetAppendListener([weak](std::string_view org, uint64_t next_seq) {
      if (std::shared_ptr<LiveFeed> alive = weak.lock()) alive->Notify(org, next_seq);
    });
  }
  return feed;
}

}  // namespace actlog::server
