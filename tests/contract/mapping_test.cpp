// Mapping payloads onto Odoo (create/write vals, load rows) and back from
// Odoo records, checked against recorded Odoo 18 exchanges.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>

#include "contract_support.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/contract/serializer.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/call.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::contract;
using odoolink::test::parse_json;

namespace {

// The order recorded in jsonrpc/load_o2m_with_line_ids_first.json, as a payload.
const char* const recorded_order = R"({
  "customer": "odoolink_fixture.cust_pos1",
  "order_ref": "POS-2",
  "lines": [
    {"line_id": "odoolink_fixture.sol_2_1", "product": "odoolink_fixture.prod_pos1", "quantity": 2, "price_unit": 9.5},
    {"line_id": "odoolink_fixture.sol_2_2", "product": "odoolink_fixture.prod_pos1", "quantity": 1, "price_unit": 3}
  ]})";

json::value recorded(const std::string& file) {
  const auto exchange = parse_json(odoolink::test::read_text(odoolink::test::fixtures() / "odoo18" / "jsonrpc" / file));
  return *exchange.find("request_body");
}

// Resolves external ids and names from a table, like a host's cache would.
// What a resolver was asked (the query's views live only during the call).
struct asked {
  std::string model;
  reference_by by;
  std::string field;
};

reference_resolver table_resolver(std::vector<asked>* seen = nullptr) {
  return [seen](const reference_query& q) -> result<std::int64_t> {
    if (seen != nullptr) seen->push_back({std::string(q.model), q.by, std::string(q.field)});
    static const std::map<std::string, std::int64_t> ids = {
        {"res.partner:odoolink_fixture.cust_pos1", 2570}, {"product.product:odoolink_fixture.prod_pos1", 92},
        {"res.country:BE", 20},                           {"res.partner.category:VIP", 7},
        {"res.partner.category:Retail", 6},
    };
    const auto it = ids.find(std::string(q.model) + ":" + q.value->as_string());
    if (it == ids.end()) return error(contract_errc::violation, "unknown " + std::string(q.model) + " " + q.value->as_string());
    return it->second;
  };
}

}  // namespace

TEST_CASE("a sales order with lines maps to exactly the recorded idempotent load call") {
  const auto order = odoolink::test::shipped("sales_order");
  auto rows = to_load_row(order, parse_json(recorded_order), "odoolink_fixture.so_lineids");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).message());
  CHECK(rows.value().fields == std::vector<std::string>{"id", "partner_id/id", "client_order_ref", "order_line/id",
                                                        "order_line/product_id/id", "order_line/product_uom_qty",
                                                        "order_line/price_unit"});
  CHECK_FALSE(rows.value().utc_datetimes);
  auto call = to_load_call(order, rows.value());
  REQUIRE(call.has_value());

  // The whole execute_kw argument list equals the recorded request's.
  const json::value request = parse_json(recorded("load_o2m_with_line_ids_first.json").as_string());
  const json::value& recorded_args = *request.find("params")->find("args");
  const json::value ours = protocol::execute_kw_args(call.value(), protocol::credentials{"odoolink", 2, "admin"});
  CHECK(json::to_string(ours) == json::to_string(recorded_args));
  CHECK(ours == recorded_args);
}

