// LiveFeed (live_feed.h).
//
// A waiting stream is a Waiter holding its coroutine's completion handler. Whoever
// comes first — Notify, the waiter's timer, Shutdown — completes it exactly once (under
// the waiter's own mutex) by posting the handler to the coroutine's executor. The timer
// lives on a strand so that arming it (at registration) and cancelling it (from Notify
// on another thread) never race.
#include "server/live_feed.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>

namespace actlog::server {

namespace net = boost::asio;

struct LiveFeed::Waiter : std::enable_shared_from_this<LiveFeed::Waiter> {
  explicit Waiter(const net::any_io_executor& executor)
      : strand(net::make_strand(executor)), timer(strand) {}

  // Completes the wait once; later calls do nothing.
  void Complete(bool result) {
    std::function<void(bool)> fn;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (done) return;
      done = true;
      fn = std::move(resume);
    }
    fn(result);
    // Free the timer's pending wait now rather than at its deadline.
    net::post(strand, [self = shared_from_this()] { self->timer.cancel(); });
  }

  net::strand<net::any_io_executor> strand;
  net::steady_timer timer;  // only touched on `strand`
  std::mutex mu;
  bool done = false;                 // guarded by mu
  std::function<void(bool)> resume;  // guarded by mu; posts the coroutine's handler
};

LiveFeed::~LiveFeed() { Shutdown(); }

void LiveFeed::Notify(std::string_view org, uint64_t next_seq) {
  std::vector<std::shared_ptr<Waiter>> wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orgs_.find(org);
    if (it == orgs_.end()) it = orgs_.emplace(std::string(org), OrgState{}).first;
    if (next_seq <= it->second.head) return;
    it->second.head = next_seq;
    wake.swap(it->second.waiters);
  }
  for (const auto& w : wake) w->Complete(true);
}

uint64_t LiveFeed::Head(std::string_view org) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orgs_.find(org);
  return it == orgs_.end() ? 0 : it->second.head;
}

bool LiveFeed::Register(const std::string& org, uint64_t next_seq,
                        const std::shared_ptr<Waiter>& w) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shut_down_) return false;
  OrgState& state = orgs_[org];
  if (state.head > next_seq) return false;
  state.waiters.push_back(w);
  return true;
}

void LiveFeed::Unregister(const std::string& org, const Waiter* w) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orgs_.find(org);
  if (it == orgs_.end()) return;
  auto& ws = it->second.waiters;
  for (size_t i = 0; i < ws.size(); ++i) {
    if (ws[i].get() == w) {
      ws[i] = std::move(ws.back());
      ws.pop_back();
      return;
    }
  }
}

Awaitable<bool> LiveFeed::Wait(std::string org, uint64_t next_seq,
                               std::chrono::milliseconds timeout) {
  auto initiate = [this, org = std::move(org), next_seq, timeout](auto handler) {
    auto executor = net::get_associated_executor(handler);
    auto waiter = std::make_shared<Waiter>(executor);
    auto shared_handler = std::make_shared<decltype(handler)>(std::move(handler));
    waiter->resume = [executor, shared_handler](bool result) {
      net::post(executor, [shared_handler, result]() mutable { (*shared_handler)(result); });
    };
    if (!Register(org, next_seq, waiter)) {
      waiter->Complete(!shut_down() && Head(org) > next_seq);
      return;
    }
    net::post(waiter->strand, [this, org, waiter, timeout] {
      {
        std::lock_guard<std::mutex> lock(waiter->mu);
        if (waiter->done) return;  // woken before the timer was armed
      }
      waiter->timer.expires_after(timeout);
      waiter->timer.async_wait([this, org, waiter](const boost::system::error_code& ec) {
        if (ec) return;  // cancelled: completed by Notify or Shutdown
        Unregister(org, waiter.get());
        waiter->Complete(false);
      });
    });
  };
  return net::async_initiate<decltype(net::use_awaitable), void(bool)>(std::move(initiate),
                                                                       net::use_awaitable);
}

void LiveFeed::Shutdown() {
  std::vector<std::shared_ptr<Waiter>> wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    for (auto& [org, state] : orgs_) {
      for (auto& w : state.waiters) wake.push_back(std::move(w));
      state.waiters.clear();
    }
  }
  for (const auto& w : wake) w->Complete(false);
}

bool LiveFeed::shut_down() const {
  std::lock_guard<std::mutex> lock(mu_);
  return shut_down_;
}

size_t LiveFeed::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [org, state] : orgs_) n += state.waiters.size();
  return n;
}

}  // namespace actlog::server
