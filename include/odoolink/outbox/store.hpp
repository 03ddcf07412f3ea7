#pragma once
/// @file
/// The storage contract every outbox store meets (SQLite, PostgreSQL,
/// in-memory), checked by one conformance suite.
///
/// Every call is one transaction: it happens entirely or not at all, and its
/// audit rows (one per state change, hash-chained) commit with it. The one
/// exception is the default `settle_and_claim`, which is two such calls.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/outbox/audit.hpp"
#include "odoolink/outbox/event.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// What `enqueue` did with one event.
struct enqueue_outcome {
  std::string id;              ///< the stored event (the earlier one for a duplicate)
  std::int64_t sequence = 0;
  bool duplicate = false;      ///< the idempotency key was known: nothing was stored
};

/// Arguments of `claim`.
struct claim_request {
  std::string owner;              ///< the relay's name, recorded as lease owner
  timestamp now{};
  std::chrono::microseconds lease{std::chrono::seconds(60)};  ///< how long the claim holds
  std::size_t max_events = 64;
};

/// How a claimed event ended.
enum class settlement_kind : std::uint8_t {
  delivered,  ///< done; `result` says what it produced
  retry,      ///< failed, may succeed later: pending again at `next_attempt_at`
  dead,       ///< failed for good: dead letter with `error`
  release,    ///< not attempted (an earlier event of its aggregate failed): pending, attempt not counted
  park,       ///< waits for a record another event must create first: pending at `next_attempt_at`
              ///< with `error`, the attempt not counted (it never dead-letters for that)
};

/// The outcome of one claimed event, reported by its relay.
struct settlement {
  std::string id;
  settlement_kind kind = settlement_kind::delivered;
  std::string error;            ///< retry / dead: what went wrong
  timestamp next_attempt_at{};  ///< retry: not before this
  delivery_result result;       ///< delivered
};

/// What `store::settle_and_claim` did.
struct settle_and_claim_outcome {
  std::vector<bool> applied;   ///< per outcome, as `store::settle` answers
  std::vector<event> claimed;  ///< as `store::claim` answers
};

/// Which events `list` returns; empty members match everything.
struct event_filter {
  std::optional<event_state> state;
  std::string subject;
  std::string aggregate_key;
  std::string correlation_id;
  std::string result_model;        ///< with `result_record_id`: events that produced that record
  std::int64_t result_record_id = 0;
  std::string result_external_id;  ///< events that produced that external id
  std::int64_t after_sequence = 0; ///< paging: events after this sequence
  std::size_t limit = 1000;
};

/// Counts for metrics and `status`.
struct queue_stats {
  std::size_t pending = 0, in_flight = 0, delivered = 0, dead = 0, discarded = 0;
  std::optional<timestamp> oldest_pending_created_at;  ///< over pending and in-flight events
};

/// `queue_stats` of the events of one subject.
struct subject_queue_stats {
  std::string subject;  ///< the contract subject
  queue_stats stats;    ///< its events by state, and its oldest undelivered one
};

/// Storage for events, the inbox's keys and the audit log.
/// @par Thread Safety  One object per thread; several objects (in several
///   processes) may share one database where the store says so.
class store {
 public:
  store() = default;
  store(const store&) = delete;
  store& operator=(const store&) = delete;
  virtual ~store() = default;

  /// Stores `events` in one transaction, in order. An event whose
  /// idempotency key is already stored (or appears earlier in `events`) is
  /// not stored: its outcome names the first event, `duplicate` set.
  /// Errors: store_errc::conflict (an event id already stored under another
  /// key), store_errc::io_failed / busy; nothing is stored then.
  [[nodiscard]] virtual result<std::vector<enqueue_outcome>> enqueue(std::span<const new_event> events) = 0;

  /// Claims up to `max_events` due events for `owner` in sequence order:
  /// pending ones whose `next_attempt_at` has come, and in-flight ones whose
  /// lease ran out. An event is claimed only when every earlier pending or
  /// in-flight event of its aggregate is claimed in the same call (per-aggregate
  /// FIFO; dead, delivered and discarded events do not block). Claimed events
  /// become in flight with a lease until `now + lease`; a pending event's
  /// `attempts` grows by one, an expired one keeps its count (the claim that
  /// was lost with its relay already counted for this one).
  [[nodiscard]] virtual result<std::vector<event>> claim(const claim_request& request) = 0;

