// Payload <-> Odoo values. Payloads are validated first, so the converters
// below can rely on types; they still fail cleanly instead of asserting.
#include "odoolink/contract/mapping.hpp"

#include <algorithm>
#include <utility>
#include <charconv>
#include <cmath>

#include "formats.hpp"
#include "model.hpp"
#include "odoolink/contract/validate.hpp"
#include "odoolink/json/odoo.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace {

using detail::node;

error mapping_error(const std::string& path, const std::string& message) {
  return error(contract_errc::violation, (path.empty() ? std::string("(payload)") : path) + ": " + message);
}

// Where a value sits in the payload: a chain of stack frames, turned into a
// JSON pointer only when an error names it (no allocation per field).
struct where {
  const where* parent = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;

  [[nodiscard]] std::string str() const {
    if (parent == nullptr) return {};
    std::string out = parent->str();
    if (is_index) {
      out += "/" + std::to_string(index);
    } else {
      detail::append_pointer(out, key);
    }
    return out;
  }
};

std::string rest_of_path(const detail::mapping& m) {
  std::string out;
  for (std::size_t i = 1; i < m.path.size(); ++i) out += (i == 1 ? "" : ".") + m.path[i];
  return out;
}

std::int64_t as_integer(const json::value& v) { return v.is_int() ? v.as_int() : static_cast<std::int64_t>(v.as_double()); }

double as_number(const json::value& v) {
  if (v.is_number()) return v.as_double();
  double d = 0;
  const std::string& s = v.as_string();
  std::from_chars(s.data(), s.data() + s.size(), d);
  return d;
}

std::string odoo_datetime(const json::value& v) {
  std::chrono::sys_time<std::chrono::microseconds> t;
  if (!detail::parse_datetime(v.as_string(), t)) return v.as_string();
  return detail::format_odoo_datetime(t);
}

result<std::int64_t> resolve(const reference_resolver& resolver, const node& n, reference_by by, const json::value& v,
                             const where& at) {
  if (by == reference_by::id) return as_integer(v);
  if (!resolver)
    return mapping_error(at.str(), "a reference by " + std::string(by == reference_by::value ? "dotted path" : to_string(by)) +
                                   " to " + n.odoo.relation + " needs a reference_resolver for create/write (or use load)");
  const std::string rest = rest_of_path(n.odoo);
  return resolver(reference_query{n.odoo.relation, by, rest, &v});
}

// ---------------------------------------------------------------------------
// vals

// The field of the server's `model` that `f` maps onto: its fallback where
// the server lacks `field` but has the fallback (with no knowledge of the
// server, `field`).
const std::string& field_on_server(const field_presence& server_has, std::string_view model, const node& f) {
  const detail::mapping& m = f.odoo;
  if (m.fallback.empty() || !server_has || server_has(model, m.path.front()) || !server_has(model, m.fallback))
    return m.path.front();
  return m.fallback;
}

// True when `f` maps optionally onto a field the server's `model` lacks.
bool absent_on_server(const field_presence& server_has, std::string_view model, const node& f) {
  return f.odoo.optional && server_has && !server_has(model, field_on_server(server_has, model, f));
}

// The record holding one2many lines, for their fields' `default_from`.
struct line_holder {
  const node* obj = nullptr;
  const json::value* payload = nullptr;
};

// The value of `f` in `payload`: sent, else its default, else (a line's
// field) the holding record's `default_from` field, sent or defaulted.
const json::value* value_in(const node& f, const json::value& payload, const line_holder& holder) {
  if (const json::value* v = payload.find(f.name)) return v;
  if (f.default_value) return &*f.default_value;
  if (f.default_from.empty() || holder.obj == nullptr) return nullptr;
  for (const auto& h : holder.obj->fields)
    if (h.name == f.default_from) return value_in(h, *holder.payload, {});
  return nullptr;
}

class vals_builder {
 public:
  vals_builder(const vals_options& o, std::string_view model) : options_(o), model_(model) {}

