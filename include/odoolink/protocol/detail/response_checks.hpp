#pragma once
// Internal: checks every decoder applies to a response before parsing its body.

#include <cstddef>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/protocol/codec.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::detail {

/// At most `max` bytes of `body` on one line, for error messages: control
/// characters become spaces and a cut is marked with "...".
[[nodiscard]] std::string body_excerpt(std::string_view body, std::size_t max = 160);

/// True when the response is an HTML page (by Content-Type or by its first bytes).
[[nodiscard]] bool is_html(const http_response& response) noexcept;

/// The error for a status the protocol does not interpret itself: 429 →
/// transport_errc::rate_limited, 502/503/504 → ::server_unavailable, 400/415 →
/// protocol_errc::bad_request, anything else → transport_errc::http_status.
/// The message carries the status and a body excerpt (never request data).
[[nodiscard]] error status_error(const http_response& response);

/// protocol_errc::response_too_large when the body exceeds `opts.max_bytes`.
[[nodiscard]] result<void> check_size(const http_response& response, const decode_options& opts);

}  // namespace protocol::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
