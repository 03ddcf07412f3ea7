// `odoolink ping` against the fake Odoo on a loopback port.
#if defined(ODOOLINK_CLI)
#include <doctest/doctest.h>

#include <string>

#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/cli_process.hpp"
#include "support/error_of.hpp"

using odoolink::test::run_odoolink;

namespace {

// Secrets reach the tool through the environment only; the defaults are
// cleared so the caller's own ODOOLINK_PASSWORD cannot leak in.
const std::string env = "env -u ODOOLINK_PASSWORD -u ODOOLINK_API_KEY PING_PW=admin PING_KEY=test-key";

std::shared_ptr<odoolink::testing::fake_odoo> server(int version) {
  odoolink::testing::fake_options o;
  o.major_version = version;
  o.users.front().api_key = "test-key";
  return std::make_shared<odoolink::testing::fake_odoo>(o);
}

}  // namespace

TEST_CASE("ping reports the version the protocol the uid and the latency") {
  auto odoo = server(19);
  auto listener = odoo->listen();
  REQUIRE_MESSAGE(listener.has_value(), odoolink::test::error_of(listener).describe());
  const std::string target = "ping --url " + listener.value()->url() + " --db odoolink --user admin";

  const auto key = run_odoolink(target + " --api-key-env PING_KEY --json", env);
  REQUIRE_MESSAGE(key.exit_code == 0, key.err);
  auto doc = odoolink::json::parse(key.out);
  REQUIRE_MESSAGE(doc.has_value(), key.out);
  const auto& v = doc.value();
  CHECK(*v.find("ok") == odoolink::json::value(true));
  CHECK(v.find("series")->as_int() == 19);
  CHECK(v.find("server_version")->as_string() == "19.0");
  CHECK(v.find("protocol")->as_string() == "json2");
  CHECK(v.find("uid")->as_int() == 2);
  CHECK(v.find("database")->as_string() == "odoolink");
  CHECK(v.find("connect_ms")->as_double() >= 0.0);
  CHECK(v.find("call_ms")->as_double() >= 0.0);
  CHECK(key.out.find("test-key") == std::string::npos);

  const auto text = run_odoolink(target + " --password-env PING_PW --protocol xmlrpc", env);
  REQUIRE_MESSAGE(text.exit_code == 0, text.err);
  CHECK(text.out.find("Odoo 19.0 (series 19)") != std::string::npos);
  CHECK(text.out.find("protocol  xmlrpc") != std::string::npos);
  CHECK(text.out.find("uid 2 on odoolink") != std::string::npos);
  CHECK(text.out.find("connect ") != std::string::npos);

  // The password from stdin; a password on Odoo 19 picks the web session.
  const auto piped = run_odoolink(target + " --password-stdin", env, "admin\n");
  REQUIRE_MESSAGE(piped.exit_code == 0, piped.err);
  CHECK(piped.out.find("protocol  web_session") != std::string::npos);
}

TEST_CASE("ping on Odoo 18 chooses the web session for a password") {
  auto odoo = server(18);
  auto listener = odoo->listen();
  REQUIRE_MESSAGE(listener.has_value(), odoolink::test::error_of(listener).describe());
  const auto r = run_odoolink(
      "ping --json --url " + listener.value()->url() + " --db odoolink --user admin --password-env PING_PW", env);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto doc = odoolink::json::parse(r.out);
  REQUIRE_MESSAGE(doc.has_value(), r.out);
  CHECK(doc.value().find("series")->as_int() == 18);
  CHECK(doc.value().find("protocol")->as_string() == "web_session");
}

TEST_CASE("ping exit codes: 3 for a refused login 2 for usage 1 for an unreachable server") {
  auto odoo = server(18);
  auto listener = odoo->listen();
  REQUIRE_MESSAGE(listener.has_value(), odoolink::test::error_of(listener).describe());
  const std::string target = "ping --url " + listener.value()->url() + " --db odoolink --user admin";
  const std::string wrong = "Wr0ng-Pa55word-Value";

  for (const std::string protocol : {"jsonrpc", "web", "xmlrpc"}) {
    CAPTURE(protocol);
    const auto refused =
        run_odoolink(target + " --json --password-env BAD_PW --protocol " + protocol, env + " BAD_PW=" + wrong);
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("access_denied") != std::string::npos);
    auto doc = odoolink::json::parse(refused.out);
    REQUIRE_MESSAGE(doc.has_value(), refused.out);
    CHECK(doc.value().find("error")->find("code")->as_string() == "access_denied");
    CHECK(refused.out.find(wrong) == std::string::npos);
    CHECK(refused.err.find(wrong) == std::string::npos);
  }

  // A secret on the command line is refused, and not repeated.
  const auto argv_secret = run_odoolink(target + " --password " + wrong, env);
  CHECK(argv_secret.exit_code == 2);
  CHECK(argv_secret.err.find("--password-env") != std::string::npos);
  CHECK(argv_secret.err.find(wrong) == std::string::npos);

  CHECK(run_odoolink(target + " --password-env NOT_SET_ANYWHERE", env).exit_code == 2);
  CHECK(run_odoolink(target, env).exit_code == 2);  // no secret at all
  CHECK(run_odoolink(target + " --password-env PING_PW --protocol soap", env).exit_code == 2);
  CHECK(run_odoolink("ping --db odoolink --password-env PING_PW", env).exit_code == 2);

  // Nothing listens on port 1 of the loopback.
  const auto down = run_odoolink("ping --url http://127.0.0.1:1 --db odoolink --user admin --password-env PING_PW", env);
  CHECK(down.exit_code == 1);
  CHECK(down.err.find("odoolink.transport") != std::string::npos);
}
#endif
