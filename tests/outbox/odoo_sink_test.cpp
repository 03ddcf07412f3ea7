// The Odoo sink against an in-memory Odoo that applies `load`: batching,
// bisection of refused batches, lost responses, dependencies, actions.
#include <doctest/doctest.h>

#include <deque>

#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_clock.hpp"
#include "odoolink/testing/fault_transport.hpp"
#include "outbox/support/fake_load_odoo.hpp"
#include "outbox/support/sink_fixture.hpp"
#include "outbox/support/test_contracts.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;
using odoolink::test::fast_retries;

std::string customer(int i, std::string_view name = {}) {
  return R"({"customer_id":"pos.c)" + std::to_string(i) + R"(","name":")" +
         (name.empty() ? "Customer " + std::to_string(i) : std::string(name)) + R"("})";
}

struct fixture : odoolink::test::sink_fixture {

  void enqueue(const std::string& subject, const std::string& payload, const std::string& key, std::string aggregate = {}) {
    auto r = box.enqueue({.subject = subject, .payload = payload, .idempotency_key = key, .aggregate_key = aggregate});
    if (!r) FAIL(r.error().describe());
  }
  // The fake behind `faults`; the login goes through clean.
  std::shared_ptr<odoolink::testing::fault_transport> faulty(const odoolink::testing::fault_options& faults) {
    auto flaky = std::make_shared<odoolink::testing::fault_transport>(odoo, faults);
    for (int i = 0; i < 8; ++i) flaky->force(odoolink::testing::fault_kind::none);
    return flaky;
  }
};

}  // namespace

TEST_CASE("odoo sink: consecutive events of one contract become one load call") {
  fixture f;
  for (int i = 0; i < 10; ++i) f.enqueue("customer", customer(i), "c" + std::to_string(i));
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(100);
  REQUIRE(report);
  CHECK(report.value().delivered == 10);
  CHECK(f.odoo->load_calls == 1);
  CHECK(f.odoo->count("res.partner") == 10);
  auto e = f.store.find_by_key("c3");
  REQUIRE(e);
  CHECK(e.value()->result.model == "res.partner");
  CHECK(e.value()->result.external_id == "pos.c3");
  CHECK(e.value()->result.record_id == f.odoo->by_xid["pos.c3"].id);
}

std::string order(int i, int customer_index) {
  return R"({"order_id":"pos.o)" + std::to_string(i) + R"(","customer":"pos.c)" + std::to_string(customer_index) +
         R"(","order_ref":"POS-)" + std::to_string(i) + R"("})";
}

TEST_CASE("odoo sink: claimed events of one contract share a load across aggregates and references go first") {
  fixture f;
  // One aggregate per record, enqueued interleaved: each order right after (or long after) its customer.
  for (int i = 0; i < 30; ++i) {
    f.enqueue("customer", customer(i), "c" + std::to_string(i), "customer/" + std::to_string(i));
    f.enqueue("sales_order", order(2 * i, i), "o" + std::to_string(2 * i), "order/" + std::to_string(2 * i));
    f.enqueue("sales_order", order(2 * i + 1, i / 2), "o" + std::to_string(2 * i + 1),
              "order/" + std::to_string(2 * i + 1));
  }
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(1000);
  REQUIRE(report);
  CHECK(report.value().delivered == 90);
  CHECK(report.value().retried == 0);
  CHECK(f.odoo->load_calls == 2);  // the customers, then the orders that use them
  CHECK(f.odoo->count("res.partner") == 30);
  CHECK(f.odoo->count("sale.order") == 60);
  CHECK(f.odoo->by_xid["pos.o7"].cells["partner_id/id"] == "pos.c1");
}

TEST_CASE("odoo sink: events of one aggregate reach Odoo in order when calls are grouped by contract") {
  fixture f;
  // Four tills; each alternates customers and runs of orders, orders use customers of any till.
  std::vector<std::vector<std::string>> till_xids(4);
  int orders = 0;
  for (int i = 0; i < 24; ++i) {
    const std::string till = "till/" + std::to_string(i % 4);
    f.enqueue("customer", customer(i), "c" + std::to_string(i), till);
    till_xids[static_cast<std::size_t>(i % 4)].push_back("pos.c" + std::to_string(i));
    for (int k = 0; k < 1 + i % 3; ++k, ++orders) {
      f.enqueue("sales_order", order(orders, i / 2), "o" + std::to_string(orders), till);
      till_xids[static_cast<std::size_t>(i % 4)].push_back("pos.o" + std::to_string(orders));
    }
  }
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(1000);
  REQUIRE(report);
  const std::size_t events = 24 + static_cast<std::size_t>(orders);
  CHECK(report.value().delivered == events);
  CHECK(f.odoo->load_calls < events / 3);  // grouped across tills, not one call per run
  // Database ids grow in creation order: every till's records were created in its enqueue order.
  for (const auto& xids : till_xids)
    for (std::size_t k = 1; k < xids.size(); ++k) CHECK(f.odoo->by_xid[xids[k - 1]].id < f.odoo->by_xid[xids[k]].id);
}

