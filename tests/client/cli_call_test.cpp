// `odoolink call` against the fake Odoo on a loopback port.
#if defined(ODOOLINK_CLI)
#include <doctest/doctest.h>

#include <string>

#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/cli_process.hpp"
#include "support/error_of.hpp"

using odoolink::test::run_odoolink;
namespace json = odoolink::json;

namespace {

const std::string env = "env -u ODOOLINK_PASSWORD -u ODOOLINK_API_KEY CALL_PW=admin CALL_KEY=test-key";

struct served {
  std::shared_ptr<odoolink::testing::fake_odoo> odoo;
  std::unique_ptr<odoolink::testing::fake_listener> listener;
  std::string flags;  // --url ... --db ... --user ... --password-env
};

served serve(int version) {
  odoolink::testing::fake_options o;
  o.major_version = version;
  o.users.front().api_key = "test-key";
  served s;
  s.odoo = std::make_shared<odoolink::testing::fake_odoo>(o);
  s.odoo->on_call("res.partner", "action_touch", [](const odoolink::testing::fake_call&, odoolink::testing::fake_odoo&) {
    return odoolink::testing::fake_hook_outcome{json::value(nullptr), {}};
  });
  auto l = s.odoo->listen();
  REQUIRE_MESSAGE(l.has_value(), odoolink::test::error_of(l).describe());
  s.listener = std::move(l).value();
  s.flags = " --url " + s.listener->url() + " --db odoolink --user admin --password-env CALL_PW";
  return s;
}

}  // namespace

TEST_CASE("call prints the JSON result and --json wraps it with the call") {
  auto s = serve(18);
  REQUIRE(s.odoo->call("res.partner", "create", json::array{json::object{{"name", "Acme"}, {"is_company", true}}})
              .has_value());
  const auto plain = run_odoolink(
      R"(call res.partner search_read '[[["is_company","=",true],["name","=","Acme"]]]' '{"fields":["name"]}')" + s.flags,
      env);
  REQUIRE_MESSAGE(plain.exit_code == 0, plain.err);
  auto rows = json::parse(plain.out);
  REQUIRE_MESSAGE(rows.has_value(), plain.out);
  REQUIRE(rows.value().as_array().size() == 1);
  CHECK(rows.value().as_array()[0].find("name")->as_string() == "Acme");
  CHECK(plain.err.empty());

  const auto wrapped = run_odoolink("call res.partner search_count '[[]]' --json --protocol xmlrpc" + s.flags, env);
  REQUIRE_MESSAGE(wrapped.exit_code == 0, wrapped.err);
  auto doc = json::parse(wrapped.out);
  REQUIRE_MESSAGE(doc.has_value(), wrapped.out);
  CHECK(*doc.value().find("ok") == json::value(true));
  CHECK(doc.value().find("model")->as_string() == "res.partner");
  CHECK(doc.value().find("method")->as_string() == "search_count");
  CHECK(doc.value().find("protocol")->as_string() == "xmlrpc");
  const auto count = s.odoo->call("res.partner", "search_count", json::array{json::array{}});
  REQUIRE(count.has_value());
  CHECK(*doc.value().find("result") == count.value());
  CHECK(count.value().as_int() >= 2);
}

TEST_CASE("call exit codes: 1 with the odoo_errc name 2 for bad JSON 3 for a refused login") {
  auto s = serve(19);
  const auto before = s.odoo->stats().requests;
  for (const std::string protocol : {"jsonrpc", "web", "xmlrpc"}) {
    CAPTURE(protocol);
    const auto unknown =
        run_odoolink("call no.such.model search '[[]]' --json --protocol " + protocol + s.flags, env);
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("odoolink call: unknown_model:") != std::string::npos);
    auto doc = json::parse(unknown.out);
    REQUIRE_MESSAGE(doc.has_value(), unknown.out);
    CHECK(*doc.value().find("ok") == json::value(false));
    CHECK(doc.value().find("error")->find("code")->as_string() == "unknown_model");
  }
  const auto json2 = run_odoolink(
      "call no.such.model search '[[]]' --protocol json2 --url " + s.listener->url() + " --api-key-env CALL_KEY", env);
  CHECK(json2.exit_code == 1);
  CHECK(json2.err.find("odoolink call: unknown_model:") != std::string::npos);

  const auto none = run_odoolink("call res.partner action_touch --protocol xmlrpc" + s.flags, env);
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("unmarshallable_result") != std::string::npos);
  const auto none_web = run_odoolink("call res.partner action_touch --protocol web" + s.flags, env);
  CHECK_MESSAGE(none_web.exit_code == 0, none_web.err);
  CHECK(none_web.out == "null\n");

  const auto requests = s.odoo->stats().requests;
  CHECK(run_odoolink("call res.partner search '[[' " + s.flags, env).exit_code == 2);
  CHECK(run_odoolink("call res.partner search '{}' " + s.flags, env).exit_code == 2);
  const auto kwargs = run_odoolink("call res.partner search '[[]]' '[1]' " + s.flags, env);
  CHECK(kwargs.exit_code == 2);
  CHECK(kwargs.err.find("KWARGS must be a JSON object") != std::string::npos);
  CHECK(run_odoolink("call res.partner" + s.flags, env).exit_code == 2);
  CHECK(s.odoo->stats().requests == requests);  // usage errors never reach the server
  CHECK(requests > before);

  const std::string wrong = "An0ther-Wr0ng-Secret";
  for (const std::string protocol : {"jsonrpc", "web", "xmlrpc", "json2"}) {
    CAPTURE(protocol);
    const std::string secret_flag = protocol == "json2" ? " --api-key-env BAD" : " --password-env BAD";
    const auto refused = run_odoolink("call res.partner search '[[]]' --protocol " + protocol + " --url " +
                                          s.listener->url() + " --db odoolink --user admin" + secret_flag,
                                      env + " BAD=" + wrong);
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("access_denied") != std::string::npos);
    CHECK(refused.out.find(wrong) == std::string::npos);
    CHECK(refused.err.find(wrong) == std::string::npos);
  }
}
#endif
