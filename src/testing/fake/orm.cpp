// The fake server's ORM: dispatch, access rules, CRUD and rollback.

#include "testing/fake/orm.hpp"

#include "testing/fake/api_keys.hpp"
#include "testing/fake/attachments.hpp"

#include <algorithm>
#include <set>

#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {

void raise(std::string cls, std::string message, int status) { throw odoo_raise{std::move(cls), std::move(message), status}; }

namespace {

model_def ir_model_data() {
  model_def m = stub_model("ir.model.data");
  m.stub = false;
  m.label = "Model Data";
  auto add = [&](const char* name, const char* type) {
    field_def f;
    f.name = name;
    f.type = type;
    f.label = name;
    m.fields[name] = f;
  };
  add("module", "char");
  add("model", "char");
  add("res_id", "many2one_reference");
  add("complete_name", "char");
  add("noupdate", "boolean");
  m.fields.erase("code");
  m.fields.erase("active");
  m.fields.erase("sequence");
  return m;
}

std::vector<std::int64_t> id_list(const json::value& v) {
  std::vector<std::int64_t> out;
  if (v.is_int()) out.push_back(v.as_int());
  else if (v.is_array())
    for (const auto& e : v.as_array()) {
      if (!e.is_int()) raise("builtins.TypeError", "ids must be integers");
      out.push_back(e.as_int());
    }
  else if (!v.is_null() && !(v.is_bool() && !v.as_bool()))
    raise("builtins.TypeError", "ids must be a list of integers");
  return out;
}

const json::value* param(const fake_call& c, std::string_view name) {
  const json::value* v = c.params.find(name);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

std::vector<std::string> string_list(const json::value* v) {
  std::vector<std::string> out;
  if (v == nullptr || (v->is_bool() && !v->as_bool())) return out;
  if (v->is_string()) return {v->as_string()};
  if (!v->is_array()) raise("builtins.TypeError", "expected a list of field names");
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) raise("builtins.TypeError", "expected a list of field names");
    out.push_back(e.as_string());
  }
  return out;
}

// Underscore methods, and the public-looking ORM internals Odoo refuses too.
bool is_private(std::string_view m) {
  if (!m.empty() && m[0] == '_') return true;
  for (std::string_view p : {"check_access", "check_access_rights", "check_access_rule", "sudo", "with_user",
                             "with_context", "with_env", "with_company", "browse", "ensure_one", "invalidate_recordset",
                             "flush_model", "flush_recordset", "init"})
    if (m == p) return true;
  return false;
}

std::string records_text(std::string_view model, const std::vector<std::int64_t>& ids) {
  std::string s = std::string(model) + "(";
  for (auto id : ids) s += std::to_string(id) + ",";
  return s + ")";
}

}  // namespace

database::database(const fake_options& options) : options_(options) {
  add_model(ir_model_data());
  add_model(ir_attachment());
  for (auto& m : api_key_models(options.major_version)) add_model(std::move(m));
}

void database::add_model(model_def m) {
  auto it = tables_.find(m.name);
  if (it != tables_.end()) {
    it->second.def = std::move(m);
    return;
  }
  std::string name = m.name;
  tables_.emplace(std::move(name), table{std::move(m), {}, 1});
}

const table& database::get(std::string_view model) const {
  auto it = tables_.find(model);
  if (it == tables_.end()) raise("odoo.exceptions.UserError", "Object " + std::string(model) + " doesn't exist");
  return it->second;
}
table& database::get(std::string_view model) { return const_cast<table&>(static_cast<const database&>(*this).get(model)); }

std::vector<std::string> database::model_names() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : tables_) out.push_back(name);
  return out;
}

void database::complete_relations() {
  std::set<std::string> missing;
  for (const auto& [name, t] : tables_)
    for (const auto& [f, def] : t.def.fields)
      if (def.is_relational() && !tables_.count(def.relation)) missing.insert(def.relation);
  for (const auto& m : missing) add_model(stub_model(m));
}