  result<void> record(const node& obj, const json::value& payload, json::value& vals, const where& at,
                      const line_holder& holder = {}) {
    for (const auto& f : obj.fields) {
      const json::value* v = value_in(f, payload, holder);
      if (v == nullptr) continue;
      const where fpath{&at, f.name};
      if (f.flattened()) {
        if (v->is_object()) {
          ODOOLINK_TRYV(record(f, *v, vals, fpath));
        } else {
          clear(f, vals);
        }
        continue;
      }
      if (!f.odoo.writes() || f.odoo.is_external_id() || absent_on_server(options_.server_has, model_, f)) continue;
      ODOOLINK_TRY(auto out, field(f, *v, fpath, {&obj, &payload}));
      vals.set(field_on_server(options_.server_has, model_, f), std::move(out));
    }
    return success();
  }

 private:
  // A null flattened object clears each field it maps.
  void clear(const node& obj, json::value& vals) const {
    for (const auto& f : obj.fields) {
      if (f.flattened()) {
        clear(f, vals);
      } else if (f.odoo.writes() && !f.odoo.is_external_id() && !absent_on_server(options_.server_has, model_, f)) {
        vals.set(field_on_server(options_.server_has, model_, f), false);
      }
    }
  }

  result<json::value> field(const node& f, const json::value& v, const where& at, const line_holder& holder) {
    if (v.is_null()) return json::value(false);
    const reference_by by = f.by();
    if (f.odoo.dotted()) {
      ODOOLINK_TRY(const auto id, resolve(options_.resolve, f, reference_by::value, v, at));
      return json::value(id);
    }
    if (f.type == field_type::array) {
      const node& item = *f.items;
      json::array commands;
      if (item.type == field_type::object) {
        std::size_t i = 0;
        const std::string_view parent = std::exchange(model_, f.odoo.relation);
        for (const auto& e : v.as_array()) {
          json::value line = json::object{};
          auto done = record(item, e, line, where{&at, {}, i++, true}, holder);
          if (!done) {
            model_ = parent;
            return std::move(done).as_failure();
          }
          commands.push_back(json::array{0, 0, std::move(line)});
        }
        model_ = parent;
        return json::value(std::move(commands));
      }
      json::array ids;
      std::size_t i = 0;
      for (const auto& e : v.as_array()) {
        ODOOLINK_TRY(const auto id, resolve(options_.resolve, f, by, e, where{&at, {}, i++, true}));
        ids.emplace_back(id);
      }
      commands.push_back(json::array{6, 0, std::move(ids)});
      return json::value(std::move(commands));
    }
    if (by != reference_by::value) {
      ODOOLINK_TRY(const auto id, resolve(options_.resolve, f, by, v, at));
      return json::value(id);
    }
    return scalar(f, v);
  }

  static json::value scalar(const node& f, const json::value& v) {
    switch (f.type) {
      case field_type::integer: return as_integer(v);
      case field_type::number:
      case field_type::decimal: return as_number(v);
      case field_type::enumeration: return std::string(f.odoo.odoo_value(v.as_string()));
      case field_type::datetime: return odoo_datetime(v);
      default: return v;  // strings, booleans, dates, objects mapped as a whole
    }
  }

  const vals_options& options_;
  std::string_view model_;  // the model of the record being written
};

// ---------------------------------------------------------------------------
// load

struct cells {
  std::vector<std::pair<std::string, std::string>> values;  // column -> cell, in contract order
  void put(std::string column, std::string cell) { values.emplace_back(std::move(column), std::move(cell)); }
};

// One record's columns; one2many fields keep their lines apart.
struct record_cells {
  cells own;
  struct lines {
    std::string column;              // `order_line`
    std::size_t position = 0;        // where its columns go among `own`
    std::vector<std::string> order;  // line columns (union, contract order)
    std::vector<cells> rows;
  };
  std::vector<lines> children;
};

class load_builder {
 public:
  load_builder(const load_options& o, std::string_view model) : options_(o), model_(model) {}
  bool utc = false;

  result<void> record(const node& obj, const json::value& payload, record_cells& out, const where& at,
                      const std::string& external_id, bool nested, const line_holder& holder = {}) {
    for (const auto& f : obj.fields) {
      const json::value* v = value_in(f, payload, holder);
      if (v == nullptr) continue;
      const where fpath{&at, f.name};
      if (f.flattened()) {
        if (v->is_object()) {
          ODOOLINK_TRYV(record(f, *v, out, fpath, external_id, nested));
        } else {
          clear(f, out.own);
        }
        continue;
      }
      if (!f.odoo.writes() || f.odoo.is_external_id() || absent_on_server(options_.server_has, model_, f)) continue;
      if (f.type == field_type::array && f.items->type == field_type::object) {
        if (nested) return mapping_error(fpath.str(), "one2many lines inside one2many lines cannot be expressed in load rows");
        ODOOLINK_TRYV(lines(f, *v, out, fpath, external_id, {&obj, &payload}));
        continue;
      }
      ODOOLINK_TRY(auto cell, field(f, *v, fpath));
      out.own.put(std::move(cell.first), std::move(cell.second));
    }
    return success();
  }

