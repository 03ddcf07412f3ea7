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
  json::writer w(body);
  w.begin_object().key("jsonrpc").string("2.0").key("method").string("call").key("params").begin_object();
  w.key("service").string(service).key("method").string(method).key("args");
  write_args(w);
  w.end_object().key("id").integer(id).end_object();
  return body;
}

bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

void skip_ws(std::string_view t, std::size_t& pos) {
  while (pos < t.size() && is_ws(t[pos])) ++pos;
}

// pos at an opening quote; leaves pos after the closing quote.
void skip_string(std::string_view t, std::size_t& pos) {
  ++pos;
  while (pos < t.size() && t[pos] != '"') pos += t[pos] == '\\' ? 2 : 1;
  ++pos;
}

// pos at the first byte of a value of already validated JSON; leaves pos after it.
void skip_value(std::string_view t, std::size_t& pos) {
  if (t[pos] == '"') return skip_string(t, pos);
  if (t[pos] != '{' && t[pos] != '[') {
    while (pos < t.size() && t[pos] != ',' && t[pos] != '}' && t[pos] != ']' && !is_ws(t[pos])) ++pos;
    return;
  }
  int depth = 0;
  while (pos < t.size()) {
    const char c = t[pos];
    if (c == '"') {
      skip_string(t, pos);
      continue;
    }
    ++pos;
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return;
  }
}

// Where the value of the top-level "result" member lies in validated JSON text.
// Odoo writes it last, after the tiny "jsonrpc" and "id" members, so the scan
// stops at its key and the value runs to the envelope's closing brace; only
// when other members follow is the value itself skipped over.
std::string_view result_slice(std::string_view t, std::size_t member_count) {
  std::size_t pos = t.find('{') + 1;
  for (std::size_t member = 1; member <= member_count; ++member) {
    skip_ws(t, pos);
    const std::size_t key_start = pos;
    skip_string(t, pos);
    const bool is_result = t.substr(key_start, pos - key_start) == "\"result\"";
    skip_ws(t, pos);
    ++pos;  // ':'
    skip_ws(t, pos);
    const std::size_t value_start = pos;
    if (is_result && member == member_count) {
      std::size_t end = t.find_last_of('}');
      while (end > value_start && is_ws(t[end - 1])) --end;
      return t.substr(value_start, end - value_start);
    }
    skip_value(t, pos);
    if (is_result) return t.substr(value_start, pos - value_start);
    skip_ws(t, pos);
    ++pos;  // ','
  }
  return {};
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

result<reply> decode(http_response&& response, const decode_options& opts) {
  ODOOLINK_TRYV(detail::check_size(response, opts));
  if (response.status != 200) return detail::status_error(response);
  if (detail::is_html(response))
    return error(protocol_errc::unexpected_content_type,
                 "expected a JSON-RPC response, got HTML: " + detail::body_excerpt(response.body), response.status);
  const int status = response.status;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ODOOLINK_TRY(json::buffer buf, detail::validated_body(std::move(response.body), parser, root, opts));
  simdjson::dom::object envelope;
  if (root.get_object().get(envelope) != simdjson::SUCCESS)
    return error(protocol_errc::malformed_response, "response is not a JSON-RPC envelope (not an object)", status);

  simdjson::dom::element err;
  if (envelope["error"].get(err) == simdjson::SUCCESS) {
    if (!err.is_object()) return error(protocol_errc::malformed_response, "JSON-RPC error is not an object", status);
    std::string_view top_message;
    if (err["message"].get_string().get(top_message) != simdjson::SUCCESS) top_message = {};
    simdjson::dom::element data;
    if (err["data"].get(data) == simdjson::SUCCESS && data.is_object())
      return detail::odoo_fault(data, top_message, status);
    // No data: only the numeric code is left; 100 is Odoo's "session expired".
    std::int64_t code = 0;
    if (err["code"].get_int64().get(code) != simdjson::SUCCESS) code = 0;
    const auto ec = code == 100 ? odoo_errc::session_expired : odoo_errc::server_error;
    return error::odoo(ec, std::string(top_message), {}, {}, status);
  }
  if (envelope["result"].error() == simdjson::SUCCESS) {
    const std::string_view slice = result_slice(buf.whole(), envelope.size());
    if (slice.empty()) return error(protocol_errc::malformed_response, "could not locate the JSON-RPC result", status);
    return std::move(buf).slice(slice);
  }
  // `/web/session/destroy` answers an envelope without result: a null result.
  if (envelope["jsonrpc"].error() == simdjson::SUCCESS) return json::buffer(std::string("null"));
  return error(protocol_errc::malformed_response, "response has neither result nor error", status);
}

}  // namespace protocol::jsonrpc
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
