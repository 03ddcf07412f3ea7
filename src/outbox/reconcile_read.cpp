#include "reconcile_read.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {
namespace {

result<json::array> list_answer(const protocol::reply& reply, const std::string& model, const char* method) {
  ODOOLINK_TRY(auto v, json::parse(reply.json()));
  if (!v.is_array()) return error(protocol_errc::unexpected_type, model + "." + method + ": the result is not a list");
  return std::move(v.as_array());
}

// The id of a many2one as `read` gives it (`[id, name]`); nullopt for `false`.
std::optional<std::int64_t> pair_id(const json::value& v) {
  if (!v.is_array() || v.as_array().size() != 2 || !v.as_array()[0].is_int() || !v.as_array()[1].is_string()) return std::nullopt;
  return v.as_array()[0].as_int();
}

// The ids a `read` value holds: a many2one pair's first member, an x2many's list.
void collect_ids(const json::value& v, std::set<std::int64_t>& out) {
  if (const auto id = pair_id(v)) {
    out.insert(*id);
    return;
  }
  if (v.is_array())
    for (const auto& e : v.as_array())
      if (e.is_int()) out.insert(e.as_int());
}

struct field_kind {
  std::string type;
  std::string relation;
};

// `read` and one more per nested specification: Odoo 16's form of web_read.
result<json::array> read_by_parts(client::client& odoo, const std::string& model, const json::array& ids,
                                  const json::value& spec, const json::value& context, std::size_t& calls) {
  if (ids.empty()) return json::array{};
  json::array names;
  if (spec.is_object())
    for (const auto& [name, sub] : spec.as_object())
      if (name != "id") names.emplace_back(name);
  ++calls;
  // `read` with no fields reads them all; web_read with none gives the ids.
  const json::array asked = names.empty() ? json::array{"id"} : names;
  ODOOLINK_TRY(auto reply, odoo.execute_kw({model, "read", json::array{ids}, json::object{{"fields", asked}}, context}));
  ODOOLINK_TRY(auto rows, list_answer(reply, model, "read"));
  if (names.empty()) return rows;

  ++calls;
  ODOOLINK_TRY(auto described, odoo.execute_kw({model, "fields_get", json::array{names},
                                                json::object{{"attributes", json::array{"type", "relation"}}}}));
  ODOOLINK_TRY(auto fields, json::parse(described.json()));
  std::map<std::string, field_kind> kinds;
  if (fields.is_object())
    for (const auto& [name, attrs] : fields.as_object()) {
      const json::value* type = attrs.find("type");
      const json::value* relation = attrs.find("relation");
      kinds[name] = {type != nullptr && type->is_string() ? type->as_string() : std::string(),
                     relation != nullptr && relation->is_string() ? relation->as_string() : std::string()};
    }

  for (const auto& [name, sub] : spec.as_object()) {
    const auto kind = kinds.find(name);
    if (kind == kinds.end()) continue;
    const bool many2one = kind->second.type == "many2one";
    const bool x2many = kind->second.type == "one2many" || kind->second.type == "many2many";
    if (!many2one && !x2many) continue;
    const json::value* nested = sub.find("fields");
    std::map<std::int64_t, json::value> related;
    if (nested != nullptr && !kind->second.relation.empty()) {
      std::set<std::int64_t> wanted;
      for (const auto& row : rows)
        if (const json::value* v = row.find(name)) collect_ids(*v, wanted);
      json::array wanted_ids(wanted.begin(), wanted.end());
      ODOOLINK_TRY(auto records, read_by_parts(odoo, kind->second.relation, wanted_ids, *nested, context, calls));
      for (auto& r : records)
        if (const json::value* id = r.find("id"); id != nullptr && id->is_int()) related.emplace(id->as_int(), std::move(r));
    }
    // web_read's shapes: a many2one is its id (or its record with a nested
    // specification), an x2many its ids (or records).
    const auto shaped = [&](std::int64_t id) {
      if (nested == nullptr) return json::value(id);
      const auto hit = related.find(id);
      return hit != related.end() ? hit->second : json::value(json::object{{"id", id}});
    };
    for (auto& row : rows) {
      const json::value* v = row.find(name);
      if (v == nullptr || !v->is_array()) continue;
      if (many2one) {
        if (const auto id = pair_id(*v)) row.set(name, shaped(*id));
        continue;
      }
      json::array out;
      for (const auto& e : v->as_array())
        if (e.is_int()) out.push_back(shaped(e.as_int()));
      row.set(name, json::value(std::move(out)));
    }
  }
  return rows;
}

}  // namespace

result<json::array> read_records(client::client& odoo, const std::string& model, const json::array& ids,
                                 const json::value& specification, const json::value& context, std::size_t& calls) {
  const auto& version = odoo.info().version;
  if (version.known() && !version.has_web_read()) return read_by_parts(odoo, model, ids, specification, context, calls);
  ++calls;
  ODOOLINK_TRY(auto reply, odoo.execute_kw({model, "web_read", json::array{ids}, json::object{{"specification", specification}}, context}));
  return list_answer(reply, model, "web_read");
}

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