 private:
  void clear(const node& obj, cells& out) const {
    for (const auto& f : obj.fields) {
      if (f.flattened()) {
        clear(f, out);
      } else if (f.odoo.writes() && !f.odoo.is_external_id() && f.type != field_type::array &&
                 !absent_on_server(options_.server_has, model_, f)) {
        out.put(column(f), "");
      }
    }
  }

  // The load column of `f` on this server (`model_`'s).
  std::string column(const node& f) const {
    const std::string& name = field_on_server(options_.server_has, model_, f);
    return name == f.odoo.path.front() ? f.odoo.load_column : f.odoo.column_of(name);
  }

  result<void> lines(const node& f, const json::value& v, record_cells& out, const where& at,
                     const std::string& parent_id, const line_holder& holder) {
    record_cells::lines group;
    group.column = field_on_server(options_.server_has, model_, f);
    group.position = out.own.values.size();
    group.order.push_back("id");
    const node& item = *f.items;
    const node* id_field = nullptr;
    for (const auto& sub : item.fields)
      if (sub.odoo.is_external_id()) id_field = &sub;
    std::size_t n = 0;
    for (const auto& line : v.as_array()) {
      ++n;
      const where lpath{&at, {}, n - 1, true};
      std::string line_id;
      if (id_field != nullptr) {
        if (const auto* x = line.find(id_field->name); x != nullptr && x->is_string()) line_id = x->as_string();
      }
      if (line_id.empty()) line_id = parent_id + "_" + f.odoo.field + "_" + std::to_string(n);
      record_cells sub;
      sub.own.put("id", line_id);
      const std::string_view parent = std::exchange(model_, f.odoo.relation);
      auto done = record(item, line, sub, lpath, line_id, true, holder);
      model_ = parent;
      ODOOLINK_TRYV(std::move(done));
      for (const auto& [col, cell] : sub.own.values)
        if (std::find(group.order.begin(), group.order.end(), col) == group.order.end()) group.order.push_back(col);
      group.rows.push_back(std::move(sub.own));
    }
    // Union of the lines' columns in contract order (first appearance wins).
    std::vector<std::string> ordered{"id"};
    const std::string_view parent = std::exchange(model_, f.odoo.relation);
    collect_columns(item, ordered);
    model_ = parent;
    std::vector<std::string> final_order;
    for (const auto& col : ordered)
      if (std::find(group.order.begin(), group.order.end(), col) != group.order.end() &&
          std::find(final_order.begin(), final_order.end(), col) == final_order.end())
        final_order.push_back(col);
    group.order = std::move(final_order);
    out.children.push_back(std::move(group));
    return success();
  }

  // Of `obj` on the relation being read (`model_`).
  void collect_columns(const node& obj, std::vector<std::string>& out) const {
    for (const auto& f : obj.fields) {
      if (f.flattened()) {
        collect_columns(f, out);
      } else if (f.odoo.writes() && !f.odoo.is_external_id()) {
        out.push_back(column(f));
      }
    }
  }

  result<std::pair<std::string, std::string>> field(const node& f, const json::value& v, const where& at) {
    const reference_by by = f.by();
    std::string col = column(f);
    if (v.is_null()) return std::make_pair(col, std::string());
    if (f.odoo.dotted()) {
      ODOOLINK_TRY(const auto id, resolve(options_.resolve, f, reference_by::value, v, at));
      return std::make_pair(col, std::to_string(id));
    }
    if (f.type == field_type::array) {
      std::string cell;
      for (const auto& e : v.as_array()) {
        std::string item = e.is_string() ? e.as_string() : std::to_string(as_integer(e));
        if (item.find(',') != std::string::npos)
          return mapping_error(at.str(), "\"" + item + "\" holds a comma, which separates values in a load cell");
        if (!cell.empty()) cell.push_back(',');
        cell += item;
      }
      return std::make_pair(col, std::move(cell));
    }
    if (by == reference_by::id) return std::make_pair(col, std::to_string(as_integer(v)));
    if (by != reference_by::value) return std::make_pair(col, v.as_string());
    return std::make_pair(col, scalar(f, v));
  }

