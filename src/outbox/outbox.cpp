#include "odoolink/outbox/outbox.hpp"

#include "odoolink/contract/validate.hpp"
#include "odoolink/outbox/uuid.hpp"

#include "default_clock.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox {

struct outbox::state {
  store* events;
  const contract::registry* contracts;
  outbox_options options;
  const odoolink::clock* time;
  contract::validator validator;
  relay_counters counters;

  [[nodiscard]] timestamp now() const { return to_timestamp(time->wall_now()); }

  result<contract::contract> contract_of(std::string_view subject, std::string_view version) const {
    if (version.empty()) return contracts->latest(subject);
    return contracts->lookup(subject, version);
  }

  // Validates and prepares one event (nothing is stored yet).
  result<new_event> prepare(const enqueue_request& r, timestamp at) {
    if (r.idempotency_key.empty())
      return error(transport_errc::invalid_request, "outbox: enqueue needs an idempotency key");
    for (const auto& [what, key] : {std::pair{"idempotency", r.idempotency_key}, std::pair{"aggregate", r.aggregate_key}})
      if (key.size() > options.max_key_bytes)  // the key itself is not quoted: it may hold PII
        return error(transport_errc::invalid_request, "outbox: the " + std::string(what) + " key has " +
                                                          std::to_string(key.size()) + " bytes, more than max_key_bytes (" +
                                                          std::to_string(options.max_key_bytes) + ")");
    if (r.payload.size() > options.max_payload_bytes)
      return error(transport_errc::invalid_request, "outbox: payload of " + std::to_string(r.payload.size()) +
                                                        " bytes is over the limit of " +
                                                        std::to_string(options.max_payload_bytes));
    ODOOLINK_TRY(auto c, contract_of(r.subject, r.version));
    if (!validator.validate(c, r.payload)) return contract::violation_error(c, validator.violations());
    ODOOLINK_TRY(auto redacted, contract::redact_json(c, r.payload, options.redaction));
    new_event e;
    e.id = make_uuid_v7(at);
    e.idempotency_key = std::string(r.idempotency_key);
    e.aggregate_key = std::string(r.aggregate_key);
    e.subject = std::string(c.subject());
    e.contract_version = std::string(c.version());
    e.fingerprint = std::string(c.fingerprint());
    e.payload = std::string(r.payload);
    e.correlation_id = std::string(r.correlation_id);
    e.causation_id = std::string(r.causation_id);
    e.created_at = at;
    e.audit_payload = std::move(redacted);
    return e;
  }
};

outbox::outbox(store& store, const contract::registry& registry, outbox_options options, const odoolink::clock* clock)
    : s_(std::make_unique<state>(state{&store, &registry, std::move(options),
                                       clock != nullptr ? clock : &detail::default_clock(), contract::validator{}, {}})) {}
outbox::~outbox() = default;
outbox::outbox(outbox&&) noexcept = default;
outbox& outbox::operator=(outbox&&) noexcept = default;

result<enqueue_outcome> outbox::enqueue(const enqueue_request& request) {
  ODOOLINK_TRY(auto outcomes, enqueue(std::span<const enqueue_request>(&request, 1)));
  return std::move(outcomes.front());
}

result<std::vector<enqueue_outcome>> outbox::enqueue(std::span<const enqueue_request> requests) {
  const timestamp at = s_->now();
  std::vector<new_event> events;
  events.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto prepared = s_->prepare(requests[i], at);
    if (!prepared) {
      if (requests.size() == 1) return std::move(prepared).as_failure();
      return prepared.error().with_context("outbox: event " + std::to_string(i) + " of the batch");
    }
    events.push_back(std::move(prepared).value());
  }
  ODOOLINK_TRY(auto outcomes, s_->events->enqueue(events));
  for (const auto& o : outcomes) ++(o.duplicate ? s_->counters.duplicates : s_->counters.enqueued);
  return outcomes;
}

result<event> outbox::get(std::string_view id) {
  ODOOLINK_TRY(auto found, s_->events->find(id));
  if (!found) return error(store_errc::not_found, "outbox: no event " + std::string(id));
  return std::move(*found);
}

