#pragma once
// How an event and an audit record map to rows: column lists and readers.

#include "connection.hpp"
#include "odoolink/outbox/audit.hpp"
#include "odoolink/outbox/event.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

// A macro, so statements stay string literals (the statement cache keys on them).
// Column order of `read_event`.
#define ODOOLINK_SQLITE_EVENT_COLUMNS                                                                              \
  "sequence, id, idempotency_key, aggregate_key, subject, contract_version, fingerprint, payload, correlation_id, " \
  "causation_id, created_at, attempts, next_attempt_at, state, lease_owner, lease_until, last_error, updated_at, " \
  "result_model, result_record_id, result_external_id, traceparent"

// Column order of `read_audit`.
#define ODOOLINK_SQLITE_AUDIT_COLUMNS "sequence, event_id, at, action, detail, prev_hash, hash"

[[nodiscard]] inline std::int64_t micros(timestamp t) noexcept { return t.time_since_epoch().count(); }
[[nodiscard]] inline timestamp at_micros(std::int64_t us) noexcept { return timestamp(std::chrono::microseconds(us)); }

/// The event in the current row of a statement selecting ODOOLINK_SQLITE_EVENT_COLUMNS.
[[nodiscard]] event read_event(const statement& s);
/// The audit record in the current row of a statement selecting ODOOLINK_SQLITE_AUDIT_COLUMNS.
[[nodiscard]] audit_record read_audit(const statement& s);

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
