#include "transition_trace.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

namespace {

observe::transition transition_of(settlement_kind k) noexcept {
  switch (k) {
    case settlement_kind::delivered: return observe::transition::delivered;
    case settlement_kind::retry: return observe::transition::retried;
    case settlement_kind::dead: return observe::transition::dead;
    case settlement_kind::park: return observe::transition::parked;
    case settlement_kind::release: return observe::transition::released;
  }
  return observe::transition::released;
}

}  // namespace

observe::trace_context trace_of(std::string_view traceparent) {
  if (traceparent.empty()) return {};
  auto parsed = observe::parse_traceparent(traceparent);
  return parsed ? std::move(*parsed) : observe::trace_context{};
}

void report_operator_change(observe::observer& o, observe::transition kind, const event& e, timestamp at) {
  const observe::trace_context stored = trace_of(e.traceparent);
  report_transition(o, kind, e, e.attempts, at, observe::child_of(stored), stored.span_id);
}

void relay_trace::open_attempts(std::span<const event> events, timestamp at) {
  std::vector<observe::event_link> links;
  links.reserve(events.size());
  for (const auto& e : events) {
    // An event enqueued without a context gets a trace of its own here.
    const observe::trace_context stored = trace_of(e.traceparent);
    observe::event_link link{e.id, e.subject, e.correlation_id, e.causation_id, observe::child_of(stored)};
    report_transition(*observer_, observe::transition::claimed, e, e.attempts, at, link.trace, stored.span_id);
    links.push_back(link);
    attempts_.insert_or_assign(e.id, std::move(link));
  }
  observer_->set_delivering(std::move(links));
}

void relay_trace::mark_all_delivering() {
  std::vector<observe::event_link> links;
  links.reserve(attempts_.size());
  for (const auto& [id, link] : attempts_) links.push_back(link);
  observer_->set_delivering(std::move(links));
}

void relay_trace::close_attempts(std::span<const event> events, std::span<const delivery> deliveries,
                                 std::span<const settlement> outcomes, const std::vector<bool>& applied, timestamp at) {
  for (std::size_t i = 0; i < outcomes.size() && i < events.size(); ++i) {
    auto found = attempts_.find(events[i].id);
    if (found == attempts_.end()) continue;
    const observe::trace_context attempt_span = found->second.trace;
    attempts_.erase(found);
    if (i >= applied.size() || !applied[i]) continue;  // another relay owns the event now: nothing changed
    const settlement& s = outcomes[i];
    const bool uncounted = s.kind == settlement_kind::park || s.kind == settlement_kind::release;
    std::error_code error;
    if (i < deliveries.size() && !deliveries[i].outcome) error = deliveries[i].outcome.error().code();
    const int attempt = uncounted && events[i].attempts > 0 ? events[i].attempts - 1 : events[i].attempts;
    report_transition(*observer_, transition_of(s.kind), events[i], attempt, at, observe::child_of(attempt_span),
                      attempt_span.span_id, error);
  }
}

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