const fake_user* database::user(std::int64_t uid) const {
  for (const auto& u : options_.users)
    if (u.uid == uid) return &u;
  return nullptr;
}
const fake_user* database::user_by_login(std::string_view login) const {
  for (const auto& u : options_.users)
    if (u.login == login) return &u;
  return nullptr;
}
const fake_user* database::user_by_secret(std::string_view login, std::string_view secret) const {
  const fake_user* u = user_by_login(login);
  if (u == nullptr || secret.empty()) return nullptr;
  return u->password == secret || u->api_key == secret || user_of_generated_key(*this, secret) == u ? u : nullptr;
}
const fake_user* database::user_by_api_key(std::string_view key) const {
  for (const auto& u : options_.users)
    if (!u.api_key.empty() && u.api_key == key) return &u;
  return user_of_generated_key(*this, key);
}

// --- atomicity ------------------------------------------------------------------

void database::remember(std::string_view model, std::int64_t id) {
  if (!in_call_) return;
  for (const auto& u : undo_)
    if (u.id == id && u.model == model) return;
  const row* r = find_row(model, id);
  undo_.push_back({std::string(model), id, r != nullptr ? std::optional<row>(*r) : std::nullopt});
}

void database::rollback() {
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
    auto& rows = tables_.at(it->model).rows;
    if (it->before) rows[it->id] = *it->before;
    else rows.erase(it->id);
  }
  undo_.clear();
}

// Odoo checks `allowed_company_ids` before anything runs and makes the
// first one the call's current company (`env.company`).
void database::enter_companies(const fake_call& call) {
  company_.reset();
  const json::value* ctx = call.params.find("context");
  const json::value* ids = ctx != nullptr && ctx->is_object() ? ctx->find("allowed_company_ids") : nullptr;
  if (ids == nullptr || !ids->is_array() || ids->as_array().empty()) return;
  for (const auto& id : ids->as_array())
    if (!id.is_int() || find_row("res.company", id.as_int()) == nullptr)
      raise("odoo.exceptions.AccessError", "Access to unauthorized or invalid companies.");
  company_ = ids->as_array().front().as_int();
}

json::value database::run(const fake_call& call) {
  json::value out;
  // A call made from a hook has its own companies; the outer call's come back.
  struct leave {
    std::optional<std::int64_t>& company;
    std::optional<std::int64_t> outer;
    ~leave() { company = outer; }
  } left{company_, company_};
  try {
    enter_companies(call);
    transaction([&] { out = dispatch(call); });
  } catch (const odoo_raise&) {
    throw;
  } catch (const std::exception&) {
    // Arguments of the wrong JSON type end here, as a Python TypeError would.
    raise("builtins.TypeError", "bad argument types for " + call.model + "." + call.method + "()");
  }
  return out;
}

// --- access -----------------------------------------------------------------------

void database::check_model_access(std::string_view model, std::string_view method, std::int64_t uid) const {
  const fake_user* u = user(uid);
  if (u == nullptr)
    raise("odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: res.users(" +
                                              std::to_string(uid) + ",), User: " + std::to_string(uid) + ")");
  const std::string label = get(model).def.label;
  const std::string m(model);
  if (u->denied_models.count(m))
    raise("odoo.exceptions.AccessError", "You are not allowed to access '" + label + "' (" + m +
                                             ") records.\n\nThis operation is allowed for the following groups:\n\t- "
                                             "Administration/Settings\n\nContact your administrator to request access if necessary.");
  const bool writes = method == "create" || method == "write" || method == "unlink" || method == "load" ||
                      method == "name_create" || method == "copy";
  if (writes && u->read_only_models.count(m)) {
    const std::string op = method == "unlink" ? "delete" : (method == "write" ? "modify" : "create");
    raise("odoo.exceptions.AccessError", "You are not allowed to " + op + " '" + label + "' (" + m +
                                             ") records.\n\nThis operation is allowed for the following groups:\n\t- "
                                             "Administration/Settings\n\nContact your administrator to request access if necessary.");
  }
}

