#pragma once
// Models of the fake server as `fields_get` describes them.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

struct field_def {
  std::string name;
  std::string type;      // char, many2one, ... as fields_get says
  std::string label;     // fields_get "string"
  std::string relation;  // comodel of relational fields
  std::string help;
  bool required = false;
  bool readonly = false;
  std::vector<std::pair<std::string, std::string>> selection;  // value, label

  [[nodiscard]] bool is_relational() const noexcept {
    return type == "many2one" || type == "one2many" || type == "many2many";
  }
  [[nodiscard]] bool is_x2many() const noexcept { return type == "one2many" || type == "many2many"; }
  /// The attributes as fields_get returns them (only those asked when `attributes` is non-empty).
  [[nodiscard]] json::value describe(const std::vector<std::string>& attributes) const;
};

struct model_def {
  std::string name;
  std::string label;  // human name for messages, e.g. "Contact"
  std::map<std::string, field_def> fields;
  bool stub = false;  // made up for a relation target without a dump

  [[nodiscard]] const field_def* field(std::string_view f) const {
    auto it = fields.find(std::string(f));
    return it == fields.end() ? nullptr : &it->second;
  }
  [[nodiscard]] bool has(std::string_view f) const { return field(f) != nullptr; }
};

/// Parses a fields_get result. Adds the magic fields Odoo always has.
[[nodiscard]] result<model_def> parse_fields_get(std::string_view model, std::string_view text);

/// A small model for a relation target that has no dump: name, active, code.
[[nodiscard]] model_def stub_model(std::string_view model);

/// A readable model name for messages ("sale.order" -> "Sale Order").
[[nodiscard]] std::string label_of(std::string_view model);

/// The fields_get dumps shipped with the library for an Odoo series (16 to
/// 19; others get 18's): (model, JSON text).
[[nodiscard]] const std::vector<std::pair<std::string_view, std::string_view>>& shipped_fields(int series);

/// One embedded dump: literals are split to stay under compiler limits.
struct embedded_fields {
  std::string_view model;
  std::vector<std::string_view> chunks;
};
/// The dumps of `table` joined into `storage`, as (model, JSON text).
[[nodiscard]] std::vector<std::pair<std::string_view, std::string_view>> join_embedded(const std::vector<embedded_fields>& table,
                                                                                       std::vector<std::string>& storage);
/// The dumps of one series.
[[nodiscard]] const std::vector<std::pair<std::string_view, std::string_view>>& shipped_fields_16();
/// @copydoc shipped_fields_16
[[nodiscard]] const std::vector<std::pair<std::string_view, std::string_view>>& shipped_fields_17();
/// @copydoc shipped_fields_16
[[nodiscard]] const std::vector<std::pair<std::string_view, std::string_view>>& shipped_fields_18();
/// @copydoc shipped_fields_16
[[nodiscard]] const std::vector<std::pair<std::string_view, std::string_view>>& shipped_fields_19();

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
