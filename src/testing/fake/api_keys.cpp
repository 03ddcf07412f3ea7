#include "testing/fake/api_keys.hpp"

#include <cstdio>

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

constexpr std::string_view keys_model = "res.users.apikeys";
constexpr std::string_view wizard_model = "res.users.apikeys.description";
constexpr std::string_view check_model = "res.users.identitycheck";

model_def parsed(std::string_view name, std::string_view label, std::string_view fields) {
  auto m = parse_fields_get(name, fields);
  if (!m) raise("builtins.ValueError", std::string(name) + ": " + m.error().message());
  m.value().label = std::string(label);
  return std::move(m).value();
}

std::string text_field(const database& db, std::string_view model, std::int64_t id, std::string_view field) {
  const json::value v = db.field_value(model, id, *db.get(model).def.field(field));
  return v.is_string() ? v.as_string() : std::string();
}

// Odoo's `check_identity`: the guarded method runs only after `run_check`;
// until then the caller gets the identity check wizard to fill in.
json::value identity_check(database& db, const fake_call& call) {
  // As Odoo 19 stores it: context, model, ids, method, args, kwargs.
  const std::string request = json::to_string(
      json::array{json::object{}, call.model, call.ids, call.method, json::array{}, json::object{}});
  const std::int64_t id = db.create_one(check_model, json::object{{"request", request}}, call.uid);
  return json::object{{"type", "ir.actions.act_window"},
                      {"res_model", std::string(check_model)},
                      {"res_id", id},
                      {"name", "Security Control"},
                      {"target", "new"},
                      {"views", json::array{json::array{false, "form"}}}};
}

std::vector<std::int64_t> ids_of(const json::value& v) {
  std::vector<std::int64_t> out;
  if (v.is_array())
    for (const auto& e : v.as_array())
      if (e.is_int()) out.push_back(e.as_int());
  return out;
}

json::value make_key(database& db, const std::vector<std::int64_t>& ids, std::int64_t uid) {
  if (ids.size() != 1) raise("builtins.ValueError", "Expected singleton: res.users.apikeys.description" );
  const std::int64_t d = ids.front();
  if (db.find_row(wizard_model, d) == nullptr)
    raise("odoo.exceptions.MissingError", "Record does not exist or has been deleted.");
  const std::string name = text_field(db, wizard_model, d, "name");
  const field_def* expiry = db.get(wizard_model).def.field("expiration_date");  // 18+
  const json::value expiration = expiry != nullptr ? db.field_value(wizard_model, d, *expiry) : json::value(false);
  // 40 hex characters, like Odoo's keys; unique within the fake.
  char key[48];
  std::snprintf(key, sizeof key, "%08llx%032llx", static_cast<unsigned long long>(uid),
                static_cast<unsigned long long>(db.get(keys_model).next_id * 2654435761ULL + 0x5bd1e995ULL));
  json::value vals = json::object{{"name", name}, {"user_id", uid}, {"key", std::string(key)}};
  if (expiration.is_string()) vals.set("expiration_date", expiration);
  db.create_one(keys_model, vals, uid);
  db.unlink_ids(wizard_model, {d}, uid);
  return json::object{{"type", "ir.actions.act_window"},
                      {"res_model", "res.users.apikeys.show"},
                      {"name", "API Key Ready"},
                      {"views", json::array{json::array{false, "form"}}},
                      {"target", "new"},
                      {"context", json::object{{"default_key", std::string(key)}}}};
}

json::value remove_keys(database& db, const std::vector<std::int64_t>& ids, std::int64_t uid) {
  for (auto id : ids) {
    const json::value owner = db.field_value(keys_model, id, *db.get(keys_model).def.field("user_id"));
    if (db.find_row(keys_model, id) == nullptr) continue;
    if (!owner.is_int() || owner.as_int() != uid)
      raise("odoo.exceptions.AccessError", "You can not remove API keys unless they're yours or you are a system user");
  }
  db.unlink_ids(keys_model, ids, uid);
  return json::object{{"type", "ir.actions.act_window_close"}};
}

