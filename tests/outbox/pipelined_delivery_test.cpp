// The relay and the Odoo sink on the host's loop, over loopback HTTP to the
// fake Odoo's listener: a relay built while no server is reachable delivers
// once one comes up, and a slow server never stops the host's loop.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_odoo.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;
using steady = std::chrono::steady_clock;

odoolink::contract::registry shipped_contracts() {
  auto r = odoolink::contract::registry::load_directory(ODOOLINK_TEST_SOURCE_DIR "/../contracts");
  REQUIRE_MESSAGE(r.has_value(), r.error().describe());
  return std::move(r).value();
}

std::string customer(int i) {
  return R"({"customer_id":"pos.customer_)" + std::to_string(i) + R"(","name":"Customer )" + std::to_string(i) + R"("})";
}

// A free loopback port: a listener is opened on any port and closed again.
std::uint16_t free_port() {
  odoolink::testing::fake_odoo probe;
  auto l = probe.listen();
  REQUIRE(l);
  return l.value()->port();
}

odoolink::client::client offline_client(std::uint16_t port) {
  auto c = odoolink::client::client::create({.url = "http://127.0.0.1:" + std::to_string(port), .database = "odoolink",
                                             .login = "admin", .password = "admin", .connect_timeout = 2000ms,
                                             .timeout = 10'000ms});
  REQUIRE_MESSAGE(c.has_value(), c.error().describe());
  return std::move(c).value();
}

struct host_loop {
  ob::relay& relay;
  odoolink::client::client& connection;
  std::size_t turns = 0;                // loop iterations: the host's own timer ticks
  steady::duration longest_pump{0};    // the longest a single pump kept the loop

  // One turn of a till's loop: pump, then wait for the network at most 10 ms.
  void turn() {
    const auto before = steady::now();
    auto report = relay.pump(100);
    longest_pump = std::max(longest_pump, steady::now() - before);
    REQUIRE_MESSAGE(report.has_value(), report.error().describe());
    auto wake = relay.next_wakeup();
    REQUIRE(wake);
    const auto wait = wake.value().wait_from(steady::now(), 10ms);
    auto polled = connection.poll(wait);
    REQUIRE(polled);
    ++turns;
  }
};

TEST_CASE("pipelined delivery: a relay built with no server reachable delivers exactly once when it comes up") {
  const auto contracts = shipped_contracts();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  for (int i = 0; i < 30; ++i) {
    auto q = box.enqueue({.subject = "customer", .payload = customer(i), .idempotency_key = "c" + std::to_string(i),
                          .aggregate_key = "till/" + std::to_string(i % 3)});
    REQUIRE(q);
  }
  const std::uint16_t port = free_port();
  auto connection = offline_client(port);
  CHECK_FALSE(connection.connected());
  ob::odoo_sink sink(connection, contracts,
                     {.xid_module = "pos", .max_batch = 8, .reconnect = {.initial = 10ms, .max = 50ms}});
  ob::relay relay(store, sink, {.max_attempts = 2});
  host_loop loop{relay, connection};

  // No server: every connection attempt fails; nothing is counted, nothing dies.
  const auto offline_until = steady::now() + 300ms;
  while (steady::now() < offline_until) loop.turn();
  CHECK_FALSE(connection.connected());
  auto st = store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 0);
  CHECK(st.value().dead == 0);
  auto listed = store.list({});
  REQUIRE(listed);
  for (const auto& e : listed.value()) CHECK(e.attempts <= 1);  // at most the claim in flight right now

  // The server comes up on that port.
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>();
  const auto partners_before = odoo->count("res.partner");
  auto listening = odoo->listen(port);
  REQUIRE_MESSAGE(listening.has_value(), listening.error().describe());
  const auto deadline = steady::now() + 20s;
  for (;;) {
    loop.turn();
    st = store.stats();
    REQUIRE(st);
    if (st.value().delivered == 30 || steady::now() > deadline) break;
  }
  CHECK(connection.connected());
  CHECK(st.value().delivered == 30);
  CHECK(st.value().dead == 0);
  CHECK(odoo->count("res.partner") == partners_before + 30);  // once each
  for (int i = 0; i < 30; ++i) CHECK(odoo->xml_id("pos.customer_" + std::to_string(i)).has_value());
}

TEST_CASE("pipelined delivery: the host's loop keeps turning while the server takes 2 s to answer") {
  const auto contracts = shipped_contracts();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  for (int i = 0; i < 10; ++i) {
    auto q = box.enqueue({.subject = "customer", .payload = customer(i), .idempotency_key = "c" + std::to_string(i)});
    REQUIRE(q);
  }
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>();
  odoo->inject({.kind = odoolink::testing::fake_fault_kind::latency, .model = "res.partner", .method = "load",
                .count = 1, .latency = 2000ms});
  auto listening = odoo->listen();
  REQUIRE(listening);
  auto connection = offline_client(listening.value()->port());
  ob::odoo_sink sink(connection, contracts, {.xid_module = "pos"});
  ob::relay relay(store, sink);
  host_loop loop{relay, connection};

  const auto start = steady::now();
  const auto deadline = start + 20s;
  std::size_t turns_while_waiting = 0;
  for (;;) {
    loop.turn();
    auto st = store.stats();
    REQUIRE(st);
    if (st.value().delivered == 10 || steady::now() > deadline) break;
    if (relay.in_flight() > 0) ++turns_while_waiting;
  }
  const auto took = steady::now() - start;
  auto st = store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 10);
  CHECK(took >= 2s);  // the answer really took that long
  // At most 10 ms per turn: two seconds give the loop well over 100 turns.
  CHECK(turns_while_waiting >= 100);
  CHECK(loop.longest_pump < 500ms);
  MESSAGE("turns while the load was in flight: " << turns_while_waiting << ", longest pump: "
                                                 << std::chrono::duration<double, std::milli>(loop.longest_pump).count()
                                                 << " ms");
}

}  // namespace
