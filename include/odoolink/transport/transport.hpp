#pragma once
/// @file
/// The transport interface: an `http_request` goes in, a `result<http_response>`
/// comes out, either blocking (`send`) or host-driven (`submit` + `poll`).
///
/// Every transport (the libcurl one, the decorators, a host's own) follows
/// the same contract, so decorators stack in any order:
///
/// - A transport is bound to one base URL (`scheme://host:port[/prefix]`);
///   `http_request::target` is relative to it.
/// - HTTP statuses are not errors: a 404 or 503 arrives as an `http_response`
///   with that `status`. Errors are failures to get any response.
/// - Errors use `transport_errc` and say whether the request may have reached
///   the server (see `may_have_reached_server`): `dns_failed`,
///   `connect_failed`, `tls_failed`, `certificate_invalid`, `invalid_request`
///   and `injected_fault` guarantee that nothing was sent; `timeout` and
///   `connection_lost` mean it may have been received and even applied.
///   A timeout that expires before the request went out (while resolving,
///   connecting or in the TLS handshake) is reported as `dns_failed`,
///   `connect_failed` or `tls_failed`, never as `timeout`.
/// - Error messages name the host and port and never contain header values
///   (Authorization, Cookie, API keys) or bodies.
/// - Completions run only inside `poll()`, never inside `submit()` or
///   `cancel()`, and at most once per request. They may call `submit()`,
///   `cancel()` and `poll()` of the same transport, but must not destroy it.
/// - No transport starts a thread. The host calls `poll(timeout)` from its own
///   loop and asks `next_wakeup()` how long it may wait.
///
/// A typical host loop:
/// @code
///   t.submit(req, [](odoolink::result<odoolink::http_response> r) { ... });
///   while (t.pending() > 0) {
///     auto wait = t.next_wakeup().value_or(std::chrono::milliseconds(100));
///     if (auto n = t.poll(std::min(wait, std::chrono::milliseconds(100))); !n) break;
///   }
/// @endcode

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <system_error>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {

/// Names one submitted request of one transport (for `cancel`). Never 0.
using request_id = std::uint64_t;

/// Receives the outcome of a submitted request, inside `poll()`.
using completion = std::function<void(result<http_response>)>;

/// True when a request that failed with `code` may have reached the server,
/// so sending it again could apply it twice. False only for failures that
/// guarantee nothing was sent (`dns_failed`, `connect_failed`, `tls_failed`,
/// `certificate_invalid`, `invalid_request`, `injected_fault`, and
/// `rate_limited`, a 429 the server refused to process). Codes of other
/// categories count as "may have reached".
/// @par Thread Safety  Pure function.
[[nodiscard]] inline bool may_have_reached_server(std::error_code code) noexcept {
  if (code.category() != transport_category()) return true;
  switch (static_cast<transport_errc>(code.value())) {
    case transport_errc::dns_failed:
    case transport_errc::connect_failed:
    case transport_errc::tls_failed:
    case transport_errc::certificate_invalid:
    case transport_errc::invalid_request:
    case transport_errc::injected_fault:
    case transport_errc::rate_limited:
      return false;
    default:
      return true;
  }
}

/// The interface every transport implements; hosts may implement it too
/// (derive from `sync_transport` to implement only the blocking `send`).
///
/// @par Thread Safety  Distinct objects are independent. One object must not
///   be used from two threads at once (not even `send` on one thread while
///   another polls); wrap it in your own lock if you need that.
class http_transport {
 public:
  http_transport() = default;
  http_transport(const http_transport&) = delete;
  http_transport& operator=(const http_transport&) = delete;
  /// Destroying a transport abandons pending requests without calling their completions.
  virtual ~http_transport() = default;

  /// Sends `request` and blocks until the response is complete or the
  /// request failed. Returns the response whatever its status.
  /// Errors: `transport_errc` values as described in this file's overview.
  [[nodiscard]] virtual result<http_response> send(const http_request& request) = 0;

  /// Starts `request` without blocking; `done` is called from a later `poll()`
  /// with the same outcome `send` would have returned (validation errors
  /// included). Returns an id for `cancel`.
  virtual request_id submit(http_request request, completion done) = 0;

  /// Performs pending I/O and timers, waiting at most `timeout` for
  /// something to finish, then runs the completions that became ready.
  /// May return before `timeout` without having run any (call it again).
  /// Returns the number of completions run. Fails only when the transport
  /// itself broke (e.g. out of memory inside libcurl); pending requests stay pending.
  [[nodiscard]] virtual result<std::size_t> poll(std::chrono::milliseconds timeout) = 0;

  /// How long the host may wait before its next `poll()` without delaying a
  /// timer (retry backoff, rate limit, libcurl timeouts): zero means "poll
  /// now", `nullopt` means nothing is pending. Network readiness is only
  /// seen by a `poll()` that waits, so a host that never waits inside `poll`
  /// should also call it at the latency it wants.
  [[nodiscard]] virtual std::optional<std::chrono::milliseconds> next_wakeup() const = 0;

  /// Number of submitted requests whose completion has not run yet.
  [[nodiscard]] virtual std::size_t pending() const noexcept = 0;

  /// Abandons a submitted request; its completion runs in a later `poll()`
  /// with `transport_errc::cancelled` (the request may already have been
  /// sent). Returns false when `id` is unknown or its completion is already
  /// due (it then runs with its real outcome).
  virtual bool cancel(request_id id) = 0;
};

}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
