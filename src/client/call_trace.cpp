#include "call_trace.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client::detail {

void call_trace::begin(observe::observer& o, std::string_view model, std::string_view method, std::string_view protocol,
                       int attempt, const http_request& request) {
  call_measure& m = m_.emplace();
  m.observer = &o;
  m.model = std::string(model);
  m.method = std::string(method);
  m.protocol = std::string(protocol);
  m.attempt = attempt;
  m.request_bytes = request.body.size();
  // Inside a relay's delivery the exchange joins the (first) delivered event's
  // attempt span; otherwise the host's current context, or a new trace.
  const auto delivering = o.delivering();
  m.events.assign(delivering.begin(), delivering.end());
  const observe::trace_context& parent = m.events.empty() ? o.current() : m.events.front().trace;
  const observe::trace_context own = observe::child_of(parent);
  m.trace_id = own.trace_id;
  m.span_id = own.span_id;
  if (parent.valid()) m.parent_span_id = parent.span_id;
  m.started_at = std::chrono::system_clock::now();
  m.start = std::chrono::steady_clock::now();
}

void call_trace::report() {
  const call_measure& m = *m_;
  observe::call_record r;
  r.model = m.model;
  r.method = m.method;
  r.protocol = m.protocol;
  r.attempt = m.attempt;
  r.started_at = m.started_at;
  r.duration = std::chrono::steady_clock::now() - m.start;
  r.request_bytes = m.request_bytes;
  r.response_bytes = m.response_bytes;
  r.status = m.status;
  r.error = m.error;
  r.trace_id = m.trace_id;
  r.span_id = m.span_id;
  r.parent_span_id = m.parent_span_id;
  r.events = m.events;
  m.observer->on_call(r);
}

}  // namespace client::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
