// The line removal sink on the relay's host-driven path, against the fake
// Odoo: in process, behind injected faults, and over loopback HTTP to a
// slow listener while a till's loop keeps turning.
#include "odoolink/outbox/line_removal.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "odoolink/testing/fault_transport.hpp"
#include "outbox/support/host_loop.hpp"
#include "outbox/support/pos_day.hpp"
#include "support/error_of.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;
namespace json = odoolink::json;
using odoolink::testing::fake_odoo;
using steady = std::chrono::steady_clock;

odoolink::contract::registry contracts_with_removal() {
  auto r = odoolink::test::shipped_contracts();
  REQUIRE(r.add(ob::line_removal_contract()).has_value());
  return r;
}

// An order `pos.order_1` of customer `pos.customer_1` with `n` lines, in Odoo.
struct seeded_order {
  std::int64_t id = 0;
  std::vector<std::int64_t> lines;
};

std::vector<std::int64_t> lines_of(const fake_odoo& odoo, std::int64_t order) {
  std::vector<std::int64_t> out;
  const auto rec = odoo.record("sale.order", order);
  if (!rec) return out;
  for (const auto& l : rec->find("order_line")->as_array()) out.push_back(l.as_int());
  return out;
}

seeded_order seed_order(fake_odoo& odoo, int n) {
  REQUIRE(odoo.seed(R"({"res.partner": [{"name": "Walk-in", "xml_id": "pos.customer_1"}],
                        "product.product": [{"name": "Bread", "xml_id": "pos.product_1"}]})")
              .has_value());
  json::array lines;
  for (int i = 1; i <= n; ++i)
    lines.push_back(json::array{0, 0, json::object{{"product_id", odoo.xml_id("pos.product_1")->second}, {"product_uom_qty", i}}});
  auto created = odoo.call("sale.order", "create",
                           json::array{json::object{{"partner_id", odoo.xml_id("pos.customer_1")->second},
                                                    {"order_line", std::move(lines)}}});
  REQUIRE_MESSAGE(created.has_value(), odoolink::test::error_of(created).describe());
  seeded_order o;
  o.id = created.value().is_array() ? created.value().as_array().front().as_int() : created.value().as_int();
  o.lines = lines_of(odoo, o.id);
  REQUIRE(o.lines.size() == static_cast<std::size_t>(n));
  return o;
}

std::string removal_payload(const seeded_order& o, const std::vector<std::int64_t>& remove) {
  json::array ids;
  for (auto id : remove) ids.emplace_back(id);
  return json::to_string(json::object{{"model", "sale.order"},         {"record_id", o.id},
                                      {"external_id", "pos.order_1"},  {"field", "order_line"},
                                      {"line_model", "sale.order.line"}, {"remove", std::move(ids)}});
}

std::string customer(const std::string& name) {
  return R"({"customer_id":"pos.customer_1","name":")" + name + R"("})";
}

std::size_t calls_of(const fake_odoo& odoo, const std::string& method) {
  const auto stats = odoo.stats();
  const auto it = stats.per_method.find(method);
  return it == stats.per_method.end() ? 0 : it->second;
}

// Short backoffs, so retries come within milliseconds.
ob::relay_options quick_retries() {
  return {.owner = "till-1", .max_attempts = 10, .backoff = {.initial = 1ms, .max = 4ms}};
}

// The outbox, the fake Odoo in process and a client on it (through
// `faults` when a test wants them).
struct fixture {
  std::shared_ptr<fake_odoo> odoo = std::make_shared<fake_odoo>();
  odoolink::contract::registry contracts = contracts_with_removal();
  ob::memory_store store;
  ob::outbox box{store, contracts};

