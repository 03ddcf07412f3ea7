#include "odoolink/model/codegen.hpp"

#include <algorithm>
#include <iterator>
#include <set>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {
namespace {

constexpr std::string_view cpp_keywords[] = {
    "alignas",   "alignof",  "and",       "and_eq",     "asm",          "auto",         "bitand",      "bitor",
    "bool",      "break",    "case",      "catch",      "char",         "char8_t",      "char16_t",    "char32_t",
    "class",     "compl",    "concept",   "const",      "consteval",    "constexpr",    "constinit",   "const_cast",
    "continue",  "co_await", "co_return", "co_yield",   "decltype",     "default",      "delete",      "do",
    "double",    "dynamic_cast", "else",  "enum",       "explicit",     "export",       "extern",      "false",
    "float",     "for",      "friend",    "goto",       "if",           "inline",       "int",         "long",
    "mutable",   "namespace", "new",      "noexcept",   "not",          "not_eq",       "nullptr",     "operator",
    "or",        "or_eq",    "private",   "protected",  "public",       "register",     "reinterpret_cast", "requires",
    "return",    "short",    "signed",    "sizeof",     "static",       "static_assert", "static_cast", "struct",
    "switch",    "template", "this",      "thread_local", "throw",      "true",         "try",         "typedef",
    "typeid",    "typename", "union",     "unsigned",   "using",        "virtual",      "void",        "volatile",
    "wchar_t",   "while",    "xor",       "xor_eq",     "final",        "override",     "import",      "module",
    "assert"};

bool is_keyword(std::string_view s) {
  return std::find(std::begin(cpp_keywords), std::end(cpp_keywords), s) != std::end(cpp_keywords);
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Any text to a lower-case snake_case identifier; empty when nothing usable.
std::string identifier(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (is_alnum(c)) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (!out.empty() && out.front() >= '0' && out.front() <= '9') out.insert(out.begin(), 'v');
  if (is_keyword(out)) out.push_back('_');
  return out;
}

// A name not in `taken` (appending `_` as needed), then taken.
std::string unique_name(std::string name, std::set<std::string>& taken) {
  while (taken.count(name) != 0) name.push_back('_');
  taken.insert(name);
  return name;
}

// Documentation text on one line: whitespace collapsed, nothing that could
// end a comment or confuse a reader of the header.
std::string doc_text(std::string_view text, std::size_t max = 200) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20U || c == ' ') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else if (c == '\\') {
      out.push_back('/');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > max) {
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) --cut;  // keep UTF-8 whole
    out.resize(cut);
    out += "...";
  }
  return out;
}

// A C++ string literal for `s` (ASCII printable kept, everything else escaped).
std::string literal(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u >= 0x20U && u < 0x7FU) {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(hex[u >> 4U]);
      out.push_back(hex[u & 0xFU]);
      out += "\"\"";  // end the hex escape
    }
  }
  out.push_back('"');
  return out;
}

constexpr std::string_view ns_model = "::odoolink::model::";
constexpr std::string_view ns_models = "::odoolink::models::";

enum class selection_form { enumeration, text, raw };

struct field_plan {
  const field_info* info = nullptr;
  std::string ident;       // C++ name of descriptor and member
  std::string kind;        // kind type
  std::string member;      // member type
  std::string init;        // default member initialiser ("" for none)
  std::string enum_name;   // selection enums
  std::vector<std::pair<std::string, std::string>> enumerators;  // (identifier, value)
  std::string doc;         // descriptor doc
};

// Where the model's structs live: `::odoolink::models::` or `::odoolink::models::v17::`.
std::string models_scope(const codegen_options& options) {
  std::string out(ns_models);
  if (options.series > 0) out += series_namespace(options.series) + "::";
  return out;
}

std::string relation_tag(const field_info& f, const codegen_options& options) {
  if (f.relation.empty()) return std::string(ns_model) + "any_model";
  return models_scope(options) + model_identifier(f.relation);
}

// Plans the enum of a selection, or says why it stays text/raw.
selection_form plan_selection(const field_info& f, const codegen_options& options,
                              std::vector<std::pair<std::string, std::string>>& enumerators) {
  for (const auto& [value, label] : f.selection)
    if (!value.is_string()) return selection_form::raw;
  if (f.selection.empty() || f.selection.size() > options.max_enum_values) return selection_form::text;
  std::set<std::string> taken{"unknown"};
  for (const auto& [value, label] : f.selection) {
    std::string id = identifier(value.as_string());
    if (id.empty()) return selection_form::text;
    if (id == "unknown") id = "unknown_";
    if (!taken.insert(id).second) return selection_form::text;  // two values, one identifier
    enumerators.emplace_back(std::move(id), value.as_string());
  }
  return selection_form::enumeration;
}

