// The outbox against a real Odoo server (see live_env.hpp): point-of-sale
// style events (customers, products, orders with lines) go through the
// outbox, the relay and the Odoo sink while a fault injector breaks 30% of
// the requests; afterwards Odoo holds exactly the records sent, counted by
// external id, and the outbox shows every event delivered.
//
// Every external id, idempotency key and reference carries a run id, so runs
// never collide; the records are deleted at the end.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "live/live_env.hpp"
#include "live/live_records.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fault_transport.hpp"
#include "odoolink/transport/curl_transport.hpp"
#include "support/error_of.hpp"
#if defined(ODOOLINK_HAS_SQLITE)
#include "odoolink/outbox/sqlite_store.hpp"
#endif

using namespace odoolink;
using namespace std::chrono_literals;
namespace ob = odoolink::outbox;

namespace {

constexpr const char* xid_module = "odoolink_live";

client::client_options options_for(const test::live_server& s) {
  // A password: web session on Odoo ≤ 18, so calls do not hash the password each time.
  return client::client_options{.url = s.url, .database = s.database, .login = s.user, .password = s.password};
}

client::client connect_plain(const test::live_server& s) {
  auto c = client::client::connect(options_for(s));
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  return std::move(c).value();
}

// A client whose every request goes through `faults` (after a clean login).
client::client connect_flaky(const test::live_server& s, const std::shared_ptr<testing::fault_transport>& faults) {
  auto o = options_for(s);
  o.transport = faults;
  auto c = client::client::connect(std::move(o));
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  return std::move(c).value();
}

std::shared_ptr<testing::fault_transport> fault_layer(const test::live_server& s, testing::fault_options faults) {
  auto curl = transport::curl_transport::create({.base_url = s.url});
  REQUIRE_MESSAGE(curl.has_value(), odoolink::test::error_of(curl).describe());
  auto flaky = std::make_shared<testing::fault_transport>(std::shared_ptr<transport::http_transport>(std::move(curl).value()),
                                                          std::move(faults));
  // The version probes and the login go through clean; leftovers only make a few calls clean.
  for (int i = 0; i < 6; ++i) flaky->force(testing::fault_kind::none);
  return flaky;
}

using test::call;

// The shipped contracts (contracts/ in the source tree). A product contract
// field whose Odoo field the server lacks is left out of a test-local copy:
// Odoo without the `stock` module has no product.product.is_storable, which
// the default of `track_inventory` would otherwise send with every product.
contract::registry contracts_for(client::client& odoo) {
  const auto dir = std::filesystem::path(ODOOLINK_FIXTURES_DIR) / ".." / ".." / "contracts";
  auto shipped = contract::registry::load_directory(dir);
  REQUIRE_MESSAGE(shipped.has_value(), odoolink::test::error_of(shipped).describe());
  const json::value server_fields = call(odoo, "product.product", "fields_get", json::array{},
                                         json::object{{"attributes", json::array{"type"}}});
  std::ifstream in(dir / "product" / "1.0.0.json");
  std::stringstream text;
  text << in.rdbuf();
  auto doc = json::parse(text.str());
  REQUIRE_MESSAGE(doc.has_value(), odoolink::test::error_of(doc).describe());
  auto& fields = doc.value().find("fields")->as_object();
  const auto missing = [&](const json::member& m) {
    const json::value* odoo_side = m.second.find("odoo");
    const json::value* field = odoo_side != nullptr ? odoo_side->find("field") : nullptr;
    if (field == nullptr || !field->is_string() || field->as_string() == "id") return false;
    const std::string& name = field->as_string();
    return server_fields.find(name.substr(0, name.find_first_of("./"))) == nullptr;
  };
  if (std::none_of(fields.begin(), fields.end(), missing)) return std::move(shipped).value();
  for (const auto& m : fields)
    if (missing(m)) MESSAGE("this Odoo has no product.product field for \"" << m.first << "\": left out of the product contract");
  std::erase_if(fields, missing);
  contract::registry adapted;
  for (const auto& subject : {"customer", "product", "sales_order"}) {
    if (std::string_view(subject) == "product") {
      auto product = contract::contract::from_json(doc.value());
      REQUIRE_MESSAGE(product.has_value(), odoolink::test::error_of(product).describe());
      REQUIRE(adapted.add(std::move(product).value()));
      continue;
    }
    for (const auto& c : shipped.value().history(subject)) REQUIRE(adapted.add(c));
  }
  return adapted;
}

// One event to enqueue, owning its text.
struct pos_event {
  std::string subject, payload, key, aggregate;
};

// What the events should produce in Odoo.
struct expected_records {
  std::size_t customers = 0, products = 0, orders = 0, lines = 0;
  std::map<std::string, std::size_t> lines_of;  // order ref → lines sent
};

std::string xid(const std::string& run, std::string_view kind, std::size_t n) {
  return std::string(xid_module) + "." + run + "_" + std::string(kind) + std::to_string(n);
}

// Point-of-sale traffic: blocks of 100 events (30 new customers, 10 new
// products, 60 orders of 1 to 3 lines). An order references a customer and
// products enqueued before it; it shares its customer's aggregate (FIFO after
// the customer), while its products may still be on their way (the sink
// retries such an order until they exist). Every other order names its lines'
// external ids; the others get derived ones.
std::vector<pos_event> pos_traffic(const std::string& run, std::size_t blocks, expected_records& want) {
  std::mt19937 rng(42);
  std::vector<pos_event> out;
  out.reserve(blocks * 100);
  for (std::size_t b = 0; b < blocks; ++b) {
    for (int i = 0; i < 30; ++i) {
      const std::size_t n = want.customers++;
      const std::string ref = run + "-C" + std::to_string(n);
      out.push_back({"customer",
                     R"({"customer_id":")" + xid(run, "c", n) + R"(","name":"POS customer )" + std::to_string(n) +
                         R"(","email":"c)" + std::to_string(n) + "." + run + R"(@example.com","phone":"+1 555 )" +
                         std::to_string(1000 + n) + R"(","reference":")" + ref + R"("})",
                     "customer-" + run + "-" + std::to_string(n), "customer/" + std::to_string(n)});
    }
    for (int i = 0; i < 10; ++i) {
      const std::size_t n = want.products++;
      out.push_back({"product",
                     R"({"product_id":")" + xid(run, "p", n) + R"(","name":"POS product )" + std::to_string(n) +
                         R"(","internal_reference":")" + run + "-P" + std::to_string(n) + R"(","sale_price":")" +
                         std::to_string(3 + n % 40) + R"(.50"})",
                     "product-" + run + "-" + std::to_string(n), "product/" + std::to_string(n)});
    }
    for (int i = 0; i < 60; ++i) {
      const std::size_t n = want.orders++;
      const std::size_t customer = std::uniform_int_distribution<std::size_t>(0, want.customers - 1)(rng);
      const std::size_t line_count = 1 + n % 3;
      const std::string ref = run + "-O" + std::to_string(n);
      std::string lines;
      for (std::size_t l = 0; l < line_count; ++l) {
        const std::size_t product = std::uniform_int_distribution<std::size_t>(0, want.products - 1)(rng);
        if (!lines.empty()) lines += ',';
        lines += "{";
        if (n % 2 == 0) lines += R"("line_id":")" + xid(run, "o" + std::to_string(n) + "_l", l) + R"(",)";
        lines += R"("product":")" + xid(run, "p", product) + R"(","quantity":)" + std::to_string(1 + l) +
                 R"(,"price_unit":"4.25"})";
      }
      out.push_back({"sales_order",
                     R"({"order_id":")" + xid(run, "o", n) + R"(","customer":")" + xid(run, "c", customer) +
                         R"(","order_ref":")" + ref + R"(","lines":[)" + lines + "]}",
                     "order-" + run + "-" + std::to_string(n), "customer/" + std::to_string(customer)});
      want.lines += line_count;
      want.lines_of[ref] = line_count;
    }
  }
  return out;
}

