// Every generated Odoo 18 model header (models::, an inline namespace v18)
// compiles (all in one translation unit), every full record decodes a response with every field set and with every field
// empty, and every selection enum round-trips through Odoo's strings.
#include <doctest/doctest.h>

#include <string>

#include "generated_models.hpp"
#include "odoolink/models/account_journal.hpp"
#include "odoolink/models/account_move.hpp"
#include "odoolink/models/account_move_line.hpp"
#include "odoolink/models/account_payment.hpp"
#include "odoolink/models/account_tax.hpp"
#include "odoolink/models/crm_lead.hpp"
#include "odoolink/models/pos_order.hpp"
#include "odoolink/models/pos_order_line.hpp"
#include "odoolink/models/product_category.hpp"
#include "odoolink/models/product_product.hpp"
#include "odoolink/models/product_template.hpp"
#include "odoolink/models/purchase_order.hpp"
#include "odoolink/models/purchase_order_line.hpp"
#include "odoolink/models/res_company.hpp"
#include "odoolink/models/res_currency.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/models/res_users.hpp"
#include "odoolink/models/sale_order.hpp"
#include "odoolink/models/sale_order_line.hpp"
#include "odoolink/models/stock_location.hpp"
#include "odoolink/models/stock_lot.hpp"
#include "odoolink/models/stock_move.hpp"
#include "odoolink/models/stock_move_line.hpp"
#include "odoolink/models/stock_picking.hpp"
#include "odoolink/models/stock_quant.hpp"
#include "odoolink/models/stock_warehouse.hpp"
#include "odoolink/models/uom_uom.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::models;
namespace m = odoolink::model;

namespace {

template <class E>
void round_trip() {
  for (const auto& entry : odoo_selection(E{})) {
    CHECK(m::from_string<E>(entry.text) == entry.value);
    CHECK(m::to_string(entry.value) == entry.text);
    CHECK(m::is_listed<E>(entry.text));
  }
  CHECK(m::from_string<E>("no such value ~") == E::unknown);
  CHECK(m::to_string(E::unknown).empty());
}

}  // namespace

TEST_CASE("every generated record decodes a full and an empty response") {
  generated_models::check_all(18, static_cast<ODOOLINK_TEST_ALL_MODELS(odoolink::models)*>(nullptr));
}

TEST_CASE("generated records decode the recorded responses of their models") {
  // A full record asks for every field, so the recordings (which asked for a
  // few) are decoded through views bound to the generated descriptors, in
  // decode_test.cpp and proxy_replay_test.cpp; here the values line up with
  // the full record's member types.
  struct order_subset {
    std::int64_t id = 0;
    decltype(sale_order::record::state) state;
    decltype(sale_order::record::partner_id) partner_id;
    decltype(sale_order::record::validity_date) validity_date;
    decltype(sale_order::record::date_order) date_order;
    decltype(sale_order::record::amount_total) amount_total = 0;
    decltype(sale_order::record::signature) signature;
    ODOOLINK_VIEW(order_subset, sale_order, id, state, partner_id, validity_date, date_order, amount_total, signature)
  };
  const std::string json = R"([{"id": 3, "name": "S00003", "state": "draft", "partner_id": [12, "Ready Mat"], "order_line": [6, 7], "tag_ids": [1, 2], "validity_date": "2026-12-22", "date_order": "2026-11-22 06:02:49", "amount_total": 377.5, "currency_id": [1, "USD"], "signature": false, "note": "<p>x</p>", "require_signature": true, "user_id": [2, "Mitchell Admin"]}])";
  auto rows = m::decode<order_subset>(protocol::reply(json), "sale.order");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  CHECK(rows.value()[0].state == sale_order::state_value::draft);
  CHECK(rows.value()[0].partner_id.name == "Ready Mat");
  CHECK(rows.value()[0].amount_total == 377.5);
  CHECK_FALSE(rows.value()[0].signature.has_value());
}

TEST_CASE("selection enums round-trip through Odoo's strings") {
  round_trip<sale_order::state_value>();
  round_trip<sale_order::invoice_status_value>();
  round_trip<res_partner::type_value>();
  round_trip<account_move::move_type_value>();
  round_trip<account_move::state_value>();
  round_trip<account_move::payment_state_value>();
  round_trip<stock_picking::state_value>();
  round_trip<stock_move::state_value>();
  round_trip<purchase_order::state_value>();
  round_trip<crm_lead::type_value>();
  round_trip<pos_order::state_value>();
  round_trip<product_template::type_value>();
  round_trip<stock_location::usage_value>();
  CHECK(m::to_string(sale_order::invoice_status_value::to_invoice) == "to invoice");
  CHECK(m::from_string<purchase_order::state_value>("to approve") == purchase_order::state_value::to_approve);
  CHECK(m::to_string(res_partner::sale_warn_value::no_message) == "no-message");
  static_assert(m::from_string<sale_order::state_value>("sale") == sale_order::state_value::sale);
  static_assert(m::to_string(sale_order::state_value::cancel) == "cancel");
}
