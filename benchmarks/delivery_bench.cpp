// The outbox's delivery engine on the user's path: a point-of-sale stream
// (10 % customers, 10 % products, 80 % orders with 1-4 lines) enqueued with
// the shipped contracts, then moved by the relay and the Odoo sink over
// loopback HTTP into the fake Odoo's listener, pipelined: the host's loop
// pumps the relay (which never waits on the network) and waits in the
// client's `poll` until the relay's next wake-up. The baseline, in the same
// iteration and against a fresh fake: hand-written batched `load` calls of
// exactly the same rows (all customers, all products, then the orders, 200
// records per call), which is what the server could take at best.
//
//   odoolink_delivery_bench --benchmark_counters_tabular=true
//
// Arguments: aggregate layout (0: one aggregate per record, 1: one per record
// type, 2: four tills, each mixing all types), the latency the fake adds to
// every call in ms (a real Odoo spends 10-50 ms per `load`), the sink's
// calls in flight (`odoo_sink_options::max_in_flight`) and 1 for
// `aggregate_order::same_subject` (0: all_events, the default). The fake listener
// answers one request at a time, like a single-worker Odoo: calls in flight
// overlap the relay's own work with the server's, not two server calls.
//
// With ODOOLINK_TEST_URL, ODOOLINK_TEST_DB, ODOOLINK_TEST_USER and
// ODOOLINK_TEST_PASSWORD set, BM_pos_stream_live runs the same stream (four
// tills) into that real Odoo, baseline and relay alike, under external ids
// unique to the run (a real database keeps what it is sent). Its arguments:
// calls in flight, same_subject, and `odoo_sink_options::fill_batches_while_busy`
// (0: every ready event goes as soon as there is room, which is what a server
// with several workers could serve in parallel).
// `orders_per_load` is the sale orders per `load` the sink's pacing
// (`odoo_sink_options::target_load_time`) ended the run at.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/client/server_fields.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/observe/observer.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "odoolink/transport/curl_transport.hpp"

using namespace odoolink;

