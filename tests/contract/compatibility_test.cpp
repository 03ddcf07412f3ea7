// Compatibility: a table of changes with the verdict under each mode.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "contract_support.hpp"
#include "odoolink/contract/compatibility.hpp"
#include "odoolink/contract/registry.hpp"

using namespace odoolink;
using namespace odoolink::contract;
using odoolink::test::erase;
using odoolink::test::spec;

namespace {

const char* const base_document = R"({
  "subject": "t", "version": "1.0.0", "owner": "o", "system_of_record": "s",
  "odoo": {"model": "res.partner"},
  "fields": {
    "name": {"type": "string", "required": true, "max_length": 64, "odoo": {"field": "name"}},
    "code": {"type": "string", "min_length": 2, "max_length": 10, "pattern": "^[A-Z]+$"},
    "email": {"type": "string", "format": "email", "pii": true, "odoo": {"field": "email"}},
    "age": {"type": "integer", "minimum": 0, "maximum": 150},
    "score": {"type": "number", "minimum": 0},
    "amount": {"type": "decimal", "precision": 10, "scale": 2},
    "kind": {"type": "enum", "values": ["a", "b", "c"], "odoo": {"field": "company_type", "values": {"a": "person"}}},
    "note": {"type": "string", "nullable": true},
    "born": {"type": "date"},
    "seen": {"type": "datetime"},
    "active": {"type": "boolean", "default": true},
    "tags": {"type": "array", "items": {"type": "string"}, "max_items": 5},
    "lines": {"type": "array", "items": {"type": "object", "fields": {
      "qty": {"type": "integer", "required": true},
      "sku": {"type": "string"}}}},
    "parent": {"type": "reference", "contract": "t", "odoo": {"field": "parent_id", "relation": "res.partner"}},
    "count": {"type": "integer"},
    "grade": {"type": "enum", "values": ["x", "y"]}
  }
})";

using mutation = std::function<void(json::value&)>;
using kinds = std::set<change_kind>;

struct change_case {
  const char* name;
  mutation old_doc;  // applied to the base to make version A (may be empty)
  mutation new_doc;  // applied to the base to make version B
  kinds backward;
  kinds forward;
};

const mutation same = [](json::value&) {};

json::value make(const mutation& m, const char* version) {
  json::value doc = odoolink::test::parse_json(base_document);
  if (m) m(doc);
  doc.set("version", version);
  return doc;
}

kinds kinds_of(const std::vector<breaking_change>& changes) {
  kinds out;
  for (const auto& c : changes) out.insert(c.kind);
  return out;
}

std::string names(const kinds& k) {
  std::string out;
  for (const auto c : k) out += std::string(out.empty() ? "" : ", ") + std::string(to_string(c));
  return out.empty() ? "(compatible)" : out;
}

using ck = change_kind;

