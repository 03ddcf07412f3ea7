#include "odoolink/contract/builder.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

field_builder::field_builder(std::string name, field_type type) : name_(std::move(name)), spec_(json::object{}) {
  spec_.set("type", to_string(type));
}

field_builder& field_builder::required(bool on) { spec_.set("required", on); return *this; }
field_builder& field_builder::nullable(bool on) { spec_.set("nullable", on); return *this; }
field_builder& field_builder::pii(bool on) { spec_.set("pii", on); return *this; }
field_builder& field_builder::deprecated(bool on) { spec_.set("deprecated", on); return *this; }
field_builder& field_builder::description(std::string text) { spec_.set("description", std::move(text)); return *this; }
field_builder& field_builder::default_value(json::value v) { spec_.set("default", std::move(v)); return *this; }
field_builder& field_builder::min_length(std::int64_t n) { spec_.set("min_length", n); return *this; }
field_builder& field_builder::max_length(std::int64_t n) { spec_.set("max_length", n); return *this; }
field_builder& field_builder::pattern(std::string ecmascript) { spec_.set("pattern", std::move(ecmascript)); return *this; }
field_builder& field_builder::format(string_format f) { spec_.set("format", to_string(f)); return *this; }
field_builder& field_builder::minimum(json::value bound) { spec_.set("minimum", std::move(bound)); return *this; }
field_builder& field_builder::maximum(json::value bound) { spec_.set("maximum", std::move(bound)); return *this; }
field_builder& field_builder::precision(std::int64_t digits) { spec_.set("precision", digits); return *this; }
field_builder& field_builder::scale(std::int64_t digits) { spec_.set("scale", digits); return *this; }
field_builder& field_builder::min_items(std::int64_t n) { spec_.set("min_items", n); return *this; }
field_builder& field_builder::max_items(std::int64_t n) { spec_.set("max_items", n); return *this; }
field_builder& field_builder::unknown(unknown_fields u) { spec_.set("unknown_fields", to_string(u)); return *this; }
field_builder& field_builder::references(std::string subject) { spec_.set("contract", std::move(subject)); return *this; }

field_builder& field_builder::values(std::vector<std::string> v) {
  json::array out;
  for (auto& s : v) out.emplace_back(std::move(s));
  spec_.set("values", std::move(out));
  return *this;
}

field_builder& field_builder::items(const field_builder& item) {
  spec_.set("items", item.spec_);
  return *this;
}

field_builder& field_builder::field(const field_builder& f) {
  json::value* fields = spec_.find("fields");
  if (fields == nullptr) fields = &spec_.set("fields", json::object{});
  fields->as_object().emplace_back(f.name_, f.spec_);
  return *this;
}

json::value& field_builder::odoo() {
  if (json::value* m = spec_.find("odoo")) return *m;
  return spec_.set("odoo", json::object{});
}

field_builder& field_builder::maps_to(std::string odoo_field, reference_by by) {
  odoo().set("field", std::move(odoo_field));
  if (by != reference_by::value) odoo().set("by", to_string(by));
  return *this;
}
field_builder& field_builder::relation(std::string model) { odoo().set("relation", std::move(model)); return *this; }
field_builder& field_builder::direction(mapping_direction d) { odoo().set("direction", to_string(d)); return *this; }
field_builder& field_builder::server_default(bool on) { odoo().set("server_default", on); return *this; }
field_builder& field_builder::value_map(std::string contract_value, std::string odoo_value) {
  json::value* values = odoo().find("values");
  if (values == nullptr) values = &odoo().set("values", json::object{});
  values->as_object().emplace_back(std::move(contract_value), std::move(odoo_value));
  return *this;
}

contract_builder::contract_builder(std::string subject, std::string version) : doc_(json::object{}) {
  doc_.set("subject", std::move(subject));
  doc_.set("version", std::move(version));
}

contract_builder& contract_builder::owner(std::string who) { doc_.set("owner", std::move(who)); return *this; }
contract_builder& contract_builder::system_of_record(std::string system) { doc_.set("system_of_record", std::move(system)); return *this; }
contract_builder& contract_builder::description(std::string text) { doc_.set("description", std::move(text)); return *this; }
contract_builder& contract_builder::compatibility(compatibility_mode mode) { doc_.set("compatibility", to_string(mode)); return *this; }
contract_builder& contract_builder::unknown(unknown_fields u) { doc_.set("unknown_fields", to_string(u)); return *this; }
contract_builder& contract_builder::odoo_model(std::string model) {
  doc_.set("odoo", json::object{{"model", std::move(model)}});
  return *this;
}

contract_builder& contract_builder::field(const field_builder& f) {
  json::value* fields = doc_.find("fields");
  if (fields == nullptr) fields = &doc_.set("fields", json::object{});
  // Appended even when the name repeats, so build() reports the duplicate.
  fields->as_object().emplace_back(f.name(), f.to_json());
  return *this;
}

result<contract> contract_builder::build() const { return contract::from_json(doc_); }

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
