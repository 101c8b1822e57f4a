// LiveFeed: wakes live-tail streams (GET /v1/events/stream) when their org gets new
// events, without polling and without holding events: a stream reads new events from
// the store itself (Store::Scan from its position), so a slow client costs no memory
// here; it just catches up later.
//
// The ingest handler calls Notify(org, next_seq) after each successful append; a stream
// that has sent everything before `next_seq` calls co_await Wait(org, next_seq, timeout),
// which completes with true as soon as the org's known head passes next_seq (at once if
// it already has), or with false after `timeout` or at Shutdown(). Events appended by
// other paths (admin actions, another process) are not notified: streams also look at
// the store when a wait times out (the heartbeat), so they see those within a heartbeat.
//
// Memory: one small record per org ever notified and one per waiting stream.
//
// Thread-safe: every method from any thread; Wait must be awaited in an Asio coroutine.
// Outlives every waiting stream.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_exchange.h"

namespace actlog::server {

class LiveFeed {
 public:
  LiveFeed() = default;
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;
  ~LiveFeed();

  // `org` now has events with seq < next_seq. Heads only move forward.
  void Notify(std::string_view org, uint64_t next_seq);

  // The highest next_seq notified for `org` (0 when never).
  uint64_t Head(std::string_view org) const;

  // See the file comment. True: new events (head > next_seq); false: timeout or
  // shutdown.
  Awaitable<bool> Wait(std::string org, uint64_t next_seq, std::chrono::milliseconds timeout);

  // Completes every wait with false; later waits complete at once with false.
  void Shutdown();
  bool shut_down() const;

  // Streams waiting right now (tests, metrics).
  size_t waiting() const;

  struct Waiter;  // live_feed.cc

 private:
  struct OrgState {
    uint64_t head = 0;
    std::vector<std::shared_ptr<Waiter>> waiters;
  };
  // Registers `w` unless the head already passed next_seq or the feed is shut down;
  // returns whether it is now waiting.
  bool Register(const std::string& org, uint64_t next_seq, const std::shared_ptr<Waiter>& w);
  void Unregister(const std::string& org, const Waiter* w);

  mutable std::mutex mu_;
  std::map<std::string, OrgState, std::less<>> orgs_;  // guarded by mu_
  bool shut_down_ = false;                             // guarded by mu_
};

}  // namespace actlog::server
