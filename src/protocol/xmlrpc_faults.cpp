// XML-RPC faults to odoolink errors. XML-RPC carries a fault code and a
// string only, so the Odoo class is recovered from the code, the message
// shape, or the traceback Odoo sends for code 1 (rpc.py,
// xmlrpc_handle_exception_int / _string).

#include <cstdint>
#include <string>
#include <string_view>

#include "../core/text.hpp"
#include "odoolink/protocol/xmlrpc.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::xmlrpc {
namespace {

constexpr std::string_view user_error = "odoo.exceptions.UserError";

bool starts_with(std::string_view s, std::string_view p) noexcept { return s.substr(0, p.size()) == p; }
bool contains(std::string_view s, std::string_view p) noexcept { return s.find(p) != std::string_view::npos; }

using odoolink::detail::trim_blanks;

bool is_class_path(std::string_view s) noexcept {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Python prints builtin exceptions unqualified; Odoo's class paths name them `builtins.X`.
std::string qualified(std::string_view cls) {
  if (cls.find('.') == std::string_view::npos) return "builtins." + std::string(cls);
  return std::string(cls);
}

struct exception_text {
  std::string cls;      // qualified class path; empty when none was found
  std::string message;  // the exception's message (may span lines)
};

// The final exception of a Python traceback: after the last
// "Traceback (most recent call last):" header come indented frame lines, then
// "Class: message" (the message may continue on further lines).
exception_text from_traceback(std::string_view tb) {
  constexpr std::string_view header = "Traceback (most recent call last):";
  const auto at = tb.rfind(header);
  if (at == std::string_view::npos) return {};
  std::string_view rest = tb.substr(at + header.size());
  while (!rest.empty()) {
    const auto eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    if (!line.empty() && line.front() != ' ' && line.front() != '\t') {
      const std::string_view text = trim_blanks(rest);
      const auto colon = text.find(':');
      const std::string_view cls = text.substr(0, colon);
      if (!is_class_path(cls)) return {};
      return {qualified(cls), colon == std::string_view::npos ? std::string() : std::string(trim_blanks(text.substr(colon + 1)))};
    }
    if (eol == std::string_view::npos) break;
    rest.remove_prefix(eol + 1);
  }
  return {};
}

// Code 2 covers UserError and all its subclasses; these message shapes come
// only from the subclasses named (recorded from Odoo 18/19).
std::string_view code2_class(std::string_view message) noexcept {
  if (starts_with(message, "Record does not exist or has been deleted.")) return "odoo.exceptions.MissingError";
  if (starts_with(message, "The operation cannot be completed:")) return "odoo.exceptions.ValidationError";
  if (starts_with(message, "You cannot create recursive ")) return "odoo.exceptions.ValidationError";
  return user_error;
}

error from_class(std::string cls, std::string message, std::string debug, int http_status) {
  const odoo_errc code = cls.empty() ? odoo_errc::server_error : classify_odoo_fault(cls, message, http_status);
  // Python's own wording names neither the cause nor the way out.
  if (code == odoo_errc::unmarshallable_result && contains(message, "XML-RPC limits"))
    message = "the result holds an integer beyond 32 bits, which Odoo's XML-RPC cannot send (its effects may already "
              "be committed); JSON-RPC, the web session and JSON-2 carry 64-bit ids";
  else if (code == odoo_errc::unmarshallable_result)
    message = "the method returned None, which XML-RPC cannot carry (its effects may already be committed); "
              "JSON-RPC, the web session and JSON-2 return it as null";
  return error::odoo(code, std::move(message), std::move(cls), std::move(debug), http_status);
}

error int_fault(std::int64_t code, const std::string& text, int http_status) {
  switch (code) {
    case 1: {
      exception_text e = from_traceback(text);
      if (e.cls.empty()) return from_class({}, std::string(trim_blanks(text)), text, http_status);
      if (e.message.empty()) e.message = e.cls;
      return from_class(std::move(e.cls), std::move(e.message), text, http_status);
    }
    case 2: return from_class(std::string(code2_class(text)), text, text, http_status);
    case 3: return from_class("odoo.exceptions.AccessDenied", text, text, http_status);
    case 4: return from_class("odoo.exceptions.AccessError", text, text, http_status);
    default: return from_class({}, text, text, http_status);
  }
}

// Legacy /xmlrpc/<service>: faultCode is "warning -- <Class>\n\n<message>",
// "AccessDenied", or the message of any other exception (then faultString
// holds its traceback).
error string_fault(const std::string& code, const std::string& text, int http_status) {
  std::string debug = text.empty() ? code : text;
  constexpr std::string_view warning = "warning -- ";
  if (starts_with(code, warning)) {
    std::string_view rest = std::string_view(code).substr(warning.size());
    const auto blank = rest.find("\n\n");
    const std::string_view name = trim_blanks(rest.substr(0, blank == std::string_view::npos ? rest.find('\n') : blank));
    std::string_view message = blank == std::string_view::npos ? std::string_view() : trim_blanks(rest.substr(blank + 2));
    std::string cls;
    if (name == "Warning")
      cls = "odoo.exceptions.RedirectWarning";
    else if (is_class_path(name))
      cls = name.find('.') == std::string_view::npos ? "odoo.exceptions." + std::string(name) : std::string(name);
    else
      cls = user_error;
    return from_class(std::move(cls), std::string(message), std::move(debug), http_status);
  }
  if (code == "AccessDenied")
    return from_class("odoo.exceptions.AccessDenied", text.empty() ? "Access Denied" : text, std::move(debug), http_status);
  exception_text e = from_traceback(text);
  std::string message(trim_blanks(code));
  if (message.empty()) message = e.message;
  return from_class(std::move(e.cls), std::move(message), std::move(debug), http_status);
}

}  // namespace

error fault_to_error(const json::value& fault, int http_status) {
  const json::value* code = fault.find("faultCode");
  const json::value* text = fault.find("faultString");
  const std::string fault_string = text != nullptr && text->is_string() ? text->as_string() : std::string();
  if (code != nullptr && code->is_int()) return int_fault(code->as_int(), fault_string, http_status);
  if (code != nullptr && code->is_string()) return string_fault(code->as_string(), fault_string, http_status);
  return from_class({}, fault_string, fault_string, http_status);
}

}  // namespace protocol::xmlrpc
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