void database::check_record_rules(std::string_view model, const std::vector<std::int64_t>& ids, std::string_view op,
                                  std::int64_t uid) const {
  const fake_user* u = user(uid);
  if (u == nullptr) return;
  auto rule = u->record_rules.find(std::string(model));
  if (rule == u->record_rules.end()) return;
  for (auto id : ids)
    if (find_row(model, id) != nullptr && !matches(*this, model, id, rule->second))
      raise("odoo.exceptions.AccessError",
            "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, " + u->name + " (id=" +
                std::to_string(uid) + ") doesn't have '" + std::string(op) + "' access to:\n- " + get(model).def.label +
                ", " + display_name(model, id) + " (" + std::string(model) + ": " + std::to_string(id) +
                ")\n\nIf you really, really need access, perhaps you can win over your friendly administrator with a "
                "batch of freshly baked cookies.");
}

void database::check_exist(std::string_view model, const std::vector<std::int64_t>& ids, std::int64_t uid) const {
  std::vector<std::int64_t> missing;
  for (auto id : ids)
    if (find_row(model, id) == nullptr) missing.push_back(id);
  if (!missing.empty())
    raise("odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: " +
                                              records_text(model, missing) + ", User: " + std::to_string(uid) + ")");
}

// --- CRUD -------------------------------------------------------------------------

std::vector<std::int64_t> database::search(std::string_view model, const json::value& domain, std::int64_t offset,
                                           std::optional<std::int64_t> limit, std::string_view order,
                                           std::int64_t uid, bool active_test) {
  check_domain(*this, model, domain);
  const table& t = get(model);
  const field_def* active = t.def.field("active");
  bool mentions_active = false;
  if (domain.is_array())
    for (const auto& term : domain.as_array())
      if (term.is_array() && !term.as_array().empty() && term.as_array()[0] == json::value("active")) mentions_active = true;
  const fake_user* u = user(uid);
  const json::value* rule = nullptr;
  if (u != nullptr)
    if (auto it = u->record_rules.find(std::string(model)); it != u->record_rules.end()) rule = &it->second;
  std::vector<std::int64_t> ids;
  for (const auto& [id, r] : t.rows) {
    if (active_test && active != nullptr && active->type == "boolean" && !mentions_active) {
      auto a = r.find("active");
      if (a != r.end() && a->second.is_bool() && !a->second.as_bool()) continue;
    }
    if (rule != nullptr && !matches(*this, model, id, *rule)) continue;
    if (matches(*this, model, id, domain)) ids.push_back(id);
  }
  // order: "field [asc|desc], ..." (default: id)
  std::vector<std::pair<std::string, bool>> keys;
  std::string spec(order);
  std::size_t pos = 0;
  while (pos < spec.size()) {
    std::size_t comma = spec.find(',', pos);
    std::string part = spec.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? spec.size() : comma + 1;
    std::string name, dir;
    std::size_t i = 0;
    while (i < part.size() && part[i] == ' ') ++i;
    while (i < part.size() && part[i] != ' ') name += part[i++];
    while (i < part.size() && part[i] == ' ') ++i;
    while (i < part.size() && part[i] != ' ') dir += static_cast<char>(std::tolower(static_cast<unsigned char>(part[i++])));
    if (name.empty()) continue;
    if (!t.def.has(name)) raise("builtins.ValueError", "Invalid field '" + name + "' on model '" + std::string(model) + "'");
    keys.emplace_back(name, dir == "desc");
  }
  if (!keys.empty()) {
    auto key_of = [&](std::int64_t id, const std::string& f) {
      json::value v = field_value(model, id, *t.def.field(f));
      const field_def* d = t.def.field(f);
      if (d->type == "many2one" && v.is_int()) return json::value(display_name(d->relation, v.as_int()));
      return v;
    };
    std::stable_sort(ids.begin(), ids.end(), [&](std::int64_t a, std::int64_t b) {
      for (const auto& [f, desc] : keys) {
        const json::value x = key_of(a, f), y = key_of(b, f);
        bool lt = false, gt = false;
        if (x.is_number() && y.is_number()) lt = x.as_double() < y.as_double(), gt = x.as_double() > y.as_double();
        else if (x.is_string() && y.is_string()) lt = x.as_string() < y.as_string(), gt = x.as_string() > y.as_string();
        else if (x.is_string() != y.is_string()) lt = !x.is_string(), gt = x.is_string();  // NULLs first
        if (lt || gt) return desc ? gt : lt;
      }
      return a < b;
    });
  }
  if (offset > 0) ids.erase(ids.begin(), ids.begin() + std::min<std::size_t>(ids.size(), static_cast<std::size_t>(offset)));
  if (limit && *limit >= 0 && ids.size() > static_cast<std::size_t>(*limit)) ids.resize(static_cast<std::size_t>(*limit));
  return ids;
}