const std::vector<change_case>& cases() {
  static const std::vector<change_case> table = {
      {"identical documents", same, same, {}, {}},
      {"contract description changed", same, [](json::value& d) { d.set("description", "new words"); }, {}, {}},
      {"field description changed", same, [](json::value& d) { spec(d, "age").set("description", "years"); }, {}, {}},
      {"field marked deprecated", same, [](json::value& d) { spec(d, "age").set("deprecated", true); }, {}, {}},
      {"optional field added", same,
       [](json::value& d) { d.find("fields")->set("nickname", json::object{{"type", "string"}}); }, {}, {ck::field_added}},
      {"required field added without default", same,
       [](json::value& d) { d.find("fields")->set("vat", json::object{{"type", "string"}, {"required", true}}); },
       {ck::required_field_added}, {ck::field_added}},
      {"required field added with default", same,
       [](json::value& d) {
         d.find("fields")->set("lang", json::object{{"type", "string"}, {"required", true}, {"default", "en_US"}});
       },
       {}, {ck::field_added}},
      {"optional field removed", same, [](json::value& d) { erase(*d.find("fields"), "score"); }, {ck::field_removed}, {}},
      {"required field removed", same, [](json::value& d) { erase(*d.find("fields"), "name"); }, {ck::field_removed},
       {ck::field_removed}},
      {"optional field made required", same, [](json::value& d) { spec(d, "count").set("required", true); }, {ck::made_required},
       {}},
      {"required field made optional", same, [](json::value& d) { spec(d, "name").set("required", false); }, {},
       {ck::made_optional}},
      {"optional field made required with a default", same,
       [](json::value& d) {
         spec(d, "count").set("required", true);
         spec(d, "count").set("default", 0);
       },
       {ck::default_changed}, {ck::default_changed}},
      {"integer widened to number", same, [](json::value& d) { spec(d, "count").set("type", "number"); }, {},
       {ck::type_widened}},
      {"integer widened to decimal", same, [](json::value& d) { spec(d, "count").set("type", "decimal"); }, {},
       {ck::type_widened}},
      {"number narrowed to integer", same, [](json::value& d) { spec(d, "score").set("type", "integer"); },
       {ck::type_narrowed}, {}},
      {"string changed to integer", same,
       [](json::value& d) {
         spec(d, "code") = json::object{{"type", "integer"}};
       },
       {ck::type_changed}, {ck::type_changed}},
      {"enum widened to string", same, [](json::value& d) { spec(d, "grade") = json::object{{"type", "string"}}; }, {},
       {ck::type_widened}},
      {"string narrowed to enum", same,
       [](json::value& d) { spec(d, "code") = json::object{{"type", "enum"}, {"values", json::array{"AB", "CD"}}}; },
       {ck::type_narrowed}, {}},
      {"string narrowed to an enum whose values break the old pattern", same,
       [](json::value& d) { spec(d, "code") = json::object{{"type", "enum"}, {"values", json::array{"AB", "cd"}}}; },
       {ck::type_narrowed}, {ck::constraint_loosened}},
      {"date widened to string", same, [](json::value& d) { spec(d, "born").set("type", "string"); }, {}, {ck::type_widened}},
      {"datetime changed to date", same, [](json::value& d) { spec(d, "seen").set("type", "date"); }, {ck::type_changed},
       {ck::type_changed}},
      {"enum value removed", same,
       [](json::value& d) { spec(d, "kind").set("values", json::array{"a", "b"}); }, {ck::enum_value_removed}, {}},
      {"enum value added", same,
       [](json::value& d) { spec(d, "kind").set("values", json::array{"a", "b", "c", "d"}); }, {}, {ck::enum_value_added}},
      {"max_length lowered", same, [](json::value& d) { spec(d, "name").set("max_length", 32); }, {ck::constraint_tightened},
       {}},
      {"max_length raised", same, [](json::value& d) { spec(d, "name").set("max_length", 128); }, {},
       {ck::constraint_loosened}},
      {"min_length raised", same, [](json::value& d) { spec(d, "code").set("min_length", 3); }, {ck::constraint_tightened},
       {}},
      {"pattern changed", same, [](json::value& d) { spec(d, "code").set("pattern", "^[A-Z0-9]+$"); },
       {ck::constraint_tightened}, {ck::constraint_loosened}},
      {"pattern removed", same, [](json::value& d) { erase(spec(d, "code"), "pattern"); }, {}, {ck::constraint_loosened}},
      {"format added", same, [](json::value& d) { spec(d, "name").set("format", "email"); }, {ck::constraint_tightened}, {}},
      {"minimum raised", same, [](json::value& d) { spec(d, "age").set("minimum", 18); }, {ck::constraint_tightened}, {}},
      {"maximum removed", same, [](json::value& d) { erase(spec(d, "age"), "maximum"); }, {}, {ck::constraint_loosened}},
      {"decimal scale lowered", same, [](json::value& d) { spec(d, "amount").set("scale", 1); }, {ck::constraint_tightened},
       {}},
      {"decimal precision raised", same, [](json::value& d) { spec(d, "amount").set("precision", 12); }, {},
       {ck::constraint_loosened}},
      {"nullable removed", same, [](json::value& d) { erase(spec(d, "note"), "nullable"); }, {ck::nullable_removed}, {}},
      {"nullable added", same, [](json::value& d) { spec(d, "name").set("nullable", true); }, {}, {ck::nullable_added}},
      {"array max_items lowered", same, [](json::value& d) { spec(d, "tags").set("max_items", 3); },
       {ck::constraint_tightened}, {}},
      {"array items narrowed to enum", same,
       [](json::value& d) { spec(d, "tags").set("items", json::object{{"type", "enum"}, {"values", json::array{"x"}}}); },
       {ck::type_narrowed}, {}},
      {"nested field removed", same, [](json::value& d) { erase(*spec(d, "lines/items").find("fields"), "sku"); },
       {ck::field_removed}, {}},
      {"nested required field added", same,
       [](json::value& d) {
         spec(d, "lines/items").find("fields")->set("price", json::object{{"type", "number"}, {"required", true}});
       },
       {ck::required_field_added}, {ck::field_added}},
      {"nested type changed", same,
       [](json::value& d) { spec(d, "lines/items/fields/qty").set("type", "string"); }, {ck::type_changed},
       {ck::type_changed}},
      {"reference target changed", same, [](json::value& d) { spec(d, "parent").set("contract", "u"); },
       {ck::type_changed}, {ck::type_changed}},
      {"reference given by id instead of external id", same,
       [](json::value& d) { spec(d, "parent").find("odoo")->set("by", "id"); }, {ck::type_changed, ck::mapping_changed},
       {ck::type_changed, ck::mapping_changed}},
      {"mapping moved to another Odoo field", same,
       [](json::value& d) { spec(d, "name").find("odoo")->set("field", "display_name"); }, {ck::mapping_changed},
       {ck::mapping_changed}},
      {"mapping added", same,
       [](json::value& d) { spec(d, "score").set("odoo", json::object{{"field", "credit_limit"}}); }, {ck::mapping_changed},
       {ck::mapping_changed}},
      {"enum value map changed", same,
       [](json::value& d) { spec(d, "kind").find("odoo")->set("values", json::object{{"a", "company"}}); },
       {ck::mapping_changed}, {ck::mapping_changed}},
      {"Odoo model changed", same, [](json::value& d) { d.set("odoo", json::object{{"model", "res.users"}}); },
       {ck::mapping_changed}, {ck::mapping_changed}},
      {"default changed", same, [](json::value& d) { spec(d, "active").set("default", false); }, {ck::default_changed},
       {ck::default_changed}},
      {"pii flag removed", same, [](json::value& d) { erase(spec(d, "email"), "pii"); }, {ck::pii_unflagged},
       {ck::pii_unflagged}},
      {"pii flag added", same, [](json::value& d) { spec(d, "code").set("pii", true); }, {}, {}},
      {"unknown fields now ignored", same, [](json::value& d) { d.set("unknown_fields", "ignore"); }, {},
       {ck::unknown_fields_ignored}},
      {"unknown fields now rejected", [](json::value& d) { d.set("unknown_fields", "ignore"); }, same,
       {ck::unknown_fields_rejected}, {}},
      {"field removed while unknown fields are ignored", [](json::value& d) { d.set("unknown_fields", "ignore"); },
       [](json::value& d) {
         d.set("unknown_fields", "ignore");
         erase(*d.find("fields"), "score");
       },
       {}, {}},
      {"field added while the old version ignores unknown fields", [](json::value& d) { d.set("unknown_fields", "ignore"); },
       [](json::value& d) {
         d.set("unknown_fields", "ignore");
         d.find("fields")->set("nickname", json::object{{"type", "string"}});
       },
       {}, {}},
      {"subject changed", same, [](json::value& d) { d.set("subject", "other"); }, {ck::subject_changed},
       {ck::subject_changed}},
  };
  return table;
}

}  // namespace

