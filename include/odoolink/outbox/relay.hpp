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

#include "odoolink/backoff.hpp"
#include "odoolink/clock.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/observe/observer.hpp"
#include "odoolink/outbox/metrics.hpp"
#include "odoolink/outbox/sink.hpp"
#include "odoolink/outbox/store.hpp"
#include "odoolink/secret_scrubber.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// How the relay retries.
struct relay_options {
  /// The relay's name: unique per relay sharing a store, and the same
  /// again when a relay is restarted in its place. Each relay object leases
  /// as `<owner>/<random instance>`; its first `pump` takes back what an
  /// earlier instance of the same name still holds (`store::reclaim`), so a
  /// restart after a crash resumes at once instead of waiting out `lease`.
  std::string owner = "relay";
  std::chrono::microseconds lease{std::chrono::seconds(60)};  ///< longer than one sink call can take
  /// Events claimed per store round trip, and so the most one sink call
  /// gets: keep it at least `odoo_sink_options::max_batch`.
  std::size_t batch_size = 200;
  int max_attempts = 10;        ///< then dead-lettered
  /// The wait before a retryable failure is tried again (the same policy as
  /// `transport::retry_options::backoff`).
  backoff_policy backoff{.initial = std::chrono::milliseconds(500), .max = std::chrono::minutes(10)};
  /// How long an event waits, uncounted, when a record it references is not
  /// in Odoo yet (store_errc::dependency_pending): the event creating it may
  /// still be queued, or dead until someone replays it. Such an event never
  /// dead-letters for that reason; it is retried at this pace instead.
  std::chrono::milliseconds park_for{std::chrono::seconds(30)};
  /// Returns a value in [0, 1) for full jitter; defaults to a seeded PRNG.
  std::function<double()> jitter;
  /// Secrets to mask in every error text before it is stored (`last_error`,
  /// audit rows), in addition to the sink's own `sink::scrubber()`.
  secret_scrubber scrubber;
  /// Receives a transition record per claim and per applied settlement, and
  /// is told which events each sink call delivers (`observer::delivering`),
  /// so a client sharing it records their calls in the events' traces. Must
  /// outlive the relay. Null (the default): nothing is recorded.
  observe::observer* observer = nullptr;
};

/// What one `pump` did.
struct pump_report {
  std::size_t claimed = 0, delivered = 0, retried = 0, dead = 0, released = 0;
  std::size_t parked = 0;  ///< waiting for a referenced record (see `relay_options::park_for`)
  std::size_t lost_leases = 0;  ///< outcomes refused because another relay took over the event
  std::size_t reclaimed = 0;    ///< events taken back from an earlier instance of this relay's name
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

  /// The backoff bound of attempt `n` (1-based): `options.backoff.cap(n)`;
  /// the delay is a uniform draw below it (full jitter).
  [[nodiscard]] std::chrono::microseconds backoff_cap(int attempt) const noexcept;

  /// The lease owner this relay object claims as: `<owner>/<instance>`.
  [[nodiscard]] const std::string& instance_owner() const noexcept;

  /// Counters since construction (and latencies) for `metrics`.
  [[nodiscard]] const relay_counters& counters() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
