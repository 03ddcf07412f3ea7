#include "odoolink/client/api_keys.hpp"

#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {
namespace {

result<json::value> call(client& c, std::string_view model, std::string_view method, json::value args,
                         json::value kwargs = json::object{}) {
  ODOOLINK_TRY(auto reply, c.execute_kw(model, method, std::move(args), std::move(kwargs)));
  return json::parse(reply.json());
}

// Runs a method guarded by Odoo's `check_identity`: the first answer is the
// identity check wizard; it gets the password, and its `run_check` runs the
// method and answers what the method answers.
result<json::value> with_identity_check(client& c, std::string_view model, std::string_view method, std::int64_t id,
                                        const std::string& password) {
  ODOOLINK_TRY(auto action, call(c, model, method, json::array{json::array{id}}));
  const json::value* target = action.find("res_model");
  if (target == nullptr || !target->is_string() || target->as_string() != "res.users.identitycheck") return action;
  const json::value* check = action.find("res_id");
  if (check == nullptr || !check->is_int())
    return error(protocol_errc::unexpected_type, std::string(model) + "." + std::string(method) +
                                                     ": the identity check names no wizard record");
  const json::value wizard = json::array{check->as_int()};
  // Odoo 19 reads the password from the context of `run_check`; 17 and 18
  // from the wizard's `password` field (on 19 a field that is not stored).
  ODOOLINK_TRYV(call(c, "res.users.identitycheck", "write", json::array{wizard, json::object{{"password", password}}}));
  protocol::call run{"res.users.identitycheck", "run_check", json::array{wizard}};
  run.context = json::object{{"password", password}};
  ODOOLINK_TRY(auto reply, c.execute_kw(std::move(run)));
  return json::parse(reply.json());
}

std::string text_of(const json::value& record, std::string_view key) {
  const json::value* v = record.find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

}  // namespace

result<std::string> generate_api_key(client& c, const api_key_options& what) {
  if (what.name.empty()) return error(protocol_errc::unsupported_call, "an API key needs a name");
  if (what.password.empty())
    return error(protocol_errc::unsupported_call, "making an API key needs the user's password (Odoo's identity check)");
  c.add_secret(what.password);
  json::value vals = json::object{{"name", what.name}};
  if (!what.expiration.empty()) {
    if (!c.info().version.has_key_expiry())
      return error(protocol_errc::unsupported_call, "API keys with an expiry need Odoo 18 or later (this server runs " +
                                                        c.info().version.text + ")");
    vals.set("duration", "-1");  // a custom date
    vals.set("expiration_date", what.expiration);
  }
  ODOOLINK_TRY(auto created, call(c, "res.users.apikeys.description", "create", json::array{std::move(vals)}));
  const json::value* id = created.is_array() && !created.as_array().empty() ? &created.as_array().front() : &created;
  if (!id->is_int())
    return error(protocol_errc::unexpected_type, "res.users.apikeys.description.create: the answer is not an id");
  ODOOLINK_TRY(auto shown, with_identity_check(c, "res.users.apikeys.description", "make_key", id->as_int(),
                                               what.password));
  const json::value* context = shown.find("context");
  const json::value* key = context != nullptr ? context->find("default_key") : nullptr;
  if (key == nullptr || !key->is_string() || key->as_string().empty())
    return error(protocol_errc::unexpected_type, "res.users.apikeys.description.make_key: the answer holds no key");
  c.add_secret(key->as_string());
  return key->as_string();
}

result<void> revoke_api_key(client& c, std::int64_t id, const std::string& password) {
  if (password.empty())
    return error(protocol_errc::unsupported_call, "revoking an API key needs the user's password (Odoo's identity check)");
  c.add_secret(password);
  ODOOLINK_TRY(auto gone, call(c, "res.users.apikeys", "search", json::array{json::array{json::array{"id", "=", id}}}));
  if (gone.is_array() && gone.as_array().empty()) return success();
  ODOOLINK_TRYV(with_identity_check(c, "res.users.apikeys", "remove", id, password));
  return success();
}

result<std::vector<api_key_info>> list_api_keys(client& c) {
  ODOOLINK_TRYV(c.open());  // the uid is known once connected
  // Keys expire from Odoo 18 on; earlier series have no such field (and refuse a read naming it).
  json::array fields{"name", "scope", "create_date"};
  if (c.info().version.has_key_expiry()) fields.emplace_back("expiration_date");
  ODOOLINK_TRY(auto rows, call(c, "res.users.apikeys", "search_read",
                               json::array{json::array{json::array{"user_id", "=", c.info().uid}}},
                               json::object{{"fields", std::move(fields)}, {"order", "id"}}));
  std::vector<api_key_info> out;
  if (!rows.is_array()) return out;
  for (const auto& r : rows.as_array()) {
    const json::value* id = r.find("id");
    out.push_back({id != nullptr && id->is_int() ? id->as_int() : 0, text_of(r, "name"), text_of(r, "scope"),
                   text_of(r, "expiration_date"), text_of(r, "create_date")});
  }
  return out;
}

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
