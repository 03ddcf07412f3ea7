// XML-RPC encoding: requests, responses and faults in the byte layout of
// Python's xmlrpc.client (what Odoo reads and writes).

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "odoolink/json/value.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/xmlrpc.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::xmlrpc {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// Appends `s` as XML character data. Python escapes only &, < and >; we also
// keep CR (a parser would normalise a raw one to LF) and replace what XML 1.0
// cannot carry, so the document always parses.
void append_text(std::string& out, std::string_view s) {
  std::size_t run = 0;  // start of the pending verbatim run
  std::size_t i = 0;
  auto flush = [&](std::size_t end) { out.append(s.data() + run, end - run); };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20U && c < 0x80U && c != '&' && c != '<' && c != '>') {
      ++i;
      continue;
    }
    if (c == '\t' || c == '\n') {
      ++i;
      continue;
    }
    if (c >= 0x80U) {
      const std::size_t n = json::detail::utf8_sequence_length(s, i);
      // U+FFFE and U+FFFF are valid UTF-8 but not XML characters.
      const bool non_char = n == 3 && c == 0xEFU && static_cast<unsigned char>(s[i + 1]) == 0xBFU &&
                            static_cast<unsigned char>(s[i + 2]) >= 0xBEU;
      if (n != 0 && !non_char) {
        i += n;
        continue;
      }
      flush(i);
      out.append(replacement);
      i += non_char ? 3 : 1;
      run = i;
      continue;
    }
    flush(i);
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '\r': out.append("&#13;"); break;
      default: out.append(replacement); break;  // C0 control characters
    }
    run = ++i;
  }
  flush(i);
}

void append_scalar(std::string& out, std::string_view tag, std::string_view text) {
  out.append("<value><").append(tag).append(">").append(text).append("</").append(tag).append("></value>\n");
}

void write_params(std::string& out, const json::value& params) {
  out.append("<params>\n");
  auto one = [&](const json::value& v) {
    out.append("<param>\n");
    write_value(out, v);
    out.append("</param>\n");
  };
  if (params.is_array()) {
    for (const auto& v : params.as_array()) one(v);
  } else if (!params.is_null()) {
    one(params);
  }
  out.append("</params>\n");
}

void begin_call(std::string& out, std::string_view method) {
  out.append("<?xml version='1.0'?>\n<methodCall>\n<methodName>");
  append_text(out, method);
  out.append("</methodName>\n");
}

http_request post(std::string target, std::string body) {
  http_request r;
  r.method = "POST";
  r.target = std::move(target);
  r.headers.push_back({"Content-Type", "text/xml"});
  r.body = std::move(body);
  r.idempotent = false;
  return r;
}

// Odoo's own response layout (recorded): double-quoted declaration and a
// blank line before the closing root tag.
constexpr std::string_view response_head = "<?xml version=\"1.0\"?>\n<methodResponse>\n";
constexpr std::string_view response_tail = "\n</methodResponse>\n";

}  // namespace

void write_value(std::string& out, const json::value& v) {
  switch (v.type()) {
    case json::kind::null:
      out.append("<value><nil/></value>");  // no newline, as Python writes it
      return;
    case json::kind::boolean: append_scalar(out, "boolean", v.as_bool() ? "1" : "0"); return;
    case json::kind::integer: {
      const std::int64_t i = v.as_int();
      std::string digits;
      json::write_int(digits, i);
      const bool fits32 = i >= std::numeric_limits<std::int32_t>::min() && i <= std::numeric_limits<std::int32_t>::max();
      append_scalar(out, fits32 ? "int" : "i8", digits);
      return;
    }
    case json::kind::number: {
      const double d = v.as_double();
      if (!std::isfinite(d)) {
        out.append("<value><nil/></value>");
        return;
      }
      std::string text;
      json::write_double(text, d);  // shortest round-trip form, always with '.' or exponent
      append_scalar(out, "double", text);
      return;
    }
    case json::kind::string:
      out.append("<value><string>");
      append_text(out, v.as_string());
      out.append("</string></value>\n");
      return;
    case json::kind::array:
      out.append("<value><array><data>\n");
      for (const auto& e : v.as_array()) write_value(out, e);
      out.append("</data></array></value>\n");
      return;
    case json::kind::object:
      out.append("<value><struct>\n");
      for (const auto& [key, e] : v.as_object()) {
        out.append("<member>\n<name>");
        append_text(out, key);
        out.append("</name>\n");
        write_value(out, e);
        out.append("</member>\n");
      }
      out.append("</struct></value>\n");
      return;
  }
}

http_request encode(const service_call& c) {
  std::string body;
  begin_call(body, c.method);
  write_params(body, c.args);
  body.append("</methodCall>\n");
  return post("/xmlrpc/2/" + c.service, std::move(body));
}

http_request encode(const call& c, const credentials& who) {
  std::string body;
  begin_call(body, "execute_kw");
  body.append("<params>\n");
  auto param = [&](const json::value& v) {
    body.append("<param>\n");
    write_value(body, v);
    body.append("</param>\n");
  };
  param(json::value(who.database));
  param(json::value(who.uid));
  param(json::value(who.secret));
  param(json::value(c.model));
  param(json::value(c.method));
  // args are written in place (they can be large); kwargs go through the
  // shared merge rule.
  if (c.args.is_null())
    param(json::value(json::array{}));
  else
    param(c.args);
  param(effective_kwargs(c));
  body.append("</params>\n</methodCall>\n");
  return post("/xmlrpc/2/object", std::move(body));
}

std::string encode_response(const json::value& result) {
  std::string out(response_head);
  out.append("<params>\n<param>\n");
  write_value(out, result);
  out.append("</param>\n</params>\n");
  out.append(response_tail);
  return out;
}

std::string encode_fault(int code, std::string_view message) {
  std::string out(response_head);
  out.append("<fault>\n");
  write_value(out, json::object{{"faultCode", code}, {"faultString", message}});
  out.append("</fault>\n");
  out.append(response_tail);
  return out;
}

}  // namespace protocol::xmlrpc
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