// Enqueues `events` in transactions of `chunk`.
void enqueue_all(ob::outbox& box, const std::vector<pos_event>& events, std::size_t chunk) {
  for (std::size_t first = 0; first < events.size(); first += chunk) {
    std::vector<ob::enqueue_request> batch;
    for (std::size_t i = first; i < std::min(events.size(), first + chunk); ++i)
      batch.push_back({.subject = events[i].subject, .payload = events[i].payload, .idempotency_key = events[i].key,
                       .aggregate_key = events[i].aggregate});
    auto r = box.enqueue(batch);
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    for (const auto& o : r.value()) REQUIRE_FALSE(o.duplicate);
  }
}

// Pumps with the real clock, sleeping until the relay's next wake-up, until
// the store is idle. Returns the number of pumps.
std::size_t drain(ob::relay& relay, ob::store& store, std::chrono::seconds limit) {
  const auto deadline = std::chrono::system_clock::now() + limit;
  std::size_t pumps = 0;
  for (;;) {
    auto report = relay.deliver_due(500);
    REQUIRE_MESSAGE(report.has_value(), odoolink::test::error_of(report).describe());
    ++pumps;
    auto wake = relay.next_wakeup();
    REQUIRE_MESSAGE(wake.has_value(), odoolink::test::error_of(wake).describe());
    if (wake.value().is_idle()) return pumps;
    const auto now = std::chrono::system_clock::now();
    if (now >= deadline) {
      // Say why: a few events still waiting, with their last error.
      auto waiting = store.list({.limit = 5000});
      std::size_t shown = 0;
      if (waiting)
        for (const auto& e : waiting.value())
          if (e.state != ob::event_state::delivered && shown++ < 5)
            MESSAGE(e.idempotency_key << " " << ob::to_string(e.state) << " after " << e.attempts
                                      << " attempts: " << e.last_error);
      FAIL("the outbox did not drain in " << limit.count() << " s");
    }
    std::this_thread::sleep_for(wake.value().wait_from(std::chrono::steady_clock::now(), 1s));
  }
}

