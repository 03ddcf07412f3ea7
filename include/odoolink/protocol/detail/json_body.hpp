#pragma once
// Internal: pieces shared by the JSON codecs (JSON-RPC, web session, JSON-2).

#include <string>
#include <string_view>

#include <simdjson.h>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/call.hpp"
#include "odoolink/protocol/codec.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::detail {

/// Streams `kwargs` with the call's context merged in as its `context` member.
void write_kwargs(json::writer& w, const call& c);

/// Streams the members of `kwargs` (context merged) into an already open object.
void write_kwargs_members(json::writer& w, const call& c);

/// A JSON POST request to `target` with `body`.
[[nodiscard]] http_request json_post(std::string target, std::string body);

/// Takes the body into a padded buffer and validates it completely as JSON
/// (simdjson DOM, runtime-dispatched kernel), so later layers only ever see
/// well-formed JSON. Errors: protocol_errc::malformed_response, ::invalid_utf8,
/// ::nesting_too_deep, ::response_too_large.
[[nodiscard]] result<json::buffer> validated_body(std::string body, simdjson::dom::parser& parser,
                                                  simdjson::dom::element& root, const decode_options& opts);

/// Builds the error for an Odoo fault object with `name`, `message`, `debug`
/// (JSON-RPC `error.data`, or a JSON-2 error body). `fallback_message` is used
/// when the object carries no message.
[[nodiscard]] error odoo_fault(simdjson::dom::element fault, std::string_view fallback_message, int http_status);

}  // namespace protocol::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
