#include "store/rocksdb/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

namespace actlog::store {
namespace {

PendingAppend* WithEvents(PendingAppend* p, size_t n) {
  p->events.resize(n);
  return p;
}

// The first leader is held inside its commit until seven more appends have queued up; they
// must then be committed together by one leader, in arrival order.
TEST(WriteQueue, AppendsThatQueueBehindALeaderCommitAsOneGroup) {
  WriteQueue queue(/*max_group_events=*/100);
  std::atomic<int> commits{0};
  std::vector<size_t> group_sizes;
  std::atomic<bool> release{false};
  auto commit = [&](std::span<PendingAppend* const> group) {
    if (commits.fetch_add(1) == 0) {
      while (!release.load()) std::this_thread::yield();
    }
    group_sizes.push_back(group.size());
    for (PendingAppend* p : group) p->result = std::vector<AppendResult>(p->events.size());
  };
  PendingAppend first;
  std::thread leader([&] { queue.Submit(WithEvents(&first, 1), commit); });
  while (commits.load() == 0) std::this_thread::yield();

  std::vector<PendingAppend> followers(7);
  std::vector<std::thread> threads;
  for (PendingAppend& p : followers) {
    threads.emplace_back([&] { queue.Submit(WithEvents(&p, 2), commit); });
  }
  while (queue.Depth() < 8) std::this_thread::yield();
  release.store(true);
  leader.join();
  for (std::thread& t : threads) t.join();

  EXPECT_EQ(commits.load(), 2);
  EXPECT_EQ(group_sizes, (std::vector<size_t>{1, 7}));
  for (PendingAppend& p : followers) {
    ASSERT_TRUE(p.result.ok());
    EXPECT_EQ(p.result->size(), 2u);
  }
  EXPECT_EQ(queue.Depth(), 0u);
}

TEST(WriteQueue, GroupsAreBoundedInEventsButTakeAtLeastOneAppend) {
  WriteQueue queue(/*max_group_events=*/3);
  std::atomic<bool> release{false};
  std::atomic<int> commits{0};
  std::vector<size_t> group_events;
  auto commit = [&](std::span<PendingAppend* const> group) {
    if (commits.fetch_add(1) == 0) {
      while (!release.load()) std::this_thread::yield();
    }
    size_t n = 0;
    for (PendingAppend* p : group) {
      n += p->events.size();
      p->result = std::vector<AppendResult>();
    }
    group_events.push_back(n);
  };
  PendingAppend first;
  std::thread leader([&] { queue.Submit(WithEvents(&first, 1), commit); });
  while (commits.load() == 0) std::this_thread::yield();
  // Queued in this order: 5 events (alone over the bound), then 2 + 1, then 2.
  std::vector<PendingAppend> pending(4);
  const size_t sizes[] = {5, 2, 1, 2};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < pending.size(); ++i) {
    threads.emplace_back([&, i] { queue.Submit(WithEvents(&pending[i], sizes[i]), commit); });
    while (queue.Depth() < i + 2) std::this_thread::yield();
  }
  release.store(true);
  leader.join();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(group_events, (std::vector<size_t>{1, 5, 3, 2}));
}

// Each async append's completion, recorded in the order they were called.
struct Completions {
  std::mutex mu;
  std::vector<std::pair<int, StatusOr<std::vector<AppendResult>>>> calls;  // guarded by mu
  std::function<void(StatusOr<std::vector<AppendResult>>)> For(int tag) {
    return [this, tag](StatusOr<std::vector<AppendResult>> result) {
      std::lock_guard<std::mutex> lock(mu);
      calls.emplace_back(tag, std::move(result));
    };
  }
  size_t Count() {
    std::lock_guard<std::mutex> lock(mu);
    return calls.size();
  }
};

std::vector<Event> Events(size_t n) { return std::vector<Event>(n); }

// Asynchronous appends that queue while a synchronous leader commits are committed by
// the committer thread as one group, and each completion gets its own results in order.
TEST(WriteQueue, AsyncAppendsQueuedBehindALeaderCommitAsOneGroupWithoutAWaitingThread) {
  WriteQueue queue(/*max_group_events=*/100);
  AppendCounters counters;
  std::atomic<int> commits{0};
  std::atomic<bool> release{false};
  std::vector<size_t> group_sizes;  // written by one committing thread at a time
  auto commit = [&](std::span<PendingAppend* const> group) {
    if (commits.fetch_add(1) == 0) {
      while (!release.load()) std::this_thread::yield();
    }
    group_sizes.push_back(group.size());
    for (PendingAppend* p : group) {
      p->result = std::vector<AppendResult>(p->events.size(), AppendResult{"org_a", "", 0, false});
    }
  };
  PendingAppend first;
  std::thread leader([&] { queue.Submit(WithEvents(&first, 1), commit); });
  while (commits.load() == 0) std::this_thread::yield();

  Completions done;
  for (int i = 0; i < 5; ++i) queue.AppendAsync(Events(i + 1), commit, counters, done.For(i));
  EXPECT_EQ(queue.Depth(), 6u);  // nothing committed them yet, and no caller waited
  release.store(true);
  leader.join();
  while (done.Count() < 5) std::this_thread::yield();

  EXPECT_EQ(group_sizes, (std::vector<size_t>{1, 5}));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(done.calls[i].first, i);
    ASSERT_TRUE(done.calls[i].second.ok());
    EXPECT_EQ(done.calls[i].second->size(), static_cast<size_t>(i + 1));
  }
  EXPECT_EQ(counters.appends.load(), 5u);
  EXPECT_EQ(queue.Depth(), 0u);
}

