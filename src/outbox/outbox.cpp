#include "odoolink/outbox/outbox.hpp"

#include "odoolink/contract/validate.hpp"
#include "odoolink/outbox/uuid.hpp"

#include "default_clock.hpp"
#include "transition_trace.hpp"

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
  std::map<std::string, std::uint64_t, std::less<>> disagreements;  // by subject, from reconciliation

  [[nodiscard]] timestamp now() const { return to_timestamp(time->wall_now()); }

  result<contract::contract> contract_of(std::string_view subject, std::string_view version) const {
    if (version.empty()) return contracts->latest(subject);
    return contracts->lookup(subject, version);
  }

  // The context the enqueuing code runs in: the request's, else the observer's current one.
  [[nodiscard]] observe::trace_context enqueuing_context(std::string_view traceparent) const {
    observe::trace_context given = detail::trace_of(traceparent);
    if (given.valid() || options.observer == nullptr) return given;
    return options.observer->current();
  }

  // The event's own span (`enqueued`), a child of the enqueuing code's; none
  // without a context unless an observer wants every event traced.
  [[nodiscard]] std::string enqueue_span(std::string_view traceparent) const {
    const observe::trace_context parent = enqueuing_context(traceparent);
    if (!parent.valid() && options.observer == nullptr) return {};
    return observe::to_traceparent(observe::child_of(parent));
  }

  // One `enqueued` record per stored (not duplicate) event.
  void report_enqueued(std::span<const enqueue_request> requests, const std::vector<new_event>& events,
                       const std::vector<enqueue_outcome>& outcomes) const {
    for (std::size_t i = 0; i < events.size() && i < outcomes.size(); ++i) {
      if (outcomes[i].duplicate) continue;
      const new_event& e = events[i];
      const observe::trace_context own = detail::trace_of(e.traceparent);
      const observe::trace_context parent = enqueuing_context(requests[i].traceparent);
      detail::report_transition(*options.observer, observe::transition::enqueued, e, 0, e.created_at, own,
                                parent.valid() ? std::string_view(parent.span_id) : std::string_view());
    }
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
    e.traceparent = enqueue_span(r.traceparent);
    e.created_at = at;
    e.audit_payload = std::move(redacted);
    return e;
  }
};

outbox::outbox(store& store, const contract::registry& registry, outbox_options options, const odoolink::clock* clock)
    : s_(std::make_unique<state>(state{&store, &registry, std::move(options),
                                       clock != nullptr ? clock : &detail::default_clock(), contract::validator{}, {}, {}})) {}
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
  if (s_->options.observer != nullptr) s_->report_enqueued(requests, events, outcomes);
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
  const timestamp now = s_->now();
  if (!corrected_payload) {
    ODOOLINK_TRYV(s_->events->replay(id, now, std::nullopt, "replayed as stored"));
  } else {
    ODOOLINK_TRY(auto c, s_->contract_of(e.subject, e.contract_version));
    if (!s_->validator.validate(c, *corrected_payload)) return contract::violation_error(c, s_->validator.violations());
    ODOOLINK_TRY(auto redacted, contract::redact_json(c, *corrected_payload, s_->options.redaction));
    ODOOLINK_TRYV(s_->events->replay(id, now, std::string(*corrected_payload), "replayed with a corrected payload: " + redacted));
  }
  if (s_->options.observer != nullptr)
    detail::report_operator_change(*s_->options.observer, observe::transition::replayed, e, now);
  return success();
}

result<std::size_t> outbox::replay_dead(event_filter filter) {
  filter.state = event_state::dead;
  std::size_t replayed = 0;
  for (;;) {
    ODOOLINK_TRY(auto page, s_->events->list(filter));
    if (page.empty()) return replayed;
    for (const auto& e : page) {
      const timestamp now = s_->now();
      ODOOLINK_TRYV(s_->events->replay(e.id, now, std::nullopt, "replayed as stored"));
      if (s_->options.observer != nullptr)
        detail::report_operator_change(*s_->options.observer, observe::transition::replayed, e, now);
      ++replayed;
    }
    filter.after_sequence = page.back().sequence;
  }
}

result<void> outbox::discard(std::string_view id, std::string_view reason) {
  if (reason.empty()) return error(transport_errc::invalid_request, "outbox: discarding needs a reason");
  const timestamp now = s_->now();
  if (s_->options.observer == nullptr) return s_->events->discard(id, now, reason);
  ODOOLINK_TRY(auto e, get(id));  // for the record: subject, correlation, trace
  ODOOLINK_TRYV(s_->events->discard(id, now, reason));
  detail::report_operator_change(*s_->options.observer, observe::transition::discarded, e, now);
  return success();
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
  if (relay != nullptr) m.counters.merge_deliveries(*relay);
  ODOOLINK_TRY(auto q, s_->events->stats());
  m.queue = q;
  const timestamp now = s_->now();
  auto age = [now](const std::optional<timestamp>& oldest) -> std::optional<double> {
    if (!oldest) return std::nullopt;
    return std::chrono::duration<double>(now - *oldest).count();
  };
  m.oldest_pending_age_seconds = age(q.oldest_pending_created_at);
  // Subjects from the store, the counters and reconciliation, merged by name.
  ODOOLINK_TRY(auto by_subject, s_->events->subject_stats());
  std::map<std::string, subject_metrics, std::less<>> subjects;
  for (auto& s : by_subject) {
    subject_metrics& out = subjects[s.subject];
    out.queue = s.stats;
    out.oldest_pending_age_seconds = age(s.stats.oldest_pending_created_at);
  }
  for (const auto& [name, counted] : m.counters.subjects) subjects[name].counters = counted;
  for (const auto& [name, count] : s_->disagreements) subjects[name].reconciliation_disagreements = count;
  m.subjects.reserve(subjects.size());
  for (auto& [name, s] : subjects) {
    s.subject = name;
    m.subjects.push_back(std::move(s));
  }
  return m;
}

void outbox::set_reconciliation_disagreements(std::map<std::string, std::uint64_t, std::less<>> counts) {
  s_->disagreements = std::move(counts);
}

result<std::size_t> outbox::purge_delivered(std::chrono::microseconds age) { return s_->events->purge(s_->now() - age); }

store& outbox::storage() noexcept { return *s_->events; }

}  // namespace outbox
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
