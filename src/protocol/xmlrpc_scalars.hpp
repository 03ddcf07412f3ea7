#pragma once
// The text of an XML-RPC scalar element as JSON, read as Python's
// unmarshaller (and so Odoo) reads it. Shared by the expat reader and the
// plain-response fast path, so both give the same JSON for the same text.

#include <string>
#include <string_view>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::xmlrpc::impl {

enum class scalar_fault { none, invalid, out_of_range };

/// <int>, <i4>, <i8>: blanks around, "+5" as Python's int(); int64 range.
[[nodiscard]] scalar_fault append_int(std::string& out, std::string_view text);
/// <double>: out of range becomes 0 or ±inf (Python's float()), then JSON's null.
[[nodiscard]] scalar_fault append_double(std::string& out, std::string_view text);
/// <boolean>: 1, 0, true or false, blanks around.
[[nodiscard]] bool append_boolean(std::string& out, std::string_view text);
/// <dateTime.iso8601>: the forms Python writes become "YYYY-MM-DD HH:MM:SS"
/// (as Odoo's JSON gives them); any other text is kept as sent.
void append_datetime(std::string& out, std::string_view text);
/// <base64>: Python writes it in 76-column lines; Odoo's fields carry it unbroken.
void append_base64(std::string& out, std::string_view text);

}  // namespace protocol::xmlrpc::impl
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
