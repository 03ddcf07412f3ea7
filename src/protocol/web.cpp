#include "odoolink/protocol/web.hpp"

#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/detail/json_body.hpp"
#include "odoolink/protocol/jsonrpc.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::web {
namespace {

// `{"jsonrpc": "2.0", "method": "call", "params": {...}, "id": N}` for the web routes.
template <class WriteParams>
http_request web_post(std::string target, std::string_view session_id, std::int64_t id, WriteParams&& params) {
  std::string body;
  body.reserve(512);  // a typical call fits: no regrowth while writing
  json::writer w(body);
  w.begin_object().key("jsonrpc").string("2.0").key("method").string("call").key("params").begin_object();
  params(w);
  w.end_object().key("id").integer(id).end_object();
  http_request r = detail::json_post(std::move(target), std::move(body));
  if (!session_id.empty()) r.headers.push_back({"Cookie", "session_id=" + std::string(session_id)});
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
  // The path suffix is cosmetic for the server (model and method travel in
  // params) but makes server logs and proxies readable.
  return web_post("/web/dataset/call_kw/" + c.model + "/" + c.method, session_id, id, [&](json::writer& w) {
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
