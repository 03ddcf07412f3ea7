#pragma once
/// @file
/// Where the relay delivers events: Odoo (`odoo_sink`), or anything the host
/// implements (a message bus, a test recorder).

#include <span>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/event.hpp"
#include "odoolink/secret_scrubber.hpp"

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

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
