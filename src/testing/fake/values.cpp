// Values as stored by the fake and as `read` formats them; defaults,
// display names and the write-side coercions of each field type.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "odoolink/json/writer.hpp"
#include "testing/fake/orm.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

bool magic(std::string_view f) {
  return f == "id" || f == "display_name" || f == "create_date" || f == "write_date" || f == "create_uid" ||
         f == "write_uid" || f == "__last_update";
}

// Settings models whose first record is a fine default for a required link.
bool settings_model(std::string_view m) {
  for (std::string_view s : {"res.company", "res.currency", "uom.uom", "uom.category", "product.category",
                             "account.journal", "stock.location", "stock.picking.type", "stock.warehouse",
                             "pos.session", "pos.config", "res.country", "res.lang", "crm.stage", "crm.team"})
    if (s == m) return true;
  return false;
}

std::string_view sequence_prefix(std::string_view model) {
  if (model == "sale.order") return "S";
  if (model == "purchase.order") return "P";
  if (model == "pos.order") return "Order ";
  if (model == "stock.picking") return "WH/";
  return {};
}

bool is_date_text(std::string_view s, bool with_time) {
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  if (s.size() < 10 || !digits(0, 4) || s[4] != '-' || !digits(5, 2) || s[7] != '-' || !digits(8, 2)) return false;
  if (!with_time) return s.size() == 10;
  return s.size() == 10 || (s.size() >= 19 && s[10] == ' ' && digits(11, 2) && s[13] == ':' && digits(14, 2) &&
                            s[16] == ':' && digits(17, 2));
}

}  // namespace

std::string database::now_text(bool micro) const {
  const auto now = options_.clock ? options_.clock->wall_now() : std::chrono::system_clock::now();
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out(buf);
  if (micro) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us % 1'000'000));
    out += buf;
  }
  return out;
}

const row* database::find_row(std::string_view model, std::int64_t id) const {
  auto t = tables_.find(model);
  if (t == tables_.end()) return nullptr;
  auto r = t->second.rows.find(id);
  return r == t->second.rows.end() ? nullptr : &r->second;
}

std::optional<std::string> database::inverse_of(const model_def& m, const field_def& f) const {
  if (f.type != "one2many" || !knows(f.relation)) return std::nullopt;
  const model_def& co = get(f.relation).def;
  std::vector<std::string> back;
  for (const auto& [name, g] : co.fields)
    if (g.type == "many2one" && g.relation == m.name && name != "create_uid" && name != "write_uid") back.push_back(name);
  if (back.size() == 1) return back[0];
  const std::string last = m.name.substr(m.name.rfind('.') + 1) + "_id";
  for (const std::string& guess : {last, std::string("order_id"), std::string("move_id"), std::string("parent_id"),
                                   std::string("picking_id")})
    for (const auto& b : back)
      if (b == guess) return b;
  return std::nullopt;
}

std::vector<std::int64_t> database::x2many_ids(std::string_view model, std::int64_t id, const field_def& f) const {
  std::vector<std::int64_t> out;
  if (auto inv = inverse_of(get(model).def, f)) {
    for (const auto& [cid, r] : get(f.relation).rows) {
      auto v = r.find(*inv);
      if (v != r.end() && v->second.is_int() && v->second.as_int() == id) out.push_back(cid);
    }
    return out;
  }
  const row* r = find_row(model, id);
  if (r == nullptr) return out;
  auto v = r->find(f.name);
  if (v != r->end() && v->second.is_array())
    for (const auto& e : v->second.as_array())
      if (e.is_int() && find_row(f.relation, e.as_int()) != nullptr) out.push_back(e.as_int());
  return out;
}

json::value database::field_value(std::string_view model, std::int64_t id, const field_def& f) const {
  if (f.name == "id") return id;
  if (f.name == "display_name") return display_name(model, id);
  if (f.is_x2many()) {
    json::array ids;
    for (auto i : x2many_ids(model, id, f)) ids.push_back(i);
    return ids;
  }
  const row* r = find_row(model, id);
  if (r == nullptr) return false;
  auto v = r->find(f.name);
  if (v == r->end()) {
    if (f.type == "integer" || f.type == "many2one_reference") return 0;
    if (f.type == "float" || f.type == "monetary") return 0.0;
    return false;
  }
  if (f.type == "many2one" && v->second.is_int() && find_row(f.relation, v->second.as_int()) == nullptr) return false;
  return v->second;
}

