#pragma once
/// @file
/// The outbox's unit of work: an event, its state machine and what a
/// delivery produced.
///
/// States: `pending` → (claimed) `in_flight` → `delivered`, or back to
/// `pending` with a later `next_attempt_at` (retry), or `dead` (permanent
/// failure or attempts exhausted). A dead event goes back to `pending` only by
/// an explicit replay, or is `discarded` with a reason. An `in_flight` event whose lease ran out (its relay
/// died) is claimable again: delivery is at-least-once, made exactly-once on
/// Odoo by idempotent operations (upserts by external id).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// Calendar time as stored: microseconds since the Unix epoch (UTC), so the
/// same value means the same instant in every store and every process.
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// `t` truncated to the stored precision.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline timestamp to_timestamp(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}

/// Where an event is in its life.
enum class event_state : std::uint8_t {
  pending = 0,    ///< waiting for its turn (first attempt or a retry)
  in_flight = 1,  ///< claimed by a relay, which holds a lease on it
  delivered = 2,  ///< the sink acknowledged it
  dead = 3,       ///< given up on; kept with its error until replayed or discarded
  discarded = 4,  ///< a dead event the host gave up on, with its reason; kept for lineage
};

/// `"pending"`, `"in_flight"`, `"delivered"`, `"dead"`, `"discarded"`.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view to_string(event_state s) noexcept;
/// The state named `name`; false when there is none.
/// @par Thread Safety  Pure function.
[[nodiscard]] bool parse_event_state(std::string_view name, event_state& out) noexcept;

/// What delivering an event produced on the other side.
struct delivery_result {
  std::string model;        ///< e.g. `res.partner`
  std::int64_t record_id = 0;  ///< the record's database id (0: unknown)
  std::string external_id;  ///< e.g. `pos.customer_17`
  friend bool operator==(const delivery_result&, const delivery_result&) = default;
};

/// What the host asks to enqueue. The outbox fills `id`, the contract
/// fields and `created_at`; stores take it as given.
struct new_event {
  std::string id;               ///< UUIDv7 text; assigned by the outbox
  std::string idempotency_key;  ///< enqueueing the same key again returns the first event
  std::string aggregate_key;    ///< ordering scope: FIFO within one key; empty = no ordering
  std::string subject;          ///< contract subject (`customer`)
  std::string contract_version; ///< the version the payload was validated against
  std::string fingerprint;      ///< that version's SHA-256 fingerprint
  std::string payload;          ///< JSON text (stored encrypted when the outbox has a key)
  std::string correlation_id;   ///< groups events of one business flow
  std::string causation_id;     ///< the event (or request) that caused this one
  /// W3C `traceparent` of the event's `enqueued` span (empty: none); the
  /// relay's delivery of the event, even after a restart, joins its trace.
  std::string traceparent;
  timestamp created_at{};
  /// The payload as the audit log may show it (PII redacted). Not stored on
  /// the event; written to its `enqueued` audit row.
  std::string audit_payload;
};

/// An event as stored.
struct event {
  std::string id;
  std::int64_t sequence = 0;  ///< store-wide enqueue order; FIFO follows it
  std::string idempotency_key;
  std::string aggregate_key;
  std::string subject;
  std::string contract_version;
  std::string fingerprint;
  std::string payload;
  std::string correlation_id;
  std::string causation_id;
  std::string traceparent;       ///< see `new_event::traceparent`
  timestamp created_at{};
  int attempts = 0;              ///< deliveries started (claims)
  timestamp next_attempt_at{};   ///< not claimed before this
  event_state state = event_state::pending;
  std::string lease_owner;       ///< the relay holding it (in flight only)
  timestamp lease_until{};       ///< the lease ends (in flight only)
  std::string last_error;        ///< the last failure, for people (never a secret)
  timestamp updated_at{};        ///< last state change
  delivery_result result;        ///< set when delivered
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
