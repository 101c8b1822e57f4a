// LiveFeed: waits end when the org's head passes, on timeout, and at shutdown; other
// orgs do not wake a stream; nothing stays registered afterwards.
#include "server/live_feed.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <thread>

namespace actlog::server {
namespace {

using namespace std::chrono_literals;
namespace net = boost::asio;

struct WaitOutcome {
  std::optional<bool> result;
  std::chrono::steady_clock::duration took{};
};

// Runs one Wait on its own io_context thread; `during` runs on the test thread while
// the coroutine waits.
WaitOutcome RunWait(
    LiveFeed& feed, std::string org, uint64_t next, std::chrono::milliseconds timeout,
    const std::function<void()>& during = [] {}) {
  net::io_context io;
  WaitOutcome out;
  auto start = std::chrono::steady_clock::now();
  net::co_spawn(
      io,
      [&]() -> Awaitable<void> {
        out.result = co_await feed.Wait(org, next, timeout);
        out.took = std::chrono::steady_clock::now() - start;
      },
      net::detached);
  std::thread runner([&] { io.run(); });
  during();
  runner.join();
  return out;
}

void WaitUntilWaiting(const LiveFeed& feed, size_t n) {
  for (int i = 0; i < 2000 && feed.waiting() < n; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(feed.waiting(), n);
}

TEST(LiveFeed, NotifyWakesAWaiterOfThatOrg) {
  LiveFeed feed;
  WaitOutcome w = RunWait(feed, "acme", 5, 10s, [&] {
    WaitUntilWaiting(feed, 1);
    feed.Notify("acme", 6);
  });
  ASSERT_TRUE(w.result);
  EXPECT_TRUE(*w.result);
  EXPECT_LT(w.took, 5s) << "woken, not timed out";
  EXPECT_EQ(feed.waiting(), 0u);
  EXPECT_EQ(feed.Head("acme"), 6u);
}

TEST(LiveFeed, ReturnsAtOnceWhenTheHeadAlreadyPassed) {
  LiveFeed feed;
  feed.Notify("acme", 10);
  WaitOutcome w = RunWait(feed, "acme", 3, 10s);
  ASSERT_TRUE(w.result);
  EXPECT_TRUE(*w.result);
  EXPECT_LT(w.took, 5s);
}

TEST(LiveFeed, OtherOrgsAndOldHeadsDoNotWake) {
  LiveFeed feed;
  feed.Notify("acme", 4);
  WaitOutcome w = RunWait(feed, "acme", 4, 300ms, [&] {
    WaitUntilWaiting(feed, 1);
    feed.Notify("globex", 100);
    feed.Notify("acme", 3);  // heads never move back
    feed.Notify("acme", 4);  // nothing new for a stream at 4
  });
  ASSERT_TRUE(w.result);
  EXPECT_FALSE(*w.result);
  EXPECT_GE(w.took, 250ms);
  EXPECT_EQ(feed.waiting(), 0u) << "a timed-out waiter is unregistered";
}

TEST(LiveFeed, ShutdownEndsWaitsAndLaterWaits) {
  LiveFeed feed;
  WaitOutcome w = RunWait(feed, "acme", 0, 10s, [&] {
    WaitUntilWaiting(feed, 1);
    feed.Shutdown();
  });
  ASSERT_TRUE(w.result);
  EXPECT_FALSE(*w.result);
  EXPECT_LT(w.took, 5s);
  WaitOutcome later = RunWait(feed, "acme", 0, 10s);
  ASSERT_TRUE(later.result);
  EXPECT_FALSE(*later.result);
  EXPECT_LT(later.took, 5s);
}

TEST(LiveFeed, OneNotifyWakesEveryWaiterOfTheOrg) {
  LiveFeed feed;
  net::io_context io;
  int woken = 0;
  for (int i = 0; i < 50; ++i) {
    net::co_spawn(
        io,
        [&]() -> Awaitable<void> {
          if (co_await feed.Wait("acme", 0, 10s)) ++woken;
        },
        net::detached);
  }
  std::thread runner([&] { io.run(); });
  WaitUntilWaiting(feed, 50);
  feed.Notify("acme", 1);
  runner.join();
  EXPECT_EQ(woken, 50);
  EXPECT_EQ(feed.waiting(), 0u);
}

}  // namespace
}  // namespace actlog::server
