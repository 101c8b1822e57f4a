// PeriodicThread (periodic_thread.h).
#include "core/periodic_thread.h"

namespace actlog {

void PeriodicThread::Start(std::chrono::milliseconds interval, FirstRun first,
                           std::function<void()> task) {
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, interval, first, task = std::move(task)] {
    std::unique_lock<std::mutex> lock(mu_);
    if (first == FirstRun::kAfterInterval &&
        wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      return;
    }
    do {
      lock.unlock();
      task();
      lock.lock();
    } while (!wake_.wait_for(lock, interval, [this] { return stopping_; }));
  });
}

void PeriodicThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace actlog
