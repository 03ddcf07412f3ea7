#include "odoolink/outbox/memory_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "odoolink/outbox/detail/claim_planner.hpp"
#include "odoolink/outbox/detail/store_rules.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

namespace {

// Lets the indexes be searched with a string_view, without building a string.
struct text_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using text_index = std::unordered_map<std::string, std::int64_t, text_hash, std::equal_to<>>;

}  // namespace

struct memory_store::state {
  std::mutex mutex;
  std::int64_t next_sequence = 1;
  std::map<std::int64_t, event> events;  // by sequence
  text_index by_id;
  text_index by_key;
  std::unordered_map<std::string, timestamp> inbox;
  std::vector<audit_record> audit;

  event* get(std::string_view id) {
    auto it = by_id.find(id);
    if (it == by_id.end()) return nullptr;
    auto e = events.find(it->second);
    return e == events.end() ? nullptr : &e->second;
  }

  void append_audit(const std::string& event_id, timestamp at, audit_action action, std::string detail) {
    audit_record row;
    row.event_id = event_id;
    row.at = at;
    row.action = action;
    row.detail = std::move(detail);
    chain_audit(row, audit.empty() ? nullptr : &audit.back());
    audit.push_back(std::move(row));
  }
};

memory_store::memory_store() : s_(std::make_unique<state>()) {}
memory_store::~memory_store() = default;

result<std::vector<enqueue_outcome>> memory_store::enqueue(std::span<const new_event> events) {
  std::lock_guard lock(s_->mutex);
  // Checked first: the batch is stored whole or not at all.
  std::unordered_map<std::string, const std::string*> batch_ids;  // id → its key
  for (const auto& n : events) {
    auto known = s_->by_id.find(n.id);
    const bool stored_elsewhere = known != s_->by_id.end() && s_->events.at(known->second).idempotency_key != n.idempotency_key;
    auto [it, fresh] = batch_ids.try_emplace(n.id, &n.idempotency_key);
    if (stored_elsewhere || (!fresh && *it->second != n.idempotency_key))
      return error(store_errc::conflict, "outbox: event id " + n.id + " is already used by another idempotency key");
  }
  std::vector<enqueue_outcome> out;
  out.reserve(events.size());
  for (const auto& n : events) {
    if (auto it = s_->by_key.find(n.idempotency_key); it != s_->by_key.end()) {
      const auto& first = s_->events.at(it->second);
      out.push_back({first.id, first.sequence, true});
      continue;
    }
    event e;
    e.id = n.id;
    e.sequence = s_->next_sequence++;
    e.idempotency_key = n.idempotency_key;
    e.aggregate_key = n.aggregate_key;
    e.subject = n.subject;
    e.contract_version = n.contract_version;
    e.fingerprint = n.fingerprint;
    e.payload = n.payload;
    e.correlation_id = n.correlation_id;
    e.causation_id = n.causation_id;
    e.traceparent = n.traceparent;
    e.created_at = n.created_at;
    e.next_attempt_at = n.created_at;
    e.updated_at = n.created_at;
    s_->by_id[e.id] = e.sequence;
    s_->by_key[e.idempotency_key] = e.sequence;
    s_->append_audit(e.id, n.created_at, audit_action::enqueued, n.audit_payload);
    out.push_back({e.id, e.sequence, false});
    s_->events.emplace(e.sequence, std::move(e));
  }
  return out;
}

result<std::vector<event>> memory_store::claim(const claim_request& request) {
  std::lock_guard lock(s_->mutex);
  detail::claim_planner planner(request.max_events);
  std::vector<event> out;
  out.reserve(std::min(request.max_events, s_->events.size()));
  for (auto& [seq, e] : s_->events) {
    if (planner.full()) break;
    if (e.state != event_state::pending && e.state != event_state::in_flight) continue;
    const bool due = e.state == event_state::pending ? e.next_attempt_at <= request.now : e.lease_until <= request.now;
    if (!planner.take(e.aggregate_key, due)) continue;
    if (e.state == event_state::pending) e.attempts += 1;
    e.state = event_state::in_flight;
    e.lease_owner = request.owner;
    e.lease_until = request.now + request.lease;
    e.updated_at = request.now;
    out.push_back(e);
  }
  return out;
}

