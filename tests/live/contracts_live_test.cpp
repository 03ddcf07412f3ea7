// The shipped contracts beyond the point-of-sale day, against a real Odoo
// (see live_env.hpp): each goes out through the relay and the Odoo sink,
// with the records it references, is read back and reconciled. Records
// carry a run id and are deleted at the end.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "live/live_env.hpp"
#include "live/live_records.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/reconcile.hpp"
#include "outbox/support/pos_day.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace ob = odoolink::outbox;

namespace {

// A client, an outbox on the shipped contracts and a relay into that Odoo.
struct delivery {
  explicit delivery(const test::live_server& server) : odoo(connect(server)) {}
  static client::client connect(const test::live_server& s) {
    auto c = client::client::connect({.url = s.url, .database = s.database, .login = s.user, .password = s.password});
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    return std::move(c).value();
  }
  client::client odoo;
  const std::string run = test::run_id();
  const std::string module = "odoolink_live_" + run;
  contract::registry contracts = test::shipped_contracts();
  ob::memory_store store;
  ob::outbox box{store, contracts};
  ob::odoo_sink sink{odoo, contracts, {.xid_module = module}};
  ob::relay relay{store, sink, {.owner = "live-contracts"}};

  // One aggregate per subject: a record's later events follow its first.
  void put(const char* subject, const std::string& key, const json::value& payload) {
    auto r = box.enqueue({.subject = subject, .payload = json::to_string(payload), .idempotency_key = key,
                          .aggregate_key = subject});
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  }
  ob::reconcile_report reconcile() {
    auto r = ob::reconcile(odoo, store, contracts, {.include_agreeing = true});
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    return std::move(r).value();
  }
};

}  // namespace

// A goods receipt: a supplier and a product go out first, then a receipt
// whose lines reference the product. Its moves' locations come from the
// receipt (Odoo 16 to 18 need them on every move), and the line quantity is
// stock.move's `quantity` from 17 and `quantity_done` on 16 (the contract's
// fallback).
TEST_CASE("live: a goods receipt with lines goes through the shipped stock_receipt contract and reconciles") {
  const auto server = test::live_or_skip();
  if (!server) return;
  delivery d(*server);
  const int series = d.odoo.info().version.major;
  CAPTURE(series);
  const std::string& run = d.run;
  const std::string& module = d.module;
  d.put("customer", "supplier", json::object{{"customer_id", module + ".supplier"}, {"name", "Supplier " + run}, {"kind", "company"}});
  d.put("product", "tea", json::object{{"product_id", module + ".tea"}, {"name", "Tea " + run}, {"sale_price", "4.00"}});
  // Announced with its expected quantity, then received in part: Odoo sets
  // a new move's quantity itself (reserving the demand), so the received
  // quantity comes as an update of the same receipt.
  auto receipt = [&](std::optional<double> received) {
    json::value line = json::object{{"line_id", module + ".receipt_tea"},
                                    {"product", module + ".tea"},
                                    {"description", "Tea " + run},
                                    {"expected_quantity", 3}};
    if (received) line.set("received_quantity", *received);
    return json::object{{"receipt_id", module + ".receipt"},
                        {"supplier", module + ".supplier"},
                        {"operation_type", "stock.picking_type_in"},
                        {"source_location", "stock.stock_location_suppliers"},
                        {"destination_location", "stock.stock_location_stock"},
                        {"source_document", "PO-" + run},
                        {"lines", json::array{std::move(line)}}};
  };
  d.put("stock_receipt", "announced", receipt(std::nullopt));
  d.put("stock_receipt", "received", receipt(2.0));
  test::deliver_all(d.store, d.relay);

  // The picking and its move as Odoo holds them.
  const json::array pickings = test::ids_in(d.odoo, module, "stock.picking");
  REQUIRE(pickings.size() == 1);
  const auto picking = test::call(d.odoo, "stock.picking", "read", json::array{pickings},
                            json::object{{"fields", json::array{"origin", "move_ids", "picking_type_id"}}});
  CHECK(picking.as_array()[0].find("origin")->as_string() == "PO-" + run);
  const json::array& moves = picking.as_array()[0].find("move_ids")->as_array();
  REQUIRE(moves.size() == 1);
  const std::string received_field = series >= 17 ? "quantity" : "quantity_done";
  const auto move = test::call(d.odoo, "stock.move", "read", json::array{json::array{moves[0]}},
                         json::object{{"fields", json::array{"product_uom_qty", received_field}}});
  CHECK(move.as_array()[0].find("product_uom_qty")->as_double() == 3.0);
  CHECK(move.as_array()[0].find(received_field)->as_double() == 2.0);

  const auto report = d.reconcile();
  CHECK_MESSAGE(report.agrees(), ob::to_json(report));
  CHECK(report.subjects.at("stock_receipt").agrees == 1);

  // Clean up: the draft picking (and its move), then the product and the supplier.
  test::delete_run(d.odoo, module, {"stock.picking", "product.product", "res.partner"});
}

