// A point-of-sale day with odoolink.
//
// The till is offline all morning: customers, products and orders are
// recorded as events in the outbox, in the embedded SQLite store, each
// validated against its contract (contracts/). Then the server comes up and
// the relay syncs them; in the middle of the sync one response is lost after
// the server applied the call, and the relay sends that batch again. At the
// end the program reads everything back from the server by external id and
// proves that nothing is missing and nothing was created twice.
//
// Without ODOOLINK_URL it runs against the fake Odoo of odoolink::testing;
// with ODOOLINK_URL, ODOOLINK_DB, ODOOLINK_USER and ODOOLINK_PASSWORD (or
// ODOOLINK_API_KEY) it runs against that server.
//
// Usage: odoolink_pos_offline_sync [--store PATH] [--contracts DIR]
// Exit status: 0 when every event was delivered exactly once, 1 otherwise.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/outbox/sqlite_store.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "odoolink/testing/fault_transport.hpp"
#include "odoolink/transport/curl_transport.hpp"

namespace fs = std::filesystem;
using namespace odoolink;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

[[noreturn]] void die(const std::string& what, const error& e) {
  std::fprintf(stderr, "pos_offline_sync: %s: %s\n", what.c_str(), e.describe().c_str());
  std::exit(1);
}

template <class T>
T need(result<T> r, const std::string& what) {
  if (!r) die(what, r.error());
  return std::move(r).value();
}

// --- the day's business ------------------------------------------------------------

struct customer {
  const char* key;
  const char* name;
  const char* email;
};
struct product {
  const char* key;
  const char* name;
  const char* code;
  double price;
};
struct order_line {
  const char* product;
  double quantity;
};
struct order {
  const char* ref;
  const char* customer;
  std::vector<order_line> lines;
};

const std::vector<customer> customers = {
    {"ada", "Ada Lovelace", "ada@example.com"},
    {"grace", "Grace Hopper", "grace@example.com"},
    {"alan", "Alan Turing", "alan@example.com"},
};
const std::vector<product> products = {
    {"espresso", "Espresso", "POS-ESP", 2.20},
    {"croissant", "Croissant", "POS-CRO", 1.80},
    {"muffin", "Blueberry Muffin", "POS-MUF", 2.90},
    {"beans", "Coffee Beans 250g", "POS-BEA", 8.50},
};
const std::vector<order> orders = {
    {"T1-0001", "ada", {{"espresso", 2}, {"croissant", 1}}},
    {"T1-0002", "grace", {{"muffin", 1}}},
    {"T1-0003", "alan", {{"beans", 1}, {"espresso", 1}}},
    {"T1-0004", "ada", {{"croissant", 3}}},
    {"T1-0005", "grace", {{"espresso", 1}, {"muffin", 2}, {"beans", 1}}},
    {"T1-0006", "alan", {{"croissant", 1}}},
};

// --- where the server is ---------------------------------------------------------------

struct server {
  bool fake = true;
  std::string module;  // external-id module: one per run on a real server
  std::string tag;     // makes emails and product codes unique per run on a real server
  std::shared_ptr<testing::fake_odoo> fake_odoo;
  std::shared_ptr<testing::fault_transport> faults;
  client::client_options options;
};