result<std::vector<bool>> memory_store::settle(std::string_view owner, timestamp now,
                                               std::span<const settlement> outcomes) {
  std::lock_guard lock(s_->mutex);
  std::vector<bool> applied;
  applied.reserve(outcomes.size());
  for (const auto& s : outcomes) {
    event* e = s_->get(s.id);
    if (e == nullptr || e->state != event_state::in_flight || e->lease_owner != owner) {
      applied.push_back(false);
      continue;
    }
    const int attempt = e->attempts;
    detail::apply_settlement(*e, s, now);
    if (audit_action action{}; detail::audit_action_of(s.kind, action))
      s_->append_audit(e->id, now, action, detail::settlement_detail(s, attempt));
    applied.push_back(true);
  }
  return applied;
}

result<std::size_t> memory_store::reclaim(std::string_view owner, std::string_view keep, timestamp now) {
  std::lock_guard lock(s_->mutex);
  std::size_t n = 0;
  for (auto& [seq, e] : s_->events) {
    if (e.state != event_state::in_flight || e.lease_owner == keep || !detail::is_instance_of(e.lease_owner, owner))
      continue;
    settlement release;
    release.kind = settlement_kind::release;
    detail::apply_settlement(e, release, now);
    ++n;
  }
  return n;
}

result<std::optional<event>> memory_store::find(std::string_view id) {
  std::lock_guard lock(s_->mutex);
  event* e = s_->get(id);
  return e == nullptr ? std::optional<event>() : std::optional<event>(*e);
}

result<std::optional<event>> memory_store::find_by_key(std::string_view key) {
  std::lock_guard lock(s_->mutex);
  auto it = s_->by_key.find(key);
  if (it == s_->by_key.end()) return std::optional<event>();
  auto e = s_->events.find(it->second);
  return e == s_->events.end() ? std::optional<event>() : std::optional<event>(e->second);
}

namespace {
bool matches(const event& e, const event_filter& f) {
  if (f.state && e.state != *f.state) return false;
  if (!f.subject.empty() && e.subject != f.subject) return false;
  if (!f.aggregate_key.empty() && e.aggregate_key != f.aggregate_key) return false;
  if (!f.correlation_id.empty() && e.correlation_id != f.correlation_id) return false;
  if (!f.result_model.empty() && (e.result.model != f.result_model || e.result.record_id != f.result_record_id))
    return false;
  if (!f.result_external_id.empty() && e.result.external_id != f.result_external_id) return false;
  return true;
}
}  // namespace

result<std::vector<event>> memory_store::list(const event_filter& filter) {
  std::lock_guard lock(s_->mutex);
  std::vector<event> out;
  for (auto it = s_->events.upper_bound(filter.after_sequence); it != s_->events.end() && out.size() < filter.limit; ++it)
    if (matches(it->second, filter)) out.push_back(it->second);
  return out;
}

result<void> memory_store::replay(std::string_view id, timestamp now, const std::optional<std::string>& payload,
                                  std::string_view audit_detail) {
  std::lock_guard lock(s_->mutex);
  event* e = s_->get(id);
  if (e == nullptr) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  if (e->state != event_state::dead && e->state != event_state::delivered)
    return error(store_errc::conflict,
                 "outbox: event " + std::string(id) + " is " + std::string(to_string(e->state)) + ", not dead or delivered");
  e->state = event_state::pending;
  e->attempts = 0;
  e->next_attempt_at = now;
  e->updated_at = now;
  if (payload) e->payload = *payload;
  s_->append_audit(e->id, now, audit_action::replayed, std::string(audit_detail));
  return success();
}