namespace {

constexpr int customers = 100, products = 100, orders = 800;

struct stream_event {
  std::string subject, key, aggregate, payload;
};

// The day's events in enqueue order: an order only uses customers and
// products enqueued before it.
// `tag` makes the external ids unique to a run (empty against a fresh fake).
std::vector<stream_event> make_stream(int layout, const std::string& tag = "") {
  std::vector<stream_event> out;
  int c = 0, p = 0, o = 0, n = 0;
  auto aggregate = [&](const char* type, int id) {
    switch (layout) {
      case 0: return std::string(type) + "/" + std::to_string(id);
      case 1: return std::string(type);
      default: return "till/" + std::to_string(n % 4);
    }
  };
  while (o < orders) {
    const bool need_customer = c < customers && (c == 0 || n % 10 == 1);
    const bool need_product = p < products && (p == 0 || n % 10 == 2);
    stream_event e;
    if (need_customer) {
      e = {"customer", "c" + std::to_string(c), aggregate("customer", c),
           json::to_string(json::object{{"customer_id", "pos." + tag + "customer_" + std::to_string(c)},
                                        {"name", "Customer " + std::to_string(c)},
                                        {"email", "c" + std::to_string(c) + "@example.com"}})};
      ++c;
    } else if (need_product) {
      e = {"product", "p" + std::to_string(p), aggregate("product", p),
           json::to_string(json::object{{"product_id", "pos." + tag + "product_" + std::to_string(p)},
                                        {"name", "Product " + std::to_string(p)},
                                        {"internal_reference", "P" + std::to_string(p)},
                                        {"sale_price", 1.5 + p}})};
      ++p;
    } else {
      json::array lines;
      for (int l = 0; l < 1 + o % 4; ++l)
        lines.push_back(json::object{{"line_id", "pos." + tag + "line_" + std::to_string(o) + "_" + std::to_string(l)},
                                     {"product", "pos." + tag + "product_" + std::to_string((o + l * 7) % p)},
                                     {"quantity", 1.0 + l}});
      e = {"sales_order", "o" + std::to_string(o), aggregate("order", o),
           json::to_string(json::object{{"order_id", "pos." + tag + "order_" + std::to_string(o)},
                                        {"customer", "pos." + tag + "customer_" + std::to_string(o % c)},
                                        {"order_ref", "POS/" + std::to_string(o)},
                                        {"lines", std::move(lines)}})};
      ++o;
    }
    out.push_back(std::move(e));
    ++n;
  }
  return out;
}

contract::registry shipped_contracts() {
  auto r = contract::registry::load_directory(ODOOLINK_CONTRACTS_DIR);
  if (!r) {
    std::fprintf(stderr, "delivery_bench: %s\n", r.error().describe().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

// A fake Odoo 18 on a loopback port, and a client talking to it over HTTP.
struct server {
  std::shared_ptr<testing::fake_odoo> odoo = std::make_shared<testing::fake_odoo>();
  std::unique_ptr<testing::fake_listener> port;
  std::optional<client::client> connection;

  explicit server(int latency_ms) {
    if (latency_ms > 0)
      odoo->inject({.kind = testing::fake_fault_kind::latency, .count = 1'000'000,
                    .latency = std::chrono::milliseconds(latency_ms)});
    auto listening = odoo->listen();
    if (!listening) fail(listening.error());
    port = std::move(listening).value();
    auto c = client::client::connect({.url = port->url(), .database = "odoolink", .login = "admin", .password = "admin"});
    if (!c) fail(c.error());
    connection = std::move(c).value();
  }
  [[noreturn]] static void fail(const error& e) {
    std::fprintf(stderr, "delivery_bench: %s\n", e.describe().c_str());
    std::exit(1);
  }
};

// Optional mappings follow the server, as the sink's do (is_storable is 18+):
// the three models' fields are learnt here, before the baseline is timed.
contract::load_options learnt_fields(client::client& connection) {
  contract::load_options options{.server_has = client::field_presence_of(connection)};
  for (const char* model : {"res.partner", "product.product", "sale.order"}) (void)options.server_has(model, "name");
  return options;
}

// Hand-written: every subject's rows in calls of 200 records. Returns the calls made.

std::size_t handwritten_loads(client::client& connection, const contract::registry& registry,
                              const std::vector<stream_event>& stream, const contract::load_options& options) {
  std::size_t calls = 0;
  for (const char* subject : {"customer", "product", "sales_order"}) {
    auto c = registry.latest(subject);
    if (!c) server::fail(c.error());
    std::optional<contract::load_rows> rows;
    std::size_t in_call = 0;
    auto flush = [&] {
      if (!rows) return;
      auto call = contract::to_load_call(c.value(), *rows);
      if (!call) server::fail(call.error());
      auto reply = connection.execute_kw(std::move(call).value());
      if (!reply) server::fail(reply.error());
      ++calls;
      rows.reset();
      in_call = 0;
    };
    for (const auto& e : stream) {
      if (e.subject != subject) continue;
      auto payload = json::parse(e.payload);
      if (!payload) server::fail(payload.error());
      auto row = contract::to_load_row(c.value(), payload.value(), "", options);
      if (!row) server::fail(row.error());
      if (rows && rows->fields != row.value().fields) flush();
      if (!rows) rows = std::move(row).value();
      else (void)rows->append(row.value());
      if (++in_call == 200) flush();
    }
    flush();
  }
  return calls;
}

// The host's loop: pump, then wait in the client's poll until the relay's
// next wake-up, until every event is settled.
void run_relay(outbox::relay& relay, outbox::memory_store& store, client::client& connection) {
  for (int round = 0; round < 1'000'000; ++round) {
    auto report = relay.pump(1000);
    if (!report) server::fail(report.error());
    if (relay.in_flight() == 0 && report.value().claimed == 0) {
      auto st = store.stats();
      if (!st) server::fail(st.error());
      if (st.value().pending == 0 && st.value().in_flight == 0) return;
    }
    auto wake = relay.next_wakeup();
    if (!wake) server::fail(wake.error());
    const auto wait = wake.value().wait_from(std::chrono::steady_clock::now(), std::chrono::milliseconds(50));
    if (relay.in_flight() > 0) {
      if (auto polled = connection.poll(wait); !polled) server::fail(polled.error());
    } else if (wait.count() > 0) {
      std::this_thread::sleep_for(wait);  // a retry is not due yet
    }
  }
  std::fprintf(stderr, "delivery_bench: the outbox did not drain\n");
  std::exit(1);
}

struct relay_run {
  double seconds = 0;
  std::size_t dead = 0;
  std::size_t order_limit = 0;  // sale orders per `load` the sink's pacing ended at
};

// Enqueues `stream` in a fresh memory store and relays it through `connection`.
relay_run relay_stream(client::client& connection, const contract::registry& registry,
                       const std::vector<stream_event>& stream, std::size_t in_flight, outbox::aggregate_order order,
                       bool fill_while_busy = true) {
  outbox::memory_store store;
  outbox::outbox box(store, registry);
  for (const auto& e : stream) {
    auto q = box.enqueue({.subject = e.subject, .payload = e.payload, .idempotency_key = e.key,
                          .aggregate_key = e.aggregate});
    if (!q) server::fail(q.error());
  }
  outbox::odoo_sink sink(connection, registry,
                         {.xid_module = "pos", .max_in_flight = in_flight, .fill_batches_while_busy = fill_while_busy,
                          .order = order});
  outbox::relay relay(store, sink, {.batch_size = 200});
  const auto start = std::chrono::steady_clock::now();
  run_relay(relay, store, connection);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto st = store.stats();
  if (!st || st.value().delivered != stream.size()) {
    std::fprintf(stderr, "delivery_bench: %zu of %zu delivered\n", st ? st.value().delivered : 0, stream.size());
    std::exit(1);
  }
  return {seconds, st.value().dead, sink.load_limit("sale.order")};
}

struct totals {
  std::size_t events = 0;  // per iteration
  double outbox_seconds = 0, handwritten_seconds = 0;
  std::size_t outbox_requests = 0, handwritten_calls = 0, dead = 0;
  std::size_t order_limit = 0;  // of the last iteration
};

void report(benchmark::State& state, const totals& t) {
  const double n = static_cast<double>(t.events) * static_cast<double>(state.iterations());
  state.counters["events_per_s"] = n / t.outbox_seconds;
  state.counters["handwritten_per_s"] = n / t.handwritten_seconds;
  state.counters["vs_handwritten"] = t.handwritten_seconds / t.outbox_seconds;
  state.counters["requests_per_1000"] = 1000.0 * static_cast<double>(t.outbox_requests) / n;
  state.counters["handwritten_req_per_1000"] = 1000.0 * static_cast<double>(t.handwritten_calls) / n;
  state.counters["dead"] = static_cast<double>(t.dead);
  state.counters["orders_per_load"] = static_cast<double>(t.order_limit);
}

void BM_pos_stream(benchmark::State& state) {
  const int layout = static_cast<int>(state.range(0));
  const int latency = static_cast<int>(state.range(1));
  const auto in_flight = static_cast<std::size_t>(state.range(2));
  const auto order = static_cast<outbox::aggregate_order>(state.range(3));
  const auto registry = shipped_contracts();
  const auto stream = make_stream(layout);
  double outbox_seconds = 0, handwritten_seconds = 0;
  std::size_t outbox_requests = 0, handwritten_calls = 0, dead = 0, order_limit = 0;
  for (auto _ : state) {
    // Baseline, same rows, fresh server.
    {
      server s(latency);
      const auto fields = learnt_fields(*s.connection);
      const auto start = std::chrono::steady_clock::now();
      handwritten_calls += handwritten_loads(*s.connection, registry, stream, fields);
      handwritten_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    server s(latency);
    const auto requests_before = s.odoo->stats().requests;
    const auto run = relay_stream(*s.connection, registry, stream, in_flight, order);
    state.SetIterationTime(run.seconds);
    outbox_seconds += run.seconds;
    outbox_requests += s.odoo->stats().requests - requests_before;
    dead += run.dead;
    order_limit = run.order_limit;
  }
  report(state, {.events = stream.size(), .outbox_seconds = outbox_seconds, .handwritten_seconds = handwritten_seconds,
                 .outbox_requests = outbox_requests, .handwritten_calls = handwritten_calls, .dead = dead,
                 .order_limit = order_limit});
}

BENCHMARK(BM_pos_stream)
    ->ArgNames({"layout", "latency_ms", "in_flight", "same_subject"})
    ->Args({0, 0, 4, 0})
    ->Args({1, 0, 4, 0})
    ->Args({2, 0, 4, 0})
    ->Args({0, 10, 4, 0})
    ->Args({2, 10, 1, 0})
    ->Args({2, 10, 4, 0})
    ->Args({2, 10, 1, 1})
    ->Args({2, 10, 4, 1})
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Counts the model calls of a client: the requests a real server served.
class call_counter final : public observe::observer {
 public:
  void on_call(const observe::call_record& r) override {
    if (!r.model.empty()) ++calls;
  }
  void on_transition(const observe::transition_record& /*unused*/) override {}
  std::size_t calls = 0;
};

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The real Odoo of ODOOLINK_TEST_*, logged in with the password; nullopt when unset.
std::optional<client::client_options> live_options() {
  client::client_options o{.url = env_or_empty("ODOOLINK_TEST_URL"), .database = env_or_empty("ODOOLINK_TEST_DB"),
                           .login = env_or_empty("ODOOLINK_TEST_USER"),
                           .password = env_or_empty("ODOOLINK_TEST_PASSWORD")};
  if (o.url.empty() || o.database.empty() || o.login.empty() || o.password.empty()) return std::nullopt;
  return o;
}

client::client live_connect(call_counter& counter) {
  auto o = live_options();
  o->observer = &counter;
  auto c = client::client::connect(*o);
  if (!c) server::fail(c.error());
  return std::move(c).value();
}

// range(0): the sink's calls in flight; range(1): 1 for aggregate_order::same_subject;
// range(2): odoo_sink_options::fill_batches_while_busy. Four tills, the server as it is.
void BM_pos_stream_live(benchmark::State& state) {
  const auto in_flight = static_cast<std::size_t>(state.range(0));
  const auto order = static_cast<outbox::aggregate_order>(state.range(1));
  const bool fill_while_busy = state.range(2) != 0;
  const auto registry = shipped_contracts();
  const auto run_id = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count()) +
                      "_" + std::to_string(in_flight) + "_" + std::to_string(state.range(1)) + "_" +
                      std::to_string(state.range(2));
  totals t;
  int iteration = 0;
  for (auto _ : state) {
    const std::string tag = run_id + "_" + std::to_string(iteration++) + "_";
    call_counter handwritten_counter, outbox_counter;
    {
      auto c = live_connect(handwritten_counter);
      const auto stream = make_stream(2, "hw" + tag);
      const auto fields = learnt_fields(c);
      const std::size_t learning_calls = handwritten_counter.calls;
      const auto start = std::chrono::steady_clock::now();
      handwritten_loads(c, registry, stream, fields);
      t.handwritten_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      t.handwritten_calls += handwritten_counter.calls - learning_calls;
    }
    auto c = live_connect(outbox_counter);
    const auto stream = make_stream(2, "ob" + tag);
    t.events = stream.size();
    const auto run = relay_stream(c, registry, stream, in_flight, order, fill_while_busy);
    state.SetIterationTime(run.seconds);
    t.outbox_seconds += run.seconds;
    t.outbox_requests += outbox_counter.calls;
    t.dead += run.dead;
    t.order_limit = run.order_limit;
  }
  report(state, t);
}

// Registered only when a server is configured, so a plain run never reaches out.
const bool live_registered = [] {
  if (!live_options()) return false;
  benchmark::RegisterBenchmark("BM_pos_stream_live", BM_pos_stream_live)
      ->ArgNames({"in_flight", "same_subject", "fill"})
      ->Args({1, 0, 1})
      ->Args({4, 0, 1})
      ->Args({4, 0, 0})
      ->Args({1, 1, 1})
      ->Args({4, 1, 1})
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
