#pragma once
/// @file
/// `fake_clock`: a clock and sleeper that tests move by hand. Sleeping on it
/// returns at once and advances its time, so code that "waits" runs instantly
/// and deterministically.

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "odoolink/clock.hpp"
#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing {

/// A manually driven `clock` that is also a `sleeper`: `sleep_for(d)`
/// records `d` and advances the time by it. Steady and calendar time move
/// together. Steady time starts at one hour past the steady epoch, calendar
/// time at 2026-01-01T00:00:00Z unless given.
/// @par Thread Safety  All members may be called concurrently.
class fake_clock final : public odoolink::clock, public odoolink::sleeper {
 public:
  /// A fake clock whose calendar time starts at 2026-01-01T00:00:00Z.
  fake_clock() : fake_clock(std::chrono::system_clock::time_point(std::chrono::seconds(1767225600))) {}
  /// A fake clock whose calendar time starts at `wall_start`.
  explicit fake_clock(std::chrono::system_clock::time_point wall_start)
      : wall_start_(wall_start) {}

  /// The fake steady time.
  [[nodiscard]] time_point now() const noexcept override {
    return time_point(std::chrono::hours(1)) + duration(elapsed_.load());
  }
  /// The fake calendar time (start plus everything advanced).
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const noexcept override {
    return wall_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(duration(elapsed_.load()));
  }
  /// Moves both times forward by `d` (negative values are ignored).
  void advance(duration d) noexcept {
    if (d > duration::zero()) elapsed_.fetch_add(d.count());
  }
  /// Records `d` and advances by it; never blocks.
  void sleep_for(duration d) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sleeps_.push_back(d);
    }
    advance(d);
  }
  /// Every `sleep_for` so far, in order.
  [[nodiscard]] std::vector<duration> sleeps() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }
  /// Sum of every `sleep_for` so far.
  [[nodiscard]] duration total_slept() const {
    std::lock_guard<std::mutex> lock(mutex_);
    duration sum{};
    for (auto d : sleeps_) sum += d > duration::zero() ? d : duration::zero();
    return sum;
  }
  /// Forgets the recorded sleeps (time stays where it is).
  void clear_sleeps() {
    std::lock_guard<std::mutex> lock(mutex_);
    sleeps_.clear();
  }

 private:
  std::chrono::system_clock::time_point wall_start_;
  std::atomic<duration::rep> elapsed_{0};
  mutable std::mutex mutex_;
  std::vector<duration> sleeps_;
};

}  // namespace testing
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
