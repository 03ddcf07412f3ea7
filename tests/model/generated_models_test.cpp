// Every generated model header compiles (all in one translation unit), every
// full record decodes a response with every field set and with every field
// empty, and every selection enum round-trips through Odoo's strings.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/model/decode.hpp"
#include "odoolink/model/field_info.hpp"
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

using namespace odoolink;
using namespace odoolink::models;
namespace m = odoolink::model;

namespace {

using all_models = std::tuple<account_journal, account_move, account_move_line, account_payment, account_tax, crm_lead,
                              pos_order, pos_order_line, product_category, product_product, product_template,
                              purchase_order, purchase_order_line, res_company, res_currency, res_partner, res_users,
                              sale_order, sale_order_line, stock_location, stock_lot, stock_move, stock_move_line,
                              stock_picking, stock_quant, stock_warehouse, uom_uom>;

std::string fields_json(std::string_view model) {
  std::ifstream in(std::filesystem::path(ODOOLINK_FIXTURES_DIR) / "odoo18" / "fields" / (std::string(model) + ".json"));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A value of the field's type as Odoo sends it; `empty` gives Odoo's empty value.
json::value sample(const m::field_info& f, bool empty) {
  const std::string& t = f.type;
  if (t == "boolean") return !empty;
  if (t == "integer") return empty ? 0 : 7;
  if (t == "float" || t == "monetary") return empty ? 0.0 : 2.25;
  if (t == "one2many" || t == "many2many") return empty ? json::array{} : json::array{3, 1, 2};
  if (empty) return false;
  if (t == "char" || t == "text" || t == "html") return "text of " + f.name + " \xC3\xA9";
  if (t == "selection") return f.selection.empty() ? json::value("anything") : f.selection.front().first;
  if (t == "date") return "2026-11-22";
  if (t == "datetime") return "2026-11-22 06:01:23";
  if (t == "binary") return "aGVsbG8=";
  if (t == "many2one") return json::array{3, "Display \"Name\""};
  return json::object{{"kind", t}, {"nested", json::array{1, json::object{{"x", nullptr}}}}};
}

template <class M>
void check_model() {
  const std::string model(M::odoo_model);
  INFO("model: " << model);
  auto fields = m::parse_fields_get(fields_json(model));
  REQUIRE_MESSAGE(fields.has_value(), fields.error().describe());

  // The record requests exactly the model's fields.
  const json::array requested = m::view_traits<typename M::record>::field_names();
  CHECK(requested.size() + 1 == fields.value().size());  // all but `id`

  json::array rows;
  for (int i = 0; i < 2; ++i) {
    json::object row;
    row.emplace_back("id", 10 + i);
    for (const auto& f : fields.value())
      if (f.name != "id") row.emplace_back(f.name, sample(f, i == 1));
    rows.emplace_back(std::move(row));
  }
  auto decoded = m::decode<typename M::record>(protocol::reply(json::to_string(rows)), model);
  REQUIRE_MESSAGE(decoded.has_value(), decoded.error().describe());
  REQUIRE(decoded.value().size() == 2);
  CHECK(decoded.value()[0].id == 10);
  CHECK(decoded.value()[1].id == 11);
  // Written back, an all-empty record gives false for every nullable field.
  const json::value vals = m::to_vals(decoded.value()[1]);
  REQUIRE(vals.is_object());
  for (const auto& [k, v] : vals.as_object()) CHECK_MESSAGE((v.is_bool() || v.is_number() || v.is_null() || v.is_object()), k);
}

template <class... M>
void check_all(std::tuple<M...>* /*unused*/) {
  (check_model<M>(), ...);
}

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
  check_all(static_cast<all_models*>(nullptr));
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
  REQUIRE_MESSAGE(rows.has_value(), rows.error().describe());
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
