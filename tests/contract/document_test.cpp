// Contract documents: loading, the problems reported (with JSON pointers),
// normalization, fingerprints, the C++ builder.
#include <doctest/doctest.h>

#include "contract_support.hpp"
#include "odoolink/contract/builder.hpp"
#include "odoolink/contract/contract.hpp"
#include "odoolink/json/writer.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::contract;

namespace {

std::string problems_of(const std::string& text) {
  auto c = contract::contract::parse(text);
  REQUIRE_FALSE_MESSAGE(c.has_value(), text);
  CHECK(c.error() == contract_errc::invalid_document);
  return c.error().message();
}

std::string with_fields(const std::string& fields) {
  return R"({"subject": "t", "version": "1.0.0", "owner": "o", "system_of_record": "s", "fields": )" + fields + "}";
}

}  // namespace

TEST_CASE("a complete document loads with its metadata") {
  const auto c = odoolink::test::shipped("sales_order");
  CHECK(c.subject() == "sales_order");
  CHECK(c.version() == "1.0.0");
  CHECK(c.semver() == semantic_version{1, 0, 0});
  CHECK(c.owner() == "sales-platform");
  CHECK(c.system_of_record() == "pos");
  CHECK(c.compatibility() == compatibility_mode::backward_transitive);
  CHECK(c.odoo_model() == "sale.order");
  CHECK_FALSE(c.has_pii());
  CHECK(odoolink::test::shipped("customer").has_pii());
  CHECK(c.fingerprint().size() == 64);
  CHECK(c.fingerprint().find_first_not_of("0123456789abcdef") == std::string_view::npos);
}