TEST_CASE("compatibility table: every change under BACKWARD - FORWARD - FULL - their transitive forms and NONE") {
  REQUIRE(cases().size() >= 40);
  int checked = 0;
  for (const auto& c : cases()) {
    CAPTURE(c.name);
    const auto older = odoolink::test::load_doc(make(c.old_doc, "1.0.0"));
    const auto newer = odoolink::test::load_doc(make(c.new_doc, "1.1.0"));
    kinds full = c.backward;
    full.insert(c.forward.begin(), c.forward.end());
    const std::pair<compatibility_mode, const kinds*> expectations[] = {
        {compatibility_mode::backward, &c.backward},  {compatibility_mode::backward_transitive, &c.backward},
        {compatibility_mode::forward, &c.forward},    {compatibility_mode::forward_transitive, &c.forward},
        {compatibility_mode::full, &full},            {compatibility_mode::full_transitive, &full},
    };
    for (const auto& [mode, expected] : expectations) {
      CAPTURE(to_string(mode));
      const auto changes = check_compatibility(older, newer, mode);
      CHECK_MESSAGE(names(kinds_of(changes)) == names(*expected), describe(changes));
      for (const auto& ch : changes) {
        CHECK(ch.against == "1.0.0");
        CHECK_FALSE(ch.message.empty());
      }
      ++checked;
    }
    CHECK(check_compatibility(older, newer, compatibility_mode::none).empty());
  }
  CHECK(checked == static_cast<int>(cases().size()) * 6);
}

