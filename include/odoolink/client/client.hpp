#pragma once
/// @file
/// `odoolink::client::client`: a connection to one Odoo database as one user,
/// over any protocol, blocking or host-driven.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "odoolink/client/options.hpp"
#include "odoolink/client/server_fields.hpp"
#include "odoolink/client/server_version.hpp"
#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/protocol/call.hpp"
#include "odoolink/secret_scrubber.hpp"
#include "odoolink/transport/transport.hpp"
#include "odoolink/wakeup.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

/// What `connect` found out.
struct connection_info {
  server_version version;       ///< the server's version (probed)
  protocol_kind protocol = protocol_kind::automatic;  ///< the protocol in use
  std::int64_t uid = 0;         ///< the authenticated user's id
  std::string database;         ///< the database in use
};

/// True when `c` may be repeated safely: reads (`search`, `read`, `search_read`,
/// `search_count`, `name_search`, `fields_get`, grouped reads, `default_get`,
/// `web_read` ...), `load` with an `id` (external id) column, and `write`s whose
/// values hold no x2many create/delete/unlink commands. Everything else is not.
[[nodiscard]] bool is_idempotent(const protocol::call& c) noexcept;

/// A connection to Odoo. Cheap to copy: copies share one connection (the
/// transport, the session, the request counter).
///
/// @par Thread Safety  Like its transport: one connection (and its copies)
///   must be used from one thread at a time.
class client {
 public:
  /// Opaque shared connection state (defined in the implementation).
  struct state;

  /// Receives the outcome of `submit`, from inside the transport's `poll()`.
  using completion = std::function<void(result<protocol::reply>)>;

  /// Probes the server version (`GET /web/version`, then
  /// `/web/webclient/version_info`, then `common.version`), chooses the
  /// protocol (see `protocol_kind`) and authenticates: JSON-2 checks the key
  /// with `res.users.context_get`, the web session logs in, JSON-RPC/XML-RPC
  /// call `common.authenticate`. Blocking. `options.timeout` is one deadline
  /// for all of it: each request gets only what is left of it (see
  /// `http_request::timeout`), and none is sent once it has passed
  /// (transport_errc::timeout).
  /// Errors: transport errors (unreachable server, TLS ...); odoo_errc::access_denied
  /// (login, password or API key refused); odoo_errc::unknown_database;
  /// protocol_errc::unsupported_call (the chosen protocol cannot work with
  /// these credentials or this server); transport_errc::invalid_request (bad URL).
  [[nodiscard]] static result<client> connect(client_options options);

  /// A client that has not talked to the server yet: no I/O happens here,
  /// so it can be built while the server is unreachable (an offline till).
  /// The first call connects as `connect` does — blocking for `execute_kw`,
  /// host-driven for `submit` — and a failed connection is tried again by
  /// the next call. Errors: transport_errc::invalid_request (no or bad URL,
  /// credentials in the URL, no transport available).
  [[nodiscard]] static result<client> create(client_options options);

  /// Receives the outcome of `open_async`, from inside the transport's `poll()`.
  using opened = std::function<void(result<void>)>;

  /// True once the version probe and the login succeeded.
  [[nodiscard]] bool connected() const noexcept;

  /// Connects a client made by `create` now (blocking; see `connect`); does
  /// nothing when it is connected. Errors: as `connect`.
  [[nodiscard]] result<void> open();

  /// Connects without blocking: the version probe and the login are
  /// submitted to the transport and `done` runs inside a later `poll()`.
  /// Calls `submit`ted meanwhile wait for the outcome (and fail with it).
  /// When already connected, `done` runs in the next `poll()` with success.
  /// Each request is bounded by `client_options::timeout` on its own.
  void open_async(opened done);

  /// Calls `model.method(*args, **kwargs)` and blocks for the result.
  /// The context is the client's default, then `call.context`, then `options.context`.
  /// A web session that expired is logged in again once and the call re-sent.
  /// On JSON-2, positional arguments of a method outside the codec's table
  /// are named by the signatures the server publishes for API keys
  /// (`GET /doc-bearer/<model>.json`, read once per model and shared by the
  /// client's copies); a server that publishes none (403, 404) leaves the
  /// codec's rule (ids first, nothing else positional). A mapping that is
  /// impossible is protocol_errc::unsupported_call naming model and method.
  /// A failure after the request may have reached the server is reported as
  /// transport_errc::outcome_unknown unless the call is idempotent.
  /// Errors: as `connect`, plus every odoo_errc the server raises, with the
  /// server's message, class and traceback; messages start with `model.method`.
  [[nodiscard]] result<protocol::reply> execute_kw(const protocol::call& call, const call_options& options = {});

