// The 27 models recorded in tests/fixtures/odooNN/fields, shared by the
// generated-model suites and the live model tests.
#pragma once

#include <tuple>

/// The recorded models as a std::tuple of the types of namespace `ns`.
#define ODOOLINK_TEST_ALL_MODELS(ns)                                                                                   \
  std::tuple<ns::account_journal, ns::account_move, ns::account_move_line, ns::account_payment, ns::account_tax,       \
             ns::crm_lead, ns::pos_order, ns::pos_order_line, ns::product_category, ns::product_product,              \
             ns::product_template, ns::purchase_order, ns::purchase_order_line, ns::res_company, ns::res_currency,     \
             ns::res_partner, ns::res_users, ns::sale_order, ns::sale_order_line, ns::stock_location, ns::stock_lot,   \
             ns::stock_move, ns::stock_move_line, ns::stock_picking, ns::stock_quant, ns::stock_warehouse, ns::uom_uom>
