#pragma once
// An in-memory Odoo that applies what the Odoo sink sends over JSON-RPC —
// `load` (upsert by external id, lines by their own external ids, `x/id`
// references, the whole batch rolled back when one row is bad), the
// `ir.model.data` look-up, `read` of a state, `action_confirm` and
// `unlink` — so tests can count records after faults. Login and version
// probes are answered from the Odoo 18 recordings.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/testing/replay_transport.hpp"
#include "odoolink/transport/sync_transport.hpp"

namespace odoolink::test {

class fake_load_odoo final : public transport::sync_transport {
 public:
  struct record {
    std::int64_t id = 0;
    std::string model;
    std::map<std::string, std::string> cells;  // column → text as loaded
    std::string state = "draft";
    int writes = 0;
  };

  fake_load_odoo()
      : inner_(std::make_shared<testing::replay_transport>(
            testing::load_exchanges(std::string(ODOOLINK_FIXTURES_DIR) + "/odoo18"))) {}

  std::map<std::string, record> by_xid;  // every record and line, by external id
  std::size_t load_calls = 0, refused_loads = 0, rows_received = 0;
  std::set<std::string> unlinked;        // external ids deleted
  std::size_t actions_run = 0;

  std::size_t count(const std::string& model) const {
    std::size_t n = 0;
    for (const auto& [x, r] : by_xid) n += r.model == model && !unlinked.contains(x) ? 1 : 0;
    return n;
  }

  result<http_response> send(const http_request& request) override {
    auto body = json::parse(request.body);
    if (body) {
      const json::value* params = body.value().find("params");
      const json::value* method = params != nullptr ? params->find("method") : nullptr;
      const json::value* args = params != nullptr ? params->find("args") : nullptr;
      if (method != nullptr && *method == json::value("execute_kw") && args != nullptr && args->as_array().size() >= 6) {
        const auto& a = args->as_array();
        const json::value* id = body.value().find("id");
        return reply(id != nullptr ? *id : json::value(nullptr),
                     execute(a[3].as_string(), a[4].as_string(), a[5]));
      }
    }
    return inner_->send(request);
  }

 private:
  std::shared_ptr<testing::replay_transport> inner_;
  std::int64_t next_id_ = 100;

  static http_response reply(const json::value& id, const json::value& result) {
    http_response r;
    r.status = 200;
    r.headers.push_back({"Content-Type", "application/json"});
    r.body = json::to_string(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
    return r;
  }

  record* find(const std::string& xid) {
    auto it = by_xid.find(xid);
    return it == by_xid.end() || unlinked.contains(xid) ? nullptr : &it->second;
  }
  record* find_id(std::int64_t id) {
    for (auto& [x, r] : by_xid)
      if (r.id == id && !unlinked.contains(x)) return &r;
    return nullptr;
  }

  json::value execute(const std::string& model, const std::string& method, const json::value& args) {
    if (method == "load") return load(model, args.as_array()[0], args.as_array()[1]);
    if (model == "ir.model.data" && method == "search_read") {
      std::string module, name;
      for (const auto& term : args.as_array()[0].as_array()) {
        if (term.as_array()[0] == json::value("module")) module = term.as_array()[2].as_string();
        if (term.as_array()[0] == json::value("name")) name = term.as_array()[2].as_string();
      }
      json::array out;
      if (record* r = find(module + "." + name)) out.push_back(json::object{{"id", r->id}, {"res_id", r->id}});
      return out;
    }
    const auto id = args.as_array()[0].as_array()[0].as_int();
    record* r = find_id(id);
    if (method == "read") {
      json::array out;
      if (r != nullptr) out.push_back(json::object{{"id", id}, {"state", r->state}});
      return out;
    }
    if (method == "action_confirm") {
      if (r != nullptr) r->state = "sale";
      ++actions_run;
      return true;
    }
    if (method == "unlink") {
      for (auto& [x, rec] : by_xid)
        if (rec.id == id) unlinked.insert(x);
      return true;
    }
    FAIL("fake_load_odoo: unexpected call " << model << "." << method);
    return nullptr;
  }

  // Odoo's import: rows of a record follow it; a row with an empty `id`
  // cell continues the previous record (its one2many lines).
  json::value load(const std::string& model, const json::value& fields_json, const json::value& rows_json) {
    ++load_calls;
    std::vector<std::string> fields;
    for (const auto& f : fields_json.as_array()) fields.push_back(f.as_string());
    std::map<std::string, record> staged = by_xid;  // applied only when every row is good
    json::array ids;
    json::array messages;
    std::int64_t row_index = -1;
    for (const auto& row_json : rows_json.as_array()) {
      ++row_index;
      ++rows_received;
      const auto& row = row_json.as_array();
      std::map<std::string, std::map<std::string, std::string>> lines;  // line xid → cells
      std::map<std::string, std::string> own;
      std::string xid;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string& f = fields[i];
        const std::string cell = row[i].as_string();
        if (cell == "BAD") {
          messages.push_back(json::object{{"type", "error"}, {"rows", json::object{{"from", row_index}, {"to", row_index}}},
                                          {"field", f}, {"message", "Invalid value for field '" + f + "'"}});
          continue;
        }
        if (f.size() > 3 && f.ends_with("/id") && f != "id" && !cell.empty() && f.find('/') == f.size() - 3) {
          if (!staged.contains(cell))
            messages.push_back(json::object{{"type", "error"},
                                            {"rows", json::object{{"from", row_index}, {"to", row_index}}},
                                            {"field", f},
                                            {"message", "No matching record found for external id '" + cell +
                                                            "' in field '" + f + "'"}});
        }
        if (f == "id") xid = cell;
        else own[f] = cell;
      }
      // Lines with their own external id become records of their own.
      for (const auto& [col, text] : own)
        if (col.ends_with("line/id") && !text.empty()) {
          auto [line, new_line] = staged.try_emplace(text);
          if (new_line) {
            line->second.id = next_id_++;
            line->second.model = model + ".line";
          }
        }
      if (xid.empty()) continue;  // a continuation row: its lines only
      auto [it, created] = staged.try_emplace(xid);
      if (created) {
        it->second.id = next_id_++;
        it->second.model = model;
      }
      it->second.cells = own;
      ++it->second.writes;
      ids.push_back(it->second.id);
    }
    if (!messages.empty()) {
      ++refused_loads;
      return json::object{{"ids", false}, {"messages", std::move(messages)}, {"nextrow", 0}};
    }
    by_xid = std::move(staged);
    return json::object{{"ids", std::move(ids)}, {"messages", json::array{}}, {"nextrow", 0}};
  }
};

/// A client connected (over recorded JSON-RPC login) to `server`.
inline client::client client_on(std::shared_ptr<transport::http_transport> server,
                                observe::observer* observer = nullptr) {
  auto c = client::client::connect(client::client_options{.url = "http://127.0.0.1:8069", .database = "odoolink",
                                                          .login = "admin", .password = "admin",
                                                          .protocol = client::protocol_kind::jsonrpc,
                                                          .transport = std::move(server), .observer = observer});
  if (!c) FAIL(c.error().describe());
  return std::move(c).value();
}

}  // namespace odoolink::test
