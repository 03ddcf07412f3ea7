#pragma once
/// @file
/// The external id a payload carries itself: the value of the field the
/// contract maps to Odoo's `id` (e.g. `"id": "pos.customer_17"`), which
/// other payloads use to reference it.

#include <optional>
#include <string>

#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// The payload's own external id, when the contract maps a top-level field
/// to `id` and the payload gives it as a string.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::optional<std::string> payload_external_id(const contract& c, const json::value& payload);

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
