#pragma once
/// @file
/// Settings of an Odoo client connection and of single calls.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/observe/observer.hpp"
#include "odoolink/protocol/codec.hpp"
#include "odoolink/transport/tls_options.hpp"
#include "odoolink/transport/transport.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

/// The wire protocol a client speaks.
///
/// `automatic` picks the fastest one the credentials allow:
/// - an API key on Odoo 19+ → `json2` (stateless, a cheap key check per call);
/// - a password → `web_session`: one login, then calls carry only the session
///   cookie. Calls that carry the password (`jsonrpc`, `xmlrpc`) cost the
///   server a password hash each, measured at ~12 ms per call on Odoo 18;
/// - an API key on Odoo ≤ 18 → `jsonrpc` (API keys cannot open a web session there).
enum class protocol_kind { automatic, json2, jsonrpc, web_session, xmlrpc };

/// "json2", "jsonrpc", "web_session", "xmlrpc" or "automatic".
[[nodiscard]] std::string_view to_string(protocol_kind p) noexcept;

/// Whether a call may be sent again after it may have reached the server.
enum class idempotency {
  automatic,       ///< decided from the method: see `is_idempotent`
  idempotent,      ///< safe to repeat (reads, `load` with external ids, absolute writes)
  not_idempotent,  ///< may apply twice (create, actions): failures after sending become outcome_unknown
};

/// Per-call settings; they win over the client's.
struct call_options {
  /// Finishes the encoded request body before each attempt is sent (a
  /// re-login re-encodes and calls it again): lets a caller put a large
  /// payload into the body directly instead of through a `json::value` copy
  /// of it (attachments.hpp splices base64 in this way). Its error fails the
  /// call before anything is sent. Null: the body goes as encoded.
  std::function<result<void>(std::string& body)> finish_body;
  /// Context keys for this call, merged over the client's default context key
  /// by key (build with `client::context`: `lang`, `tz`, `companies`).
  json::value context = nullptr;
  /// Overrides the method-based idempotency decision.
  idempotency retry = idempotency::automatic;
  /// Limit of this call's request as a whole, replacing the client's
  /// per-request `client_options::timeout` (longer or shorter: a large `load`
  /// batch may need minutes, a `read` a few seconds). It reaches the
  /// transport as `http_request::timeout`; a transport without timeouts may
  /// ignore it. Unset: the client's; zero or less: 1 ms. When it passes, the call fails with
  /// transport_errc::timeout (or ::outcome_unknown for a call that is not
  /// idempotent, since the server may still apply it).
  std::optional<std::chrono::milliseconds> timeout;
};

/// Settings of a client. Fill with designated initialisers:
/// `client_options{.url = "https://erp.example.com", .database = "prod", .login = "sync", .api_key = key}`.
/// Secrets (`password`, `api_key`, and the session id the client learns) are
/// sent only where the protocol needs them and never appear in errors: every
/// error the client returns passes through its `secret_scrubber` (see
/// `client::scrubber`), which masks them even where a server echoes them.
struct client_options {
  std::string url;        ///< base URL: `https://host[:port][/prefix]`
  std::string database;   ///< database name (may be empty with JSON-2 on a single-database server)
  std::string login;      ///< user login (not needed with JSON-2)
  std::string password;   ///< password, or an API key used as a password on JSON-RPC/XML-RPC
  std::string api_key;    ///< API key (JSON-2 on Odoo 19+; JSON-RPC/XML-RPC on older servers)
  protocol_kind protocol = protocol_kind::automatic;
  /// Default context of every call (`lang`, `tz`, `allowed_company_ids`, ...;
  /// build with `client::context`); an object or null.
  json::value context = nullptr;
  /// Transport to use; when null a libcurl transport for `url` is created with the settings below.
  std::shared_ptr<transport::http_transport> transport;
  std::chrono::milliseconds connect_timeout{10'000};  ///< default transport only
  /// Limit of one whole request (default transport; `call_options::timeout`
  /// replaces it for one call); also the one deadline
  /// of `connect` as a whole: its version probes and its login together
  /// (any transport that honours `http_request::timeout`).
  std::chrono::milliseconds timeout{120'000};
  std::string user_agent;                             ///< default transport only; empty: odoolink/<version>
  /// Server authentication of the default transport: verification (on by
  /// default), a custom CA (file or PEM text) and public-key pinning.
  transport::tls_options tls;
  /// Limits applied to every response body. The default transport gets
  /// `limits.max_bytes` as its `max_response_bytes`, so an over-limit body is
  /// aborted while it downloads (transport_errc::response_too_large), not
  /// after it was read whole.
  protocol::decode_options limits;
  /// Receives one `observe::call_record` per HTTP exchange (calls, version
  /// probes, logins); must outlive the client and its copies. Null (the
  /// default): nothing is measured or recorded.
  observe::observer* observer = nullptr;
};

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
