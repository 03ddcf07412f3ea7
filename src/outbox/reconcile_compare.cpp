// Reconciliation's walk over a contract's normalized document: the read
// specification, the related records, and the comparison of payloads.
#include "reconcile_compare.hpp"

#include <charconv>
#include <cmath>

#include "../contract/formats.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace outbox::detail {
namespace {

const json::value& empty_object() {
  static const json::value empty = json::object{};
  return empty;
}

std::string_view text(const json::value* v) { return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view(); }
std::string_view type_of(const json::value& spec) { return text(spec.find("type")); }
const json::value& fields_of(const json::value& spec) {
  const json::value* f = spec.find("fields");
  return f != nullptr && f->is_object() ? *f : empty_object();
}
const json::value& items_of(const json::value& spec) {
  const json::value* i = spec.find("items");
  return i != nullptr ? *i : empty_object();
}
bool flattened(const json::value& spec) { return type_of(spec) == "object" && spec.find("odoo") == nullptr; }
bool is_lines(const json::value& spec) { return type_of(spec) == "array" && type_of(items_of(spec)) == "object"; }
std::string_view odoo_field(const json::value& spec) { return text(spec.find("odoo") != nullptr ? spec.find("odoo")->find("field") : nullptr); }
std::string_view relation_of(const json::value& spec) { return text(spec.find("odoo") != nullptr ? spec.find("odoo")->find("relation") : nullptr); }
std::string_view by_of(const json::value& spec) {
  const std::string_view by = text(spec.find("odoo") != nullptr ? spec.find("odoo")->find("by") : nullptr);
  if (!by.empty()) return by;
  return type_of(spec) == "reference" ? "external_id" : "value";
}
std::string_view fallback_of(const json::value& spec) {
  return text(spec.find("odoo") != nullptr ? spec.find("odoo")->find("fallback") : nullptr);
}
// The Odoo field (or dotted path) a mapping reads on this server: its
// fallback where the server lacks the field but has that (as delivery wrote).
std::string_view field_on_server(const json::value& spec, std::string_view model, const contract::field_presence& server_has) {
  const std::string_view field = odoo_field(spec);
  const std::string_view fallback = fallback_of(spec);
  if (fallback.empty() || !server_has || server_has(model, field) || !server_has(model, fallback)) return field;
  return fallback;
}
// A mapping marked `optional` whose field this server lacks (a contract
// serving several Odoo series): neither read nor compared.
bool absent_on_server(const json::value& spec, std::string_view model, const contract::field_presence& server_has) {
  const json::value* m = spec.find("odoo");
  const json::value* optional = m != nullptr ? m->find("optional") : nullptr;
  if (optional == nullptr || !optional->is_bool() || !optional->as_bool() || !server_has) return false;
  const std::string_view field = field_on_server(spec, model, server_has);
  return !server_has(model, field.substr(0, field.find('.')));
}
bool is_pii(const json::value& spec) {
  const json::value* p = spec.find("pii");
  return p != nullptr && p->is_bool() && p->as_bool();
}
// Mapped both ways and not the external id itself: what was written and can be read back.
bool compared(const json::value& spec) {
  const json::value* m = spec.find("odoo");
  if (m == nullptr || text(m->find("field")) == "id" || text(m->find("field")).empty()) return false;
  const std::string_view direction = text(m->find("direction"));
  return direction.empty() || direction == "both";
}
const json::value* member(const json::value* obj, std::string_view key) {
  return obj != nullptr && obj->is_object() ? obj->find(key) : nullptr;
}

std::vector<std::string> split_path(std::string_view field) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = field.find('.', start);
    out.emplace_back(field.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// Adds `sub` under `key` of `spec`, merging nested `fields` with what is there.
void merge(json::value& spec, const std::string& key, json::value sub) {
  json::value* have = spec.find(key);
  if (have == nullptr) {
    spec.set(key, std::move(sub));
    return;
  }
  const json::value* sub_fields = sub.find("fields");
  if (sub_fields == nullptr) return;
  if (have->find("fields") == nullptr) have->set("fields", json::object{});
  json::value& into = *have->find("fields");
  for (const auto& [k, v] : sub_fields->as_object()) merge(into, k, v);
}

// Only fields some payload of the batch sent (or whose default `load`
// wrote): the others were not delivered, and a field the server lacks (a
// contract written for another Odoo series) is then never asked for.
void add_fields(const json::value& fields, const std::vector<const json::value*>& payloads, json::value& spec,
                std::string_view model, const contract::field_presence& server_has) {
  for (const auto& [name, f] : fields.as_object()) {
    std::vector<const json::value*> values;
    for (const json::value* p : payloads)
      if (const json::value* v = member(p, name); v != nullptr) values.push_back(v);
    if (flattened(f)) {
      add_fields(fields_of(f), values, spec, model, server_has);
      continue;
    }
    if (!compared(f) || (values.empty() && f.find("default") == nullptr)) continue;
    if (absent_on_server(f, model, server_has)) continue;
    const std::vector<std::string> path = split_path(field_on_server(f, model, server_has));
    if (is_lines(f)) {
      std::vector<const json::value*> lines;
      for (const json::value* v : values)
        if (v->is_array())
          for (const auto& line : v->as_array()) lines.push_back(&line);
      json::value sub = json::object{};
      add_fields(fields_of(items_of(f)), lines, sub, relation_of(f), server_has);
      merge(spec, path[0], json::object{{"fields", std::move(sub)}});
      continue;
    }
    json::value leaf = by_of(f) == "name" ? json::value(json::object{{"fields", json::object{{"display_name", json::object{}}}}})
                                          : json::value(json::object{});
    for (std::size_t i = path.size(); i-- > 1;) leaf = json::object{{"fields", json::object{{path[i], std::move(leaf)}}}};
    merge(spec, path[0], std::move(leaf));
  }
}

void push_id(const json::value& v, std::string_view model, std::vector<std::pair<std::string, std::int64_t>>& out) {
  if (v.is_int()) out.emplace_back(std::string(model), v.as_int());
  else if (const json::value* id = member(&v, "id"); id != nullptr && id->is_int()) out.emplace_back(std::string(model), id->as_int());
}

void collect(const json::value& fields, const json::value& record, std::vector<std::pair<std::string, std::int64_t>>& out) {
  for (const auto& [name, f] : fields.as_object()) {
    if (flattened(f)) {
      collect(fields_of(f), record, out);
      continue;
    }
    if (!compared(f) || odoo_field(f).find('.') != std::string_view::npos) continue;
    const json::value* v = member(&record, odoo_field(f));
    if (v == nullptr && !fallback_of(f).empty()) v = member(&record, fallback_of(f));  // read from another series
    if (v == nullptr) continue;
    if (is_lines(f)) {
      if (!v->is_array()) continue;
      for (const auto& line : v->as_array()) {
        push_id(line, relation_of(f), out);
        collect(fields_of(items_of(f)), line, out);
      }
    } else if (by_of(f) == "external_id") {
      if (v->is_array())
        for (const auto& e : v->as_array()) push_id(e, relation_of(f), out);
      else
        push_id(*v, relation_of(f), out);
    }
  }
}

const json::value* find_active(const json::value& fields, const json::value* payload, const json::value** spec_out) {
  for (const auto& [name, f] : fields.as_object()) {
    if (flattened(f)) {
      if (const json::value* hit = find_active(fields_of(f), member(payload, name), spec_out); hit != nullptr || *spec_out != nullptr)
        return hit;
      continue;
    }
    if (odoo_field(f) == "active" && compared(f)) {
      *spec_out = &f;
      return member(payload, name);
    }
  }
  return nullptr;
}

bool is_empty(const json::value* v) { return v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty()); }

double number_of(const json::value& v) {
  if (v.is_number()) return v.as_double();
  double d = std::nan("");
  if (v.is_string()) std::from_chars(v.as_string().data(), v.as_string().data() + v.as_string().size(), d);
  return d;
}

std::string escape_pointer(std::string_view key) {
  std::string out;
  for (const char ch : key) {
    if (ch == '~') out += "~0";
    else if (ch == '/') out += "~1";
    else out += ch;
  }
  return out;
}

class comparer {
 public:
  comparer(const same_record_fn& same, const contract::field_presence& server_has) : same_(same), server_has_(server_has) {}
  std::vector<field_difference> out;

