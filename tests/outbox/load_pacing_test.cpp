// The Odoo sink paces its `load` calls by the server's time per call: a
// server slower per record than `target_load_time` allows gets smaller calls,
// a quick one gets them back, calls that time out shrink until they fit, and
// quick failures change nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "odoolink/json/parse.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/relay.hpp"
#include "outbox/support/fake_load_odoo.hpp"
#include "outbox/support/sink_fixture.hpp"
#include "support/time_scale.hpp"

namespace {

using namespace std::chrono_literals;
namespace ob = odoolink::outbox;
using odoolink::test::fast_retries;
using odoolink::test::scaled;

// The records of a JSON-RPC `load` request: the rows of `load(fields, rows)`
// (one per record for customers, which have no lines).
std::size_t records_in(const std::string& body) {
  auto doc = odoolink::json::parse(body);
  REQUIRE(doc);
  const auto& args = doc.value().find("params")->find("args")->as_array();
  return args.at(5).as_array().at(1).as_array().size();
}

// An Odoo whose `load` keeps it busy `per_record` for each record sent (it
// sleeps), and which answers a `load` of more than `fails_above` records
// with `failure` once that time is spent (a timeout, a 503).
struct slow_load_server final : odoolink::transport::sync_transport {
  explicit slow_load_server(std::shared_ptr<odoolink::test::fake_load_odoo> o) : odoo(std::move(o)) {}

  odoolink::result<odoolink::http_response> send(const odoolink::http_request& request) override {
    if (request.body.find("\"load\"") == std::string::npos) return odoo->send(request);
    const std::size_t records = records_in(request.body);
    sizes.push_back(records);
    std::this_thread::sleep_for(per_record * static_cast<int>(records));
    if (records > fails_above) return odoolink::error(failure, "injected by the test's server");
    return odoo->send(request);
  }

  std::shared_ptr<odoolink::test::fake_load_odoo> odoo;
  std::chrono::microseconds per_record{0};
  std::size_t fails_above = SIZE_MAX;
  odoolink::transport_errc failure = odoolink::transport_errc::timeout;
  std::vector<std::size_t> sizes;  // records of every load received
};

struct fixture : odoolink::test::sink_fixture {
  std::shared_ptr<slow_load_server> server = std::make_shared<slow_load_server>(odoo);
  int enqueued = 0;

  void enqueue_customers(int n) {
    for (int i = 0; i < n; ++i, ++enqueued) {
      const std::string id = std::to_string(enqueued);
      auto r = box.enqueue({.subject = "customer",
                            .payload = R"({"customer_id":"pos.c)" + id + R"(","name":"Customer )" + id + R"("})",
                            .idempotency_key = "c" + id});
      if (!r) FAIL(r.error().describe());
    }
  }
  // The load sizes received since `from`, the largest first.
  [[nodiscard]] std::size_t largest_since(std::size_t from) const {
    REQUIRE(server->sizes.size() > from);
    return *std::max_element(server->sizes.begin() + static_cast<std::ptrdiff_t>(from), server->sizes.end());
  }
};

// The test's server answers inside `submit` (a sync transport): calls sent
// together would complete together, and all but the first would seem to take
// no time. One at a time, each call's time is the server's.
ob::odoo_sink_options one_call_at_a_time(std::chrono::milliseconds target) {
  return {.target_load_time = target, .max_in_flight = 1};
}

}  // namespace

TEST_CASE("load pacing: a server slower per record than the target gets smaller calls, a quick one larger again") {
  fixture f;
  const auto target = scaled(100ms);
  f.server->per_record = scaled(5ms);  // 20 records fill the target
  ob::odoo_sink sink(odoolink::test::client_on(f.server), f.contracts, one_call_at_a_time(target));
  ob::relay relay(f.store, sink, fast_retries(), &f.clock);
  CHECK(sink.load_limit("res.partner") == 200);  // nothing timed yet: max_batch

  // The first call holds all 100 and takes 500 ms: five times the target.
  f.enqueue_customers(100);
  f.drain(relay);
  REQUIRE(f.server->sizes == std::vector<std::size_t>{100});
  const std::size_t slowed = sink.load_limit("res.partner");
  CHECK(slowed >= 1);
  CHECK(slowed <= 20);

  // Every later call fits the target: it sleeps at least 5 ms per record, so
  // the limit never grows past 100 ms / 5 ms.
  const std::size_t second_round = f.server->sizes.size();
  f.enqueue_customers(100);
  f.drain(relay);
  CHECK(f.largest_since(second_round) <= 20);
  CHECK(f.server->sizes.size() - second_round >= 5);
  CHECK(f.odoo->count("res.partner") == 200);

  // A server that got quick again lets full calls grow, at most doubling.
  f.server->per_record = 0us;
  const std::size_t third_round = f.server->sizes.size();
  f.enqueue_customers(300);
  f.drain(relay);
  CHECK(sink.load_limit("res.partner") > slowed);
  CHECK(f.largest_since(third_round) > slowed);
  CHECK(f.odoo->count("res.partner") == 500);
  CHECK(f.odoo->count("res.partner") == f.odoo->by_xid.size());  // no duplicates
}

TEST_CASE("load pacing: loads that time out shrink until they fit, and every record arrives once") {
  fixture f;
  f.server->per_record = 1ms;
  f.server->fails_above = 30;  // the server gives up on more than 30 records
  ob::odoo_sink sink(odoolink::test::client_on(f.server), f.contracts, one_call_at_a_time(20ms));
  ob::relay relay(f.store, sink, fast_retries(), &f.clock);
  f.enqueue_customers(200);
  f.drain(relay);
  REQUIRE_FALSE(f.server->sizes.empty());
  CHECK(f.server->sizes.front() == 200);
  // 200 records time out after 200 ms, ten times the target: the next calls
  // hold at most 200 * 20 / 200 records, which the server takes.
  CHECK(f.largest_since(1) <= 20);
  CHECK(f.odoo->count("res.partner") == 200);
  CHECK(f.odoo->by_xid.size() == 200);
  auto st = f.store.stats();
  REQUIRE(st);
  CHECK(st.value().dead == 0);
}

TEST_CASE("load pacing: without a target every call may hold max_batch, and a quick failure changes nothing") {
  SUBCASE("target zero: the timed-out size is sent again") {
    fixture f;
    f.server->fails_above = 30;
    ob::odoo_sink sink(odoolink::test::client_on(f.server), f.contracts, {.target_load_time = 0ms});
    ob::relay relay(f.store, sink, fast_retries(), &f.clock);
    f.enqueue_customers(100);
    for (int i = 0; i < 3; ++i) {
      REQUIRE(relay.pump(1000));
      f.clock.advance(std::chrono::minutes(11));
    }
    CHECK(f.server->sizes == std::vector<std::size_t>{100, 100, 100});
    CHECK(sink.load_limit("res.partner") == 200);
  }
  SUBCASE("a 503 at once leaves the limit where it was") {
    fixture f;
    f.server->fails_above = 0;  // every load fails, without taking any time
    f.server->failure = odoolink::transport_errc::server_unavailable;
    ob::odoo_sink sink(odoolink::test::client_on(f.server), f.contracts, {.target_load_time = scaled(1000ms)});
    ob::relay relay(f.store, sink, fast_retries(), &f.clock);
    f.enqueue_customers(100);
    REQUIRE(relay.pump(1000));
    CHECK(f.server->sizes == std::vector<std::size_t>{100});
    CHECK(sink.load_limit("res.partner") == 200);
  }
}
