#include "odoolink/contract/json_schema.hpp"

#include "formats.hpp"
#include "model.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace {

using detail::node;

constexpr const char* external_id_pattern = "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$";
constexpr const char* decimal_pattern = "^-?[0-9]+(\\.[0-9]+)?$";

json::value mapping_annotation(const node& n) {
  json::value m = json::object{};
  m.set("field", n.odoo.field);
  if (n.odoo.by != reference_by::value) m.set("by", to_string(n.odoo.by));
  if (!n.odoo.relation.empty()) m.set("relation", n.odoo.relation);
  if (n.odoo.direction != mapping_direction::both) m.set("direction", to_string(n.odoo.direction));
  if (!n.odoo.values.empty()) {
    json::object values;
    for (const auto& [c, o] : n.odoo.values) values.emplace_back(c, o);
    m.set("values", std::move(values));
  }
  if (n.odoo.server_default) m.set("server_default", true);
  if (!n.odoo.fallback.empty()) m.set("fallback", n.odoo.fallback);
  return m;
}

json::value schema_of(const node& n);

json::value object_schema(const node& n) {
  json::value s = json::object{};
  s.set("type", "object");
  json::object properties;
  json::array required;
  for (const auto& f : n.fields) {
    properties.emplace_back(f.name, schema_of(f));
    if (f.required && !f.default_value) required.emplace_back(f.name);
  }
  s.set("properties", std::move(properties));
  if (!required.empty()) s.set("required", std::move(required));
  s.set("additionalProperties", n.unknown == unknown_fields::ignore);
  return s;
}

json::value schema_of(const node& n) {
  json::value s = json::object{};
  switch (n.type) {
    case field_type::string:
      s.set("type", "string");
      if (n.min_length) s.set("minLength", *n.min_length);
      if (n.max_length) s.set("maxLength", *n.max_length);
      if (!n.pattern.empty()) s.set("pattern", n.pattern);
      switch (n.format) {
        case string_format::email: s.set("format", "email"); break;
        case string_format::uuid: s.set("format", "uuid"); break;
        case string_format::uri: s.set("format", "uri"); break;
        case string_format::country: s.set("enum", detail::iso_country_codes()); break;
        case string_format::currency: s.set("enum", detail::iso_currency_codes()); break;
        case string_format::none: break;
      }
      break;
    case field_type::integer:
      s.set("type", "integer");
      if (n.int_minimum) s.set("minimum", *n.int_minimum);
      if (n.int_maximum) s.set("maximum", *n.int_maximum);
      break;
    case field_type::number:
      s.set("type", "number");
      if (n.minimum) s.set("minimum", *n.minimum);
      if (n.maximum) s.set("maximum", *n.maximum);
      break;
    case field_type::decimal: {
      json::value number = json::object{{"type", "number"}};
      if (n.minimum) number.set("minimum", *n.minimum);
      if (n.maximum) number.set("maximum", *n.maximum);
      // Strings can carry the scale in their pattern (trailing zeros do not count);
      // numbers cannot without multipleOf, which binary floating point defeats.
      std::string pattern = decimal_pattern;
      if (n.scale) {
        pattern = "^-?[0-9]+";
        pattern += *n.scale == 0 ? "(\\.0+)?$" : "(\\.([0-9]{1," + std::to_string(*n.scale) + "}0*|0+))?$";
      }
      s.set("anyOf", json::array{std::move(number), json::object{{"type", "string"}, {"pattern", pattern}}});
      if (n.precision) s.set("x-odoolink-precision", *n.precision);
      if (n.scale) s.set("x-odoolink-scale", *n.scale);
      break;
    }
    case field_type::boolean: s.set("type", "boolean"); break;
    case field_type::date:
      s.set("type", "string");
      s.set("format", "date");
      break;
    case field_type::datetime:
      s.set("type", "string");
      s.set("format", "date-time");
      break;
    case field_type::enumeration: {
      json::array values;
      for (const auto& v : n.values) values.emplace_back(v);
      s.set("type", "string");
      s.set("enum", std::move(values));
      break;
    }
    case field_type::array:
      s.set("type", "array");
      if (n.items) s.set("items", schema_of(*n.items));
      if (n.min_items) s.set("minItems", *n.min_items);
      if (n.max_items) s.set("maxItems", *n.max_items);
      break;
    case field_type::object: s = object_schema(n); break;
    case field_type::reference:
      if (n.by() == reference_by::id) {
        s.set("type", "integer");
        s.set("minimum", 1);
      } else if (n.by() == reference_by::name) {
        s.set("type", "string");
        s.set("minLength", 1);
      } else {
        s.set("type", "string");
        s.set("pattern", external_id_pattern);
        s.set("maxLength", 256);
      }
      s.set("x-odoolink-reference", n.reference);
      break;
  }
  if (n.nullable) {
    // A null alternative: `type` lists grow "null"; keyword-only schemas get an anyOf.
    if (const json::value* t = s.find("type"); t != nullptr && t->is_string()) {
      s.set("type", json::array{t->as_string(), "null"});
      if (json::value* e = s.find("enum")) e->as_array().emplace_back(nullptr);
    } else {
      json::value inner = s;
      s = json::object{{"anyOf", json::array{std::move(inner), json::object{{"type", "null"}}}}};
    }
  }
  if (!n.description.empty()) s.set("description", n.description);
  if (n.default_value) s.set("default", *n.default_value);
  if (n.deprecated) s.set("deprecated", true);
  if (n.pii) s.set("x-odoolink-pii", true);
  if (n.odoo.present) s.set("x-odoolink-odoo", mapping_annotation(n));
  return s;
}

}  // namespace

json::value to_json_schema(const contract& c, const json_schema_options& options) {
  json::value s = json::object{};
  s.set("$schema", "https://json-schema.org/draft/2020-12/schema");
  s.set("$id", options.id_prefix + std::string(c.subject()) + "/" + std::string(c.version()));
  s.set("title", std::string(c.subject()) + " " + std::string(c.version()));
  if (!c.description().empty()) s.set("description", std::string(c.description()));
  json::value root = object_schema(c.internals().root);
  for (auto& m : root.as_object()) s.set(m.first, std::move(m.second));
  s.set("x-odoolink-owner", std::string(c.owner()));
  s.set("x-odoolink-system-of-record", std::string(c.system_of_record()));
  s.set("x-odoolink-compatibility", to_string(c.compatibility()));
  if (!c.odoo_model().empty()) s.set("x-odoolink-odoo-model", std::string(c.odoo_model()));
  s.set("x-odoolink-fingerprint", std::string(c.fingerprint()));
  return s;
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
