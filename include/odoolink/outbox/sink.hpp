#pragma once
/// @file
/// Where the relay delivers events: Odoo (`odoo_sink`), or anything the host
/// implements (a message bus, a test recorder).

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/event.hpp"
#include "odoolink/secret_scrubber.hpp"
#include "odoolink/wakeup.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// The outcome of delivering one event: what it produced, or why not.
/// The relay classifies the error: `condition::retryable` (and
/// transport_errc::outcome_unknown) retries, anything else dead-letters.
struct delivery {
  result<delivery_result> outcome = delivery_result{};
  /// False when the sink did not try this event because an earlier event of
  /// its aggregate failed with a retryable error in the same call (the event
  /// goes back to pending without counting an attempt).
  bool attempted = true;

  /// A delivery that was not tried (see `attempted`).
  [[nodiscard]] static delivery not_attempted() {
    delivery d;
    d.attempted = false;
    return d;
  }
};

/// True when the relay retries after `e` (retryable conditions, an outcome
/// that is unknown, a busy store); false when it dead-letters.
/// @par Thread Safety  Pure function.
[[nodiscard]] bool is_retryable_delivery_error(const error& e) noexcept;

/// Delivers events.
/// @par Thread Safety  Called from the relay's thread only.
class sink {
 public:
  sink() = default;
  sink(const sink&) = delete;
  sink& operator=(const sink&) = delete;
  virtual ~sink() = default;

  /// Delivers `events` (in sequence order) and returns one outcome per
  /// event, at the same index. Delivery must be idempotent: the same event
  /// may arrive again after a crash or a lost response, and must then not
  /// produce a second record. Per-aggregate order: once an event fails with a
  /// retryable error, later events of its aggregate in `events` must not be
  /// delivered (report `delivery::not_attempted()`); `per_event_sink` does this.
  [[nodiscard]] virtual std::vector<delivery> deliver(std::span<const event> events) = 0;

  /// The secrets this sink's errors may quote (a client's credentials and
  /// session ids); the relay masks them in every error text before it stores
  /// it as `last_error` or in the audit log. Null (the default): none known.
  [[nodiscard]] virtual const secret_scrubber* scrubber() const noexcept { return nullptr; }
};

/// A sink that delivers one event at a time and keeps the per-aggregate rule
/// for its implementer.
class per_event_sink : public sink {
 public:
  [[nodiscard]] std::vector<delivery> deliver(std::span<const event> events) final;

 protected:
  /// Delivers one event.
  [[nodiscard]] virtual result<delivery_result> deliver_one(const event& e) = 0;
};

/// One delivery an `async_sink` finished.
struct finished_delivery {
  std::string event_id;  ///< the event, as given to `async_sink::start`
  delivery outcome;
};

/// Delivers events without blocking the host: the relay hands claimed
/// events to `start`, then calls `poll` from the host's loop, which returns
/// each started event's outcome exactly once, when it is known. The same
/// rules as `sink::deliver` hold across everything started and unfinished:
/// delivery is idempotent; an event is not sent while an earlier started
/// event of its aggregate is in flight, and not at all (`not_attempted`)
/// once that one failed with a retryable error or was not attempted; an
/// event referencing an external id that an unfinished event produces waits
/// for it. `odoo_sink` is one; `blocking_sink_adapter` turns any `sink` into one.
/// @par Thread Safety  Called from the relay's thread only.
class async_sink {
 public:
  async_sink() = default;
  async_sink(const async_sink&) = delete;
  async_sink& operator=(const async_sink&) = delete;
  virtual ~async_sink() = default;

  /// Takes `events` (in sequence order; copied) for delivery and returns
  /// without waiting for the network.
  virtual void start(std::span<const event> events) = 0;

  /// Advances the deliveries, waiting at most `timeout` for network activity,
  /// and returns those finished since the last call, in no particular order.
  /// Errors: the transport broke (nothing finished is lost: outcomes not
  /// returned stay for the next call).
  [[nodiscard]] virtual result<std::vector<finished_delivery>> poll(std::chrono::milliseconds timeout) = 0;

  /// Events started and not returned by `poll` yet.
  [[nodiscard]] virtual std::size_t in_flight() const noexcept = 0;

  /// True when `start` would put more work on the wire now: the sink's
  /// pipeline has room and it is not waiting out a failed connection.
  [[nodiscard]] virtual bool wants_more() const noexcept = 0;

  /// When `poll` must run next: due now while outcomes wait to be returned,
  /// the transport's timers while requests are in flight, the end of a
  /// reconnect pause; idle when nothing is started.
  [[nodiscard]] virtual wakeup next_wakeup() const = 0;

  /// As `sink::scrubber`.
  [[nodiscard]] virtual const secret_scrubber* scrubber() const noexcept { return nullptr; }
};

/// Runs a blocking `sink` as an `async_sink`: `start` keeps the events and
/// the next `poll` delivers them through `sink::deliver` (which blocks as
/// long as that sink does). The relay uses one when given a plain `sink`.
/// @par Thread Safety  As `async_sink`.
class blocking_sink_adapter final : public async_sink {
 public:
  /// `target` must outlive the adapter.
  explicit blocking_sink_adapter(sink& target) noexcept : target_(&target) {}

  /// Keeps `events` for the next `poll`.
  void start(std::span<const event> events) override;
  /// Delivers what was started (blocking) and returns every outcome; never fails.
  [[nodiscard]] result<std::vector<finished_delivery>> poll(std::chrono::milliseconds timeout) override;
  /// Events kept and not delivered yet.
  [[nodiscard]] std::size_t in_flight() const noexcept override { return held_.size(); }
  /// True while nothing is kept (one batch at a time).
  [[nodiscard]] bool wants_more() const noexcept override { return held_.empty(); }
  /// Now while events are kept, else idle.
  [[nodiscard]] wakeup next_wakeup() const override;
  /// The sink's.
  [[nodiscard]] const secret_scrubber* scrubber() const noexcept override { return target_->scrubber(); }

 private:
  sink* target_;
  std::vector<event> held_;
};

/// The blocking form of an async sink: starts `events`, polls `target`
/// (waiting as its `next_wakeup` says) until each has an outcome, and
/// returns them at the events' indices. A transport failure of `poll` ends
/// the wait: events without an outcome then report that error.
/// @par Thread Safety  As `async_sink`.
[[nodiscard]] std::vector<delivery> deliver_and_wait(async_sink& target, std::span<const event> events);

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
