// `load`: Odoo's import. Upsert by external id, `field/id` references,
// one2many lines on continuation rows, and a refused batch leaves nothing.

#include <cstdlib>
#include <functional>
#include <map>
#include <tuple>

#include "testing/fake/orm.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

using path = std::vector<std::string>;

path split(const std::string& s) {
  path out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t slash = s.find('/', pos);
    out.push_back(s.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
    if (slash == std::string::npos) return out;
    pos = slash + 1;
  }
}

std::string cell_text(const json::value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_bool()) return v.as_bool() ? "1" : "";
  if (v.is_null()) return "";
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_double()) return std::to_string(v.as_double());
  return "";
}

std::string qualified(const std::string& xid) { return xid.find('.') == std::string::npos ? "__import__." + xid : xid; }

// The action the web client offers next to a failed reference.
json::value possible_values(const std::string& model) {
  return json::object{{"name", "Possible Values"}, {"type", "ir.actions.act_window"}, {"target", "new"},
                      {"view_mode", "list,form"},
                      {"views", json::array{json::array{false, "list"}, json::array{false, "form"}}},
                      {"context", json::object{{"create", false}}}, {"help", "See all possible values"},
                      {"res_model", model}};
}

struct load_failure {
  std::string field;
  std::string message;
  json::value moreinfo;
};

}  // namespace

