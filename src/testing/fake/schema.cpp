#include "testing/fake/schema.hpp"

#include <cctype>

#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

json::value field_def::describe(const std::vector<std::string>& attributes) const {
  auto wanted = [&](std::string_view a) {
    if (attributes.empty()) return true;
    for (const auto& x : attributes)
      if (x == a) return true;
    return false;
  };
  // Keys sorted, as the server writes them.
  json::value out = json::object{};
  if (wanted("help") && !help.empty()) out.set("help", help);
  if (wanted("readonly")) out.set("readonly", readonly);
  if (wanted("relation") && !relation.empty()) out.set("relation", relation);
  if (wanted("required")) out.set("required", required);
  if (wanted("selection") && type == "selection") {
    json::array pairs;
    for (const auto& [v, l] : selection) pairs.push_back(json::array{v, l});
    out.set("selection", std::move(pairs));
  }
  if (wanted("string")) out.set("string", label);
  if (wanted("type")) out.set("type", type);
  return out;
}

namespace {

void add_magic(model_def& m) {
  auto add = [&](const char* name, const char* type, const char* label, const char* relation) {
    if (m.has(name)) return;
    field_def f;
    f.name = name;
    f.type = type;
    f.label = label;
    f.relation = relation;
    f.readonly = true;
    m.fields.emplace(f.name, std::move(f));
  };
  add("id", "integer", "ID", "");
  add("display_name", "char", "Display Name", "");
  add("create_date", "datetime", "Created on", "");
  add("write_date", "datetime", "Last Updated on", "");
  add("create_uid", "many2one", "Created by", "res.users");
  add("write_uid", "many2one", "Last Updated by", "res.users");
}

}  // namespace

std::string label_of(std::string_view model) {
  std::string out;
  bool up = true;
  for (char c : model) {
    if (c == '.' || c == '_') {
      out += ' ';
      up = true;
    } else {
      out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      up = false;
    }
  }
  return out;
}

result<model_def> parse_fields_get(std::string_view model, std::string_view text) {
  auto bad = [&](const std::string& why) {
    return error(protocol_errc::malformed_response, "fields_get of " + std::string(model) + ": " + why);
  };
  auto doc = json::parse(text);
  if (!doc) return bad(doc.error().message());
  if (!doc.value().is_object()) return bad("not a JSON object");
  model_def m;
  m.name = std::string(model);
  m.label = label_of(model);
  for (const auto& member : doc.value().as_object()) {
    const std::string& name = member.first;
    const json::value& attrs = member.second;  // named, not bound: lambdas below capture it
    const json::value* type = attrs.find("type");
    if (type == nullptr || !type->is_string()) return bad("field '" + name + "' has no type");
    field_def f;
    f.name = name;
    f.type = type->as_string();
    auto text_of = [&](const char* key) {
      const json::value* v = attrs.find(key);
      return v != nullptr && v->is_string() ? v->as_string() : std::string();
    };
    auto flag = [&](const char* key) {
      const json::value* v = attrs.find(key);
      return v != nullptr && v->is_bool() && v->as_bool();
    };
    f.label = text_of("string");
    f.relation = text_of("relation");
    f.help = text_of("help");
    f.required = flag("required");
    f.readonly = flag("readonly");
    if (const json::value* sel = attrs.find("selection"); sel != nullptr && sel->is_array())
      for (const auto& pair : sel->as_array())
        if (pair.is_array() && pair.as_array().size() == 2 && pair.as_array()[0].is_string())
          f.selection.emplace_back(pair.as_array()[0].as_string(),
                                   pair.as_array()[1].is_string() ? pair.as_array()[1].as_string() : std::string());
    if (f.is_relational() && f.relation.empty()) return bad("relational field '" + name + "' names no relation");
    m.fields.emplace(name, std::move(f));
  }
  add_magic(m);
  return m;
}

model_def stub_model(std::string_view model) {
  model_def m;
  m.name = std::string(model);
  m.label = label_of(model);
  m.stub = true;
  auto add = [&](const char* name, const char* type, const char* label) {
    field_def f;
    f.name = name;
    f.type = type;
    f.label = label;
    m.fields.emplace(f.name, std::move(f));
  };
  add("name", "char", "Name");
  add("code", "char", "Code");
  add("active", "boolean", "Active");
  add("sequence", "integer", "Sequence");
  add_magic(m);
  return m;
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
