// Crash consistency of the SQLite store: a child enqueues and relays while
// this test SIGKILLs it at random points; afterwards every acknowledged
// enqueue is stored once and reached exactly one record in the sink.
// ODOOLINK_CRASH_ITERATIONS sets the number of kills (soak runs).
#if defined(ODOOLINK_HAS_SQLITE) && (defined(__unix__) || defined(__APPLE__))
#include <fstream>
#include <random>

#include <doctest/doctest.h>

#include "outbox/support/crash_harness.hpp"
#include "outbox/support/open_store.hpp"

namespace crash = odoolink::test::crash;

TEST_CASE("crash harness: store specs parse and a torn ack line is ignored") {
  odoolink::test::store_spec spec;
  REQUIRE(odoolink::test::parse_store_spec("sqlite:/data/outbox.db?durability=normal", spec));
  CHECK(spec.kind == "sqlite");
  CHECK(spec.option == "normal");
  CHECK(spec.target == "/data/outbox.db");
  REQUIRE(odoolink::test::parse_store_spec("postgres.crash_7:host=db password=s3cret", spec));
  CHECK(spec.kind == "postgres");
  CHECK(spec.option == "crash_7");
  CHECK(spec.target == "host=db password=s3cret");
  CHECK_FALSE(odoolink::test::parse_store_spec("sqlite:", spec));
  CHECK_FALSE(odoolink::test::parse_store_spec("no-kind", spec));
  auto unknown = odoolink::test::open_test_store("mysql:user=root password=s3cret");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code() == odoolink::transport_errc::invalid_request);
  CHECK(unknown.error().message().find("s3cret") == std::string::npos);

  crash::scratch_dir dir("crash-harness");
  const auto ack = dir.file("ack.txt");
  std::ofstream(ack, std::ios::binary) << "k1\nk2\nk3-tor";
  CHECK(crash::read_acked_keys(ack) == std::vector<std::string>{"k1", "k2"});
}

TEST_CASE("sqlite store: acknowledged events survive SIGKILL and are delivered exactly once") {
#if !defined(ODOOLINK_CRASH_CHILD)
  FAIL("the crash child is not built: tests/CMakeLists.txt must add_subdirectory(outbox/crash)");
#else
  crash::scratch_dir dir("crash-sqlite");
  const crash::crash_setup setup{ODOOLINK_CRASH_CHILD, "sqlite:" + dir.file("outbox.db"), dir.file("sink.db"),
                                 dir.file("ack.txt")};
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
  // The runs did real work (a loose bound: a loaded machine or a sanitizer slows them).
  CHECK(found.acked >= static_cast<std::size_t>(kills.iterations) / 10);
  CHECK(found.stored >= found.acked);
#endif
}

#endif
