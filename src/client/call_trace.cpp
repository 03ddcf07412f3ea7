#include "call_trace.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client::detail {

void call_trace::begin(observe::observer& o, std::string_view model, std::string_view method, std::string_view protocol,
                       int attempt, const http_request& request) {
  observer_ = &o;
  model_ = std::string(model);
  method_ = std::string(method);
  protocol_ = std::string(protocol);
  attempt_ = attempt;
  request_bytes_ = request.body.size();
  // Inside a relay's delivery the exchange joins the (first) delivered event's
  // attempt span; otherwise the host's current context, or a new trace.
  const auto delivering = o.delivering();
  events_.assign(delivering.begin(), delivering.end());
  const observe::trace_context& parent = events_.empty() ? o.current() : events_.front().trace;
  const observe::trace_context own = observe::child_of(parent);
  trace_id_ = own.trace_id;
  span_id_ = own.span_id;
  if (parent.valid()) parent_span_id_ = parent.span_id;
  started_at_ = std::chrono::system_clock::now();
  start_ = std::chrono::steady_clock::now();
}

void call_trace::report() {
  observe::call_record r;
  r.model = model_;
  r.method = method_;
  r.protocol = protocol_;
  r.attempt = attempt_;
  r.started_at = started_at_;
  r.duration = std::chrono::steady_clock::now() - start_;
  r.request_bytes = request_bytes_;
  r.response_bytes = response_bytes_;
  r.status = status_;
  r.error = error_;
  r.trace_id = trace_id_;
  r.span_id = span_id_;
  r.parent_span_id = parent_span_id_;
  r.events = events_;
  observer_->on_call(r);
}

}  // namespace client::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
