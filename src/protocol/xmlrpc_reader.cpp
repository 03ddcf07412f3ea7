// XML-RPC decoding with expat: the value tree is streamed straight into JSON
// text, with the element nesting kept in a heap vector (no recursion).
// Responses in Odoo's plain layout are read by xmlrpc_plain.cpp first.

#include <expat.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "../core/text.hpp"
#include "xmlrpc_plain.hpp"
#include "xmlrpc_scalars.hpp"
#include "odoolink/json/odoo.hpp"
#include "odoolink/json/detail/object_keys.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/detail/response_checks.hpp"
#include "odoolink/protocol/xmlrpc.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::xmlrpc {
namespace {

enum class node : std::uint8_t {
  document,
  method_response,
  method_call,
  method_name,
  params,
  param,
  fault,
  value,
  array,
  data,
  structure,
  member,
  name,
  t_int,
  t_boolean,
  t_double,
  t_string,
  t_datetime,
  t_base64,
  t_nil,
};

// What an element has seen so far; the meaning of `count` and the flags
// depends on the kind (params: params seen; data/structure: items written).
struct frame {
  node kind;
  std::size_t count = 0;
  bool first = false;   // value: typed child; member: name; method_call: methodName; array: data
  bool second = false;  // member: value; param/fault: value; method_call: params
};

using odoolink::detail::is_blank;
using odoolink::detail::trim_blanks;

bool all_space(std::string_view s) noexcept { return std::all_of(s.begin(), s.end(), is_blank); }

// Python's unmarshaller drops namespace prefixes (Apache's `ex:i8`, `ex:nil`).
std::string_view local_name(const XML_Char* name) noexcept {
  std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// Untrusted text in an error message: its shape only (a value's text may be
// personal data).
std::string quote(std::string_view s) { return json::detail::text_shape(trim_blanks(s)); }

enum class mode { response, request };

class reader {
 public:
  reader(mode m, std::size_t max_depth) : mode_(m), max_depth_(max_depth) {
    stack_.push_back({node::document});
  }

  /// Parses `body`; afterwards `json()` holds the param value (response),
  /// the fault value (`is_fault()`), or the params array (request).
  [[nodiscard]] result<void> run(std::string_view body) {
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate(nullptr), &XML_ParserFree);
    if (!parser) return error(protocol_errc::response_too_large, "cannot allocate an XML parser");
    parser_ = parser.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &reader::on_start, &reader::on_end);
    XML_SetCharacterDataHandler(parser_, &reader::on_text);
    // No DTD at all: it is the only way to declare entities, so refusing it
    // rules out entity expansion (billion laughs) and external fetches.
    XML_SetStartDoctypeDeclHandler(parser_, &reader::on_doctype);
    XML_SetEntityDeclHandler(parser_, &reader::on_entity);
    XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);

    out_.reserve(body.size() / 2);
    // Fed in pieces: XML_Parse copies what it is given into a buffer of its
    // own, so one call with the whole body would hold the body twice.
    std::string_view rest = body;
    do {
      const std::size_t n = std::min(parse_chunk, rest.size());
      const bool last = n == rest.size();
      if (XML_Parse(parser_, rest.data(), static_cast<int>(n), last ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
        if (failure_) return *failure_;
        return expat_error(body);
      }
      rest.remove_prefix(n);
    } while (!rest.empty());
    if (failure_) return *failure_;
    return success();
  }

  [[nodiscard]] std::string& json() noexcept { return out_; }
  [[nodiscard]] bool is_fault() const noexcept { return fault_; }
  [[nodiscard]] std::string& method() noexcept { return method_; }

