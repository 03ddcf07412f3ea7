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
  return detail::json_post("/jsonrpc", envelope("object", "execute_kw", id, [&](json::writer& w) {
                             w.begin_array().string(who.database).integer(who.uid).string(who.secret);
                             w.string(c.model).string(c.method);
                             if (c.args.is_null()) {
                               w.begin_array().end_array();
                             } else {
                               w.val(c.args);
                             }
                             detail::write_kwargs(w, c);
                             w.end_array();
                           }));
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