ob::relay_options quick_retries() {
  ob::relay_options o;
  o.owner = "live-relay";
  o.batch_size = 100;
  o.max_attempts = 100;  // 30% faults plus orders waiting for their products
  o.backoff.initial = 5ms;
  o.backoff.max = 400ms;
  return o;
}

// External id name → database id, for the run's external ids of `model`.
std::map<std::string, std::int64_t> xids_of(client::client& odoo, const std::string& run, std::string_view model,
                                            std::string_view kind) {
  // `_` is a LIKE wildcard: escape it so only this run's names match.
  const std::string pattern = run + "\\_" + std::string(kind) + "%";
  const json::value rows =
      call(odoo, "ir.model.data", "search_read",
           json::array{json::array{json::array{"module", "=", xid_module}, json::array{"model", "=", std::string(model)},
                                   json::array{"name", "=like", pattern}}},
           json::object{{"fields", json::array{"name", "res_id"}}});
  std::map<std::string, std::int64_t> out;
  for (const auto& row : rows.as_array()) {
    const std::string name = row.find("name")->as_string();
    CHECK_MESSAGE(out.emplace(std::string(xid_module) + "." + name, row.find("res_id")->as_int()).second, name);
  }
  return out;
}

std::int64_t count(client::client& odoo, std::string_view model, json::value domain) {
  return call(odoo, model, "search_count", json::array{std::move(domain)}).as_int();
}

std::vector<std::int64_t> ids_of(const std::map<std::string, std::int64_t>& xids) {
  std::vector<std::int64_t> out;
  for (const auto& [name, id] : xids) out.push_back(id);
  return out;
}

