#include "odoolink/client/server_fields.hpp"

#include <algorithm>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

// The cache lives beside the connection state, shared by every copy of the client.
client::client(std::shared_ptr<state> s) : state_(std::move(s)), fields_(std::make_shared<fields_cache>()) {}

fields_cache& client::server_fields() const noexcept { return *fields_; }

const std::string* model_fields::type_of(std::string_view name) const noexcept {
  const auto it = std::lower_bound(fields.begin(), fields.end(), name,
                                   [](const std::pair<std::string, std::string>& f, std::string_view n) { return f.first < n; });
  return it != fields.end() && it->first == name ? &it->second : nullptr;
}

protocol::call fields_get_call(std::string_view model) {
  return {std::string(model), "fields_get", json::array{}, json::object{{"attributes", json::array{"type"}}}};
}

result<model_fields> parse_model_fields(std::string_view model, std::string_view fields_get_json) {
  ODOOLINK_TRY(const json::value answer, json::parse(fields_get_json));
  if (!answer.is_object())
    return error(protocol_errc::unexpected_type, std::string(model) + ".fields_get: expected an object of fields");
  model_fields out;
  out.model = std::string(model);
  out.fields.reserve(answer.as_object().size());
  for (const auto& [name, attributes] : answer.as_object()) {
    const json::value* type = attributes.find("type");
    out.fields.emplace_back(name, type != nullptr && type->is_string() ? type->as_string() : std::string());
  }
  std::sort(out.fields.begin(), out.fields.end());
  return out;
}

result<std::shared_ptr<const model_fields>> fields_cache::get(client& connection, std::string_view model) {
  if (auto known = find(model)) return known;
  ODOOLINK_TRY(auto reply, connection.execute_kw(fields_get_call(model)));
  ODOOLINK_TRY(auto fields, parse_model_fields(model, reply.json()));
  auto shared = std::make_shared<const model_fields>(std::move(fields));
  models_.insert_or_assign(std::string(model), shared);
  return shared;
}

std::shared_ptr<const model_fields> fields_cache::find(std::string_view model) const {
  const auto it = models_.find(model);
  return it == models_.end() ? nullptr : it->second;
}

void fields_cache::put(model_fields fields) {
  std::sort(fields.fields.begin(), fields.fields.end());
  std::string name = fields.model;
  models_.insert_or_assign(std::move(name), std::make_shared<const model_fields>(std::move(fields)));
}

void fields_cache::refresh(std::string_view model) {
  const auto it = models_.find(model);
  if (it != models_.end()) models_.erase(it);
}

void fields_cache::refresh_all() noexcept { models_.clear(); }

std::function<bool(std::string_view, std::string_view)> field_presence_of(client connection) {
  return [c = std::move(connection)](std::string_view model, std::string_view field) mutable {
    if (c.server_fields().mode() == field_check::trust) return true;
    auto known = c.server_fields().get(c, model);
    return !known || known.value()->has(field);
  };
}

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
