// The SIGKILL crash test of crash_sqlite_test.cpp against the PostgreSQL
// store (the sink stays a SQLite file).
#if defined(ODOOLINK_HAS_POSTGRES) && defined(ODOOLINK_HAS_SQLITE) && (defined(__unix__) || defined(__APPLE__))
#include <random>

#include <doctest/doctest.h>

#include "outbox/support/crash_harness.hpp"
#include "outbox/support/open_store.hpp"
#include "outbox/support/postgres_env.hpp"

namespace crash = odoolink::test::crash;

TEST_CASE("postgres store: acknowledged events survive SIGKILL and are delivered exactly once") {
#if !defined(ODOOLINK_CRASH_CHILD)
  FAIL("the crash child is not built: tests/CMakeLists.txt must add_subdirectory(outbox/crash)");
#else
  if (!odoolink::test::postgres_available()) return;
  crash::scratch_dir dir("crash-postgres");
  const auto schema = odoolink::test::scratch_schemas::instance().make();
  const crash::crash_setup setup{ODOOLINK_CRASH_CHILD, "postgres." + schema + ":" + odoolink::test::postgres_conninfo(),
                                 dir.file("sink.db"), dir.file("ack.txt")};
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  const auto kills = crash::kill_repeatedly(setup, crash::crash_iterations(200), seed);
  REQUIRE(kills.kills == kills.iterations);
  REQUIRE_MESSAGE(crash::drain(setup), "the drain run failed");

  auto store = odoolink::test::open_test_store(setup.store_spec);
  if (!store) FAIL(store.error().describe());
  const auto found = crash::check_consistency(*store.value(), setup);
  MESSAGE(kills.kills << " kills (" << kills.kills_while_opening << " while opening) in " << kills.took.count()
                      << " ms; " << found.acked << " acknowledged, " << found.stored << " stored, " << found.records
                      << " records, " << found.redeliveries << " redeliveries, " << found.audit_rows << " audit rows");
  CHECK(found.acked >= static_cast<std::size_t>(kills.iterations) / 10);
  CHECK(found.stored >= found.acked);
#endif
}
#endif
