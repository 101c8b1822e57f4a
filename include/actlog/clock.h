// Clock: the one source of time. Core code takes a Clock, never calls now() itself, so
// tests can run on a FakeClock. Implementations are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace actlog {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch (UTC).
  virtual int64_t NowMicros() const = 0;
};

// Wall-clock time from std::chrono::system_clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMicros() const override;
  static SystemClock* Default();
};

// Time that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_micros) : now_(now_micros) {}
  int64_t NowMicros() const override { return now_.load(); }
  void Set(int64_t now_micros) { now_.store(now_micros); }
  void Advance(int64_t micros) { now_.fetch_add(micros); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace actlog
