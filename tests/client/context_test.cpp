// Context helpers: `lang`, `tz` and `allowed_company_ids` set per client and
// per call reach the server on every protocol, and a multi-company create
// lands in the call's current company.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/client/context.hpp"
#include "odoolink/model/proxy.hpp"
#include "odoolink/models/sale_order.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace m = odoolink::model;
using models::sale_order;

namespace {

struct order_company {
  std::int64_t id = 0;
  m::many2one<models::res_company> company_id;
  ODOOLINK_VIEW(order_company, sale_order, id, company_id)
};

// The context of every ORM call the server ran, in order.
struct served {
  std::shared_ptr<testing::fake_odoo> server;
  std::vector<json::value> contexts;
};

std::unique_ptr<served> serve() {
  testing::fake_options o;
  o.major_version = 19;
  o.users.front().api_key = "test-key";
  auto out = std::make_unique<served>();
  out->server = std::make_shared<testing::fake_odoo>(o);
  const auto seeded = out->server->seed(R"({"res.partner": [{"id": 50, "name": "Customer"}],
                                           "res.company": [{"id": 2, "name": "Branch Co", "partner_id": 50}]})");
  REQUIRE_MESSAGE(seeded.has_value(), odoolink::test::error_of(seeded).describe());
  out->server->on_call("*", "*", [seen = out.get()](const testing::fake_call& call, testing::fake_odoo&) {
    const json::value* ctx = call.params.find("context");
    seen->contexts.push_back(ctx != nullptr ? *ctx : json::value(nullptr));
    return std::optional<testing::fake_hook_outcome>{};
  });
  return out;
}

client::client connect(const served& s, client::protocol_kind p, json::value context) {
  client::client_options o{.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin"};
  if (p == client::protocol_kind::json2) o.api_key = "test-key";
  else o.password = "admin";
  o.protocol = p;
  o.context = std::move(context);
  o.transport = s.server;
  auto c = client::client::connect(std::move(o));
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  return std::move(c).value();
}

std::string text_of(const json::value& ctx, std::string_view key) {
  const json::value* v = ctx.is_object() ? ctx.find(key) : nullptr;
  return v != nullptr && v->is_string() ? v->as_string() : std::string("<absent>");
}

json::value ids_of(const json::value& ctx) {
  const json::value* v = ctx.is_object() ? ctx.find("allowed_company_ids") : nullptr;
  return v != nullptr ? *v : json::value(nullptr);
}

}  // namespace

TEST_CASE("context builder sets typed keys and keeps others") {
  const json::value built = client::context(json::object{{"default_type", "service"}})
                                .lang("fr_BE")
                                .tz("Europe/Brussels")
                                .companies({2, 1})
                                .active_test(false);
  CHECK(built == json::value(json::object{{"default_type", "service"},
                                          {"lang", "fr_BE"},
                                          {"tz", "Europe/Brussels"},
                                          {"allowed_company_ids", json::array{2, 1}},
                                          {"active_test", false}}));
  // Setting a key again replaces it; no companies removes the key.
  const std::vector<std::int64_t> none;
  const json::value again = client::context().companies({3}).lang("de_DE").lang("nl_BE").companies(none);
  CHECK(again == json::value(json::object{{"lang", "nl_BE"}}));
  CHECK(client::context(json::value("not an object")).value() == json::value(json::object{}));
}

TEST_CASE("client and per-call context reach the server on every protocol and pick the company") {
  for (auto p : {client::protocol_kind::jsonrpc, client::protocol_kind::web_session, client::protocol_kind::json2,
                 client::protocol_kind::xmlrpc}) {
    CAPTURE(client::to_string(p));
    auto s = serve();
    auto c = connect(*s, p, client::context().lang("fr_BE").tz("Europe/Brussels").companies({1}));
    m::proxy<sale_order> orders(c);

    // The client's companies: the order lands in company 1.
    s->contexts.clear();
    auto first = orders.create(m::values<sale_order>{}.set(sale_order::partner_id, 50));
    REQUIRE_MESSAGE(first.has_value(), odoolink::test::error_of(first).describe());
    REQUIRE(s->contexts.size() == 1);
    CHECK(text_of(s->contexts[0], "lang") == "fr_BE");
    CHECK(text_of(s->contexts[0], "tz") == "Europe/Brussels");
    CHECK(ids_of(s->contexts[0]) == json::value(json::array{1}));

    // Per call, through the typed proxy: company 2 first; lang and tz stay the client's.
    s->contexts.clear();
    const client::call_options in_branch{.context = client::context().companies({2, 1}).lang("nl_BE")};
    auto second = orders.create(m::values<sale_order>{}.set(sale_order::partner_id, 50), in_branch);
    REQUIRE_MESSAGE(second.has_value(), odoolink::test::error_of(second).describe());
    REQUIRE(s->contexts.size() == 1);
    CHECK(text_of(s->contexts[0], "lang") == "nl_BE");
    CHECK(text_of(s->contexts[0], "tz") == "Europe/Brussels");
    CHECK(ids_of(s->contexts[0]) == json::value(json::array{2, 1}));

    auto rows = orders.read<order_company>({first.value(), second.value()}, in_branch);
    REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
    REQUIRE(rows.value().size() == 2);
    CHECK(rows.value()[0].company_id.id == 1);
    CHECK(rows.value()[1].company_id.id == 2);
    CHECK(rows.value()[1].company_id.name == "Branch Co");

    // A company that does not exist (or the user may not access) is refused before anything runs.
    const std::size_t before = s->server->count("sale.order");
    auto refused = orders.create(m::values<sale_order>{}.set(sale_order::partner_id, 50),
                                 {.context = client::context().companies({99})});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == odoo_errc::access_error);
    CHECK(s->server->count("sale.order") == before);
  }
}