server choose_server(int fake_series) {
  server s;
  std::shared_ptr<transport::http_transport> wire;
  if (env("ODOOLINK_URL").empty()) {
    s.fake_odoo = std::make_shared<testing::fake_odoo>(testing::fake_options{.major_version = fake_series});
    s.module = "pos_demo";
    s.options = {.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin", .password = "admin"};
    wire = s.fake_odoo;
  } else {
    s.fake = false;
    s.tag = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    s.module = "pos_demo_" + s.tag;
    s.options = {.url = env("ODOOLINK_URL"), .database = env("ODOOLINK_DB"), .login = env("ODOOLINK_USER"),
                 .password = env("ODOOLINK_PASSWORD"), .api_key = env("ODOOLINK_API_KEY")};
    transport::curl_options c;
    c.base_url = s.options.url;
    wire = std::shared_ptr<transport::http_transport>(need(transport::curl_transport::create(std::move(c)), "transport"));
  }
  // Every request goes through a fault injector, so the demo can lose one
  // response on purpose; it injects nothing until told to.
  s.faults = std::make_shared<testing::fault_transport>(wire);
  s.options.transport = s.faults;
  return s;
}

std::string xid(const server& s, const std::string& name) { return s.module + "." + name; }
std::string email_of(const server& s, const customer& c) {
  const std::string e = c.email;
  return s.tag.empty() ? e : e.substr(0, e.find('@')) + "+" + s.tag + e.substr(e.find('@'));
}
std::string code_of(const server& s, const product& p) { return s.tag.empty() ? p.code : std::string(p.code) + "-" + s.tag; }

// --- offline: record the day ---------------------------------------------------------

std::size_t record_day(outbox::outbox& box, const server& s) {
  std::size_t n = 0;
  auto put = [&](const char* subject, const std::string& key, const std::string& aggregate, const json::value& payload) {
    const std::string text = json::to_string(payload);
    auto r = need(box.enqueue({.subject = subject, .payload = text, .idempotency_key = key, .aggregate_key = aggregate}),
                  std::string("enqueue ") + subject + " " + key);
    n += r.duplicate ? 0 : 1;
  };
  for (const auto& c : customers)
    put("customer", "customer:" + std::string(c.key), "customers",
        json::object{{"customer_id", xid(s, std::string("customer_") + c.key)}, {"name", c.name}, {"email", email_of(s, c)}});
  for (const auto& p : products)
    put("product", "product:" + std::string(p.key), "products",
        json::object{{"product_id", xid(s, std::string("product_") + p.key)}, {"name", p.name},
                     {"internal_reference", code_of(s, p)}, {"sale_price", p.price}});
  for (const auto& o : orders) {
    json::array lines;
    int i = 0;
    for (const auto& l : o.lines)
      lines.push_back(json::object{{"line_id", xid(s, std::string("line_") + o.ref + "_" + std::to_string(++i))},
                                   {"product", xid(s, std::string("product_") + l.product)},
                                   {"quantity", l.quantity}});
    put("sales_order", "order:" + std::string(o.ref), "orders",
        json::object{{"order_id", xid(s, std::string("order_") + o.ref)},
                     {"customer", xid(s, std::string("customer_") + o.customer)},
                     {"order_ref", s.module + "/" + o.ref},
                     {"lines", std::move(lines)}});
  }
  return n;
}

// --- online: sync with progress ------------------------------------------------------------

void sync(outbox::outbox& box, outbox::relay& relay, const server& s, std::size_t total) {
  std::size_t rounds = 0;
  bool fault_armed = false;
  while (true) {
    auto report = need(relay.deliver_due(4), "relay");
    ++rounds;
    auto m = need(box.metrics(&relay.counters()), "metrics");
    const std::size_t delivered = static_cast<std::size_t>(m.queue.delivered);
    std::printf("  sync round %2zu: %2zu/%zu delivered", rounds, delivered, total);
    if (report.retried > 0) std::printf(", %zu to retry", report.retried);
    if (report.dead > 0) std::printf(", %zu dead", report.dead);
    std::printf("\n");
    if (!fault_armed && delivered > 0) {
      // Half way: the server applies the next call but its answer is lost.
      s.faults->force(testing::fault_kind::drop_response);
      fault_armed = true;
      std::printf("  (the next response will be lost after the server applied the call)\n");
    }
    if (delivered + static_cast<std::size_t>(m.queue.dead) >= total) return;
    auto wake = need(relay.next_wakeup(), "relay");
    if (wake.is_idle()) return;
    std::this_thread::sleep_for(wake.wait_from(std::chrono::steady_clock::now(), std::chrono::seconds(1)));
    if (rounds > 200) return;
  }
}

// --- read back ---------------------------------------------------------------------------

struct tally {
  std::size_t events = 0, delivered = 0, records = 0, duplicates = 0;
};

std::int64_t count(client::client& c, const char* model, json::value domain) {
  auto r = need(c.execute_kw(model, "search_count", json::array{std::move(domain)}), std::string("search_count ") + model);
  return need(json::parse(r.json()), "search_count answer").as_int();
}

}  // namespace