result<std::vector<event>> outbox::list(const event_filter& filter) { return s_->events->list(filter); }

result<std::vector<event>> outbox::dead_letters(std::size_t limit) {
  event_filter f;
  f.state = event_state::dead;
  f.limit = limit;
  return s_->events->list(f);
}

result<void> outbox::replay(std::string_view id, std::optional<std::string_view> corrected_payload) {
  ODOOLINK_TRY(auto e, get(id));
  if (!corrected_payload) return s_->events->replay(id, s_->now(), std::nullopt, "replayed as stored");
  ODOOLINK_TRY(auto c, s_->contract_of(e.subject, e.contract_version));
  if (!s_->validator.validate(c, *corrected_payload)) return contract::violation_error(c, s_->validator.violations());
  ODOOLINK_TRY(auto redacted, contract::redact_json(c, *corrected_payload, s_->options.redaction));
  return s_->events->replay(id, s_->now(), std::string(*corrected_payload), "replayed with a corrected payload: " + redacted);
}

result<std::size_t> outbox::replay_dead(event_filter filter) {
  filter.state = event_state::dead;
  std::size_t replayed = 0;
  for (;;) {
    ODOOLINK_TRY(auto page, s_->events->list(filter));
    if (page.empty()) return replayed;
    for (const auto& e : page) {
      ODOOLINK_TRYV(s_->events->replay(e.id, s_->now(), std::nullopt, "replayed as stored"));
      ++replayed;
    }
    filter.after_sequence = page.back().sequence;
  }
}

result<void> outbox::discard(std::string_view id, std::string_view reason) {
  if (reason.empty()) return error(transport_errc::invalid_request, "outbox: discarding needs a reason");
  return s_->events->discard(id, s_->now(), reason);
}

result<std::vector<event>> outbox::produced(std::string_view model, std::int64_t record_id) {
  event_filter f;
  f.result_model = std::string(model);
  f.result_record_id = record_id;
  return s_->events->list(f);
}

result<std::vector<event>> outbox::correlated(std::string_view correlation_id) {
  event_filter f;
  f.correlation_id = std::string(correlation_id);
  return s_->events->list(f);
}

result<std::vector<audit_record>> outbox::history(std::string_view id) {
  return s_->events->audit(0, std::numeric_limits<std::size_t>::max(), id);
}

result<std::size_t> outbox::verify_audit() {
  constexpr std::size_t page_size = 4096;
  std::size_t checked = 0;
  std::int64_t after = 0;
  std::string prev(genesis_hash());
  for (;;) {
    ODOOLINK_TRY(auto page, s_->events->audit(after, page_size));
    if (page.empty()) return checked;
    ODOOLINK_TRYV(verify_audit_chain(page, prev));
    if (after == 0 && page.front().sequence != 1)
      return error(store_errc::corrupt, "audit chain: the first row is " + std::to_string(page.front().sequence) + ", not 1");
    checked += page.size();
    after = page.back().sequence;
    prev = page.back().hash;
  }
}

result<metrics_snapshot> outbox::metrics(const relay_counters* relay) {
  metrics_snapshot m;
  m.counters = s_->counters;
  if (relay != nullptr) {
    m.counters.delivered += relay->delivered;
    m.counters.retried += relay->retried;
    m.counters.dead += relay->dead;
    for (std::size_t i = 0; i < m.counters.latency_buckets.size(); ++i)
      m.counters.latency_buckets[i] += relay->latency_buckets[i];
    m.counters.latency_sum_seconds += relay->latency_sum_seconds;
  }
  ODOOLINK_TRY(auto q, s_->events->stats());
  m.queue = q;
  if (q.oldest_pending_created_at)
    m.oldest_pending_age_seconds = std::chrono::duration<double>(s_->now() - *q.oldest_pending_created_at).count();
  return m;
}

result<std::size_t> outbox::purge_delivered(std::chrono::microseconds age) { return s_->events->purge(s_->now() - age); }

store& outbox::storage() noexcept { return *s_->events; }

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
