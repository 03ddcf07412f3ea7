// The model documents Odoo 19's api_doc module serves to API-key users at
// `/doc-bearer/<model>.json`: the fields and, per public method, its
// parameters in order and whether it is an `@api.model` method (no ids).

#include <string>

#include "testing/fake/orm.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

json::value describe_method(const method_signature& sig) {
  json::value params = json::object{};
  std::string text = "(";
  for (std::size_t i = 0; i < sig.params.size(); ++i) {
    const std::string name(sig.params[i]);
    json::value p = json::object{{"annotation", ""}};
    if (i >= sig.required) p.set("default", nullptr);
    params.set(name, std::move(p));
    text += (i == 0 ? "" : ", ") + name + (i >= sig.required ? "=None" : "");
  }
  text += ")";
  return json::object{{"model", "core"},   {"module", "core"}, {"signature", std::move(text)},
                      {"parameters", std::move(params)}, {"doc", nullptr},
                      {"api", sig.on_records ? json::array{} : json::array{"model"}}};
}

}  // namespace

json::value model_doc(const database& db, std::string_view model) {
  const model_def& def = db.get(model).def;
  json::value fields = json::object{};
  for (const auto& [name, f] : def.fields) {
    json::value d = f.describe({});
    d.set("name", name);
    fields.set(name, std::move(d));
  }
  json::value methods = json::object{};
  for (const auto name : builtin_methods())
    if (name != "context_get" || model == "res.users") methods.set(name, describe_method(signature_of(name)));
  // Actions: record methods without parameters.
  std::vector<std::string_view> actions = {"action_archive", "action_unarchive", "exists"};
  if (def.has("state")) actions.insert(actions.end(), {"action_confirm", "action_cancel", "action_draft"});
  // The identity-checked API-key methods (api_keys.cpp), public on Odoo 19 too.
  if (model == "res.users.apikeys.description") actions.push_back("make_key");
  if (model == "res.users.apikeys") actions.push_back("remove");
  if (model == "res.users.identitycheck") actions.push_back("run_check");
  for (const auto name : actions) methods.set(name, describe_method({}));
  return json::object{{"model", std::string(model)}, {"name", def.label}, {"doc", nullptr},
                      {"fields", std::move(fields)}, {"methods", std::move(methods)}};
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