  std::string scalar(const node& f, const json::value& v) {
    switch (f.type) {
      case field_type::integer: return std::to_string(as_integer(v));
      case field_type::number: return detail::shortest(v.as_double());
      case field_type::decimal: return v.is_string() ? v.as_string() : detail::shortest(v.as_double());
      case field_type::boolean: return v.as_bool() ? "true" : "false";
      case field_type::enumeration: return std::string(f.odoo.odoo_value(v.as_string()));
      case field_type::datetime:
        utc = true;
        return odoo_datetime(v);
      case field_type::object: return json::to_string(v);
      default: return v.as_string();  // strings, dates
    }
  }

  const load_options& options_;
  std::string_view model_;  // the model of the record being written
};

// Lays the record and its lines out as load rows: the record's own columns
// in order, each line group's columns at the position it was met.
load_rows layout(const record_cells& rec) {
  load_rows out;
  std::vector<std::size_t> own_at(rec.own.values.size());
  std::vector<std::vector<std::size_t>> group_at(rec.children.size());
  std::size_t g = 0;
  const auto place_groups_at = [&](std::size_t position) {
    for (; g < rec.children.size() && rec.children[g].position == position; ++g) {
      for (const auto& col : rec.children[g].order) {
        group_at[g].push_back(out.fields.size());
        out.fields.push_back(rec.children[g].column + "/" + col);
      }
    }
  };
  for (std::size_t i = 0; i < rec.own.values.size(); ++i) {
    place_groups_at(i);
    own_at[i] = out.fields.size();
    out.fields.push_back(rec.own.values[i].first);
  }
  place_groups_at(rec.own.values.size());

  std::size_t row_count = 1;
  for (const auto& grp : rec.children) row_count = std::max(row_count, grp.rows.size());
  out.rows.assign(row_count, std::vector<std::string>(out.fields.size()));
  for (std::size_t i = 0; i < rec.own.values.size(); ++i) out.rows[0][own_at[i]] = rec.own.values[i].second;
  for (std::size_t k = 0; k < rec.children.size(); ++k) {
    const auto& grp = rec.children[k];
    for (std::size_t r = 0; r < grp.rows.size(); ++r)
      for (const auto& [col, cell] : grp.rows[r].values) {
        const auto it = std::find(grp.order.begin(), grp.order.end(), col);
        out.rows[r][group_at[k][static_cast<std::size_t>(it - grp.order.begin())]] = cell;
      }
  }
  return out;
}

// ---------------------------------------------------------------------------
// from Odoo

class record_reader {
 public:
  explicit record_reader(const from_odoo_options& o) : options_(o) {}

  result<void> record(const node& obj, const json::value& rec, json::value& out, const where& at,
                      const std::string& model, const std::string* own_external_id) {
    for (const auto& f : obj.fields) {
      const where fpath{&at, f.name};
      if (f.flattened()) {
        json::value sub = json::object{};
        ODOOLINK_TRYV(record(f, rec, sub, fpath, model, own_external_id));
        if (!sub.as_object().empty()) out.set(f.name, std::move(sub));
        continue;
      }
      if (!f.odoo.reads()) continue;
      if (f.odoo.is_external_id()) {
        if (own_external_id != nullptr && !own_external_id->empty()) {
          out.set(f.name, *own_external_id);
        } else if (options_.external_id_of && !model.empty()) {
          if (const auto* id = rec.find("id"); id != nullptr && id->is_int()) {
            ODOOLINK_TRY(auto xmlid, options_.external_id_of(model, id->as_int()));
            if (!xmlid.empty()) out.set(f.name, std::move(xmlid));
          }
        }
        continue;
      }
      const json::value* v = lookup(f, rec);
      if (v == nullptr) continue;
      ODOOLINK_TRY(auto converted, value(f, *v, fpath));
      if (converted) out.set(f.name, std::move(*converted));
    }
    return success();
  }

