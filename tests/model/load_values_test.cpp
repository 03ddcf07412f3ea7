// Building load batches and create/write values: the exact arguments Odoo
// reads, refusals of ragged batches, load result parsing, x2many commands.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "model/model_fixtures.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/load.hpp"
#include "odoolink/model/values.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/models/sale_order.hpp"
#include "odoolink/models/sale_order_line.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::models;
using namespace std::chrono_literals;
namespace m = odoolink::model;

namespace {
json::value recorded_args(const std::string& file) {
  const auto e = test::recorded(file);
  const json::value body = json::parse(*e.request_body).value();
  const auto& args = body.find("params")->find("args")->as_array();
  return args[5];  // execute_kw(db, uid, secret, model, method, args, kwargs)
}
}  // namespace

TEST_CASE("a sale order with keyed lines gives the recorded load arguments") {
  m::load_batch<sale_order> batch;
  auto order = batch.add("odoolink_fixture.so_lineids");
  order.ref(sale_order::partner_id, "odoolink_fixture.cust_pos1").set(sale_order::client_order_ref, "POS-2");
  order.line(sale_order::order_line, "odoolink_fixture.sol_2_1")
      .ref(sale_order_line::product_id, "odoolink_fixture.prod_pos1")
      .set("product_uom_qty", "2")
      .set("price_unit", "9.5");
  order.line(sale_order::order_line, "odoolink_fixture.sol_2_2")
      .ref(sale_order_line::product_id, "odoolink_fixture.prod_pos1")
      .set("product_uom_qty", "1")
      .set("price_unit", "3");
  auto table = batch.table();
  REQUIRE_MESSAGE(table.has_value(), odoolink::test::error_of(table).describe());
  CHECK(table.value().to_args() == recorded_args("odoo18/jsonrpc/load_o2m_with_line_ids_first.json"));
  CHECK_FALSE(table.value().has_datetime);
}

TEST_CASE("load rows: several records / nested lines / typed values as import text") {
  m::load_batch<sale_order> batch;
  for (int i = 1; i <= 2; ++i) {
    auto o = batch.add("pos.order_" + std::to_string(i))
                 .set(sale_order::date_order, std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 6h + std::chrono::minutes(i))
                 .set(sale_order::require_signature, i == 1)
                 .set(sale_order::state, sale_order::state_value::draft)
                 .db_ref(sale_order::partner_id, 40 + i);
    for (int l = 1; l <= i; ++l)
      o.line(sale_order::order_line, "pos.order_" + std::to_string(i) + "_" + std::to_string(l))
          .set(sale_order_line::product_uom_qty, 1.5 * l)
          .set(sale_order_line::price_unit, 10);
  }
  auto table = batch.table();
  REQUIRE_MESSAGE(table.has_value(), odoolink::test::error_of(table).describe());
  CHECK(table.value().has_datetime);
  CHECK(table.value().to_args() == json::parse(R"([
    ["id", "date_order", "require_signature", "state", "partner_id/.id", "order_line/id", "order_line/product_uom_qty", "order_line/price_unit"],
    [["pos.order_1", "2026-11-22 06:01:00", "true", "draft", "41", "pos.order_1_1", "1.5", "10"],
     ["pos.order_2", "2026-11-22 06:02:00", "false", "draft", "42", "pos.order_2_1", "1.5", "10"],
     ["", "", "", "", "", "pos.order_2_2", "3", "10"]]])")
                                           .value());

  m::load_batch<res_partner> tags;
  tags.add("x.p1").ref(res_partner::category_id, std::vector<std::string>{"x.vip", "x.retail"});
  CHECK(tags.table().value().to_args() == json::parse(R"([["id", "category_id/id"], [["x.p1", "x.vip,x.retail"]]])").value());
}

