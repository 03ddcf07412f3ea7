// The default record (`M::record`, every field optional) of each of the 27
// shipped models, read through the typed proxy from a real Odoo of the
// series the generated namespace was made for, on every protocol the
// server speaks. Shared by one test file per series.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <vector>

#include "live/live_env.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/model/model.hpp"

namespace models_live {
using namespace odoolink;
namespace m = odoolink::model;

// The list of the 27 recorded models, as types of the namespace `ns`.
#define ODOOLINK_LIVE_ALL_MODELS(ns)                                                                                   \
  std::tuple<ns::account_journal, ns::account_move, ns::account_move_line, ns::account_payment, ns::account_tax,       \
             ns::crm_lead, ns::pos_order, ns::pos_order_line, ns::product_category, ns::product_product,              \
             ns::product_template, ns::purchase_order, ns::purchase_order_line, ns::res_company, ns::res_currency,     \
             ns::res_partner, ns::res_users, ns::sale_order, ns::sale_order_line, ns::stock_location, ns::stock_lot,   \
             ns::stock_move, ns::stock_move_line, ns::stock_picking, ns::stock_quant, ns::stock_warehouse, ns::uom_uom>

// Every protocol the server answers: JSON-RPC, the web session, XML-RPC,
// and JSON-2 with an API key (Odoo 19).
inline std::vector<client::client> every_protocol(const test::live_server& s) {
  std::vector<client::client> out;
  for (auto p : {client::protocol_kind::jsonrpc, client::protocol_kind::web_session, client::protocol_kind::xmlrpc}) {
    auto c = client::client::connect(
        {.url = s.url, .database = s.database, .login = s.user, .password = s.password, .protocol = p});
    REQUIRE_MESSAGE(c.has_value(), c.error().describe());
    out.push_back(std::move(c).value());
  }
  if (!s.api_key.empty()) {
    auto k = client::client::connect({.url = s.url, .database = s.database, .login = s.user, .api_key = s.api_key});
    if (k && k.value().info().protocol == client::protocol_kind::json2) out.push_back(std::move(k).value());
  }
  return out;
}

// Reads up to 5 records of `M` with its default record; a model whose
// module is not installed is reported and left out.
template <class M>
void read_default_record(client::client& c, int& read, int& absent) {
  const std::string model(M::odoo_model);
  INFO("model: " << model);
  auto known = c.server_fields().get(c, model);
  if (!known && known.error() == odoo_errc::unknown_model) {
    MESSAGE(model << " is not installed on this server: left out");
    ++absent;
    return;
  }
  REQUIRE_MESSAGE(known.has_value(), known.error().describe());
  auto rows = m::proxy<M>(c).template search_read<typename M::record>({}, {.limit = 5, .order = "id"});
  REQUIRE_MESSAGE(rows.has_value(), rows.error().describe());
  for (const auto& r : rows.value()) CHECK(r.id > 0);
  ++read;
}

template <class... M>
void read_all(client::client& c, std::tuple<M...>* /*unused*/) {
  int read = 0, absent = 0;
  (read_default_record<M>(c, read, absent), ...);
  MESSAGE(client::to_string(c.info().protocol) << ": " << read << " models read, " << absent << " not installed");
  CHECK(read + absent == static_cast<int>(sizeof...(M)));
  // The point-of-sale day the suite needs: partners, products, orders.
  CHECK(read >= 20);
}

// Runs the check when the server is of `series`; says so and returns otherwise.
template <class Models>
void check_series(int series) {
  auto s = test::live_or_skip();
  if (!s) return;
  auto clients = every_protocol(*s);
  if (clients.front().info().version.major != series) {
    MESSAGE("SKIPPED: the server runs Odoo " << clients.front().info().version.major << ", not " << series);
    return;
  }
  for (auto& c : clients) {
    INFO("protocol: " << client::to_string(c.info().protocol));
    read_all(c, static_cast<Models*>(nullptr));
  }
}

}  // namespace models_live
