// The relay and the Odoo sink on the host's loop, over loopback HTTP to the
// fake Odoo's listener: a relay built while no server is reachable delivers
// once one comes up, and a slow server never stops the host's loop, not even
// while the sink learns the server's fields for the contracts' optional mappings.
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
#include "outbox/support/host_loop.hpp"
#include "support/error_of.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;
using steady = std::chrono::steady_clock;
using odoolink::test::host_loop;
using odoolink::test::listen_and_create;
using odoolink::test::offline_client;

odoolink::contract::registry shipped_contracts() {
  auto r = odoolink::contract::registry::load_directory(ODOOLINK_TEST_SOURCE_DIR "/../contracts");
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  return std::move(r).value();
}

std::string customer(int i) {
  return R"({"customer_id":"pos.customer_)" + std::to_string(i) + R"(","name":"Customer )" + std::to_string(i) + R"("})";
}

// With `mobile`, which the customer contract maps as optional: the sink must
// learn whether the server has `res.partner.mobile` before it sends the row.
std::string customer_with_mobile(int i) {
  return R"({"customer_id":"pos.customer_)" + std::to_string(i) + R"(","name":"Customer )" + std::to_string(i) +
         R"(","mobile":"+32 470 00 00 )" + std::to_string(10 + i) + R"("})";
}

std::size_t calls_of(const odoolink::testing::fake_odoo& odoo, const std::string& method) {
  const auto stats = odoo.stats();
  const auto it = stats.per_method.find(method);
  return it == stats.per_method.end() ? 0 : it->second;
}

// The customers 0..n-1 in Odoo whose `mobile` holds what the till sent.
std::size_t mobiles_sent(const odoolink::testing::fake_odoo& odoo, int n) {
  std::size_t found = 0;
  for (int i = 0; i < n; ++i) {
    const auto at = odoo.xml_id("pos.customer_" + std::to_string(i));
    if (!at) continue;
    const auto rec = odoo.record(at->first, at->second);
    const odoolink::json::value* mobile = rec ? rec->find("mobile") : nullptr;
    if (mobile != nullptr && mobile->is_string() && mobile->as_string() == "+32 470 00 00 " + std::to_string(10 + i)) ++found;
  }
  return found;
}

// A free loopback port: a listener is opened on any port and closed again.
std::uint16_t free_port() {
  odoolink::testing::fake_odoo probe;
  auto l = probe.listen();
  REQUIRE(l);
  return l.value()->port();
}

// Customers `payload(i)` for i < n, in `aggregate(i)`, queued in `box`.
template <class Payload, class Aggregate>
void enqueue_customers(ob::outbox& box, int n, Payload payload, Aggregate aggregate) {
  for (int i = 0; i < n; ++i) {
    auto q = box.enqueue({.subject = "customer", .payload = payload(i), .idempotency_key = "c" + std::to_string(i),
                          .aggregate_key = aggregate(i)});
    REQUIRE(q);
  }
}

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
  REQUIRE_MESSAGE(listening.has_value(), odoolink::test::error_of(listening).describe());
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

TEST_CASE("pipelined delivery: the host's loop keeps turning while the server takes 2 s to answer fields_get and load") {
  const auto contracts = shipped_contracts();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  for (int i = 0; i < 10; ++i) {
    auto q = box.enqueue({.subject = "customer", .payload = customer_with_mobile(i), .idempotency_key = "c" + std::to_string(i)});
    REQUIRE(q);
  }
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>();
  for (const char* method : {"fields_get", "load"})
    odoo->inject({.kind = odoolink::testing::fake_fault_kind::latency, .model = "res.partner", .method = method,
                  .count = 1, .latency = 2000ms});
  auto listening = odoo->listen();
  REQUIRE(listening);
  auto connection = offline_client(listening.value()->port());
  REQUIRE(connection.server_fields().find("res.partner") == nullptr);  // a fresh client: nothing learnt
  ob::odoo_sink sink(connection, contracts, {.xid_module = "pos"});
  ob::relay relay(store, sink);
  host_loop loop{relay, connection};

  const auto start = steady::now();
  const auto deadline = start + 20s;
  std::size_t turns_while_learning = 0;  // the fields of res.partner still unknown
  std::size_t turns_while_waiting = 0;
  for (;;) {
    loop.turn();
    auto st = store.stats();
    REQUIRE(st);
    if (st.value().delivered == 10 || steady::now() > deadline) break;
    if (relay.in_flight() == 0) continue;
    ++turns_while_waiting;
    if (connection.server_fields().find("res.partner") == nullptr) ++turns_while_learning;
  }
  const auto took = steady::now() - start;
  auto st = store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 10);
  CHECK(st.value().dead == 0);
  CHECK(took >= 4s);  // both answers really took that long, one after the other
  // At most 10 ms per turn: each two seconds give the loop well over 100 turns.
  CHECK(turns_while_learning >= 100);
  CHECK(turns_while_waiting >= 200);
  CHECK(loop.longest_pump < 500ms);
  // Learnt once, into the client's cache (shared with its copies).
  CHECK(calls_of(*odoo, "fields_get") == 1);
  const auto learnt = connection.server_fields().find("res.partner");
  REQUIRE(learnt != nullptr);
  CHECK(learnt->has("mobile"));
  CHECK(mobiles_sent(*odoo, 10) == 10);
  MESSAGE("turns while fields_get was in flight: " << turns_while_learning << ", while fields_get or load was: "
                                                   << turns_while_waiting << ", longest pump: "
                                                   << std::chrono::duration<double, std::milli>(loop.longest_pump).count()
                                                   << " ms");
}