namespace {

// Four tills, each recording a customer then one to three orders, again and
// again; the orders use customers of any till. Returns each till's external
// ids in the order they were recorded, by subject.
struct four_tills {
  std::vector<std::vector<std::string>> customers = std::vector<std::vector<std::string>>(4);
  std::vector<std::vector<std::string>> orders = std::vector<std::vector<std::string>>(4);
  std::size_t events = 0;
};

four_tills record_four_tills(fixture& f, int rounds) {
  four_tills t;
  int orders = 0;
  for (int i = 0; i < rounds; ++i) {
    const auto till = static_cast<std::size_t>(i % 4);
    f.enqueue("customer", customer(i), "c" + std::to_string(i), "till/" + std::to_string(till));
    t.customers[till].push_back("pos.c" + std::to_string(i));
    for (int k = 0; k < 1 + i % 3; ++k, ++orders) {
      f.enqueue("sales_order", order(orders, i / 2), "o" + std::to_string(orders), "till/" + std::to_string(till));
      t.orders[till].push_back("pos.o" + std::to_string(orders));
    }
  }
  t.events = static_cast<std::size_t>(rounds + orders);
  return t;
}

// Answers one request per `poll`, in the order sent: calls in flight finish
// one after the other, as on a server with one worker.
class one_answer_per_poll final : public odoolink::transport::http_transport {
 public:
  explicit one_answer_per_poll(std::shared_ptr<odoolink::transport::http_transport> server) : server_(std::move(server)) {}
  odoolink::result<odoolink::http_response> send(const odoolink::http_request& request) override {
    return server_->send(request);
  }
  odoolink::transport::request_id submit(odoolink::http_request request, odoolink::transport::completion done) override {
    queued_.push_back({std::move(request), std::move(done)});
    return next_id_++;
  }
  odoolink::result<std::size_t> poll(std::chrono::milliseconds /*unused*/) override {
    if (queued_.empty()) return std::size_t{0};
    auto q = std::move(queued_.front());
    queued_.pop_front();
    q.second(server_->send(q.first));
    return std::size_t{1};
  }
  [[nodiscard]] std::optional<std::chrono::milliseconds> next_wakeup() const override {
    if (queued_.empty()) return std::nullopt;
    return std::chrono::milliseconds(0);
  }
  [[nodiscard]] std::size_t pending() const noexcept override { return queued_.size(); }
  bool cancel(odoolink::transport::request_id /*unused*/) override { return false; }

 private:
  std::shared_ptr<odoolink::transport::http_transport> server_;
  std::deque<std::pair<odoolink::http_request, odoolink::transport::completion>> queued_;
  odoolink::transport::request_id next_id_ = 1;
};

// Customers in two column sets (so two calls), then an order for each:
// the orders become ready half when the first call returns, half when the
// second does. Returns the load calls made.
std::size_t load_calls_for_staggered_orders(ob::odoo_sink_options options) {
  fixture f;
  for (int i = 0; i < 10; ++i) {
    const std::string id = std::to_string(i);
    f.enqueue("customer",
              i < 5 ? customer(i) : R"({"customer_id":"pos.c)" + id + R"(","name":"C","email":"c)" + id + R"(@example.com"})",
              "c" + id, "customer/" + id);
  }
  for (int i = 0; i < 10; ++i) f.enqueue("sales_order", order(i, i), "o" + std::to_string(i), "order/" + std::to_string(i));
  ob::odoo_sink sink(odoolink::test::client_on(std::make_shared<one_answer_per_poll>(f.odoo)), f.contracts,
                     std::move(options));
  ob::relay relay(f.store, sink, {}, &f.clock);
  f.drain(relay);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 20);
  CHECK(f.odoo->count("sale.order") == 10);
  return f.odoo->load_calls;
}

}  // namespace

