#pragma once
/// @file
/// The model code generator behind `odoolink codegen`: turns a model's
/// `fields_get` into a C++ header with its field descriptors, selection enums
/// and full typed record (see odoolink/models/).
///
/// Field types map as in odoolink/model/types.hpp. A selection becomes an
/// enum when it has at most `max_enum_values` string values that all make
/// distinct C++ identifiers (`to invoice` → `to_invoice`, `0002` → `v0002`);
/// other string selections stay text (`kind::selection_text`), and
/// selections with non-string values (group selections on `res.users`) are
/// raw JSON. Types the generator does not know (`json`, `properties`,
/// `reference`, `many2one_reference`, ...) become raw JSON values: generation
/// never fails on a field type.
///
/// Output is deterministic: fields sorted by name, no dates or paths, so the
/// same `fields_get` always gives the same bytes.

#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/model/field_info.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// Settings of the generator.
struct codegen_options {
  /// Largest selection that becomes an enum (larger ones, like time zones, stay text).
  std::size_t max_enum_values = 64;
  /// The Odoo series the fields come from (17, 18, 19 ...); 0: none. A
  /// series puts the model into `models::v<series>` (header folder
  /// `v<series>/`), relation tags included, so headers of several series
  /// live side by side.
  int series = 0;
  /// Declare `v<series>` as an inline namespace, so `models::<name>` names
  /// this series' model (the library does this for its default series, 18).
  bool default_series = false;
};

/// The C++ identifier of a model: `sale.order.line` → `sale_order_line`.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string model_identifier(std::string_view model);

/// The C++ namespace of generated models below `odoolink::models` for a
/// series: `v17` for 17, empty for 0.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string series_namespace(int series);

/// The header file name of a model: `sale.order.line` → `sale_order_line.hpp`.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string model_header_name(std::string_view model);

/// True for the fields Odoo's accounting computes for its own forms whose
/// values it cannot send over RPC (dicts keyed by frozendicts: `needed_terms`,
/// `compute_all_tax`, `epd_needed`, `discount_allocation_needed`; reading one
/// that holds data fails the whole call, seen on real Odoo 17, 18 and 19),
/// `account.move.partner_credit`, whose compute fails when read on Odoo 18,
/// and the user form's reified group fields of `res.users` (`in_group_N`,
/// `sel_groups_...`), which `read` does not return. Generated full records leave them out; their descriptors remain.
/// @par Thread Safety  Pure function.
[[nodiscard]] bool unreadable_over_rpc(std::string_view model, std::string_view field) noexcept;

/// The header for `model` from its fields (as `parse_fields_get` returns them).
/// Errors: protocol_errc::unsupported_call when the model name is empty or
/// not made of letters, digits, `.` and `_`.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::string> generate_model_header(std::string_view model, const std::vector<field_info>& fields,
                                                        const codegen_options& options = {});

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
