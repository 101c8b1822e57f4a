#include "store/rocksdb/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
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

}  // namespace
}  // namespace actlog::store