 private:
  // --- expat callbacks -------------------------------------------------------
  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** /*attrs*/) {
    static_cast<reader*>(self)->start(local_name(name));
  }
  static void XMLCALL on_end(void* self, const XML_Char* /*name*/) { static_cast<reader*>(self)->end(); }
  static void XMLCALL on_text(void* self, const XML_Char* s, int len) {
    static_cast<reader*>(self)->text(std::string_view(s, static_cast<std::size_t>(len)));
  }
  static void XMLCALL on_doctype(void* self, const XML_Char* name, const XML_Char*, const XML_Char*, int) {
    auto* r = static_cast<reader*>(self);
    std::string_view n(name == nullptr ? "" : name);
    if (n.size() == 4 && header_name_equals(n, "html"))
      r->fail(error(protocol_errc::unexpected_content_type, "expected an XML-RPC document, got an HTML page"));
    else
      r->fail(error(protocol_errc::malformed_response,
                    "XML-RPC document has a document type declaration (refused: it could declare entities)"));
  }
  static void XMLCALL on_entity(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                                const XML_Char*, const XML_Char*, const XML_Char*) {
    static_cast<reader*>(self)->fail(error(protocol_errc::malformed_response, "XML entity declarations are refused"));
  }

  // --- state machine -----------------------------------------------------------
  void fail(error e) {
    if (!failure_) failure_ = std::move(e);
    XML_StopParser(parser_, XML_FALSE);
  }
  void fail(std::string message) { fail(error(protocol_errc::malformed_response, std::move(message))); }
  [[nodiscard]] bool failed() const noexcept { return failure_.has_value(); }

  void unexpected(std::string_view child) {
    fail("unexpected element <" + detail::body_excerpt(child, 40) + "> in <" + std::string(name_of(stack_.back().kind)) +
         ">");
  }

  static std::string_view name_of(node k) noexcept {
    switch (k) {
      case node::document: return "document";
      case node::method_response: return "methodResponse";
      case node::method_call: return "methodCall";
      case node::method_name: return "methodName";
      case node::params: return "params";
      case node::param: return "param";
      case node::fault: return "fault";
      case node::value: return "value";
      case node::array: return "array";
      case node::data: return "data";
      case node::structure: return "struct";
      case node::member: return "member";
      case node::name: return "name";
      case node::t_int: return "int";
      case node::t_boolean: return "boolean";
      case node::t_double: return "double";
      case node::t_string: return "string";
      case node::t_datetime: return "dateTime.iso8601";
      case node::t_base64: return "base64";
      case node::t_nil: return "nil";
    }
    return "?";
  }

  void push(node k) { stack_.push_back({k}); }

  void begin_value() {
    push(node::value);
    text_.clear();
  }

  // Arrays and structs are the nesting the limit counts, as in the JSON codecs.
  bool open_container(char c) {
    if (++depth_ > max_depth_) {
      fail(error(protocol_errc::nesting_too_deep,
                 "XML-RPC value nests deeper than " + std::to_string(max_depth_) + " arrays/structs"));
      return false;
    }
    out_.push_back(c);
    return true;
  }

  void start(std::string_view n) {
    if (failed()) return;
    frame& top = stack_.back();
    switch (top.kind) {
      case node::document: {
        const std::string_view root = mode_ == mode::response ? "methodResponse" : "methodCall";
        if (n == root) {
          push(mode_ == mode::response ? node::method_response : node::method_call);
        } else if (n.size() == 4 && header_name_equals(n, "html")) {
          fail(error(protocol_errc::unexpected_content_type, "expected an XML-RPC document, got an HTML page"));
        } else {
          fail("expected <" + std::string(root) + "> as the root element, got <" + detail::body_excerpt(n, 40) + ">");
        }
        return;
      }
      case node::method_response:
        if (top.count++ != 0) return fail(std::string("<methodResponse> has more than one child"));
        if (n == "params") return push(node::params);
        if (n == "fault") {
          fault_ = true;
          return push(node::fault);
        }
        return unexpected(n);
      case node::method_call:
        if (n == "methodName" && !top.first && !top.second) {
          top.first = true;
          text_.clear();
          return push(node::method_name);
        }
        if (n == "params" && top.first && !top.second) {
          top.second = true;
          out_.push_back('[');
          return push(node::params);
        }
        return unexpected(n);
      case node::params:
        if (n != "param") return unexpected(n);
        if (mode_ == mode::response && top.count == 1) return fail(std::string("response has more than one <param>"));
        if (top.count++ != 0) out_.append(", ");
        return push(node::param);
      case node::param:
      case node::fault:
        if (n != "value" || top.second) return unexpected(n);
        top.second = true;
        return begin_value();
      case node::value: return start_typed(top, n);
      case node::array:
        if (n != "data" || top.first) return unexpected(n);
        top.first = true;
        return push(node::data);
      case node::data:
        if (n != "value") return unexpected(n);
        if (top.count++ != 0) out_.append(", ");
        return begin_value();
      case node::structure:
        if (n != "member") return unexpected(n);
        return push(node::member);
      case node::member:
        if (n == "name" && !top.first) {
          top.first = true;
          text_.clear();
          return push(node::name);
        }
        if (n == "value" && top.first && !top.second) {
          top.second = true;
          return begin_value();
        }
        return unexpected(n);
      default: return unexpected(n);  // scalars and names hold text only
    }
  }

  void start_typed(frame& value, std::string_view n) {
    if (value.first) return unexpected(n);
    if (!all_space(text_)) return fail("<value> mixes text " + quote(text_) + " with <" + detail::body_excerpt(n, 40) + ">");
    value.first = true;
    text_.clear();
    if (n == "array") {
      if (open_container('[')) push(node::array);
    } else if (n == "struct") {
      if (open_container('{')) {
        push(node::structure);
        keys_.open();
      }
    } else if (n == "int" || n == "i4" || n == "i8") {
      push(node::t_int);
    } else if (n == "string") {
      push(node::t_string);
    } else if (n == "boolean") {
      push(node::t_boolean);
    } else if (n == "double") {
      push(node::t_double);
    } else if (n == "nil") {
      push(node::t_nil);
    } else if (n == "dateTime.iso8601") {
      push(node::t_datetime);
    } else if (n == "base64") {
      push(node::t_base64);
    } else {
      fail("unknown XML-RPC type <" + detail::body_excerpt(n, 40) + ">");
    }
  }

  void text(std::string_view s) {
    if (failed()) return;
    switch (stack_.back().kind) {
      case node::value:
      case node::method_name:
      case node::name:
      case node::t_int:
      case node::t_boolean:
      case node::t_double:
      case node::t_string:
      case node::t_datetime:
      case node::t_base64:
      case node::t_nil: text_.append(s); return;
      default:
        if (!all_space(s))
          fail("unexpected text " + quote(s) + " in <" + std::string(name_of(stack_.back().kind)) + ">");
        return;
    }
  }

  void end() {
    if (failed()) return;
    const frame top = stack_.back();
    stack_.pop_back();
    switch (top.kind) {
      case node::value:
        if (!top.first) {
          json::write_string(out_, text_);  // bare text is a string
        } else if (!all_space(text_)) {
          return fail("<value> has text " + quote(text_) + " after its typed element");
        }
        text_.clear();
        return;
      case node::t_int: return end_int();
      case node::t_boolean:
        if (!impl::append_boolean(out_, text_)) return fail("invalid boolean " + quote(text_));
        text_.clear();
        return;
      case node::t_double: return end_double();
      case node::t_string:
        json::write_string(out_, text_);
        text_.clear();
        return;
      case node::t_datetime:
        impl::append_datetime(out_, text_);
        text_.clear();
        return;
      case node::t_base64:
        impl::append_base64(out_, text_);
        text_.clear();
        return;
      case node::t_nil:
        if (!all_space(text_)) return fail("<nil/> has text " + quote(text_));
        out_.append("null");
        text_.clear();
        return;
      case node::array:
        out_.push_back(']');
        --depth_;
        return;
      case node::structure:
        out_.push_back('}');
        --depth_;
        keys_.close_to(keys_.depth() - 1);
        return;
      case node::data: return;
      case node::name: {
        // A member named twice is refused, as a repeated key in JSON.
        if (!keys_.add(text_, true)) return fail("XML-RPC <struct>: " + json::detail::repeated_key(text_));
        frame& structure = stack_[stack_.size() - 2];  // name < member < struct
        if (structure.count++ != 0) out_.append(", ");
        json::write_string(out_, text_);
        out_.append(": ");
        text_.clear();
        return;
      }
      case node::member:
        if (!top.first || !top.second) return fail(std::string("<member> without <name> and <value>"));
        return;
      case node::method_name:
        method_ = std::move(text_);
        text_.clear();
        return;
      case node::param:
        if (!top.second) return fail(std::string("<param> without <value>"));
        return;
      case node::fault:
        if (!top.second) return fail(std::string("<fault> without <value>"));
        return;
      case node::params:
        if (mode_ == mode::request) {
          out_.push_back(']');
        } else if (top.count == 0) {
          return fail(std::string("response has an empty <params>"));
        }
        return;
      case node::method_response:
        if (top.count == 0) return fail(std::string("<methodResponse> has neither <params> nor <fault>"));
        return;
      case node::method_call:
        if (!top.first) return fail(std::string("<methodCall> without <methodName>"));
        if (!top.second) out_.append("[]");
        return;
      case node::document: return;
    }
  }

  void end_int() {
    switch (impl::append_int(out_, text_)) {
      case impl::scalar_fault::none: text_.clear(); return;
      case impl::scalar_fault::out_of_range:
        return fail(error(protocol_errc::unexpected_type, "integer " + quote(text_) + " is outside the int64 range"));
      case impl::scalar_fault::invalid: return fail("invalid integer " + quote(text_));
    }
  }

  void end_double() {
    if (impl::append_double(out_, text_) != impl::scalar_fault::none) return fail("invalid double " + quote(text_));
    text_.clear();
  }

  [[nodiscard]] error expat_error(std::string_view body) const {
    const XML_Error code = XML_GetErrorCode(parser_);
    const auto line = XML_GetCurrentLineNumber(parser_);
    const auto column = XML_GetCurrentColumnNumber(parser_);
    const std::string where = " at line " + std::to_string(line) + ", column " + std::to_string(column);
    if (!json::is_valid_utf8(body)) return error(protocol_errc::invalid_utf8, "XML-RPC body is not valid UTF-8" + where);
    const char* what = XML_ErrorString(code);
    return error(protocol_errc::malformed_response,
                 std::string("XML-RPC body is not well-formed XML: ") + (what != nullptr ? what : "error") + where);
  }

  // Small enough that expat's copy of a piece stays in cache and adds
  // nothing noticeable to the peak; large enough that the per-call cost of
  // XML_Parse does not show.
  static constexpr std::size_t parse_chunk = std::size_t{64} << 10U;

  mode mode_;
  std::size_t max_depth_;
  XML_Parser parser_ = nullptr;
  std::vector<frame> stack_;
  std::size_t depth_ = 0;
  std::string out_;     // the JSON text being written
  std::string text_;    // character data of the innermost text element
  std::string method_;  // methodName of a request
  json::detail::object_keys keys_;  // member names of the open structs
  bool fault_ = false;
  std::optional<error> failure_;
};