// A customer invoice: a customer and a product first, then an invoice with a
// product line taxed by name (a 15 % sale tax of the server's chart, found
// first: its name differs between series and charts) and a free-text line
// with a discount; Odoo's total is read back, and reconciliation agrees.
TEST_CASE("live: an invoice with taxed and discounted lines goes through the shipped invoice contract and reconciles") {
  const auto server = test::live_or_skip();
  if (!server) return;
  delivery d(*server);
  CAPTURE(d.odoo.info().version.major);
  const std::string& module = d.module;
  const auto taxes = test::call(d.odoo, "account.tax", "search_read",
                                json::array{json::array{json::array{"type_tax_use", "=", "sale"},
                                                        json::array{"amount_type", "=", "percent"},
                                                        json::array{"amount", "=", 15}, json::array{"price_include", "=", false}}},
                                json::object{{"fields", json::array{"name"}}, {"limit", 1}});
  if (taxes.as_array().empty()) {
    MESSAGE("SKIPPED: the server has no 15 % sale tax (no chart of accounts installed)");
    return;
  }
  const std::string tax = taxes.as_array()[0].find("name")->as_string();
  d.put("customer", "buyer", json::object{{"customer_id", module + ".buyer"}, {"name", "Buyer " + d.run}});
  d.put("product", "pen", json::object{{"product_id", module + ".pen"}, {"name", "Pen " + d.run}, {"sale_price", "10.00"}});
  d.put("invoice", "invoice",
        json::object{{"invoice_id", module + ".invoice"},
                     {"customer", module + ".buyer"},
                     {"invoice_date", "2026-12-01"},
                     {"reference", "INV-" + d.run},
                     {"lines", json::array{json::object{{"line_id", module + ".invoice_pen"},
                                                        {"product", module + ".pen"},
                                                        {"label", "Pens"},
                                                        {"quantity", 2},
                                                        {"price_unit", "10.00"},
                                                        {"taxes", json::array{tax}}},
                                           json::object{{"line_id", module + ".invoice_service"},
                                                        {"label", "Service " + d.run},
                                                        {"quantity", 1},
                                                        {"price_unit", "5.50"},
                                                        {"discount_percent", 10}}}}});
  test::deliver_all(d.store, d.relay);

  const std::int64_t invoice = test::id_of(d.odoo, module + ".invoice", "account.move");
  const auto read = test::call(d.odoo, "account.move", "read", json::array{json::array{invoice}},
                               json::object{{"fields", json::array{"move_type", "ref", "amount_untaxed", "amount_total", "state"}}});
  const json::value& move = read.as_array()[0];
  CHECK(move.find("move_type")->as_string() == "out_invoice");
  CHECK(move.find("ref")->as_string() == "INV-" + d.run);
  CHECK(move.find("state")->as_string() == "draft");
  CHECK(move.find("amount_untaxed")->as_double() == doctest::Approx(24.95));  // 2 x 10 + 5.50 less 10 %
  CHECK(move.find("amount_total")->as_double() == doctest::Approx(27.95));    // 15 % of the pens

  const auto report = d.reconcile();
  CHECK_MESSAGE(report.agrees(), ob::to_json(report));
  CHECK(report.subjects.at("invoice").agrees == 1);

  test::delete_run(d.odoo, module, {"account.move", "product.product", "res.partner"});
}