void database::check_constraints(std::string_view model, std::int64_t id) const {
  const row* r = find_row(model, id);
  if (r == nullptr) return;
  const model_def& m = get(model).def;
  if (model == "res.partner") {
    auto type = r->find("type");
    auto name = r->find("name");
    const bool contact = type == r->end() || type->second == json::value("contact") || type->second == json::value(false);
    const bool named = name != r->end() && name->second.is_string() && !name->second.as_string().empty();
    if (contact && !named) raise("odoo.exceptions.ValidationError", "The operation cannot be completed: Contacts require a name");
  }
  if (model == "res.currency") {
    const json::value name = field_value(model, id, *m.field("name"));
    for (const auto& [other, r] : get(model).rows)
      if (other != id && field_value(model, other, *m.field("name")) == name)
        raise("odoo.exceptions.ValidationError", "The operation cannot be completed: The currency code must be unique!");
  }
  if (const field_def* parent = m.field("parent_id"); parent != nullptr && parent->relation == model) {
    std::set<std::int64_t> seen{id};
    json::value up = field_value(model, id, *parent);
    while (up.is_int()) {
      if (!seen.insert(up.as_int()).second)
        raise("odoo.exceptions.ValidationError", "You cannot create recursive " +
                                                     std::string(model == "res.partner" ? "Partner" : m.label) + " hierarchies.");
      up = field_value(model, up.as_int(), *parent);
    }
  }
  for (const auto& [name, f] : m.fields) {
    if (!f.required || f.is_x2many() || f.readonly || f.type == "boolean") continue;
    // Company-dependent properties (`property_account_payable_id` ...; ir.property
    // up to Odoo 17) are required in fields_get but filled by Odoo's defaults.
    if (name.rfind("property_", 0) == 0) continue;
    // A required reference to a model the fake holds no record of (Odoo 16's
    // sale.order.pricelist_id) is computed by Odoo from other fields.
    if (f.type == "many2one" && (!knows(f.relation) || get(f.relation).rows.empty())) continue;
    const json::value v = field_value(model, id, f);
    if (v.is_bool() && !v.as_bool())
      raise("odoo.exceptions.ValidationError",
            "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model "
            "requires the record being deleted. If possible, archive it instead.\n\nModel: " + m.label + " (" +
                std::string(model) + ")\nField: " + (f.label.empty() ? name : f.label) + " (" + name + ")\n");
  }
}

std::int64_t database::create_one(std::string_view model, const json::value& vals, std::int64_t uid,
                                  std::optional<std::int64_t> forced_id) {
  if (!vals.is_object()) raise("builtins.TypeError", "create() takes a dict or a list of dicts");
  table& t = get(model);
  const std::int64_t id = forced_id.value_or(t.next_id);
  if (find_row(model, id) != nullptr)
    raise("psycopg2.errors.UniqueViolation", "duplicate key value violates unique constraint \"" + std::string(model) + "_pkey\"");
  t.next_id = std::max(t.next_id, id + 1);
  remember(model, id);
  row& r = t.rows[id];
  const std::string now = now_text(true);
  r["create_date"] = now;
  r["write_date"] = now;
  r["create_uid"] = uid;
  r["write_uid"] = uid;
  // Scalars first so defaults can depend on them; links to the new row after.
  json::value scalars = json::object{};
  json::value links = json::object{};
  for (const auto& [k, v] : vals.as_object()) {
    const field_def* f = t.def.field(k);
    (f != nullptr && f->is_x2many() ? links : scalars).set(k, v);
  }
  apply_vals(model, id, scalars, uid, true);
  if (model == "product.product" && !t.rows[id].count("product_tmpl_id") && knows("product.template")) {
    json::value tmpl = json::object{};
    if (auto n = t.rows[id].find("name"); n != t.rows[id].end()) tmpl.set("name", n->second);
    t.rows[id]["product_tmpl_id"] = create_one("product.template", tmpl, uid);
  }
  fill_defaults(model, t.rows[id], uid);
  apply_vals(model, id, links, uid, true);
  check_constraints(model, id);
  return id;
}

