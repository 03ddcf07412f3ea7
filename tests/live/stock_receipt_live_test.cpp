// A goods receipt through the shipped stock_receipt contract against a real
// Odoo (see live_env.hpp): a supplier and a product go out first, then a
// receipt whose lines reference the product; the picking and its moves are
// read back, and reconciliation agrees. The line quantity is stock.move's
// `quantity` from 17 and `quantity_done` on 16, the contract's fallback.
// Records carry a run id and are deleted at the end.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "live/live_env.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/reconcile.hpp"
#include "outbox/support/pos_day.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace ob = odoolink::outbox;

namespace {

std::string run_id() {
  std::ostringstream out;
  out << "r" << std::hex
      << std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count()
      << (std::random_device{}() & 0xFFFFU);
  return out.str();
}

json::value call(client::client& odoo, std::string_view model, std::string_view method, json::value args,
                 json::value kwargs = json::object{}) {
  auto r = odoo.execute_kw(model, method, std::move(args), std::move(kwargs));
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  auto v = json::parse(r.value().json());
  REQUIRE(v.has_value());
  return std::move(v).value();
}

// The records of `model` under external-id module `module`.
json::array ids_in(client::client& odoo, const std::string& module, std::string_view model) {
  const auto rows = call(odoo, "ir.model.data", "search_read",
                         json::array{json::array{json::array{"module", "=", module}, json::array{"model", "=", model}}},
                         json::object{{"fields", json::array{"res_id"}}});
  json::array ids;
  for (const auto& r : rows.as_array()) ids.push_back(*r.find("res_id"));
  return ids;
}

}  // namespace

TEST_CASE("live: a goods receipt with lines goes through the shipped stock_receipt contract and reconciles") {
  const auto server = test::live_or_skip();
  if (!server) return;
  auto connected = client::client::connect(
      {.url = server->url, .database = server->database, .login = server->user, .password = server->password});
  REQUIRE_MESSAGE(connected.has_value(), odoolink::test::error_of(connected).describe());
  client::client odoo = std::move(connected).value();
  const int series = odoo.info().version.major;
  CAPTURE(series);
  const std::string run = run_id();
  const std::string module = "odoolink_live_" + run;

  auto contracts = test::shipped_contracts();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  auto put = [&](const char* subject, const std::string& key, const json::value& payload) {
    // One aggregate per record: the receipt's announcement goes before its update.
    auto r = box.enqueue({.subject = subject, .payload = json::to_string(payload), .idempotency_key = key,
                          .aggregate_key = subject});
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  };
  put("customer", "supplier", json::object{{"customer_id", module + ".supplier"}, {"name", "Supplier " + run}, {"kind", "company"}});
  put("product", "tea", json::object{{"product_id", module + ".tea"}, {"name", "Tea " + run}, {"sale_price", "4.00"}});
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
  put("stock_receipt", "announced", receipt(std::nullopt));
  put("stock_receipt", "received", receipt(2.0));
  ob::odoo_sink sink(odoo, contracts, {.xid_module = module});
  ob::relay relay(store, sink, {.owner = "live-receipt"});
  test::deliver_all(store, relay);

  // The picking and its move as Odoo holds them.
  const json::array pickings = ids_in(odoo, module, "stock.picking");
  REQUIRE(pickings.size() == 1);
  const auto picking = call(odoo, "stock.picking", "read", json::array{pickings},
                            json::object{{"fields", json::array{"origin", "move_ids", "picking_type_id"}}});
  CHECK(picking.as_array()[0].find("origin")->as_string() == "PO-" + run);
  const json::array& moves = picking.as_array()[0].find("move_ids")->as_array();
  REQUIRE(moves.size() == 1);
  const std::string received_field = series >= 17 ? "quantity" : "quantity_done";
  const auto move = call(odoo, "stock.move", "read", json::array{json::array{moves[0]}},
                         json::object{{"fields", json::array{"product_uom_qty", received_field}}});
  CHECK(move.as_array()[0].find("product_uom_qty")->as_double() == 3.0);
  CHECK(move.as_array()[0].find(received_field)->as_double() == 2.0);

  auto report = ob::reconcile(odoo, store, contracts, {.include_agreeing = true});
  REQUIRE_MESSAGE(report.has_value(), odoolink::test::error_of(report).describe());
  CHECK_MESSAGE(report.value().agrees(), ob::to_json(report.value()));
  CHECK(report.value().subjects.at("stock_receipt").agrees == 1);

  // Clean up: the draft picking (and its move), then the product and the supplier.
  for (const char* model : {"stock.picking", "product.product", "res.partner"}) {
    json::array ids = ids_in(odoo, module, model);
    if (!ids.empty()) (void)odoo.execute_kw(model, "unlink", json::array{std::move(ids)});
  }
}
