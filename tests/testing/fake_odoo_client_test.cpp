// The fake Odoo behind the real client, over each protocol.

#include <doctest/doctest.h>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"

using namespace odoolink;
using testing::fake_odoo;

namespace {

std::shared_ptr<fake_odoo> server(int version = 18) {
  testing::fake_options o;
  o.major_version = version;
  o.users.front().api_key = "test-key";
  return std::make_shared<fake_odoo>(o);
}

client::client connect(std::shared_ptr<fake_odoo> s, client::protocol_kind p) {
  client::client_options o{.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin"};
  if (p == client::protocol_kind::json2) o.api_key = "test-key";
  else o.password = "admin";
  o.protocol = p;
  o.transport = std::move(s);
  auto c = client::client::connect(std::move(o));
  if (!c) FAIL(c.error().describe());
  return std::move(c).value();
}

json::value result_of(result<protocol::reply> r) {
  if (!r) FAIL(r.error().describe());
  auto v = json::parse(r.value().json());
  REQUIRE(v.has_value());
  return std::move(v).value();
}

}  // namespace

TEST_CASE("create then search_read round-trips over every protocol") {
  for (auto p : {client::protocol_kind::jsonrpc, client::protocol_kind::web_session, client::protocol_kind::xmlrpc,
                 client::protocol_kind::json2}) {
    CAPTURE(client::to_string(p));
    auto s = server(19);
    auto c = connect(s, p);
    const json::value id = result_of(c.execute_kw("res.partner", "create",
                                                  json::array{json::object{{"name", "Acme"}, {"is_company", true}}}));
    const std::int64_t new_id = id.is_array() ? id.as_array()[0].as_int() : id.as_int();
    CHECK(new_id > 0);
    const json::value rows = result_of(c.execute_kw(
        "res.partner", "search_read", json::array{json::array{json::array{"name", "=", "Acme"}}},
        json::object{{"fields", json::array{"name", "is_company", "parent_id", "child_ids", "write_date"}}}));
    REQUIRE(rows.as_array().size() == 1);
    const json::value& r = rows.as_array()[0];
    CHECK(r.find("id")->as_int() == new_id);
    CHECK(*r.find("name") == json::value("Acme"));
    CHECK(*r.find("is_company") == json::value(true));
    CHECK(*r.find("parent_id") == json::value(false));
    CHECK(*r.find("child_ids") == json::value(json::array{}));
    CHECK(r.find("write_date")->as_string().size() == 19);
  }
}

TEST_CASE("errors arrive with the real classes through the client") {
  auto s = server();
  auto c = connect(s, client::protocol_kind::jsonrpc);
  auto missing = c.execute_kw("res.partner", "write", json::array{json::array{999999}, json::object{{"name", "x"}}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == odoo_errc::missing_error);
  auto model = c.execute_kw("no.such.model", "search", json::array{json::array{}});
  REQUIRE_FALSE(model);
  CHECK(model.error() == odoo_errc::unknown_model);
  auto method = c.execute_kw("res.partner", "no_such_method", json::array{json::array{1}});
  REQUIRE_FALSE(method);
  CHECK(method.error() == odoo_errc::unknown_method);
  auto domain = c.execute_kw("res.partner", "search", json::array{json::array{json::array{"nope", "=", 1}}});
  REQUIRE_FALSE(domain);
  CHECK(domain.error() == odoo_errc::invalid_value);
  auto required = c.execute_kw("product.template", "create", json::array{json::object{{"list_price", 1.0}}});
  REQUIRE_FALSE(required);
  CHECK(required.error() == odoo_errc::validation_error);
  CHECK(required.error().message().find("Field: Name (name)") != std::string::npos);
  auto priv = c.execute_kw("res.partner", "_compute_display_name", json::array{json::array{1}});
  REQUIRE_FALSE(priv);
  CHECK(priv.error() == odoo_errc::access_error);
}

TEST_CASE("a failed batch create leaves nothing behind") {
  auto s = server();
  auto c = connect(s, client::protocol_kind::jsonrpc);
  const std::size_t before = s->count("res.partner");
  auto r = c.execute_kw("res.partner", "create",
                        json::array{json::array{json::object{{"name", "Good"}}, json::object{{"type", "contact"}, {"name", false}}}});
  REQUIRE_FALSE(r);
  CHECK(r.error() == odoo_errc::validation_error);
  CHECK(s->count("res.partner") == before);
}

TEST_CASE("the web session expires and the client logs in again") {
  auto s = server();
  auto c = connect(s, client::protocol_kind::web_session);
  CHECK(result_of(c.execute_kw("res.partner", "search_count", json::array{json::array{}})).as_int() > 0);
  s->expire_sessions();
  CHECK(result_of(c.execute_kw("res.partner", "search_count", json::array{json::array{}})).as_int() > 0);
}
