#pragma once
// Reconciliation's view of a contract: what to read back from Odoo, which
// related records need their external ids, and the field-by-field
// comparison of a sent payload with the payload read back.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/contract/contract.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/outbox/reconcile.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

// The `web_read` specification of the fields reconciliation compares for
// `payloads` (with lines and the related records' parts it needs), plus
// `write_date` and `write_uid`. Optional mappings the server lacks (`server_has`) are left out.
[[nodiscard]] json::value read_specification(const contract::contract& c, const std::vector<const json::value*>& payloads,
                                             const contract::field_presence& server_has);

// Appends the (model, id) of every record `record` (a `web_read` result)
// references by external id, and of its one2many lines.
void collect_related(const contract::contract& c, const json::value& record,
                     std::vector<std::pair<std::string, std::int64_t>>& out);

// The value `payload` sends for the Odoo field `active` (its default when
// absent); nullopt when the contract does not map `active`.
[[nodiscard]] std::optional<bool> sent_active(const contract::contract& c, const json::value& payload);

// True when two external ids name the same Odoo record.
using same_record_fn = std::function<bool(std::string_view, std::string_view)>;

// The differences between `sent` and `in_odoo` (both canonical payloads;
// `in_odoo` from `from_odoo_record`) over the fields mapped both ways that
// `sent` carries. One2many lines are matched by their external ids
// (`<external_id>_<field>_<n>` for lines sent without one, as `load` named them).
[[nodiscard]] std::vector<field_difference> compare_payloads(const contract::contract& c, const json::value& sent,
                                                             const json::value& in_odoo, std::string_view external_id,
                                                             const same_record_fn& same,
                                                             const contract::field_presence& server_has);

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
