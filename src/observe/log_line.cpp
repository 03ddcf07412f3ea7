#include "odoolink/observe/log_line.hpp"

#include <chrono>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace observe {

std::string_view to_string(transition t) noexcept {
  switch (t) {
    case transition::enqueued: return "enqueued";
    case transition::claimed: return "claimed";
    case transition::delivered: return "delivered";
    case transition::retried: return "retried";
    case transition::dead: return "dead";
    case transition::parked: return "parked";
    case transition::released: return "released";
    case transition::replayed: return "replayed";
    case transition::discarded: return "discarded";
  }
  return "unknown";
}

namespace {

// logfmt: bare when the value is plain, else quoted with `"` and `\` escaped
// and control characters dropped (one record, one line).
void field(std::string& out, std::string_view key, std::string_view value) {
  out += ' ';
  out += key;
  out += '=';
  bool plain = !value.empty();
  for (char c : value) plain = plain && c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7F;
  if (plain) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
  }
  out += '"';
}

void field(std::string& out, std::string_view key, std::uint64_t value) { field(out, key, std::to_string(value)); }

// `none`, or `<category>:<value>` and the code's generic text (never a server's words).
void error_fields(std::string& out, const std::error_code& e) {
  if (!e) {
    field(out, "error", "none");
    return;
  }
  field(out, "error", std::string(e.category().name()) + ":" + std::to_string(e.value()));
  field(out, "error_text", e.message());
}

void trace_fields(std::string& out, std::string_view trace, std::string_view span, std::string_view parent) {
  field(out, "trace_id", trace);
  field(out, "span_id", span);
  if (!parent.empty()) field(out, "parent_span_id", parent);
}

}  // namespace

std::string log_line(const call_record& r) {
  std::string out = "odoolink.call";
  field(out, "model", r.model.empty() ? std::string_view("-") : r.model);
  field(out, "method", r.method);
  field(out, "protocol", r.protocol);
  field(out, "attempt", static_cast<std::uint64_t>(r.attempt));
  field(out, "status", static_cast<std::uint64_t>(r.status));
  field(out, "duration_us",
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(r.duration).count()));
  field(out, "request_bytes", r.request_bytes);
  field(out, "response_bytes", r.response_bytes);
  error_fields(out, r.error);
  trace_fields(out, r.trace_id, r.span_id, r.parent_span_id);
  if (!r.events.empty()) {
    field(out, "events", r.events.size());
    field(out, "event_id", r.events.front().event_id);
    if (!r.events.front().correlation_id.empty()) field(out, "correlation_id", r.events.front().correlation_id);
  }
  return out;
}

std::string log_line(const transition_record& r) {
  std::string out = "odoolink.outbox";
  field(out, "transition", to_string(r.kind));
  field(out, "event_id", r.event_id);
  field(out, "subject", r.subject);
  if (!r.correlation_id.empty()) field(out, "correlation_id", r.correlation_id);
  if (!r.causation_id.empty()) field(out, "causation_id", r.causation_id);
  field(out, "attempt", static_cast<std::uint64_t>(r.attempt));
  if (r.error) error_fields(out, r.error);
  trace_fields(out, r.trace_id, r.span_id, r.parent_span_id);
  return out;
}

}  // namespace observe
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
