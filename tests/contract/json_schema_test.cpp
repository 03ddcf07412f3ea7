// JSON Schema (2020-12) export.
#include <doctest/doctest.h>

#include "contract_support.hpp"
#include "odoolink/contract/json_schema.hpp"
#include "odoolink/json/writer.hpp"

using namespace odoolink;
using namespace odoolink::contract;

TEST_CASE("the customer contract as JSON Schema") {
  const auto customer = odoolink::test::shipped("customer");
  const json::value s = to_json_schema(customer);
  CHECK(*s.find("$schema") == json::value("https://json-schema.org/draft/2020-12/schema"));
  CHECK(*s.find("$id") == json::value("urn:odoolink:contract:customer/1.0.0"));
  CHECK(*s.find("type") == json::value("object"));
  CHECK(*s.find("additionalProperties") == json::value(false));
  CHECK(*s.find("required") == json::value(json::array{"name"}));
  CHECK(*s.find("x-odoolink-fingerprint") == json::value(std::string(customer.fingerprint())));
  const json::value& props = *s.find("properties");
  CHECK(json::to_string(*props.find("name")) ==
        R"({"type": "string", "minLength": 1, "maxLength": 128, "x-odoolink-odoo": {"field": "name"}})");
  CHECK(json::to_string(*props.find("email")) ==
        R"({"type": "string", "maxLength": 254, "format": "email", "x-odoolink-pii": true, "x-odoolink-odoo": {"field": "email"}})");
  CHECK(json::to_string(*props.find("kind")) ==
        R"({"type": "string", "enum": ["person", "company"], "default": "person", "x-odoolink-odoo": {"field": "company_type"}})");
  const json::value& address = *props.find("address");
  CHECK(*address.find("type") == json::value("object"));
  const json::value& country = *address.find("properties")->find("country");
  CHECK(country.find("enum")->as_array().size() == 249);
  CHECK(*country.find("x-odoolink-odoo") == json::value(json::object{{"field", "country_id.code"}, {"relation", "res.country"}}));
  CHECK(json::to_string(*props.find("tags")) ==
        R"({"type": "array", "items": {"type": "string", "minLength": 1}, "maxItems": 32, "x-odoolink-odoo": {"field": "category_id", "by": "name", "relation": "res.partner.category"}})");
}

TEST_CASE("types - nullability and references in JSON Schema") {
  const auto c = odoolink::test::load(R"({"subject": "t", "version": "2.1.0", "owner": "o", "system_of_record": "s",
    "unknown_fields": "ignore", "odoo": {"model": "res.partner"},
    "fields": {
      "d": {"type": "decimal", "precision": 8, "scale": 2, "minimum": 0, "nullable": true},
      "e": {"type": "enum", "values": ["a"], "nullable": true},
      "at": {"type": "datetime", "required": true, "description": "when"},
      "day": {"type": "date", "deprecated": true},
      "r": {"type": "reference", "contract": "customer", "odoo": {"field": "parent_id", "relation": "res.partner"}},
      "rid": {"type": "reference", "contract": "customer", "odoo": {"field": "user_id", "by": "id", "relation": "res.users"}},
      "i": {"type": "integer", "minimum": 1, "maximum": 9, "default": 3}
    }})");
  const json::value s = to_json_schema(c, json_schema_options{.id_prefix = "https://schemas.example.com/"});
  CHECK(*s.find("$id") == json::value("https://schemas.example.com/t/2.1.0"));
  CHECK(*s.find("additionalProperties") == json::value(true));
  CHECK(*s.find("required") == json::value(json::array{"at"}));
  const json::value& p = *s.find("properties");
  CHECK(json::to_string(*p.find("d")) ==
        R"({"anyOf": [{"anyOf": [{"type": "number", "minimum": 0.0}, {"type": "string", "pattern": "^-?[0-9]+(\\.([0-9]{1,2}0*|0+))?$"}], "x-odoolink-precision": 8, "x-odoolink-scale": 2}, {"type": "null"}]})");
  CHECK(json::to_string(*p.find("e")) == R"({"type": ["string", "null"], "enum": ["a", null]})");
  CHECK(json::to_string(*p.find("at")) == R"({"type": "string", "format": "date-time", "description": "when"})");
  CHECK(json::to_string(*p.find("day")) == R"({"type": "string", "format": "date", "deprecated": true})");
  CHECK(p.find("r")->find("pattern") != nullptr);
  CHECK(*p.find("r")->find("x-odoolink-reference") == json::value("customer"));
  CHECK(*p.find("rid")->find("type") == json::value("integer"));
  CHECK(json::to_string(*p.find("i")) == R"({"type": "integer", "minimum": 1, "maximum": 9, "default": 3})");
}
