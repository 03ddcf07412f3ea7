#include "odoolink/protocol/json2.hpp"

#include <array>
#include <string>
#include <vector>

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/detail/json_body.hpp"
#include "odoolink/protocol/detail/response_checks.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::json2 {
namespace {

// How a standard ORM method takes its arguments on JSON-2 (Odoo 19 signatures).
struct signature {
  std::string_view method;
  bool on_records;  // first positional argument is the record ids
  std::array<std::string_view, 7> params;
};

constexpr std::array<signature, 20> signatures{{
    {"search", false, {"domain", "offset", "limit", "order"}},
    {"search_read", false, {"domain", "fields", "offset", "limit", "order"}},
    {"search_count", false, {"domain", "limit"}},
    {"search_fetch", false, {"domain", "field_names", "offset", "limit", "order"}},
    {"name_search", false, {"name", "domain", "operator", "limit"}},
    {"name_create", false, {"name"}},
    {"create", false, {"vals_list"}},
    {"fields_get", false, {"allfields", "attributes"}},
    {"load", false, {"fields", "data"}},
    {"default_get", false, {"fields"}},
    {"read_group", false, {"domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"}},
    {"formatted_read_group", false, {"domain", "groupby", "aggregates", "having", "offset", "limit", "order"}},
    {"web_search_read", false, {"domain", "specification", "offset", "limit", "order", "count_limit"}},
    {"read", true, {"fields", "load"}},
    {"write", true, {"vals"}},
    {"unlink", true, {}},
    {"copy", true, {"default"}},
    {"copy_data", true, {"default"}},
    {"web_read", true, {"specification"}},
    {"export_data", true, {"fields_to_export"}},
}};

const signature* find_signature(std::string_view method) {
  for (const auto& s : signatures)
    if (s.method == method) return &s;
  return nullptr;
}

error unsupported(std::string_view what, const call& c) {
  return error(protocol_errc::unsupported_call, std::string(what) + " (" + c.model + "." + c.method + ")");
}

bool kwargs_has(const call& c, std::string_view key) {
  return c.kwargs.is_object() && c.kwargs.find(key) != nullptr;
}

// The names positional arguments take, and whether the first is the ids.
struct positional {
  bool on_records = true;
  std::vector<std::string_view> names;
  bool published = false;  // named by the server's signature
};

result<positional> positional_of(const call& c, const model_signatures* published) {
  positional out;
  if (const signature* sig = find_signature(c.method)) {
    out.on_records = sig->on_records;
    for (const auto p : sig->params)
      if (!p.empty()) out.names.push_back(p);
    return out;
  }
  if (published == nullptr) return out;  // taken as an action on records: ids, nothing else positional
  const auto it = published->methods.find(c.method);
  // Unpublished (private, or added by a module without docs) but nothing to
  // name beyond the ids: send it, and the server answers for itself (a
  // private method is its AccessError, as on the other protocols).
  if (it == published->methods.end() && (!c.args.is_array() || c.args.as_array().size() <= 1)) return out;
  if (it == published->methods.end())
    return unsupported("the server publishes no method '" + c.method + "' on model '" + c.model +
                           "' to name its positional arguments by",
                       c);
  out.on_records = it->second.on_records;
  for (const auto& p : it->second.params) out.names.emplace_back(p);
  out.published = true;
  return out;
}

std::string listed(const std::vector<std::string_view>& names) {
  std::string out = "(";
  for (std::size_t i = 0; i < names.size(); ++i) out.append(i == 0 ? "" : ", ").append(names[i]);
  return out + ")";
}

}  // namespace

bool has_builtin_signature(std::string_view method) noexcept { return find_signature(method) != nullptr; }

bool needs_signatures(const call& c) noexcept {
  return c.args.is_array() && !c.args.as_array().empty() && !has_builtin_signature(c.method);
}