  void record(const json::value& fields, const json::value* sent, const json::value* odoo, const std::string& path,
              const std::string& odoo_prefix, bool pii, std::string_view xid, std::string_view model) {
    for (const auto& [name, f] : fields.as_object()) {
      const bool fpii = pii || is_pii(f);
      const std::string fpath = path + "/" + escape_pointer(name);
      if (flattened(f)) {
        record(fields_of(f), member(sent, name), member(odoo, name), fpath, odoo_prefix, fpii, xid, model);
        continue;
      }
      if (!compared(f) || absent_on_server(f, model, server_has_)) continue;
      const json::value* s = member(sent, name);
      if (s == nullptr) s = f.find("default");  // `load` wrote the default
      if (s == nullptr) continue;               // not sent: Odoo's value is its own
      const json::value* o = member(odoo, name);
      const std::string ofield = odoo_prefix + std::string(field_on_server(f, model, server_has_));
      if (is_lines(f)) {
        lines(f, *s, o, fpath, ofield, fpii, xid);
      } else if (!equal(f, *s, o)) {
        add(fpath, ofield, fpii, s, o);
      }
    }
  }

 private:
  void add(std::string path, std::string ofield, bool pii, const json::value* sent, const json::value* odoo) {
    field_difference d{std::move(path), std::move(ofield), pii, nullptr, nullptr};
    if (!pii) {
      if (!is_empty(sent)) d.sent = *sent;
      if (!is_empty(odoo)) d.in_odoo = *odoo;
    }
    out.push_back(std::move(d));
  }

