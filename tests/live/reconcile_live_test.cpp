// Reconciliation against a real Odoo (see live_env.hpp): a POS day goes out
// through the shipped contracts, then four records are changed on the
// server side; reconcile must report exactly those four. Records carry a
// run id and are deleted at the end.
#include <doctest/doctest.h>

#include <string>

#include "live/live_env.hpp"
#include "live/live_records.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/outbox/line_removal.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/reconcile.hpp"
#include "outbox/support/pos_day.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace ob = odoolink::outbox;

namespace {

const ob::record_report* find(const ob::reconcile_report& r, const std::string& xid) {
  for (const auto& rec : r.records)
    if (rec.external_id == xid) return &rec;
  return nullptr;
}

}  // namespace

TEST_CASE("live reconcile: four server-side changes to a delivered POS day are reported exactly") {
  const auto server = test::live_or_skip();
  if (!server) return;
  auto connected = client::client::connect(
      {.url = server->url, .database = server->database, .login = server->user, .password = server->password});
  REQUIRE_MESSAGE(connected.has_value(), odoolink::test::error_of(connected).describe());
  client::client odoo = std::move(connected).value();
  const std::string run = test::run_id();
  const std::string module = "odoolink_live_" + run;
  auto contracts = test::shipped_contracts();
  REQUIRE(contracts.add(ob::line_removal_contract()).has_value());
  ob::memory_store store;
  ob::outbox box(store, contracts);
  test::record_pos_day(box, module, "-" + run);
  ob::odoo_sink sink(odoo, contracts, {.xid_module = module});
  ob::line_removal_sink corrections_sink(odoo, sink);
  ob::relay relay(store, corrections_sink, {.owner = "live-reconcile"});
  test::deliver_all(store, relay);

  auto run_reconcile = [&] {
    auto r = ob::reconcile(odoo, store, contracts, {.batch_size = 4});
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    return std::move(r).value();
  };
  const auto baseline = run_reconcile();
  CHECK_MESSAGE(baseline.agrees(), ob::to_json(baseline));

  const std::int64_t c2 = test::id_of(odoo, module + ".customer_2", "res.partner");
  const std::int64_t c4 = test::id_of(odoo, module + ".customer_4", "res.partner");
  const std::int64_t p4 = test::id_of(odoo, module + ".product_4", "product.product");
  const std::int64_t p1 = test::id_of(odoo, module + ".product_1", "product.product");
  const std::int64_t o2 = test::id_of(odoo, module + ".order_2", "sale.order");
  test::call(odoo, "res.partner", "write", json::array{json::array{c2}, json::object{{"email", run + "@changed.example.org"}}});
  test::call(odoo, "product.product", "unlink", json::array{json::array{p4}});
  test::call(odoo, "res.partner", "action_archive", json::array{json::array{c4}});
  test::call(odoo, "sale.order", "write",
       json::array{json::array{o2}, json::object{{"order_line", json::array{json::array{
                                                               0, 0, json::object{{"product_id", p1}, {"product_uom_qty", 5}}}}}}});

  const auto report = run_reconcile();
  INFO(ob::to_json(report));
  REQUIRE(report.records.size() == 4);
  const auto* email = find(report, module + ".customer_2");
  REQUIRE(email != nullptr);
  CHECK(email->status == ob::record_status::changed);
  REQUIRE(email->differences.size() == 1);
  CHECK(email->differences[0].path == "/email");
  CHECK(email->differences[0].pii);
  CHECK(email->write_uid > 0);
  CHECK(find(report, module + ".product_4")->status == ob::record_status::deleted);
  CHECK(find(report, module + ".customer_4")->status == ob::record_status::archived);
  const auto* order = find(report, module + ".order_2");
  REQUIRE(order != nullptr);
  REQUIRE(order->differences.size() == 1);
  CHECK(order->differences[0].path.rfind("/lines/sale.order.line(", 0) == 0);
  CHECK(ob::to_json(report).find("@changed.example.org") == std::string::npos);

  auto corrections = ob::enqueue_corrections(box, report.records, {.remove_added_lines = true});
  REQUIRE_MESSAGE(corrections.has_value(), odoolink::test::error_of(corrections).describe());
  CHECK(corrections.value().size() == 5);
  test::deliver_all(store, relay);
  const auto second = run_reconcile();
  CHECK_MESSAGE(second.agrees(), ob::to_json(second));

  // Clean up: orders, then partners and products (by their external ids).
  test::delete_run(odoo, module, {"sale.order", "res.partner", "product.product"});
}
