#pragma once
/// @file
/// The default transport, on libcurl with OpenSSL: keep-alive connections per
/// host, timeouts, TLS verification with optional custom CA and public-key
/// pinning, proxies, size limits, gzip. Available when odoolink is built with
/// `ODOOLINK_WITH_CURL` (then `ODOOLINK_HAS_CURL` is defined).
///
/// **libcurl global state.** The first `curl_transport::create()` calls
/// `curl_global_init(CURL_GLOBAL_DEFAULT)` once, guarded by a function-local
/// static; odoolink never calls `curl_global_cleanup()`. libcurl 7.84+ built
/// thread-safe (Debian's is) makes that safe against concurrent calls from
/// other code; with an older libcurl, call `curl_global_init` yourself
/// before starting threads that use curl. A host that calls
/// `curl_global_init`/`cleanup` itself keeps control (they are reference counted).
///
/// **Threads.** odoolink starts none. A libcurl built with the threaded
/// resolver (Debian's) runs each host-name lookup on a short-lived helper
/// thread of its own so that `poll()` never blocks on DNS; an IP-address base
/// URL, or a libcurl built with c-ares, involves no helper thread at all.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/transport/tls_options.hpp"
#include "odoolink/transport/transport.hpp"
#include "odoolink/version.hpp"
#include "odoolink/wakeup.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {

