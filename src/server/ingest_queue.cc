// IngestQueue (ingest_queue.h).
#include "server/ingest_queue.h"

#include "server/metrics.h"

namespace actlog::server {

IngestQueue::Ticket::~Ticket() {
  if (queue_ != nullptr) queue_->Release(events_);
}

std::optional<IngestQueue::Ticket> IngestQueue::TryAdmit(uint64_t events) {
  uint64_t depth = depth_.load(std::memory_order_relaxed);
  do {
    if (events > capacity_ || depth > capacity_ - events) return std::nullopt;
  } while (!depth_.compare_exchange_weak(depth, depth + events, std::memory_order_acq_rel,
                                         std::memory_order_relaxed));
  Publish(depth + events);
  return Ticket(this, events);
}

void IngestQueue::Release(uint64_t events) {
  uint64_t depth = depth_.fetch_sub(events, std::memory_order_acq_rel) - events;
  Publish(depth);
}

void IngestQueue::Publish(uint64_t depth) {
  // A racing publisher may overwrite a newer value with an older one; the gauge is a
  // sample for dashboards, and the next admission or release corrects it.
  if (gauge_ != nullptr) gauge_->Set(static_cast<double>(depth));
}

}  // namespace actlog::server
