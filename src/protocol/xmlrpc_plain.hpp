#pragma once
// The fast path of XML-RPC responses. Servers (Python's xmlrpc.client, so
// Odoo) write responses in a small plain subset of XML: an optional
// `<?xml version="1.0"?>`, elements without attributes or prefixes, `<nil/>`,
// the five predefined entities, UTF-8 text. This reader takes that subset
// in one pass with no parser callbacks and gives the JSON text the expat
// reader would give. Anything else (a fault, a comment, CDATA, character
// references, a carriage return, a prefix, another encoding) and anything
// wrong makes it decline, and the expat reader decodes the body and words
// any error: the two readers never disagree on what a body means.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/protocol/xmlrpc.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::xmlrpc::impl {

/// The JSON text of the one param value of a plain `<methodResponse>`, or
/// nothing when `body` is not in the plain subset or nests arrays and
/// structs deeper than `max_depth`.
[[nodiscard]] std::optional<std::string> plain_response_json(std::string_view body, std::size_t max_depth);

/// The expat reader the plain path defers to (xmlrpc_reader.cpp): a 200
/// response body already checked for size and HTML. Tests and the fuzzer
/// compare the two paths with it.
[[nodiscard]] result<reply> decode_with_expat(std::string_view body, int status, const decode_options& opts);

}  // namespace protocol::xmlrpc::impl
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
