#pragma once
// A till's loop driving a relay over loopback HTTP to the fake Odoo's
// listener: pump, then wait for the network as the relay's wake-up says,
// at most 10 ms, so the loop's own turns show it never stopped.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "odoolink/client/client.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/outbox/store.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

namespace odoolink::test {

/// A client made with `client::create` (nothing sent yet) for `127.0.0.1:port`.
inline client::client offline_client(std::uint16_t port) {
  using namespace std::chrono_literals;
  auto c = client::client::create({.url = "http://127.0.0.1:" + std::to_string(port), .database = "odoolink",
                                   .login = "admin", .password = "admin", .connect_timeout = 2000ms,
                                   .timeout = 10'000ms});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  return std::move(c).value();
}

/// The fake's listener and a client made offline for its port.
struct listening_fake {
  std::unique_ptr<testing::fake_listener> port;
  client::client connection;
};
inline listening_fake listen_and_create(testing::fake_odoo& odoo) {
  auto listening = odoo.listen();
  REQUIRE(listening);
  const auto p = listening.value()->port();
  return {std::move(listening).value(), offline_client(p)};
}

struct host_loop {
  using steady = std::chrono::steady_clock;
  outbox::relay& relay;
  client::client& connection;
  std::size_t turns = 0;               // loop iterations: the host's own timer ticks
  steady::duration longest_pump{0};    // the longest a single pump kept the loop
  std::size_t released = 0;            // events the sink gave back not attempted

  // One turn of a till's loop: pump, then wait for the network at most 10 ms.
  void turn() {
    using namespace std::chrono_literals;
    const auto before = steady::now();
    auto report = relay.pump(100);
    longest_pump = std::max(longest_pump, steady::now() - before);
    REQUIRE_MESSAGE(report.has_value(), odoolink::test::error_of(report).describe());
    released += report.value().released;
    auto wake = relay.next_wakeup();
    REQUIRE(wake);
    const auto wait = wake.value().wait_from(steady::now(), 10ms);
    auto polled = connection.poll(wait);
    REQUIRE(polled);
    ++turns;
  }

  // Turns until `n` events are delivered or 20 s passed; returns the store's stats.
  outbox::queue_stats run_until_delivered(outbox::store& store, std::size_t n) {
    using namespace std::chrono_literals;
    const auto deadline = steady::now() + 20s;
    for (;;) {
      turn();
      auto st = store.stats();
      REQUIRE(st);
      if (st.value().delivered >= n || steady::now() > deadline) return st.value();
    }
  }
};

}  // namespace odoolink::test
