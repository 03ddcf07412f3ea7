#include "odoolink/contract/drift.hpp"

#include <algorithm>

#include "model.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace {

using detail::node;

std::string_view attr_string(const json::value& attrs, std::string_view key) {
  const json::value* v = attrs.find(key);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

bool attr_true(const json::value& attrs, std::string_view key) {
  const json::value* v = attrs.find(key);
  return v != nullptr && v->is_bool() && v->as_bool();
}

bool is_relational(std::string_view t) { return t == "many2one" || t == "one2many" || t == "many2many"; }

bool one_of(std::string_view t, std::initializer_list<std::string_view> types) {
  return std::find(types.begin(), types.end(), t) != types.end();
}

// Odoo types that can hold the values of a contract field (mapped on its last hop).
bool holds(const node& f, std::string_view t, bool single_hop) {
  if (f.type == field_type::array) {
    if (f.items && f.items->type == field_type::object) return t == "one2many";
    return t == "many2many" || t == "one2many";
  }
  if (single_hop && f.by() != reference_by::value) return t == "many2one";
  switch (f.type) {
    case field_type::string: return one_of(t, {"char", "text", "html", "selection"});
    case field_type::enumeration: return one_of(t, {"selection", "char"});
    case field_type::integer: return t == "integer";
    case field_type::number:
    case field_type::decimal: return one_of(t, {"float", "monetary"});
    case field_type::boolean: return t == "boolean";
    case field_type::date: return t == "date";
    case field_type::datetime: return t == "datetime";
    case field_type::object: return t == "json";
    case field_type::reference: return t == "many2one";
    case field_type::array: return false;
  }
  return false;
}

std::string expected_types(const node& f, bool single_hop) {
  if (f.type == field_type::array) return f.items && f.items->type == field_type::object ? "one2many" : "many2many or one2many";
  if (single_hop && f.by() != reference_by::value) return "many2one";
  switch (f.type) {
    case field_type::string: return "char, text, html or selection";
    case field_type::enumeration: return "selection or char";
    case field_type::integer: return "integer";
    case field_type::number:
    case field_type::decimal: return "float or monetary";
    case field_type::boolean: return "boolean";
    case field_type::date: return "date";
    case field_type::datetime: return "datetime";
    case field_type::object: return "json";
    case field_type::reference: return "many2one";
    case field_type::array: return "";
  }
  return "";
}

// Present in every payload, or written from its default.
bool always_written(const node& f) { return f.required || f.default_value.has_value(); }

class drift_checker {
 public:
  drift_checker(const fields_catalog& catalog, const drift_options& options, drift_report& out)
      : catalog_(catalog), options_(options), out_(out) {}

  void record(const node& obj, const std::string& model, const std::string& path, bool optional_parent) {
    const json::value* fields = model_fields(model, path);
    if (fields == nullptr) return;
    for (const auto& f : obj.fields) {
      const std::string fpath = path.empty() ? f.name : path + "." + f.name;
      if (f.flattened()) {
        record(f, model, fpath, optional_parent || !always_written(f));
        continue;
      }
      if (!f.odoo.present || f.odoo.is_external_id()) continue;
      field(f, *fields, model, fpath, optional_parent);
    }
  }

  void main_model_missing(const std::string& model) {
    out_.issues.push_back({drift_kind::model_missing, "", model, "", "no fields_get result for the contract's model " + model});
  }

 private:
  const json::value* model_fields(const std::string& model, const std::string& path) {
    const auto it = catalog_.find(model);
    if (it != catalog_.end() && it->second.is_object()) return &it->second;
    if (std::find(out_.missing_models.begin(), out_.missing_models.end(), model) == out_.missing_models.end())
      out_.missing_models.push_back(model);
    (void)path;
    return nullptr;
  }

  void issue(drift_kind kind, const std::string& path, const std::string& model, const std::string& field, std::string message) {
    out_.issues.push_back({kind, path, model, field, std::move(message)});
  }

  void field(const node& f, const json::value& fields, const std::string& model, const std::string& path, bool optional_parent) {
    const json::value* model_fields = &fields;
    std::string hop_model = model;
    const auto& hops = f.odoo.path;
    for (std::size_t i = 0; i < hops.size(); ++i) {
      const json::value* attrs = model_fields->find(hops[i]);
      // A field this series lacks but names otherwise: its fallback stands in.
      const json::value* fallback_attrs =
          i == 0 && (attrs == nullptr || !attrs->is_object()) && !f.odoo.fallback.empty() ? model_fields->find(f.odoo.fallback)
                                                                                          : nullptr;
      const std::string& hop = fallback_attrs != nullptr ? f.odoo.fallback : hops[i];
      if (fallback_attrs != nullptr) attrs = fallback_attrs;
      if (attrs == nullptr || !attrs->is_object()) {
        if (i == 0 && f.odoo.optional) return;  // mapped only where the server has it
        issue(drift_kind::field_missing, path, hop_model, hop,
              hop_model + " has no field " + hop +
                  (i == 0 && !f.odoo.fallback.empty() ? " (nor its fallback " + f.odoo.fallback + ")" : ""));
        return;
      }
      const std::string_view type = attr_string(*attrs, "type");
      const bool last = i + 1 == hops.size();
      if (i == 0) required(f, *attrs, hop_model, hop, path, optional_parent);
      if (!last) {
        if (!is_relational(type)) {
          issue(drift_kind::type_mismatch, path, hop_model, hop,
                hop_model + "." + hop + " is " + std::string(type) + ", not a relational field the path can follow");
          return;
        }
        const std::string_view relation = attr_string(*attrs, "relation");
        if (i == 0 && relation != f.odoo.relation) {
          issue(drift_kind::relation_mismatch, path, hop_model, hop,
                hop_model + "." + hop + " points to " + std::string(relation) + ", the contract expects " + f.odoo.relation);
          return;
        }
        hop_model = std::string(relation);
        model_fields = this->model_fields(hop_model, path);
        if (model_fields == nullptr) return;
        continue;
      }
      const bool single_hop = hops.size() == 1;
      if (!holds(f, type, single_hop)) {
        issue(drift_kind::type_mismatch, path, hop_model, hop,
              hop_model + "." + hop + " is " + std::string(type) + "; a contract " + std::string(to_string(f.type)) +
                  " maps onto " + expected_types(f, single_hop));
        return;
      }
      if (single_hop && is_relational(type)) {
        const std::string_view relation = attr_string(*attrs, "relation");
        if (!f.odoo.relation.empty() && relation != f.odoo.relation) {
          issue(drift_kind::relation_mismatch, path, hop_model, hop,
                hop_model + "." + hop + " points to " + std::string(relation) + ", the contract expects " + f.odoo.relation);
          return;
        }
      }
      if (type == "selection" && f.type == field_type::enumeration) selection(f, *attrs, hop_model, hop, path);
      if (f.type == field_type::array && f.items && f.items->type == field_type::object)
        record(*f.items, f.odoo.relation, path + "[]", false);
    }
  }

  void required(const node& f, const json::value& attrs, const std::string& model, const std::string& hop, const std::string& path,
                bool optional_parent) {
    if (!f.odoo.writes()) return;
    const bool odoo_required = attr_true(attrs, "required");
    const bool may_omit = optional_parent || !always_written(f);
    if (odoo_required && may_omit && !f.odoo.server_default) {
      issue(drift_kind::required_mismatch, path, model, hop,
            model + "." + hop + " is required in Odoo, but payloads may omit it (mark it required, give a default, or set server_default)");
    } else if (options_.strict_required && !odoo_required && f.required && !optional_parent) {
      issue(drift_kind::required_mismatch, path, model, hop, "required by the contract, optional in Odoo (" + model + "." + hop + ")");
    }
  }

  void selection(const node& f, const json::value& attrs, const std::string& model, const std::string& hop, const std::string& path) {
    const json::value* sel = attrs.find("selection");
    std::vector<std::string> missing;
    for (const auto& v : f.values) {
      const std::string_view ov = f.odoo.odoo_value(v);
      bool found = false;
      if (sel != nullptr && sel->is_array())
        for (const auto& pair : sel->as_array())
          if (pair.is_array() && !pair.as_array().empty() && pair.as_array()[0].is_string() && pair.as_array()[0].as_string() == ov)
            found = true;
      if (!found) missing.emplace_back(ov);
    }
    if (missing.empty()) return;
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "\"" : ", \"") + m + "\"";
    issue(drift_kind::selection_value_missing, path, model, hop, model + "." + hop + " has no selection value " + list);
  }

  const fields_catalog& catalog_;
  const drift_options& options_;
  drift_report& out_;
};

}  // namespace

