#pragma once
// Random bytes for ids (UUIDs, trace and span ids): OpenSSL's generator,
// the OS generator as a fallback.

#include <span>
#include <string>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace detail {

/// Fills `out` with random bytes.
void fill_random(std::span<unsigned char> out) noexcept;

/// `bytes` random bytes as lower-case hex, never all zero.
[[nodiscard]] std::string random_hex(std::size_t bytes);

}  // namespace detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
