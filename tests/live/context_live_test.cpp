// Context helpers and JSON-2's published signatures against a real Odoo
// (see live_env.hpp): a multi-company write lands in the company the context
// names, and a JSON-2 call of a method outside the built-in table names its
// positional arguments from /doc-bearer.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "live/live_env.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/client/context.hpp"
#include "odoolink/json/parse.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::client;

namespace {

json::value parsed(result<protocol::reply> r) {
  if (!r) FAIL_CHECK(r.error().describe());
  REQUIRE(r.has_value());
  auto v = json::parse(r.value().json());
  REQUIRE(v.has_value());
  return std::move(v).value();
}

std::string unique(std::string_view what) {
  return "odoolink " + std::string(what) + " " + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
}

}  // namespace

TEST_CASE("a multi-company write lands in the company the context names on every protocol") {
  auto s = test::live_or_skip();
  if (!s) return;
  auto admin = client::client::connect(test::options_for(*s, protocol_kind::jsonrpc));
  REQUIRE_MESSAGE(admin.has_value(), odoolink::test::error_of(admin).describe());
  auto& a = admin.value();
  // A second company the user may act in.
  const std::int64_t second = parsed(a.execute_kw("res.company", "create", json::array{json::object{{"name", unique("company")}}})).as_int();
  const std::int64_t uid = a.info().uid;
  parsed(a.execute_kw("res.users", "write",
                      json::array{json::array{uid}, json::object{{"company_ids", json::array{json::array{4, second}}}}}));
  const json::value me = parsed(a.execute_kw("res.users", "read", json::array{json::array{uid}},
                                             json::object{{"fields", json::array{"company_id"}}}));
  // A customer shared by every company (no company_id of its own).
  const json::value made = parsed(a.execute_kw("res.partner", "create", json::array{json::object{{"name", unique("customer")}}}));
  const std::int64_t partner = made.is_array() ? made.as_array()[0].as_int() : made.as_int();
  const std::int64_t first = me.as_array()[0].find("company_id")->as_array()[0].as_int();

  for (auto p : test::protocols_offered(*s)) {
    CAPTURE(std::string(to_string(p)));
    auto c = client::client::connect(test::options_for(*s, p));
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    // A sale order takes the current company: the first of allowed_company_ids.
    const json::value id = parsed(c.value().execute_kw(
        {"sale.order", "create", json::array{json::object{{"partner_id", partner}}}},
        {.context = client::context().companies({second, first})}));
    const std::int64_t order = id.is_array() ? id.as_array()[0].as_int() : id.as_int();
    const json::value back = parsed(c.value().execute_kw(
        {"sale.order", "read", json::array{json::array{order}}, json::object{{"fields", json::array{"company_id"}}}},
        {.context = client::context().companies({second, first})}));
    CHECK(back.as_array()[0].find("company_id")->as_array()[0].as_int() == second);
    // Without it, the user's current company.
    const json::value plain = parsed(c.value().execute_kw(
        {"sale.order", "create", json::array{json::object{{"partner_id", partner}}}}));
    const std::int64_t plain_id = plain.is_array() ? plain.as_array()[0].as_int() : plain.as_int();
    const json::value plain_back = parsed(c.value().execute_kw(
        {"sale.order", "read", json::array{json::array{plain_id}}, json::object{{"fields", json::array{"company_id"}}}}));
    CHECK(plain_back.as_array()[0].find("company_id")->as_array()[0].as_int() == first);
    parsed(c.value().execute_kw({"sale.order", "unlink", json::array{json::array{order, plain_id}}},
                                {.context = client::context().companies({second, first})}));
  }
}

TEST_CASE("JSON-2 names the positional arguments of a method outside the built-in table from /doc-bearer") {
  auto s = test::live_or_skip();
  if (!s) return;
  const auto offered = test::protocols_offered(*s);
  if (std::find(offered.begin(), offered.end(), protocol_kind::json2) == offered.end()) {
    MESSAGE("SKIPPED: JSON-2 needs Odoo 19 and ODOOLINK_TEST_API_KEY");
    return;
  }
  auto c = client::client::connect(test::options_for(*s, protocol_kind::json2));
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  const json::value ids = parsed(c.value().execute_kw("res.partner", "search", json::array{json::array{}},
                                                      json::object{{"limit", 1}}));
  REQUIRE_FALSE(ids.as_array().empty());
  // has_access(operation): `operation` is named from the published signature.
  const json::value allowed = parsed(c.value().execute_kw("res.partner", "has_access",
                                                          json::array{json::array{ids.as_array()[0]}, "read"}));
  CHECK(allowed == json::value(true));
  // One positional argument too many: refused before sending, naming model and method.
  auto too_many = c.value().execute_kw("res.partner", "has_access", json::array{json::array{ids.as_array()[0]}, "read", true});
  REQUIRE_FALSE(too_many.has_value());
  CHECK(too_many.error() == protocol_errc::unsupported_call);
  CHECK(too_many.error().message().find("res.partner.has_access") != std::string::npos);
}