// Checks Odoo holds exactly `want` for `run`, and that every delivered event
// names the record its external id points to. Returns the records by model
// (for the clean-up).
std::map<std::string, std::vector<std::int64_t>> check_odoo(client::client& odoo, const std::string& run,
                                                            const expected_records& want, ob::store& store) {
  const auto partners = xids_of(odoo, run, "res.partner", "c");
  const auto products = xids_of(odoo, run, "product.product", "p");
  const auto orders = xids_of(odoo, run, "sale.order", "o");
  const auto lines = xids_of(odoo, run, "sale.order.line", "o");
  CHECK(partners.size() == want.customers);
  CHECK(products.size() == want.products);
  CHECK(orders.size() == want.orders);
  CHECK(lines.size() == want.lines);  // named or derived, every line has its external id

  // Counted by business reference too: a duplicate without an external id shows here.
  CHECK(count(odoo, "res.partner", json::array{json::array{"ref", "=like", run + "-C%"}}) ==
        static_cast<std::int64_t>(want.customers));
  CHECK(count(odoo, "product.product", json::array{json::array{"default_code", "=like", run + "-P%"}}) ==
        static_cast<std::int64_t>(want.products));
  CHECK(count(odoo, "sale.order", json::array{json::array{"client_order_ref", "=like", run + "-O%"}}) ==
        static_cast<std::int64_t>(want.orders));
  CHECK(count(odoo, "sale.order.line", json::array{json::array{"order_id.client_order_ref", "=like", run + "-O%"}}) ==
        static_cast<std::int64_t>(want.lines));

  // Every order has exactly the lines sent (a replayed load added none).
  const json::value read = call(odoo, "sale.order", "search_read",
                                json::array{json::array{json::array{"client_order_ref", "=like", run + "-O%"}}},
                                json::object{{"fields", json::array{"client_order_ref", "order_line"}}});
  std::size_t wrong = 0;
  for (const auto& row : read.as_array()) {
    const std::string ref = row.find("client_order_ref")->as_string();
    const auto it = want.lines_of.find(ref);
    if (it == want.lines_of.end() || row.find("order_line")->as_array().size() != it->second) {
      ++wrong;
      if (wrong <= 5) MESSAGE("order " << ref << " has " << row.find("order_line")->as_array().size() << " lines");
    }
  }
  CHECK(wrong == 0);

  // The outbox's lineage points at those records.
  std::size_t mismatched = 0, seen = 0;
  ob::event_filter filter;
  filter.limit = 500;
  for (;;) {
    auto page = store.list(filter);
    REQUIRE_MESSAGE(page.has_value(), odoolink::test::error_of(page).describe());
    if (page.value().empty()) break;
    for (const auto& e : page.value()) {
      ++seen;
      const auto& byx = e.subject == "customer" ? partners : e.subject == "product" ? products : orders;
      const auto it = byx.find(e.result.external_id);
      if (e.state != ob::event_state::delivered || it == byx.end() || it->second != e.result.record_id) {
        ++mismatched;
        if (mismatched <= 5)
          MESSAGE(e.idempotency_key << ": " << ob::to_string(e.state) << " " << e.result.external_id << " #"
                                    << e.result.record_id << " " << e.last_error);
      }
    }
    filter.after_sequence = page.value().back().sequence;
  }
  CHECK(seen == want.customers + want.products + want.orders);
  CHECK(mismatched == 0);
  return {{"sale.order.line", ids_of(lines)},
          {"sale.order", ids_of(orders)},
          {"res.partner", ids_of(partners)},
          {"product.product", ids_of(products)}};
}

// Deletes what a run created, with its external ids: order lines first (the
// database deletes an order's lines without their external ids), then the
// orders, which reference the rest.
void clean_up(client::client& odoo, const std::map<std::string, std::vector<std::int64_t>>& records) {
  for (const char* model : {"sale.order.line", "sale.order", "res.partner", "product.product"}) {
    const auto it = records.find(model);
    if (it == records.end() || it->second.empty()) continue;
    json::array ids(it->second.begin(), it->second.end());
    auto r = odoo.execute_kw(model, "unlink", json::array{json::value(std::move(ids))});
    if (!r) MESSAGE("clean-up of " << model << " failed: " << r.error().describe());
  }
}

void check_all_delivered(ob::store& store, std::size_t events) {
  auto st = store.stats();
  REQUIRE_MESSAGE(st.has_value(), odoolink::test::error_of(st).describe());
  CHECK(st.value().delivered == events);
  CHECK(st.value().dead == 0);
  CHECK(st.value().pending == 0);
  CHECK(st.value().in_flight == 0);
  CHECK(st.value().discarded == 0);
}

// The durable default store when built, else the in-memory one.
struct run_store {
  std::filesystem::path file;
  std::unique_ptr<ob::store> store;
  std::string kind = "memory";

  explicit run_store(const std::string& run) {
#if defined(ODOOLINK_HAS_SQLITE)
    file = std::filesystem::temp_directory_path() / ("odoolink-outbox-live-" + run + ".db");
    auto s = ob::sqlite_store::open({.path = file.string()});
    REQUIRE_MESSAGE(s.has_value(), odoolink::test::error_of(s).describe());
    store = std::move(s).value();
    kind = "sqlite";
#else
    store = std::make_unique<ob::memory_store>();
#endif
  }
  ~run_store() {
    store.reset();
    if (file.empty()) return;
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(file.string() + suffix, ignored);
  }
  run_store(const run_store&) = delete;
  run_store& operator=(const run_store&) = delete;
};

}  // namespace

