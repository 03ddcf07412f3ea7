// Drift: the shipped contracts against the recorded Odoo 18 fields_get
// dumps (clean), against mutated copies (exactly the mutation), against
// Odoo 19 (real drift), and against a live client.
#include <doctest/doctest.h>

#include <functional>
#include <memory>

#include "contract_support.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/contract/drift.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/testing/replay_transport.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::contract;
using odoolink::test::erase;

namespace {

fields_catalog dumps(const std::string& version) {
  fields_catalog out;
  for (const auto& entry : std::filesystem::directory_iterator(odoolink::test::fixtures() / version / "fields"))
    out.emplace(entry.path().stem().string(), odoolink::test::parse_json(odoolink::test::read_text(entry.path())));
  return out;
}

const fields_catalog& odoo18() {
  static const fields_catalog c = dumps("odoo18");
  return c;
}

json::value& attrs(fields_catalog& c, const std::string& model, const std::string& field) {
  json::value* f = c.at(model).find(field);
  REQUIRE_MESSAGE(f != nullptr, std::string(model + "." + field));
  return *f;
}

struct mutation_case {
  const char* name;
  const char* subject;
  std::function<void(fields_catalog&)> mutate;
  drift_kind kind;
  const char* path;
  const char* model;
  const char* field;
};

}  // namespace

TEST_CASE("every shipped contract is clean against the Odoo 18 fields_get dumps") {
  REQUIRE(odoo18().size() == 27);
  auto shipped = registry::load_directory(odoolink::test::shipped_contracts());
  REQUIRE_MESSAGE(shipped.has_value(), odoolink::test::error_of(shipped).message());
  int checked = 0;
  for (const auto& subject : shipped.value().subjects()) {
    for (const auto& c : shipped.value().history(subject)) {
      CAPTURE(subject);
      CAPTURE(c.version());
      const auto report = check_drift(c, odoo18());
      CHECK_MESSAGE(report.clean(), report.describe());
      // res.country (dotted path country_id.code) has no dump; nothing else is missing.
      if (subject == "customer") {
        CHECK(report.missing_models == std::vector<std::string>{"res.country"});
      } else {
        CHECK(report.missing_models.empty());
      }
      ++checked;
    }
  }
  CHECK(checked == 7);
}