std::string currency_of(const field_info& f, const std::vector<field_info>& fields) {
  if (!f.currency_field.empty()) return f.currency_field;
  for (const auto& other : fields)
    if (other.name == "currency_id" && other.type == "many2one") return "currency_id";
  return {};
}

// Binary fields Odoo's forms fill with JSON objects rather than base64 (seen
// on real Odoo 17 and 19: totals and payment widgets of invoices and orders,
// the tax and term keys of journal items).
bool json_valued_binary(std::string_view field) {
  return field == "tax_totals" || field == "invoice_outstanding_credits_debits_widget" ||
         field == "invoice_payments_widget" || field == "tax_key" || field == "term_key";
}

void plan_type(field_plan& p, const std::vector<field_info>& fields, const codegen_options& options) {
  const field_info& f = *p.info;
  const std::string m(ns_model);
  const std::string& t = f.type;
  if (t == "boolean") {
    p.kind = m + "kind::boolean";
    p.member = "bool";
    p.init = "false";
  } else if (t == "integer") {
    p.kind = m + "kind::integer";
    p.member = "std::int64_t";
    p.init = "0";
  } else if (t == "float") {
    p.kind = m + "kind::float_";
    p.member = "double";
    p.init = "0";
  } else if (t == "monetary") {
    p.kind = m + "kind::monetary";
    p.member = m + "monetary";
    p.init = "0";
    const std::string currency = currency_of(f, fields);
    p.doc += currency.empty() ? " In the record's currency." : " In the currency of `" + currency + "`.";
  } else if (t == "char" || t == "text" || t == "html") {
    p.kind = m + "kind::" + (t == "char" ? std::string("char_") : t);
    p.member = "std::optional<std::string>";
  } else if (t == "selection") {
    switch (plan_selection(f, options, p.enumerators)) {
      case selection_form::enumeration:
        p.kind = m + "kind::selection<" + p.enum_name + ">";
        p.member = "std::optional<" + p.enum_name + ">";
        break;
      case selection_form::text:
        p.enum_name.clear();
        p.kind = m + "kind::selection_text";
        p.member = "std::optional<std::string>";
        p.doc += " A selection kept as text (" + std::to_string(f.selection.size()) + " values).";
        break;
      case selection_form::raw:
        p.enum_name.clear();
        p.kind = m + "kind::raw";
        p.member = "::odoolink::json::value";
        p.doc += " A selection with non-text values, kept as JSON.";
        break;
    }
  } else if (t == "date") {
    p.kind = m + "kind::date";
    p.member = "std::optional<" + m + "date>";
  } else if (t == "datetime") {
    p.kind = m + "kind::datetime";
    p.member = "std::optional<" + m + "datetime>";
  } else if (t == "binary" && json_valued_binary(f.name)) {
    p.kind = m + "kind::raw";
    p.member = "::odoolink::json::value";
    p.doc += " Declared `binary`, but Odoo sends a JSON object (a widget's data), kept as JSON.";
  } else if (t == "binary") {
    p.kind = m + "kind::binary";
    p.member = "std::optional<" + m + "binary>";
  } else if (t == "many2one" || t == "one2many" || t == "many2many") {
    const std::string tag = relation_tag(f, options);
    p.kind = m + "kind::" + t + "<" + tag + ">";
    p.member = m + t + "<" + tag + ">";
    if (!f.relation.empty()) p.doc += " Related model: `" + f.relation + "`.";
  } else {
    p.kind = m + "kind::raw";
    p.member = "::odoolink::json::value";
    p.doc += " Odoo type `" + t + "`, kept as JSON.";
  }
}

bool valid_model_name(std::string_view model) {
  if (model.empty()) return false;
  return std::all_of(model.begin(), model.end(), [](char c) { return is_alnum(c) || c == '.' || c == '_'; });
}

}  // namespace

std::string model_identifier(std::string_view model) {
  std::string out = identifier(model);
  return out.empty() ? std::string("model_") : out;
}