// A write that fails fails every append of its group, each with the error.
TEST(WriteQueue, AFailedGroupWriteFailsEveryAsyncAppendOfTheGroup) {
  WriteQueue queue(/*max_group_events=*/100);
  AppendCounters counters;
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::atomic<int> commits{0};
  auto commit = [&](std::span<PendingAppend* const> group) {
    if (commits.fetch_add(1) == 0) open.wait();  // hold the first group until all queued
    for (PendingAppend* p : group) {
      p->result = Status(StatusCode::kUnavailable, "io_error", "disk full");
    }
  };
  Completions done;
  for (int i = 0; i < 4; ++i) queue.AppendAsync(Events(1), commit, counters, done.For(i));
  while (queue.Depth() < 4) std::this_thread::yield();
  gate.set_value();
  while (done.Count() < 4) std::this_thread::yield();
  for (auto& [tag, result] : done.calls) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().error_code(), "io_error");
  }
  EXPECT_EQ(counters.failed_appends.load(), 4u);
  EXPECT_EQ(counters.appends.load(), 0u);
}

// Stopping commits what is still queued before it returns: nothing is dropped.
TEST(WriteQueue, StopCommitterCommitsEverythingQueuedFirst) {
  WriteQueue queue(/*max_group_events=*/2);
  AppendCounters counters;
  std::atomic<bool> release{false};
  std::atomic<int> committed{0};
  auto commit = [&](std::span<PendingAppend* const> group) {
    while (!release.load()) std::this_thread::yield();
    for (PendingAppend* p : group) p->result = std::vector<AppendResult>(p->events.size());
    committed.fetch_add(static_cast<int>(group.size()));
  };
  Completions done;
  for (int i = 0; i < 7; ++i) queue.AppendAsync(Events(1), commit, counters, done.For(i));
  std::thread stopper([&] { queue.StopCommitter(); });
  release.store(true);
  stopper.join();
  EXPECT_EQ(committed.load(), 7);
  ASSERT_EQ(done.Count(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(done.calls[i].first, i);  // in arrival order
}

// A synchronous Submit behind queued async appends is committed in its turn, by the
// committer or by itself, and returns.
TEST(WriteQueue, SynchronousSubmitBehindAsyncAppendsCompletesInOrder) {
  WriteQueue queue(/*max_group_events=*/1);  // one append per group: strict turns
  AppendCounters counters;
  std::mutex order_mu;
  std::vector<size_t> order;  // events per committed append, in commit order
  std::atomic<bool> release{false};
  auto commit = [&](std::span<PendingAppend* const> group) {
    while (!release.load()) std::this_thread::yield();
    std::lock_guard<std::mutex> lock(order_mu);
    for (PendingAppend* p : group) {
      order.push_back(p->events.size());
      p->result = std::vector<AppendResult>();
    }
  };
  Completions done;
  queue.AppendAsync(Events(1), commit, counters, done.For(0));
  queue.AppendAsync(Events(1), commit, counters, done.For(1));
  PendingAppend sync;
  std::thread caller([&] { queue.Submit(WithEvents(&sync, 3), commit); });
  while (queue.Depth() < 3) std::this_thread::yield();
  release.store(true);
  caller.join();
  ASSERT_TRUE(sync.result.ok());
  while (done.Count() < 2) std::this_thread::yield();
  EXPECT_EQ(order, (std::vector<size_t>{1, 1, 3}));
}

}  // namespace
}  // namespace actlog::store
