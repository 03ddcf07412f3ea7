#include "odoolink/model/field_info.hpp"

#include <algorithm>

#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

json::value field_info_attributes() {
  return json::array{"string", "type", "required", "readonly", "relation", "selection", "help"};
}

namespace {
error bad(std::string_view field, std::string_view what) {
  return error(protocol_errc::unexpected_type,
               "fields_get: field \"" + std::string(field) + "\": " + std::string(what));
}
}  // namespace

result<std::vector<field_info>> fields_from_json(const json::value& v) {
  if (!v.is_object()) return error(protocol_errc::unexpected_type, "fields_get: expected an object of fields");
  std::vector<field_info> out;
  out.reserve(v.as_object().size());
  // Plain references, not structured bindings: clang 14 cannot capture those in lambdas.
  for (const auto& entry : v.as_object()) {
    const auto& name = entry.first;
    const auto& attrs = entry.second;
    if (!attrs.is_object()) return bad(name, "expected an object of attributes");
    field_info f;
    f.name = name;
    for (const auto& attribute : attrs.as_object()) {
      const auto& key = attribute.first;
      const auto& a = attribute.second;
      const auto text = [&](std::string& into) -> result<void> {
        if (a.is_string()) into = a.as_string();
        else if (!(a.is_bool() && !a.as_bool()) && !a.is_null()) return bad(name, "attribute \"" + key + "\" is not text");
        return success();
      };
      if (key == "type") {
        ODOOLINK_TRYV(text(f.type));
      } else if (key == "string") {
        ODOOLINK_TRYV(text(f.label));
      } else if (key == "help") {
        ODOOLINK_TRYV(text(f.help));
      } else if (key == "relation") {
        ODOOLINK_TRYV(text(f.relation));
      } else if (key == "currency_field") {
        ODOOLINK_TRYV(text(f.currency_field));
      } else if (key == "required") {
        f.required = a.is_bool() && a.as_bool();
      } else if (key == "readonly") {
        f.readonly = a.is_bool() && a.as_bool();
      } else if (key == "selection") {
        if (!a.is_array()) continue;  // a callable the server could not serialise: treat as unknown
        for (const auto& pair : a.as_array()) {
          if (!pair.is_array() || pair.as_array().size() != 2) return bad(name, "selection entries must be [value, label]");
          const auto& label = pair.as_array()[1];
          f.selection.emplace_back(pair.as_array()[0], label.is_string() ? label.as_string() : std::string());
        }
      }
    }
    if (f.type.empty()) return bad(name, "no type");
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const field_info& a, const field_info& b) { return a.name < b.name; });
  // Odoo never sends a field twice (a Python dict cannot hold it): a value
  // that does is refused, as every JSON reader of the library refuses a
  // repeated key (json::parse already did, for text).
  const auto twice = std::adjacent_find(out.begin(), out.end(), [](const field_info& a, const field_info& b) { return a.name == b.name; });
  if (twice != out.end()) return error(protocol_errc::malformed_response, "fields_get: field \"" + twice->name + "\" comes twice");
  return out;
}

result<std::vector<field_info>> parse_fields_get(std::string_view text) {
  ODOOLINK_TRY(const json::value v, json::parse(text));
  return fields_from_json(v);
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
