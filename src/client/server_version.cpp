#include "odoolink/client/server_version.hpp"

#include <cctype>
#include <charconv>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

result<server_version> parse_server_version(std::string_view text) {
  server_version v;
  v.text = std::string(text);
  std::size_t i = 0;
  while (i < text.size() && !is_digit(text[i])) ++i;
  if (i == text.size()) return error(protocol_errc::unexpected_type, "no version number in '" + v.text + "'");
  const char* end = text.data() + text.size();
  auto r = std::from_chars(text.data() + i, end, v.major);
  if (r.ec != std::errc() || v.major <= 0 || v.major > 1000)
    return error(protocol_errc::unexpected_type, "unreadable version '" + v.text + "'");
  if (r.ptr < end && *r.ptr == '.' && r.ptr + 1 < end && is_digit(r.ptr[1])) {
    auto m = std::from_chars(r.ptr + 1, end, v.minor);
    if (m.ec != std::errc()) v.minor = 0;
  }
  return v;
}

result<server_version> server_version_from(const json::value& answer) {
  const json::value* text = answer.find("server_version");
  if (text == nullptr) text = answer.find("version");
  const json::value* info = answer.find("server_version_info");
  if (info == nullptr) info = answer.find("version_info");
  server_version v;
  if (text != nullptr && text->is_string()) {
    auto parsed = parse_server_version(text->as_string());
    if (parsed) v = std::move(parsed).value();
  }
  if (info != nullptr && info->is_array() && info->as_array().size() >= 2 && info->as_array()[0].is_int() &&
      info->as_array()[1].is_int()) {
    v.major = static_cast<int>(info->as_array()[0].as_int());
    v.minor = static_cast<int>(info->as_array()[1].as_int());
    if (v.text.empty() && text != nullptr && text->is_string()) v.text = text->as_string();
  }
  if (v.major <= 0) return error(protocol_errc::unexpected_type, "the server's answer carries no version");
  return v;
}

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