result<void> memory_store::discard(std::string_view id, timestamp now, std::string_view reason) {
  std::lock_guard lock(s_->mutex);
  event* e = s_->get(id);
  if (e == nullptr) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  if (e->state != event_state::dead)
    return error(store_errc::conflict,
                 "outbox: event " + std::string(id) + " is " + std::string(to_string(e->state)) + ", not dead");
  e->state = event_state::discarded;
  e->updated_at = now;
  s_->append_audit(e->id, now, audit_action::discarded, std::string(reason));
  return success();
}

result<queue_stats> memory_store::stats() {
  std::lock_guard lock(s_->mutex);
  queue_stats st;
  for (const auto& [seq, e] : s_->events) detail::count_in(st, e.state, e.created_at, 1);
  return st;
}

result<std::vector<subject_queue_stats>> memory_store::subject_stats() {
  std::lock_guard lock(s_->mutex);
  std::map<std::string, queue_stats, std::less<>> by_subject;
  for (const auto& [seq, e] : s_->events) detail::count_in(by_subject[e.subject], e.state, e.created_at, 1);
  std::vector<subject_queue_stats> out;
  out.reserve(by_subject.size());
  for (auto& [subject, stats] : by_subject) out.push_back({subject, stats});
  return out;
}

result<std::optional<timestamp>> memory_store::next_due() {
  std::lock_guard lock(s_->mutex);
  std::optional<timestamp> due;
  std::unordered_set<std::string> seen;  // aggregates whose first undelivered event was counted
  for (const auto& [seq, e] : s_->events) {
    if (e.state != event_state::pending && e.state != event_state::in_flight) continue;
    if (!e.aggregate_key.empty() && !seen.insert(e.aggregate_key).second) continue;
    timestamp t{};
    if (e.state == event_state::pending)
      t = e.next_attempt_at;
    else if (e.state == event_state::in_flight)
      t = e.lease_until;
    else
      continue;
    if (!due || t < *due) due = t;
  }
  return due;
}

result<std::size_t> memory_store::purge(timestamp before) {
  std::lock_guard lock(s_->mutex);
  std::size_t n = 0;
  for (auto it = s_->events.begin(); it != s_->events.end();) {
    const auto& e = it->second;
    if ((e.state == event_state::delivered || e.state == event_state::discarded) && e.updated_at < before) {
      s_->by_id.erase(e.id);
      s_->by_key.erase(e.idempotency_key);
      it = s_->events.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

result<bool> memory_store::inbox_record(std::string_view key, timestamp now, std::chrono::microseconds window) {
  std::lock_guard lock(s_->mutex);
  auto [it, inserted] = s_->inbox.try_emplace(std::string(key), now);
  if (inserted) return true;
  if (it->second < now - window) {
    it->second = now;
    return true;
  }
  return false;
}

result<void> memory_store::inbox_forget(std::string_view key) {
  std::lock_guard lock(s_->mutex);
  s_->inbox.erase(std::string(key));
  return success();
}

result<std::size_t> memory_store::inbox_purge(timestamp before) {
  std::lock_guard lock(s_->mutex);
  return static_cast<std::size_t>(std::erase_if(s_->inbox, [&](const auto& kv) { return kv.second < before; }));
}

result<std::vector<audit_record>> memory_store::audit(std::int64_t after_sequence, std::size_t limit,
                                                      std::string_view event_id) {
  std::lock_guard lock(s_->mutex);
  std::vector<audit_record> out;
  for (const auto& row : s_->audit) {
    if (out.size() >= limit) break;
    if (row.sequence <= after_sequence) continue;
    if (!event_id.empty() && row.event_id != event_id) continue;
    out.push_back(row);
  }
  return out;
}

void memory_store::tamper_with_audit_row_for_testing(std::int64_t sequence, std::string detail) {
  std::lock_guard lock(s_->mutex);
  for (auto& row : s_->audit)
    if (row.sequence == sequence) row.detail = std::move(detail);
}

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
