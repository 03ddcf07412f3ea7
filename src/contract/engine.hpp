#pragma once
// Internal entry points shared by the contract layer's units.

#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "odoolink/contract/validate.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

/// Checks `v` as a value of field `n`; appends violations whose paths start with `prefix`.
void check_value(const node& n, const json::value& v, std::string_view prefix, std::vector<violation>& out);

/// Compact JSON with object keys sorted bytewise (the canonical form).
void write_canonical(std::string& out, const json::value& v);
/// JSON indented by two spaces, keys in their order.
void write_pretty(std::string& out, const json::value& v, int indent = 0);

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