  /// As `execute_kw`, with `reader` reading the result in place while the
  /// response is read (JSON-RPC, web session, JSON-2; see
  /// `protocol::result_reader`): typed record decoders use it to decode in
  /// the same pass as the envelope. XML-RPC never calls it; the caller then
  /// reads the returned reply. An error of `reader` is returned with the
  /// call's name as context.
  [[nodiscard]] result<protocol::reply> execute_kw(const protocol::call& call, const protocol::result_reader& reader,
                                                   const call_options& options = {});

  /// Shorthand for `execute_kw({model, method, args, kwargs}, options)`.
  [[nodiscard]] result<protocol::reply> execute_kw(std::string_view model, std::string_view method,
                                                   json::value args, json::value kwargs = json::object{},
                                                   const call_options& options = {});

  /// Starts the same call without blocking; `done` runs inside a later
  /// `poll()` (a session re-login happens there too). A client that is not
  /// connected yet connects first, host-driven (`open_async`); when that
  /// fails, `done` gets the connection's error.
  /// Returns the transport's request id (0 while the call waits for the
  /// connection, or on JSON-2 for the model's published signatures), or the
  /// encoding error at once
  /// (protocol_errc::unsupported_call) without calling `done`.
  [[nodiscard]] result<transport::request_id> submit(protocol::call call, completion done, const call_options& options = {});

  /// Runs the transport's I/O for up to `timeout` and the completions that
  /// became ready (`transport().poll(timeout)`). Returns how many ran.
  /// Errors: the transport's (it broke; requests stay pending).
  [[nodiscard]] result<std::size_t> poll(std::chrono::milliseconds timeout);

  /// When `poll` must run next: the transport's timers as a steady-clock
  /// deadline (now while completions are due); idle when nothing is pending.
  [[nodiscard]] wakeup next_wakeup() const;

  /// The transport, for the host's `poll()` / `next_wakeup()` loop.
  [[nodiscard]] transport::http_transport& transport() noexcept;

  /// What `connect` found out (empty until the client is connected).
  [[nodiscard]] const connection_info& info() const noexcept;

  /// Tells whether an answer of the web server to a plain HTTP request means
  /// that the session is gone (e.g. a redirect to the login page).
  using expiry_test = bool (*)(const http_response&);

  /// Sends a plain HTTP request of the web client (outside the RPC routes,
  /// e.g. `/report/pdf/...`) on this client's web session, connecting first
  /// when needed: the session cookie is added to `request`. When
  /// `session_gone` says the answer means an expired session, the client
  /// logs in again once and re-sends. Blocking. The answer is returned
  /// whatever its status. Errors: protocol_errc::unsupported_call when the
  /// client does not speak `web_session`; as `connect`; transport errors.
  [[nodiscard]] result<http_response> send_in_session(http_request request, expiry_test session_gone);

  /// Ends a web session on the server (other protocols: nothing to do).
  [[nodiscard]] result<void> logout();

  /// The scrubber every error of this client passes through: it knows the
  /// password, the API key and every session id the client was given. Layers
  /// above (typed proxies, the outbox's Odoo sink) apply it to the texts they
  /// build from server answers.
  [[nodiscard]] const secret_scrubber& scrubber() const noexcept;

  /// Adds `secret` (e.g. an API key generated through this client) to the
  /// scrubber, shared by every copy: from now on it is masked in errors.
  void add_secret(std::string_view secret);

  /// The fields of the server's models as this client learnt them (shared by
  /// every copy): typed proxies check their records against it; `refresh`
  /// it after the server's modules changed (see server_fields.hpp).
  [[nodiscard]] fields_cache& server_fields() const noexcept;

 private:
  explicit client(std::shared_ptr<state> s);
  std::shared_ptr<state> state_;
  std::shared_ptr<fields_cache> fields_;
};

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