TEST_CASE("breaking changes name the field path - nested ones included") {
  const auto older = odoolink::test::load_doc(make(same, "1.0.0"));
  const auto newer = odoolink::test::load_doc(make(
      [](json::value& d) {
        erase(*spec(d, "lines/items").find("fields"), "sku");
        spec(d, "tags").set("items", json::object{{"type", "integer"}});
        erase(*d.find("fields"), "score");
      },
      "2.0.0"));
  const auto changes = check_compatibility(older, newer, compatibility_mode::backward);
  std::set<std::string> paths;
  for (const auto& c : changes) paths.insert(c.path);
  CHECK(paths == std::set<std::string>{"lines[].sku", "tags[]", "score"});
  CHECK(describe(changes).find("field_removed lines[].sku") != std::string::npos);
}

TEST_CASE("adding a fallback field keeps a mapping compatible - changing or dropping one does not") {
  // stock_receipt 1.1.0 adds quantity_done (Odoo 16) as its line quantity's fallback, and line locations.
  CHECK(check_compatibility(odoolink::test::shipped("stock_receipt", "1.0.0"), odoolink::test::shipped("stock_receipt", "1.1.0"),
                            compatibility_mode::backward)
            .empty());
  const auto version = [](const char* v, const char* odoo) {
    return odoolink::test::load(std::string(R"({"subject": "t", "version": ")") + v +
                                R"(", "owner": "o", "system_of_record": "s", "odoo": {"model": "stock.move"},
      "fields": {"received": {"type": "number", "odoo": )" + odoo + "}}}");
  };
  const auto plain = version("1.0.0", R"({"field": "quantity"})");
  const auto with = version("1.1.0", R"({"field": "quantity", "fallback": "quantity_done"})");
  const auto moved = version("1.2.0", R"({"field": "quantity", "fallback": "product_qty"})");
  CHECK(check_compatibility(plain, with, compatibility_mode::full).empty());
  // Dropping it again, or pointing it elsewhere, moves where values land on 16.
  const auto dropped = check_compatibility(with, plain, compatibility_mode::backward);
  REQUIRE(dropped.size() == 1);
  CHECK(dropped[0].kind == change_kind::mapping_changed);
  CHECK(dropped[0].path == "received");
  CHECK(dropped[0].message == "Odoo mapping changed (quantity (else quantity_done) → quantity)");
  const auto changed = check_compatibility(with, moved, compatibility_mode::backward);
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].kind == change_kind::mapping_changed);
}

