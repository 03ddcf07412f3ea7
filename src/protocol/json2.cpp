#include "odoolink/protocol/json2.hpp"

#include <array>

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

}  // namespace

result<http_request> encode(const call& c, const auth& who) {
  const json::array empty;
  const json::array& args = c.args.is_array() ? c.args.as_array() : empty;
  if (!c.args.is_null() && !c.args.is_array()) return unsupported("positional arguments must be an array", c);
  if (!c.kwargs.is_null() && !c.kwargs.is_object()) return unsupported("keyword arguments must be an object", c);

  const signature* sig = find_signature(c.method);
  // Any method not in the table is an action on records: `ids` first, nothing else positional.
  const bool on_records = sig == nullptr || sig->on_records;
  std::size_t named_capacity = 0;
  if (sig != nullptr)
    while (named_capacity < sig->params.size() && !sig->params[named_capacity].empty()) ++named_capacity;

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
    if (p >= named_capacity)
      return unsupported("JSON-2 has no positional arguments; pass this one by name in kwargs", c);
    const std::string_view name = sig->params[p];
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
