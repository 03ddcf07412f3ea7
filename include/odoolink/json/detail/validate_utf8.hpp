#pragma once
// `json::validate_utf8` alone, for the readers' headers that must not pull
// in json/parse.hpp (which documents it) and its value types.

#include <string_view>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {
// Compiled in the library (simdjson's validator); see json/parse.hpp.
[[nodiscard]] bool validate_utf8(std::string_view text) noexcept;
}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
