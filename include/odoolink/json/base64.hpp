#pragma once
/// @file
/// Standard base64 (RFC 4648 section 4), the text form of Odoo's binary
/// fields. A header of its own so typed records can carry binary fields
/// without pulling in any JSON reader.

#include <cstddef>
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

/// Length of the base64 text of `n` bytes (with padding).
/// @par Thread Safety  Pure function.
[[nodiscard]] constexpr std::size_t base64_encoded_size(std::size_t n) noexcept { return (n + 2) / 3 * 4; }

/// Appends the base64 text of `bytes` to `out` (as `base64_encode`). Pieces
/// whose sizes are multiples of 3 concatenate into the text of the whole,
/// so a large input can be encoded piece by piece straight into a request body.
/// @par Thread Safety  Pure function.
void base64_append(std::string& out, std::span<const std::uint8_t> bytes);

/// Number of bytes the base64 `text` decodes to, from its length and final
/// `=` only (the text itself is checked when decoded). Zero for a length
/// that is not a multiple of 4.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::size_t base64_decoded_size(std::string_view text) noexcept;

/// Decodes `text` (as `base64_decode`) into `out`, which must hold
/// `base64_decoded_size(text)` bytes; returns the bytes written. With
/// `final` false, `text` is a piece of a longer text (its length a multiple
/// of 4) and may not hold padding. Errors: as `base64_decode`, plus
/// protocol_errc::unexpected_type when `out` is too small; offsets count
/// from the start of `text`.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::size_t> base64_decode_into(std::string_view text, std::span<std::uint8_t> out,
                                                     bool final = true);

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
