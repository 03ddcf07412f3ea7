#pragma once
/// @file
/// Web-session codec: `POST /web/session/authenticate` opens a session whose
/// `session_id` cookie then authorises `POST /web/dataset/call_kw/<model>/<method>`.
/// Cheaper per call than `/jsonrpc` (no password hashing per call); API keys
/// cannot open a web session on Odoo <= 18. Responses use the JSON-RPC
/// envelope, so `decode` is `jsonrpc::decode`. Pure: no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/protocol/call.hpp"
#include "odoolink/protocol/codec.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::web {

/// `/web/session/authenticate` with `{db, login, password}`.
[[nodiscard]] http_request encode_authenticate(std::string_view db, std::string_view login,
                                               std::string_view password, std::int64_t id);

/// `/web/dataset/call_kw/<model>/<method>` with `{model, method, args, kwargs}` and the session cookie.
[[nodiscard]] http_request encode_call_kw(const call& c, std::string_view session_id, std::int64_t id);

/// The same request written into `out`, reusing its storage (target, headers,
/// body): a caller that keeps one request allocates nothing per call once it
/// has grown to its calls' size. `idempotent` and `timeout` are reset.
void encode_call_kw(const call& c, std::string_view session_id, std::int64_t id, http_request& out);

/// `/web/session/get_session_info`, `/web/session/destroy`, `/web/webclient/version_info`.
[[nodiscard]] http_request encode_get_session_info(std::string_view session_id, std::int64_t id);
[[nodiscard]] http_request encode_destroy(std::string_view session_id, std::int64_t id);
[[nodiscard]] http_request encode_version_info(std::int64_t id);

/// The `session_id` value from a response's `Set-Cookie` header, if any.
[[nodiscard]] std::optional<std::string> session_cookie(const http_response& response);

/// Same envelope as JSON-RPC; see `jsonrpc::decode`.
[[nodiscard]] result<reply> decode(http_response&& response, const decode_options& opts = {},
                                   const result_reader* reader = nullptr);

}  // namespace protocol::web
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
