#pragma once
// Transition records for the observer: built only when one is set (every
// entry point is a null check first), never with a payload value.

#include <span>
#include <string_view>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "odoolink/observe/observer.hpp"
#include "odoolink/outbox/event.hpp"
#include "odoolink/outbox/sink.hpp"
#include "odoolink/outbox/store.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

/// The event's stored context; invalid when it has none (or a malformed one).
[[nodiscard]] observe::trace_context trace_of(std::string_view traceparent);

/// Reports one transition of `e` as span `own` under `parent_span`.
template <class Event>
void report_transition(observe::observer& o, observe::transition kind, const Event& e, int attempt, timestamp at,
                       const observe::trace_context& own, std::string_view parent_span, std::error_code error = {}) {
  observe::transition_record r;
  r.kind = kind;
  r.event_id = e.id;
  r.subject = e.subject;
  r.aggregate_key = e.aggregate_key;
  r.correlation_id = e.correlation_id;
  r.causation_id = e.causation_id;
  r.attempt = attempt;
  r.at = at;
  r.error = error;
  r.trace_id = own.trace_id;
  r.span_id = own.span_id;
  r.parent_span_id = parent_span;
  o.on_transition(r);
}

/// An operator's change to a stored event (`replayed`, `discarded`): a child of its `enqueued` span.
void report_operator_change(observe::observer& o, observe::transition kind, const event& e, timestamp at);

/// The relay's records: `claimed` opens one span per delivery attempt, the
/// settlement's record is its child, and the sink's calls (through the
/// observer's `delivering` list) are too.
class relay_trace {
 public:
  explicit relay_trace(observe::observer* o) noexcept : observer_(o) {}

  /// After a claim: one `claimed` record per event; the sink call that
  /// follows delivers them.
  void claimed(std::span<const event> events, timestamp at) {
    if (observer_ != nullptr) open_attempts(events, at);
  }
  /// Before polling the sink: the calls it makes now (retries, bisection,
  /// a blocking sink's delivery) belong to the events it holds.
  void polling() {
    if (observer_ != nullptr) mark_all_delivering();
  }
  /// After the sink call: nothing is being delivered any more.
  void sink_returned() {
    if (observer_ != nullptr) observer_->set_delivering({});
  }
  /// After settling: one record per applied settlement.
  void settled(std::span<const event> events, std::span<const delivery> deliveries,
               std::span<const settlement> outcomes, const std::vector<bool>& applied, timestamp at) {
    if (observer_ != nullptr) close_attempts(events, deliveries, outcomes, applied, at);
  }

 private:
  void open_attempts(std::span<const event> events, timestamp at);
  void mark_all_delivering();
  void close_attempts(std::span<const event> events, std::span<const delivery> deliveries,
                      std::span<const settlement> outcomes, const std::vector<bool>& applied, timestamp at);

  observe::observer* observer_;
  // Per started event, by id, until settled: its attempt span. Several
  // claims may be on the sink at once.
  std::unordered_map<std::string, observe::event_link> attempts_;
};

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