std::string model_header_name(std::string_view model) { return model_identifier(model) + ".hpp"; }

bool unreadable_over_rpc(std::string_view model, std::string_view field) noexcept {
  return field == "needed_terms" || field == "compute_all_tax" || field == "epd_needed" || field == "discount_allocation_needed" ||
         (model == "account.move" && field == "partner_credit") ||
         // The user form's reified group fields (`in_group_12`, `sel_groups_1_10_11`,
         // Odoo <= 18): fields_get lists them, read does not return them.
         (model == "res.users" && (field.starts_with("in_group_") || field.starts_with("sel_groups_")));
}

std::string series_namespace(int series) { return series > 0 ? "v" + std::to_string(series) : std::string(); }

result<std::string> generate_model_header(std::string_view model, const std::vector<field_info>& input,
                                          const codegen_options& options) {
  if (!valid_model_name(model))
    return error(protocol_errc::unsupported_call, "codegen: not a model name: \"" + std::string(model) + "\"");
  std::vector<field_info> fields = input;
  std::sort(fields.begin(), fields.end(), [](const field_info& a, const field_info& b) { return a.name < b.name; });
  fields.erase(std::unique(fields.begin(), fields.end(), [](const field_info& a, const field_info& b) { return a.name == b.name; }),
               fields.end());

  const std::string self = model_identifier(model);
  // Names inside the model struct: descriptors, enums and the fixed members.
  std::set<std::string> model_names{self, "odoo_model", "record"};
  std::set<std::string> record_names{"record", "odoolink_model", "odoolink_fields"};
  std::vector<field_plan> plans;
  plans.reserve(fields.size());
  for (const auto& f : fields) {
    field_plan p;
    p.info = &f;
    std::string base = identifier(f.name);
    if (base.empty()) base = "field";
    p.ident = unique_name(base, model_names);
    record_names.insert(p.ident);
    plans.push_back(std::move(p));
  }
  if (std::none_of(plans.begin(), plans.end(), [](const field_plan& p) { return p.info->name == "id"; })) {
    // Every model has `id`; a fields_get without it still gets one.
    static const field_info id{"id", "integer", "ID", {}, {}, {}, false, true, {}};
    field_plan p;
    p.info = &id;
    p.ident = unique_name("id", model_names);
    plans.insert(plans.begin(), std::move(p));
    std::stable_sort(plans.begin(), plans.end(), [](const field_plan& a, const field_plan& b) { return a.info->name < b.info->name; });
  }
  for (auto& p : plans) {
    if (p.info->type == "selection") p.enum_name = unique_name(p.ident + "_value", model_names);
    plan_type(p, fields, options);
  }

  std::set<std::string> relations;
  for (const auto& f : fields)
    if (!f.relation.empty() && (f.type == "many2one" || f.type == "one2many" || f.type == "many2many") &&
        model_identifier(f.relation) != self)
      relations.insert(model_identifier(f.relation));

  std::string o;
  o.reserve(64 * 1024);
  const std::string series = series_namespace(options.series);
  const std::string scope = "models::" + (series.empty() ? std::string() : series + "::");
  o += "// Generated by `odoolink codegen` from the fields_get of " + std::string(model);
  if (options.series > 0) o += " on Odoo " + std::to_string(options.series);
  o += ". Do not edit;\n";
  o += "// regenerate with `odoolink codegen`.\n";
  o += "#pragma once\n";
  o += "/// @file\n";
  o += "/// The Odoo model `" + std::string(model) + "`";
  if (options.series > 0) o += " as Odoo " + std::to_string(options.series) + " defines it";
  o += ": `" + scope + self + "` holds its field descriptors\n";
  o += "/// (for domains, values and typed records) and selection enums;\n";
  o += "/// `" + scope + self + "::record` is a typed record with every field (typed reads\n";
  o += "/// ask the server only for those it has).\n\n";
  o += "#include <array>\n#include <cstdint>\n#include <optional>\n#include <string>\n#include <string_view>\n\n";
  o += "#include \"odoolink/config.hpp\"\n#include \"odoolink/json/value.hpp\"\n#include \"odoolink/model/record.hpp\"\n\n";
  o += "namespace odoolink {\nODOOLINK_BEGIN_NAMESPACE\nnamespace models {\n";
  if (!series.empty()) o += std::string(options.default_series ? "inline " : "") + "namespace " + series + " {\n";
  o += "\n";
  if (!relations.empty()) {
    o += "// Related models (tags; include their headers to use their fields).\n";
    for (const auto& r : relations) o += "struct " + r + ";\n";
    o += "\n";
  }
  o += "/// The Odoo model `" + std::string(model) + "`.\n";
  o += "struct " + self + " {\n";
  o += "  /// The model's technical name.\n";
  o += "  static constexpr std::string_view odoo_model = " + literal(model) + ";\n";
  for (const auto& p : plans) {
    if (p.enumerators.empty() || p.enum_name.empty()) continue;
    o += "\n  /// Values of the selection `" + p.info->name + "`";
    if (!p.info->label.empty()) o += " (" + doc_text(p.info->label) + ")";
    o += ".\n";
    o += "  enum class " + p.enum_name + " : std::uint8_t {\n";
    o += "    unknown,  ///< a value this header does not list\n";
    for (std::size_t i = 0; i < p.enumerators.size(); ++i) {
      const auto& [id, value] = p.enumerators[i];
      std::string label;
      for (const auto& [v, l] : p.info->selection)
        if (v.is_string() && v.as_string() == value) label = l;
      o += "    " + id + ",  ///< `" + doc_text(value) + "`";
      if (!label.empty()) o += ": " + doc_text(label);
      o += "\n";
    }
    o += "  };\n";
    o += "  /// Odoo's values of `" + p.enum_name + "` (found by `model::to_string` / `model::from_string`).\n";
    o += "  friend constexpr auto odoo_selection(" + p.enum_name + ") noexcept {\n";
    o += "    using entry = " + std::string(ns_model) + "selection_entry<" + p.enum_name + ">;\n";
    o += "    return std::array<entry, " + std::to_string(p.enumerators.size()) + ">{{\n";
    for (const auto& [id, value] : p.enumerators) o += "        {" + p.enum_name + "::" + id + ", " + literal(value) + "},\n";
    o += "    }};\n  }\n";
  }
  o += "\n";
  for (const auto& p : plans) {
    const field_info& f = *p.info;
    o += "  /// " + (f.label.empty() ? std::string("`") + f.name + "`" : doc_text(f.label)) + " (" + doc_text(f.type);
    if (f.required) o += ", required";
    if (f.readonly) o += ", readonly";
    o += ")." + p.doc;
    if (!f.help.empty()) o += " " + doc_text(f.help);
    o += "\n";
    o += "  static constexpr " + std::string(ns_model) + "field<" + self + ", " + p.kind + "> " + p.ident + "{" + literal(f.name) + "};\n";
  }
  o += "\n  struct record;\n};\n\n";

  o += "/// Every field of `" + std::string(model) + "`, as a typed record.\n";
  o += "struct " + self + "::record {\n";
  std::vector<const field_plan*> in_record;
  for (const auto& p : plans)
    if (!unreadable_over_rpc(model, p.info->name)) in_record.push_back(&p);
  for (const auto& p : plans) {
    if (unreadable_over_rpc(model, p.info->name)) {
      o += "  // `" + p.info->name + "` is left out: Odoo cannot send its value over RPC.\n";
      continue;
    }
    o += "  " + p.member + " " + p.ident;
    if (!p.init.empty()) o += " = " + p.init;
    o += ";  ///< " + (p.info->label.empty() ? p.info->name : doc_text(p.info->label, 80)) + "\n";
  }
  o += "\n  using odoolink_model = " + self + ";\n";
  o += "  /// Typed reads leave out the fields the server lacks (another series, a module not installed).\n";
  o += "  static constexpr bool odoolink_all_optional = true;\n";
  o += "  static constexpr auto odoolink_fields() {\n";
  o += "    return " + std::string(ns_model) + "fields(\n";
  for (std::size_t i = 0; i < in_record.size(); ++i) {
    const auto& p = *in_record[i];
    o += "        " + std::string(ns_model) + "bind<&record::" + p.ident + ">(" + self + "::" + p.ident + ")";
    o += i + 1 == in_record.size() ? ");\n" : ",\n";
  }
  o += "  }\n};\n\n";
  if (!series.empty()) o += "}  // namespace " + series + "\n";
  o += "}  // namespace models\nODOOLINK_END_NAMESPACE\n}  // namespace odoolink\n";
  return o;
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
