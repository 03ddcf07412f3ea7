// A call the server's series cannot run is refused before it is sent, with a
// message naming what it needs (Odoo 16 answers an `any` leaf with
// "unhashable type: 'list'", which names nothing).
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/model/model.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using odoolink::models::res_partner;

namespace {

struct served {
  std::shared_ptr<testing::fake_odoo> server;
  client::client connection;
};

served serve(int series) {
  auto server = std::make_shared<testing::fake_odoo>(testing::fake_options{.major_version = series});
  REQUIRE(server->seed(R"({"res.partner": [{"name": "Deco Addict", "is_company": true},
                                           {"name": "Deco Invoices", "type": "invoice", "parent_id": 1}]})")
              .has_value());
  auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                    .password = "admin", .transport = server});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  return {server, std::move(c).value()};
}

std::size_t calls_of(const testing::fake_odoo& server, const std::string& method) {
  const auto stats = server.stats();
  return stats.per_method.contains(method) ? stats.per_method.at(method) : 0;
}

}  // namespace

TEST_CASE("the domain operator any is refused before the call on Odoo 16 and sent from 17 on") {
  const auto with_invoice_child = res_partner::child_ids.any(res_partner::type == res_partner::type_value::invoice);
  {
    auto odoo16 = serve(16);
    model::proxy<res_partner> partners(odoo16.connection);
    auto ids = partners.search(with_invoice_child);
    REQUIRE(ids.has_error());
    CHECK(ids.error() == protocol_errc::unsupported_call);
    CHECK_MESSAGE(ids.error().message().find("res.partner.search: the domain operator 'any' needs Odoo 17 or later") == 0,
                  ids.error().message());
    CHECK(calls_of(*odoo16.server, "search") == 0);
    // Nested, negated, in a keyword argument, through the untyped call: the same.
    const json::value none_named_x = json::array{"child_ids", "not any", json::array{json::array{"name", "=", "x"}}};
    const json::value domain = json::array{"|", json::array{"id", "=", 1}, none_named_x};
    auto named = odoo16.connection.execute_kw("res.partner", "name_search", json::array{},
                                              json::object{{"name", "Deco"}, {"domain", domain}});
    REQUIRE(named.has_error());
    CHECK(named.error() == protocol_errc::unsupported_call);
    CHECK(named.error().message().find("'not any'") != std::string::npos);
    // Without the operator, the call goes.
    auto plain = partners.search(res_partner::child_ids.dot(res_partner::type) == res_partner::type_value::invoice);
    REQUIRE_MESSAGE(plain.has_value(), odoolink::test::error_of(plain).describe());
    CHECK(plain.value() == std::vector<std::int64_t>{1});
  }
  auto odoo17 = serve(17);
  model::proxy<res_partner> partners(odoo17.connection);
  auto ids = partners.search(with_invoice_child);
  REQUIRE_MESSAGE(ids.has_value(), odoolink::test::error_of(ids).describe());
  CHECK(ids.value() == std::vector<std::int64_t>{1});
}

TEST_CASE("the fake plays Odoo 16's own answer to an any leaf") {
  auto odoo16 = serve(16);
  auto r = odoo16.server->call("res.partner", "search",
                               json::array{json::array{json::array{"child_ids", "any", json::array{json::array{"id", "=", 2}}}}});
  REQUIRE(r.has_error());
  CHECK(r.error().message().find("unhashable type: 'list'") != std::string::npos);
}
