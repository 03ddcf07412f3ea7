#pragma once
/// @file
/// The relay moves due events from a store to a sink, when the host tells it
/// to: `pump` does a bounded amount of work and returns; `next_wakeup` says
/// when calling again can find work. The library starts no thread.
///
/// ```cpp
/// outbox::relay relay(store, sink, {.owner = "pos-7"});
/// for (;;) {
///   auto report = relay.pump(256);
///   auto wake = relay.next_wakeup();          // sleep until then, or until new events
///   ...
/// }
/// ```

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "odoolink/clock.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/metrics.hpp"
#include "odoolink/outbox/sink.hpp"
#include "odoolink/outbox/store.hpp"
#include "odoolink/secret_scrubber.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// How the relay retries.
struct relay_options {
  std::string owner = "relay";  ///< lease owner name: unique per relay sharing a store
  std::chrono::microseconds lease{std::chrono::seconds(60)};  ///< longer than one sink call can take
  /// Events claimed per store round trip, and so the most one sink call
  /// gets: keep it at least `odoo_sink_options::max_batch`.
  std::size_t batch_size = 200;
  int max_attempts = 10;        ///< then dead-lettered
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{std::chrono::minutes(10)};
  double multiplier = 2.0;
  /// Returns a value in [0, 1) for full jitter; defaults to a seeded PRNG.
  std::function<double()> jitter;
  /// Secrets to mask in every error text before it is stored (`last_error`,
  /// audit rows), in addition to the sink's own `sink::scrubber()`.
  secret_scrubber scrubber;
};

/// What one `pump` did.
struct pump_report {
  std::size_t claimed = 0, delivered = 0, retried = 0, dead = 0, released = 0;
  std::size_t lost_leases = 0;  ///< outcomes refused because another relay took over the event
};

/// Moves events from a store to a sink.
/// @par Thread Safety  One relay per thread; many relays (threads,
///   processes, machines) may share a store that allows it.
class relay {
 public:
  /// `store`, `sink` and `clock` must outlive the relay. `clock` defaults
  /// to the real one; its `wall_now()` stamps the store.
  relay(store& store, sink& sink, relay_options options = {}, const odoolink::clock* clock = nullptr);
  ~relay();
  relay(relay&&) noexcept;
  relay& operator=(relay&&) noexcept;

  /// Claims and delivers due events until `budget` events were handled or
  /// none is due. Errors: the store's (nothing is lost: claimed events come
  /// back when their lease runs out).
  [[nodiscard]] result<pump_report> pump(std::size_t budget = 256);

  /// When a `pump` can next find work: now if events are due, the earliest
  /// retry or lease expiry otherwise, none when the store is idle.
  [[nodiscard]] result<std::optional<timestamp>> next_wakeup();

  /// The backoff bound of attempt `n` (1-based):
  /// `min(max_backoff, initial_backoff * multiplier^(n-1))`; the delay is a
  /// uniform draw below it (full jitter).
  [[nodiscard]] std::chrono::microseconds backoff_cap(int attempt) const noexcept;

  /// Counters since construction (and latencies) for `metrics`.
  [[nodiscard]] const relay_counters& counters() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
