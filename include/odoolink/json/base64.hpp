#pragma once
/// @file
/// Standard base64 (RFC 4648 section 4), the text form of Odoo's binary
/// fields. A header of its own so typed records can carry binary fields
/// without pulling in any JSON reader.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {

/// Encodes bytes as standard base64 (RFC 4648 section 4, `=` padding, no line
/// breaks), the form Odoo's binary fields take.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string base64_encode(std::span<const std::uint8_t> bytes);
/// @overload
[[nodiscard]] std::string base64_encode(std::string_view bytes);

/// Decodes standard base64 strictly: the length is a multiple of 4, only the
/// RFC 4648 alphabet, `=` only as one or two final padding characters, the
/// unused bits of the last group zero, no whitespace. The empty text decodes
/// to no bytes. Errors: protocol_errc::unexpected_type, naming the offset and
/// the problem.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
