#pragma once
// Internal: pieces shared by the JSON codecs (JSON-RPC, web session, JSON-2).

#include <string>
#include <string_view>

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

/// Makes `r` a JSON POST to `target` (with the web session's cookie when
/// `session_id` is not empty) with an empty body, reusing its storage.
void reset_json_post(http_request& r, std::string_view target, std::string_view session_id = {});

/// The members of an Odoo fault object (`error.data` of JSON-RPC, the body
/// of a JSON-2 error) that errors carry.
struct fault_fields {
  std::string name;     ///< the exception class, e.g. `odoo.exceptions.UserError`
  std::string message;  ///< the message shown to the user
  std::string debug;    ///< the server's traceback
  bool has_name = false;  ///< `name` was a string
};

/// Reads a JSON-RPC 2.0 envelope (also the web-session routes) in one strict
/// pass over `body`: the envelope's members are recognised as they come
/// (strings checked as UTF-8 as they are read), the `result` is checked (or handed
/// to `reader`, which reads it in place) and `error` is decoded in full.
/// Returns the body viewing its result (no copy), or `null` for an envelope
/// with neither. Errors: the fault, protocol_errc::malformed_response
/// (broken JSON, not an envelope, a member given twice), ::invalid_utf8,
/// ::nesting_too_deep (over `opts.max_depth`).
[[nodiscard]] result<json::buffer> read_jsonrpc(std::string body, int http_status, const decode_options& opts,
                                                const result_reader* reader);

/// Reads a body that is the result itself (JSON-2 success): as `read_jsonrpc`.
[[nodiscard]] result<json::buffer> read_bare(std::string body, const decode_options& opts,
                                             const result_reader* reader);

/// Reads a JSON-2 error body. `has_name` is false when the body is JSON but
/// not an object with a string `name`. Errors: as `read_jsonrpc`.
[[nodiscard]] result<fault_fields> read_fault(const json::buffer& body, const decode_options& opts);

/// Builds the error for an Odoo fault. `fallback_message` is used when the
/// fault carries no message.
[[nodiscard]] error odoo_fault(const fault_fields& fault, std::string_view fallback_message, int http_status);

}  // namespace protocol::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
