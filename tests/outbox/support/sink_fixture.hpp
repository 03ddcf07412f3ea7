#pragma once
// Test support for the Odoo sink's tests: an outbox on a fake clock beside
// an in-memory Odoo that applies `load`, and a relay run to the end with
// retries quick enough that a test with faults drains in a few hundred rounds.

#include <chrono>
#include <memory>

#include <doctest/doctest.h>

#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_clock.hpp"
#include "outbox/support/fake_load_odoo.hpp"
#include "outbox/support/test_contracts.hpp"

namespace odoolink::test {

/// Many attempts, short backoff: faults delay events, never dead-letter them.
inline outbox::relay_options fast_retries() {
  outbox::relay_options o;
  o.max_attempts = 50;
  o.backoff.initial = std::chrono::milliseconds(10);
  o.backoff.max = std::chrono::seconds(1);
  return o;
}

/// Pumps until nothing is due, moving `clock` past every backoff.
inline void drain(outbox::relay& relay, testing::fake_clock& clock) {
  for (int i = 0; i < 400; ++i) {
    auto report = relay.pump(1000);
    if (!report) FAIL(report.error().describe());
    auto wake = relay.next_wakeup();
    REQUIRE(wake);
    if (wake.value().is_idle()) return;
    clock.advance(std::chrono::minutes(11));
  }
  FAIL("the outbox did not drain");
}

/// The test contracts' outbox in memory, on a fake clock, and the Odoo it
/// delivers to.
struct sink_fixture {
  testing::fake_clock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000))};
  contract::registry contracts = test_registry();
  outbox::memory_store store;
  outbox::outbox box{store, contracts, {}, &clock};
  std::shared_ptr<fake_load_odoo> odoo = std::make_shared<fake_load_odoo>();

  void drain(outbox::relay& relay) { test::drain(relay, clock); }
};

}  // namespace odoolink::test