TEST_CASE("mutated fields_get copies report exactly the mutation") {
  const std::vector<mutation_case> cases = {
      {"field removed", "sales_order", [](fields_catalog& c) { c.at("sale.order").as_object().erase(
           std::find_if(c.at("sale.order").as_object().begin(), c.at("sale.order").as_object().end(),
                        [](const json::member& m) { return m.first == "client_order_ref"; })); },
       drift_kind::field_missing, "order_ref", "sale.order", "client_order_ref"},
      {"line field type changed", "sales_order", [](fields_catalog& c) { attrs(c, "sale.order.line", "product_uom_qty").set("type", "integer"); },
       drift_kind::type_mismatch, "lines[].quantity", "sale.order.line", "product_uom_qty"},
      {"relation points elsewhere", "sales_order",
       [](fields_catalog& c) { attrs(c, "sale.order.line", "product_id").set("relation", "product.template"); },
       drift_kind::relation_mismatch, "lines[].product", "sale.order.line", "product_id"},
      {"selection value removed", "sales_order",
       [](fields_catalog& c) {
         attrs(c, "sale.order", "state").set("selection", json::array{json::array{"draft", "Quotation"}, json::array{"sent", "Sent"},
                                                                      json::array{"sale", "Sales Order"}});
       },
       drift_kind::selection_value_missing, "status", "sale.order", "state"},
      {"field became required", "sales_order", [](fields_catalog& c) { attrs(c, "sale.order.line", "discount").set("required", true); },
       drift_kind::required_mismatch, "lines[].discount_percent", "sale.order.line", "discount"},
      {"x2many now points elsewhere", "sales_order",
       [](fields_catalog& c) { attrs(c, "sale.order", "order_line").set("relation", "sale.order.option"); },
       drift_kind::relation_mismatch, "lines", "sale.order", "order_line"},
      {"company_type lost a value", "customer",
       [](fields_catalog& c) { attrs(c, "res.partner", "company_type").set("selection", json::array{json::array{"person", "Individual"}}); },
       drift_kind::selection_value_missing, "kind", "res.partner", "company_type"},
      {"dotted path through a non-relational field", "customer",
       [](fields_catalog& c) {
         attrs(c, "res.partner", "country_id").set("type", "char");
         erase(attrs(c, "res.partner", "country_id"), "relation");
       },
       drift_kind::type_mismatch, "address.country", "res.partner", "country_id"},
      {"flattened field removed", "customer", [](fields_catalog& c) {
         auto& o = c.at("res.partner").as_object();
         o.erase(std::find_if(o.begin(), o.end(), [](const json::member& m) { return m.first == "street"; }));
       },
       drift_kind::field_missing, "address.street", "res.partner", "street"},
      {"many2many became many2one", "customer", [](fields_catalog& c) { attrs(c, "res.partner", "category_id").set("type", "many2one"); },
       drift_kind::type_mismatch, "tags", "res.partner", "category_id"},
      {"mapped enum value missing", "product",
       [](fields_catalog& c) {
         attrs(c, "product.product", "type").set("selection", json::array{json::array{"service", "Service"}, json::array{"combo", "Combo"}});
       },
       drift_kind::selection_value_missing, "kind", "product.product", "type"},
      {"float became char", "product", [](fields_catalog& c) { attrs(c, "product.product", "list_price").set("type", "char"); },
       drift_kind::type_mismatch, "sale_price", "product.product", "list_price"},
      {"line model lost a field", "stock_receipt", [](fields_catalog& c) {
         auto& o = c.at("stock.move").as_object();
         o.erase(std::find_if(o.begin(), o.end(), [](const json::member& m) { return m.first == "product_uom_qty"; }));
       },
       drift_kind::field_missing, "lines[].expected_quantity", "stock.move", "product_uom_qty"},
      {"many2one points elsewhere", "stock_receipt",
       [](fields_catalog& c) { attrs(c, "stock.picking", "picking_type_id").set("relation", "stock.location"); },
       drift_kind::relation_mismatch, "operation_type", "stock.picking", "picking_type_id"},
      {"many2many became many2one on a line", "invoice", [](fields_catalog& c) { attrs(c, "account.move.line", "tax_ids").set("type", "many2one"); },
       drift_kind::type_mismatch, "lines[].taxes", "account.move.line", "tax_ids"},
      {"optional date became required", "invoice", [](fields_catalog& c) { attrs(c, "account.move", "invoice_date").set("required", true); },
       drift_kind::required_mismatch, "invoice_date", "account.move", "invoice_date"},
      {"date became datetime", "invoice", [](fields_catalog& c) { attrs(c, "account.move", "invoice_date_due").set("type", "datetime"); },
       drift_kind::type_mismatch, "due_date", "account.move", "invoice_date_due"},
  };
  for (const auto& m : cases) {
    CAPTURE(m.name);
    fields_catalog copy = odoo18();
    m.mutate(copy);
    const auto report = check_drift(odoolink::test::shipped(m.subject), copy);
    REQUIRE_MESSAGE(report.issues.size() == 1, report.describe());
    const auto& issue = report.issues[0];
    CHECK(issue.kind == m.kind);
    CHECK(issue.path == m.path);
    CHECK(issue.model == m.model);
    CHECK(issue.odoo_field == m.field);
    CHECK_FALSE(issue.message.empty());
  }
}

