#pragma once
// Test support: a relay run to the end on a fake clock, with retries quick
// enough that a test with faults drains in a few hundred rounds.

#include <chrono>

#include <doctest/doctest.h>

#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_clock.hpp"

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

}  // namespace odoolink::test