result<http_request> encode(const call& c, const auth& who, const model_signatures* published) {
  const json::array empty;
  const json::array& args = c.args.is_array() ? c.args.as_array() : empty;
  if (!c.args.is_null() && !c.args.is_array()) return unsupported("positional arguments must be an array", c);
  if (!c.kwargs.is_null() && !c.kwargs.is_object()) return unsupported("keyword arguments must be an object", c);

  ODOOLINK_TRY(const positional sig, positional_of(c, published));
  const bool on_records = sig.on_records;
  const std::size_t named_capacity = sig.names.size();

  std::string body;
  body.reserve(512);  // a typical call fits: no regrowth while writing
  json::writer w(body);
  w.begin_object();
  std::size_t next = 0;
  if (on_records && !args.empty()) {
    if (kwargs_has(c, "ids")) return unsupported("ids given both positionally and by name", c);
    const json::value& ids = args[0];
    if (ids.is_int()) {
      w.key("ids").begin_array().integer(ids.as_int()).end_array();
    } else if (ids.is_array()) {
      w.key("ids").val(ids);
    } else {
      return unsupported("the first positional argument of a record method must be the ids", c);
    }
    next = 1;
  }
  for (std::size_t p = 0; next < args.size(); ++next, ++p) {
    if (p >= named_capacity && sig.published)
      return unsupported(std::to_string(args.size()) + " positional arguments, more than the server's signature " +
                             (on_records ? "(ids, " + listed(sig.names).substr(1) : listed(sig.names)) + " takes",
                         c);
    if (p >= named_capacity)
      return unsupported("JSON-2 has no positional arguments; pass this one by name in kwargs", c);
    const std::string_view name = sig.names[p];
    if (kwargs_has(c, name)) return unsupported("argument '" + std::string(name) + "' given twice", c);
    w.key(name).val(args[next]);
  }
  detail::write_kwargs_members(w, c);
  w.end_object();

  http_request r = detail::json_post("/json/2/" + c.model + "/" + c.method, std::move(body));
  if (!who.api_key.empty()) r.headers.push_back({"Authorization", "bearer " + who.api_key});
  if (!who.database.empty()) r.headers.push_back({"X-Odoo-Database", who.database});
  return r;
}

http_request encode_signatures_request(std::string_view model, const auth& who) {
  http_request r;
  r.method = "GET";
  r.target = "/doc-bearer/" + std::string(model) + ".json";
  if (!who.api_key.empty()) r.headers.push_back({"Authorization", "bearer " + who.api_key});
  if (!who.database.empty()) r.headers.push_back({"X-Odoo-Database", who.database});
  r.idempotent = true;
  return r;
}

result<model_signatures> decode_signatures(http_response&& response, std::string_view model, const decode_options& opts) {
  if (response.status == 404)
    return error::odoo(odoo_errc::unknown_model,
                       "the server publishes no signatures for model '" + std::string(model) +
                           "' (unknown model, or the api_doc module is not installed)",
                       {}, {}, 404);
  ODOOLINK_TRY(auto body, decode(std::move(response), opts));
  ODOOLINK_TRY(auto doc, json::parse(body.json()));
  const json::value* methods = doc.is_object() ? doc.find("methods") : nullptr;
  if (methods == nullptr || !methods->is_object())
    return error(protocol_errc::malformed_response,
                 "the signatures document of model '" + std::string(model) + "' has no \"methods\" object");
  model_signatures out;
  out.model = std::string(model);
  for (const auto& [name, m] : methods->as_object()) {
    if (!m.is_object()) continue;
    method_signature sig;
    if (const json::value* api = m.find("api"); api != nullptr && api->is_array())
      for (const auto& a : api->as_array()) sig.on_records = sig.on_records && !(a.is_string() && a.as_string() == "model");
    if (const json::value* ps = m.find("parameters"); ps != nullptr && ps->is_object())
      for (const auto& [p, unused] : ps->as_object()) sig.params.push_back(p);
    out.methods.insert_or_assign(name, std::move(sig));
  }
  return out;
}

http_request encode_version() {
  http_request r;
  r.method = "GET";
  r.target = "/web/version";
  r.idempotent = true;
  return r;
}

result<reply> decode(http_response&& response, const decode_options& opts, const result_reader* reader) {
  ODOOLINK_TRYV(detail::check_size(response, opts));
  const int status = response.status;
  if (detail::is_html(response)) {
    // Odoo answers an unknown or filtered-out database with an HTML 404 page.
    if (status == 404 && response.body.find("No database is selected") != std::string::npos)
      return error::odoo(odoo_errc::unknown_database, "no database is selected (unknown or filtered-out database)",
                         {}, {}, status);
    if (status == 200)
      return error(protocol_errc::unexpected_content_type,
                   "expected a JSON-2 response, got HTML: " + detail::body_excerpt(response.body), status);
    return detail::status_error(response);
  }
  if (status != 200 && response.body.empty()) return detail::status_error(response);

  if (status == 200) return detail::read_bare(std::move(response.body), opts, reader);

  json::buffer body(std::move(response.body));
  auto fault = detail::read_fault(body, opts);
  if (!fault) {
    http_response again;
    again.status = status;
    return detail::status_error(again).with_context("unreadable error body");
  }
  if (!fault.value().has_name) {
    http_response bare;
    bare.status = status;
    bare.body = std::string(body.whole());
    return detail::status_error(bare);
  }
  error e = detail::odoo_fault(fault.value(), {}, status);
  if (status == 400 && e.odoo_class() == "werkzeug.exceptions.BadRequest")
    return error::detailed(protocol_errc::bad_request, e.message(), std::string(e.odoo_class()),
                           std::string(e.debug()), status);
  if (status == 429 || status == 502 || status == 503 || status == 504) {
    http_response bare;
    bare.status = status;
    return detail::status_error(bare);
  }
  return e;
}

}  // namespace protocol::json2
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
