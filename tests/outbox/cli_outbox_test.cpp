// `odoolink outbox ...` on a SQLite store prepared by the test.
#if defined(ODOOLINK_HAS_SQLITE) && defined(ODOOLINK_CLI)
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <sqlite3.h>
#include <sys/wait.h>

#include <doctest/doctest.h>

#include "odoolink/json/parse.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/outbox/sqlite_store.hpp"
#include "outbox/support/run_cli.hpp"
#include "outbox/support/test_contracts.hpp"

namespace {

namespace fs = std::filesystem;
namespace ob = odoolink::outbox;

using odoolink::test::run_cli;

class refusing_sink final : public ob::per_event_sink {
 protected:
  odoolink::result<ob::delivery_result> deliver_one(const ob::event&) override {
    return odoolink::error(odoolink::odoo_errc::access_error, "res.partner: not allowed");
  }
};

// Delivers customers whose key ends in an even digit, refuses the rest for good.
class half_refusing_sink final : public ob::per_event_sink {
 protected:
  odoolink::result<ob::delivery_result> deliver_one(const ob::event& e) override {
    if ((e.idempotency_key.back() - '0') % 2 == 0)
      return ob::delivery_result{.model = "res.partner", .record_id = 7, .external_id = "pos.partner_" + e.idempotency_key};
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
  CHECK(status.output.find("customer                         2         0         0         1") != std::string::npos);  // per subject

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

TEST_CASE("outbox CLI: dead says when its list is cut and show and find look events up by key or external id") {
  std::random_device rd;
  const fs::path dir = fs::path(ODOOLINK_TEST_BINARY_DIR) / ("cli-find-" + std::to_string(rd()));
  fs::create_directories(dir);
  const std::string path = (dir / "till.outbox").string();
  {
    auto store = ob::sqlite_store::open({.path = path});
    if (!store) FAIL(store.error().describe());
    auto registry = odoolink::test::test_registry();
    ob::outbox box(*store.value(), registry);
    for (int i = 0; i < 220; ++i) {
      auto q = box.enqueue({.subject = "customer", .payload = R"({"name":"Ada","email":"ada@example.com"})",
                            .idempotency_key = "k" + std::to_string(i)});
      if (!q) FAIL(q.error().describe());
    }
    half_refusing_sink sink;
    ob::relay relay(*store.value(), sink);
    for (int round = 0; round < 10; ++round) REQUIRE(relay.pump(100));
    auto stats = store.value()->stats();
    REQUIRE(stats);
    REQUIRE(stats.value().dead == 110);
    REQUIRE(stats.value().delivered == 110);
  }
  const std::string store = "--store 'sqlite:" + path + "'";

  auto cut = run_cli("dead " + store);
  CHECK(cut.exit_code == 0);
  CHECK(cut.output.find("100 of 110 dead letter(s) shown: the list is cut at --limit 100") != std::string::npos);
  auto whole = run_cli("dead --limit 500 " + store);
  CHECK(whole.output.find("110 dead letter(s)") != std::string::npos);
  CHECK(whole.output.find("cut") == std::string::npos);

  auto dead_json = run_cli("dead --json --limit 5 " + store);
  CHECK(dead_json.exit_code == 0);
  auto doc = odoolink::json::parse(dead_json.output);
  if (!doc) FAIL(doc.error().describe());
  CHECK(doc.value().find("total")->as_int() == 110);
  CHECK(doc.value().find("shown")->as_int() == 5);
  REQUIRE(doc.value().find("events")->as_array().size() == 5);
  const auto& first = doc.value().find("events")->as_array()[0];
  CHECK(first.find("state")->as_string() == "dead");
  CHECK(first.find("last_error")->as_string().find("not allowed") != std::string::npos);
  CHECK(dead_json.output.find("ada@example.com") == std::string::npos);  // payloads are never printed

  // show: by idempotency key, then by the external id the event produced.
  auto by_key = run_cli("show k3 " + store);
  CHECK(by_key.exit_code == 0);
  CHECK(by_key.output.find("key          k3") != std::string::npos);
  CHECK(by_key.output.find("state        dead") != std::string::npos);
  auto by_xid = run_cli("show pos.partner_k4 --json " + store);
  CHECK(by_xid.exit_code == 0);
  auto shown = odoolink::json::parse(by_xid.output);
  if (!shown) FAIL(shown.error().describe());
  CHECK(shown.value().find("idempotency_key")->as_string() == "k4");
  CHECK(shown.value().find("result")->find("external_id")->as_string() == "pos.partner_k4");
  const auto& history = shown.value().find("history")->as_array();
  REQUIRE(history.size() == 2);
  CHECK(history[0].find("action")->as_string() == "enqueued");
  CHECK(history[1].find("action")->as_string() == "delivered");
  auto by_id = run_cli("show " + shown.value().find("id")->as_string() + " " + store);
  CHECK(by_id.output.find("key          k4") != std::string::npos);
  auto missing = run_cli("show no-such-thing " + store);
  CHECK(missing.exit_code == 3);
  CHECK(missing.output.find("no event with id, idempotency key or external id") != std::string::npos);

  // find: by key, by external id, by state and subject (cut at --limit).
  auto find_key = run_cli("find --key k8 " + store);
  CHECK(find_key.exit_code == 0);
  CHECK(find_key.output.find("-> pos.partner_k8") != std::string::npos);
  CHECK(find_key.output.find("1 event(s)") != std::string::npos);
  auto find_key_dead = run_cli("find --key k8 --state dead " + store);
  CHECK(find_key_dead.exit_code == 3);
  auto find_xid = run_cli("find --external-id pos.partner_k10 --json " + store);
  auto found = odoolink::json::parse(find_xid.output);
  if (!found) FAIL(found.error().describe());
  REQUIRE(found.value().find("events")->as_array().size() == 1);
  CHECK(found.value().find("events")->as_array()[0].find("idempotency_key")->as_string() == "k10");
  auto find_state = run_cli("find --state delivered --subject customer --limit 20 " + store);
  CHECK(find_state.output.find("20 event(s) shown: the list is cut at --limit 20") != std::string::npos);
  CHECK(run_cli("find --state sleeping " + store).exit_code == 2);

  auto status = run_cli("status --json " + store);
  auto counts = odoolink::json::parse(status.output);
  if (!counts) FAIL(counts.error().describe());
  CHECK(counts.value().find("dead")->as_int() == 110);
  CHECK(counts.value().find("delivered")->as_int() == 110);
  const auto& subjects = counts.value().find("subjects")->as_array();
  REQUIRE(subjects.size() == 1);
  CHECK(subjects[0].find("subject")->as_string() == "customer");
  CHECK(subjects[0].find("dead")->as_int() == 110);
  CHECK(subjects[0].find("delivered")->as_int() == 110);

  std::error_code ec;
  fs::remove_all(dir, ec);
}
#endif