  void enqueue(std::string_view subject, const std::string& payload, const std::string& key,
               const std::string& aggregate = "order:1") {
    auto r = box.enqueue({.subject = std::string(subject), .payload = payload, .idempotency_key = key, .aggregate_key = aggregate});
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  }
  odoolink::client::client connect(std::shared_ptr<odoolink::transport::http_transport> through = nullptr) {
    auto c = odoolink::client::client::connect({.url = "http://fake", .database = "odoolink", .login = "admin",
                                                .password = "admin", .transport = through ? through : odoo});
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    return std::move(c).value();
  }
  ob::event event_of(const std::string& key) {
    auto e = store.find_by_key(key);
    REQUIRE(e.has_value());
    REQUIRE(e.value().has_value());
    return *e.value();
  }
  // Delivers until nothing is pending, waiting out the short backoffs.
  ob::queue_stats drain(ob::relay& relay) {
    for (int round = 0; round < 200; ++round) {
      auto report = relay.deliver_due();
      REQUIRE_MESSAGE(report.has_value(), odoolink::test::error_of(report).describe());
      auto st = store.stats();
      REQUIRE(st.has_value());
      if (st.value().pending == 0 && st.value().in_flight == 0) return st.value();
      std::this_thread::sleep_for(2ms);
    }
    FAIL("events still pending after 200 rounds");
    return {};
  }
};

}  // namespace

TEST_CASE("line removal: a removal between two upserts of its aggregate waits for the first and holds back the second") {
  fixture f;
  const auto order = seed_order(*f.odoo, 3);
  std::vector<std::string> log;  // the writes and reads Odoo ran, in order
  f.odoo->on_call("*", "*", [&log](const odoolink::testing::fake_call& c, fake_odoo&) {
    if (c.method == "load" || c.method == "read" || c.method == "unlink") log.push_back(c.model + "." + c.method);
    return std::optional<odoolink::testing::fake_hook_outcome>();
  });
  // The first upsert is refused once (503): nothing after it may go.
  f.odoo->inject({.kind = odoolink::testing::fake_fault_kind::status_503, .model = "res.partner", .method = "load"});
  f.enqueue("customer", customer("First"), "u1");
  f.enqueue(ob::line_removal_subject, removal_payload(order, {order.lines[1], order.lines[2]}), "r1");
  f.enqueue("customer", customer("Second"), "u2");
  auto client = f.connect();
  ob::odoo_sink upserts(client, f.contracts, {.xid_module = "pos"});
  ob::line_removal_sink corrections(client, upserts);
  ob::relay relay(f.store, corrections, quick_retries());

  auto first = relay.pump();
  REQUIRE_MESSAGE(first.has_value(), odoolink::test::error_of(first).describe());
  CHECK(first.value().retried == 1);   // the upsert
  CHECK(first.value().released == 2);  // the removal and the second upsert: not attempted
  CHECK(log.empty());
  CHECK(lines_of(*f.odoo, order.id).size() == 3);

  const auto st = f.drain(relay);
  CHECK(st.delivered == 3);
  CHECK(st.dead == 0);
  CHECK(log == std::vector<std::string>{"res.partner.load", "sale.order.read", "sale.order.line.unlink", "res.partner.load"});
  CHECK(lines_of(*f.odoo, order.id) == std::vector<std::int64_t>{order.lines[0]});
  const auto partner = f.odoo->xml_id("pos.customer_1");
  REQUIRE(partner.has_value());
  CHECK(*f.odoo->record("res.partner", partner->second)->find("name") == json::value("Second"));
  // Only the attempts that were made count.
  CHECK(f.event_of("u1").attempts == 2);
  CHECK(f.event_of("r1").attempts == 1);
  CHECK(f.event_of("u2").attempts == 1);
  CHECK(f.event_of("r1").result.record_id == order.id);
  CHECK(f.event_of("r1").result.external_id == "pos.order_1");
}