json::value run_check(database& db, const fake_call& call) {
  const auto ids = ids_of(call.ids);
  if (ids.size() != 1 || db.find_row(check_model, ids.front()) == nullptr)
    raise("odoo.exceptions.MissingError", "Record does not exist or has been deleted.");
  const std::int64_t w = ids.front();
  // Odoo 19 takes the password from the context, earlier series from the field.
  std::string password = text_field(db, check_model, w, "password");
  db.write_ids(check_model, {w}, json::object{{"password", false}}, call.uid);
  if (db.options().major_version >= 19) {
    const json::value* ctx = call.params.find("context");
    const json::value* given = ctx != nullptr ? ctx->find("password") : nullptr;
    password = given != nullptr && given->is_string() ? given->as_string() : std::string();
  }
  const fake_user* u = db.user(call.uid);
  if (u == nullptr || password.empty() || password != u->password)
    raise("odoo.exceptions.UserError", "Incorrect Password, try again or click on Forgot Password to reset your password.");
  auto request = json::parse(text_field(db, check_model, w, "request"));
  if (!request || !request.value().is_array() || request.value().as_array().size() != 6)
    raise("builtins.ValueError", "the identity check lost its request");
  const auto& r = request.value().as_array();
  const std::string method = r[3].is_string() ? r[3].as_string() : std::string();
  if (method == "make_key") return make_key(db, ids_of(r[2]), call.uid);
  return remove_keys(db, ids_of(r[2]), call.uid);
}

}  // namespace

std::vector<model_def> api_key_models(int series) {
  // Keys expire from Odoo 18 on; earlier series have neither the expiry nor the duration.
  const bool expiring = series >= 18;
  const std::string keys = std::string(R"json({
            "name": {"type": "char", "string": "Description", "required": true, "readonly": true},
            "user_id": {"type": "many2one", "relation": "res.users", "string": "User", "readonly": true},
            "scope": {"type": "char", "string": "Scope", "readonly": true},)json") +
                           (expiring ? R"json(
            "expiration_date": {"type": "datetime", "string": "Expiration Date", "readonly": true},)json" : "") + R"json(
            "key": {"type": "char", "string": "Key"}})json";
  const std::string wizard = std::string(R"json({
            "name": {"type": "char", "string": "Description", "required": true})json") +
                             (expiring ? R"json(,
            "duration": {"type": "selection", "string": "Duration", "selection": [["1", "1 Day"], ["7", "1 Week"],
              ["30", "1 Month"], ["90", "3 Months"], ["180", "6 Months"], ["365", "1 Year"], ["0", "Persistent Key"],
              ["-1", "Custom Date"]]},
            "expiration_date": {"type": "datetime", "string": "Expiration Date"})json" : "") + "}";
  return {parsed(keys_model, "Users API Keys", keys),
          parsed(wizard_model, "API Key Description", wizard),
          parsed(check_model, "Password Check", R"json({
            "request": {"type": "char", "string": "Request", "readonly": true},
            "password": {"type": "char", "string": "Password"}})json")};
}

std::optional<json::value> api_key_method(database& db, const fake_call& call) {
  if (call.model == wizard_model && call.method == "make_key") return identity_check(db, call);
  if (call.model == keys_model && call.method == "remove") return identity_check(db, call);
  if (call.model == check_model && call.method == "run_check") return run_check(db, call);
  return std::nullopt;
}

const fake_user* user_of_generated_key(const database& db, std::string_view key) {
  if (key.empty() || !db.knows(keys_model)) return nullptr;
  const auto& t = db.get(keys_model);
  const field_def& key_field = *t.def.field("key");
  for (const auto& [id, row] : t.rows) {
    const json::value k = db.field_value(keys_model, id, key_field);
    if (!k.is_string() || k.as_string() != key) continue;
    const field_def* expiry = t.def.field("expiration_date");  // 18+
    const json::value until = expiry != nullptr ? db.field_value(keys_model, id, *expiry) : json::value(false);
    if (until.is_string() && until.as_string() < db.now_text(false)) return nullptr;  // valid through its expiry
    const json::value owner = db.field_value(keys_model, id, *t.def.field("user_id"));
    return owner.is_int() ? db.user(owner.as_int()) : nullptr;
  }
  return nullptr;
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