 private:
  static const json::value* lookup(const node& f, const json::value& rec) {
    if (!f.odoo.dotted()) {
      const json::value* v = rec.find(f.odoo.field);
      return v != nullptr || f.odoo.fallback.empty() ? v : rec.find(f.odoo.fallback);  // read from another series
    }
    if (const auto* flat = rec.find(f.odoo.field)) return flat;
    const json::value* cur = &rec;
    for (const auto& hop : f.odoo.path) {
      cur = cur->find(hop);
      if (cur == nullptr) return nullptr;
      if (cur->is_bool() && !cur->as_bool()) return cur;  // empty relation
    }
    return cur;
  }

  // The id of a many2one value: `[id, name]`, `{"id": ...}` or a bare id.
  static std::optional<std::int64_t> record_id(const json::value& v) {
    if (v.is_int()) return v.as_int();
    if (v.is_array() && !v.as_array().empty() && v.as_array()[0].is_int()) return v.as_array()[0].as_int();
    if (const auto* id = v.find("id"); id != nullptr && id->is_int()) return id->as_int();
    return std::nullopt;
  }
  static std::optional<std::string> record_name(const json::value& v) {
    if (v.is_string()) return v.as_string();
    if (v.is_array() && v.as_array().size() == 2 && v.as_array()[1].is_string()) return v.as_array()[1].as_string();
    if (const auto* n = v.find("display_name"); n != nullptr && n->is_string()) return n->as_string();
    return std::nullopt;
  }

  result<std::optional<json::value>> reference(const node& f, reference_by by, const json::value& v, const where& at) {
    if (by == reference_by::name) {
      auto name = record_name(v);
      if (!name) return mapping_error(at.str(), "expected a many2one with a display name, found " + json::detail::describe_found(v));
      return std::optional<json::value>(std::move(*name));
    }
    const auto id = record_id(v);
    if (!id) return mapping_error(at.str(), "expected a record reference, found " + json::detail::describe_found(v));
    if (by == reference_by::id) return std::optional<json::value>(*id);
    if (!options_.external_id_of)
      return mapping_error(at.str(), "reading a reference by external id needs from_odoo_options::external_id_of");
    ODOOLINK_TRY(auto xmlid, options_.external_id_of(f.odoo.relation, *id));
    return std::optional<json::value>(std::move(xmlid));
  }

  result<std::optional<json::value>> value(const node& f, const json::value& v, const where& at) {
    using opt = std::optional<json::value>;
    if (v.is_bool() && !v.as_bool() && f.type != field_type::boolean) return f.nullable ? opt(nullptr) : opt();
    if (v.is_null()) return f.nullable ? opt(nullptr) : opt();
    const reference_by by = f.by();
    if (f.type == field_type::array) {
      if (!v.is_array()) return mapping_error(at.str(), "expected a list, found " + json::detail::describe_found(v));
      json::array out;
      std::size_t i = 0;
      for (const auto& e : v.as_array()) {
        const where ipath{&at, {}, i++, true};
        if (f.items->type == field_type::object) {
          if (!e.is_object())
            return mapping_error(ipath.str(), "one2many lines must be records (read them with web_read and a nested specification), found " +
                                            json::detail::describe_found(e));
          json::value line = json::object{};
          ODOOLINK_TRYV(record(*f.items, e, line, ipath, f.odoo.relation, nullptr));
          out.push_back(std::move(line));
        } else {
          ODOOLINK_TRY(auto r, reference(f, by, e, ipath));
          if (r) out.push_back(std::move(*r));
        }
      }
      return opt(json::value(std::move(out)));
    }
    if (by != reference_by::value && !f.odoo.dotted()) return reference(f, by, v, at);
    switch (f.type) {
      case field_type::integer:
        if (v.is_number()) return opt(json::value(as_integer(v)));
        break;
      case field_type::number:
      case field_type::decimal:
        if (v.is_number()) return opt(json::value(v.as_double()));
        break;
      case field_type::boolean:
        if (v.is_bool()) return opt(v);
        break;
      case field_type::enumeration:
        if (v.is_string()) {
          const auto cv = f.odoo.contract_value(v.as_string(), f.values);
          if (!cv) return mapping_error(at.str(), "the Odoo value \"" + v.as_string() + "\" has no value in the contract's enum");
          return opt(json::value(std::string(*cv)));
        }
        break;
      case field_type::datetime:
        if (v.is_string()) {
          std::string iso = v.as_string();
          if (iso.size() >= 19 && iso[10] == ' ') iso[10] = 'T';
          std::chrono::sys_time<std::chrono::microseconds> t;
          if (!detail::parse_datetime(iso + "Z", t)) return mapping_error(at.str(), "expected an Odoo datetime, found " + json::detail::describe_found(v));
          return opt(json::value(detail::format_rfc3339(t)));
        }
        break;
      case field_type::object: return opt(v);
      default:
        if (v.is_string()) return opt(v);
        // A dotted path may end on a many2one: keep its name.
        if (auto name = record_name(v)) return opt(json::value(std::move(*name)));
        break;
    }
    return mapping_error(at.str(), "expected " + std::string(to_string(f.type)) + " data, found " + json::detail::describe_found(v));
  }