TEST_CASE("odoo sink: with same_subject order a till's customers and orders each keep their order and share fewer calls") {
  fixture f;
  const auto tills = record_four_tills(f, 24);
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts, {.order = ob::aggregate_order::same_subject});
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(1000);
  REQUIRE(report);
  CHECK(report.value().delivered == tills.events);
  CHECK(report.value().retried == 0);
  // Every customer in one call, then every order: the orders wait only for the customers they use.
  CHECK(f.odoo->load_calls == 2);
  for (const auto* by_till : {&tills.customers, &tills.orders})
    for (const auto& xids : *by_till)
      for (std::size_t k = 1; k < xids.size(); ++k) CHECK(f.odoo->by_xid[xids[k - 1]].id < f.odoo->by_xid[xids[k]].id);
  for (const auto& [xid, record] : f.odoo->by_xid)
    if (xid.starts_with("pos.o")) CHECK(f.odoo->by_xid[record.cells.at("partner_id/id")].id < record.id);
}

TEST_CASE("odoo sink: with calls in flight a partial load waits to gather the events that become ready") {
  const std::size_t gathered = load_calls_for_staggered_orders({.max_in_flight = 4});
  const std::size_t eager = load_calls_for_staggered_orders({.max_in_flight = 4, .fill_batches_while_busy = false});
  MESSAGE("load calls: " << gathered << " gathering, " << eager << " sending at once");
  CHECK(gathered == 3);  // both customer calls, then every order in one
  CHECK(eager == 4);     // the orders in two calls, as their customers return
}

TEST_CASE("odoo sink: a load call is bounded by bytes as well as records") {
  fixture f;
  for (int i = 0; i < 20; ++i) f.enqueue("customer", customer(i, std::string(1000, 'x')), "c" + std::to_string(i));
  ob::odoo_sink_options o;
  o.max_batch_bytes = 5000;  // about four of these records
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts, o);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(100);
  REQUIRE(report);
  CHECK(report.value().delivered == 20);
  CHECK(f.odoo->load_calls == 5);
}

TEST_CASE("odoo sink: orders wait without an attempt while the customer they use is refused") {
  fixture f;
  f.enqueue("customer", customer(1, "BAD"), "c1", "customer/1");
  f.enqueue("customer", customer(2), "c2", "customer/2");
  f.enqueue("sales_order", order(1, 1), "o1", "order/1");
  f.enqueue("sales_order", order(2, 2), "o2", "order/2");
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(4);
  REQUIRE(report);
  CHECK(report.value().delivered == 2);  // c2 and o2
  CHECK(report.value().dead == 1);       // c1
  CHECK(report.value().released == 1);   // o1: not attempted
  auto o1 = f.store.find_by_key("o1");
  REQUIRE(o1);
  CHECK(o1.value()->state == ob::event_state::pending);
  CHECK(o1.value()->attempts == 0);
}

TEST_CASE("odoo sink: a refused batch is bisected until only the bad rows fail") {
  fixture f;
  for (int i = 0; i < 16; ++i) f.enqueue("customer", customer(i, i == 5 || i == 11 ? "BAD" : ""), "c" + std::to_string(i));
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(100);
  REQUIRE(report);
  CHECK(report.value().delivered == 14);
  CHECK(report.value().dead == 2);
  CHECK(f.odoo->count("res.partner") == 14);
  auto dead = f.box.dead_letters();
  REQUIRE(dead);
  REQUIRE(dead.value().size() == 2);
  CHECK(dead.value()[0].idempotency_key == "c5");
  CHECK(dead.value()[1].idempotency_key == "c11");
  CHECK(dead.value()[0].last_error.find("Invalid value for field 'name'") != std::string::npos);
  // 16 → 8+8 → 4+4 (each bad half) → 2+2 → 1+1: a handful of calls, not 16.
  CHECK(f.odoo->load_calls <= 1 + 2 + 4 + 4 + 4);
}

TEST_CASE("odoo sink: lost responses after Odoo applied the load create no duplicates") {
  fixture f;
  for (int i = 0; i < 60; ++i) f.enqueue("customer", customer(i), "c" + std::to_string(i), "c" + std::to_string(i % 7));
  odoolink::testing::fault_options faults;
  faults.seed = 7;
  faults.drop_response = 0.3;
  faults.status_502 = 0.1;
  auto flaky = f.faulty(faults);
  ob::odoo_sink sink(odoolink::test::client_on(flaky), f.contracts, {.max_batch = 8});
  ob::relay relay(f.store, sink, fast_retries(), &f.clock);
  f.drain(relay);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 60);
  CHECK(st.value().dead == 0);
  CHECK(f.odoo->count("res.partner") == 60);
  CHECK(relay.counters().retried > 0);  // the faults did happen
  std::size_t replayed_writes = 0;
  for (const auto& [xid, r] : f.odoo->by_xid) replayed_writes += r.writes > 1 ? 1 : 0;
  CHECK(replayed_writes > 0);  // some loads were applied, lost, and sent again: upserted, not duplicated
}