  /// Applies outcomes of events claimed by `owner`, in one transaction. An
  /// outcome for an event that is no longer in flight under `owner` (its
  /// lease ran out and another relay claimed it) is not applied: `false` at
  /// its index.
  [[nodiscard]] virtual result<std::vector<bool>> settle(std::string_view owner, timestamp now,
                                                         std::span<const settlement> outcomes) = 0;

  /// A relay's step between two sink batches: `settle(request.owner,
  /// request.now, outcomes)`, then `claim(request)`. The default makes the
  /// two calls; the SQLite store makes them one transaction, so one commit
  /// (one disk flush) covers both. Errors: as `settle` and `claim`; with the
  /// default, a failed claim leaves the settlements applied, otherwise
  /// nothing happened (either way the events stay in flight until the
  /// relay's lease runs out, as after a failed `settle`).
  [[nodiscard]] virtual result<settle_and_claim_outcome> settle_and_claim(std::span<const settlement> outcomes,
                                                                          const claim_request& request);

  /// Takes back the claims of a relay that is gone: in-flight events leased
  /// to `owner` or to one of its instances (`owner/<anything>`), except those
  /// leased to `keep`, become pending and due at `now`, their claim not
  /// counted as an attempt (as `settlement_kind::release`). A relay restarted
  /// under the name of a dead one calls it so it need not wait for the
  /// leases to run out; the dead instance's late settlements are then refused
  /// (`settle` answers `false`), which fences a namesake that is in fact alive.
  /// Returns how many events were taken back.
  [[nodiscard]] virtual result<std::size_t> reclaim(std::string_view owner, std::string_view keep, timestamp now) = 0;

  /// The event `id`, if stored.
  [[nodiscard]] virtual result<std::optional<event>> find(std::string_view id) = 0;
  /// The event with idempotency key `key`, if stored.
  [[nodiscard]] virtual result<std::optional<event>> find_by_key(std::string_view key) = 0;
  /// Events matching `filter`, in sequence order.
  [[nodiscard]] virtual result<std::vector<event>> list(const event_filter& filter) = 0;

  /// Makes a dead (or delivered) event pending again with `attempts` 0, due
  /// at `now`; `payload`, when given, replaces the stored one (the caller
  /// validated it) and `audit_detail` goes to the audit row.
  /// Errors: store_errc::not_found; store_errc::conflict when it is pending,
  /// in flight or discarded.
  [[nodiscard]] virtual result<void> replay(std::string_view id, timestamp now, const std::optional<std::string>& payload,
                                            std::string_view audit_detail) = 0;
  /// Marks a dead event discarded with `reason`.
  /// Errors: store_errc::not_found; store_errc::conflict when it is not dead.
  [[nodiscard]] virtual result<void> discard(std::string_view id, timestamp now, std::string_view reason) = 0;

  /// Counts by state.
  [[nodiscard]] virtual result<queue_stats> stats() = 0;
  /// Counts by state per subject, for the subjects with stored events,
  /// sorted by subject. The default reads every event through `list`; the
  /// shipped stores answer with one grouped query.
  [[nodiscard]] virtual result<std::vector<subject_queue_stats>> subject_stats();
  /// The earliest time a `claim` can find work: the first `next_attempt_at`
  /// of a pending event or `lease_until` of an in-flight one, counting only
  /// events that are first in their aggregate (or have none) — a later event
  /// waits for the earlier one anyway; none when idle.
  [[nodiscard]] virtual result<std::optional<timestamp>> next_due() = 0;
  /// Deletes delivered and discarded events last changed before `before`
  /// (their audit rows stay). Returns how many.
  [[nodiscard]] virtual result<std::size_t> purge(timestamp before) = 0;

  /// Records inbound key `key` seen at `now`. True when it is new (or was
  /// last recorded before `now - window`, then forgotten); false for a
  /// duplicate inside the window.
  [[nodiscard]] virtual result<bool> inbox_record(std::string_view key, timestamp now, std::chrono::microseconds window) = 0;
  /// Forgets `key` (its processing failed: let a redelivery through).
  [[nodiscard]] virtual result<void> inbox_forget(std::string_view key) = 0;
  /// Forgets keys recorded before `before`. Returns how many.
  [[nodiscard]] virtual result<std::size_t> inbox_purge(timestamp before) = 0;

  /// Audit rows in chain order, after `after_sequence`, at most `limit`;
  /// only those of `event_id` when it is not empty.
  [[nodiscard]] virtual result<std::vector<audit_record>> audit(std::int64_t after_sequence, std::size_t limit,
                                                                std::string_view event_id = {}) = 0;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
