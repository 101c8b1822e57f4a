// IngestQueue: the bound on ingest work in flight (DESIGN §4 "Overload is answered with
// 503 + Retry-After from a bounded queue, never with unbounded memory").
//
// It counts events, not requests: an ingest request asks to admit its whole batch before
// the store sees it and holds the returned Ticket until its append has finished (synced
// or failed). When admitting would take the count over `capacity`, TryAdmit refuses and
// the handler answers 503 queue_full with Retry-After. Nothing waits here: the store's
// group commit is the real queue, this only caps how many events may sit in it.
//
// The depth is mirrored into a gauge (actlog_ingest_queue_depth) when one is given.
//
// Thread-safe: TryAdmit and depth from any thread; a Ticket may be released (destroyed)
// on any thread. The queue must outlive its tickets.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

namespace actlog::server {

class Gauge;

class IngestQueue {
 public:
  // Releases its events when destroyed. Movable, not copyable.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : queue_(other.queue_), events_(other.events_) {
      other.queue_ = nullptr;
    }
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket();
    uint64_t events() const { return events_; }

   private:
    friend class IngestQueue;
    Ticket(IngestQueue* queue, uint64_t events) : queue_(queue), events_(events) {}
    IngestQueue* queue_;
    uint64_t events_;
  };

  // `depth_gauge` may be null; not owned.
  explicit IngestQueue(uint64_t capacity, Gauge* depth_gauge = nullptr)
      : capacity_(capacity), gauge_(depth_gauge) {}

  // Admits `events` (> 0) if the depth stays within capacity; nullopt when full.
  std::optional<Ticket> TryAdmit(uint64_t events);

  uint64_t depth() const { return depth_.load(std::memory_order_relaxed); }
  uint64_t capacity() const { return capacity_; }

 private:
  void Release(uint64_t events);
  void Publish(uint64_t depth);

  const uint64_t capacity_;
  Gauge* const gauge_;
  std::atomic<uint64_t> depth_{0};
};

}  // namespace actlog::server
