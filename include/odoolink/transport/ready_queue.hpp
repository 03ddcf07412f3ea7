#pragma once
/// @file
/// Internal helper shared by the header-only transports: the completions that
/// are due, run in order from `poll()`.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/transport/transport.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {
namespace detail {

/// Completions waiting to run, with their outcomes.
/// @par Thread Safety  Not thread-safe; owned by one transport.
class ready_queue {
 public:
  /// Queues `done` to receive `outcome` at the next `run()`.
  void push(completion done, result<http_response> outcome) {
    entries_.push_back(entry{std::move(done), std::move(outcome)});
  }
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

  /// Runs the completions queued before this call, oldest first, and returns
  /// how many ran. Each entry leaves the queue before it runs, so a
  /// completion may queue more (they run at the next call) and one that
  /// throws leaves the rest queued.
  std::size_t run() {
    std::size_t n = entries_.size();
    std::size_t ran = 0;
    for (; ran < n && !entries_.empty(); ++ran) {
      entry e = std::move(entries_.front());
      entries_.pop_front();
      if (e.done) e.done(std::move(e.outcome));
    }
    return ran;
  }

 private:
  struct entry {
    completion done;
    result<http_response> outcome;
  };
  std::deque<entry> entries_;
};

/// Clamps a steady duration to whole milliseconds, rounding up so a wait
/// never ends before its deadline; negative durations become zero.
template <class Rep, class Period>
[[nodiscard]] std::chrono::milliseconds ceil_ms(std::chrono::duration<Rep, Period> d) noexcept {
  if (d <= std::chrono::duration<Rep, Period>::zero()) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(d);
}

/// The smaller of two optional wake-ups (`nullopt` means "none").
[[nodiscard]] inline std::optional<std::chrono::milliseconds> earliest(
    std::optional<std::chrono::milliseconds> a, std::optional<std::chrono::milliseconds> b) noexcept {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

}  // namespace detail
}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