void database::write_ids(std::string_view model, const std::vector<std::int64_t>& ids, const json::value& vals,
                         std::int64_t uid) {
  check_exist(model, ids, uid);
  check_record_rules(model, ids, "write", uid);
  const std::string now = now_text(true);
  for (auto id : ids) {
    apply_vals(model, id, vals, uid, false);
    remember(model, id);
    row& r = get(model).rows[id];
    r["write_date"] = now;
    r["write_uid"] = uid;
  }
  for (auto id : ids) check_constraints(model, id);
}

void database::unlink_ids(std::string_view model, const std::vector<std::int64_t>& ids, std::int64_t uid) {
  check_exist(model, ids, uid);
  check_record_rules(model, ids, "unlink", uid);
  table& t = get(model);
  for (auto id : ids) {
    if (model == "sale.order") {
      auto st = t.rows[id].find("state");
      if (st != t.rows[id].end() && (st->second == json::value("sale") || st->second == json::value("sent")))
        raise("odoo.exceptions.UserError", "You can not delete a sent quotation or a confirmed sales order. You must first cancel it.");
    }
    // Lines whose link to this record is required go with it (ondelete cascade).
    for (const auto& [name, f] : t.def.fields)
      if (f.type == "one2many")
        if (auto inv = inverse_of(t.def, f)) {
          const field_def* back = get(f.relation).def.field(*inv);
          auto children = x2many_ids(model, id, f);
          if (back != nullptr && back->required && !children.empty()) unlink_ids(f.relation, children, uid);
        }
    remember(model, id);
    t.rows.erase(id);
  }
}

std::int64_t database::insert(std::string_view model, const json::value& vals, std::optional<std::int64_t> id) {
  const std::int64_t uid = options_.users.empty() ? 1 : options_.users.front().uid;
  std::int64_t out = 0;
  transaction([&] { out = create_one(model, vals, uid, id); });
  return out;
}

void database::transaction(const std::function<void()>& body) {
  if (in_call_) return body();  // nested: the outer call's undo log covers it
  in_call_ = true;
  undo_.clear();
  try {
    body();
  } catch (...) {
    rollback();
    in_call_ = false;
    throw;
  }
  in_call_ = false;
  undo_.clear();
}

void database::set_xml_id(std::string_view full, std::string_view model, std::int64_t id) {
  const std::size_t dot = full.find('.');
  const std::string module = dot == std::string_view::npos ? "__import__" : std::string(full.substr(0, dot));
  const std::string name(dot == std::string_view::npos ? full : full.substr(dot + 1));
  table& t = get("ir.model.data");
  for (auto& [rid, r] : t.rows)
    if (r["module"] == json::value(module) && r["name"] == json::value(name)) {
      remember("ir.model.data", rid);
      r["model"] = std::string(model);
      r["res_id"] = id;
      return;
    }
  const std::int64_t rid = t.next_id++;
  remember("ir.model.data", rid);
  t.rows[rid] = row{{"module", module}, {"name", name}, {"model", std::string(model)}, {"res_id", id},
                    {"complete_name", module + "." + name}, {"noupdate", false}};
}

std::optional<std::pair<std::string, std::int64_t>> database::find_xml_id(std::string_view full) const {
  const std::size_t dot = full.find('.');
  const std::string module = dot == std::string_view::npos ? "__import__" : std::string(full.substr(0, dot));
  const std::string name(dot == std::string_view::npos ? full : full.substr(dot + 1));
  for (const auto& [rid, r] : get("ir.model.data").rows) {
    auto m = r.find("module");
    auto n = r.find("name");
    if (m != r.end() && n != r.end() && m->second == json::value(module) && n->second == json::value(name)) {
      const std::string model = r.at("model").as_string();
      const std::int64_t id = r.at("res_id").as_int();
      if (find_row(model, id) == nullptr) return std::nullopt;  // dangling: the record was deleted
      return std::make_pair(model, id);
    }
  }
  return std::nullopt;
}

// --- dispatch ---------------------------------------------------------------------

