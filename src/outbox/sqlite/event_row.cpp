#include "event_row.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::sqlite {

event read_event(const statement& s) {
  event e;
  e.sequence = s.integer(event_column::sequence);
  e.id = s.text(1);
  e.idempotency_key = s.text(2);
  e.aggregate_key = s.text(event_column::aggregate_key);
  e.subject = s.text(4);
  e.contract_version = s.text(5);
  e.fingerprint = s.text(6);
  e.payload = s.text(7);
  e.correlation_id = s.text(8);
  e.causation_id = s.text(9);
  e.created_at = at_micros(s.integer(10));
  e.attempts = static_cast<int>(s.integer(11));
  e.next_attempt_at = at_micros(s.integer(event_column::next_attempt_at));
  // A value no version wrote (a hand-edited file) shows as dead: kept, never claimed.
  const auto state = s.integer(event_column::state);
  e.state = state >= 0 && state <= 4 ? static_cast<event_state>(state) : event_state::dead;
  e.lease_owner = s.text(14);
  e.lease_until = at_micros(s.integer(event_column::lease_until));
  e.last_error = s.text(16);
  e.updated_at = at_micros(s.integer(17));
  e.result.model = s.text(18);
  e.result.record_id = s.integer(19);
  e.result.external_id = s.text(20);
  e.traceparent = s.text(21);
  return e;
}

audit_record read_audit(const statement& s) {
  audit_record r;
  r.sequence = s.integer(0);
  r.event_id = s.text(1);
  r.at = at_micros(s.integer(2));
  // Unknown actions keep their number; the chain check then reports the row.
  r.action = static_cast<audit_action>(static_cast<std::uint8_t>(s.integer(3)));
  r.detail = s.text(4);
  r.prev_hash = s.text(5);
  r.hash = s.text(6);
  return r;
}

}  // namespace outbox::sqlite
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
