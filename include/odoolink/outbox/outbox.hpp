#pragma once
/// @file
/// The outbox: where the host records what must reach Odoo. Enqueueing
/// validates the payload against its contract (an invalid payload is refused
/// with every violation and never stored), deduplicates by idempotency key,
/// and audits the event with its PII redacted. Dead letters, replay, lineage,
/// audit verification, metrics and retention are here too; delivery is the
/// `relay`'s job.
///
/// ```cpp
/// auto store = outbox::sqlite_store::open({.path = "pos.outbox"}).value();
/// outbox::outbox box(*store, registry);
/// auto queued = box.enqueue({.subject = "customer", .payload = R"({"id":"pos.c_17","name":"Ada"})",
///                            .idempotency_key = "c_17", .aggregate_key = "customer/17"});
/// ```

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/clock.hpp"
#include "odoolink/config.hpp"
#include "odoolink/contract/redact.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/error.hpp"
#include "odoolink/observe/observer.hpp"
#include "odoolink/outbox/metrics.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

/// One event to enqueue.
struct enqueue_request {
  std::string_view subject;          ///< contract subject
  std::string_view payload;          ///< JSON text
  std::string_view idempotency_key;  ///< required: the same key enqueues once
  std::string_view aggregate_key;    ///< FIFO scope; empty = unordered
  std::string_view version;          ///< contract version; empty = the subject's latest
  std::string_view correlation_id;
  std::string_view causation_id;
  /// The enqueuing code's trace context as a W3C `traceparent` value (e.g.
  /// the header of the request being served); empty: the observer's
  /// `current()` context, if any. A malformed value is ignored like an empty one.
  std::string_view traceparent;
};

/// Settings of an outbox.
struct outbox_options {
  /// How PII is masked in audit rows (a keyed hash keeps them joinable).
  contract::redact_options redaction;
  /// Largest payload accepted (bytes).
  std::size_t max_payload_bytes = std::size_t{1} << 20U;
  /// Longest idempotency key, and longest aggregate key, accepted (bytes).
  /// Keys are stored and indexed with every event: a bound keeps a wrong
  /// key (a whole document passed by mistake) out of the store.
  std::size_t max_key_bytes = 256;
  /// Receives `enqueued`, `replayed` and `discarded` transitions; must
  /// outlive the outbox. With an observer every event gets a trace context
  /// (a new trace when the enqueuing code has none). Null: none recorded.
  observe::observer* observer = nullptr;
};

/// @par Thread Safety  One object per thread (as its store).
class outbox {
 public:
  /// `store` and `registry` must outlive the outbox. For payload encryption
  /// at rest, pass an `encrypting_store` (and give relays the same one).
  outbox(store& store, const contract::registry& registry, outbox_options options = {},
         const odoolink::clock* clock = nullptr);
  ~outbox();
  outbox(outbox&&) noexcept;
  outbox& operator=(outbox&&) noexcept;

  /// Validates and stores one event. Returns the stored event (the first
  /// one, `duplicate` set, when the key was known).
  /// Errors: contract_errc::unknown_subject; contract_errc::violation listing
  /// every violation (nothing stored); the payload's own external id (the
  /// field mapped to `id`) must have the external id syntax, else that is a
  /// violation too; transport_errc::invalid_request for an empty key, a key
  /// longer than `max_key_bytes` or an oversized payload; the store's errors.
  /// No error quotes a value of a field marked PII, nor a key.
  [[nodiscard]] result<enqueue_outcome> enqueue(const enqueue_request& request);
  /// Validates all, then stores all in one transaction (or none).
  [[nodiscard]] result<std::vector<enqueue_outcome>> enqueue(std::span<const enqueue_request> requests);

  /// The event `id`. Errors: store_errc::not_found.
  [[nodiscard]] result<event> get(std::string_view id);
  /// Events matching `filter` (see `event_filter`).
  [[nodiscard]] result<std::vector<event>> list(const event_filter& filter);
  /// Dead letters, oldest first.
  [[nodiscard]] result<std::vector<event>> dead_letters(std::size_t limit = 1000);

  /// Sends a dead (or delivered) event again. A corrected payload is
  /// validated against the event's contract version first. Replaying an
  /// event that was in fact delivered produces no duplicate: delivery is an
  /// upsert keyed by the same external id.
  /// Errors: store_errc::not_found / conflict; contract_errc::violation.
  [[nodiscard]] result<void> replay(std::string_view id, std::optional<std::string_view> corrected_payload = std::nullopt);
  /// Replays every dead letter matching `filter` (its `state` is ignored).
  /// Returns how many.
  [[nodiscard]] result<std::size_t> replay_dead(event_filter filter = {});
  /// Gives up on a dead letter for good, with a reason (audited).
  [[nodiscard]] result<void> discard(std::string_view id, std::string_view reason);

  /// Lineage: the events that produced Odoo record `model`/`record_id`.
  [[nodiscard]] result<std::vector<event>> produced(std::string_view model, std::int64_t record_id);
  /// Lineage: every event of a correlation id, in order.
  [[nodiscard]] result<std::vector<event>> correlated(std::string_view correlation_id);
  /// Lineage: every audit row of one event (each attempt with its error).
  [[nodiscard]] result<std::vector<audit_record>> history(std::string_view id);
  /// Verifies the whole audit chain. Errors: store_errc::corrupt naming the first bad row.
  /// Returns the number of rows checked.
  [[nodiscard]] result<std::size_t> verify_audit();

  /// Counters of this outbox plus `relay` (when given) and the queue's
  /// state, in all and per subject (with the reconciliation counts last set).
  /// Errors: the store's.
  [[nodiscard]] result<metrics_snapshot> metrics(const relay_counters* relay = nullptr);
  /// The records per subject that the last reconciliation found disagreeing
  /// with Odoo; replaces the counts set before. `metrics()` reports them as
  /// `subject_metrics::reconciliation_disagreements`.
  void set_reconciliation_disagreements(std::map<std::string, std::uint64_t, std::less<>> counts);
  /// Deletes delivered and discarded events older than `age` (audit rows stay).
  [[nodiscard]] result<std::size_t> purge_delivered(std::chrono::microseconds age);

  /// The store underneath.
  [[nodiscard]] store& storage() noexcept;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