TEST_CASE("outbox live: 1000 point-of-sale events with 30 percent faults reach Odoo exactly once") {
  auto s = test::live_or_skip();
  if (!s) return;
  const auto started = std::chrono::steady_clock::now();
  const std::string run = test::run_id();
  INFO("run " << run);
  auto plain = connect_plain(*s);
  const contract::registry contracts = contracts_for(plain);

  expected_records want;
  const auto events = pos_traffic(run, 10, want);
  REQUIRE(events.size() == 1000);

  run_store storage(run);
  ob::outbox box(*storage.store, contracts);
  enqueue_all(box, events, 10);  // a till sends a few events per transaction

  testing::fault_options faults;
  faults.seed = 20240611;
  faults.drop_request = 0.08;   // never reached Odoo
  faults.drop_response = 0.10;  // Odoo applied the load, the answer was lost
  faults.status_502 = 0.07;     // Odoo applied it, the proxy answered 502
  faults.status_503 = 0.05;     // refused before Odoo
  auto flaky = fault_layer(*s, faults);
  auto flaky_client = connect_flaky(*s, flaky);
  const std::size_t login_requests = flaky->stats().forwarded;

  ob::odoo_sink_options sink_options;
  sink_options.xid_module = xid_module;
  sink_options.max_batch = 20;  // more, smaller calls: more chances for faults
  ob::odoo_sink sink(flaky_client, contracts, sink_options);
  ob::relay relay(*storage.store, sink, quick_retries());
  const std::size_t pumps = drain(relay, *storage.store, 240s);

  const auto& fs = flaky->stats();
  std::size_t total = 0;
  for (auto n : fs.injected) total += n;
  const std::size_t faulted = total - fs.count(testing::fault_kind::none);
  MESSAGE("run " << run << " (" << storage.kind << " store): " << events.size() << " events, " << want.customers << " customers, " << want.products
                 << " products, " << want.orders << " orders with " << want.lines << " lines; " << sink.load_calls()
                 << " load calls, " << total - login_requests << " requests after login, " << faulted << " faulted ("
                 << fs.count(testing::fault_kind::drop_request) << " dropped requests, "
                 << fs.count(testing::fault_kind::drop_response) << " dropped responses, "
                 << fs.count(testing::fault_kind::status_502) << " 502, " << fs.count(testing::fault_kind::status_503)
                 << " 503), " << relay.counters().retried << " retries, " << pumps << " pumps, "
                 << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s");
  CHECK(fs.count(testing::fault_kind::drop_response) > 0);
  CHECK(fs.count(testing::fault_kind::status_502) > 0);
  CHECK(static_cast<double>(faulted) > 0.2 * static_cast<double>(total - login_requests));
  CHECK(relay.counters().retried > 0);
  CHECK(relay.counters().dead == 0);

  check_all_delivered(*storage.store, events.size());
  const auto created = check_odoo(plain, run, want, *storage.store);
  clean_up(plain, created);
}

TEST_CASE("outbox live: responses lost after Odoo applied the load duplicate nothing") {
  auto s = test::live_or_skip();
  if (!s) return;
  const std::string run = test::run_id();
  INFO("run " << run);
  auto plain = connect_plain(*s);
  const contract::registry contracts = contracts_for(plain);

  expected_records want;
  const auto events = pos_traffic(run, 1, want);  // 100 events, half the orders without line ids
  ob::memory_store store;
  ob::outbox box(store, contracts);
  enqueue_all(box, events, 100);

  // Every fault is a response lost after the server handled the request.
  testing::fault_options faults;
  faults.seed = 99;
  faults.drop_response = 0.5;
  auto flaky = fault_layer(*s, faults);
  auto flaky_client = connect_flaky(*s, flaky);

  ob::odoo_sink_options sink_options;
  sink_options.xid_module = xid_module;
  sink_options.max_batch = 8;
  ob::odoo_sink sink(flaky_client, contracts, sink_options);
  ob::relay relay(store, sink, quick_retries());
  drain(relay, store, 120s);

  CHECK(flaky->stats().count(testing::fault_kind::drop_response) > 0);
  // Some events were sent again after Odoo had applied them.
  std::size_t resent = 0;
  auto all = store.list({.limit = 1000});
  REQUIRE(all.has_value());
  for (const auto& e : all.value()) resent += e.attempts > 1 ? 1 : 0;
  MESSAGE("run " << run << ": " << flaky->stats().count(testing::fault_kind::drop_response) << " responses dropped, "
                 << resent << " events sent more than once, " << sink.load_calls() << " load calls");
  CHECK(resent > 0);

  check_all_delivered(store, events.size());
  const auto created = check_odoo(plain, run, want, store);
  clean_up(plain, created);
}
