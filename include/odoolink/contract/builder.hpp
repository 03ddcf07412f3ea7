#pragma once
/// @file
/// Building contracts in C++: `contract_builder` and `field_builder` write
/// the same JSON document a contract file holds (see contract.hpp), and
/// `build()` loads it with the same checks, so a built contract and its
/// file have the same fingerprint.
///
/// ```cpp
/// auto customer = contract_builder("customer", "1.0.0")
///     .owner("crm-team").system_of_record("odoo").odoo_model("res.partner")
///     .field(field_builder("name", field_type::string).required().max_length(128).maps_to("name"))
///     .field(field_builder("email", field_type::string).format(string_format::email).pii().maps_to("email"))
///     .build();  // result<contract>
/// ```

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/contract/types.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// Builds one field spec. Setters that do not apply to the type are
/// recorded anyway and refused by `contract_builder::build()`, naming the path.
/// @par Thread Safety  A value type.
class field_builder {
 public:
  /// A field `name` of type `type` (the name is ignored for array items).
  field_builder(std::string name, field_type type);

  field_builder& required(bool on = true);             ///< `required`
  field_builder& nullable(bool on = true);             ///< `nullable`
  field_builder& pii(bool on = true);                  ///< `pii`
  field_builder& deprecated(bool on = true);           ///< `deprecated`
  field_builder& description(std::string text);        ///< `description`
  field_builder& default_value(json::value v);         ///< `default`
  field_builder& min_length(std::int64_t n);           ///< strings
  field_builder& max_length(std::int64_t n);           ///< strings
  field_builder& pattern(std::string ecmascript);      ///< strings
  field_builder& format(string_format f);              ///< strings
  field_builder& minimum(json::value bound);           ///< integer, number, decimal
  field_builder& maximum(json::value bound);           ///< integer, number, decimal
  field_builder& precision(std::int64_t digits);       ///< decimals
  field_builder& scale(std::int64_t digits);           ///< decimals
  field_builder& values(std::vector<std::string> v);   ///< enums
  field_builder& items(const field_builder& item);     ///< arrays
  field_builder& min_items(std::int64_t n);            ///< arrays
  field_builder& max_items(std::int64_t n);            ///< arrays
  field_builder& field(const field_builder& f);        ///< objects: adds a field
  field_builder& unknown(unknown_fields u);            ///< objects
  field_builder& references(std::string subject);      ///< references: the referenced contract

  /// Maps the field onto an Odoo field (or dotted path, or `"id"` for the external id).
  field_builder& maps_to(std::string odoo_field, reference_by by = reference_by::value);
  field_builder& relation(std::string model);          ///< the related model
  field_builder& direction(mapping_direction d);       ///< read / write only
  field_builder& value_map(std::string contract_value, std::string odoo_value);  ///< enum value mapping
  field_builder& server_default(bool on = true);       ///< Odoo fills it when absent

  /// The field's name.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// The field spec as a JSON object.
  [[nodiscard]] const json::value& to_json() const noexcept { return spec_; }

 private:
  json::value& odoo();
  std::string name_;
  json::value spec_;
};

/// Builds a contract document.
/// @par Thread Safety  A value type.
class contract_builder {
 public:
  /// A contract `subject` at `version` (`1.0.0`).
  contract_builder(std::string subject, std::string version);

  contract_builder& owner(std::string who);                   ///< `owner` (required)
  contract_builder& system_of_record(std::string system);     ///< `system_of_record` (required)
  contract_builder& description(std::string text);            ///< `description`
  contract_builder& compatibility(compatibility_mode mode);   ///< `compatibility` (default BACKWARD)
  contract_builder& unknown(unknown_fields u);                ///< `unknown_fields` (default reject)
  contract_builder& odoo_model(std::string model);            ///< `odoo.model`
  /// Adds a field (in order: the order of `load` columns).
  contract_builder& field(const field_builder& f);

  /// The document built so far.
  [[nodiscard]] const json::value& to_json() const noexcept { return doc_; }
  /// Loads the document. Errors: contract_errc::invalid_document (every
  /// problem, with its JSON pointer).
  [[nodiscard]] result<contract> build() const;

 private:
  json::value doc_;
};

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