json::value database::load(std::string_view model, const json::value& fields_json, const json::value& data, std::int64_t uid) {
  if (!fields_json.is_array() || !data.is_array()) raise("builtins.TypeError", "load() takes a list of fields and a list of rows");
  std::vector<path> cols;
  for (const auto& f : fields_json.as_array()) {
    if (!f.is_string()) raise("builtins.TypeError", "field names must be strings");
    cols.push_back(split(f.as_string()));
  }
  const model_def& def = get(model).def;
  // As the real servers: 18 and 19 name the column, 17 and earlier fail on
  // a dictionary lookup (KeyError with the bare field name).
  for (const auto& p : cols)
    if (p[0] != "id" && p[0] != ".id" && !def.has(p[0])) {
      if (options_.major_version >= 18) raise("builtins.ValueError", "Invalid field name '" + p[0] + "'");
      raise("builtins.KeyError", p[0]);
    }

  auto is_o2m = [&](const path& p) {
    const field_def* f = def.field(p[0]);
    return f != nullptr && f->type == "one2many" && p.size() > 1;
  };
  const auto& rows = data.as_array();
  json::array ids;
  json::array messages;
  const std::size_t mark = undo_.size();

  // Converts one text cell for field f (of comodel m); throws load_failure.
  auto convert = [&](const model_def& m, const field_def& f, const std::string& text, bool by_xid) -> json::value {
    if (text.empty()) return f.is_x2many() ? json::value(json::array{json::array{6, 0, json::array{}}}) : json::value(false);
    const std::string label = f.label.empty() ? f.name : f.label;
    if (by_xid) {
      json::array found;
      std::size_t pos = 0;
      while (pos <= text.size()) {
        const std::size_t comma = f.type == "many2many" ? text.find(',', pos) : std::string::npos;
        const std::string x = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        auto hit = find_xml_id(qualified(x));
        if (!hit || hit->first != f.relation) {
          json::value more = possible_values("ir.model.data");
          more.set("domain", json::array{json::array{"model", "=", f.relation}});
          throw load_failure{f.name, "No matching record found for external id '" + x + "' in field '" + label + "'", more};
        }
        found.emplace_back(hit->second);
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      if (f.type == "many2one") return found[0];
      return json::array{json::array{6, 0, found}};
    }
    const std::string& t = f.type;
    if (t == "integer") {
      char* end = nullptr;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (end == nullptr || *end != '\0') throw load_failure{f.name, "'" + text + "' does not seem to be an integer for field '" + label + "'", nullptr};
      return static_cast<std::int64_t>(v);
    }
    if (t == "float" || t == "monetary") {
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (end == nullptr || *end != '\0') throw load_failure{f.name, "'" + text + "' does not seem to be a number for field '" + label + "'", nullptr};
      return v;
    }
    if (t == "boolean") {
      for (const char* yes : {"1", "true", "True", "TRUE", "yes", "Yes"})
        if (text == yes) return true;
      for (const char* no : {"0", "false", "False", "FALSE", "no", "No"})
        if (text == no) return false;
      throw load_failure{f.name, "Unknown value '" + text + "' for boolean field '" + label + "'", nullptr};
    }
    if (t == "selection") {
      for (const auto& [v, l] : f.selection)
        if (text == v || text == l) return v;
      throw load_failure{f.name, "Value '" + text + "' not found in selection field '" + label + "'", nullptr};
    }
    if (t == "many2one" || t == "many2many") {
      json::array found;
      std::size_t pos = 0;
      while (pos <= text.size()) {
        const std::size_t comma = t == "many2many" ? text.find(',', pos) : std::string::npos;
        const std::string name = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        std::int64_t hit = 0;
        for (const auto& [id, r] : get(f.relation).rows)
          if (display_name(f.relation, id) == name) {
            hit = id;
            break;
          }
        if (hit == 0)
          throw load_failure{f.name, "No matching record found for name '" + name + "' in field '" + label + "'",
                             possible_values(f.relation)};
        found.push_back(hit);
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      if (t == "many2one") return found[0];
      return json::array{json::array{6, 0, found}};
    }
    (void)m;
    return text;  // char, text, html, date, datetime (checked when written)
  };

  // Builds vals (and the external id) of one record of `m` from rows [from, to] and columns `cs` (paths relative to m).
  struct record_vals {
    json::value vals = json::object{};
    std::string xid;
    std::int64_t db_id = 0;
    std::vector<std::tuple<const field_def*, std::vector<record_vals>>> lines;
  };
  std::function<record_vals(const model_def&, const std::vector<std::pair<std::size_t, path>>&, std::size_t, std::size_t)> build;
  build = [&](const model_def& m, const std::vector<std::pair<std::size_t, path>>& cs, std::size_t from, std::size_t to) {
    record_vals out;
    const json::array& first = rows[from].as_array();
    std::map<std::string, std::vector<std::pair<std::size_t, path>>> subs;
    for (const auto& [col, p] : cs) {
      const std::string text = col < first.size() ? cell_text(first[col]) : std::string();
      if (p.size() == 1 && p[0] == "id") {
        out.xid = text;
        continue;
      }
      if (p.size() == 1 && p[0] == ".id") {
        out.db_id = text.empty() ? 0 : std::atoll(text.c_str());
        continue;
      }
      const field_def* f = m.field(p[0]);
      if (f == nullptr) throw load_failure{p[0], "Unknown field '" + p[0] + "'", nullptr};
      if (f->type == "one2many" && p.size() > 1) {
        subs[p[0]].emplace_back(col, path(p.begin() + 1, p.end()));
        continue;
      }
      if (p.size() == 2 && p[1] == ".id") {
        if (!text.empty()) out.vals.set(p[0], static_cast<std::int64_t>(std::atoll(text.c_str())));
        continue;
      }
      const bool by_xid = p.size() == 2 && p[1] == "id";
      json::value v = convert(m, *f, text, by_xid);
      if (!(text.empty() && f->is_x2many())) out.vals.set(p[0], std::move(v));
    }
    for (const auto& [name, sub_cols] : subs) {
      const field_def* f = m.field(name);
      const model_def& co = get(f->relation).def;
      std::vector<record_vals> lines;
      for (std::size_t r = from; r <= to; ++r) {
        bool any = false;
        for (const auto& [col, p] : sub_cols)
          any = any || (col < rows[r].as_array().size() && !cell_text(rows[r].as_array()[col]).empty());
        if (any) lines.push_back(build(co, sub_cols, r, r));
      }
      out.lines.emplace_back(f, std::move(lines));
    }
    return out;
  };

  // A row continues the previous record when its own (non-one2many) cells are all empty.
  std::vector<std::pair<std::size_t, path>> all;
  for (std::size_t i = 0; i < cols.size(); ++i) all.emplace_back(i, cols[i]);
  std::size_t record_index = 0;
  for (std::size_t r = 0; r < rows.size();) {
    if (!rows[r].is_array()) raise("builtins.TypeError", "each row of load() data must be a list");
    std::size_t end = r;
    while (end + 1 < rows.size() && rows[end + 1].is_array()) {
      bool own = false;
      for (std::size_t c = 0; c < cols.size(); ++c)
        if (!is_o2m(cols[c]) && c < rows[end + 1].as_array().size() && !cell_text(rows[end + 1].as_array()[c]).empty()) own = true;
      if (own) break;
      ++end;
    }
    auto message = [&](const std::string& field, const std::string& text, const json::value& more) {
      json::value m = json::object{{"rows", json::object{{"from", static_cast<std::int64_t>(r)}, {"to", static_cast<std::int64_t>(end)}}},
                                   {"type", "error"}, {"record", static_cast<std::int64_t>(record_index)}};
      if (!field.empty()) m.set("field", field);
      m.set("message", text);
      if (!more.is_null()) m.set("moreinfo", more);
      if (const field_def* f = def.field(field)) m.set("field_name", f->label);
      messages.push_back(std::move(m));
    };
    try {
      record_vals rv = build(def, all, r, end);
      std::int64_t id = rv.db_id;
      if (!rv.xid.empty())
        if (auto hit = find_xml_id(qualified(rv.xid)); hit && hit->first == model) id = hit->second;
      if (id > 0) write_ids(model, {id}, rv.vals, uid);
      else id = create_one(model, rv.vals, uid);
      if (!rv.xid.empty()) set_xml_id(qualified(rv.xid), model, id);
      for (auto& [f, lines] : rv.lines) {
        const std::optional<std::string> inv = inverse_of(def, *f);
        for (auto& line : lines) {
          std::int64_t lid = 0;
          if (!line.xid.empty())
            if (auto hit = find_xml_id(qualified(line.xid)); hit && hit->first == f->relation) lid = hit->second;
          if (inv) line.vals.set(*inv, id);
          if (lid > 0) {
            write_ids(f->relation, {lid}, line.vals, uid);
          } else if (inv) {
            lid = create_one(f->relation, line.vals, uid);
          } else {
            write_ids(model, {id}, json::object{{f->name, json::array{json::array{0, 0, line.vals}}}}, uid);
          }
          if (!line.xid.empty() && lid > 0) set_xml_id(qualified(line.xid), f->relation, lid);
        }
      }
      ids.push_back(id);
    } catch (const load_failure& e) {
      message(e.field, e.message, e.moreinfo);
    } catch (const odoo_raise& e) {
      message({}, e.message, nullptr);
    }
    ++record_index;
    r = end + 1;
  }
  if (!messages.empty()) {
    // Odoo imports in a savepoint: one bad record and nothing is kept.
    while (undo_.size() > mark) {
      auto& u = undo_.back();
      auto& rs = tables_.at(u.model).rows;
      if (u.before) rs[u.id] = *u.before;
      else rs.erase(u.id);
      undo_.pop_back();
    }
    return json::object{{"ids", false}, {"messages", std::move(messages)}, {"nextrow", 0}};
  }
  return json::object{{"ids", std::move(ids)}, {"messages", json::array{}}, {"nextrow", 0}};
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