TEST_CASE("pipelined delivery: the version probe and the login of a fresh client do not stop the host's loop") {
  const auto contracts = shipped_contracts();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  for (int i = 0; i < 4; ++i) {
    auto q = box.enqueue({.subject = "customer", .payload = customer(i), .idempotency_key = "c" + std::to_string(i)});
    REQUIRE(q);
  }
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>();
  // A rule without model and method delays whole requests: the first two,
  // 1 s each, both part of connecting (the version probe, then a second
  // probe or the login).
  odoo->inject({.kind = odoolink::testing::fake_fault_kind::latency, .count = 2, .latency = 1000ms});
  auto listening = odoo->listen();
  REQUIRE(listening);
  auto connection = offline_client(listening.value()->port());
  ob::odoo_sink sink(connection, contracts, {.xid_module = "pos"});
  ob::relay relay(store, sink);
  host_loop loop{relay, connection};
  std::size_t turns_while_connecting = 0;
  const auto deadline = steady::now() + 20s;
  for (;;) {
    loop.turn();
    auto st = store.stats();
    REQUIRE(st);
    if (st.value().delivered == 4 || steady::now() > deadline) break;
    if (!connection.connected()) ++turns_while_connecting;
  }
  auto st = store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 4);
  CHECK(odoo->stats().faults == 2);
  CHECK(turns_while_connecting >= 100);  // 10 ms at most per turn, 2 s of connecting
  CHECK(loop.longest_pump < 500ms);
}

TEST_CASE("pipelined delivery: an optional field the server lacks is learnt host-driven and left out") {
  const auto contracts = shipped_contracts();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  enqueue_customers(box, 12, customer_with_mobile, [](int i) { return "till/" + std::to_string(i % 3); });
  // Odoo 19 has no res.partner.mobile: a row with that column would be refused.
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>(odoolink::testing::fake_options{.major_version = 19});
  auto [port, connection] = listen_and_create(*odoo);
  ob::odoo_sink sink(connection, contracts, {.xid_module = "pos", .max_batch = 4});
  ob::relay relay(store, sink, {.max_attempts = 1});
  host_loop loop{relay, connection};
  const auto st = loop.run_until_delivered(store, 12);
  CHECK(st.delivered == 12);
  CHECK(st.dead == 0);
  CHECK(calls_of(*odoo, "fields_get") == 1);
  const auto learnt = connection.server_fields().find("res.partner");
  REQUIRE(learnt != nullptr);
  CHECK_FALSE(learnt->has("mobile"));
  CHECK(learnt->has("name"));
}

TEST_CASE("pipelined delivery: a fields_get that fails sends nothing and counts no attempt") {
  const auto contracts = shipped_contracts();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  // In two aggregates, every other customer without `mobile` (its row needs
  // no fields): it waits behind its aggregate's previous event, not for fields_get.
  enqueue_customers(
      box, 8, [](int i) { return i % 2 == 0 ? customer_with_mobile(i) : customer(i); },
      [](int i) { return "till/" + std::to_string(i / 4); });
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>();
  odoo->inject({.kind = odoolink::testing::fake_fault_kind::status_503, .model = "res.partner", .method = "fields_get",
                .count = 3});
  auto [port, connection] = listen_and_create(*odoo);
  ob::odoo_sink sink(connection, contracts, {.xid_module = "pos", .reconnect = {.initial = 10ms, .max = 50ms}});
  // One attempt only: a failed fields_get counted as one would dead-letter.
  ob::relay relay(store, sink, {.max_attempts = 1});
  host_loop loop{relay, connection};
  const auto st = loop.run_until_delivered(store, 8);
  CHECK(st.delivered == 8);
  CHECK(st.dead == 0);
  CHECK(odoo->stats().faults == 3);           // refused three times, each time asked again after a pause
  CHECK(calls_of(*odoo, "fields_get") == 1);  // then answered
  CHECK(connection.server_fields().find("res.partner") != nullptr);
  CHECK(mobiles_sent(*odoo, 8) == 4);
}

TEST_CASE("pipelined delivery: an access error on fields_get sends the optional field and lets the load decide") {
  const auto contracts = shipped_contracts();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  enqueue_customers(box, 12, customer_with_mobile, [](int) { return std::string(); });
  auto odoo = std::make_shared<odoolink::testing::fake_odoo>();
  odoo->on_call("res.partner", "fields_get", [](const odoolink::testing::fake_call&, odoolink::testing::fake_odoo&) {
    return std::optional<odoolink::testing::fake_hook_outcome>(
        odoolink::testing::fake_hook_outcome{.raise = odoolink::testing::fake_exception{
                                                 .odoo_class = "odoo.exceptions.AccessError", .message = "no fields for you"}});
  });
  auto [port, connection] = listen_and_create(*odoo);
  ob::odoo_sink sink(connection, contracts, {.xid_module = "pos", .max_batch = 4});
  ob::relay relay(store, sink, {.max_attempts = 1});
  host_loop loop{relay, connection};
  const auto st = loop.run_until_delivered(store, 12);
  CHECK(st.delivered == 12);
  CHECK(st.dead == 0);
  // Asked once for the connection, not once per batch; nothing cached.
  CHECK(calls_of(*odoo, "fields_get") == 1);
  CHECK(calls_of(*odoo, "load") == 3);
  CHECK(connection.server_fields().find("res.partner") == nullptr);
  CHECK(mobiles_sent(*odoo, 12) == 12);  // sent: this server has it
}

}  // namespace
