#pragma once
/// @file
/// XML-RPC codec for `/xmlrpc/2/common`, `/xmlrpc/2/object` (and `/xmlrpc/2/db`).
/// Pure: no I/O. Parsing uses expat.
///
/// Values map to JSON as Odoo's JSON-RPC would send them: `<nil/>` → null,
/// `<boolean>` → true/false, `<int>`/`<i4>`/`<i8>` → integer, `<double>` →
/// number (as Python reads it: too small → 0.0; NaN, infinities and too large
/// → null, which is how JSON writes non-finite numbers), `<string>` or bare
/// text → string, `<dateTime.iso8601>`
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
///
/// Request bodies have the exact layout Python's `xmlrpc.client` writes
/// (`<?xml version='1.0'?>\n<methodCall>\n<methodName>...`), with three
/// deliberate differences that keep every document well-formed XML 1.0 and
/// every value intact:
/// - text that XML 1.0 cannot carry (control characters other than tab, LF
///   and CR; U+FFFE, U+FFFF; invalid UTF-8) is replaced by U+FFFD, one per
///   offending byte or character, as the JSON writer does for invalid UTF-8;
/// - CR is written as `&#13;`, because a parser turns a raw CR into LF;
/// - non-finite doubles (NaN, infinities) are written as `<nil/>`, as the
///   JSON codecs write them as `null`.
///
/// Decoding refuses any document type declaration (so no entity expansion,
/// internal or external, ever happens) and tracks nesting on the heap, so
/// hostile input cannot exhaust memory through entities or the stack
/// through depth.

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

/// `POST /xmlrpc/2/<service>` with `<methodName>method</methodName>` and the args as params
/// (a non-array `args` is sent as the single param). Content-Type `text/xml`;
/// `idempotent` is false (the caller decides).
/// @par Thread Safety  Pure function.
[[nodiscard]] http_request encode(const service_call& c);

/// `POST /xmlrpc/2/object` `execute_kw(db, uid, secret, model, method, args, kwargs)`,
/// where kwargs is `effective_kwargs(c)` (the context merged in). A null `args`
/// is sent as an empty array. `idempotent` is false (the caller decides).
/// @par Thread Safety  Pure function.
[[nodiscard]] http_request encode(const call& c, const credentials& who);

/// Decodes a `<methodResponse>`: the single param as JSON, or the fault as an error.
/// Errors: protocol_errc::malformed_response (bad XML, a document type
/// declaration, wrong root, missing or extra params, unknown elements, bad
/// scalar text), ::unexpected_content_type (HTML), ::invalid_utf8,
/// ::response_too_large (body over `opts.max_bytes`), ::nesting_too_deep
/// (arrays/structs nested deeper than `opts.max_depth`), ::unexpected_type
/// (an integer outside int64); for non-200
/// statuses transport_errc::rate_limited (429), ::server_unavailable
/// (502/503/504), protocol_errc::bad_request (400/415), else
/// transport_errc::http_status, with a body excerpt; odoo_errc::* for faults
/// (see `fault_to_error`).
/// @par Thread Safety  Pure function.
[[nodiscard]] result<reply> decode(http_response&& response, const decode_options& opts = {});
/// As above, first offering a 200 body to `reader->read_xml` (see
/// `result_reader`): when it reads the result, the reply keeps the body and
/// views nothing.
[[nodiscard]] result<reply> decode(http_response&& response, const decode_options& opts, const result_reader* reader);

/// A decoded `<methodCall>` (for fakes and tests that play the server).
/// @par Thread Safety  A value type.
struct method_call {
  std::string method;                 ///< methodName
  json::value params = json::array{}; ///< the params as a JSON array
};

/// Parses a `<methodCall>` body. A call without `<params>` has no params.
/// Errors: as `decode` for the body (size, XML, nesting, scalars; the
/// nesting limit applies to each param).
/// @par Thread Safety  Pure function.
[[nodiscard]] result<method_call> decode_request(std::string_view body, const decode_options& opts = {});

/// Writes a value as an XML-RPC `<value>` element (appends to `out`), in
/// Python's layout (see the file comment for strings and doubles).
/// @par Thread Safety  Pure function.
void write_value(std::string& out, const json::value& v);

/// A `<methodResponse>` with one param (for fakes and tests), in the layout
/// Odoo answers with.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string encode_response(const json::value& result);

/// A `<methodResponse>` with a fault (for fakes and tests), in the layout
/// Odoo answers with.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string encode_fault(int code, std::string_view message);

/// Maps a fault value (`{"faultCode": ..., "faultString": ...}` as JSON) to
/// an error carrying the Odoo class, a human message and the fault text as
/// debug. XML-RPC sends no class for codes 2-4, so the class is inferred:
/// code 2 is `odoo.exceptions.UserError` unless the message has a shape only
/// MissingError ("Record does not exist or has been deleted.") or
/// ValidationError ("The operation cannot be completed: ...", "You cannot
/// create recursive ...") produce. Code 1 (and a legacy string code that
/// names no class) takes the class and message from the traceback's final
/// exception line; unqualified names are `builtins.`. Anything else:
/// odoo_errc::server_error.
/// @par Thread Safety  Pure function.
[[nodiscard]] error fault_to_error(const json::value& fault, int http_status = 200);

}  // namespace protocol::xmlrpc
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