TEST_CASE("load rows: external ids of lines - derived ids - defaults - date-times") {
  const auto order = odoolink::test::shipped("sales_order");
  auto payload = parse_json(R"({"order_id": "pos.o1", "customer": "pos.c1", "order_ref": "R1",
    "ordered_at": "2026-11-22T08:41:07+02:00", "note": null,
    "lines": [{"product": "pos.p1", "quantity": 1.5, "price_unit": "2.40", "discount_percent": 10},
              {"product": "pos.p2", "quantity": 3}],
    "status": "confirmed", "amount_total": 99.0})");
  auto rows = to_load_row(order, payload, "");  // the external id comes from order_id
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).message());
  CHECK(rows.value().fields == std::vector<std::string>{"id", "partner_id/id", "client_order_ref", "date_order", "note",
                                                        "order_line/id", "order_line/product_id/id",
                                                        "order_line/product_uom_qty", "order_line/price_unit",
                                                        "order_line/discount"});
  REQUIRE(rows.value().rows.size() == 2);
  CHECK(rows.value().rows[0] == std::vector<std::string>{"pos.o1", "pos.c1", "R1", "2026-11-22 06:41:07", "",
                                                         "pos.o1_order_line_1", "pos.p1", "1.5", "2.40", "10"});
  CHECK(rows.value().rows[1] ==
        std::vector<std::string>{"", "", "", "", "", "pos.o1_order_line_2", "pos.p2", "3", "", ""});
  CHECK(rows.value().utc_datetimes);
  auto call = to_load_call(order, rows.value());
  REQUIRE(call.has_value());
  CHECK(call.value().context == json::value(json::object{{"tz", "UTC"}}));
  // Read-only fields (status, amount_total) are never written.
  for (const auto& f : rows.value().fields) CHECK(f.find("state") == std::string::npos);

  // Rows of records with the same columns share a call; others do not.
  auto again = to_load_row(order, payload, "pos.o2");
  REQUIRE(again.has_value());
  load_rows batch;
  REQUIRE(batch.append(rows.value()).has_value());
  REQUIRE(batch.append(again.value()).has_value());
  CHECK(batch.rows.size() == 4);
  auto other = to_load_row(order, parse_json(recorded_order), "x.y");
  REQUIRE(other.has_value());
  const auto refused = batch.append(other.value());
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == contract_errc::violation);

  CHECK(to_load_row(order, parse_json(recorded_order), "").error().message().find("no external id") != std::string::npos);
  CHECK(to_load_row(order, parse_json(recorded_order), "not an id").error() == contract_errc::violation);
}

TEST_CASE("load rows of a customer: flattened address - dotted path - many2many by name - defaults") {
  const auto customer = odoolink::test::shipped("customer");
  auto payload = parse_json(R"({"name": "Ada", "email": "ada@example.com",
    "address": {"street": "Rue 1", "country": "BE"}, "tags": ["VIP", "Retail"]})");
  auto no_resolver = to_load_row(customer, payload, "crm.ada");
  REQUIRE_FALSE(no_resolver.has_value());
  CHECK(no_resolver.error().message().find("/address/country") != std::string::npos);

  std::vector<asked> seen;
  auto rows = to_load_row(customer, payload, "crm.ada", load_options{table_resolver(&seen)});
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).message());
  CHECK(rows.value().fields ==
        std::vector<std::string>{"id", "name", "company_type", "email", "street", "country_id/.id", "category_id", "active"});
  REQUIRE(rows.value().rows.size() == 1);
  CHECK(rows.value().rows[0] ==
        std::vector<std::string>{"crm.ada", "Ada", "person", "ada@example.com", "Rue 1", "20", "VIP,Retail", "true"});
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].model == "res.country");
  CHECK(seen[0].field == "code");
  CHECK(seen[0].by == reference_by::value);

  auto comma = parse_json(R"({"name": "Ada", "tags": ["a,b"]})");
  CHECK(to_load_row(customer, comma, "crm.ada").error().message().find("comma") != std::string::npos);
}

