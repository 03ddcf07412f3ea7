#pragma once
// How an event and an audit record map to rows: column lists and readers.

#include "connection.hpp"
#include "odoolink/outbox/audit.hpp"
#include "odoolink/outbox/event.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

// A macro, so statements stay string literals (the statement cache keys on them).
// Column order of `read_event`, from ODOOLINK_SQLITE_EVENT_TABLES.
#define ODOOLINK_SQLITE_EVENT_COLUMNS                                                                                \
  "e.sequence, e.id, e.idempotency_key, e.aggregate_key, e.subject, e.contract_version, e.fingerprint, e.payload, "  \
  "e.correlation_id, e.causation_id, e.created_at, s.attempts, s.next_attempt_at, s.state, s.lease_owner, "         \
  "s.lease_until, s.last_error, s.updated_at, s.result_model, s.result_record_id, s.result_external_id, e.traceparent"
// Positions in ODOOLINK_SQLITE_EVENT_COLUMNS a claim reads before it copies an event.
namespace event_column {
inline constexpr int sequence = 0;
inline constexpr int aggregate_key = 3;
inline constexpr int next_attempt_at = 12;
inline constexpr int state = 13;
inline constexpr int lease_until = 15;
}  // namespace event_column
// An event's two rows: `e` what it is, `s` where it stands.
#define ODOOLINK_SQLITE_EVENT_TABLES "odoolink_events e JOIN odoolink_event_state s ON s.sequence = e.sequence"

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