TEST_CASE("odoo sink: garbled replies to loads are retried and never dead-letter work Odoo holds") {
  fixture f;
  for (int i = 0; i < 60; ++i) f.enqueue("customer", customer(i), "c" + std::to_string(i), "c" + std::to_string(i % 5));
  odoolink::testing::fault_options faults;
  faults.seed = 11;
  faults.truncate_body = 0.2;
  faults.corrupt_body = 0.2;
  auto flaky = f.faulty(faults);
  ob::odoo_sink sink(odoolink::test::client_on(flaky), f.contracts, {.max_batch = 8});
  ob::relay relay(f.store, sink, fast_retries(), &f.clock);
  f.drain(relay);
  const auto injected = flaky->stats();
  CHECK(injected.count(odoolink::testing::fault_kind::truncate_body) > 0);
  CHECK(injected.count(odoolink::testing::fault_kind::corrupt_body) > 0);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 60);
  CHECK(st.value().dead == 0);
  CHECK(f.odoo->count("res.partner") == 60);  // applied loads whose reply was garbled were upserted again
}

TEST_CASE("odoo sink: a reference to a record not delivered yet is retried then delivered") {
  fixture f;
  // The order comes first (another aggregate), its customer later.
  f.enqueue("sales_order", R"({"order_id":"pos.o1","customer":"pos.c1","order_ref":"POS-1"})", "o1", "order/1");
  f.enqueue("customer", customer(1), "c1", "customer/1");
  ob::odoo_sink_options o;
  o.max_batch = 1;
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts, o);
  ob::relay relay(f.store, sink, fast_retries(), &f.clock);
  auto first = relay.pump(10);
  REQUIRE(first);
  CHECK(first.value().parked == 1);
  CHECK(first.value().delivered == 1);
  auto o1 = f.store.find_by_key("o1");
  REQUIRE(o1);
  CHECK(o1.value()->last_error.find("No matching record found for external id 'pos.c1'") != std::string::npos);
  f.drain(relay);
  CHECK(f.odoo->count("sale.order") == 1);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 2);
}

TEST_CASE("odoo sink: an order whose customer is dead waits uncounted until the customer is replayed") {
  fixture f;
  f.enqueue("customer", customer(1, "BAD"), "c1", "customer/1");
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts);
  ob::relay relay(f.store, sink, fast_retries(), &f.clock);
  REQUIRE(relay.pump(10));  // the customer is refused: dead
  f.enqueue("sales_order", order(1, 1), "o1", "order/1");
  ob::relay_options options = fast_retries();
  options.max_attempts = 3;
  ob::relay strict(f.store, sink, options, &f.clock);
  for (int round = 0; round < 20; ++round) {  // far more rounds than attempts allowed
    auto report = strict.pump(10);
    REQUIRE(report);
    CHECK(report.value().dead == 0);
    f.clock.advance(31s);
  }
  auto o1 = f.store.find_by_key("o1");
  REQUIRE(o1);
  CHECK(o1.value()->state == ob::event_state::pending);
  CHECK(o1.value()->attempts == 0);
  CHECK(o1.value()->last_error.find("pos.c1") != std::string::npos);

  auto dead = f.box.dead_letters();
  REQUIRE(dead);
  REQUIRE(dead.value().size() == 1);
  REQUIRE(f.box.replay(dead.value()[0].id, std::string_view(customer(1))));
  f.drain(strict);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().delivered == 2);
  CHECK(st.value().dead == 0);
  CHECK(f.odoo->count("sale.order") == 1);
}

TEST_CASE("odoo sink: a state-guarded action runs once and an already done one is success") {
  fixture f;
  f.enqueue("customer", customer(1), "c1", "flow");
  f.enqueue("sales_order", R"({"order_id":"pos.o1","customer":"pos.c1","order_ref":"POS-1"})", "o1", "flow");
  f.enqueue("order_confirmation", R"({"order":"pos.o1"})", "confirm-o1", "flow");
  ob::odoo_sink_options o;
  o.actions.push_back({.subject = "order_confirmation", .model = "sale.order", .method = "action_confirm",
                       .record_field = "order", .done_states = {"sale", "done"}});
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts, o);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(10);
  REQUIRE(report);
  CHECK(report.value().delivered == 3);
  CHECK(f.odoo->actions_run == 1);
  CHECK(f.odoo->by_xid["pos.o1"].state == "sale");
  // Replaying the confirmation (it was delivered) does not confirm again.
  auto confirm = f.store.find_by_key("confirm-o1");
  REQUIRE(confirm);
  REQUIRE(f.box.replay(confirm.value()->id));
  REQUIRE(relay.pump(10));
  CHECK(f.odoo->actions_run == 1);
  auto again = f.store.find_by_key("confirm-o1");
  REQUIRE(again);
  CHECK(again.value()->state == ob::event_state::delivered);
}

