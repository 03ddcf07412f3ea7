#include "odoolink/protocol/detail/response_checks.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::detail {

std::string body_excerpt(std::string_view body, std::size_t max) {
  std::string out;
  const bool cut = body.size() > max;
  if (cut) body = body.substr(0, max);
  out.reserve(body.size() + 3);
  for (char c : body) out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  // Do not end inside a UTF-8 sequence.
  while (cut && !out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0U) == 0x80U) out.pop_back();
  if (cut && !out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0U) out.pop_back();
  if (cut) out += "...";
  return out;
}

bool is_html(const http_response& response) noexcept {
  const std::string_view type = response.header("Content-Type");
  if (type.find("text/html") != std::string_view::npos) return true;
  std::string_view b = response.body;
  while (!b.empty() && (b.front() == ' ' || b.front() == '\n' || b.front() == '\r' || b.front() == '\t'))
    b.remove_prefix(1);
  auto starts_ci = [&](std::string_view p) { return b.size() >= p.size() && header_name_equals(b.substr(0, p.size()), p); };
  return starts_ci("<!doctype html") || starts_ci("<html");
}

error status_error(const http_response& response) {
  std::string msg = "HTTP " + std::to_string(response.status);
  if (!response.body.empty()) msg += ": " + body_excerpt(response.body);
  std::error_code code;
  switch (response.status) {
    case 429: code = transport_errc::rate_limited; break;
    case 502:
    case 503:
    case 504: code = transport_errc::server_unavailable; break;
    case 400:
    case 415: code = protocol_errc::bad_request; break;
    default: code = transport_errc::http_status; break;
  }
  return error(code, std::move(msg), response.status);
}

result<void> check_size(const http_response& response, const decode_options& opts) {
  if (response.body.size() > opts.max_bytes)
    return error(protocol_errc::response_too_large,
                 "response body of " + std::to_string(response.body.size()) + " bytes exceeds the limit of " +
                     std::to_string(opts.max_bytes),
                 response.status);
  return success();
}

}  // namespace protocol::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