std::string database::display_name(std::string_view model, std::int64_t id) const {
  const row* r = find_row(model, id);
  if (r == nullptr) return {};
  auto text = [&](std::string_view f) {
    auto v = r->find(f);
    return v != r->end() && v->second.is_string() ? v->second.as_string() : std::string();
  };
  const std::string name = text("name");
  if (model == "res.partner") {
    auto p = r->find("parent_id");
    if (p != r->end() && p->second.is_int() && find_row(model, p->second.as_int()) != nullptr) {
      const std::string parent = display_name(model, p->second.as_int());
      return name.empty() ? parent : parent + ", " + name;
    }
  }
  if (model == "product.product" && !text("default_code").empty()) {
    std::string shown(1, '[');
    shown.append(text("default_code")).append("] ").append(name);
    return shown;
  }
  if (model == "ir.model.data") return text("module") + "." + name;
  if (!name.empty() || get(model).def.has("name")) return name;
  return get(model).def.label + "," + std::to_string(id);
}

json::value database::format(std::string_view model, std::int64_t id, const field_def& f) const {
  json::value v = field_value(model, id, f);
  if (f.type == "many2one") {
    if (!v.is_int()) return false;
    return json::array{v, display_name(f.relation, v.as_int())};
  }
  if ((f.type == "float" || f.type == "monetary") && v.is_int()) return static_cast<double>(v.as_int());
  if (f.type == "datetime" && v.is_string() && v.as_string().size() > 19) return v.as_string().substr(0, 19);
  if (f.type == "boolean" && !v.is_bool()) return false;
  return v;
}

std::optional<json::value> database::read_one(std::string_view model, std::int64_t id,
                                              const std::vector<std::string>* fields) const {
  if (find_row(model, id) == nullptr) return std::nullopt;
  const model_def& m = get(model).def;
  json::value out = json::object{};
  out.set("id", id);
  if (fields != nullptr && !fields->empty()) {
    for (const auto& f : *fields)
      if (f != "id")
        if (const field_def* d = m.field(f)) out.set(f, format(model, id, *d));
  } else {
    for (const auto& [name, d] : m.fields)
      if (name != "id") out.set(name, format(model, id, d));
  }
  return out;
}

// Coerces one written value to what the field stores, as Odoo's convert_to_cache does.
static json::value coerce(const database& db, const field_def& f, const json::value& v) {
  const std::string& t = f.type;
  if (v.is_null() || (v.is_bool() && !v.as_bool() && t != "boolean")) {
    if (t == "integer") return 0;
    if (t == "float" || t == "monetary") return 0.0;
    return false;
  }
  if (t == "boolean") return v.is_bool() ? v.as_bool() : !(v.is_int() && v.as_int() == 0) && !(v.is_string() && v.as_string().empty());
  if (t == "integer") {
    if (v.is_int()) return v;
    if (v.is_double()) return static_cast<std::int64_t>(v.as_double());
    if (v.is_bool()) return v.as_bool() ? 1 : 0;
    if (v.is_string()) {
      try {
        return static_cast<std::int64_t>(std::stoll(v.as_string()));
      } catch (const std::exception&) {
      }
    }
    raise("builtins.ValueError", "invalid literal for int() with base 10: " + (v.is_string() ? "'" + v.as_string() + "'" : std::string("value")));
  }
  if (t == "float" || t == "monetary") {
    if (v.is_number()) return v.as_double();
    if (v.is_string()) {
      try {
        return std::stod(v.as_string());
      } catch (const std::exception&) {
      }
    }
    raise("builtins.ValueError", "could not convert string to float: " + (v.is_string() ? "'" + v.as_string() + "'" : std::string("value")));
  }
  if (t == "date" || t == "datetime") {
    if (!v.is_string() || !is_date_text(v.as_string(), t == "datetime"))
      raise("builtins.ValueError", "'" + (v.is_string() ? v.as_string() : std::string("value")) +
                                       "' does not match format '%Y-%m-%d" + (t == "datetime" ? " %H:%M:%S'" : "'"));
    if (t == "datetime" && v.as_string().size() == 10) return v.as_string() + " 00:00:00";
    return v;
  }
  if (t == "many2one") {
    json::value id = v.is_array() && !v.as_array().empty() ? v.as_array()[0] : v;
    // A string id is stored as NULL by the real server: reproduced on purpose.
    if (!id.is_int()) return false;
    if (db.find_row(f.relation, id.as_int()) == nullptr)
      raise("psycopg2.errors.ForeignKeyViolation",
            "insert or update on table violates foreign key constraint: Key (" + f.name + ")=(" +
                std::to_string(id.as_int()) + ") is not present in table \"" + f.relation + "\".");
    return id;
  }
  if (t == "selection") {
    if (!v.is_string()) raise("builtins.ValueError", "Wrong value for " + f.name);
    bool ok = f.selection.empty();
    for (const auto& [value, label] : f.selection) ok = ok || value == v.as_string();
    if (!ok) raise("builtins.ValueError", "Wrong value for " + f.name + ": '" + v.as_string() + "'");
    return v;
  }
  if (t == "char" || t == "text" || t == "html") {
    if (v.is_string()) return v;
    if (v.is_number() || v.is_bool()) return json::to_string(v);
    raise("builtins.ValueError", "Wrong value for " + f.name);
  }
  return v;  // binary, json, properties, reference ...: as given
}