  const from_odoo_options& options_;
};

result<void> require_model(const contract& c) {
  if (c.odoo_model().empty())
    return error(contract_errc::unknown_subject, std::string(c.subject()) + " " + std::string(c.version()) + " maps to no Odoo model");
  return success();
}

result<void> require_valid(const contract& c, const json::value& payload) {
  const auto violations = validate(c, payload);
  if (!violations.empty()) return violation_error(c, violations);
  return success();
}

}  // namespace

result<json::value> to_odoo_vals(const contract& c, const json::value& payload, const vals_options& options) {
  ODOOLINK_TRYV(require_model(c));
  ODOOLINK_TRYV(require_valid(c, payload));
  json::value vals = json::object{};
  vals_builder b(options, c.odoo_model());
  ODOOLINK_TRYV(b.record(c.internals().root, payload, vals, where{}));
  return vals;
}

result<load_rows> to_load_row(const contract& c, const json::value& payload, std::string_view external_id,
                              const load_options& options) {
  ODOOLINK_TRYV(require_model(c));
  ODOOLINK_TRYV(require_valid(c, payload));
  std::string xmlid(external_id);
  if (xmlid.empty()) {
    for (const auto& f : c.internals().root.fields)
      if (f.odoo.is_external_id())
        if (const auto* v = payload.find(f.name); v != nullptr && v->is_string()) xmlid = v->as_string();
  }
  if (xmlid.empty()) return mapping_error("", "no external id: pass one or map a field to \"id\"");
  if (!detail::is_external_id(xmlid)) return mapping_error("", "\"" + xmlid + "\" is not an external id (module.name)");
  record_cells rec;
  rec.own.put("id", xmlid);
  load_builder b(options, c.odoo_model());
  ODOOLINK_TRYV(b.record(c.internals().root, payload, rec, where{}, xmlid, false));
  load_rows out = layout(rec);
  out.utc_datetimes = b.utc;
  return out;
}

result<void> load_rows::append(const load_rows& other) {
  if (fields.empty() && rows.empty()) {
    *this = other;
    return success();
  }
  if (other.fields != fields)
    return error(contract_errc::violation, "load rows with different columns cannot share a load call");
  rows.insert(rows.end(), other.rows.begin(), other.rows.end());
  utc_datetimes = utc_datetimes || other.utc_datetimes;
  return success();
}

json::value load_rows::fields_json() const {
  json::array out;
  for (const auto& f : fields) out.emplace_back(f);
  return out;
}

json::value load_rows::rows_json() const {
  json::array out;
  for (const auto& r : rows) {
    json::array row;
    for (const auto& cell : r) row.emplace_back(cell);
    out.emplace_back(std::move(row));
  }
  return out;
}

result<protocol::call> to_load_call(const contract& c, const load_rows& rows) {
  ODOOLINK_TRYV(require_model(c));
  protocol::call call;
  call.model = std::string(c.odoo_model());
  call.method = "load";
  call.args = json::array{rows.fields_json(), rows.rows_json()};
  if (rows.utc_datetimes) call.context = json::object{{"tz", "UTC"}};
  return call;
}

result<json::value> from_odoo_record(const contract& c, const json::value& record, const from_odoo_options& options) {
  if (!record.is_object()) return error(contract_errc::violation, "an Odoo record is a JSON object");
  json::value out = json::object{};
  record_reader r(options);
  ODOOLINK_TRYV(r.record(c.internals().root, record, out, where{}, std::string(c.odoo_model()), &options.external_id));
  if (options.validate) ODOOLINK_TRYV(require_valid(c, out));
  return out;
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
