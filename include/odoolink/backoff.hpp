#pragma once
/// @file
/// `backoff_policy`: capped exponential backoff with full jitter, the one
/// schedule the transport's retries and the outbox relay both follow.

#include <algorithm>
#include <chrono>
#include <cmath>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE

/// How long to wait before retry `n` (1-based): a uniformly random time in
/// `[0, cap(n)]` with `cap(n) = min(max, initial * multiplier^(n-1))`
/// ("full jitter", which spreads the retries of many clients apart).
/// @par Thread Safety  A plain value: pure functions.
struct backoff_policy {
  std::chrono::milliseconds initial{200};  ///< bound of the first wait
  std::chrono::milliseconds max{30'000};   ///< no bound grows beyond this
  double multiplier = 2.0;                 ///< growth of the bound from one retry to the next

  /// The bound of the wait before retry `n` (1-based; n < 1 counts as 1).
  [[nodiscard]] std::chrono::microseconds cap(int n) const noexcept {
    using micros = std::chrono::duration<double, std::micro>;
    const double base = micros(initial).count();
    const double top = micros(max).count();
    const double grown = base * std::pow(multiplier, std::max(0, n - 1));
    const double bound = std::clamp(std::isfinite(grown) ? grown : top, 0.0, std::max(0.0, top));
    return std::chrono::microseconds(static_cast<std::chrono::microseconds::rep>(bound));
  }

  /// The wait before retry `n` for a draw `unit` in [0, 1] (clamped).
  [[nodiscard]] std::chrono::microseconds wait(int n, double unit) const noexcept {
    const double u = std::isfinite(unit) ? std::clamp(unit, 0.0, 1.0) : 0.0;
    return std::chrono::microseconds(
        static_cast<std::chrono::microseconds::rep>(u * static_cast<double>(cap(n).count())));
  }
};

ODOOLINK_END_NAMESPACE
}  // namespace odoolink
