#pragma once
// Values written the way Python's repr() writes them, for error messages
// that quote arguments as the real server does.

#include <string>

#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

[[nodiscard]] std::string python_repr(const json::value& v);

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
