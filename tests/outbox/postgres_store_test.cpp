// The PostgreSQL store: the conformance suite on a fresh schema per test,
// the transactional outbox, and errors that never show the password.
#if defined(ODOOLINK_HAS_POSTGRES)
#include "outbox/support/postgres_env.hpp"
#include "outbox/support/store_conformance.hpp"

namespace {

namespace ob = odoolink::outbox;

struct postgres_factory {
  static constexpr const char* name = "PostgreSQL";
  static std::unique_ptr<ob::store> make() {
    if (!odoolink::test::postgres_available()) return nullptr;
    return odoolink::test::open_postgres(odoolink::test::scratch_schemas::instance().make());
  }
};

struct pg_connection {
  PGconn* c = PQconnectdb(odoolink::test::postgres_conninfo().c_str());
  ~pg_connection() { PQfinish(c); }
  void exec(const char* sql) const {
    PGresult* r = PQexec(c, sql);
    const auto st = PQresultStatus(r);
    PQclear(r);
    REQUIRE((st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK));
  }
  // The one value a query returns; "<failed>" when it fails or returns another shape.
  std::string value(const std::string& sql) const {
    PGresult* r = PQexec(c, sql.c_str());
    std::string v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQnfields(r) == 1
                        ? std::string(PQgetvalue(r, 0, 0))
                        : std::string("<failed>");
    PQclear(r);
    return v;
  }
};

}  // namespace

ODOOLINK_STORE_CONFORMANCE(postgres_factory);

TEST_CASE("postgres store: events enqueued in the host's transaction follow its commit or rollback") {
  if (!odoolink::test::postgres_available()) return;
  const auto schema = odoolink::test::scratch_schemas::instance().make();
  auto store = odoolink::test::open_postgres(schema);
  pg_connection host;
  REQUIRE(PQstatus(host.c) == CONNECTION_OK);

  host.exec("BEGIN");
  std::vector<ob::new_event> rolled_back{odoolink::test::make_event("rb1"), odoolink::test::make_event("rb2")};
  auto in_tx = ob::postgres_store::enqueue_in(host.c, rolled_back, schema);
  if (!in_tx) FAIL(in_tx.error().describe());
  // Not visible to relays before the host commits.
  auto invisible = store->claim(odoolink::test::claim_at(odoolink::test::t0()));
  REQUIRE(invisible);
  CHECK(invisible.value().empty());
  host.exec("ROLLBACK");
  auto none = store->stats();
  REQUIRE(none);
  CHECK(none.value().pending == 0);

  host.exec("BEGIN");
  std::vector<ob::new_event> committed{odoolink::test::make_event("c1", "A"), odoolink::test::make_event("c2", "A")};
  auto ok = ob::postgres_store::enqueue_in(host.c, committed, schema);
  if (!ok) FAIL(ok.error().describe());
  host.exec("COMMIT");
  auto claimed = store->claim(odoolink::test::claim_at(odoolink::test::t0()));
  REQUIRE(claimed);
  CHECK(odoolink::test::keys_of(claimed.value()) == std::vector<std::string>{"c1", "c2"});
  auto rows = store->audit(0, 10);
  REQUIRE(rows);
  CHECK(rows.value().size() == 2);  // the rolled-back events left no audit rows
  CHECK(ob::verify_audit_chain(rows.value()));
}

TEST_CASE("postgres store: a schema made before the trace context column gains it on open") {
  if (!odoolink::test::postgres_available()) return;
  const auto schema = odoolink::test::scratch_schemas::instance().make();
  { auto first = odoolink::test::open_postgres(schema); }
  pg_connection host;
  REQUIRE(PQstatus(host.c) == CONNECTION_OK);
  // Back to the first schema, with one event stored by it.
  host.exec(("ALTER TABLE " + schema + ".events DROP COLUMN traceparent").c_str());
  host.exec(("INSERT INTO " + schema + ".events(id, idempotency_key, aggregate_key, subject, contract_version, "
             "fingerprint, payload, correlation_id, causation_id, created_at, next_attempt_at, updated_at) "
             "VALUES ('old-1', 'old', '', 'customer', '1.0.0', 'f', '{}', '', '', 1, 1, 1)").c_str());
  auto old = odoolink::test::open_postgres(schema);  // reopening adds it back
  auto kept = old->find("old-1");
  REQUIRE(kept);
  REQUIRE(kept.value());
  CHECK(kept.value()->traceparent.empty());
  auto traced = odoolink::test::make_event("traced");
  traced.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  REQUIRE(old->enqueue(std::vector<ob::new_event>{odoolink::test::make_event("plain"), traced}));
  auto found = old->find_by_key("traced");
  REQUIRE(found);
  REQUIRE(found.value());
  CHECK(found.value()->traceparent == traced.traceparent);
}

