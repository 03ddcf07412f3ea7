#pragma once
/// @file
/// Injected time: a `clock` that reads steady (and wall) time and a `sleeper`
/// that waits. Components that schedule (retries, rate limits, the outbox
/// relay) take these instead of calling `std::chrono` directly, so tests can
/// drive time with `odoolink::testing::fake_clock`.

#include <chrono>
#include <thread>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE

/// A source of time. `now()` is monotonic and is what every schedule uses;
/// `wall_now()` is calendar time, needed only to read HTTP dates and to stamp
/// records for people.
/// @par Thread Safety  Implementations must allow concurrent calls of `now()`.
class clock {
 public:
  /// Steady time: durations and deadlines.
  using duration = std::chrono::steady_clock::duration;
  /// A steady point in time (comparable only with points of the same clock object).
  using time_point = std::chrono::steady_clock::time_point;

  clock() = default;
  clock(const clock&) = default;
  clock& operator=(const clock&) = default;
  virtual ~clock() = default;

  /// The current steady time. Never goes backwards.
  [[nodiscard]] virtual time_point now() const noexcept = 0;
  /// The current calendar time; defaults to `std::chrono::system_clock::now()`.
  [[nodiscard]] virtual std::chrono::system_clock::time_point wall_now() const noexcept {
    return std::chrono::system_clock::now();
  }
};

/// Blocks the calling thread. Only blocking operations (for example a
/// blocking send through the retry decorator) sleep; host-driven forms never
/// do and report deadlines instead.
/// @par Thread Safety  Implementations decide; `real_clock` is safe.
class sleeper {
 public:
  sleeper() = default;
  sleeper(const sleeper&) = default;
  sleeper& operator=(const sleeper&) = default;
  virtual ~sleeper() = default;

  /// Waits for `d` (returns at once when `d` is zero or negative).
  virtual void sleep_for(clock::duration d) = 0;
};

/// The real thing: `std::chrono::steady_clock`, `system_clock` and
/// `std::this_thread::sleep_for`. Stateless, so one object may be shared freely.
/// @par Thread Safety  Safe to use from any number of threads.
class real_clock final : public clock, public sleeper {
 public:
  /// `std::chrono::steady_clock::now()`.
  [[nodiscard]] time_point now() const noexcept override { return std::chrono::steady_clock::now(); }
  /// Sleeps the calling thread.
  void sleep_for(clock::duration d) override {
    if (d > clock::duration::zero()) std::this_thread::sleep_for(d);
  }
};

ODOOLINK_END_NAMESPACE
}  // namespace odoolink