result<void> check_body(std::string_view body, const decode_options& opts, int status) {
  if (body.size() > opts.max_bytes)
    return error(protocol_errc::response_too_large,
                 "XML-RPC body of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                     std::to_string(opts.max_bytes),
                 status);
  if (all_space(body)) return error(protocol_errc::malformed_response, "XML-RPC body is empty", status);
  return success();
}

}  // namespace

namespace {

// A 200 body, checked, as JSON: Odoo's answers take the plain path; faults
// and anything unusual expat's.
result<reply> decode_body(std::string_view body, int status, const decode_options& opts) {
  if (auto plain = impl::plain_response_json(body, opts.max_depth)) return reply(std::move(*plain));
  return impl::decode_with_expat(body, status, opts);
}

}  // namespace

result<reply> decode(http_response&& response, const decode_options& opts) { return decode(std::move(response), opts, nullptr); }

result<reply> decode(http_response&& response, const decode_options& opts, const result_reader* reader) {
  if (response.status != 200) return detail::status_error(response);
  ODOOLINK_TRYV(check_body(response.body, opts, response.status));
  if (detail::is_html(response))
    return error(protocol_errc::unexpected_content_type,
                 "expected an XML-RPC response, got an HTML page: " + detail::body_excerpt(response.body),
                 response.status);
  // Records nest three deep (the list, a record, a many2one or id list): a
  // lower limit is the general path's to report.
  if (reader == nullptr || reader->read_xml == nullptr || opts.max_depth < 3)
    return decode_body(response.body, response.status, opts);
  // The reader's records may view the body: it goes into the reply first.
  reply kept(std::move(response.body));
  if (reader->read_xml(reader->self, kept.whole().data(), kept.whole().size())) return std::move(kept).slice({});
  return decode_body(kept.whole(), response.status, opts);
}

result<reply> impl::decode_with_expat(std::string_view body, int status, const decode_options& opts) {
  reader r(mode::response, opts.max_depth);
  if (auto parsed = r.run(body); !parsed) {
    const error& e = parsed.error();
    return error(e.code(), e.message(), status);
  }
  if (r.is_fault()) {
    json::parse_options popts;
    popts.max_depth = opts.max_depth + 1;
    auto fault = json::parse(r.json(), popts);
    if (!fault) return fault.error();
    return fault_to_error(fault.value(), status);
  }
  return reply(std::move(r.json()));
}

result<method_call> decode_request(std::string_view body, const decode_options& opts) {
  ODOOLINK_TRYV(check_body(body, opts, 0));
  reader r(mode::request, opts.max_depth);
  ODOOLINK_TRYV(r.run(body));
  json::parse_options popts;
  popts.max_bytes = r.json().size();
  popts.max_depth = opts.max_depth + 1;  // the params array is one more level
  ODOOLINK_TRY(auto params, json::parse(r.json(), popts));
  return method_call{std::move(r.method()), std::move(params)};
}

}  // namespace protocol::xmlrpc
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
