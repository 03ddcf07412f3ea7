// Loading a contract document: every problem is collected with its JSON
// pointer, then the compiled tree, the normalized document and the
// fingerprint are built.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "crypto.hpp"
#include "engine.hpp"
#include "formats.hpp"
#include "model.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

namespace detail {

void key_index::build(const std::vector<std::string_view>& keys) {
  std::size_t size = 8;
  while (size < keys.size() * 2) size <<= 1U;
  slots_.assign(size, -1);
  mask_ = size - 1;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    std::size_t i = hash(keys[k]) & mask_;
    while (slots_[i] >= 0) i = (i + 1) & mask_;
    slots_[i] = static_cast<std::int32_t>(k);
  }
}

}  // namespace detail

namespace {

using detail::mapping;
using detail::node;

constexpr std::array<std::string_view, 9> root_keys{"subject", "version", "owner", "system_of_record", "description",
                                                    "compatibility", "unknown_fields", "odoo", "fields"};
constexpr std::array<std::string_view, 9> common_keys{"type",       "required", "nullable", "default", "default_from",
                                                      "description", "pii",      "deprecated", "odoo"};
constexpr std::array<std::string_view, 8> mapping_keys{"field",          "by",       "relation", "direction", "values",
                                                       "server_default", "optional", "fallback"};

// Which constraint keys apply to which type.
struct constraint_key {
  std::string_view key;
  std::initializer_list<field_type> types;
};
const std::array<constraint_key, 15>& constraint_keys() {
  static const std::array<constraint_key, 15> keys{{
      {"min_length", {field_type::string}},
      {"max_length", {field_type::string}},
      {"pattern", {field_type::string}},
      {"format", {field_type::string}},
      {"minimum", {field_type::integer, field_type::number, field_type::decimal}},
      {"maximum", {field_type::integer, field_type::number, field_type::decimal}},
      {"precision", {field_type::decimal}},
      {"scale", {field_type::decimal}},
      {"values", {field_type::enumeration}},
      {"items", {field_type::array}},
      {"min_items", {field_type::array}},
      {"max_items", {field_type::array}},
      {"fields", {field_type::object}},
      {"unknown_fields", {field_type::object}},
      {"contract", {field_type::reference}},
  }};
  return keys;
}

bool is_subject(std::string_view s) noexcept {
  if (s.empty() || s.size() > 128 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

bool is_identifier(std::string_view s) noexcept {
  if (s.empty() || s.size() > 128 || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_model_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > 128 || s.front() == '.' || s.back() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

std::string_view kind_name(const json::value& v) noexcept {
  switch (v.type()) {
    case json::kind::null: return "null";
    case json::kind::boolean: return "a boolean";
    case json::kind::integer: return "an integer";
    case json::kind::number: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

std::string child(const std::string& ptr, std::string_view token) {
  std::string out = ptr;
  detail::append_pointer(out, token);
  return out;
}

class loader {
 public:
  std::vector<std::string> problems;

  void problem(const std::string& ptr, std::string_view message) {
    problems.push_back((ptr.empty() ? std::string("(document)") : ptr) + ": " + std::string(message));
  }

  // An object whose keys are all distinct; reports duplicates.
  bool object(const json::value& v, const std::string& ptr, std::string_view what) {
    if (!v.is_object()) {
      problem(ptr, "expected " + std::string(what) + " (an object), found " + std::string(kind_name(v)));
      return false;
    }
    std::set<std::string_view> seen;
    for (const auto& [k, e] : v.as_object())
      if (!seen.insert(k).second) problem(child(ptr, k), "duplicate key");
    return true;
  }

  std::optional<std::string> string(const json::value& v, const std::string& ptr) {
    if (!v.is_string()) {
      problem(ptr, "expected a string, found " + std::string(kind_name(v)));
      return std::nullopt;
    }
    return v.as_string();
  }

  std::optional<bool> boolean(const json::value& v, const std::string& ptr) {
    if (!v.is_bool()) {
      problem(ptr, "expected true or false, found " + std::string(kind_name(v)));
      return std::nullopt;
    }
    return v.as_bool();
  }

  std::optional<std::int64_t> count(const json::value& v, const std::string& ptr) {
    if (!v.is_int() || v.as_int() < 0) {
      problem(ptr, "expected a non-negative integer");
      return std::nullopt;
    }
    return v.as_int();
  }

  void load_root(const json::value& doc, contract::state& st) {
    if (!object(doc, "", "a contract document")) return;
    for (const auto& [k, v] : doc.as_object())
      if (std::find(root_keys.begin(), root_keys.end(), k) == root_keys.end()) problem(child("", k), "unknown key");

    const auto required_string = [&](std::string_view key, std::string& out) {
      const json::value* v = doc.find(key);
      if (v == nullptr) {
        problem(child("", key), "missing");
        return false;
      }
      auto s = string(*v, child("", key));
      if (!s) return false;
      if (s->empty()) {
        problem(child("", key), "must not be empty");
        return false;
      }
      out = std::move(*s);
      return true;
    };
    if (required_string("subject", st.subject) && !is_subject(st.subject))
      problem("/subject", "expected lower-case letters, digits, '_', '.' or '-', starting with a letter (at most 128)");
    if (required_string("version", st.version_text)) {
      if (auto v = semantic_version::parse(st.version_text)) {
        st.version = *v;
      } else {
        problem("/version", "expected a semantic version MAJOR.MINOR.PATCH such as 1.0.0");
      }
    }
    required_string("owner", st.owner);
    required_string("system_of_record", st.system_of_record);
    if (const auto* v = doc.find("description")) {
      if (auto s = string(*v, "/description")) st.description = *s;
    }
    if (const auto* v = doc.find("compatibility")) {
      if (auto s = string(*v, "/compatibility")) {
        if (auto m = parse_compatibility_mode(*s)) {
          st.mode = *m;
        } else {
          problem("/compatibility", "expected one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE");
        }
      }
    }
    unknown_fields unknown = unknown_fields::reject;
    if (const auto* v = doc.find("unknown_fields")) unknown = parse_unknown(*v, "/unknown_fields", unknown);
    if (const auto* v = doc.find("odoo")) {
      if (object(*v, "/odoo", "the Odoo mapping")) {
        for (const auto& [k, e] : v->as_object())
          if (k != "model") problem(child("/odoo", k), "unknown key");
        if (const auto* m = v->find("model")) {
          if (auto s = string(*m, "/odoo/model")) {
            if (is_model_name(*s)) {
              st.odoo_model = *s;
            } else {
              problem("/odoo/model", "expected an Odoo model name such as res.partner");
            }
          }
        } else {
          problem("/odoo/model", "missing");
        }
      }
    }
    st.root.type = field_type::object;
    st.root.unknown = unknown;
    const json::value* fields = doc.find("fields");
    if (fields == nullptr) {
      problem("/fields", "missing");
      return;
    }
    load_fields(*fields, "/fields", st.root, 1);
    if (st.odoo_model.empty() && any_mapping(st.root)) problem("/odoo/model", "fields map to Odoo fields but the contract names no Odoo model");
    check_defaults_from(st.root, nullptr, "/fields");
    if (!problems.empty()) return;
    check_external_id_fields(st.root, "/fields", true);
  }

  // `default_from` names a field of the record holding the line, of the same
  // type (and, for references, the same contract); only lines have one.
  void check_defaults_from(const node& n, const node* holder, const std::string& ptr) {
    for (const auto& f : n.fields) {
      const std::string fptr = child(ptr, f.name);
      if (!f.default_from.empty()) {
        const node* source = nullptr;
        if (holder != nullptr)
          for (const auto& h : holder->fields)
            if (h.name == f.default_from) source = &h;
        if (holder == nullptr) {
          problem(child(fptr, "default_from"), "only a field of one2many lines takes a default from the record holding them");
        } else if (source == nullptr) {
          problem(child(fptr, "default_from"), "the record holding the lines has no field \"" + f.default_from + "\"");
        } else if (source->type != f.type || source->reference != f.reference) {
          problem(child(fptr, "default_from"), "\"" + f.default_from + "\" is of another type");
        }
      }
      if (f.flattened()) check_defaults_from(f, nullptr, child(fptr, "fields"));
      if (f.type == field_type::array && f.items && f.items->type == field_type::object)
        check_defaults_from(*f.items, &n, child(child(fptr, "items"), "fields"));
    }
  }

  unknown_fields parse_unknown(const json::value& v, const std::string& ptr, unknown_fields fallback) {
    if (auto s = string(v, ptr)) {
      if (auto u = parse_unknown_fields(*s)) return *u;
      problem(ptr, "expected \"reject\" or \"ignore\"");
    }
    return fallback;
  }

  static bool any_mapping(const node& n) {
    if (n.odoo.present) return true;
    if (n.items && any_mapping(*n.items)) return true;
    return std::any_of(n.fields.begin(), n.fields.end(), [](const node& f) { return any_mapping(f); });
  }

  // `fields` of an object (or the root) into `parent.fields`.
  void load_fields(const json::value& fields, const std::string& ptr, node& parent, std::size_t depth) {
    if (!object(fields, ptr, "the fields")) return;
    const auto& members = fields.as_object();
    if (members.empty()) problem(ptr, "an object needs at least one field");
    if (members.size() > detail::max_fields) {
      problem(ptr, "more than 512 fields");
      return;
    }
    std::set<std::string_view> seen;
    parent.fields.reserve(members.size());
    for (const auto& [name, spec] : members) {
      if (!seen.insert(name).second) continue;  // reported by object()
      const std::string fptr = child(ptr, name);
      if (name.empty() || !json::is_valid_utf8(name)) {
        problem(fptr, "a field name must be non-empty valid UTF-8");
        continue;
      }
      node n;
      n.name = name;
      load_field(spec, fptr, n, depth, parent.unknown);
      parent.fields.push_back(std::move(n));
    }
    for (const auto& f : parent.fields) {
      parent.keys.push_back(f.name);
      std::array<unsigned char, 16> bytes{};
      std::memcpy(bytes.data(), f.name.data(), std::min<std::size_t>(f.name.size(), 16));
      node::key_entry k{};
      std::memcpy(&k.words[0], bytes.data(), 8);
      std::memcpy(&k.words[1], bytes.data() + 8, 8);
      const auto mask = [](std::size_t n) { return n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1; };
      k.masks[0] = mask(f.name.size());
      k.masks[1] = f.name.size() > 8 ? mask(f.name.size() - 8) : 0;
      k.size = f.name.size();
      parent.key_words.push_back(k);
    }
    parent.key_words.push_back({{}, {}, ~std::size_t{0}});  // the sentinel
    parent.index.build(parent.keys);
    for (std::size_t i = 0; i < parent.fields.size(); ++i) {
      const node& f = parent.fields[i];
      if (f.required && !f.default_value) parent.required_fields.push_back(static_cast<std::uint32_t>(i));
      if (f.subtree_has_pii) parent.subtree_has_pii = true;
    }
  }

  void load_field(const json::value& spec, const std::string& ptr, node& n, std::size_t depth, unknown_fields inherited) {
    if (depth > detail::max_nesting) {
      problem(ptr, "nests deeper than 32 levels");
      return;
    }
    if (!object(spec, ptr, "a field spec")) return;
    const json::value* type = spec.find("type");
    if (type == nullptr) {
      problem(child(ptr, "type"), "missing");
      return;
    }
    auto type_name = string(*type, child(ptr, "type"));
    if (!type_name) return;
    auto t = parse_field_type(*type_name);
    if (!t) {
      problem(child(ptr, "type"),
              "unknown type \"" + *type_name +
                  "\" (expected string, integer, number, decimal, boolean, date, datetime, enum, array, object or reference)");
      return;
    }
    n.type = *t;
    n.unknown = inherited;

    for (const auto& [k, v] : spec.as_object()) {
      if (std::find(common_keys.begin(), common_keys.end(), k) != common_keys.end()) continue;
      const auto& ck = constraint_keys();
      const auto& key = k;  // clang 14 cannot capture a structured binding
      const auto it = std::find_if(ck.begin(), ck.end(), [&](const constraint_key& c) { return c.key == key; });
      if (it == ck.end()) {
        problem(child(ptr, k), "unknown key");
      } else if (std::find(it->types.begin(), it->types.end(), n.type) == it->types.end()) {
        problem(child(ptr, k), "does not apply to a field of type " + std::string(to_string(n.type)));
      }
    }
    const auto flag = [&](std::string_view key, bool& out) {
      if (const auto* v = spec.find(key))
        if (auto b = boolean(*v, child(ptr, key))) out = *b;
    };
    flag("required", n.required);
    flag("nullable", n.nullable);
    flag("pii", n.pii);
    flag("deprecated", n.deprecated);
    if (const auto* v = spec.find("description"))
      if (auto s = string(*v, child(ptr, "description"))) n.description = *s;

    switch (n.type) {
      case field_type::string: load_string(spec, ptr, n); break;
      case field_type::integer:
      case field_type::number:
      case field_type::decimal: load_numeric(spec, ptr, n); break;
      case field_type::enumeration: load_enum(spec, ptr, n); break;
      case field_type::array: load_array(spec, ptr, n, depth); break;
      case field_type::object: {
        if (const auto* v = spec.find("unknown_fields")) n.unknown = parse_unknown(*v, child(ptr, "unknown_fields"), inherited);
        if (const auto* v = spec.find("fields")) {
          load_fields(*v, child(ptr, "fields"), n, depth + 1);
        } else {
          problem(child(ptr, "fields"), "missing (an object field declares its fields)");
        }
        break;
      }
      case field_type::reference: {
        const json::value* v = spec.find("contract");
        if (v == nullptr) {
          problem(child(ptr, "contract"), "missing (the subject of the referenced contract)");
        } else if (auto s = string(*v, child(ptr, "contract"))) {
          if (is_subject(*s)) {
            n.reference = *s;
          } else {
            problem(child(ptr, "contract"), "expected a contract subject");
          }
        }
        break;
      }
      default: break;
    }
    if (n.pii) n.subtree_has_pii = true;
    if (n.items && n.items->subtree_has_pii) n.subtree_has_pii = true;

    if (const auto* m = spec.find("odoo")) load_mapping(*m, child(ptr, "odoo"), n);
    n.external_id = n.type == field_type::string && n.odoo.is_external_id();

    if (const auto* d = spec.find("default")) {
      std::vector<violation> found;
      detail::check_value(n, *d, "", found);
      for (const auto& v : found) problem(child(ptr, "default") + v.path, "not a valid value of the field: " + v.message);
      if (found.empty()) n.default_value = normalize_value(n, *d);
    }
    if (const auto* d = spec.find("default_from")) {
      if (auto s = string(*d, child(ptr, "default_from"))) {
        n.default_from = *s;
        if (spec.find("default") != nullptr) problem(child(ptr, "default_from"), "a field has a default or a default_from, not both");
      }
    }
  }

  // Integers of a number field become doubles so `1` and `1.0` fingerprint alike.
  static json::value normalize_value(const node& n, const json::value& v) {
    if (n.type == field_type::number && v.is_int()) return static_cast<double>(v.as_int());
    if (n.type == field_type::array && v.is_array() && n.items) {
      json::array out;
      for (const auto& e : v.as_array()) out.push_back(normalize_value(*n.items, e));
      return out;
    }
    if (n.type == field_type::object && v.is_object()) {
      json::object out;
      for (const auto& [k, e] : v.as_object()) {
        const int i = n.find(k);
        out.emplace_back(k, i >= 0 ? normalize_value(n.fields[static_cast<std::size_t>(i)], e) : e);
      }
      return out;
    }
    return v;
  }

  void load_string(const json::value& spec, const std::string& ptr, node& n) {
    if (const auto* v = spec.find("min_length")) n.min_length = count(*v, child(ptr, "min_length"));
    if (const auto* v = spec.find("max_length")) n.max_length = count(*v, child(ptr, "max_length"));
    if (n.min_length && n.max_length && *n.min_length > *n.max_length)
      problem(child(ptr, "min_length"), "is greater than max_length");
    if (const auto* v = spec.find("format")) {
      if (auto s = string(*v, child(ptr, "format"))) {
        if (auto f = parse_string_format(*s)) {
          n.format = *f;
        } else {
          problem(child(ptr, "format"), "unknown format \"" + *s + "\" (expected email, country, currency, uuid or uri)");
        }
      }
    }
    if (const auto* v = spec.find("pattern")) {
      if (auto s = string(*v, child(ptr, "pattern"))) {
        if (s->empty()) {
          problem(child(ptr, "pattern"), "must not be empty");
        } else {
          n.pattern = *s;
          compile_pattern(n, child(ptr, "pattern"));
        }
      }
    }
  }

  void compile_pattern(node& n, const std::string& ptr) {
    // No exceptions escape: std::regex reports bad patterns by throwing.
    try {
      auto flags = std::regex::ECMAScript;
#if defined(__GLIBCXX__)
      // libstdc++'s Thompson-NFA matcher: linear in the input, no deep recursion.
      flags |= std::regex_constants::__polynomial;
#endif
      n.regex = std::make_shared<const std::regex>(n.pattern, flags);
    } catch (const std::regex_error& e) {
      problem(ptr, std::string("does not compile: ") + e.what());
    } catch (const std::exception& e) {
      problem(ptr, std::string("does not compile: ") + e.what());
    }
  }

  void load_numeric(const json::value& spec, const std::string& ptr, node& n) {
    const auto bound = [&](std::string_view key, std::optional<std::int64_t>& as_int, std::optional<double>& as_double) {
      const json::value* v = spec.find(key);
      if (v == nullptr) return;
      if (n.type == field_type::integer) {
        if (v->is_int()) {
          as_int = v->as_int();
        } else {
          problem(child(ptr, key), "expected an integer");
        }
        return;
      }
      if (!v->is_number() || !std::isfinite(v->as_double())) {
        problem(child(ptr, key), "expected a number");
        return;
      }
      as_double = v->as_double();
    };
    bound("minimum", n.int_minimum, n.minimum);
    bound("maximum", n.int_maximum, n.maximum);
    if ((n.int_minimum && n.int_maximum && *n.int_minimum > *n.int_maximum) || (n.minimum && n.maximum && *n.minimum > *n.maximum))
      problem(child(ptr, "minimum"), "is greater than maximum");
    if (n.type != field_type::decimal) return;
    if (const auto* v = spec.find("precision")) {
      n.precision = count(*v, child(ptr, "precision"));
      if (n.precision && (*n.precision < 1 || *n.precision > 1000)) problem(child(ptr, "precision"), "expected 1 to 1000");
    }
    if (const auto* v = spec.find("scale")) n.scale = count(*v, child(ptr, "scale"));
    if (n.precision && n.scale && *n.scale > *n.precision) problem(child(ptr, "scale"), "is greater than precision");
  }

  void load_enum(const json::value& spec, const std::string& ptr, node& n) {
    const json::value* v = spec.find("values");
    const std::string vptr = child(ptr, "values");
    if (v == nullptr) {
      problem(vptr, "missing (an enum lists its values)");
      return;
    }
    if (!v->is_array() || v->as_array().empty()) {
      problem(vptr, "expected a non-empty array of strings");
      return;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < v->as_array().size(); ++i) {
      const json::value& e = v->as_array()[i];
      const std::string eptr = child(vptr, std::to_string(i));
      auto s = string(e, eptr);
      if (!s) continue;
      if (!json::is_valid_utf8(*s)) {
        problem(eptr, "not valid UTF-8");
      } else if (!seen.insert(*s).second) {
        problem(eptr, "duplicate value \"" + *s + "\"");
      } else {
        n.values.push_back(*s);
      }
    }
  }

  void load_array(const json::value& spec, const std::string& ptr, node& n, std::size_t depth) {
    if (const auto* v = spec.find("min_items")) n.min_items = count(*v, child(ptr, "min_items"));
    if (const auto* v = spec.find("max_items")) n.max_items = count(*v, child(ptr, "max_items"));
    if (n.min_items && n.max_items && *n.min_items > *n.max_items) problem(child(ptr, "min_items"), "is greater than max_items");
    const json::value* items = spec.find("items");
    if (items == nullptr) {
      problem(child(ptr, "items"), "missing (an array declares its items)");
      return;
    }
    n.items = std::make_unique<node>();
    load_field(*items, child(ptr, "items"), *n.items, depth + 1, n.unknown);
    if (items->is_object()) {
      for (const char* key : {"required", "default"})
        if (items->find(key) != nullptr) problem(child(child(ptr, "items"), key), "does not apply to array items");
      if (items->find("odoo") != nullptr)
        problem(child(child(ptr, "items"), "odoo"), "array items map through the array's own mapping (and their fields')");
    }
  }

  void load_mapping(const json::value& m, const std::string& ptr, node& n) {
    if (!object(m, ptr, "the Odoo mapping")) return;
    for (const auto& [k, v] : m.as_object())
      if (std::find(mapping_keys.begin(), mapping_keys.end(), k) == mapping_keys.end()) problem(child(ptr, k), "unknown key");
    mapping& map = n.odoo;
    map.present = true;
    map.by = n.type == field_type::reference ? reference_by::external_id : reference_by::value;
    const json::value* field = m.find("field");
    if (field == nullptr) {
      problem(child(ptr, "field"), "missing (the Odoo field name)");
    } else if (auto s = string(*field, child(ptr, "field"))) {
      map.field = *s;
      std::size_t start = 0;
      while (start <= s->size()) {
        auto dot = s->find('.', start);
        if (dot == std::string::npos) dot = s->size();
        map.path.push_back(s->substr(start, dot - start));
        start = dot + 1;
      }
      if (!std::all_of(map.path.begin(), map.path.end(), is_identifier))
        problem(child(ptr, "field"), "expected an Odoo field name or a dotted path of field names");
    }
    if (const auto* v = m.find("by")) {
      if (auto s = string(*v, child(ptr, "by"))) {
        if (auto b = parse_reference_by(*s)) {
          map.by = *b;
        } else {
          problem(child(ptr, "by"), "expected value, external_id, id or name");
        }
      }
    }
    if (const auto* v = m.find("relation")) {
      if (auto s = string(*v, child(ptr, "relation"))) {
        if (is_model_name(*s)) {
          map.relation = *s;
        } else {
          problem(child(ptr, "relation"), "expected an Odoo model name");
        }
      }
    }
    if (const auto* v = m.find("direction")) {
      if (auto s = string(*v, child(ptr, "direction"))) {
        if (auto d = parse_mapping_direction(*s)) {
          map.direction = *d;
        } else {
          problem(child(ptr, "direction"), "expected both, read or write");
        }
      }
    }
    if (const auto* v = m.find("server_default"))
      if (auto b = boolean(*v, child(ptr, "server_default"))) map.server_default = *b;
    if (const auto* v = m.find("optional"))
      if (auto b = boolean(*v, child(ptr, "optional"))) map.optional = *b;
    if (const auto* v = m.find("fallback"))
      if (auto s = string(*v, child(ptr, "fallback"))) {
        map.fallback = *s;
        if (!is_identifier(*s)) problem(child(ptr, "fallback"), "expected an Odoo field name");
      }
    if (const auto* v = m.find("values")) load_value_map(*v, child(ptr, "values"), n);
    if (map.dotted()) {
      map.load_column = map.path.front() + "/.id";
    } else if (map.by == reference_by::external_id) {
      map.load_column = map.field + "/id";
    } else if (map.by == reference_by::id) {
      map.load_column = map.field + "/.id";
    } else {
      map.load_column = map.field;
    }
    check_mapping(ptr, n);
  }

  void load_value_map(const json::value& v, const std::string& ptr, node& n) {
    if (n.type != field_type::enumeration) {
      problem(ptr, "only enum fields map values");
      return;
    }
    if (!object(v, ptr, "a value map")) return;
    std::set<std::string_view> odoo_values;
    for (const auto& [k, e] : v.as_object()) {
      const std::string eptr = child(ptr, k);
      if (std::find(n.values.begin(), n.values.end(), k) == n.values.end()) problem(eptr, "not one of the enum's values");
      auto s = string(e, eptr);
      if (!s) continue;
      if (!odoo_values.insert(e.as_string()).second) problem(eptr, "two values map to the same Odoo value \"" + *s + "\"");
      n.odoo.values.emplace_back(k, *s);
    }
    // An unmapped value that equals another value's Odoo value would make reading ambiguous.
    for (const auto& val : n.values)
      if (n.odoo.odoo_value(val) == val && odoo_values.count(val) != 0 &&
          std::none_of(n.odoo.values.begin(), n.odoo.values.end(), [&](const auto& p) { return p.first == val; }))
        problem(ptr, "value \"" + val + "\" collides with a mapped value");
  }

  void check_mapping(const std::string& ptr, const node& n) {
    const mapping& m = n.odoo;
    const bool is_array = n.type == field_type::array;
    const field_type item_type = is_array && n.items ? n.items->type : n.type;
    if (!m.fallback.empty()) {
      if (m.is_external_id() || m.dotted() || m.fallback == "id")
        problem(child(ptr, "fallback"), "only a field of the record itself, not the external id or a dotted path, has a fallback");
      else if (m.fallback == m.field)
        problem(child(ptr, "fallback"), "the same field as \"field\"");
    }
    if (m.is_external_id()) {
      if (n.type != field_type::string) problem(child(ptr, "field"), "the external id field (\"id\") must be a string");
      if (m.by != reference_by::value && m.by != reference_by::external_id)
        problem(child(ptr, "by"), "the external id field maps by value");
      if (!m.relation.empty()) problem(child(ptr, "relation"), "the external id field has no relation");
      return;
    }
    switch (m.by) {
      case reference_by::value:
        if (n.type == field_type::reference) problem(child(ptr, "by"), "a reference maps by external_id, id or name");
        if (is_array && item_type != field_type::object)
          problem(ptr, "an array of " + std::string(to_string(item_type)) + " maps to an x2many field: give \"by\" (external_id, id or name)");
        break;
      case reference_by::external_id:
      case reference_by::name:
        if (item_type != field_type::reference && item_type != field_type::string && item_type != field_type::enumeration)
          problem(child(ptr, "by"), "\"" + std::string(to_string(m.by)) + "\" needs string, enum or reference values");
        break;
      case reference_by::id:
        if (item_type != field_type::reference && item_type != field_type::integer)
          problem(child(ptr, "by"), "\"id\" needs integer or reference values");
        break;
    }
    if (is_array && item_type == field_type::object && m.by != reference_by::value)
      problem(child(ptr, "by"), "an array of objects maps to a one2many field by value");
    const bool relational = m.by != reference_by::value || m.dotted() || is_array;
    if (relational && m.relation.empty())
      problem(child(ptr, "relation"), "missing (the related Odoo model, needed for references, dotted paths and x2many fields)");
    if (!relational && !m.relation.empty() && n.type != field_type::object)
      problem(child(ptr, "relation"), "only relational mappings name a relation");
    if (m.dotted() && m.by != reference_by::value) problem(child(ptr, "by"), "a dotted path maps by value");
    if (m.dotted() && (n.type == field_type::array || n.type == field_type::object))
      problem(child(ptr, "field"), "a dotted path maps a single value");
    if (n.type == field_type::object && any_child_mapping(n))
      problem(ptr, "an object mapped as a whole cannot also map its fields (leave out \"odoo\" to flatten it)");
  }

  static bool any_child_mapping(const node& n) {
    return std::any_of(n.fields.begin(), n.fields.end(), [](const node& f) { return any_mapping(f); });
  }

  // At most one "id" field per record; only on the root and array items.
  void check_external_id_fields(const node& n, const std::string& ptr, bool record) {
    int ids = 0;
    for (const auto& f : n.fields) {
      const std::string fptr = child(ptr, f.name);
      if (f.odoo.is_external_id()) {
        ++ids;
        if (!record) problem(child(fptr, "odoo"), "only records (the contract, array items) have an external id field");
      }
      if (f.flattened()) check_external_id_fields(f, child(fptr, "fields"), false);
      if (f.type == field_type::array && f.items && f.items->type == field_type::object)
        check_external_id_fields(*f.items, child(child(fptr, "items"), "fields"), f.odoo.present);
    }
    if (ids > 1) problem(ptr, "more than one field maps to the external id (\"id\")");
  }
};

// The normalized document: fixed key order per spec, defaults left out.
json::value node_json(const node& n, unknown_fields parent_unknown);

json::value fields_json(const node& n) {
  json::object out;
  for (const auto& f : n.fields) out.emplace_back(f.name, node_json(f, n.unknown));
  return out;
}

json::value mapping_json(const node& n) {
  const mapping& m = n.odoo;
  json::value out = json::object{};
  out.set("field", m.field);
  const reference_by default_by = n.type == field_type::reference ? reference_by::external_id : reference_by::value;
  if (m.by != default_by) out.set("by", to_string(m.by));
  if (!m.relation.empty()) out.set("relation", m.relation);
  if (m.direction != mapping_direction::both) out.set("direction", to_string(m.direction));
  if (!m.values.empty()) {
    json::object values;
    for (const auto& [c, o] : m.values) values.emplace_back(c, o);
    out.set("values", std::move(values));
  }
  if (m.server_default) out.set("server_default", true);
  if (m.optional) out.set("optional", true);
  if (!m.fallback.empty()) out.set("fallback", m.fallback);
  return out;
}

json::value node_json(const node& n, unknown_fields parent_unknown) {
  json::value out = json::object{};
  out.set("type", to_string(n.type));
  if (!n.description.empty()) out.set("description", n.description);
  if (n.required) out.set("required", true);
  if (n.nullable) out.set("nullable", true);
  if (n.pii) out.set("pii", true);
  if (n.deprecated) out.set("deprecated", true);
  if (n.default_value) out.set("default", *n.default_value);
  if (!n.default_from.empty()) out.set("default_from", n.default_from);
  if (n.min_length) out.set("min_length", *n.min_length);
  if (n.max_length) out.set("max_length", *n.max_length);
  if (!n.pattern.empty()) out.set("pattern", n.pattern);
  if (n.format != string_format::none) out.set("format", to_string(n.format));
  if (n.int_minimum) out.set("minimum", *n.int_minimum);
  if (n.int_maximum) out.set("maximum", *n.int_maximum);
  if (n.minimum) out.set("minimum", *n.minimum);
  if (n.maximum) out.set("maximum", *n.maximum);
  if (n.precision) out.set("precision", *n.precision);
  if (n.scale) out.set("scale", *n.scale);
  if (!n.values.empty()) {
    json::array values;
    for (const auto& v : n.values) values.emplace_back(v);
    out.set("values", std::move(values));
  }
  if (!n.reference.empty()) out.set("contract", n.reference);
  if (n.items) out.set("items", node_json(*n.items, n.unknown));
  if (n.min_items) out.set("min_items", *n.min_items);
  if (n.max_items) out.set("max_items", *n.max_items);
  if (n.type == field_type::object) {
    if (n.unknown != parent_unknown) out.set("unknown_fields", to_string(n.unknown));
    out.set("fields", fields_json(n));
  }
  if (n.odoo.present) out.set("odoo", mapping_json(n));
  return out;
}

json::value document_json(const contract::state& st) {
  json::value out = json::object{};
  out.set("subject", st.subject);
  out.set("version", st.version_text);
  out.set("owner", st.owner);
  out.set("system_of_record", st.system_of_record);
  if (!st.description.empty()) out.set("description", st.description);
  if (st.mode != compatibility_mode::backward) out.set("compatibility", to_string(st.mode));
  if (st.root.unknown != unknown_fields::reject) out.set("unknown_fields", to_string(st.root.unknown));
  if (!st.odoo_model.empty()) out.set("odoo", json::object{{"model", st.odoo_model}});
  out.set("fields", fields_json(st.root));
  return out;
}

}  // namespace

result<contract> contract::from_json(const json::value& document) {
  auto st = std::make_shared<state>();
  loader l;
  l.load_root(document, *st);
  if (!l.problems.empty()) {
    std::string message = "invalid contract document";
    if (!st->subject.empty()) message += " " + st->subject + (st->version_text.empty() ? "" : " " + st->version_text);
    for (const auto& p : l.problems) message += "\n  " + p;
    return error(contract_errc::invalid_document, std::move(message));
  }
  st->document = document_json(*st);
  detail::write_canonical(st->canonical, st->document);
  st->fingerprint = detail::sha256_hex(st->canonical);
  return contract(std::move(st));
}

result<contract> contract::parse(std::string_view json_text) {
  // Repeated keys are kept and reported by the loader, each with its JSON
  // pointer among the document's other problems.
  auto doc = json::parse(json_text, json::parse_options{.max_bytes = std::size_t{4} << 20U, .max_depth = 128,
                                                        .keep_duplicate_keys = true});
  if (!doc) return error(contract_errc::invalid_document, "invalid contract document: " + doc.error().message());
  return from_json(doc.value());
}

std::string_view contract::subject() const noexcept { return state_->subject; }
std::string_view contract::version() const noexcept { return state_->version_text; }
semantic_version contract::semver() const noexcept { return state_->version; }
std::string_view contract::owner() const noexcept { return state_->owner; }
std::string_view contract::system_of_record() const noexcept { return state_->system_of_record; }
std::string_view contract::description() const noexcept { return state_->description; }
compatibility_mode contract::compatibility() const noexcept { return state_->mode; }
std::string_view contract::odoo_model() const noexcept { return state_->odoo_model; }
bool contract::has_pii() const noexcept { return state_->root.subtree_has_pii; }
std::string_view contract::fingerprint() const noexcept { return state_->fingerprint; }
std::string_view contract::canonical_json() const noexcept { return state_->canonical; }
const json::value& contract::to_json() const noexcept { return state_->document; }

std::string contract::to_pretty_json() const {
  std::string out;
  detail::write_pretty(out, state_->document);
  out.push_back('\n');
  return out;
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