int main(int argc, char** argv) {
  fs::path store_path = fs::temp_directory_path() / "odoolink_pos_demo.sqlite";
  fs::path contracts = env("ODOOLINK_CONTRACTS").empty() ? fs::path(ODOOLINK_DEMO_CONTRACTS) : fs::path(env("ODOOLINK_CONTRACTS"));
  int fake_series = 18;  // the Odoo series the fake plays (17, 18 or 19)
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--store") store_path = argv[i + 1];
    else if (a == "--contracts") contracts = argv[i + 1];
    else if (a == "--fake-series") fake_series = std::atoi(argv[i + 1]);
  }
  server s = choose_server(fake_series);
  if (s.fake)
    std::printf("odoolink POS demo: running against the built-in fake Odoo (as Odoo %d; set ODOOLINK_URL, ODOOLINK_DB, "
                "ODOOLINK_USER and ODOOLINK_PASSWORD or ODOOLINK_API_KEY to use a real server)\n", fake_series);
  else
    std::printf("odoolink POS demo: running against %s, database %s\n", s.options.url.c_str(), s.options.database.c_str());

  // A fresh day in the embedded store.
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(store_path.string() + suffix);
  auto store = need(outbox::sqlite_store::open({.path = store_path.string()}), "opening " + store_path.string());
  auto registry = need(contract::registry::load_directory(contracts), "loading contracts from " + contracts.string());
  outbox::outbox box(*store, registry);

  std::printf("\nmorning, offline: recording the day in %s\n", store_path.string().c_str());
  const std::size_t recorded = record_day(box, s);
  // A scanner double-tap sends the last order again: the same key is stored once.
  const std::size_t again = record_day(box, s);
  std::printf("  %zu events recorded; replaying the whole day again added %zu\n", recorded, again);

  std::printf("\nnoon, the server is up: syncing\n");
  auto connection = need(client::client::connect(s.options), "connecting to " + s.options.url);
  outbox::odoo_sink_options sink_options;
  sink_options.xid_module = s.module;
  sink_options.max_batch = 4;
  outbox::odoo_sink sink(connection, registry, sink_options);
  outbox::relay relay(*store, sink,
                      {.batch_size = 4,
                       .backoff = {.initial = std::chrono::milliseconds(20), .max = std::chrono::milliseconds(200)}});
  sync(box, relay, s, recorded);

  std::printf("\nevening: reading everything back from the server\n");
  std::map<std::string, tally> by_subject;
  std::vector<outbox::event> events = need(box.list({.limit = 100000}), "listing events");
  for (const auto& e : events) {
    tally& t = by_subject[e.subject];
    ++t.events;
    if (e.state != outbox::event_state::delivered) {
      std::printf("  NOT DELIVERED %s %s: %s\n", e.subject.c_str(), e.idempotency_key.c_str(), e.last_error.c_str());
      continue;
    }
    ++t.delivered;
    std::printf("  %-12s %-34s -> %s,%lld\n", e.subject.c_str(), e.result.external_id.c_str(), e.result.model.c_str(),
                static_cast<long long>(e.result.record_id));
  }
  // Exactly one record per business key: names for customers and products,
  // the till reference for orders, and each order's line count.
  for (const auto& c : customers) {
    const auto n = count(connection, "res.partner", json::array{json::array{"email", "=", email_of(s, c)},
                                                                json::array{"name", "=", c.name}});
    by_subject["customer"].records += static_cast<std::size_t>(n);
    by_subject["customer"].duplicates += n > 1 ? static_cast<std::size_t>(n - 1) : 0;
  }
  for (const auto& p : products) {
    const auto n = count(connection, "product.product", json::array{json::array{"default_code", "=", code_of(s, p)}});
    by_subject["product"].records += static_cast<std::size_t>(n);
    by_subject["product"].duplicates += n > 1 ? static_cast<std::size_t>(n - 1) : 0;
  }
  std::size_t line_mismatches = 0;
  for (const auto& o : orders) {
    const std::string ref = s.module + "/" + o.ref;
    const auto n = count(connection, "sale.order", json::array{json::array{"client_order_ref", "=", ref}});
    by_subject["sales_order"].records += static_cast<std::size_t>(n);
    by_subject["sales_order"].duplicates += n > 1 ? static_cast<std::size_t>(n - 1) : 0;
    const auto lines = count(connection, "sale.order.line", json::array{json::array{"order_id.client_order_ref", "=", ref}});
    if (lines != static_cast<std::int64_t>(o.lines.size())) {
      ++line_mismatches;
      std::printf("  order %s has %lld lines, expected %zu\n", ref.c_str(), static_cast<long long>(lines), o.lines.size());
    }
  }

  std::size_t total_dups = line_mismatches, total_missing = 0;
  std::printf("\nsummary\n");
  std::printf("  %-12s %7s %10s %13s %11s\n", "subject", "events", "delivered", "odoo records", "duplicates");
  for (const auto& [subject, t] : by_subject) {
    std::printf("  %-12s %7zu %10zu %13zu %11zu\n", subject.c_str(), t.events, t.delivered, t.records, t.duplicates);
    total_dups += t.duplicates;
    total_missing += t.events - t.delivered + (t.records < t.events ? t.events - t.records : 0);
  }
  const auto fs_stats = s.faults->stats();
  std::printf("  lost responses injected: %zu; relay retries: %llu\n", fs_stats.count(testing::fault_kind::drop_response),
              static_cast<unsigned long long>(relay.counters().retried));
  if (total_dups == 0 && total_missing == 0) {
    std::printf("result: all %zu events delivered exactly once: no duplicates, nothing lost\n", recorded);
    return 0;
  }
  std::printf("result: FAILED: %zu missing, %zu duplicated or wrong\n", total_missing, total_dups);
  return 1;
}