TEST_CASE("odoo sink: unlink of a record that is already gone counts as done") {
  fixture f;
  f.enqueue("customer", customer(1), "c1", "flow");
  f.enqueue("order_confirmation", R"({"order":"pos.c1"})", "delete-c1", "flow");
  f.enqueue("order_confirmation", R"({"order":"pos.c1"})", "delete-c1-again", "flow");
  ob::odoo_sink_options o;
  o.unlinks.push_back({.subject = "order_confirmation", .model = "res.partner", .record_field = "order"});
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts, o);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(10);
  REQUIRE(report);
  CHECK(report.value().delivered == 3);
  CHECK(f.odoo->count("res.partner") == 0);
}

TEST_CASE("odoo sink: derived external ids are valid and do not collide") {
  using ob::odoo_sink;
  CHECK(odoo_sink::derived_external_id("pos", "customer", "c_17") == "pos.customer_c_17");
  const auto a = odoo_sink::derived_external_id("pos", "customer", "store 1/c.17");
  const auto b = odoo_sink::derived_external_id("pos", "customer", "store_1_c_17");
  CHECK(a != b);
  CHECK(a.rfind("pos.customer_store_1_c_17_", 0) == 0);
  CHECK(a.find('.', 4) == std::string::npos);
}

TEST_CASE("odoo sink: an event whose stored payload no longer fits its contract dead-letters") {
  fixture f;
  f.enqueue("customer", customer(1), "c1");
  // Simulate a payload changed in the store behind the outbox's back.
  auto e = f.store.find_by_key("c1");
  REQUIRE(e);
  ob::claim_request r;
  r.owner = "x";
  r.now = ob::to_timestamp(f.clock.wall_now());
  auto claimed = f.store.claim(r);
  REQUIRE(claimed);
  ob::settlement dead;
  dead.id = e.value()->id;
  dead.kind = ob::settlement_kind::dead;
  dead.error = "test";
  REQUIRE(f.store.settle("x", r.now, std::vector<ob::settlement>{dead}));
  REQUIRE(f.store.replay(e.value()->id, r.now, std::string(R"({"name":42})"), "test"));
  ob::odoo_sink sink(odoolink::test::client_on(f.odoo), f.contracts);
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(10);
  REQUIRE(report);
  CHECK(report.value().dead == 1);
  CHECK(f.odoo->load_calls == 0);
}

namespace {
// Notes the timeout of every request on its way to the server.
struct timeout_recorder final : odoolink::transport::sync_transport {
  explicit timeout_recorder(std::shared_ptr<odoolink::transport::http_transport> s) : server(std::move(s)) {}
  odoolink::result<odoolink::http_response> send(const odoolink::http_request& request) override {
    const bool load = request.body.find("\"load\"") != std::string::npos;
    (load ? load_timeouts : other_timeouts).push_back(request.timeout);
    return server->send(request);
  }
  std::shared_ptr<odoolink::transport::http_transport> server;
  std::vector<std::chrono::milliseconds> load_timeouts, other_timeouts;
};
}  // namespace

TEST_CASE("odoo sink: load calls get their own timeout and other calls keep the client's") {
  fixture f;
  for (int i = 0; i < 3; ++i) f.enqueue("customer", customer(i), "c" + std::to_string(i));
  auto wire = std::make_shared<timeout_recorder>(f.odoo);
  ob::odoo_sink sink(odoolink::test::client_on(wire), f.contracts, {.load_timeout = std::chrono::minutes(10)});
  ob::relay relay(f.store, sink, {}, &f.clock);
  auto report = relay.pump(100);
  REQUIRE(report);
  CHECK(report.value().delivered == 3);
  REQUIRE(wire->load_timeouts.size() == 1);
  CHECK(wire->load_timeouts[0] == std::chrono::minutes(10));
  REQUIRE_FALSE(wire->other_timeouts.empty());  // version probe and login
  for (const auto t : wire->other_timeouts) CHECK(t < std::chrono::minutes(10));
}