TEST_CASE("ragged batches are refused: an empty cell would clear a field") {
  m::load_batch<res_partner> batch;
  batch.add("x.a").set(res_partner::name, "A").set(res_partner::email, "a@x");
  batch.add("x.b").set(res_partner::name, "B");
  auto t = batch.table();
  REQUIRE(t.has_error());
  CHECK(t.error() == protocol_errc::unsupported_call);
  CHECK(t.error().message().find("record #1 sets other columns") != std::string::npos);

  m::load_batch<sale_order> lines;
  auto o = lines.add("x.o");
  o.line(sale_order::order_line, "x.l1").set(sale_order_line::price_unit, 1.0);
  o.line(sale_order::order_line, "x.l2").set(sale_order_line::product_uom_qty, 1.0);
  CHECK(lines.table().error().message().find("lines of \"order_line\" set different columns") != std::string::npos);
  CHECK(m::load_batch<>().table().has_error());
}

TEST_CASE("load results: ids / warnings / and refused batches as validation errors") {
  auto ok = m::parse_load_result(R"({"ids": [54], "messages": [{"type": "warning", "message": "w", "rows": {"from": 0, "to": 0}}], "nextrow": 0})");
  REQUIRE(ok.has_value());
  CHECK(ok.value().ids == std::vector<std::int64_t>{54});
  REQUIRE(ok.value().messages.size() == 1);
  CHECK(ok.value().messages[0].row_to == 0);

  const auto e = test::recorded("odoo18/jsonrpc/load_error_bad_m2o.json");
  const json::value body = json::parse(e.response_body).value();
  auto refused = m::parse_load_result(json::to_string(*body.find("result")), "res.partner");
  REQUIRE(refused.has_error());
  CHECK(refused.error() == odoo_errc::validation_error);
  CHECK(refused.error() == condition::permanent);
  CHECK(refused.error().message() ==
        "res.partner.load: the batch was refused; record 0, field country_id: No matching record found for name 'Neverland' in field 'Country'");
  CHECK(m::parse_load_result(R"({"messages": []})").error() == protocol_errc::unexpected_type);
}

TEST_CASE("values and x2many commands") {
  const auto line = m::values<sale_order_line>().set(sale_order_line::product_id, 62).set(sale_order_line::product_uom_qty, 3.0);
  const auto vals = m::values<sale_order>()
                        .set(sale_order::partner_id, m::many2one<res_partner>(55, "ignored"))
                        .set(sale_order::note, "first")
                        .set(sale_order::note, "<p>second wins</p>")
                        .set(sale_order::user_id, m::unset)
                        .set(sale_order::validity_date, m::date{std::chrono::year{2026} / 12 / 22})
                        .set(sale_order::state, sale_order::state_value::sent)
                        .set(sale_order::signature, m::binary::from_bytes(std::string_view("hi")))
                        .set(sale_order::order_line, {m::command::create(line), m::command::update(7, line), m::command::delete_(8),
                                                      m::command::unlink(9), m::command::link(10), m::command::clear(),
                                                      m::command::set({1, 2})})
                        .set("x_custom", json::array{1, "two"});
  CHECK(vals.to_json() == json::parse(R"({"partner_id": 55, "note": "<p>second wins</p>", "user_id": false,
      "validity_date": "2026-12-22", "state": "sent", "signature": "aGk=",
      "order_line": [[0, 0, {"product_id": 62, "product_uom_qty": 3.0}], [1, 7, {"product_id": 62, "product_uom_qty": 3.0}],
                     [2, 8, 0], [3, 9, 0], [4, 10, 0], [5, 0, 0], [6, 0, [1, 2]]],
      "x_custom": [1, "two"]})")
                              .value());
  CHECK(vals.untyped().to_json() == vals.to_json());
}

// Typed values refuse the wrong types at compile time.
template <class F, class V>
concept settable = requires(m::values<sale_order> v, const F& f, const V& x) { v.set(f, x); };
static_assert(settable<decltype(sale_order::note), const char*>);
static_assert(!settable<decltype(sale_order::note), int>);
static_assert(!settable<decltype(sale_order::state), const char*>);
static_assert(!settable<decltype(res_partner::name), const char*>);  // another model's field
static_assert(!settable<decltype(sale_order::require_signature), m::unset_t>);
static_assert(!settable<decltype(sale_order::order_line), std::initializer_list<m::x2many_command<res_partner>>>);