TEST_CASE("line removal: an unlink applied whose answer was lost is replayed as done without a second unlink") {
  fixture f;
  const auto order = seed_order(*f.odoo, 2);
  f.odoo->inject({.kind = odoolink::testing::fake_fault_kind::lost_response, .model = "sale.order.line", .method = "unlink"});
  f.enqueue(ob::line_removal_subject, removal_payload(order, {order.lines[1]}), "r1");
  auto client = f.connect();
  ob::odoo_sink upserts(client, f.contracts, {.xid_module = "pos"});
  ob::line_removal_sink corrections(client, upserts);
  ob::relay relay(f.store, corrections, quick_retries());

  auto first = relay.pump();
  REQUIRE(first.has_value());
  CHECK(first.value().retried == 1);  // the outcome of the unlink is unknown
  CHECK(lines_of(*f.odoo, order.id) == std::vector<std::int64_t>{order.lines[0]});  // but Odoo applied it
  auto st = f.drain(relay);
  CHECK(st.delivered == 1);
  CHECK(st.dead == 0);
  CHECK(calls_of(*f.odoo, "unlink") == 1);  // the replay found the line gone
  CHECK(f.event_of("r1").attempts == 2);

  // The same removal again, and one for an order that is gone: both done, nothing unlinked.
  f.enqueue(ob::line_removal_subject, removal_payload(order, {order.lines[1]}), "r1-again");
  seeded_order gone{order.id + 1000, {order.lines[0]}};
  f.enqueue(ob::line_removal_subject, removal_payload(gone, gone.lines), "r-gone", "order:2");
  st = f.drain(relay);
  CHECK(st.delivered == 3);
  CHECK(st.dead == 0);
  CHECK(calls_of(*f.odoo, "unlink") == 1);
  CHECK(f.event_of("r1-again").attempts == 1);
  CHECK(f.event_of("r-gone").attempts == 1);
  CHECK(lines_of(*f.odoo, order.id) == std::vector<std::int64_t>{order.lines[0]});
}

TEST_CASE("line removal: a 503 on the read is retried and the removal then succeeds") {
  fixture f;
  const auto order = seed_order(*f.odoo, 2);
  f.odoo->inject({.kind = odoolink::testing::fake_fault_kind::status_503, .model = "sale.order", .method = "read"});
  f.enqueue(ob::line_removal_subject, removal_payload(order, {order.lines[0]}), "r1");
  auto client = f.connect();
  ob::odoo_sink upserts(client, f.contracts, {.xid_module = "pos"});
  ob::line_removal_sink corrections(client, upserts);
  ob::relay relay(f.store, corrections, quick_retries());

  auto first = relay.pump();
  REQUIRE(first.has_value());
  CHECK(first.value().retried == 1);
  CHECK(first.value().dead == 0);
  CHECK(f.event_of("r1").last_error.find("503") != std::string::npos);
  const auto st = f.drain(relay);
  CHECK(st.delivered == 1);
  CHECK(st.dead == 0);
  CHECK(f.odoo->stats().faults == 1);
  CHECK(f.event_of("r1").attempts == 2);
  CHECK(lines_of(*f.odoo, order.id) == std::vector<std::int64_t>{order.lines[1]});
}

TEST_CASE("line removal: garbled replies to the read and to an applied unlink are unknown outcomes and never dead-letter") {
  fixture f;
  const auto order = seed_order(*f.odoo, 3);
  f.enqueue(ob::line_removal_subject, removal_payload(order, {order.lines[0], order.lines[2]}), "r1");
  auto faulty = std::make_shared<odoolink::testing::fault_transport>(f.odoo);
  auto client = f.connect(faulty);  // clean: no rates, nothing forced yet
  ob::odoo_sink upserts(client, f.contracts, {.xid_module = "pos"});
  ob::line_removal_sink corrections(client, upserts);
  ob::relay relay(f.store, corrections, quick_retries());

  faulty->force(odoolink::testing::fault_kind::truncate_body);  // the read
  auto first = relay.pump();
  REQUIRE(first.has_value());
  CHECK(first.value().retried == 1);
  CHECK(first.value().dead == 0);
  CHECK(f.event_of("r1").last_error.find("outcome unknown") != std::string::npos);
  CHECK(calls_of(*f.odoo, "unlink") == 0);

  faulty->force(odoolink::testing::fault_kind::none);          // the read
  faulty->force(odoolink::testing::fault_kind::corrupt_body);  // the unlink, which Odoo applies
  std::this_thread::sleep_for(5ms);                             // past the backoff
  auto second = relay.pump();
  REQUIRE(second.has_value());
  CHECK(second.value().retried == 1);
  CHECK(second.value().dead == 0);
  CHECK(f.event_of("r1").last_error.find("outcome unknown") != std::string::npos);
  CHECK(lines_of(*f.odoo, order.id) == std::vector<std::int64_t>{order.lines[1]});

  const auto st = f.drain(relay);
  CHECK(st.delivered == 1);
  CHECK(st.dead == 0);
  CHECK(faulty->stats().count(odoolink::testing::fault_kind::truncate_body) == 1);
  CHECK(faulty->stats().count(odoolink::testing::fault_kind::corrupt_body) == 1);
  CHECK(calls_of(*f.odoo, "unlink") == 1);
  CHECK(f.event_of("r1").attempts == 3);
}

