#pragma once
/// @file
/// What `fields_get` says about a model's fields, parsed: the input of the
/// code generator and of schema checks.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// One field as `fields_get` describes it. Attributes the server left out
/// are empty/false.
/// @par Thread Safety  A value type.
struct field_info {
  std::string name;            ///< technical name, e.g. `partner_id`
  std::string type;            ///< Odoo type: `char`, `many2one`, `selection`, ...
  std::string label;           ///< the `string` attribute, e.g. "Customer"
  std::string help;            ///< the `help` attribute
  std::string relation;        ///< related model of relational fields, e.g. `res.partner`
  std::string currency_field;  ///< monetary fields: the field holding the currency, when the server says
  bool required = false;       ///< `required`
  bool readonly = false;       ///< `readonly`
  /// `selection`: `[value, label]` pairs in the server's order. Values are
  /// usually strings, but some (group selections on `res.users`) are integers
  /// or `false`, hence `json::value`.
  std::vector<std::pair<json::value, std::string>> selection;

  friend bool operator==(const field_info&, const field_info&) = default;
};

/// The `attributes` argument that asks `fields_get` for everything
/// `field_info` holds.
[[nodiscard]] json::value field_info_attributes();

/// Parses a `fields_get` result (an object mapping field names to attribute
/// objects) into fields sorted by name, so the result does not depend on the
/// server's key order. Unknown attributes are ignored.
/// Errors: protocol_errc::malformed_response (not JSON, or a key given twice),
/// protocol_errc::unexpected_type (not an object of objects, or an attribute
/// of the wrong type).
/// @par Thread Safety  Reentrant.
[[nodiscard]] result<std::vector<field_info>> parse_fields_get(std::string_view json);

/// The same from an already parsed `fields_get` result (a field named twice:
/// protocol_errc::malformed_response).
[[nodiscard]] result<std::vector<field_info>> fields_from_json(const json::value& fields_get_result);

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