  // Lines pair up by external id: the line's own (its field mapped to `id`),
  // else the one `load` gave it (`<parent>_<field>_<n>`).
  void lines(const json::value& f, const json::value& sent, const json::value* odoo, const std::string& path,
             const std::string& ofield, bool pii, std::string_view xid) {
    const json::value& item_fields = fields_of(items_of(f));
    std::string id_field;
    for (const auto& [name, sub] : item_fields.as_object())
      if (odoo_field(sub) == "id") id_field = name;
    const json::array none;
    const json::array& sent_lines = sent.is_array() ? sent.as_array() : none;
    const json::array& odoo_lines = odoo != nullptr && odoo->is_array() ? odoo->as_array() : none;
    std::vector<bool> matched(odoo_lines.size(), false);
    for (std::size_t n = 0; n < sent_lines.size(); ++n) {
      const json::value& line = sent_lines[n];
      std::string key(text(member(&line, id_field)));
      if (key.empty()) key = std::string(xid) + "_" + std::string(odoo_field(f)) + "_" + std::to_string(n + 1);
      const json::value* hit = nullptr;
      for (std::size_t k = 0; k < odoo_lines.size() && hit == nullptr; ++k) {
        const bool same_line = id_field.empty() ? k == n : text(member(&odoo_lines[k], id_field)) == key;
        if (!matched[k] && same_line) {
          matched[k] = true;
          hit = &odoo_lines[k];
        }
      }
      const std::string lpath = path + "/" + escape_pointer(key);
      if (hit == nullptr) add(lpath, ofield, pii, &line, nullptr);
      else record(item_fields, &line, hit, lpath, ofield + ".", pii, key, relation_of(f));
    }
    for (std::size_t k = 0; k < odoo_lines.size(); ++k) {
      if (matched[k]) continue;
      std::string key(text(member(&odoo_lines[k], id_field)));
      if (key.empty()) key = std::to_string(k + 1);
      add(path + "/" + escape_pointer(key), ofield, pii, nullptr, &odoo_lines[k]);
    }
  }