TEST_CASE("document problems are all reported - each with its JSON pointer") {
  SUBCASE("metadata") {
    const auto m = problems_of(R"({"subject": "Bad Subject", "version": "1.0", "owner": "", "fields": {}, "extra": 1,
                                   "compatibility": "SIDEWAYS", "odoo": {"model": "x y"}})");
    CHECK(m.find("/subject: expected lower-case") != std::string::npos);
    CHECK(m.find("/version: expected a semantic version") != std::string::npos);
    CHECK(m.find("/owner: must not be empty") != std::string::npos);
    CHECK(m.find("/system_of_record: missing") != std::string::npos);
    CHECK(m.find("/extra: unknown key") != std::string::npos);
    CHECK(m.find("/compatibility: expected one of") != std::string::npos);
    CHECK(m.find("/odoo/model: expected an Odoo model name") != std::string::npos);
    CHECK(m.find("/fields: an object needs at least one field") != std::string::npos);
  }
  SUBCASE("unknown keys and keys of another type") {
    const auto m = problems_of(with_fields(R"({"a": {"type": "integer", "max_length": 3, "colour": "red"}})"));
    CHECK(m.find("/fields/a/max_length: does not apply to a field of type integer") != std::string::npos);
    CHECK(m.find("/fields/a/colour: unknown key") != std::string::npos);
  }
  SUBCASE("bad value types") {
    const auto m = problems_of(with_fields(
        R"({"a": {"type": "string", "required": "yes", "max_length": -1, "pii": 1}, "b": {"type": 3}, "c": {"kind": "string"}})"));
    CHECK(m.find("/fields/a/required: expected true or false, found a string") != std::string::npos);
    CHECK(m.find("/fields/a/max_length: expected a non-negative integer") != std::string::npos);
    CHECK(m.find("/fields/a/pii: expected true or false") != std::string::npos);
    CHECK(m.find("/fields/b/type: expected a string, found an integer") != std::string::npos);
    CHECK(m.find("/fields/c/type: missing") != std::string::npos);
  }
  SUBCASE("inconsistent constraints") {
    const auto m = problems_of(with_fields(R"({
      "a": {"type": "string", "min_length": 5, "max_length": 2},
      "b": {"type": "integer", "minimum": 10, "maximum": 1},
      "c": {"type": "decimal", "precision": 4, "scale": 6},
      "d": {"type": "enum", "values": ["x", "x"]},
      "e": {"type": "enum", "values": []},
      "f": {"type": "string", "pattern": "([a-z"},
      "g": {"type": "string", "max_length": 3, "default": "toolong"},
      "h": {"type": "array", "min_items": 3, "max_items": 1, "items": {"type": "string"}},
      "i": {"type": "integer", "minimum": 1.5},
      "j": {"type": "string", "default": null},
      "k": {"type": "string", "format": "postcode"}
    })"));
    CHECK(m.find("/fields/a/min_length: is greater than max_length") != std::string::npos);
    CHECK(m.find("/fields/b/minimum: is greater than maximum") != std::string::npos);
    CHECK(m.find("/fields/c/scale: is greater than precision") != std::string::npos);
    CHECK(m.find("/fields/d/values/1: duplicate value \"x\"") != std::string::npos);
    CHECK(m.find("/fields/e/values: expected a non-empty array") != std::string::npos);
    CHECK(m.find("/fields/f/pattern: does not compile") != std::string::npos);
    CHECK(m.find("/fields/g/default: not a valid value of the field: must have at most 3 characters") != std::string::npos);
    CHECK(m.find("/fields/h/min_items: is greater than max_items") != std::string::npos);
    CHECK(m.find("/fields/i/minimum: expected an integer") != std::string::npos);
    CHECK(m.find("/fields/j/default: not a valid value of the field: null is not allowed") != std::string::npos);
    CHECK(m.find("/fields/k/format: unknown format \"postcode\"") != std::string::npos);
  }
  SUBCASE("duplicate keys at any level") {
    const auto m = problems_of(R"({"subject": "t", "subject": "u", "version": "1.0.0", "owner": "o", "system_of_record": "s",
                                   "fields": {"a": {"type": "string"}, "a": {"type": "integer", "type": "string"}}})");
    CHECK(m.find("/subject: duplicate key") != std::string::npos);
    CHECK(m.find("/fields/a: duplicate key") != std::string::npos);
  }
  SUBCASE("mappings") {
    const auto m = problems_of(R"({"subject": "t", "version": "1.0.0", "owner": "o", "system_of_record": "s",
      "odoo": {"model": "res.partner"},
      "fields": {
        "a": {"type": "reference", "contract": "x", "odoo": {"field": "partner_id"}},
        "b": {"type": "string", "odoo": {"field": "country_id.code"}},
        "c": {"type": "boolean", "odoo": {"field": "x", "by": "external_id", "relation": "res.users"}},
        "d": {"type": "array", "items": {"type": "string"}, "odoo": {"field": "category_id"}},
        "e": {"type": "string", "odoo": {"field": "x", "values": {"a": "b"}}},
        "f": {"type": "string", "odoo": {"field": "bad name!"}},
        "g": {"type": "string", "odoo": {"field": "x", "direction": "sideways", "colour": 1}},
        "h": {"type": "integer", "odoo": {"field": "id"}},
        "i": {"type": "string", "odoo": {"field": "id"}},
        "j": {"type": "string", "odoo": {"field": "id"}}
      }})");
    CHECK(m.find("/fields/a/odoo/relation: missing") != std::string::npos);
    CHECK(m.find("/fields/b/odoo/relation: missing") != std::string::npos);
    CHECK(m.find("/fields/c/odoo/by: \"external_id\" needs string, enum or reference values") != std::string::npos);
    CHECK(m.find("/fields/d/odoo: an array of string maps to an x2many field") != std::string::npos);
    CHECK(m.find("/fields/e/odoo/values: only enum fields map values") != std::string::npos);
    CHECK(m.find("/fields/f/odoo/field: expected an Odoo field name") != std::string::npos);
    CHECK(m.find("/fields/g/odoo/direction: expected both, read or write") != std::string::npos);
    CHECK(m.find("/fields/g/odoo/colour: unknown key") != std::string::npos);
    CHECK(m.find("/fields/h/odoo/field: the external id field (\"id\") must be a string") != std::string::npos);
  }
  SUBCASE("fallback fields") {
    const auto m = problems_of(R"({"subject": "t", "version": "1.0.0", "owner": "o", "system_of_record": "s",
      "odoo": {"model": "stock.move"},
      "fields": {
        "a": {"type": "number", "odoo": {"field": "quantity", "fallback": "quantity_done"}},
        "b": {"type": "string", "odoo": {"field": "location_id.name", "relation": "stock.location", "fallback": "x"}},
        "c": {"type": "string", "odoo": {"field": "id", "fallback": "name"}},
        "d": {"type": "number", "odoo": {"field": "quantity", "fallback": "quantity"}},
        "e": {"type": "number", "odoo": {"field": "quantity", "fallback": "bad name!"}},
        "f": {"type": "number", "odoo": {"field": "quantity", "fallback": 3}}
      }})");
    CHECK(m.find("/fields/a/") == std::string::npos);
    CHECK(m.find("/fields/b/odoo/fallback: only a field of the record itself") != std::string::npos);
    CHECK(m.find("/fields/c/odoo/fallback: only a field of the record itself") != std::string::npos);
    CHECK(m.find("/fields/d/odoo/fallback: the same field as \"field\"") != std::string::npos);
    CHECK(m.find("/fields/e/odoo/fallback: expected an Odoo field name") != std::string::npos);
    CHECK(m.find("/fields/f/odoo/fallback: expected a string") != std::string::npos);
  }
  SUBCASE("defaults from the record holding the lines") {
    const auto m = problems_of(R"({"subject": "t", "version": "1.0.0", "owner": "o", "system_of_record": "s",
      "odoo": {"model": "stock.picking"},
      "fields": {
        "top": {"type": "string", "default_from": "origin", "odoo": {"field": "origin"}},
        "origin": {"type": "string", "odoo": {"field": "origin"}},
        "count": {"type": "integer", "odoo": {"field": "priority"}},
        "lines": {"type": "array", "items": {"type": "object", "fields": {
          "a": {"type": "string", "default_from": "origin", "odoo": {"field": "reference"}},
          "b": {"type": "string", "default_from": "nowhere", "odoo": {"field": "origin"}},
          "c": {"type": "string", "default_from": "count", "odoo": {"field": "name"}},
          "d": {"type": "string", "default_from": "origin", "default": "x", "odoo": {"field": "description_picking"}}}},
          "odoo": {"field": "move_ids", "relation": "stock.move"}}
      }})");
    CHECK(m.find("/fields/top/default_from: only a field of one2many lines takes a default from the record holding them") !=
          std::string::npos);
    CHECK(m.find("/fields/lines/items/fields/a/") == std::string::npos);
    CHECK(m.find("/fields/lines/items/fields/b/default_from: the record holding the lines has no field \"nowhere\"") !=
          std::string::npos);
    CHECK(m.find("/fields/lines/items/fields/c/default_from: \"count\" is of another type") != std::string::npos);
    CHECK(m.find("/fields/lines/items/fields/d/default_from: a field has a default or a default_from, not both") !=
          std::string::npos);
  }
  SUBCASE("mapped fields need a model and records have one external id") {
    const auto m = problems_of(with_fields(R"({"a": {"type": "string", "odoo": {"field": "name"}}})"));
    CHECK(m.find("/odoo/model: fields map to Odoo fields but the contract names no Odoo model") != std::string::npos);
    const auto m2 = problems_of(R"({"subject": "t", "version": "1.0.0", "owner": "o", "system_of_record": "s",
      "odoo": {"model": "res.partner"},
      "fields": {"i": {"type": "string", "odoo": {"field": "id"}}, "j": {"type": "string", "odoo": {"field": "id"}}}})");
    CHECK(m2.find("/fields: more than one field maps to the external id") != std::string::npos);
  }
  SUBCASE("not JSON at all") {
    CHECK(problems_of("{\"subject\": ").find("invalid contract document") != std::string::npos);
    CHECK(problems_of("[]").find("expected a contract document (an object)") != std::string::npos);
  }
  SUBCASE("nesting deeper than 32 levels") {
    std::string spec = R"({"type": "string"})";
    for (int i = 0; i < 40; ++i) spec = R"({"type": "array", "items": )" + spec + "}";
    CHECK(problems_of(with_fields("{\"deep\": " + spec + "}")).find("nests deeper than 32 levels") != std::string::npos);
  }
}