void database::apply_vals(std::string_view model, std::int64_t id, const json::value& vals, std::int64_t uid,
                          bool creating) {
  if (!vals.is_object()) raise("builtins.TypeError", "vals must be a dict, not " + json::to_string(vals).substr(0, 40));
  table& t = get(model);
  const bool v19 = options_.major_version >= 19;
  std::vector<std::pair<const field_def*, const json::value*>> later;  // x2many after the row exists
  for (const auto& [name, v] : vals.as_object()) {
    const field_def* f = t.def.field(name);
    if (f == nullptr)
      raise("builtins.ValueError", "Invalid field '" + name + (v19 ? "' on '" : "' on model '") + std::string(model) + "'");
    if (magic(name)) continue;
    if (f->is_x2many()) {
      later.emplace_back(f, &v);
      continue;
    }
    json::value stored = coerce(*this, *f, v);
    remember(model, id);
    t.rows[id][name] = std::move(stored);
  }
  (void)creating;
  for (const auto& [f, v] : later) apply_x2many(model, id, *f, *v, uid);
}

void database::apply_x2many(std::string_view model, std::int64_t id, const field_def& f, const json::value& value,
                            std::int64_t uid) {
  if (value.is_bool() && !value.as_bool()) return;
  if (!value.is_array()) raise("builtins.ValueError", "Wrong value for " + f.name + ": expected a list of commands");
  const std::optional<std::string> inv = inverse_of(get(model).def, f);
  std::vector<std::int64_t> current = x2many_ids(model, id, f);
  auto set_links = [&](const std::vector<std::int64_t>& ids) {
    if (inv) {
      const field_def* back = get(f.relation).def.field(*inv);
      for (auto old : current)
        if (std::find(ids.begin(), ids.end(), old) == ids.end()) {
          if (back != nullptr && back->required) unlink_ids(f.relation, {old}, uid);
          else write_ids(f.relation, {old}, json::object{{*inv, false}}, uid);
        }
      for (auto n : ids)
        if (std::find(current.begin(), current.end(), n) == current.end())
          write_ids(f.relation, {n}, json::object{{*inv, id}}, uid);
    } else {
      json::array stored;
      for (auto n : ids) {
        if (find_row(f.relation, n) == nullptr)
          raise("odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: " + f.relation + "(" +
                                                   std::to_string(n) + ",), User: " + std::to_string(uid) + ")");
        stored.push_back(n);
      }
      remember(model, id);
      get(model).rows[id][f.name] = std::move(stored);
    }
    current = ids;
  };
  const auto& list = value.as_array();
  if (!list.empty() && std::all_of(list.begin(), list.end(), [](const json::value& e) { return e.is_int(); })) {
    std::vector<std::int64_t> ids;
    for (const auto& e : list) ids.push_back(e.as_int());
    set_links(ids);
    return;
  }
  for (const auto& cmd_value : list) {
    if (!cmd_value.is_array() || cmd_value.as_array().empty() || !cmd_value.as_array()[0].is_int())
      raise("builtins.ValueError", "Wrong value for " + f.name + ": bad x2many command");
    const auto& cmd = cmd_value.as_array();
    const auto code = cmd[0].as_int();
    auto arg_id = [&]() -> std::int64_t {
      if (cmd.size() < 2 || !cmd[1].is_int()) raise("builtins.ValueError", "Wrong value for " + f.name + ": command needs an id");
      return cmd[1].as_int();
    };
    std::vector<std::int64_t> ids = current;
    switch (code) {
      case 0: {
        json::value vals = cmd.size() > 2 ? cmd[2] : json::value(json::object{});
        if (inv) vals.set(*inv, id);
        const std::int64_t child = create_one(f.relation, vals, uid);
        if (!inv) {
          ids.push_back(child);
          set_links(ids);
        } else {
          current.push_back(child);
        }
        break;
      }
      case 1: write_ids(f.relation, {arg_id()}, cmd.size() > 2 ? cmd[2] : json::value(json::object{}), uid); break;
      case 2: {
        const auto victim = arg_id();
        unlink_ids(f.relation, {victim}, uid);
        current.erase(std::remove(current.begin(), current.end(), victim), current.end());
        if (!inv) set_links(current);
        break;
      }
      case 3: ids.erase(std::remove(ids.begin(), ids.end(), arg_id()), ids.end()); set_links(ids); break;
      case 4: {
        const auto add = arg_id();
        if (std::find(ids.begin(), ids.end(), add) == ids.end()) ids.push_back(add);
        set_links(ids);
        break;
      }
      case 5: set_links({}); break;
      case 6: {
        std::vector<std::int64_t> set;
        if (cmd.size() > 2 && cmd[2].is_array())
          for (const auto& e : cmd[2].as_array())
            if (e.is_int()) set.push_back(e.as_int());
        set_links(set);
        break;
      }
      default: raise("builtins.ValueError", "Wrong value for " + f.name + ": unknown command " + std::to_string(code));
    }
  }
}

