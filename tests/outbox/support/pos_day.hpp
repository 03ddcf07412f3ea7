#pragma once
// A day at a point of sale through the shipped contracts: customers,
// products and sale orders with lines, enqueued and delivered by the relay.

#include <string>

#include <doctest/doctest.h>

#include "odoolink/contract/registry.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "support/error_of.hpp"

namespace odoolink::test {

inline contract::registry shipped_contracts() {
  auto r = contract::registry::load_directory(std::string(ODOOLINK_TEST_SOURCE_DIR) + "/../contracts");
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  return std::move(r).value();
}

/// Enqueues 4 customers, 4 products and 3 orders of 2 lines (products 1-3
/// only) under external-id module `module`; `tag` makes values unique on a
/// shared server.
inline void record_pos_day(outbox::outbox& box, const std::string& module, const std::string& tag = {}) {
  auto put = [&](const char* subject, const std::string& key, const json::value& payload) {
    const std::string text = json::to_string(payload);
    auto r = box.enqueue({.subject = subject, .payload = text, .idempotency_key = key, .aggregate_key = key});
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  };
  for (int i = 1; i <= 4; ++i)
    put("customer", "customer:" + std::to_string(i),
        json::object{{"customer_id", module + ".customer_" + std::to_string(i)},
                     {"name", "Customer " + std::to_string(i) + tag},
                     {"email", "customer" + std::to_string(i) + tag + "@example.com"},
                     {"address", json::object{{"city", "Ghent"}}}});
  for (int i = 1; i <= 4; ++i)
    put("product", "product:" + std::to_string(i),
        json::object{{"product_id", module + ".product_" + std::to_string(i)},
                     {"name", "Pastry " + std::to_string(i) + tag},
                     {"internal_reference", "PST-" + std::to_string(i) + tag},
                     {"sale_price", "2.50"}});
  for (int o = 1; o <= 3; ++o) {
    json::array lines;
    for (int l = 1; l <= 2; ++l)
      lines.push_back(json::object{{"line_id", module + ".order_" + std::to_string(o) + "_line_" + std::to_string(l)},
                                   {"product", module + ".product_" + std::to_string((l + o - 2) % 3 + 1)},
                                   {"quantity", l + 1},
                                   {"price_unit", "2.50"}});
    put("sales_order", "order:" + std::to_string(o),
        json::object{{"order_id", module + ".order_" + std::to_string(o)},
                     {"customer", module + ".customer_" + std::to_string(o)},
                     {"order_ref", module + "/T1-000" + std::to_string(o)},
                     {"lines", std::move(lines)}});
  }
}

/// Delivers with `relay` (waiting on its sink: a real server answers later
/// than `pump` returns) until nothing is pending; every event must be delivered.
inline void deliver_all(outbox::store& store, outbox::relay& relay) {
  for (int round = 0; round < 50; ++round) {
    auto report = relay.deliver_due(256);
    REQUIRE_MESSAGE(report.has_value(), odoolink::test::error_of(report).describe());
    auto stats = store.stats();
    REQUIRE(stats.has_value());
    if (stats.value().dead != 0) {
      auto dead = store.list({.state = outbox::event_state::dead});
      if (dead)
        for (const auto& e : dead.value()) MESSAGE(e.subject << ": " << e.last_error);
    }
    REQUIRE(stats.value().dead == 0);
    if (stats.value().pending == 0 && stats.value().in_flight == 0) return;
  }
  FAIL("events still pending after 50 rounds");
}

}  // namespace odoolink::test