TEST_CASE("a fallback field stands in for the field a series names otherwise - and is checked as it") {
  const auto receipt = odoolink::test::shipped("stock_receipt", "1.1.0");
  // Odoo 16 has stock.move.quantity_done, not quantity: clean with the fallback, drift without it.
  const fields_catalog odoo16 = dumps("odoo16");
  CHECK_MESSAGE(check_drift(receipt, odoo16).clean(), check_drift(receipt, odoo16).describe());
  const auto before = check_drift(odoolink::test::shipped("stock_receipt", "1.0.0"), odoo16);
  REQUIRE(before.issues.size() == 1);
  CHECK(before.issues[0].path == "lines[].received_quantity");
  // The fallback is checked like the field: of another type, it is drift.
  fields_catalog retyped = odoo16;
  retyped.at("stock.move").find("quantity_done")->set("type", "char");
  const auto typed = check_drift(receipt, retyped);
  REQUIRE_MESSAGE(typed.issues.size() == 1, typed.describe());
  CHECK(typed.issues[0].kind == drift_kind::type_mismatch);
  CHECK(typed.issues[0].odoo_field == "quantity_done");
  // Neither: the message names both.
  fields_catalog neither = odoo16;
  odoolink::test::erase(neither.at("stock.move"), "quantity_done");
  const auto missing = check_drift(receipt, neither);
  REQUIRE_MESSAGE(missing.issues.size() == 1, missing.describe());
  CHECK(missing.issues[0].kind == drift_kind::field_missing);
  CHECK(missing.issues[0].message == "stock.move has no field quantity (nor its fallback quantity_done)");
}

TEST_CASE("missing dumps: the contract's model is drift - related models are only not checked") {
  fields_catalog copy = odoo18();
  copy.erase("sale.order.line");
  const auto order = odoolink::test::shipped("sales_order");
  auto report = check_drift(order, copy);
  CHECK(report.clean());
  CHECK(report.missing_models == std::vector<std::string>{"sale.order.line"});
  copy.erase("sale.order");
  report = check_drift(order, copy);
  REQUIRE(report.issues.size() == 1);
  CHECK(report.issues[0].kind == drift_kind::model_missing);
  // The single-model form checks only the contract's model.
  report = check_drift(order, odoo18().at("sale.order"));
  CHECK(report.clean());
  CHECK(report.missing_models == std::vector<std::string>{"sale.order.line"});
}

TEST_CASE("strict required-ness also reports fields the contract requires and Odoo does not") {
  const auto report = check_drift(odoolink::test::shipped("invoice"), odoo18(), drift_options{.strict_required = true});
  std::vector<std::string> paths;
  for (const auto& i : report.issues) {
    CHECK(i.kind == drift_kind::required_mismatch);
    paths.push_back(i.path);
  }
  CHECK(paths == std::vector<std::string>{"customer", "lines[].quantity", "lines[].price_unit"});
}

TEST_CASE("the shipped contracts map the fields Odoo 17 and 19 lack as optional: no drift on 17 18 or 19") {
  for (const char* series : {"odoo17", "odoo18", "odoo19"}) {
    CAPTURE(series);
    const fields_catalog catalog = dumps(series);
    for (const auto& [subject, version] : std::vector<std::pair<std::string, std::string>>{
             {"customer", "1.0.0"}, {"customer", "1.1.0"}, {"product", "1.0.0"}, {"sales_order", "1.0.0"},
             {"stock_receipt", "1.0.0"}, {"stock_receipt", "1.1.0"}, {"invoice", "1.0.0"}}) {
      CAPTURE(subject);
      const auto report = check_drift(odoolink::test::shipped(subject, version), catalog);
      CHECK_MESSAGE(report.clean(), report.describe());
    }
  }
  // Without `optional`, Odoo 19 lacks what 18 had: drift.
  auto strict = contract::contract::parse(
      odoolink::test::read_text(std::filesystem::path(ODOOLINK_TEST_SOURCE_DIR) / "contract" / "data" / "partner_mobile.json"));
  REQUIRE(strict.has_value());
  const auto customer = check_drift(strict.value(), dumps("odoo19"));
  REQUIRE(customer.issues.size() == 1);
  CHECK(customer.issues[0].kind == drift_kind::field_missing);
  CHECK(customer.issues[0].path == "mobile");
  CHECK(customer.describe() == "field_missing mobile (res.partner.mobile): res.partner has no field mobile");
}