TEST_CASE("create/write vals: references become integer ids - never strings") {
  const auto order = odoolink::test::shipped("sales_order");
  auto missing = to_odoo_vals(order, parse_json(recorded_order));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error() == contract_errc::violation);
  CHECK(missing.error().message().find("/customer") != std::string::npos);

  auto vals = to_odoo_vals(order, parse_json(recorded_order), vals_options{table_resolver()});
  REQUIRE_MESSAGE(vals.has_value(), odoolink::test::error_of(vals).message());
  const auto expected = parse_json(R"({"partner_id": 2570, "client_order_ref": "POS-2", "order_line": [
    [0, 0, {"product_id": 92, "product_uom_qty": 2.0, "price_unit": 9.5}],
    [0, 0, {"product_id": 92, "product_uom_qty": 1.0, "price_unit": 3.0}]]})");
  CHECK(json::to_string(vals.value()) == json::to_string(expected));

  const auto customer = odoolink::test::shipped("customer");
  auto cvals = to_odoo_vals(customer,
                            parse_json(R"({"name": "Ada", "kind": "company", "address": {"city": "Gent", "country": "BE"},
                                          "tags": ["VIP"], "active": false, "customer_id": "crm.ada"})"),
                            vals_options{table_resolver()});
  REQUIRE_MESSAGE(cvals.has_value(), odoolink::test::error_of(cvals).message());
  CHECK(json::to_string(cvals.value()) ==
        R"({"name": "Ada", "company_type": "company", "city": "Gent", "country_id": 20, "category_id": [[6, 0, [7]]], "active": false})");
  // A null flattened object clears the fields it maps.
  auto cleared = to_odoo_vals(odoolink::test::load(R"({"subject": "c", "version": "1.0.0", "owner": "o", "system_of_record": "s",
    "odoo": {"model": "res.partner"}, "fields": {"address": {"type": "object", "nullable": true,
    "fields": {"city": {"type": "string", "odoo": {"field": "city"}}}}}})"),
                              parse_json(R"({"address": null})"));
  REQUIRE(cleared.has_value());
  CHECK(json::to_string(cleared.value()) == R"({"city": false})");

  // Enum values are mapped; date-times go to UTC without offset.
  const auto product = odoolink::test::shipped("product");
  auto pvals = to_odoo_vals(product, parse_json(R"({"name": "Tea", "sale_price": "2.50", "weight_kg": 1})"));
  REQUIRE(pvals.has_value());
  CHECK(json::to_string(pvals.value()) ==
        R"({"name": "Tea", "type": "consu", "list_price": 2.5, "sale_ok": true, "purchase_ok": true, "is_storable": false, "weight": 1.0, "active": true})");

  auto invalid = to_odoo_vals(product, parse_json(R"({"sale_price": -1})"));
  REQUIRE_FALSE(invalid.has_value());
  CHECK(invalid.error().message().find("/sale_price: -1 is below the minimum 0") != std::string::npos);
  CHECK(invalid.error().message().find("/name: missing required field") != std::string::npos);
}

TEST_CASE("optional mappings follow the fields the server has") {
  const auto product = odoolink::test::shipped("product");
  const auto payload = parse_json(R"({"product_id": "shop.tea", "name": "Tea", "track_inventory": true})");
  std::vector<std::string> asked;
  // An Odoo 17: product.product has no is_storable.
  const contract::field_presence odoo17 = [&](std::string_view model, std::string_view field) {
    asked.push_back(std::string(model) + "." + std::string(field));
    return field != "is_storable";
  };
  auto rows17 = to_load_row(product, payload, "", load_options{.server_has = odoo17});
  REQUIRE_MESSAGE(rows17.has_value(), odoolink::test::error_of(rows17).describe());
  CHECK(std::find(rows17.value().fields.begin(), rows17.value().fields.end(), "is_storable") == rows17.value().fields.end());
  CHECK(std::find(rows17.value().fields.begin(), rows17.value().fields.end(), "name") != rows17.value().fields.end());
  CHECK(asked == std::vector<std::string>{"product.product.is_storable"});  // only optional mappings are asked about
  auto vals17 = to_odoo_vals(product, payload, vals_options{.server_has = odoo17});
  REQUIRE(vals17.has_value());
  CHECK(vals17.value().find("is_storable") == nullptr);
  CHECK(vals17.value().find("name") != nullptr);
  // A server that has it, or no presence callback: the field is written.
  auto rows18 = to_load_row(product, payload, "");
  REQUIRE(rows18.has_value());
  CHECK(std::find(rows18.value().fields.begin(), rows18.value().fields.end(), "is_storable") != rows18.value().fields.end());
  // One2many lines ask about their own model.
  const auto receipt = odoolink::test::shipped("stock_receipt");
  asked.clear();
  const contract::field_presence odoo19 = [&](std::string_view model, std::string_view field) {
    asked.push_back(std::string(model) + "." + std::string(field));
    return !(model == "stock.move" && field == "name");
  };
  const auto receipt_payload = parse_json(R"({"receipt_id": "wh.r1", "operation_type": "stock.picking_type_in",
      "source_location": "stock.stock_location_suppliers", "destination_location": "stock.stock_location_stock",
      "lines": [{"product": "shop.tea", "description": "Tea", "expected_quantity": 3}]})");
  auto receipt_rows = to_load_row(receipt, receipt_payload, "", load_options{.server_has = odoo19});
  REQUIRE_MESSAGE(receipt_rows.has_value(), odoolink::test::error_of(receipt_rows).describe());
  CHECK(std::find(asked.begin(), asked.end(), "stock.move.name") != asked.end());
  const auto& cols = receipt_rows.value().fields;
  CHECK(std::find(cols.begin(), cols.end(), "move_ids/name") == cols.end());
  CHECK(std::find(cols.begin(), cols.end(), "move_ids/product_uom_qty") != cols.end());
}