json::value database::dispatch(const fake_call& call) {
  if (!knows(call.model)) raise("odoo.exceptions.UserError", "Object " + call.model + " doesn't exist");
  if (is_private(call.method))
    raise("odoo.exceptions.AccessError", options_.major_version >= 19
                                             ? "Private methods (such as '" + call.model + "." + call.method + "') cannot be called remotely."
                                             : "Private methods (such as " + call.method + ") cannot be called remotely.");
  check_model_access(call.model, call.method, call.uid);
  for (const auto& h : hooks_)
    if ((h.model == "*" || h.model == call.model) && (h.method == "*" || h.method == call.method)) {
      auto out = h.hook(call, *owner_);
      if (!out) continue;
      if (out->raise) raise(out->raise->odoo_class, out->raise->message);
      return out->result.value_or(json::value(nullptr));
    }
  return builtin(call);
}

json::value database::web_read(std::string_view model, const std::vector<std::int64_t>& ids, const json::value& spec) const {
  json::array out;
  const model_def& m = get(model).def;
  for (auto id : ids) {
    if (find_row(model, id) == nullptr) continue;
    json::value rec = json::object{{"id", id}};
    if (spec.is_object())
      for (const auto& [name, sub] : spec.as_object()) {
        const field_def* f = m.field(name);
        if (f == nullptr) raise("builtins.ValueError", "Invalid field '" + name + "' on model '" + std::string(model) + "'");
        const json::value* subfields = sub.find("fields");
        if (f->is_relational() && subfields != nullptr) {
          std::vector<std::int64_t> targets;
          json::value v = field_value(model, id, *f);
          if (v.is_int()) targets.push_back(v.as_int());
          if (v.is_array())
            for (const auto& e : v.as_array()) targets.push_back(e.as_int());
          json::value nested = web_read(f->relation, targets, *subfields);
          if (f->type == "many2one") rec.set(name, nested.as_array().empty() ? json::value(false) : nested.as_array()[0]);
          else rec.set(name, std::move(nested));
        } else if (f->type == "many2one") {
          json::value v = field_value(model, id, *f);
          rec.set(name, v.is_int() ? v : json::value(false));
        } else {
          rec.set(name, format(model, id, *f));
        }
      }
    out.push_back(std::move(rec));
  }
  return out;
}