TEST_CASE("line removal: Odoo refusing the unlink dead-letters the removal and the aggregate goes on") {
  fixture f;
  const auto order = seed_order(*f.odoo, 2);
  f.odoo->on_call("sale.order.line", "unlink", [](const odoolink::testing::fake_call&, fake_odoo&) {
    return std::optional<odoolink::testing::fake_hook_outcome>(odoolink::testing::fake_hook_outcome{
        .raise = odoolink::testing::fake_exception{.odoo_class = "odoo.exceptions.AccessError", .message = "not yours"}});
  });
  f.enqueue(ob::line_removal_subject, removal_payload(order, {order.lines[0]}), "r1");
  f.enqueue("customer", customer("After"), "u1");
  auto client = f.connect();
  ob::odoo_sink upserts(client, f.contracts, {.xid_module = "pos"});
  ob::line_removal_sink corrections(client, upserts);
  ob::relay relay(f.store, corrections, quick_retries());
  auto report = relay.pump();
  REQUIRE(report.has_value());
  CHECK(report.value().dead == 1);
  CHECK(report.value().delivered == 1);
  const auto removal = f.event_of("r1");
  CHECK(removal.state == ob::event_state::dead);
  CHECK(removal.attempts == 1);
  CHECK(removal.last_error.find("not yours") != std::string::npos);
  CHECK(lines_of(*f.odoo, order.id).size() == 2);
  CHECK(f.odoo->xml_id("pos.customer_1").has_value());
}

TEST_CASE("line removal: around a blocking sink the other events keep their place around the removal") {
  fixture f;
  const auto order = seed_order(*f.odoo, 2);
  // A host's own blocking sink: it notes how many unlinks Odoo had run when
  // each event reached it.
  struct recorder final : ob::per_event_sink {
    const fake_odoo* odoo = nullptr;
    std::vector<std::pair<std::string, std::size_t>> seen;
    odoolink::result<ob::delivery_result> deliver_one(const ob::event& e) override {
      seen.emplace_back(e.idempotency_key, calls_of(*odoo, "unlink"));
      return ob::delivery_result{};
    }
  } host;
  host.odoo = f.odoo.get();
  f.enqueue("customer", customer("First"), "u1");
  f.enqueue(ob::line_removal_subject, removal_payload(order, {order.lines[0]}), "r1");
  f.enqueue("customer", customer("Second"), "u2");
  f.enqueue("customer", customer("Elsewhere"), "u3", "order:2");
  ob::line_removal_sink corrections(f.connect(), host);
  ob::relay relay(f.store, corrections, quick_retries());
  const auto st = f.drain(relay);
  CHECK(st.delivered == 4);
  using seen_t = std::vector<std::pair<std::string, std::size_t>>;
  // u3 (another aggregate) goes with u1; u2 after the unlink.
  CHECK(host.seen == seen_t{{"u1", 0}, {"u3", 0}, {"u2", 1}});
  CHECK(lines_of(*f.odoo, order.id) == std::vector<std::int64_t>{order.lines[1]});
}

