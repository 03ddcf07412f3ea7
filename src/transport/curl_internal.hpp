#pragma once
// Internal to the libcurl transport: one transfer's state and the steps
// shared by the blocking and the host-driven forms.

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/transport/curl_transport.hpp"
#include "odoolink/transport/transport.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {
namespace curl_detail {

/// The parsed base URL.
struct endpoint {
  std::string base;       // scheme://host[:port][/prefix], no trailing '/'
  std::string authority;  // host:port, for messages
  bool https = false;
};

/// Runs curl_global_init once per process (function-local static).
[[nodiscard]] CURLcode global_init() noexcept;

/// Parses and checks `scheme://host[:port][/prefix]`.
[[nodiscard]] result<endpoint> parse_base_url(std::string_view url);

/// Checks a request before anything is sent: method, target and header
/// syntax, body size. Errors: invalid_request (the message names no header value).
/// `checked`: headers that passed before (a transfer's last ones); equal
/// headers are not checked again.
[[nodiscard]] result<void> validate(const http_request& request, const curl_options& options,
                                    const endpoint& ep, const std::vector<http_header>* checked = nullptr);

/// True when both lists hold the same headers in the same order.
[[nodiscard]] bool same_headers(const std::vector<http_header>& a, const std::vector<http_header>& b) noexcept;

/// One transfer: an easy handle reused from request to request, and the
/// state of the request it currently carries. Its address is given to
/// libcurl (callbacks, CURLOPT_PRIVATE), so it never moves.
struct transfer {
  transfer() = default;
  transfer(const transfer&) = delete;
  transfer& operator=(const transfer&) = delete;
  ~transfer();

  CURL* easy = nullptr;
  // The URL and header list of the last request, kept for the next one:
  // most requests repeat them, and rebuilding costs allocations per call.
  curl_slist* headers = nullptr;
  std::vector<http_header> header_source;  // what `headers` was built from
  bool header_body = false;                // ... for a request with a body
  std::string url;                         // empty: CURLOPT_URL not set yet
  // Per-request options as last given to libcurl: an unchanged one is not set again.
  long applied_timeout_ms = -1;                // -1: not set yet
  const curl_slist* applied_headers = nullptr;
  std::string applied_shape;                   // method and body form; empty: not set yet
  const http_request* request = nullptr;  // the request being sent
  http_request owned;                     // storage for submitted requests
  http_response response;
  std::size_t max_response = 0;
  std::chrono::milliseconds total_timeout{0};  // the transport's; a request may ask for less
  std::chrono::milliseconds time_limit{0};     // the current request's, for messages
  std::size_t header_bytes = 0;  // received so far, against a fixed limit
  bool sent = false;         // the request may have left (libcurl's pre-request callback ran)
  bool resend_refused = false;  // libcurl's resend of a non-idempotent request was stopped
  bool too_large = false;
  bool headers_too_large = false;  // the 256 KiB header limit, not max_response_bytes
  bool out_of_memory = false;
  request_id id = 0;
  completion done;
  char errbuf[CURL_ERROR_SIZE] = {};
};

/// Creates `t.easy` with the options that never change between requests.
/// Errors: invalid_request when libcurl refuses an option (e.g. a TLS
/// setting this libcurl does not support).
[[nodiscard]] result<void> setup(transfer& t, const curl_options& options, CURLSH* share);

/// Sets the per-request options for `request` (which must outlive the transfer).
/// Errors: invalid_request.
[[nodiscard]] result<void> prepare(transfer& t, const http_request& request, const endpoint& ep);

/// Turns the outcome of a finished transfer into the response or a mapped error.
[[nodiscard]] result<http_response> finish(transfer& t, CURLcode code, const curl_options& options,
                                           const endpoint& ep);

/// Forgets the request (frees its header list, body and response) so the
/// easy handle can carry the next one.
void release(transfer& t) noexcept;

/// Maps a libcurl failure to a transport error with a message a person can act on.
[[nodiscard]] error map_error(const transfer& t, CURLcode code, const curl_options& options,
                              const endpoint& ep);

}  // namespace curl_detail
}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
