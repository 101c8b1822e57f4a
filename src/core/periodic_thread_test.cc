// PeriodicThread: runs at start or after an interval, repeats, and stops at once.
#include "core/periodic_thread.h"

#include <gtest/gtest.h>

#include <atomic>

namespace actlog {
namespace {

using std::chrono::milliseconds;

TEST(PeriodicThreadTest, RunsAtStartAndAgainEachInterval) {
  std::atomic<int> runs{0};
  PeriodicThread t;
  t.Start(milliseconds(5), PeriodicThread::FirstRun::kAtStart, [&] { ++runs; });
  for (int i = 0; i < 1000 && runs < 3; ++i) std::this_thread::sleep_for(milliseconds(5));
  t.Stop();
  EXPECT_GE(runs.load(), 3);
  int after_stop = runs;
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(runs.load(), after_stop) << "no run after Stop";
}

TEST(PeriodicThreadTest, AStopBeforeTheFirstIntervalEndsWithoutARunAndAtOnce) {
  std::atomic<int> runs{0};
  PeriodicThread t;
  auto started = std::chrono::steady_clock::now();
  t.Start(std::chrono::hours(1), PeriodicThread::FirstRun::kAfterInterval, [&] { ++runs; });
  t.Stop();
  t.Stop();  // idempotent
  EXPECT_EQ(runs.load(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(PeriodicThreadTest, RunsOnceAtStartEvenWithALongInterval) {
  std::atomic<int> runs{0};
  PeriodicThread t;
  t.Start(std::chrono::hours(1), PeriodicThread::FirstRun::kAtStart, [&] { ++runs; });
  for (int i = 0; i < 1000 && runs < 1; ++i) std::this_thread::sleep_for(milliseconds(5));
  t.Stop();
  EXPECT_EQ(runs.load(), 1);
}

}  // namespace
}  // namespace actlog
