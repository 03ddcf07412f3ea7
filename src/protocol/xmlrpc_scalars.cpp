#include "xmlrpc_scalars.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>

#include "../core/text.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::xmlrpc::impl {
namespace {

using odoolink::detail::is_blank;
using odoolink::detail::trim_blanks;

bool all_digits(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "+5" is read as Python reads it; "+-5" stays invalid.
std::string_view number_text(std::string_view text) noexcept {
  std::string_view t = trim_blanks(text);
  if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
  return t;
}

// For a decimal number from_chars found out of range: true when it is too
// small (underflow to zero), false when too large. Python's float() makes
// these 0.0 and inf; we follow it.
bool underflows(std::string_view t) noexcept {
  if (!t.empty() && (t.front() == '-' || t.front() == '+')) t.remove_prefix(1);
  std::int64_t magnitude = 0;  // decimal exponent of the leading significant digit
  std::size_t i = 0;
  std::int64_t int_digits = 0;
  bool significant = false;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
    if (t[i] != '0') significant = true;
    if (significant) ++int_digits;
  }
  if (int_digits > 0) {
    magnitude = int_digits - 1;
  } else if (i < t.size() && t[i] == '.') {
    std::int64_t zeros = 0;
    for (++i; i < t.size() && t[i] == '0'; ++i) ++zeros;
    magnitude = -(zeros + 1);
  }
  while (i < t.size() && t[i] != 'e' && t[i] != 'E') ++i;
  if (i < t.size()) {
    ++i;
    bool negative = false;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) negative = t[i++] == '-';
    std::int64_t exponent = 0;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i)
      exponent = std::min<std::int64_t>(exponent * 10 + (t[i] - '0'), std::int64_t{1} << 40U);
    magnitude += negative ? -exponent : exponent;
  }
  return magnitude < 0;
}

}  // namespace

scalar_fault append_int(std::string& out, std::string_view text) {
  const std::string_view t = number_text(text);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec == std::errc::result_out_of_range && ptr == t.data() + t.size()) return scalar_fault::out_of_range;
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) return scalar_fault::invalid;
  json::write_int(out, v);
  return scalar_fault::none;
}

scalar_fault append_double(std::string& out, std::string_view text) {
  const std::string_view t = number_text(text);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec == std::errc::result_out_of_range && ptr == t.data() + t.size()) {
    const bool negative = t.front() == '-';
    v = underflows(t) ? 0.0 : std::numeric_limits<double>::infinity();
    if (negative) v = -v;
  } else if (t.empty() || ec != std::errc() || ptr != t.data() + t.size()) {
    return scalar_fault::invalid;
  }
  json::write_double(out, v);  // NaN and infinities become null
  return scalar_fault::none;
}

bool append_boolean(std::string& out, std::string_view text) {
  const std::string_view t = trim_blanks(text);
  if (t == "1" || t == "true") {
    out.append("true");
  } else if (t == "0" || t == "false") {
    out.append("false");
  } else {
    return false;
  }
  return true;
}

void append_datetime(std::string& out, std::string_view text) {
  const std::string_view t = trim_blanks(text);
  auto join = [&out](std::string_view y, std::string_view mo, std::string_view d, std::string_view h,
                     std::string_view mi, std::string_view s) {
    out.push_back('"');
    out.append(y).append("-").append(mo).append("-").append(d).append(" ");
    out.append(h).append(":").append(mi).append(":").append(s);
    out.push_back('"');
  };
  if (t.size() == 17 && t[8] == 'T' && t[11] == ':' && t[14] == ':' && all_digits(t.substr(0, 8)) &&
      all_digits(t.substr(9, 2)) && all_digits(t.substr(12, 2)) && all_digits(t.substr(15, 2)))
    return join(t.substr(0, 4), t.substr(4, 2), t.substr(6, 2), t.substr(9, 2), t.substr(12, 2), t.substr(15, 2));
  if (t.size() == 19 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' && t[16] == ':' &&
      all_digits(t.substr(0, 4)) && all_digits(t.substr(5, 2)) && all_digits(t.substr(8, 2)) &&
      all_digits(t.substr(11, 2)) && all_digits(t.substr(14, 2)) && all_digits(t.substr(17, 2)))
    return join(t.substr(0, 4), t.substr(5, 2), t.substr(8, 2), t.substr(11, 2), t.substr(14, 2), t.substr(17, 2));
  if (t.size() == 15 && t[8] == 'T' && all_digits(t.substr(0, 8)) && all_digits(t.substr(9)))
    return join(t.substr(0, 4), t.substr(4, 2), t.substr(6, 2), t.substr(9, 2), t.substr(11, 2), t.substr(13, 2));
  json::write_string(out, text);
}

void append_base64(std::string& out, std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text)
    if (!is_blank(c)) compact.push_back(c);
  json::write_string(out, compact);
}

}  // namespace protocol::xmlrpc::impl
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
