#pragma once
// A tiny in-memory Odoo for one model, behind the JSON-RPC `execute_kw`:
// `search_read` with domains, order, offset and limit. Everything else (the
// client's login) is answered from the Odoo 18 recordings. Lets tests change
// records between calls, which recordings cannot.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/model_fixtures.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/transport/sync_transport.hpp"

namespace odoolink::test {

class fake_odoo final : public transport::sync_transport {
 public:
  explicit fake_odoo(std::string model) : model_(std::move(model)), inner_(recordings("odoo18")) {}

  /// Records as JSON objects (each with at least `id`).
  std::vector<json::value> records;
  /// The domains `search_read` received, in order.
  std::vector<json::value> domains;
  /// The kwargs `search_read` received, in order.
  std::vector<json::value> kwargs;

  /// Adds or replaces the record with this id.
  void put(json::value record) {
    const auto id = record.find("id")->as_int();
    for (auto& r : records)
      if (r.find("id")->as_int() == id) {
        r = std::move(record);
        return;
      }
    records.push_back(std::move(record));
  }

  result<http_response> send(const http_request& request) override {
    auto body = json::parse(request.body);
    if (body) {
      const json::value* params = body.value().find("params");
      const json::value* method = params != nullptr ? params->find("method") : nullptr;
      const json::value* args = params != nullptr ? params->find("args") : nullptr;
      if (method != nullptr && *method == json::value("execute_kw") && args != nullptr && args->as_array().size() >= 7 &&
          args->as_array()[3] == json::value(model_))
        return answer(args->as_array()[4].as_string(), args->as_array()[5], args->as_array()[6]);
    }
    return inner_->send(request);
  }

 private:
  static int compare(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) return a.as_double() < b.as_double() ? -1 : (a.as_double() > b.as_double() ? 1 : 0);
    if (a.is_string() && b.is_string()) return a.as_string().compare(b.as_string()) < 0 ? -1 : (a.as_string() == b.as_string() ? 0 : 1);
    return a == b ? 0 : 2;
  }
  static bool leaf(const json::value& record, const json::array& l) {
    const json::value* v = record.find(l[0].as_string());
    const json::value value = v != nullptr ? *v : json::value(false);
    const std::string& op = l[1].as_string();
    const json::value& x = l[2];
    const int c = compare(value, x);
    if (op == "=") return c == 0;
    if (op == "!=") return c != 0;
    if (op == ">") return c == 1;
    if (op == ">=") return c == 1 || c == 0;
    if (op == "<") return c == -1;
    if (op == "<=") return c == -1 || c == 0;
    const auto& list = x.as_array();
    const bool in = std::any_of(list.begin(), list.end(), [&](const json::value& e) { return compare(value, e) == 0; });
    if (op == "in") return in;
    if (op == "not in") return !in;
    FAIL("unsupported operator " << op);
    return false;
  }
  static bool eval(const json::value& record, const json::array& d, std::size_t& pos) {
    const json::value& t = d[pos++];
    if (t.is_string()) {
      if (t.as_string() == "!") return !eval(record, d, pos);
      const bool a = eval(record, d, pos);
      const bool b = eval(record, d, pos);
      return t.as_string() == "&" ? a && b : a || b;
    }
    return leaf(record, t.as_array());
  }
  static bool matches(const json::value& record, const json::array& d) {
    std::size_t pos = 0;
    bool all = true;
    while (pos < d.size()) all = eval(record, d, pos) && all;  // consecutive terms: implicit AND
    return all;
  }

  result<http_response> answer(const std::string& method, const json::value& args, const json::value& kw) {
    REQUIRE(method == "search_read");
    const json::array& domain = args.as_array()[0].as_array();
    domains.push_back(args.as_array()[0]);
    kwargs.push_back(kw);
    std::vector<json::value> found;
    for (const auto& r : records)
      if (matches(r, domain)) found.push_back(r);
    const json::value* order = kw.find("order");
    const bool by_write_date = order != nullptr && order->as_string().rfind("write_date", 0) == 0;
    const bool name_desc = order != nullptr && order->as_string() == "name desc";
    std::stable_sort(found.begin(), found.end(), [&](const json::value& a, const json::value& b) {
      if (name_desc) return a.find("name")->as_string() > b.find("name")->as_string();
      if (by_write_date && !(*a.find("write_date") == *b.find("write_date")))
        return a.find("write_date")->as_string() < b.find("write_date")->as_string();
      return a.find("id")->as_int() < b.find("id")->as_int();
    });
    const std::int64_t offset = kw.find("offset") != nullptr ? kw.find("offset")->as_int() : 0;
    const std::int64_t limit = kw.find("limit") != nullptr ? kw.find("limit")->as_int() : 1 << 30;
    json::array rows;
    for (std::int64_t i = offset; i < static_cast<std::int64_t>(found.size()) && i < offset + limit; ++i) {
      // Like Odoo: `id` first, then the requested fields in order.
      json::object row{{"id", *found[i].find("id")}};
      for (const auto& f : kw.find("fields")->as_array())
        if (const json::value* v = found[i].find(f.as_string())) row.emplace_back(f.as_string(), *v);
      rows.emplace_back(std::move(row));
    }
    std::string out = R"({"jsonrpc": "2.0", "id": 1, "result": )";
    json::write(out, json::value(std::move(rows)));
    out += "}";
    return http_response{200, {{"Content-Type", "application/json"}}, std::move(out)};
  }

  std::string model_;
  std::shared_ptr<testing::replay_transport> inner_;
};

}  // namespace odoolink::test