TEST_CASE("a fallback field stands in where the server lacks the mapped one (Odoo 16's quantity_done)") {
  const auto receipt = odoolink::test::shipped("stock_receipt", "1.1.0");
  const auto payload = parse_json(R"({"receipt_id": "wh.r1", "operation_type": "stock.picking_type_in",
      "lines": [{"product": "shop.tea", "description": "Tea", "expected_quantity": 3, "received_quantity": 2.5}]})");
  // stock.move as each series names it: 16 has quantity_done, 17 and later quantity.
  const contract::field_presence odoo16 = [](std::string_view model, std::string_view field) {
    return !(model == "stock.move" && field == "quantity");
  };
  const contract::field_presence odoo17 = [](std::string_view model, std::string_view field) {
    return !(model == "stock.move" && field == "quantity_done");
  };
  const auto columns = [&](const contract::field_presence& server) {
    auto rows = to_load_row(receipt, payload, "", load_options{.server_has = server});
    REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
    return rows.value();
  };
  const load_rows on16 = columns(odoo16);
  const load_rows on17 = columns(odoo17);
  const load_rows unknown = columns(nullptr);  // no knowledge of the server: the mapped field
  const auto has = [](const load_rows& r, std::string_view col) {
    return std::find(r.fields.begin(), r.fields.end(), col) != r.fields.end();
  };
  CHECK(has(on16, "move_ids/quantity_done"));
  CHECK_FALSE(has(on16, "move_ids/quantity"));
  CHECK(has(on17, "move_ids/quantity"));
  CHECK_FALSE(has(on17, "move_ids/quantity_done"));
  CHECK(has(unknown, "move_ids/quantity"));
  // Same cells otherwise: only the column's name differs.
  CHECK(on16.rows == on17.rows);
  REQUIRE(on16.fields.size() == on17.fields.size());
  for (std::size_t i = 0; i < on16.fields.size(); ++i)
    if (on16.fields[i] != "move_ids/quantity_done") CHECK(on16.fields[i] == on17.fields[i]);

  // create/write vals name the same field.
  vals_options vals16{.server_has = odoo16};
  vals16.resolve = [](const reference_query&) -> result<std::int64_t> { return std::int64_t{7}; };
  auto vals = to_odoo_vals(receipt, payload, vals16);
  REQUIRE_MESSAGE(vals.has_value(), odoolink::test::error_of(vals).describe());
  const json::value& line = vals.value().find("move_ids")->as_array()[0].as_array()[2];
  CHECK(line.find("quantity_done") != nullptr);
  CHECK(line.find("quantity") == nullptr);

  // Reading back: a 16 record carries quantity_done, read as the same contract field.
  from_odoo_options read_opts;
  read_opts.validate = false;
  read_opts.external_id_of = [](std::string_view, std::int64_t id) -> result<std::string> {
    return "x.r" + std::to_string(id);
  };
  auto read = from_odoo_record(receipt, parse_json(R"({"id": 4, "picking_type_id": [1, "Receipts"],
      "move_ids": [{"id": 9, "product_id": [5, "Tea"], "name": "Tea", "product_uom_qty": 3.0, "quantity_done": 2.5}]})"),
                               read_opts);
  REQUIRE_MESSAGE(read.has_value(), odoolink::test::error_of(read).describe());
  const json::value* got = read.value().find("lines")->as_array()[0].find("received_quantity");
  REQUIRE(got != nullptr);
  CHECK(got->as_double() == 2.5);
}

