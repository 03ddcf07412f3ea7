// fake_odoo: the facade over the fake database and its HTTP routes.

#include "odoolink/testing/fake_odoo.hpp"

#include <thread>

#include "odoolink/json/parse.hpp"
#include "odoolink/testing/recorded_exchange.hpp"
#include "testing/fake/server_state.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing {
namespace fake {

void apply_faults(fake_odoo::state& s, std::string_view model, std::string_view method) {
  const bool orm = !model.empty() || !method.empty();
  for (auto& r : s.faults) {
    const bool specific = !r.fault.model.empty() || !r.fault.method.empty();
    if (specific != orm) continue;  // request-wide rules act once per request, before routing
    if (!r.fault.model.empty() && r.fault.model != model) continue;
    if (!r.fault.method.empty() && r.fault.method != method) continue;
    if (r.seen++ < r.fault.skip || r.fired >= r.fault.count) continue;
    ++r.fired;
    ++s.stats.faults;
    switch (r.fault.kind) {
      case fake_fault_kind::latency:
        if (s.options.sleeper) s.options.sleeper->sleep_for(r.fault.latency);
        else std::this_thread::sleep_for(r.fault.latency);
        break;
      case fake_fault_kind::lost_response: s.lose_response = true; break;
      case fake_fault_kind::status_429: throw http_fault{429};
      case fake_fault_kind::status_503: throw http_fault{503};
      case fake_fault_kind::concurrency_failure:
        raise("psycopg2.errors.SerializationFailure", "could not serialize access due to concurrent update\n");
    }
  }
}

json::value run_call(fake_odoo::state& s, const fake_call& call) {
  apply_faults(s, call.model, call.method);
  ++s.stats.calls;
  ++s.stats.per_method[call.method];
  try {
    return s.db.run(call);
  } catch (const odoo_raise&) {
    ++s.stats.failed_calls;
    throw;
  }
}

}  // namespace fake

namespace {

error to_error(const fake::odoo_raise& e) {
  return error::odoo(odoo_errc_from_class(e.cls, e.message), e.message, e.cls, {}, 0);
}

// Replaces "ref:module.name" strings by the id of that external id.
void resolve_refs(const fake::database& db, json::value& v) {
  if (v.is_string() && v.as_string().rfind("ref:", 0) == 0) {
    auto hit = db.find_xml_id(v.as_string().substr(4));
    if (!hit) fake::raise("builtins.ValueError", "seed: unknown external id '" + v.as_string().substr(4) + "'");
    v = hit->second;
  } else if (v.is_array()) {
    for (auto& e : v.as_array()) resolve_refs(db, e);
  } else if (v.is_object()) {
    for (auto& [k, e] : v.as_object()) resolve_refs(db, e);
  }
}

// Creates the records of a seed document, in document order.
void seed_records(fake::database& db, json::value& doc) {
  for (auto& [model, records] : doc.as_object()) {
    if (!db.knows(model)) fake::raise("odoo.exceptions.UserError", "Object " + model + " doesn't exist");
    if (!records.is_array()) fake::raise("builtins.TypeError", "the records of " + model + " must be a list");
    for (auto& r : records.as_array()) {
      if (!r.is_object()) fake::raise("builtins.TypeError", "the records of " + model + " must be objects");
      std::optional<std::int64_t> id;
      std::string xid;
      json::value vals = json::object{};
      for (auto& [k, v] : r.as_object()) {
        if (k == "id" && v.is_int()) id = v.as_int();
        else if (k == "xml_id" && v.is_string()) xid = v.as_string();
        else vals.set(k, v);
      }
      resolve_refs(db, vals);
      const std::int64_t created = db.insert(model, vals, id);
      if (!xid.empty()) db.set_xml_id(xid, model, created);
    }
  }
}

void base_records(fake::database& db, const fake_options& o) {
  auto has = [&](const char* m) { return db.knows(m); };
  if (has("res.currency")) db.insert("res.currency", json::object{{"name", "USD"}, {"symbol", "$"}}, 1);
  db.insert("res.partner", json::object{{"name", "YourCompany"}, {"is_company", true}}, 1);
  if (has("res.company"))
    db.insert("res.company", json::object{{"name", "YourCompany"}, {"partner_id", 1}, {"currency_id", 1}}, 1);
  if (has("uom.category")) db.insert("uom.category", json::object{{"name", "Unit"}}, 1);
  if (has("uom.uom")) {
    // Units of measure changed between series (19 dropped categories): only
    // the fields this series has.
    json::object units;
    for (auto& [field, value] : json::object{{"name", "Units"}, {"category_id", 1}, {"factor", 1.0}, {"factor_inv", 1.0},
                                             {"rounding", 0.01}, {"uom_type", "reference"}, {"relative_factor", 1.0}})
      if (db.get("uom.uom").def.field(field) != nullptr) units.emplace_back(field, std::move(value));
    db.insert("uom.uom", units, 1);
  }
  if (has("product.category")) db.insert("product.category", json::object{{"name", "All"}}, 1);
  // Odoo 17 requires a warehouse on sale orders (later series default it),
  // and a warehouse its view and stock locations.
  if (has("stock.location") && has("stock.warehouse")) {
    db.insert("stock.location", json::object{{"name", "WH"}, {"usage", "view"}, {"company_id", 1}}, 1);
    db.insert("stock.location", json::object{{"name", "Stock"}, {"usage", "internal"}, {"location_id", 1}, {"company_id", 1}}, 2);
    db.insert("stock.warehouse", json::object{{"name", "YourCompany"}, {"code", "WH"}, {"company_id", 1},
                                              {"view_location_id", 1}, {"lot_stock_id", 2}}, 1);
  }
  for (const auto& u : o.users) {
    const std::int64_t partner = db.insert("res.partner", json::object{{"name", u.name}}, std::nullopt);
    if (has("res.users"))
      db.insert("res.users", json::object{{"name", u.name}, {"login", u.login}, {"partner_id", partner}}, u.uid);
  }
}

}  // namespace

