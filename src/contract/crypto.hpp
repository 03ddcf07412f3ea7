#pragma once
// SHA-256 and HMAC-SHA-256 through OpenSSL, as lower-case hex.

#include <string>
#include <string_view>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

/// SHA-256 of `data`, 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);
/// HMAC-SHA-256 of `data` under `key`, 64 lower-case hex digits.
[[nodiscard]] std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