TEST_CASE("a line field with default_from takes the holding record's value unless the line gives its own") {
  const auto receipt = odoolink::test::shipped("stock_receipt", "1.1.0");
  const auto payload = parse_json(R"({"receipt_id": "wh.r1", "operation_type": "stock.picking_type_in",
      "source_location": "stock.stock_location_suppliers", "destination_location": "stock.stock_location_stock",
      "lines": [{"product": "shop.tea", "description": "Tea", "expected_quantity": 3},
                {"product": "shop.mint", "description": "Mint", "expected_quantity": 1,
                 "destination_location": "stock.stock_location_output"}]})");
  auto rows = to_load_row(receipt, payload, "");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  const auto& fields = rows.value().fields;
  const auto cell = [&](std::size_t row, std::string_view column) {
    const auto at = std::find(fields.begin(), fields.end(), column);
    REQUIRE(at != fields.end());
    return rows.value().rows[row][static_cast<std::size_t>(at - fields.begin())];
  };
  CHECK(cell(0, "move_ids/location_id/id") == "stock.stock_location_suppliers");
  CHECK(cell(0, "move_ids/location_dest_id/id") == "stock.stock_location_stock");
  CHECK(cell(1, "move_ids/location_id/id") == "stock.stock_location_suppliers");
  CHECK(cell(1, "move_ids/location_dest_id/id") == "stock.stock_location_output");  // its own
  // A receipt that gives no location leaves its lines' to Odoo too.
  auto bare = to_load_row(receipt, parse_json(R"({"receipt_id": "wh.r2", "operation_type": "stock.picking_type_in",
      "lines": [{"product": "shop.tea", "description": "Tea", "expected_quantity": 3}]})"), "");
  REQUIRE(bare.has_value());
  for (const auto& f : bare.value().fields) CHECK(f.find("location") == std::string::npos);
  // create/write vals inherit the same way.
  vals_options vo;
  vo.resolve = [](const reference_query& q) -> result<std::int64_t> {
    return std::int64_t{q.value->as_string() == "stock.stock_location_suppliers" ? 4 : 8};
  };
  auto vals = to_odoo_vals(receipt, payload, vo);
  REQUIRE_MESSAGE(vals.has_value(), odoolink::test::error_of(vals).describe());
  const json::value& first = vals.value().find("move_ids")->as_array()[0].as_array()[2];
  CHECK(first.find("location_id")->as_int() == 4);
  CHECK(first.find("location_dest_id")->as_int() == 8);
}

