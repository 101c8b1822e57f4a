// RunOrdered: work items 0..n-1 produced on worker threads and consumed in order on the
// calling thread — the shape of a scan whose parts can be read and hashed independently
// but must be folded in sequence (RocksTree::Verify: leaf hashes into one tree).
//
// At most `window` items are produced ahead of the one being consumed, so memory stays
// bounded by window results however long the scan. With threads == 0 everything runs on
// the calling thread, item by item.
//
// `produce` is called concurrently from the worker threads (it must be thread-safe);
// `consume` is called on the calling thread only, in index order; returning false stops
// the run (items already being produced are finished and dropped). Exceptions are not
// supported: produce and consume must not throw.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace actlog::store {

template <typename T>
void RunOrdered(size_t n, size_t threads, size_t window, const std::function<T(size_t)>& produce,
                const std::function<bool(T)>& consume) {
  if (threads == 0) {
    for (size_t i = 0; i < n; ++i) {
      if (!consume(produce(i))) return;
    }
    return;
  }
  if (window < threads) window = threads;
  std::mutex mu;
  std::condition_variable changed;
  std::map<size_t, T> ready;  // guarded by mu
  size_t next_task = 0;       // guarded by mu
  size_t consumed = 0;        // guarded by mu: items handed to consume
  bool stop = false;          // guarded by mu

  auto work = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock<std::mutex> lock(mu);
        changed.wait(lock, [&] { return stop || next_task >= n || next_task < consumed + window; });
        if (stop || next_task >= n) return;
        i = next_task++;
      }
      T result = produce(i);
      {
        std::lock_guard<std::mutex> lock(mu);
        ready.emplace(i, std::move(result));
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(work);

  for (size_t i = 0; i < n; ++i) {
    std::unique_lock<std::mutex> lock(mu);
    changed.wait(lock, [&] { return ready.count(i) != 0; });
    auto node = ready.extract(i);
    consumed = i + 1;
    lock.unlock();
    changed.notify_all();
    if (!consume(std::move(node.mapped()))) break;
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
  }
  changed.notify_all();
  for (std::thread& t : pool) t.join();
}

}  // namespace actlog::store
