#pragma once
// A day of point-of-sale events for the shipped contracts (contracts/):
// about 10 % customers, 10 % products and 80 % sales orders with 1-4 lines,
// recorded by four tills (the aggregates), each mixing every kind. An order
// only uses customers and products recorded before it.

#include <string>
#include <vector>

#include "odoolink/json/value.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink::test {

/// One event of the stream, ready for `outbox::enqueue`.
struct pos_event {
  std::string subject, key, aggregate, payload;
};

/// What a stream holds, to count records in Odoo afterwards.
struct pos_counts {
  int customers = 0, products = 0, orders = 0, lines = 0;
};

/// `total` events; external ids are `<module>.customer_<n>`, `.product_<n>`,
/// `.order_<n>` and `.line_<order>_<n>`.
inline std::vector<pos_event> pos_stream(int total, pos_counts& counts, const std::string& module = "pos") {
  std::vector<pos_event> out;
  counts = {};
  auto& [c, p, o, lines] = counts;
  for (int n = 0; n < total; ++n) {
    const std::string till = "till/" + std::to_string(n % 4);
    if (c == 0 || (n % 10 == 1)) {
      out.push_back({"customer", "c" + std::to_string(c), till,
                     json::to_string(json::object{{"customer_id", module + ".customer_" + std::to_string(c)},
                                                  {"name", "Customer " + std::to_string(c)},
                                                  {"email", "c" + std::to_string(c) + "@example.com"}})});
      ++c;
    } else if (p == 0 || (n % 10 == 2)) {
      out.push_back({"product", "p" + std::to_string(p), till,
                     json::to_string(json::object{{"product_id", module + ".product_" + std::to_string(p)},
                                                  {"name", "Product " + std::to_string(p)},
                                                  {"internal_reference", "P" + std::to_string(p)},
                                                  {"sale_price", 1.5 + p}})});
      ++p;
    } else {
      json::array order_lines;
      for (int l = 0; l < 1 + o % 4; ++l, ++lines)
        order_lines.push_back(json::object{{"line_id", module + ".line_" + std::to_string(o) + "_" + std::to_string(l)},
                                           {"product", module + ".product_" + std::to_string((o + l * 7) % p)},
                                           {"quantity", 1.0 + l}});
      out.push_back({"sales_order", "o" + std::to_string(o), till,
                     json::to_string(json::object{{"order_id", module + ".order_" + std::to_string(o)},
                                                  {"customer", module + ".customer_" + std::to_string(o % c)},
                                                  {"order_ref", "POS/" + std::to_string(o)},
                                                  {"lines", std::move(order_lines)}})});
      ++o;
    }
  }
  return out;
}

}  // namespace odoolink::test
