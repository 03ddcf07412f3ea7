#include "odoolink/protocol/jsonrpc.hpp"

#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/detail/json_body.hpp"
#include "odoolink/protocol/detail/response_checks.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::jsonrpc {
namespace {

// `{"jsonrpc": "2.0", "method": "call", "params": {"service": S, "method": M, "args": [` ... `]}, "id": N}`
template <class WriteArgs>
std::string envelope(std::string_view service, std::string_view method, std::int64_t id, WriteArgs&& write_args) {
  std::string body;
  body.reserve(512);  // a typical call fits: no regrowth while writing
  json::writer w(body);
  w.begin_object().key("jsonrpc").string("2.0").key("method").string("call").key("params").begin_object();
  w.key("service").string(service).key("method").string(method).key("args");
  write_args(w);
  w.end_object().key("id").integer(id).end_object();
  return body;
}

}  // namespace

http_request encode(const service_call& c, std::int64_t id) {
  return detail::json_post("/jsonrpc", envelope(c.service, c.method, id, [&](json::writer& w) {
                             w.val(c.args.is_null() ? json::value(json::array{}) : c.args);
                           }));
}

http_request encode(const call& c, const credentials& who, std::int64_t id) {
  http_request r;
  execute_kw_encoder(who).encode(c, id, r);
  return r;
}

execute_kw_encoder::execute_kw_encoder(const credentials& who) {
  // The same writer calls as `envelope`, stopped inside the argument list.
  json::writer w(prefix_);
  w.begin_object().key("jsonrpc").string("2.0").key("method").string("call").key("params").begin_object();
  w.key("service").string("object").key("method").string("execute_kw").key("args");
  w.begin_array().string(who.database).integer(who.uid).string(who.secret);
}

void execute_kw_encoder::encode(const call& c, std::int64_t id, http_request& out) const {
  detail::reset_json_post(out, "/jsonrpc");
  std::string& body = out.body;
  if (body.capacity() < 512) body.reserve(512);  // a typical call fits: no regrowth while writing
  body.append(prefix_);
  body.append(", ");
  json::write_string(body, c.model);
  body.append(", ");
  json::write_string(body, c.method);
  body.append(", ");
  if (c.args.is_null()) {
    body.append("[]");
  } else {
    json::write(body, c.args);
  }
  body.append(", ");
  json::writer kwargs(body);
  detail::write_kwargs(kwargs, c);
  body.append("]}, \"id\": ");
  json::write_int(body, id);
  body.push_back('}');
}

result<reply> decode(http_response&& response, const decode_options& opts, const result_reader* reader) {
  ODOOLINK_TRYV(detail::check_size(response, opts));
  if (response.status != 200) return detail::status_error(response);
  if (detail::is_html(response))
    return error(protocol_errc::unexpected_content_type,
                 "expected a JSON-RPC response, got HTML: " + detail::body_excerpt(response.body), response.status);
  return detail::read_jsonrpc(std::move(response.body), response.status, opts, reader);
}

}  // namespace protocol::jsonrpc
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