TEST_CASE("the fingerprint ignores key order - whitespace and spelled-out defaults") {
  const auto a = odoolink::test::load(R"({"subject": "t", "version": "1.0.0", "owner": "o", "system_of_record": "s",
    "fields": {"n": {"type": "number", "minimum": 0, "required": false, "pii": false}, "s": {"type": "string"}}})");
  const auto b = odoolink::test::load(R"({"fields": {"n": {"minimum": 0.0, "type": "number"}, "s": {"type": "string",
    "nullable": false}}, "compatibility": "BACKWARD", "unknown_fields": "reject",
    "system_of_record": "s", "owner": "o", "version": "1.0.0", "subject": "t"})");
  CHECK(a.fingerprint() == b.fingerprint());
  CHECK(a == b);
  CHECK(a.canonical_json() ==
        R"({"fields":{"n":{"minimum":0.0,"type":"number"},"s":{"type":"string"}},"owner":"o","subject":"t","system_of_record":"s","version":"1.0.0"})");
  const auto c = odoolink::test::load(R"({"subject": "t", "version": "1.0.0", "owner": "o", "system_of_record": "s",
    "fields": {"n": {"type": "number", "minimum": 1}, "s": {"type": "string"}}})");
  CHECK(c.fingerprint() != a.fingerprint());
  // SHA-256 of the canonical text (computed independently with sha256sum).
  CHECK(a.fingerprint() == "001f569f0b4367ec8fe863f52847f5dd923ae356de3c5a94377610bdc1c95722");
}