fake_odoo::fake_odoo(fake_options options) : s_(std::make_unique<state>(options)) {
  s_->db.set_owner(this);
  if (s_->options.shipped_models)
    for (const auto& [model, text] : fake::shipped_fields(s_->options.major_version)) {
      auto m = fake::parse_fields_get(model, text);
      if (m) s_->db.add_model(std::move(m).value());
    }
  if (!s_->db.knows("res.partner")) {
    // Users and their partners exist on every Odoo, with or without dumps.
    auto p = fake::stub_model("res.partner");
    p.stub = false;
    for (const char* f : {"is_company", "parent_id", "email", "type"}) {
      fake::field_def d;
      d.name = f;
      d.type = std::string(f) == "is_company" ? "boolean" : std::string(f) == "parent_id" ? "many2one" : "char";
      if (d.type == "many2one") d.relation = "res.partner";
      d.label = f;
      p.fields[f] = d;
    }
    s_->db.add_model(std::move(p));
  }
  s_->db.complete_relations();
  if (s_->options.base_records) {
    try {
      s_->db.transaction([&] { base_records(s_->db, s_->options); });
    } catch (const fake::odoo_raise&) {
      // Custom dumps may make a base record invalid; the fake then starts empty.
    }
  }
}

fake_odoo::~fake_odoo() = default;

result<void> fake_odoo::add_model(std::string_view model, std::string_view fields_get_json) {
  std::lock_guard lock(s_->mutex);
  ODOOLINK_TRY(auto m, fake::parse_fields_get(model, fields_get_json));
  s_->db.add_model(std::move(m));
  s_->db.complete_relations();
  return success();
}

result<std::size_t> fake_odoo::add_models_from(const std::filesystem::path& folder) {
  std::error_code ec;
  std::size_t n = 0;
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json") files.push_back(it->path());
  if (ec) return error(std::make_error_code(std::errc::no_such_file_or_directory), "cannot list " + folder.string());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    ODOOLINK_TRYV(add_model(f.stem().string(), detail::read_text(f)));
    ++n;
  }
  return n;
}

std::vector<std::string> fake_odoo::models() const {
  std::lock_guard lock(s_->mutex);
  return s_->db.model_names();
}

result<void> fake_odoo::seed(std::string_view json_text) {
  std::lock_guard lock(s_->mutex);
  ODOOLINK_TRY(auto doc, json::parse(json_text));
  if (!doc.is_object()) return error(protocol_errc::malformed_response, "seed: expected {\"model\": [records]}");
  try {
    s_->db.transaction([&] { seed_records(s_->db, doc); });  // all of the seed or none of it
  } catch (const fake::odoo_raise& e) {
    return to_error(e).with_context("seed");
  }
  return success();
}

result<json::value> fake_odoo::call(std::string_view model, std::string_view method, json::value args,
                                    json::value kwargs, std::int64_t uid) {
  std::lock_guard lock(s_->mutex);
  if (uid == 0) uid = s_->options.users.empty() ? 1 : s_->options.users.front().uid;
  try {
    return s_->db.run(fake::named_call(std::string(model), std::string(method), args, kwargs, uid));
  } catch (const fake::odoo_raise& e) {
    return to_error(e);
  }
}

void fake_odoo::on_call(std::string model, std::string method, fake_hook hook) {
  std::lock_guard lock(s_->mutex);
  s_->db.on_call(std::move(model), std::move(method), std::move(hook));
}

void fake_odoo::inject(fake_fault fault) {
  std::lock_guard lock(s_->mutex);
  s_->faults.push_back({std::move(fault)});
}

void fake_odoo::clear_faults() {
  std::lock_guard lock(s_->mutex);
  s_->faults.clear();
}

void fake_odoo::expire_sessions() {
  std::lock_guard lock(s_->mutex);
  s_->sessions.clear();
}

std::size_t fake_odoo::count(std::string_view model) const {
  std::lock_guard lock(s_->mutex);
  return s_->db.knows(model) ? s_->db.get(model).rows.size() : 0;
}

std::optional<json::value> fake_odoo::record(std::string_view model, std::int64_t id) const {
  std::lock_guard lock(s_->mutex);
  if (!s_->db.knows(model)) return std::nullopt;
  return s_->db.read_one(model, id);
}

std::optional<std::pair<std::string, std::int64_t>> fake_odoo::xml_id(std::string_view name) const {
  std::lock_guard lock(s_->mutex);
  return s_->db.find_xml_id(name);
}

fake_stats fake_odoo::stats() const {
  std::lock_guard lock(s_->mutex);
  return s_->stats;
}

result<http_response> fake_odoo::send(const http_request& request) {
  std::lock_guard lock(s_->mutex);
  ++s_->stats.requests;
  s_->lose_response = false;
  http_response response = fake::route(*s_, request);
  if (s_->lose_response)
    return error(transport_errc::connection_lost,
                 "fake Odoo: the connection was lost after the call was applied (injected fault)");
  return response;
}

}  // namespace testing
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
