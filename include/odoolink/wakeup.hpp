#pragma once
/// @file
/// `wakeup`: the one answer every host-driven part of odoolink gives to
/// "when must I be called again?" — the client (its transport's timers), the
/// outbox relay (the store's next due event or lease expiry, and the sink's
/// requests in flight). It is a steady-clock deadline, so answers of
/// different parts combine with `earliest` and feed a timer directly:
///
/// ```cpp
/// auto wake = odoolink::earliest(relay.next_wakeup().value(), other.next_wakeup());
/// timer.expires_at(wake.at.value_or(now + 1s));   // Boost.Asio, or
/// loop.poll(wake.wait_from(now, 1s));             // a plain poll() loop
/// ```

#include <algorithm>
#include <chrono>
#include <optional>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE

/// When to call again: a point on the steady clock, or none (nothing is
/// scheduled: wait for new work of your own, e.g. an enqueue).
/// @par Thread Safety  A plain value.
struct wakeup {
  /// The steady clock every wake-up is expressed in.
  using time_point = std::chrono::steady_clock::time_point;

  /// The deadline; empty: nothing scheduled.
  std::optional<time_point> at;

  /// Nothing scheduled.
  [[nodiscard]] static wakeup idle() noexcept { return {}; }
  /// At `t`.
  [[nodiscard]] static wakeup at_time(time_point t) noexcept { return wakeup{t}; }
  /// `delay` after `now`; none when `delay` is empty (a transport's "nothing pending").
  [[nodiscard]] static wakeup after(std::optional<std::chrono::milliseconds> delay, time_point now) noexcept {
    if (!delay) return {};
    return wakeup{now + std::max(*delay, std::chrono::milliseconds(0))};
  }

  /// True when nothing is scheduled.
  [[nodiscard]] bool is_idle() const noexcept { return !at.has_value(); }
  /// True when the deadline has come at `now`.
  [[nodiscard]] bool is_due(time_point now) const noexcept { return at && *at <= now; }

  /// How long a host may wait from `now`: zero when due, at most `cap`
  /// (also what an idle wake-up gives), rounded up to whole milliseconds
  /// so that a wait never ends just before the deadline.
  [[nodiscard]] std::chrono::milliseconds wait_from(time_point now, std::chrono::milliseconds cap) const noexcept {
    if (!at) return cap;
    if (*at <= now) return std::chrono::milliseconds(0);
    return std::min(cap, std::chrono::ceil<std::chrono::milliseconds>(*at - now));
  }

  friend bool operator==(const wakeup&, const wakeup&) = default;
};

/// The earlier of two wake-ups (an idle one never wins).
/// @par Thread Safety  Pure function.
[[nodiscard]] inline wakeup earliest(const wakeup& a, const wakeup& b) noexcept {
  if (!a.at) return b;
  if (!b.at) return a;
  return wakeup{std::min(*a.at, *b.at)};
}

ODOOLINK_END_NAMESPACE
}  // namespace odoolink
