#pragma once
// Reconciliation's record read: `web_read(ids, specification)` on every
// series. Odoo 17 and later run it; Odoo 16 has no `web_read`, so the same
// answer is built from `read`s: the top-level fields, then, per nested
// specification, the related records on their own model (relations from one
// `fields_get`), many2one pairs turned into ids as `web_read` gives them.

#include <cstddef>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {

/// The records `ids` of `model` as `web_read` answers them (records the
/// server no longer has are left out); `calls` counts the calls made.
/// Errors: those of `client::execute_kw`; protocol_errc::unexpected_type for
/// an answer of the wrong shape.
[[nodiscard]] result<json::array> read_records(client::client& odoo, const std::string& model, const json::array& ids,
                                               const json::value& specification, const json::value& context,
                                               std::size_t& calls);

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
