#include "odoolink/protocol/detail/json_body.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::detail {
namespace {

std::string_view string_member(simdjson::dom::element obj, std::string_view key) {
  std::string_view out;
  if (obj[key].get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

}  // namespace

void write_kwargs_members(json::writer& w, const call& c) {
  const json::value* existing_context = nullptr;
  if (c.kwargs.is_object()) {
    for (const auto& [key, val] : c.kwargs.as_object()) {
      if (key == "context" && !c.context.is_null()) {
        existing_context = &val;
        continue;
      }
      w.key(key).val(val);
    }
  }
  if (c.context.is_null()) return;
  w.key("context");
  if (existing_context == nullptr || !existing_context->is_object() || !c.context.is_object()) {
    w.val(c.context);
    return;
  }
  // The call's context wins over a context passed in kwargs, key by key.
  w.begin_object();
  for (const auto& [key, val] : existing_context->as_object())
    if (c.context.find(key) == nullptr) w.key(key).val(val);
  for (const auto& [key, val] : c.context.as_object()) w.key(key).val(val);
  w.end_object();
}

void write_kwargs(json::writer& w, const call& c) {
  w.begin_object();
  write_kwargs_members(w, c);
  w.end_object();
}

http_request json_post(std::string target, std::string body) {
  http_request r;
  r.method = "POST";
  r.target = std::move(target);
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

result<json::buffer> validated_body(std::string body, simdjson::dom::parser& parser, simdjson::dom::element& root,
                                    const decode_options& opts) {
  json::buffer buf(std::move(body));
  const std::string_view text = buf.whole();
  auto padded = buf.padded_view();
  // Allocating with our depth limit makes simdjson refuse deeper input itself.
  if (parser.allocate(text.size() + 1, opts.max_depth) != simdjson::SUCCESS)
    return error(protocol_errc::response_too_large, "response too large to parse");
  auto parsed = parser.parse(padded.data(), text.size(), false);
  if (parsed.error() != simdjson::SUCCESS) {
    switch (parsed.error()) {
      case simdjson::UTF8_ERROR: return error(protocol_errc::invalid_utf8, "response is not valid UTF-8");
      case simdjson::DEPTH_ERROR: return error(protocol_errc::nesting_too_deep, "response nests too deeply");
      case simdjson::CAPACITY: return error(protocol_errc::response_too_large, "response too large to parse");
      case simdjson::EMPTY: return error(protocol_errc::malformed_response, "response body is empty");
      default:
        return error(protocol_errc::malformed_response,
                     std::string("response is not valid JSON (") + simdjson::error_message(parsed.error()) + ")");
    }
  }
  root = parsed.value_unsafe();
  return buf;
}

error odoo_fault(simdjson::dom::element fault, std::string_view fallback_message, int http_status) {
  const std::string_view name = string_member(fault, "name");
  std::string_view message = string_member(fault, "message");
  if (message.empty()) message = fallback_message;
  const odoo_errc code = odoo_errc_from_class(name, message);
  return error::odoo(code, std::string(message), std::string(name), std::string(string_member(fault, "debug")),
                     http_status);
}

}  // namespace protocol::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
