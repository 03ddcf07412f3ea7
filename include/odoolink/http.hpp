#pragma once
/// @file
/// Plain HTTP message values exchanged between the protocol codecs and the
/// transports. They know nothing of Odoo and nothing of sockets.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE

/// One header line. Names compare case-insensitively (see `find_header`).
struct http_header {
  std::string name;
  std::string value;
};

/// Case-insensitive ASCII comparison for header names.
[[nodiscard]] inline bool header_name_equals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// Returns the value of the first header named `name`, or an empty view.
[[nodiscard]] inline std::string_view find_header(const std::vector<http_header>& headers,
                                                  std::string_view name) noexcept {
  for (const auto& h : headers)
    if (header_name_equals(h.name, name)) return h.value;
  return {};
}

/// A request relative to the server's base URL.
/// @par Thread Safety  A value type; distinct objects are independent.
struct http_request {
  std::string method = "POST";           ///< HTTP method
  std::string target;                    ///< path and query, e.g. `/jsonrpc`
  std::vector<http_header> headers;      ///< request headers (Content-Type, Authorization ...)
  std::string body;                      ///< exact body bytes
  /// True when sending the request twice has the same effect as once (reads,
  /// `load` upserts, absolute writes). Only such requests are retried after
  /// the server may have received them; see transport::retry.
  bool idempotent = false;
  /// Limit for this request as a whole, connecting included; zero: the
  /// transport's own. When set it replaces the transport's limit for this
  /// request, shorter or longer (the libcurl transport's `total_timeout`), so
  /// one slow call can get more time than the rest; a transport without
  /// timeouts may ignore it.
  std::chrono::milliseconds timeout{0};

  [[nodiscard]] std::string_view header(std::string_view name) const noexcept { return find_header(headers, name); }
};

/// A response as received.
/// @par Thread Safety  A value type; distinct objects are independent.
struct http_response {
  int status = 0;                     ///< HTTP status code
  std::vector<http_header> headers;   ///< response headers in arrival order
  std::string body;                   ///< body bytes (decoded from gzip when the transport accepted it)

  [[nodiscard]] std::string_view header(std::string_view name) const noexcept { return find_header(headers, name); }
};

ODOOLINK_END_NAMESPACE
}  // namespace odoolink