  bool equal(const json::value& f, const json::value& s, const json::value* o) const {
    const std::string_view type = type_of(f);
    if (type == "boolean") return (s.is_bool() && s.as_bool()) == (o != nullptr && o->is_bool() && o->as_bool());
    if (is_empty(&s) || is_empty(o)) return is_empty(&s) && is_empty(o);
    if (type == "array") {
      if (!s.is_array() || !o->is_array() || s.as_array().size() != o->as_array().size()) return false;
      // Many2many values are sets: each sent value pairs with one value read.
      std::vector<bool> used(o->as_array().size(), false);
      for (const auto& e : s.as_array()) {
        bool found = false;
        for (std::size_t k = 0; k < used.size() && !found; ++k)
          if (!used[k] && scalar_equal(items_of(f), by_of(f), e, o->as_array()[k])) used[k] = found = true;
        if (!found) return false;
      }
      return true;
    }
    return scalar_equal(f, by_of(f), s, *o);
  }

  bool scalar_equal(const json::value& f, std::string_view by, const json::value& s, const json::value& o) const {
    if (s.is_string() && o.is_string()) {
      const std::string& a = s.as_string();
      const std::string& b = o.as_string();
      if (a == b) return true;
      if (by == "external_id") return same_ && same_(a, b);
      // Hierarchical records display their path ("All / Saleable"), found by their own name.
      if (by == "name") return b.size() > a.size() + 3 && b.ends_with(a) && b.compare(b.size() - a.size() - 3, 3, " / ") == 0;
    }
    const std::string_view type = type_of(f);
    if (type == "integer" || type == "number" || type == "decimal") {
      const double a = number_of(s), b = number_of(o);
      if (std::isnan(a) || std::isnan(b)) return false;
      const json::value* scale = f.find("scale");
      const double tolerance = scale != nullptr && scale->is_int() ? 0.5 * std::pow(10.0, -static_cast<double>(scale->as_int()))
                                                                   : 1e-9 * std::max(1.0, std::fabs(a));
      return std::fabs(a - b) <= tolerance;
    }
    if (type == "datetime" && s.is_string() && o.is_string()) {
      // Odoo keeps whole seconds in UTC; the payload may carry an offset and a fraction.
      std::chrono::sys_time<std::chrono::microseconds> a, b;
      if (contract::detail::parse_datetime(s.as_string(), a) && contract::detail::parse_datetime(o.as_string(), b))
        return std::chrono::floor<std::chrono::seconds>(a) == std::chrono::floor<std::chrono::seconds>(b);
    }
    return s == o;
  }

  const same_record_fn& same_;
  const contract::field_presence& server_has_;
};

}  // namespace

json::value read_specification(const contract::contract& c, const std::vector<const json::value*>& payloads,
                               const contract::field_presence& server_has) {
  json::value spec = json::object{};
  add_fields(fields_of(c.to_json()), payloads, spec, c.odoo_model(), server_has);
  merge(spec, "write_date", json::object{});
  merge(spec, "write_uid", json::object{{"fields", json::object{{"display_name", json::object{}}}}});
  return spec;
}

void collect_related(const contract::contract& c, const json::value& record,
                     std::vector<std::pair<std::string, std::int64_t>>& out) {
  collect(fields_of(c.to_json()), record, out);
}

std::optional<bool> sent_active(const contract::contract& c, const json::value& payload) {
  const json::value* spec = nullptr;
  const json::value* v = find_active(fields_of(c.to_json()), &payload, &spec);
  if (spec == nullptr) return std::nullopt;
  if (v == nullptr) v = spec->find("default");
  if (v == nullptr || !v->is_bool()) return std::nullopt;
  return v->as_bool();
}

std::vector<field_difference> compare_payloads(const contract::contract& c, const json::value& sent, const json::value& in_odoo,
                                               std::string_view external_id, const same_record_fn& same,
                                               const contract::field_presence& server_has) {
  comparer cmp(same, server_has);
  cmp.record(fields_of(c.to_json()), &sent, &in_odoo, "", "", false, external_id, c.odoo_model());
  return std::move(cmp.out);
}

}  // namespace outbox::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
