#pragma once
/// @file
/// W3C Trace Context ids (https://www.w3.org/TR/trace-context/) as plain
/// strings, so any tracer (OpenTelemetry or another) can adopt odoolink's
/// records as spans without odoolink depending on it.

#include <optional>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace observe {

/// A position in a trace: the trace and one span of it.
/// @par Thread Safety  A value type.
struct trace_context {
  std::string trace_id;  ///< 32 lower-case hex digits, not all zero; empty: no context
  std::string span_id;   ///< 16 lower-case hex digits, not all zero
  bool sampled = true;   ///< the `sampled` trace flag

  /// True when both ids are well-formed.
  [[nodiscard]] bool valid() const noexcept;
  friend bool operator==(const trace_context&, const trace_context&) = default;
};

/// The `traceparent` header value of `c`: `00-<trace id>-<span id>-<flags>`;
/// empty when `c` is not valid.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string to_traceparent(const trace_context& c);

/// Reads a `traceparent` value (version `00`, or a later version's first four
/// fields). Returns nullopt for anything malformed, including all-zero ids.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::optional<trace_context> parse_traceparent(std::string_view text) noexcept;

/// A new random span id (16 hex digits, never all zero).
/// @par Thread Safety  Safe from any thread.
[[nodiscard]] std::string new_span_id();

/// A new trace: a random trace id and a first span id.
/// @par Thread Safety  Safe from any thread.
[[nodiscard]] trace_context new_trace();

/// A new span in the trace of `parent` (a new trace when `parent` is not valid).
/// @par Thread Safety  Safe from any thread.
[[nodiscard]] trace_context child_of(const trace_context& parent);

}  // namespace observe
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