/// Settings of a `curl_transport`. Fill with designated initialisers:
/// `curl_options{.base_url = "https://odoo.example.com", .total_timeout = 30s}`.
struct curl_options {
  /// `scheme://host[:port][/prefix]`, scheme `http` or `https`. Request
  /// targets are appended to it (`/prefix` + `/jsonrpc`).
  std::string base_url;
  /// Limit for DNS resolution + TCP connect + TLS handshake (0: libcurl's 300 s).
  std::chrono::milliseconds connect_timeout{10'000};
  /// Limit for a whole request including the connect phase (0: none); a
  /// request's own `http_request::timeout` replaces it for that request.
  std::chrono::milliseconds total_timeout{120'000};
  /// Larger request bodies fail with invalid_request before anything is sent.
  std::size_t max_request_bytes = std::size_t{64} << 20U;
  /// Larger response bodies (after gzip decoding) abort the transfer with
  /// response_too_large; the request was sent. (Response headers have their
  /// own fixed limit of 256 KiB.)
  std::size_t max_response_bytes = std::size_t{512} << 20U;
  /// Offer `Accept-Encoding` for every encoding libcurl decodes (gzip, deflate)
  /// and hand back the decoded body.
  bool accept_compressed = true;
  /// The User-Agent header, unless a request sets its own.
  std::string user_agent = "odoolink/" ODOOLINK_VERSION_STRING;
  /// Proxy URL (`http://proxy:3128`, `socks5h://...`); empty: see `proxy_from_environment`.
  std::string proxy;
  /// With `proxy` empty, use the environment like curl does (`http_proxy`,
  /// `https_proxy`, `all_proxy`, `no_proxy`, upper-case forms except
  /// `HTTP_PROXY`). False ignores the environment and connects directly.
  bool proxy_from_environment = true;
  /// Hosts that bypass the proxy (CURLOPT_NOPROXY syntax); empty: the environment's `no_proxy`.
  std::string no_proxy;
  /// Server authentication.
  tls_options tls;
  /// At most this many connections to the host at once; further requests
  /// queue inside libcurl (0: no limit). Applies to the host-driven form.
  long max_host_connections = 0;
};

/// Which readiness a host's event loop should wait for on one socket.
enum class socket_interest : std::uint8_t { none, read, write, read_write };

/// A host's event loop watching the transport's sockets itself (libcurl's
/// multi-socket API) instead of waiting inside `poll`. The transport says
/// which sockets to watch and when its next timer is due; the host reports
/// back with `curl_transport::on_socket` and `curl_transport::on_timeout`.
/// @par Thread Safety  Called from inside the transport's calls, on the host's thread.
class socket_watcher {
 public:
  socket_watcher() = default;
  socket_watcher(const socket_watcher&) = delete;
  socket_watcher& operator=(const socket_watcher&) = delete;
  virtual ~socket_watcher() = default;
  /// Watch `fd` for `interest` from now on; `none`: stop watching it (the
  /// transport may close it right after). Never closes or owns `fd`.
  virtual void watch(int fd, socket_interest interest) = 0;
  /// Call `on_timeout()` at `at` (replacing the previous timer); idle: no timer.
  virtual void set_timer(wakeup at) = 0;
};

/// The libcurl transport. The blocking form uses one easy handle (and its
/// keep-alive connection) reused from call to call; the host-driven form
/// runs any number of requests concurrently on one libcurl multi handle, on
/// the calling thread, and keeps its own pool of keep-alive connections.
/// Both share a DNS cache and TLS sessions.
///
/// Requests are sent with exactly the given headers plus `Host`,
/// `Content-Length`, `User-Agent`, `Accept` and `Accept-Encoding`; libcurl's
/// implicit `Content-Type: application/x-www-form-urlencoded` and `Expect:
/// 100-continue` are suppressed. Redirects are not followed (a 3xx is a
/// response like any other), cookies are not stored (send `Cookie` and read
/// `Set-Cookie` yourself), and the first status line of a response after
/// interim 1xx responses is the one reported.
///
/// @par Thread Safety  As `http_transport`: one object, one thread at a time.
class curl_transport final : public http_transport {
 public:
  /// Creates a transport for `options.base_url`. Nothing is connected yet.
  /// Errors: invalid_request for a malformed base URL, an unsupported scheme,
  /// or a libcurl without TLS for `https`.
  [[nodiscard]] static result<std::unique_ptr<curl_transport>> create(curl_options options);

  curl_transport(const curl_transport&) = delete;
  curl_transport& operator=(const curl_transport&) = delete;
  ~curl_transport() override;

  /// Blocking send on the transport's own easy handle. See `http_transport::send`.
  [[nodiscard]] result<http_response> send(const http_request& request) override;
  /// Adds the request to the multi handle; see `http_transport::submit`.
  request_id submit(http_request request, completion done) override;
  /// Drives the multi handle (curl_multi_poll/perform) for up to `timeout`.
  [[nodiscard]] result<std::size_t> poll(std::chrono::milliseconds timeout) override;
  /// libcurl's own timer (curl_multi_timeout), zero while completions are due.
  [[nodiscard]] std::optional<std::chrono::milliseconds> next_wakeup() const override;
  /// Requests in flight plus completions due.
  [[nodiscard]] std::size_t pending() const noexcept override;
  /// Stops a request in flight; see `http_transport::cancel`.
  bool cancel(request_id id) override;

  /// Hands the host-driven form's sockets to `watcher` (null: back to
  /// `poll`): libcurl's multi-socket API. Call it before the first `submit`;
  /// `watcher` must outlive the transport or be replaced. While one is set,
  /// `poll` does not wait (it runs due completions and expired timers) and
  /// completions also run inside `on_socket` and `on_timeout`.
  void watch_sockets(socket_watcher* watcher);

  /// The host saw `fd` ready (readable, writable, or failed: both false):
  /// performs that socket's I/O and runs the completions that became ready.
  /// Returns how many ran. Errors: the multi handle broke.
  [[nodiscard]] result<std::size_t> on_socket(int fd, bool readable, bool writable);

  /// The watcher's timer fired: runs libcurl's timeouts and the completions
  /// that became ready. Returns how many ran. Errors: the multi handle broke.
  [[nodiscard]] result<std::size_t> on_timeout();

  /// `host:port` of the base URL, as used in error messages.
  [[nodiscard]] const std::string& authority() const noexcept;

 private:
  struct impl;
  explicit curl_transport(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
