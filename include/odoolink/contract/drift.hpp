#pragma once
/// @file
/// Drift check: does a server still have what a contract maps onto? Compares
/// the contract's Odoo mappings with `fields_get` results (attributes
/// `type`, `required`, `relation`, `selection`) and lists every difference.
///
/// Checked for each mapped field (and each hop of a dotted path, and the
/// fields of one2many lines against their model):
///
/// - `field_missing`: the model has no such field;
/// - `type_mismatch`: the Odoo type cannot hold the contract type (see below);
/// - `required_mismatch`: Odoo requires the field but the contract lets
///   payloads omit it (no `required`, no `default`, no `server_default`);
///   with `drift_options::strict_required` also the reverse;
/// - `selection_value_missing`: an enum value (after `values` mapping) is
///   not among the selection's values;
/// - `relation_mismatch`: the relational field points to another model
///   than the mapping's `relation`;
/// - `model_missing`: no `fields_get` of a model the contract needs; the
///   model is also listed in `drift_report::missing_models`.
///
/// Types: string → char, text, html, selection; enum → selection, char;
/// integer → integer; number and decimal → float, monetary; boolean →
/// boolean; date → date; datetime → datetime; a reference or `by` mapping →
/// many2one (arrays: many2many, one2many); an array of objects → one2many;
/// an object mapped whole → json; `by: id` on an integer → many2one.
/// A field mapped to `"id"` (the external id) is not checked, nor is a
/// missing field whose mapping is `optional` (it is left out on such servers).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {
class client;
}  // namespace client
namespace contract {

/// The kinds of drift.
enum class drift_kind {
  model_missing = 1,        ///< no fields_get result for a model the contract maps onto
  field_missing,            ///< the mapped field does not exist
  type_mismatch,            ///< the Odoo field's type cannot hold the contract's values
  required_mismatch,        ///< required-ness differs (see the file comment)
  selection_value_missing,  ///< a contract enum value is not a selection value
  relation_mismatch,        ///< the relation points to another model
};

/// `"field_missing"` ...
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view to_string(drift_kind k) noexcept;

/// One difference between a contract and a server.
/// @par Thread Safety  A value type.
struct drift_issue {
  drift_kind kind{};
  std::string path;        ///< the contract field, e.g. `lines[].product`
  std::string model;       ///< the Odoo model checked
  std::string odoo_field;  ///< the Odoo field checked (a hop of a dotted path)
  std::string message;     ///< for people
  friend bool operator==(const drift_issue&, const drift_issue&) = default;
};

/// The result of a drift check.
/// @par Thread Safety  A value type.
struct drift_report {
  std::vector<drift_issue> issues;          ///< every difference, in contract order
  std::vector<std::string> missing_models;  ///< models whose fields_get was not given
  /// True when nothing drifted.
  [[nodiscard]] bool clean() const noexcept { return issues.empty(); }
  /// One line per issue: `kind path (model.field): message`.
  [[nodiscard]] std::string describe() const;
};

/// `fields_get` results by model name.
using fields_catalog = std::map<std::string, json::value, std::less<>>;

/// Settings of the drift check.
struct drift_options {
  /// Also report fields the contract requires while Odoo does not.
  bool strict_required = false;
};

/// Checks `c` against `catalog`. The core check: no I/O.
/// @par Thread Safety  Reentrant.
[[nodiscard]] drift_report check_drift(const contract& c, const fields_catalog& catalog, const drift_options& options = {});

/// Checks `c` against the fields_get result of its own model only (related
/// models reached through lines or dotted paths are reported in
/// `missing_models`, not as drift).
/// @par Thread Safety  Reentrant.
[[nodiscard]] drift_report check_drift(const contract& c, const json::value& fields_get, const drift_options& options = {});

/// Checks `c` against a live server: calls `fields_get` once per model the
/// contract reaches (its model, one2many line models, the models along
/// dotted paths; attributes `string`, `type`, `required`, `relation`,
/// `selection`) and checks.
/// Errors: whatever `execute_kw` returns (transport, access, unknown model
/// is reported as drift `model_missing` instead when Odoo says the model
/// does not exist); protocol_errc::unexpected_type for a non-object result.
/// @par Thread Safety  As the client: one thread at a time per connection.
[[nodiscard]] result<drift_report> check_drift(const contract& c, client::client& odoo, const drift_options& options = {});

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