TEST_CASE("from Odoo records back to the canonical payload") {
  const auto order = odoolink::test::shipped("sales_order");
  from_odoo_options opts;
  opts.external_id_of = [](std::string_view model, std::int64_t id) -> result<std::string> {
    if (model == "res.partner" && id == 12) return std::string("base.res_partner_4");
    if (model == "res.partner" && id == 2570) return std::string("odoolink_fixture.cust_pos1");
    if (model == "product.product" && id == 92) return std::string("odoolink_fixture.prod_pos1");
    if (model == "sale.order.line") return "odoolink_fixture.sol_2_" + std::to_string(id - 60);
    if (model == "sale.order") return std::string();  // no external id: left out
    return error(contract_errc::unknown_subject, "no external id");
  };
  // search_read_sale_order_types.json: a real record; its lines are bare ids.
  const auto exchange = parse_json(odoolink::test::read_text(odoolink::test::fixtures() / "odoo18/jsonrpc/search_read_sale_order_types.json"));
  json::value record = parse_json(exchange.find("response_body")->as_string()).find("result")->as_array()[0];
  auto with_ids = from_odoo_record(order, record, opts);
  REQUIRE_FALSE(with_ids.has_value());
  CHECK(with_ids.error().message().find("/lines/0: one2many lines must be records") != std::string::npos);
  odoolink::test::erase(record, "order_line");
  record.set("client_order_ref", "ORD-3");  // not among the recorded fields; the contract requires it
  auto read = from_odoo_record(order, record, opts);
  REQUIRE_MESSAGE(read.has_value(), odoolink::test::error_of(read).message());
  CHECK(json::to_string(read.value()) ==
        R"({"customer": "base.res_partner_4", "order_ref": "ORD-3", "ordered_at": "2026-11-22T06:02:49Z", "valid_until": "2026-12-22", )"
        R"("note": "<p>Deliver <b>before</b> noon &amp; call ahead</p>", "status": "quotation", "amount_total": 377.5})");

  // A web_read with nested lines reads back to the payload that was loaded.
  opts.external_id = "odoolink_fixture.so_lineids";
  auto nested = from_odoo_record(order, parse_json(R"({"id": 28, "partner_id": {"id": 2570, "display_name": "POS Customer 1"},
    "client_order_ref": "POS-2", "validity_date": false, "state": "draft",
    "order_line": [{"id": 61, "product_id": [92, "POS Product 1"], "product_uom_qty": 2.0, "price_unit": 9.5},
                   {"id": 62, "product_id": [92, "POS Product 1"], "product_uom_qty": 1.0, "price_unit": 3.0}]})"), opts);
  REQUIRE_MESSAGE(nested.has_value(), odoolink::test::error_of(nested).message());
  auto expected = parse_json(recorded_order);
  expected.set("order_id", "odoolink_fixture.so_lineids");
  expected.set("status", "quotation");
  // Quantities come back as Odoo floats.
  for (auto& line : expected.find("lines")->as_array()) {
    line.set("quantity", line.find("quantity")->as_double());
    line.set("price_unit", line.find("price_unit")->as_double());
  }
  CHECK(nested.value() == expected);

  // An Odoo selection value the contract does not know is refused.
  auto unknown_state = from_odoo_record(order, parse_json(R"({"state": "locked"})"), opts);
  REQUIRE_FALSE(unknown_state.has_value());
  CHECK(unknown_state.error().message().find("\"locked\" has no value in the contract's enum") != std::string::npos);

  // Customers: false reads as absent; dotted paths read nested objects.
  const auto customer = odoolink::test::shipped("customer");
  auto partner = from_odoo_record(customer, parse_json(R"({"id": 9, "name": "Wood Corner", "email": "bhu.a100@ic.example.com",
    "phone": false, "company_type": "company", "country_id": {"id": 233, "code": "US"}, "street": "1839 Arbor Way",
    "category_id": [{"id": 7, "display_name": "Wholesaler"}]})"));
  REQUIRE_MESSAGE(partner.has_value(), odoolink::test::error_of(partner).message());
  CHECK(json::to_string(partner.value()) ==
        R"({"name": "Wood Corner", "kind": "company", "email": "bhu.a100@ic.example.com", "address": {"street": "1839 Arbor Way", "country": "US"}, "tags": ["Wholesaler"]})");
}

