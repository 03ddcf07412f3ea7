// `odoolink outbox reconcile` on a SQLite store delivered to the fake Odoo on a loopback port.
#if defined(ODOOLINK_HAS_SQLITE) && defined(ODOOLINK_CLI)
#include <filesystem>
#include <random>
#include <string>

#include <doctest/doctest.h>

#include "odoolink/json/parse.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/sqlite_store.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "outbox/support/pos_day.hpp"
#include "outbox/support/run_cli.hpp"

namespace {

namespace fs = std::filesystem;
namespace ob = odoolink::outbox;
using odoolink::test::run_cli;

}  // namespace

TEST_CASE("outbox CLI: reconcile exits 0 on agreement and 4 with the changed field when Odoo disagrees") {
  std::random_device rd;
  const fs::path dir = fs::path(ODOOLINK_TEST_BINARY_DIR) / ("cli-reconcile-" + std::to_string(rd()));
  fs::create_directories(dir);
  const std::string path = (dir / "till.outbox").string();
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>();
  auto listener = odoo->listen();
  REQUIRE(listener.has_value());
  const std::string url = listener.value()->url();
  {
    auto store = ob::sqlite_store::open({.path = path});
    REQUIRE(store.has_value());
    auto contracts = odoolink::test::shipped_contracts();
    ob::outbox box(*store.value(), contracts);
    odoolink::test::record_pos_day(box, "pos");
    auto c = odoolink::client::client::connect(
        {.url = "http://fake", .database = "odoolink", .login = "admin", .password = "admin", .transport = odoo});
    REQUIRE(c.has_value());
    ob::odoo_sink sink(c.value(), contracts, {.xid_module = "pos"});
    ob::relay relay(*store.value(), sink, {.owner = "till-1"});
    odoolink::test::deliver_all(*store.value(), relay);
  }
  const std::string common = "reconcile --store sqlite:" + path + " --contracts '" + ODOOLINK_TEST_SOURCE_DIR +
                             "/../contracts' --url " + url + " --db odoolink --user admin --password-env RECONCILE_PW";
  const std::string secret = "RECONCILE_PW=admin";
  const auto clean = run_cli(common, secret);
  CHECK_MESSAGE(clean.exit_code == 0, clean.output);
  // A secret on the command line (ps and shell history keep it) is refused, naming the way to give it.
  const std::string on_argv = common.substr(0, common.find(" --password-env ")) + " --password admin";
  const auto refused = odoolink::test::run_odoolink("outbox " + on_argv, {}, {}, true);
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.find("--password-env") != std::string::npos);
  CHECK(clean.output.find("Odoo agrees with the outbox") != std::string::npos);
  CHECK(clean.output.find("customer: 4 checked, 4 agree") != std::string::npos);

  const auto partner = odoo->xml_id("pos.customer_2");
  REQUIRE(partner.has_value());
  REQUIRE(odoo->call("res.partner", "write",
                     odoolink::json::array{odoolink::json::array{partner->second},
                                           odoolink::json::object{{"email", "moved@example.org"}, {"city", "Bruges"}}})
              .has_value());
  const auto text = run_cli(common, secret);
  CHECK_MESSAGE(text.exit_code == 4, text.output);
  CHECK(text.output.find("changed      customer pos.customer_2") != std::string::npos);
  CHECK(text.output.find("/email (email): differs (personal data, values not shown)") != std::string::npos);
  CHECK(text.output.find("/address/city (city): sent \"Ghent\", Odoo has \"Bruges\"") != std::string::npos);
  CHECK(text.output.find("moved@example.org") == std::string::npos);
  CHECK(text.output.find("disagreements found") != std::string::npos);

  const auto json = run_cli(common + " --subject customer --json", secret);
  CHECK(json.exit_code == 4);
  auto doc = odoolink::json::parse(json.output);
  REQUIRE_MESSAGE(doc.has_value(), json.output);
  CHECK(doc.value().find("totals")->find("changed")->as_int() == 1);
  CHECK(doc.value().find("subjects")->find("product") == nullptr);

  // Delivered after the change only: nothing to compare, so agreement.
  const auto later = run_cli(common + " --since 2999-01-01T00:00:00Z", secret);
  CHECK_MESSAGE(later.exit_code == 0, later.output);
  CHECK(run_cli(common + " --since yesterday", secret).exit_code == 2);
  fs::remove_all(dir);
}
#endif