TEST_CASE("the normalized document reloads to the same contract") {
  for (const auto& [subject, version] : std::vector<std::pair<std::string, std::string>>{
           {"customer", "1.0.0"}, {"customer", "1.1.0"}, {"product", "1.0.0"}, {"sales_order", "1.0.0"},
           {"stock_receipt", "1.0.0"}, {"stock_receipt", "1.1.0"}, {"invoice", "1.0.0"}}) {
    CAPTURE(subject);
    CAPTURE(version);
    const auto c = odoolink::test::shipped(subject, version);
    const auto again = odoolink::test::load(c.to_pretty_json());
    CHECK(again.fingerprint() == c.fingerprint());
    CHECK(again.to_json() == c.to_json());
  }
}

TEST_CASE("the builder writes the same document as a file") {
  auto built = contract_builder("customer", "1.0.0")
                   .owner("crm-team")
                   .system_of_record("odoo")
                   .description("A person or company we sell to, as every integration exchanges it.")
                   .compatibility(compatibility_mode::backward)
                   .odoo_model("res.partner")
                   .field(field_builder("customer_id", field_type::string)
                              .description("External id of the partner (module.name): the key every system uses.")
                              .maps_to("id"))
                   .field(field_builder("name", field_type::string).required().min_length(1).max_length(128).maps_to("name"))
                   .field(field_builder("kind", field_type::enumeration)
                              .values({"person", "company"})
                              .default_value("person")
                              .maps_to("company_type"))
                   .field(field_builder("email", field_type::string).format(string_format::email).max_length(254).pii().maps_to("email"))
                   .field(field_builder("phone", field_type::string).pattern("^\\+?[0-9 ().-]{4,32}$").pii().maps_to("phone"))
                   .field(field_builder("vat", field_type::string).max_length(32).description("Tax identification number.").maps_to("vat"))
                   .field(field_builder("reference", field_type::string).max_length(64).maps_to("ref"))
                   .field(field_builder("address", field_type::object)
                              .description("Postal address; its fields map onto the partner itself.")
                              .field(field_builder("street", field_type::string).max_length(128).pii().maps_to("street"))
                              .field(field_builder("street2", field_type::string).max_length(128).pii().maps_to("street2"))
                              .field(field_builder("zip", field_type::string).max_length(16).pii().maps_to("zip"))
                              .field(field_builder("city", field_type::string).max_length(64).maps_to("city"))
                              .field(field_builder("country", field_type::string)
                                         .format(string_format::country)
                                         .maps_to("country_id.code")
                                         .relation("res.country")))
                   .field(field_builder("website", field_type::string).format(string_format::uri).maps_to("website"))
                   .field(field_builder("tags", field_type::array)
                              .items(field_builder("", field_type::string).min_length(1))
                              .max_items(32)
                              .maps_to("category_id", reference_by::name)
                              .relation("res.partner.category"))
                   .field(field_builder("active", field_type::boolean).default_value(true).maps_to("active"))
                   .build();
  REQUIRE_MESSAGE(built.has_value(), odoolink::test::error_of(built).message());
  CHECK(built.value().fingerprint() == odoolink::test::shipped("customer").fingerprint());

  auto bad = contract_builder("t", "1.0.0")
                 .owner("o")
                 .system_of_record("s")
                 .field(field_builder("n", field_type::integer).max_length(3))
                 .field(field_builder("n", field_type::string))
                 .build();
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message().find("/fields/n/max_length: does not apply to a field of type integer") != std::string::npos);
  CHECK(bad.error().message().find("/fields/n: duplicate key") != std::string::npos);
}

TEST_CASE("semantic versions parse strictly and order numerically") {
  CHECK(semantic_version::parse("1.2.3") == semantic_version{1, 2, 3});
  CHECK(semantic_version::parse("10.0.0") > semantic_version::parse("9.9.9"));
  for (const char* bad : {"1.2", "1.2.3.4", "01.2.3", "1.2.x", "", "v1.2.3", "1.2.3-rc1", "-1.2.3"}) {
    CAPTURE(bad);
    CHECK_FALSE(semantic_version::parse(bad).has_value());
  }
  CHECK(semantic_version{1, 2, 3}.to_string() == "1.2.3");
}