TEST_CASE("from Odoo records: a value of the wrong type is named by its kind, never quoted") {
  // Schema drift puts personal data where a reference, a date or an amount
  // belongs: the error says what was found, not what it said.
  const auto order = odoolink::test::shipped("sales_order");
  from_odoo_options opts;
  opts.external_id_of = [](std::string_view, std::int64_t) -> result<std::string> { return std::string("base.res_partner_4"); };
  const std::string pii = "Jane Doe, 12 Elm Street";
  for (const char* field : {"partner_id", "date_order", "amount_total"}) {
    json::value record = json::object{};
    record.set(field, pii);
    auto read = from_odoo_record(order, record, opts);
    REQUIRE_MESSAGE(read.has_error(), field);
    const std::string message = read.error().message();
    CHECK_MESSAGE(message.find("a string (not shown)") != std::string::npos, message);
    CHECK_MESSAGE(message.find("Jane") == std::string::npos, message);
    CHECK_MESSAGE(message.find("Elm") == std::string::npos, message);
  }
  // A name read back where a many2one list belongs, inside a line.
  auto lines = from_odoo_record(order, parse_json(R"({"order_line": [{"id": 61, "product_id": {"name": "Jane Doe"}}]})"), opts);
  REQUIRE(lines.has_error());
  CHECK(lines.error().message().find("Jane") == std::string::npos);
}

namespace shop {
struct line {
  std::string product;
  double quantity = 0;
  std::optional<std::string> price;
};
struct order {
  std::string customer;
  std::string reference;
  std::vector<line> lines;
};
void to_odoo(json::value& out, const line& l) {
  put_field(out, "product", l.product);
  put_field(out, "quantity", l.quantity);
  put_field(out, "price_unit", l.price);
}
result<void> from_odoo(const json::value& in, line& l) {
  ODOOLINK_TRYV(get_field(in, "product", l.product));
  ODOOLINK_TRYV(get_field(in, "quantity", l.quantity));
  return get_field(in, "price_unit", l.price);
}
void to_odoo(json::value& out, const order& o) {
  put_field(out, "customer", o.customer);
  put_field(out, "order_ref", o.reference);
  put_field(out, "lines", o.lines);
}
result<void> from_odoo(const json::value& in, order& o) {
  ODOOLINK_TRYV(get_field(in, "customer", o.customer));
  ODOOLINK_TRYV(get_field(in, "order_ref", o.reference));
  return get_field(in, "lines", o.lines);
}
}  // namespace shop

TEST_CASE("user types plug in through ADL to_odoo/from_odoo") {
  const auto contract = odoolink::test::shipped("sales_order");
  const shop::order o{"pos.c1", "R-9", {{"pos.p1", 2, "9.50"}, {"pos.p2", 1, std::nullopt}}};
  const json::value payload = to_payload(o);
  CHECK(json::to_string(payload) ==
        R"({"customer": "pos.c1", "order_ref": "R-9", "lines": [{"product": "pos.p1", "quantity": 2.0, "price_unit": "9.50"}, {"product": "pos.p2", "quantity": 1.0}]})");
  auto rows = to_load_row(contract, o, "pos.o9");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).message());
  CHECK(rows.value().rows[0][3] == "pos.o9_order_line_1");
  auto back = from_payload<shop::order>(payload);
  REQUIRE(back.has_value());
  CHECK(back.value().lines.size() == 2);
  CHECK(back.value().lines[0].price == std::optional<std::string>("9.50"));
  CHECK_FALSE(back.value().lines[1].price.has_value());
  auto broken = from_payload<shop::order>(parse_json(R"({"customer": 1})"));
  REQUIRE_FALSE(broken.has_value());
  CHECK(broken.error().message().find("customer") != std::string::npos);

  // Built-in conversions of dates and date-times.
  using namespace std::chrono;
  const json::value date = to_payload(year_month_day{year{2026}, month{11}, day{22}});
  CHECK(date == json::value("2026-11-22"));
  const sys_seconds t = sys_days(year_month_day{year{2026}, month{11}, std::chrono::day{22}}) + hours(6) + minutes(2) + seconds(49);
  CHECK(to_payload(t) == json::value("2026-11-22T06:02:49Z"));
  CHECK(from_payload<sys_seconds>(json::value("2026-11-22T08:02:49+02:00")).value() == t);
  CHECK_FALSE(from_payload<year_month_day>(json::value("2026-02-30")).has_value());
  CHECK_FALSE(from_payload<std::int8_t>(json::value(300)).has_value());
}
