#pragma once
/// @file
/// JSON-2 codec (Odoo 19+): `POST /json/2/<model>/<method>` with
/// `Authorization: bearer <api key>`, `X-Odoo-Database`, and a body of named
/// arguments plus `ids` and `context`. Responses are the bare JSON result;
/// errors are carried by the HTTP status and a `{name, message, arguments,
/// context, debug}` body. Pure: no I/O.

#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/protocol/call.hpp"
#include "odoolink/protocol/codec.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::json2 {

/// What JSON-2 sends with every call. `database` may be empty when the server
/// serves a single database.
struct auth {
  std::string api_key;
  std::string database;
};

/// Encodes a call. Positional `args` of the standard ORM methods are mapped to
/// their named parameters (`search(domain, offset, limit, order)`, `read(ids,
/// fields)`, `create(vals_list)`, `write(ids, vals)`, `load(fields, data)`, ...);
/// for any other method the first positional argument is the record ids and
/// no further positional argument is allowed.
/// Errors: protocol_errc::unsupported_call when positional arguments cannot be
/// named, or a named argument is given twice.
[[nodiscard]] result<http_request> encode(const call& c, const auth& who);

/// `GET /web/version` (no authentication needed).
[[nodiscard]] http_request encode_version();

/// Decodes a JSON-2 response: 200 → the bare result; 4xx/5xx with a JSON body →
/// the mapped Odoo error (401 access_denied, 403 access_error, 404
/// unknown_model/unknown_method/missing_error, 409 concurrency_failure, 422
/// user/validation errors or wrong_arguments, 500 by class); 404 HTML "No
/// database is selected" → odoo_errc::unknown_database; 415 or 400 →
/// protocol_errc::bad_request; 429/502/503/504 → retryable transport errors.
/// The body is read in one strict pass and the reply keeps it (no copy);
/// `reader`, when given, reads a success body in place during that pass.
[[nodiscard]] result<reply> decode(http_response&& response, const decode_options& opts = {},
                                   const result_reader* reader = nullptr);

}  // namespace protocol::json2
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