TEST_CASE("postgres store: a schema made with the first aggregate index trades it for the probe index on open") {
  if (!odoolink::test::postgres_available()) return;
  const auto schema = odoolink::test::scratch_schemas::instance().make();
  { auto first = odoolink::test::open_postgres(schema); }
  pg_connection host;
  REQUIRE(PQstatus(host.c) == CONNECTION_OK);
  // Back to the index the first schema had.
  host.exec(("DROP INDEX " + schema + ".events_aggregate_open").c_str());
  host.exec(("CREATE INDEX events_aggregate ON " + schema + ".events (aggregate_key, sequence) WHERE state IN (0, 1)")
                .c_str());
  auto reopened = odoolink::test::open_postgres(schema);
  CHECK(host.value("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = '" +
                   schema + "' AND indexname LIKE 'events\\_aggregate%'") == "events_aggregate_open");
  // The probes it serves still hold an aggregate's next event behind one in flight.
  using odoolink::test::make_event;
  REQUIRE(reopened->enqueue(
      std::vector<ob::new_event>{make_event("a1", "A"), make_event("a2", "A"), make_event("b1", "B")}));
  auto first = reopened->claim(odoolink::test::claim_at(odoolink::test::t0(), 1));
  REQUIRE(first);
  CHECK(odoolink::test::keys_of(first.value()) == std::vector<std::string>{"a1"});
  auto second = reopened->claim(odoolink::test::claim_at(odoolink::test::t0(), 64, "relay-b"));
  REQUIRE(second);
  CHECK(odoolink::test::keys_of(second.value()) == std::vector<std::string>{"b1"});
}

TEST_CASE("postgres store: an open host transaction holds no writer back and its audit rows join the chain after it commits") {
  if (!odoolink::test::postgres_available()) return;
  const auto schema = odoolink::test::scratch_schemas::instance().make();
  auto store = odoolink::test::open_postgres(schema);
  pg_connection host;
  REQUIRE(PQstatus(host.c) == CONNECTION_OK);
  REQUIRE(store->enqueue(std::vector<ob::new_event>{odoolink::test::make_event("first")}));

  host.exec("BEGIN");
  std::vector<ob::new_event> in_host{odoolink::test::make_event("host")};
  REQUIRE(ob::postgres_store::enqueue_in(host.c, in_host, schema));
  // The host's transaction is still open: other writers and readers go on (a
  // lock on the chain held until the host commits would stall them here).
  REQUIRE(store->enqueue(std::vector<ob::new_event>{odoolink::test::make_event("second")}));
  auto before = store->audit(0, 10);
  REQUIRE(before);
  REQUIRE(before.value().size() == 2);
  CHECK(ob::verify_audit_chain(before.value()));
  host.exec("COMMIT");

  auto after = store->audit(0, 10);
  REQUIRE(after);
  REQUIRE(after.value().size() == 3);
  CHECK(ob::verify_audit_chain(after.value()));
  CHECK(after.value()[2].event_id == in_host[0].id);  // sealed after the rows committed before it

  // A sealed row changed, or removed, breaks the chain at that row.
  host.exec(("UPDATE \"" + schema + "\".audit SET detail = 'nothing to see' WHERE sequence = 2").c_str());
  auto changed = store->audit(0, 10);
  REQUIRE(changed);
  auto verdict = ob::verify_audit_chain(changed.value());
  REQUIRE_FALSE(verdict);
  CHECK(verdict.error().message().find("row 2") != std::string::npos);
  host.exec(("DELETE FROM \"" + schema + "\".audit WHERE sequence = 2").c_str());
  auto gap = store->audit(0, 10);
  REQUIRE(gap);
  CHECK_FALSE(ob::verify_audit_chain(gap.value()));
}

TEST_CASE("postgres store: a failed connection names no password") {
  auto s = ob::postgres_store::open({.conninfo = "host=127.0.0.1 port=1 user=nobody password=secret-xyz connect_timeout=2"});
  REQUIRE_FALSE(s);
  CHECK(s.error().code() == odoolink::store_errc::io_failed);
  CHECK(s.error().message().find("secret-xyz") == std::string::npos);
  auto malformed = ob::postgres_store::open({.conninfo = "host=127.0.0.1 password=secret-xyz nonsense"});
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().message().find("secret-xyz") == std::string::npos);
  auto bad_schema = ob::postgres_store::open({.conninfo = "host=127.0.0.1", .schema = "x\"; DROP TABLE y; --"});
  REQUIRE_FALSE(bad_schema);
  CHECK(bad_schema.error().code() == odoolink::transport_errc::invalid_request);
}
#endif
