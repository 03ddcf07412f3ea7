#include "odoolink/observe/trace_context.hpp"

#include <algorithm>

#include "../core/random.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace observe {

namespace {

// Lower-case hex of exactly `size` digits, not all zero (W3C: invalid otherwise).
bool is_id(std::string_view s, std::size_t size) noexcept {
  if (s.size() != size) return false;
  bool nonzero = false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    nonzero = nonzero || c != '0';
  }
  return nonzero;
}

bool is_hex_byte(std::string_view s) noexcept {
  return s.size() == 2 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

bool trace_context::valid() const noexcept { return is_id(trace_id, 32) && is_id(span_id, 16); }

std::string to_traceparent(const trace_context& c) {
  if (!c.valid()) return {};
  return "00-" + c.trace_id + "-" + c.span_id + (c.sampled ? "-01" : "-00");
}

std::optional<trace_context> parse_traceparent(std::string_view text) noexcept {
  // version(2) - trace id(32) - span id(16) - flags(2): 55 characters; a later
  // version may append fields after another '-'.
  if (text.size() < 55 || text[2] != '-' || text[35] != '-' || text[52] != '-') return std::nullopt;
  const std::string_view version = text.substr(0, 2);
  if (!is_hex_byte(version) || version == "ff") return std::nullopt;
  if (text.size() > 55 && (version == "00" || text[55] != '-')) return std::nullopt;
  const std::string_view flags = text.substr(53, 2);
  if (!is_hex_byte(flags)) return std::nullopt;
  trace_context c;
  c.trace_id = std::string(text.substr(3, 32));
  c.span_id = std::string(text.substr(36, 16));
  const int low = flags[1] >= 'a' ? flags[1] - 'a' + 10 : flags[1] - '0';
  c.sampled = (low & 1) != 0;
  if (!c.valid()) return std::nullopt;
  return c;
}

std::string new_span_id() { return detail::random_hex(8); }

trace_context new_trace() { return {detail::random_hex(16), new_span_id(), true}; }

trace_context child_of(const trace_context& parent) {
  if (!parent.valid()) return new_trace();
  return {parent.trace_id, new_span_id(), parent.sampled};
}

}  // namespace observe
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
