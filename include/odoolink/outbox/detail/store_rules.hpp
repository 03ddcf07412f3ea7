#pragma once
/// @file
/// Small rules every store applies the same way: audit row texts for
/// settlements, and which settlements / replays are allowed.

#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/outbox/audit.hpp"
#include "odoolink/outbox/event.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

/// The audit action of a settlement; `release` is not audited (nothing happened).
[[nodiscard]] inline bool audit_action_of(settlement_kind k, audit_action& out) noexcept {
  switch (k) {
    case settlement_kind::delivered: out = audit_action::delivered; return true;
    case settlement_kind::retry:
    case settlement_kind::park: out = audit_action::retry; return true;
    case settlement_kind::dead: out = audit_action::dead; return true;
    case settlement_kind::release: return false;
  }
  return false;
}

/// What a settlement's audit row says after its attempt number: the error,
/// or `res.partner 7 pos.customer_3`.
[[nodiscard]] inline std::string settlement_summary(const settlement& s) {
  if (s.kind != settlement_kind::delivered) return s.error;
  std::string d = s.result.model.empty() ? std::string("delivered") : s.result.model;
  if (s.result.record_id != 0) d.append(" ").append(std::to_string(s.result.record_id));
  if (!s.result.external_id.empty()) d.append(" ").append(s.result.external_id);
  return d;
}

/// `attempt 2: <error>` or `attempt 1: res.partner 7 pos.customer_3`.
[[nodiscard]] inline std::string settlement_detail(const settlement& s, int attempt) {
  return "attempt " + std::to_string(attempt) + ": " + settlement_summary(s);
}

/// Adds `count` events in `state`, the oldest created at `oldest`, to `st`
/// (the stores' grouped counts and the default `store::subject_stats`).
inline void count_in(queue_stats& st, event_state state, timestamp oldest, std::size_t count) noexcept {
  switch (state) {
    case event_state::pending: st.pending += count; break;
    case event_state::in_flight: st.in_flight += count; break;
    case event_state::delivered: st.delivered += count; break;
    case event_state::dead: st.dead += count; break;
    case event_state::discarded: st.discarded += count; break;
  }
  if ((state == event_state::pending || state == event_state::in_flight) &&
      (!st.oldest_pending_created_at || oldest < *st.oldest_pending_created_at))
    st.oldest_pending_created_at = oldest;
}

/// True when lease owner `lease_owner` is `owner` itself or one of its
/// instances (`owner/...`): what `store::reclaim` takes back.
[[nodiscard]] inline bool is_instance_of(std::string_view lease_owner, std::string_view owner) noexcept {
  if (!lease_owner.starts_with(owner)) return false;
  return lease_owner.size() == owner.size() || lease_owner[owner.size()] == '/';
}

/// Applies a settlement to an event held in memory (the in-memory store, and
/// stores that load, change and write back).
inline void apply_settlement(event& e, const settlement& s, timestamp now) {
  e.updated_at = now;
  e.lease_owner.clear();
  e.lease_until = {};
  switch (s.kind) {
    case settlement_kind::delivered:
      e.state = event_state::delivered;
      e.result = s.result;
      e.last_error.clear();
      break;
    case settlement_kind::retry:
      e.state = event_state::pending;
      e.next_attempt_at = s.next_attempt_at;
      e.last_error = s.error;
      break;
    case settlement_kind::dead:
      e.state = event_state::dead;
      e.last_error = s.error;
      break;
    case settlement_kind::release:
      e.state = event_state::pending;
      if (e.attempts > 0) --e.attempts;
      e.next_attempt_at = now;
      break;
    case settlement_kind::park:
      e.state = event_state::pending;
      if (e.attempts > 0) --e.attempts;
      e.next_attempt_at = s.next_attempt_at;
      e.last_error = s.error;
      break;
  }
}

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
