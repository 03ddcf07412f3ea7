#pragma once
/// @file
/// XML-RPC codec for `/xmlrpc/2/common`, `/xmlrpc/2/object` (and `/xmlrpc/2/db`).
/// Pure: no I/O. Parsing uses expat.
///
/// Values map to JSON as Odoo's JSON-RPC would send them: `<nil/>` → null,
/// `<boolean>` → true/false, `<int>`/`<i4>`/`<i8>` → integer, `<double>` →
/// number, `<string>` or bare text → string, `<dateTime.iso8601>`
/// `20261122T06:02:49` → "2026-11-22 06:02:49", `<base64>` → its base64 text
/// (Odoo's own convention for binary fields), `<array>` → array, `<struct>`
/// → object. Encoding writes integers in the int32 range as `<int>` and
/// others as `<i8>`, null as `<nil/>` (Odoo serves XML-RPC with allow_none).
///
/// Faults map to errors: faultCode 1 → the class named in the traceback's
/// last line (AttributeError on a model → unknown_method, ...), else
/// server_error; 2 → user_error, or validation_error / missing_error /
/// unknown_model when the message says so; 3 → access_denied; 4 →
/// access_error. The legacy `/xmlrpc/object` sends string codes such as
/// "warning -- UserError\n\n<message>"; those are mapped by the class they name.

#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/protocol/call.hpp"
#include "odoolink/protocol/codec.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::xmlrpc {

/// `POST /xmlrpc/2/<service>` with `<methodName>method</methodName>` and the args as params.
[[nodiscard]] http_request encode(const service_call& c);

/// `POST /xmlrpc/2/object` `execute_kw(db, uid, secret, model, method, args, kwargs)`.
[[nodiscard]] http_request encode(const call& c, const credentials& who);

/// Decodes a `<methodResponse>`: the single param as JSON, or the fault as an error.
/// Errors: protocol_errc::malformed_response (bad XML, missing params),
/// ::unexpected_content_type (HTML), ::response_too_large, ::nesting_too_deep,
/// transport_errc::http_status for non-200 statuses; odoo_errc::* for faults.
[[nodiscard]] result<reply> decode(http_response&& response, const decode_options& opts = {});

/// A decoded `<methodCall>` (for fakes and tests that play the server).
struct method_call {
  std::string method;                 ///< methodName
  json::value params = json::array{}; ///< the params as a JSON array
};

/// Parses a `<methodCall>` body.
[[nodiscard]] result<method_call> decode_request(std::string_view body, const decode_options& opts = {});

/// Writes a value as an XML-RPC `<value>` element (appends to `out`).
void write_value(std::string& out, const json::value& v);

/// A `<methodResponse>` with one param (for fakes and tests).
[[nodiscard]] std::string encode_response(const json::value& result);

/// A `<methodResponse>` with a fault (for fakes and tests).
[[nodiscard]] std::string encode_fault(int code, std::string_view message);

}  // namespace protocol::xmlrpc
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
