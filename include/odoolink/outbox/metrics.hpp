#pragma once
/// @file
/// Outbox metrics: counters kept by the relay and the outbox, queue figures
/// read from the store, as a struct and as Prometheus text.

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "odoolink/config.hpp"
#include "odoolink/outbox/event.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// Delivery latency (enqueue → delivered) histogram bucket bounds, seconds.
inline constexpr std::array<double, 12> latency_buckets_seconds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                                0.5,   1.0,  2.5,   5.0,  10.0, 60.0};

/// Counters one relay (or outbox) kept since it was made.
struct relay_counters {
  std::uint64_t enqueued = 0;   ///< new events (duplicates not counted)
  std::uint64_t duplicates = 0; ///< enqueues answered with an existing event
  std::uint64_t delivered = 0;
  std::uint64_t retried = 0;
  std::uint64_t dead = 0;
  /// Cumulative counts per bucket of `latency_buckets_seconds` (+Inf last).
  std::array<std::uint64_t, latency_buckets_seconds.size() + 1> latency_buckets{};
  double latency_sum_seconds = 0;

  /// Adds one delivery latency.
  void observe_latency(double seconds) noexcept {
    for (std::size_t i = 0; i < latency_buckets_seconds.size(); ++i)
      if (seconds <= latency_buckets_seconds[i]) ++latency_buckets[i];
    ++latency_buckets.back();
    latency_sum_seconds += seconds;
  }
};

/// Everything `metrics()` reports.
struct metrics_snapshot {
  relay_counters counters;
  queue_stats queue;
  std::optional<double> oldest_pending_age_seconds;
};

/// Prometheus text exposition format (`odoolink_outbox_*`).
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string to_prometheus(const metrics_snapshot& m);

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
