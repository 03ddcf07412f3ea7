#pragma once
/// @file
/// The relay moves due events from a store to a sink, when the host tells it
/// to: `pump` does a bounded amount of work and returns without waiting on
/// the network; `next_wakeup` says when calling again can find work. With an
/// `async_sink` (such as `odoo_sink`) several batches are in flight at once
/// and their outcomes are settled by later pumps, on the host's thread. The
/// library starts no thread.
///
/// ```cpp
/// outbox::relay relay(store, sink, {.owner = "pos-7"});
/// for (;;) {
///   auto report = relay.pump(256);
///   auto wake = relay.next_wakeup();   // a steady-clock deadline: sleep, poll your UI,
///   ...                                // or arm a timer until then (or until new events)
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
#include "odoolink/wakeup.hpp"

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
  /// Events claimed per store round trip, and so the most one `start` of
  /// the sink gets: keep it at least `odoo_sink_options::max_batch`.
  std::size_t batch_size = 200;
  /// A retryable failure dead-letters an event only once both budgets are
  /// spent: `max_attempts` deliveries attempted, and `retry_for` since its
  /// first failure (its first `retry` audit row since it was enqueued or
  /// replayed: a till back from a weekend offline starts with the whole
  /// window). A burst of faults (an Odoo restart, a flaky proxy, 30 % of
  /// requests failing for minutes) can string ten failures together for one
  /// event among thousands; that must not dead-letter it, while an event
  /// that keeps failing for a day should reach an operator. Permanent errors
  /// dead-letter at once, whatever the budgets. `retry_for` zero: attempts
  /// alone decide.
  int max_attempts = 10;
  std::chrono::microseconds retry_for{std::chrono::hours(24)};
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
  /// Drives an `async_sink`: `pump` starts deliveries and settles those the
  /// sink finished, never waiting on the network. `store`, `sink` and
  /// `clock` must outlive the relay. `clock` defaults to the real one; its
  /// `wall_now()` stamps the store.
  relay(store& store, async_sink& sink, relay_options options = {}, const odoolink::clock* clock = nullptr);
  /// Drives a blocking `sink` through a `blocking_sink_adapter`: each
  /// `pump` then blocks as long as the sink's `deliver` does.
  relay(store& store, sink& sink, relay_options options = {}, const odoolink::clock* clock = nullptr);
  ~relay();
  relay(relay&&) noexcept;
  relay& operator=(relay&&) noexcept;

  /// Settles what the sink finished, then claims due events and starts
  /// them while the sink wants more, until `budget` events were claimed or
  /// none is due; repeats while that makes progress (a sink that finishes at
  /// once is driven to the end). Never waits on the network: deliveries in
  /// flight are settled by a later `pump`. Errors: the store's and the
  /// sink transport's (nothing is lost: claimed events come back when their
  /// lease runs out, or with the next `pump`).
  [[nodiscard]] result<pump_report> pump(std::size_t budget = 256);

  /// The blocking convenience: pumps, waiting on the sink between pumps
  /// (as its `next_wakeup` says), until every delivery started is settled
  /// and `budget` events were claimed or none is due. Errors: as `pump`.
  [[nodiscard]] result<pump_report> deliver_due(std::size_t budget = 256);

  /// When `pump` must run again, on the steady clock of the relay's clock
  /// (`std::chrono::steady_clock` with the default one): the earlier of the
  /// sink's wake-up (deliveries in flight, the end of a reconnect pause) and,
  /// while the sink wants more, the store's next due event or lease expiry
  /// (converted from wall time; now when events are due). Idle when neither
  /// has anything. Errors: the store's.
  [[nodiscard]] result<wakeup> next_wakeup();

  /// Events started on the sink and not settled yet.
  [[nodiscard]] std::size_t in_flight() const noexcept;

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
