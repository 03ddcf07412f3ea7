// The till both host-loop examples share: a point-of-sale terminal that
// records sales in its outbox while its server is unreachable, and a relay
// built at once, offline, that delivers them when the server comes up.
//
// The server is the fake Odoo of odoolink::testing on a loopback port that
// starts listening only when `server_comes_up()` is called, with 50 ms of
// latency on every call, so the host's loop has something to wait for.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/memory_store.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/testing/fake_odoo.hpp"

namespace till_example {

using namespace odoolink;

[[noreturn]] inline void die(const char* what, const error& e) {
  std::fprintf(stderr, "till: %s: %s\n", what, e.describe().c_str());
  std::exit(1);
}

template <class T>
T need(result<T> r, const char* what) {
  if (!r) die(what, r.error());
  return std::move(r).value();
}

class till {
 public:
  /// Makes the client's transport for a URL; null: the client's default.
  using transport_maker = std::function<std::shared_ptr<transport::http_transport>(const std::string& url)>;

  /// Contracts from `contracts_dir`; the server's port is chosen now, but nothing listens on it yet.
  explicit till(const std::string& contracts_dir, const transport_maker& make_transport = {})
      : contracts_(need(contract::registry::load_directory(contracts_dir), "contracts")),
        box_(store_, contracts_),
        port_(free_port()),
        connection_(need(client::client::create({.url = url(), .database = "odoolink", .login = "admin",
                                                 .password = "admin",
                                                 .transport = make_transport ? make_transport(url()) : nullptr}),
                         "client")),
        // Offline: the sink connects on first use and pauses after each failed attempt.
        sink_(connection_, contracts_,
              {.xid_module = "till", .reconnect = {.initial = std::chrono::milliseconds(50),
                                                   .max = std::chrono::milliseconds(200)}}),
        relay_(store_, sink_, {.owner = "till-1"}) {}

  /// Records the product on sale, then `n` sales: a new customer every fifth sale, and an order.
  void record_sales(int n) {
    enqueue("product", json::object{{"product_id", "till.coffee"}, {"name", "Coffee"}, {"internal_reference", "C1"},
                                    {"sale_price", 2.5}});
    for (int i = 0; i < n; ++i) {
      if (i % 5 == 0) enqueue("customer", json::object{{"customer_id", "till.customer_" + std::to_string(i / 5)},
                                                      {"name", "Customer " + std::to_string(i / 5)}});
      json::array lines{json::object{{"line_id", "till.line_" + std::to_string(i)},
                                     {"product", "till.coffee"}, {"quantity", 1.0 + i % 3}}};
      enqueue("sales_order", json::object{{"order_id", "till.order_" + std::to_string(i)},
                                          {"customer", "till.customer_" + std::to_string(i / 5)},
                                          {"order_ref", "TILL/" + std::to_string(i)}, {"lines", std::move(lines)}});
    }
  }

  /// The server starts listening on the till's port.
  void server_comes_up() {
    odoo_->inject({.kind = testing::fake_fault_kind::latency, .count = 1'000'000, .latency = std::chrono::milliseconds(50)});
    listener_ = need(odoo_->listen(port_), "listen");
    std::printf("  the server is up on port %u\n", static_cast<unsigned>(port_));
  }

  [[nodiscard]] bool online() const { return listener_ != nullptr; }

  /// True when every event is delivered or dead.
  [[nodiscard]] bool settled() {
    auto st = need(store_.stats(), "stats");
    return st.pending == 0 && st.in_flight == 0;
  }

  /// Prints the outcome; 0 when every event arrived exactly once.
  [[nodiscard]] int finish(std::size_t frames) {
    auto st = need(store_.stats(), "stats");
    const auto orders = odoo_->count("sale.order") - orders_before_;
    std::printf("  %zu delivered, %zu dead; %zu orders in Odoo for %zu recorded; the UI ran %zu frames\n", st.delivered,
                st.dead, static_cast<std::size_t>(orders), orders_recorded_, frames);
    return st.dead == 0 && st.delivered == events_ && static_cast<std::size_t>(orders) == orders_recorded_ ? 0 : 1;
  }

  outbox::relay& relay() { return relay_; }
  client::client& connection() { return connection_; }

 private:
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  static std::uint16_t free_port() {
    testing::fake_odoo probe;
    return need(probe.listen(), "a free port")->port();
  }

  void enqueue(const char* subject, json::value payload) {
    const std::string key = std::string(subject) + "/" + std::to_string(events_);
    need(box_.enqueue({.subject = subject, .payload = json::to_string(payload), .idempotency_key = key,
                       .aggregate_key = "till-1"}),
         "enqueue");
    ++events_;
    if (std::string(subject) == "sales_order") ++orders_recorded_;
  }

  contract::registry contracts_;
  outbox::memory_store store_;  // a real till keeps its events on disk: outbox::sqlite_store
  outbox::outbox box_;
  std::shared_ptr<testing::fake_odoo> odoo_ = std::make_shared<testing::fake_odoo>();
  std::size_t orders_before_ = odoo_->count("sale.order");
  std::unique_ptr<testing::fake_listener> listener_;
  std::uint16_t port_;
  client::client connection_;
  outbox::odoo_sink sink_;
  outbox::relay relay_;
  std::size_t events_ = 0, orders_recorded_ = 0;
};

}  // namespace till_example
