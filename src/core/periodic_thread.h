// PeriodicThread: runs a task on a thread of its own every interval until stopped — the
// server's background jobs (checkpoint signing, retention, key reloads) share it. Stop
// wakes the thread at once, waits for a task in progress and is idempotent; destruction
// stops. Start and Stop from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace actlog {

class PeriodicThread {
 public:
  enum class FirstRun { kAtStart, kAfterInterval };

  PeriodicThread() = default;
  ~PeriodicThread() { Stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // Runs `task` every `interval` (first at once or after one interval). No-op while running.
  void Start(std::chrono::milliseconds interval, FirstRun first, std::function<void()> task);
  void Stop();

 private:
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
};

}  // namespace actlog