TEST_CASE("a line field's default_from changes like a default") {
  const auto version = [](const char* v, const char* line_extra) {
    return odoolink::test::load(std::string(R"({"subject": "t", "version": ")") + v +
                                R"(", "owner": "o", "system_of_record": "s", "odoo": {"model": "stock.picking"},
      "fields": {"from": {"type": "string", "odoo": {"field": "origin"}},
                 "to": {"type": "string", "odoo": {"field": "note"}},
                 "lines": {"type": "array", "items": {"type": "object", "fields": {
                   "where": {"type": "string")" + line_extra + R"(, "odoo": {"field": "reference"}}}},
                   "odoo": {"field": "move_ids", "relation": "stock.move"}}}})");
  };
  const auto none = version("1.0.0", "");
  const auto from = version("1.1.0", R"(, "default_from": "from")");
  const auto to = version("1.2.0", R"(, "default_from": "to")");
  const auto given = check_compatibility(none, from, compatibility_mode::backward);
  REQUIRE(given.size() == 1);
  CHECK(given[0].kind == change_kind::default_changed);
  CHECK(given[0].path == "lines[].where");
  CHECK(given[0].message == "default changed from none to the holding record's from: absent values change meaning");
  CHECK(check_compatibility(from, to, compatibility_mode::backward).size() == 1);
}

TEST_CASE("FULL reports a change that breaks both directions once") {
  const auto older = odoolink::test::load_doc(make(same, "1.0.0"));
  const auto newer = odoolink::test::load_doc(make([](json::value& d) { erase(*d.find("fields"), "name"); }, "1.1.0"));
  const auto changes = check_compatibility(older, newer, compatibility_mode::full);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == change_kind::field_removed);
  CHECK(changes[0].path == "name");
}

namespace {
// v1 has x as a string; v2 drops it (unknown keys ignored); v3 brings x back
// as an integer. Each step is backward compatible, v1 to v3 is not: a v1
// payload with x = "a" passes v2 and fails v3.
std::vector<contract::contract> transitive_history() {
  const auto doc = [](const char* version, const char* x_type) {
    json::value d = odoolink::test::parse_json(R"({"subject": "h", "version": "0.0.0", "owner": "o", "system_of_record": "s",
      "unknown_fields": "ignore", "fields": {"name": {"type": "string", "required": true}}})");
    d.set("version", version);
    if (x_type != nullptr) d.find("fields")->set("x", json::object{{"type", x_type}});
    return odoolink::test::load_doc(d);
  };
  return {doc("1.0.0", "string"), doc("2.0.0", nullptr), doc("3.0.0", "integer")};
}
}  // namespace

TEST_CASE("transitive modes compare with every earlier version") {
  const auto h = transitive_history();
  const std::span<const contract::contract> first_two(h.data(), 2);
  CHECK(check_compatibility(first_two, h[2], compatibility_mode::backward).empty());
  const auto changes = check_compatibility(first_two, h[2], compatibility_mode::backward_transitive);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == change_kind::type_changed);
  CHECK(changes[0].path == "x");
  CHECK(changes[0].against == "1.0.0");
  CHECK(check_compatibility(first_two, h[2], compatibility_mode::forward_transitive).size() == 1);
  CHECK(check_compatibility(first_two, h[2], compatibility_mode::none).empty());
  CHECK(check_compatibility(std::span<const contract::contract>(), h[2], compatibility_mode::full_transitive).empty());

  registry plain;
  plain.set_mode("h", compatibility_mode::backward);
  for (const auto& c : h) CHECK(plain.add(c).has_value());
  registry strict;
  strict.set_mode("h", compatibility_mode::backward_transitive);
  CHECK(strict.add(h[0]).has_value());
  CHECK(strict.add(h[1]).has_value());
  const auto refused = strict.add(h[2]);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == contract_errc::incompatible);
  CHECK(refused.error().message().find("type_changed x") != std::string::npos);
  CHECK(strict.versions("h") == std::vector<std::string>{"1.0.0", "2.0.0"});
}