drift_report check_drift(const contract& c, const fields_catalog& catalog, const drift_options& options) {
  drift_report out;
  const std::string model(c.odoo_model());
  if (model.empty()) return out;
  drift_checker d(catalog, options, out);
  if (catalog.find(model) == catalog.end()) {
    d.main_model_missing(model);
    out.missing_models.push_back(model);
    return out;
  }
  d.record(c.internals().root, model, "", false);
  return out;
}

drift_report check_drift(const contract& c, const json::value& fields_get, const drift_options& options) {
  fields_catalog catalog;
  catalog.emplace(std::string(c.odoo_model()), fields_get);
  return check_drift(c, catalog, options);
}

result<drift_report> check_drift(const contract& c, client::client& odoo, const drift_options& options) {
  fields_catalog catalog;
  std::vector<std::string> absent;  // models the server does not have
  std::vector<std::string> wanted{std::string(c.odoo_model())};
  drift_report report;
  // Each round fetches the models the previous check could not reach
  // (line models, then models further along dotted paths).
  for (int round = 0; round < 8 && !wanted.empty(); ++round) {
    for (const auto& model : wanted) {
      if (catalog.count(model) != 0 || std::find(absent.begin(), absent.end(), model) != absent.end()) continue;
      auto reply = odoo.execute_kw(model, "fields_get", json::array{},
                                   json::object{{"attributes", json::array{"string", "type", "required", "relation", "selection"}}});
      if (!reply) {
        if (reply.error() == odoo_errc::unknown_model) {
          absent.push_back(model);
          continue;
        }
        return reply.error().with_context("fields_get of " + model);
      }
      ODOOLINK_TRY(auto parsed, json::parse(reply.value().json()));
      if (!parsed.is_object()) return error(protocol_errc::unexpected_type, "fields_get of " + model + " did not return an object");
      catalog.emplace(model, std::move(parsed));
    }
    report = check_drift(c, catalog, options);
    wanted.clear();
    for (const auto& m : report.missing_models)
      if (std::find(absent.begin(), absent.end(), m) == absent.end()) wanted.push_back(m);
  }
  for (const auto& m : absent) {
    report.issues.push_back({drift_kind::model_missing, "", m, "", "the server has no model " + m});
    report.missing_models.erase(std::remove(report.missing_models.begin(), report.missing_models.end(), m), report.missing_models.end());
  }
  return report;
}

std::string drift_report::describe() const {
  std::string out;
  for (const auto& i : issues) {
    if (!out.empty()) out.push_back('\n');
    out += std::string(to_string(i.kind)) + " " + (i.path.empty() ? std::string("(contract)") : i.path);
    if (!i.model.empty()) out += " (" + i.model + (i.odoo_field.empty() ? "" : "." + i.odoo_field) + ")";
    out += ": " + i.message;
  }
  return out;
}

std::string_view to_string(drift_kind k) noexcept {
  switch (k) {
    case drift_kind::model_missing: return "model_missing";
    case drift_kind::field_missing: return "field_missing";
    case drift_kind::type_mismatch: return "type_mismatch";
    case drift_kind::required_mismatch: return "required_mismatch";
    case drift_kind::selection_value_missing: return "selection_value_missing";
    case drift_kind::relation_mismatch: return "relation_mismatch";
  }
  return "unknown";
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