void database::fill_defaults(std::string_view model, row& r, std::int64_t uid) {
  const model_def& m = get(model).def;
  auto first_record = [&](const std::string& comodel) -> json::value {
    if (comodel == "res.users") return uid;
    if (!knows(comodel) || get(comodel).rows.empty()) return false;
    return get(comodel).rows.begin()->first;
  };
  for (const auto& [name, f] : m.fields) {
    if (magic(name) || f.is_x2many() || r.count(name)) continue;
    const std::string& t = f.type;
    if (t == "boolean") r[name] = name == "active";
    else if (t == "integer") r[name] = 0;
    else if (t == "float" || t == "monetary") r[name] = 0.0;
    else if (t == "selection" && (f.required || name == "state" || name == "type") && !f.selection.empty())
      r[name] = f.selection.front().first;
    else if (t == "date" && f.required) r[name] = now_text(false).substr(0, 10);
    else if (t == "datetime" && f.required) r[name] = now_text(false);
    else if (t == "many2one" && (name == "company_id" || (f.required && settings_model(f.relation)))) {
      json::value v = f.relation == "res.company" && company_ ? json::value(*company_) : first_record(f.relation);
      if (v.is_int()) r[name] = v;
    } else if (t == "many2one" && f.required && (name == "partner_invoice_id" || name == "partner_shipping_id")) {
      auto p = r.find("partner_id");
      if (p != r.end()) r[name] = p->second;
    } else if (name == "name" && f.required && !sequence_prefix(model).empty()) {
      char buf[24];
      std::snprintf(buf, sizeof buf, "%05lld", static_cast<long long>(get(model).next_id - 1));
      r[name] = std::string(sequence_prefix(model)) + buf;
    } else if (name == "name" && t == "text" && f.required) {
      auto p = r.find("product_id");
      r[name] = p != r.end() && p->second.is_int() ? display_name("product.product", p->second.as_int()) : std::string("/");
    }
  }
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