json::value database::builtin(const fake_call& c) {
  const std::string& mth = c.method;
  const std::string& model = c.model;
  const model_def& def = get(model).def;
  const bool v19 = options_.major_version >= 19;
  auto fields_param = [&](const char* key) {
    std::vector<std::string> fs = string_list(param(c, key));
    for (const auto& f : fs)
      if (!def.has(f))
        raise("builtins.ValueError", "Invalid field '" + f + (v19 ? "' on '" : "' on model '") + model + "'");
    return fs;
  };
  auto int_param = [&](const char* key, std::int64_t fallback) {
    const json::value* v = param(c, key);
    if (v == nullptr || (v->is_bool() && !v->as_bool())) return fallback;
    if (!v->is_int()) raise("builtins.TypeError", std::string(key) + " must be an integer");
    return v->as_int();
  };
  auto limit_param = [&]() -> std::optional<std::int64_t> {
    const std::int64_t l = int_param("limit", -1);
    return l < 0 ? std::nullopt : std::optional<std::int64_t>(l);
  };
  auto order_param = [&]() {
    const json::value* v = param(c, "order");
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
  };
  const json::value no_domain = json::array{};
  auto domain_param = [&]() -> const json::value& {
    const json::value* d = param(c, "domain");
    return d != nullptr ? *d : no_domain;
  };
  bool active_test = true;
  bool bin_size = false;
  if (const json::value* ctx = param(c, "context")) {
    if (const json::value* at = ctx->find("active_test"); at != nullptr && at->is_bool()) active_test = at->as_bool();
    if (const json::value* bs = ctx->find("bin_size"); bs != nullptr && bs->is_bool()) bin_size = bs->as_bool();
  }
  const std::vector<std::int64_t> ids = id_list(c.ids);
  auto read_ids = [&](const std::vector<std::int64_t>& which, const std::vector<std::string>& fields) {
    check_record_rules(model, which, "read", c.uid);
    json::array out;
    for (auto id : which)
      if (auto r = read_one(model, id, &fields)) out.push_back(std::move(*r));
    finish_binary_read(*this, model, out, bin_size);
    return out;
  };

  if (mth == "search")
    return [&] {
      json::array out;
      for (auto id : search(model, domain_param(), int_param("offset", 0), limit_param(), order_param(), c.uid, active_test))
        out.push_back(id);
      return out;
    }();
  if (mth == "search_count")
    return static_cast<std::int64_t>(search(model, domain_param(), 0, limit_param(), {}, c.uid, active_test).size());
  if (mth == "search_read") {
    const auto fields = fields_param("fields");
    return read_ids(search(model, domain_param(), int_param("offset", 0), limit_param(), order_param(), c.uid, active_test), fields);
  }
  if (mth == "read") return read_ids(ids, fields_param("fields"));
  if (mth == "create") {
    const json::value* vl = param(c, "vals_list");
    if (vl == nullptr) raise("builtins.TypeError", "BaseModel.create() missing 1 required positional argument: 'vals_list'");
    if (vl->is_object()) return create_one(model, *vl, c.uid);
    if (!vl->is_array()) raise("builtins.TypeError", "create() takes a dict or a list of dicts");
    json::array out;
    for (const auto& vals : vl->as_array()) out.push_back(create_one(model, vals, c.uid));
    return out;
  }
  if (mth == "write") {
    const json::value* vals = param(c, "vals");
    if (vals == nullptr) raise("builtins.TypeError", "BaseModel.write() missing 1 required positional argument: 'vals'");
    write_ids(model, ids, *vals, c.uid);
    return true;
  }
  if (mth == "unlink") {
    unlink_ids(model, ids, c.uid);
    return true;
  }
  if (mth == "copy") {
    check_exist(model, ids, c.uid);
    json::array out;
    for (auto id : ids) {
      json::value vals = json::object{};
      for (const auto& [name, f] : def.fields)
        if (name != "id" && name != "display_name" && name.find("_date") == std::string::npos && name.find("_uid") == std::string::npos &&
            f.type != "one2many" && !f.readonly) {
          json::value v = field_value(model, id, f);
          if (!(v.is_bool() && !v.as_bool() && f.type != "boolean")) vals.set(name, v);
        }
      if (const json::value* d = param(c, "default"); d != nullptr && d->is_object())
        for (const auto& [k, v] : d->as_object()) vals.set(k, v);
      if (const json::value* n = vals.find("name"); n != nullptr && n->is_string() && def.field("name")->type != "text" &&
                                                     param(c, "default") == nullptr)
        vals.set("name", n->as_string() + " (copy)");
      out.push_back(create_one(model, vals, c.uid));
    }
    return out.size() == 1 && !v19 ? out[0] : json::value(out);
  }
  if (mth == "name_search" || mth == "name_create") {
    if (mth == "name_create") {
      const json::value* n = param(c, "name");
      if (n == nullptr || !n->is_string()) raise("builtins.TypeError", "name_create() needs a name");
      const std::int64_t id = create_one(model, json::object{{"name", *n}}, c.uid);
      return json::array{id, display_name(model, id)};
    }
    const json::value* n = param(c, "name");
    const std::string name = n != nullptr && n->is_string() ? n->as_string() : std::string();
    const json::value* op = param(c, "operator");
    const std::string oper = op != nullptr && op->is_string() ? op->as_string() : "ilike";
    const std::int64_t limit = int_param("limit", 100);
    json::array out;
    for (auto id : search(model, domain_param(), 0, std::nullopt, {}, c.uid, active_test)) {
      const std::string dn = display_name(model, id);
      json::value probe = json::array{json::array{"display_name", oper, name}};
      if (!name.empty()) {
        json::object fake_row;
        // Evaluate the operator on the display name as a plain string field.
        std::string lhs = dn, rhs = name;
        if (oper == "ilike" || oper == "=ilike" || oper == "not ilike") {
          for (auto& ch : lhs) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          for (auto& ch : rhs) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        const bool contains = lhs.find(rhs) != std::string::npos;
        const bool hit = oper == "=" || oper == "=ilike" || oper == "=like" ? lhs == rhs
                         : oper.rfind("not ", 0) == 0 ? !contains : contains;
        if (!hit) continue;
      }
      out.push_back(json::array{id, dn});
      if (static_cast<std::int64_t>(out.size()) >= limit) break;
    }
    return out;
  }
  if (mth == "fields_get") {
    std::vector<std::string> wanted = string_list(param(c, "allfields"));
    const std::vector<std::string> attributes = string_list(param(c, "attributes"));
    json::value out = json::object{};
    for (const auto& [name, f] : def.fields)
      if (wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end()) out.set(name, f.describe(attributes));
    return out;
  }
  if (mth == "default_get") {
    const auto fields = fields_param("fields");
    row probe;
    fill_defaults(model, probe, c.uid);
    json::value out = json::object{};
    for (const auto& f : fields) {
      auto it = probe.find(f);
      const field_def* d = def.field(f);
      if (it == probe.end() || d == nullptr) continue;
      if ((d->type == "boolean" && !it->second.as_bool() && f != "active") || d->type == "integer" || d->type == "float" ||
          d->type == "monetary")
        continue;  // zero values are not defaults the server reports
      out.set(f, it->second);
    }
    return out;
  }
  if (mth == "load") {
    const json::value* fields = param(c, "fields");
    const json::value* data = param(c, "data");
    if (fields == nullptr || data == nullptr) raise("builtins.TypeError", "BaseModel.load() missing required arguments: 'fields' and 'data'");
    return load(model, *fields, *data, c.uid);
  }
  if (mth == "read_group" || mth == "formatted_read_group") return read_group(c);
  if (mth == "web_read" && options_.major_version >= 17) {
    check_record_rules(model, ids, "read", c.uid);
    const json::value* spec = param(c, "specification");
    return web_read(model, ids, spec != nullptr ? *spec : json::value(json::object{}));
  }
  if (mth == "context_get" && model == "res.users")
    return json::object{{"lang", "en_US"}, {"tz", "Europe/Brussels"}, {"uid", c.uid}};
  if ((mth == "action_confirm" || mth == "button_confirm") && def.has("state")) {
    check_exist(model, ids, c.uid);
    const std::string target = model == "purchase.order" ? "purchase" : "sale";
    for (auto id : ids) {
      const json::value st = field_value(model, id, *def.field("state"));
      if (!(st == json::value("draft") || st == json::value("sent")))
        raise("odoo.exceptions.UserError", "Some orders are not in a state requiring confirmation.");
    }
    write_ids(model, ids, json::object{{"state", target}}, c.uid);
    return true;
  }
  if ((mth == "action_cancel" || mth == "button_cancel" || mth == "action_draft") && def.has("state")) {
    check_exist(model, ids, c.uid);
    write_ids(model, ids, json::object{{"state", mth == "action_draft" ? "draft" : "cancel"}}, c.uid);
    return true;
  }
  if ((mth == "action_lock" || mth == "action_unlock") && def.has("locked")) {
    check_exist(model, ids, c.uid);
    write_ids(model, ids, json::object{{"locked", mth == "action_lock"}}, c.uid);
    return nullptr;
  }
  if (mth == "action_archive" || mth == "action_unarchive") {
    check_exist(model, ids, c.uid);
    if (def.has("active")) write_ids(model, ids, json::object{{"active", mth == "action_unarchive"}}, c.uid);
    return true;
  }
  if (mth == "has_access") {
    const json::value* op = param(c, "operation");
    if (op == nullptr || !op->is_string()) raise("builtins.TypeError", "has_access() needs an operation");
    const std::string& o = op->as_string();
    if (o != "read" && o != "write" && o != "create" && o != "unlink") raise("builtins.ValueError", "Invalid access mode");
    const fake_user* u = user(c.uid);
    return u != nullptr && !u->denied_models.count(model) && (o == "read" || !u->read_only_models.count(model));
  }
  if (auto done = api_key_method(*this, c)) return std::move(*done);
  if (mth == "exists") {
    json::array out;
    for (auto id : ids)
      if (find_row(model, id) != nullptr) out.push_back(id);
    return out;
  }
  raise("builtins.AttributeError", "The method '" + mth + "' does not exist on the model '" + model + "'");
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