namespace {
// Answers `fields_get` from a catalog (an unknown model as Odoo 18 does,
// "Object x doesn't exist"); everything else from the Odoo 18 recordings.
class fields_server final : public transport::sync_transport {
 public:
  fields_server(fields_catalog catalog, std::shared_ptr<testing::replay_transport> inner)
      : catalog_(std::move(catalog)), inner_(std::move(inner)) {}
  result<http_response> send(const http_request& r) override {
    auto body = json::parse(r.body);
    if (body) {
      const json::value* params = body.value().find("params");
      const json::value* args = params != nullptr ? params->find("args") : nullptr;
      if (args != nullptr && args->is_array() && args->as_array().size() >= 5 && args->as_array()[4] == json::value("fields_get")) {
        const std::string model = args->as_array()[3].as_string();
        asked.push_back(model);
        json::value answer = json::object{{"jsonrpc", "2.0"}, {"id", *body.value().find("id")}};
        if (const auto it = catalog_.find(model); it != catalog_.end()) {
          answer.set("result", it->second);
        } else {
          answer.set("error", json::object{{"code", 200}, {"message", "Odoo Server Error"},
                                           {"data", json::object{{"name", "odoo.exceptions.UserError"},
                                                                 {"message", "Object " + model + " doesn't exist"},
                                                                 {"arguments", json::array{}}, {"context", json::object{}},
                                                                 {"debug", ""}}}});
        }
        return http_response{200, {{"Content-Type", "application/json"}}, json::to_string(answer)};
      }
    }
    return inner_->send(r);
  }
  std::vector<std::string> asked;

 private:
  fields_catalog catalog_;
  std::shared_ptr<testing::replay_transport> inner_;
};

client::client connect(std::shared_ptr<transport::http_transport> t) {
  auto c = client::client::connect(client::client_options{.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                                          .password = "admin", .protocol = client::protocol_kind::jsonrpc,
                                                          .transport = std::move(t)});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  return std::move(c).value();
}
}  // namespace

TEST_CASE("drift against a live client fetches every model the contract reaches") {
  fields_catalog served = odoo18();
  served.emplace("res.country", odoolink::test::parse_json(
                                    R"({"code": {"type": "char", "required": true, "readonly": false, "string": "Country Code"}})"));
  auto server = std::make_shared<fields_server>(served, std::make_shared<testing::replay_transport>(
                                                            testing::load_exchanges((odoolink::test::fixtures() / "odoo18").string())));
  auto odoo = connect(server);
  auto report = check_drift(odoolink::test::shipped("customer"), odoo);
  REQUIRE_MESSAGE(report.has_value(), odoolink::test::error_of(report).describe());
  CHECK_MESSAGE(report.value().clean(), report.value().describe());
  CHECK(report.value().missing_models.empty());
  CHECK(server->asked == std::vector<std::string>{"res.partner", "res.country"});

  // The dotted path's last hop is checked once its model is fetched.
  served.at("res.country") = odoolink::test::parse_json(R"({"code": {"type": "integer", "required": false}})");
  server = std::make_shared<fields_server>(served, std::make_shared<testing::replay_transport>(
                                                       testing::load_exchanges((odoolink::test::fixtures() / "odoo18").string())));
  odoo = connect(server);
  report = check_drift(odoolink::test::shipped("customer"), odoo);
  REQUIRE(report.has_value());
  REQUIRE(report.value().issues.size() == 1);
  CHECK(report.value().issues[0].kind == drift_kind::type_mismatch);
  CHECK(report.value().issues[0].model == "res.country");

  // A model the server does not have is drift.
  served.erase("sale.order.line");
  server = std::make_shared<fields_server>(served, std::make_shared<testing::replay_transport>(
                                                       testing::load_exchanges((odoolink::test::fixtures() / "odoo18").string())));
  odoo = connect(server);
  report = check_drift(odoolink::test::shipped("sales_order"), odoo);
  REQUIRE(report.has_value());
  REQUIRE(report.value().issues.size() == 1);
  CHECK(report.value().issues[0].kind == drift_kind::model_missing);
  CHECK(report.value().issues[0].model == "sale.order.line");
  CHECK(server->asked == std::vector<std::string>{"sale.order", "sale.order.line"});
}