TEST_CASE("line removal: a removal sent to a server with no answer for 400 ms per call never stops the host's loop") {
  auto odoo = std::make_shared<fake_odoo>();
  const auto order = seed_order(*odoo, 3);
  odoo->inject({.kind = odoolink::testing::fake_fault_kind::latency, .model = "sale.order", .method = "read", .latency = 400ms});
  odoo->inject(
      {.kind = odoolink::testing::fake_fault_kind::latency, .model = "sale.order.line", .method = "unlink", .latency = 400ms});
  const auto contracts = contracts_with_removal();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  REQUIRE(box.enqueue({.subject = std::string(ob::line_removal_subject),
                       .payload = removal_payload(order, {order.lines[0], order.lines[1]}), .idempotency_key = "r1",
                       .aggregate_key = "order:1"}));
  auto [port, connection] = odoolink::test::listen_and_create(*odoo);
  ob::odoo_sink upserts(connection, contracts, {.xid_module = "pos"});
  ob::line_removal_sink corrections(connection, upserts);
  ob::relay relay(store, corrections);
  odoolink::test::host_loop loop{relay, connection};

  const auto start = steady::now();
  const auto deadline = start + 20s;
  std::size_t turns_while_waiting = 0;
  for (;;) {
    loop.turn();
    auto st = store.stats();
    REQUIRE(st);
    if (st.value().delivered == 1 || steady::now() > deadline) break;
    if (relay.in_flight() > 0) ++turns_while_waiting;
  }
  const auto took = steady::now() - start;
  auto st = store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 1);
  CHECK(st.value().dead == 0);
  CHECK(took >= 800ms);  // both answers really took that long, one after the other
  // At most 10 ms of waiting per turn: 800 ms give the loop well over 40 turns.
  CHECK(turns_while_waiting >= 40);
  CHECK(loop.longest_pump < 400ms);  // never as long as one answer: a blocking pump takes both, 800 ms
  CHECK(odoo->stats().faults == 2);
  CHECK(lines_of(*odoo, order.id) == std::vector<std::int64_t>{order.lines[2]});
  MESSAGE("turns while the removal was out: " << turns_while_waiting << ", longest pump: "
                                              << std::chrono::duration<double, std::milli>(loop.longest_pump).count() << " ms");
}

TEST_CASE("line removal: with no server reachable the removal is released uncounted and tried again after a pause") {
  auto odoo = std::make_shared<fake_odoo>();
  const auto order = seed_order(*odoo, 2);
  std::uint16_t port = 0;
  {  // a free loopback port: listened on, then closed again
    auto probe = odoo->listen();
    REQUIRE(probe);
    port = probe.value()->port();
  }
  const auto contracts = contracts_with_removal();
  ob::memory_store store;
  ob::outbox box(store, contracts);
  REQUIRE(box.enqueue({.subject = std::string(ob::line_removal_subject), .payload = removal_payload(order, {order.lines[0]}),
                       .idempotency_key = "r1", .aggregate_key = "order:1"}));
  auto connection = odoolink::test::offline_client(port);
  ob::odoo_sink upserts(connection, contracts, {.xid_module = "pos"});
  ob::line_removal_sink corrections(connection, upserts, {.reconnect = {.initial = 50ms, .max = 100ms}});
  ob::relay relay(store, corrections, {.max_attempts = 1});
  odoolink::test::host_loop loop{relay, connection};

  const auto offline_until = steady::now() + 300ms;
  while (steady::now() < offline_until) loop.turn();
  CHECK_FALSE(connection.connected());
  auto st = store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 0);
  CHECK(st.value().dead == 0);  // one attempt allowed: a counted failure would have dead-lettered it
  CHECK(loop.released >= 1);
  // A turn takes at most ~10 ms: without the pause (50 ms, then 100 ms) the
  // loop would have tried some thirty times.
  CHECK(loop.released <= 8);
  CHECK(loop.turns >= loop.released * 2);
  MESSAGE("released while offline: " << loop.released << " times in " << loop.turns << " turns");

  auto listening = odoo->listen(port);
  REQUIRE_MESSAGE(listening.has_value(), odoolink::test::error_of(listening).describe());
  const auto done = loop.run_until_delivered(store, 1);
  CHECK(done.delivered == 1);
  CHECK(done.dead == 0);
  CHECK(lines_of(*odoo, order.id) == std::vector<std::int64_t>{order.lines[1]});
}
