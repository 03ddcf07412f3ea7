#pragma once
/// @file
/// JSON-RPC codec for `POST /jsonrpc` (services `common`, `object`, `db`).
/// Pure: no I/O.
///
/// Every call that carries credentials carries the password or API key in its
/// body (`execute_kw(db, uid, secret, ...)`), which the server hashes on every
/// call; the web-session codec avoids that cost where a password is known.

#include <cstdint>
#include <string>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/protocol/call.hpp"
#include "odoolink/protocol/codec.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::jsonrpc {

/// `{"jsonrpc": "2.0", "method": "call", "params": {"service", "method", "args"}, "id": id}`.
[[nodiscard]] http_request encode(const service_call& c, std::int64_t id);

/// `object.execute_kw(db, uid, secret, model, method, args, kwargs)`.
[[nodiscard]] http_request encode(const call& c, const credentials& who, std::int64_t id);

/// The `execute_kw` calls of one user: the envelope up to the credentials is
/// written once, here, and each call only appends what follows it.
/// @par Thread Safety  `encode` is const; `out` belongs to the caller.
class execute_kw_encoder {
 public:
  execute_kw_encoder() = default;
  explicit execute_kw_encoder(const credentials& who);

  /// Rewrites `out` as `encode(c, who, id)` builds it, reusing its storage
  /// (target, headers, body): a caller that keeps one request allocates
  /// nothing per call once the body has grown to its calls' size.
  /// `idempotent` and `timeout` are reset to their defaults.
  void encode(const call& c, std::int64_t id, http_request& out) const;

 private:
  std::string prefix_;  // `{"jsonrpc": ..., "args": [db, uid, secret` (holds the secret)
};

/// Decodes a JSON-RPC 2.0 response envelope (also used by the web-session routes).
/// - `result` present: a reply viewing it (no copy of the body).
/// - no `result` and no `error` (as `/web/session/destroy` answers): a reply viewing `null`.
/// - `error`: an `odoolink::error` with the code mapped from `error.data.name`
///   (never from `error.code`, which is 200 on Odoo 18 and 0 on 19), the
///   server's message, class and debug text. Code 100 without data means session expired.
/// - HTTP 400 with HTML (malformed request, wrong Content-Type): protocol_errc::bad_request.
/// - other non-200 statuses: transport_errc::rate_limited (429),
///   ::server_unavailable (502/503/504), else ::http_status, with a body excerpt.
/// - body not JSON / not an envelope / a member given twice:
///   protocol_errc::malformed_response (or ::unexpected_content_type for
///   HTML), ::invalid_utf8, ::response_too_large, ::nesting_too_deep.
///
/// The body is read in one strict pass and the reply keeps it (no copy);
/// `reader`, when given, reads the `result` value in place during that pass.
[[nodiscard]] result<reply> decode(http_response&& response, const decode_options& opts = {},
                                   const result_reader* reader = nullptr);

}  // namespace protocol::jsonrpc
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
