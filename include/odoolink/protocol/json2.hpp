#pragma once
/// @file
/// JSON-2 codec (Odoo 19+): `POST /json/2/<model>/<method>` with
/// `Authorization: bearer <api key>`, `X-Odoo-Database`, and a body of named
/// arguments plus `ids` and `context`. Responses are the bare JSON result;
/// errors are carried by the HTTP status and a `{name, message, arguments,
/// context, debug}` body. Pure: no I/O.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

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

/// How one method takes its arguments, as the server publishes it.
/// @par Thread Safety  A value type.
struct method_signature {
  bool on_records = true;           ///< false for `@api.model` methods: no ids
  std::vector<std::string> params;  ///< parameter names, in positional order
};

/// The public methods of one model with their signatures, from
/// `/doc-bearer/<model>.json` (Odoo 19's api_doc module).
/// @par Thread Safety  A value type.
struct model_signatures {
  std::string model;
  std::map<std::string, method_signature, std::less<>> methods;
};

/// True when the built-in table names the positional parameters of `method`
/// (the standard ORM methods listed at `encode`).
/// @par Thread Safety  Pure function.
[[nodiscard]] bool has_builtin_signature(std::string_view method) noexcept;

/// True when `c` can only be encoded with the server's published signatures:
/// a method outside the built-in table called with positional arguments
/// (whether the first one is the ids, and what the others are called, is
/// known only from the signature).
/// @par Thread Safety  Pure function.
[[nodiscard]] bool needs_signatures(const call& c) noexcept;

/// Encodes a call. Positional `args` of the standard ORM methods are mapped to
/// their named parameters (`search(domain, offset, limit, order)`, `read(ids,
/// fields)`, `create(vals_list)`, `write(ids, vals)`, `load(fields, data)`, ...).
/// Any other method is mapped by `published` (the model's signatures from the
/// server) when given: `@api.model` methods name every positional argument,
/// record methods take the ids first. Without `published`, the first
/// positional argument of another method is the record ids and no further
/// positional argument is allowed.
/// Errors: protocol_errc::unsupported_call, its message naming model and
/// method, when positional arguments cannot be named (the server publishes no
/// such method, more positional arguments than parameters, a record method
/// whose first argument is not ids), or a named argument is given twice.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<http_request> encode(const call& c, const auth& who,
                                          const model_signatures* published = nullptr);

/// `GET /doc-bearer/<model>.json` with the bearer key (needs the user to be
/// in the "Technical Documentation" group, `api_doc.group_allow_doc`).
/// `idempotent` is true.
/// @par Thread Safety  Pure function.
[[nodiscard]] http_request encode_signatures_request(std::string_view model, const auth& who);

/// Reads the method signatures of a `/doc-bearer/<model>.json` answer.
/// Errors: as `decode` (401 access_denied, 403 access_error for a user
/// outside the documentation group, ...); 404 → odoo_errc::unknown_model
/// (unknown model, or the api_doc module is not installed);
/// protocol_errc::malformed_response when the document has no `methods` object.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<model_signatures> decode_signatures(http_response&& response, std::string_view model,
                                                         const decode_options& opts = {});

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
