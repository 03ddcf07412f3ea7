// `odoolink outbox ...` on a SQLite store prepared by the test.
#if defined(ODOOLINK_HAS_SQLITE) && defined(ODOOLINK_CLI)
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <sqlite3.h>
#include <sys/wait.h>

#include <doctest/doctest.h>

#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/outbox/sqlite_store.hpp"
#include "outbox/support/test_contracts.hpp"

namespace {

namespace fs = std::filesystem;
namespace ob = odoolink::outbox;

struct run_result {
  int exit_code = -1;
  std::string output;
};

run_result run_cli(const std::string& args) {
  run_result r;
  const std::string command = std::string("'") + ODOOLINK_CLI + "' outbox " + args + " 2>&1";
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p) != nullptr) r.output += buf;
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class refusing_sink final : public ob::per_event_sink {
 protected:
  odoolink::result<ob::delivery_result> deliver_one(const ob::event&) override {
    return odoolink::error(odoolink::odoo_errc::access_error, "res.partner: not allowed");
  }
};

}  // namespace

TEST_CASE("outbox CLI: status lists dead letters replays them and verify finds a changed audit row") {
  std::random_device rd;
  const fs::path dir = fs::path(ODOOLINK_TEST_BINARY_DIR) / ("cli-outbox-" + std::to_string(rd()));
  fs::create_directories(dir);
  const std::string path = (dir / "till.outbox").string();
  std::string dead_id;
  {
    auto store = ob::sqlite_store::open({.path = path});
    if (!store) FAIL(store.error().describe());
    auto registry = odoolink::test::test_registry();
    ob::outbox box(*store.value(), registry);
    for (int i = 0; i < 3; ++i) {
      auto q = box.enqueue({.subject = "customer", .payload = R"({"name":"Ada","email":"ada@example.com"})",
                            .idempotency_key = "k" + std::to_string(i)});
      if (!q) FAIL(q.error().describe());
    }
    refusing_sink sink;
    ob::relay relay(*store.value(), sink);
    auto report = relay.pump(1);
    REQUIRE(report);
    auto dead = box.dead_letters();
    REQUIRE(dead);
    REQUIRE(dead.value().size() == 1);
    dead_id = dead.value()[0].id;
  }
  const std::string store = "--store 'sqlite:" + path + "'";

  auto status = run_cli("status " + store);
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("pending    2") != std::string::npos);
  CHECK(status.output.find("dead       1") != std::string::npos);

  auto dead = run_cli("dead " + store);
  CHECK(dead.exit_code == 0);
  CHECK(dead.output.find(dead_id) != std::string::npos);
  CHECK(dead.output.find("not allowed") != std::string::npos);
  CHECK(dead.output.find("1 dead letter(s)") != std::string::npos);

  auto show = run_cli("show " + dead_id + " " + store);
  CHECK(show.exit_code == 0);
  CHECK(show.output.find("enqueued") != std::string::npos);
  CHECK(show.output.find("ada@example.com") == std::string::npos);  // PII stays out of the audit rows

  auto replay = run_cli("replay " + dead_id + " " + store);
  CHECK(replay.exit_code == 0);
  auto after = run_cli("status " + store);
  CHECK(after.output.find("pending    3") != std::string::npos);

  auto metrics = run_cli("metrics " + store);
  CHECK(metrics.exit_code == 0);
  CHECK(metrics.output.find("odoolink_outbox_queue_depth 3") != std::string::npos);

  auto intact = run_cli("verify " + store);
  CHECK(intact.exit_code == 0);
  CHECK(intact.output.find("audit chain intact: 5 row(s)") != std::string::npos);

  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "UPDATE odoolink_audit SET detail = 'nothing to see' WHERE sequence = 2", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto broken = run_cli("verify " + store);
  CHECK(broken.exit_code == 1);
  CHECK(broken.output.find("row 2") != std::string::npos);

  auto unknown = run_cli("status --store 'nosuch:x'");
  CHECK(unknown.exit_code == 1);
  auto usage = run_cli("frobnicate " + store);
  CHECK(usage.exit_code == 2);

  std::error_code ec;
  fs::remove_all(dir, ec);
}
#endif
