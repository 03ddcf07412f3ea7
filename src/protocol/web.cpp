#include "odoolink/protocol/web.hpp"

#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/detail/json_body.hpp"
#include "odoolink/protocol/jsonrpc.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::web {
namespace {

// `{"jsonrpc": "2.0", "method": "call", "params": {...}, "id": N}` for the web routes, into `r`
// (whose target is set).
template <class WriteParams>
void write_web_post(http_request& r, std::int64_t id, WriteParams&& params) {
  std::string& body = r.body;
  if (body.capacity() < 512) body.reserve(512);  // a typical call fits: no regrowth while writing
  json::writer w(body);
  w.begin_object().key("jsonrpc").string("2.0").key("method").string("call").key("params").begin_object();
  params(w);
  w.end_object().key("id").integer(id).end_object();
}

template <class WriteParams>
http_request web_post(std::string_view target, std::string_view session_id, std::int64_t id, WriteParams&& params) {
  http_request r;
  detail::reset_json_post(r, target, session_id);
  write_web_post(r, id, std::forward<WriteParams>(params));
  return r;
}

}  // namespace

http_request encode_authenticate(std::string_view db, std::string_view login, std::string_view password,
                                 std::int64_t id) {
  return web_post("/web/session/authenticate", {}, id, [&](json::writer& w) {
    w.key("db").string(db).key("login").string(login).key("password").string(password);
  });
}

http_request encode_call_kw(const call& c, std::string_view session_id, std::int64_t id) {
  http_request r;
  encode_call_kw(c, session_id, id, r);
  return r;
}

void encode_call_kw(const call& c, std::string_view session_id, std::int64_t id, http_request& out) {
  detail::reset_json_post(out, "/web/dataset/call_kw/", session_id);
  // The path suffix is cosmetic for the server (model and method travel in
  // params) but makes server logs and proxies readable.
  out.target.append(c.model).append("/").append(c.method);
  write_web_post(out, id, [&](json::writer& w) {
    w.key("model").string(c.model).key("method").string(c.method).key("args");
    if (c.args.is_null()) {
      w.begin_array().end_array();
    } else {
      w.val(c.args);
    }
    w.key("kwargs");
    detail::write_kwargs(w, c);
  });
}

http_request encode_get_session_info(std::string_view session_id, std::int64_t id) {
  return web_post("/web/session/get_session_info", session_id, id, [](json::writer&) {});
}

http_request encode_destroy(std::string_view session_id, std::int64_t id) {
  return web_post("/web/session/destroy", session_id, id, [](json::writer&) {});
}

http_request encode_version_info(std::int64_t id) {
  return web_post("/web/webclient/version_info", {}, id, [](json::writer&) {});
}

std::optional<std::string> session_cookie(const http_response& response) {
  for (const auto& h : response.headers) {
    if (!header_name_equals(h.name, "Set-Cookie")) continue;
    std::string_view v = h.value;
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    constexpr std::string_view prefix = "session_id=";
    if (v.substr(0, prefix.size()) != prefix) continue;
    v.remove_prefix(prefix.size());
    return std::string(v.substr(0, v.find(';')));
  }
  return std::nullopt;
}

result<reply> decode(http_response&& response, const decode_options& opts, const result_reader* reader) {
  return jsonrpc::decode(std::move(response), opts, reader);
}

}  // namespace protocol::web
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
