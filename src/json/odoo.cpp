#include "odoolink/json/odoo.hpp"

#include "../core/text.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/json/writer.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {
namespace {

// Long values are cut in messages: a message names the problem, it is not a dump.
constexpr std::size_t max_quoted = 60;

std::string_view cut(std::string_view s, bool& cut_off) {
  cut_off = s.size() > max_quoted;
  if (!cut_off) return s;
  std::size_t n = max_quoted;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0U) == 0x80U) --n;  // keep whole UTF-8 sequences
  return s.substr(0, n);
}

std::string expected_found(std::string_view expected, std::string_view found) {
  std::string msg = "expected ";
  msg += expected;
  msg += ", found ";
  msg += found;
  return msg;
}

constexpr std::chrono::sys_days first_day{std::chrono::year{1} / 1 / 1};
constexpr std::chrono::sys_days past_last_day{std::chrono::year{10000} / 1 / 1};

bool in_odoo_range(std::chrono::year_month_day d) noexcept {
  return d.ok() && static_cast<int>(d.year()) >= 1 && static_cast<int>(d.year()) <= 9999;
}

void put_digits(std::string& out, unsigned value, int width) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10U);
    value /= 10U;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

void put_date(std::string& out, std::chrono::year_month_day d) {
  put_digits(out, static_cast<unsigned>(static_cast<int>(d.year())), 4);
  out.push_back('-');
  put_digits(out, static_cast<unsigned>(d.month()), 2);
  out.push_back('-');
  put_digits(out, static_cast<unsigned>(d.day()), 2);
}

void put_time(std::string& out, std::chrono::seconds since_midnight) {
  const auto s = static_cast<unsigned>(since_midnight.count());
  put_digits(out, s / 3600U, 2);
  out.push_back(':');
  put_digits(out, s / 60U % 60U, 2);
  out.push_back(':');
  put_digits(out, s % 60U, 2);
}

error out_of_range(std::string_view what) {
  return {protocol_errc::unexpected_type,
          std::string(what) + " outside 0001-01-01..9999-12-31 (Odoo's range) or not a calendar date"};
}

}  // namespace

namespace detail {

std::string describe_token(std::string_view raw) {
  raw = odoolink::detail::trim_blanks(raw);
  if (raw.empty()) return "nothing";
  switch (raw.front()) {
    case '[': return "an array";
    case '{': return "an object";
    case '"': return "a string (not shown)";
    default: break;
  }
  // A number or true/false/null: its token, which says what went wrong (a
  // fraction, out of range) and carries no personal data. Anything else is
  // not JSON: its shape only.
  const bool number = raw.front() == '-' || (raw.front() >= '0' && raw.front() <= '9');
  if (!number && raw != "true" && raw != "false" && raw != "null") return text_shape(raw);
  bool cut_off = false;
  std::string found(cut(raw, cut_off));
  if (cut_off) found += "...";
  return found;
}

std::string describe_found(const value& v) {
  if (v.is_string()) return "a string (not shown)";
  if (v.is_object()) return "an object";
  if (v.is_array()) {
    const std::size_t n = v.as_array().size();
    return n == 0 ? "an empty array" : "an array of " + std::to_string(n) + (n == 1 ? " value" : " values");
  }
  return describe_token(to_string(v));
}

std::string text_shape(std::string_view text) {
  bool cut_off = false;
  const std::string_view shown = cut(text, cut_off);
  std::string shape;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto c = static_cast<unsigned char>(shown[i]);
    if (c >= '0' && c <= '9') shape.push_back('#');
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) shape.push_back('x');
    else if (c >= 0x80U) {
      if ((c & 0xC0U) != 0x80U) shape.push_back('?');  // one mark per code point
    } else shape.push_back(static_cast<char>(c));
  }
  std::string out;
  write_string(out, shape);
  if (cut_off) out.insert(out.size() - 1, "...");
  return out;
}

error odoo_type_mismatch(std::string_view expected, std::string_view found_raw) {
  return {protocol_errc::unexpected_type, expected_found(expected, describe_token(found_raw))};
}

error odoo_found_text(std::string_view expected, std::string_view found) {
  return {protocol_errc::unexpected_type, expected_found(expected, found)};
}

error odoo_bad_time_text(std::string_view expected, std::string_view text, int reason) {
  std::string msg = expected_found(expected, text_shape(text));
  if (reason == no_such_day) msg += " (not a calendar date)";
  if (reason == bad_time) msg += " (time of day out of range)";
  return {protocol_errc::unexpected_type, std::move(msg)};
}

}  // namespace detail

result<std::string> format_date(std::chrono::year_month_day date) {
  if (!in_odoo_range(date)) return out_of_range("date");
  std::string out;
  out.reserve(10);
  put_date(out, date);
  return out;
}

result<std::string> format_datetime(std::chrono::sys_seconds time) {
  if (time < first_day || time >= past_last_day) return out_of_range("datetime");
  const auto day = std::chrono::floor<std::chrono::days>(time);
  std::string out;
  out.reserve(19);
  put_date(out, std::chrono::year_month_day(day));
  out.push_back(' ');
  put_time(out, time - day);
  return out;
}

result<std::string> format_datetime_us(sys_microseconds time) {
  if (time < first_day || time >= past_last_day) return out_of_range("datetime");
  const auto whole = std::chrono::floor<std::chrono::seconds>(time);
  ODOOLINK_TRY(std::string out, format_datetime(whole));
  const auto fraction = static_cast<unsigned>((time - whole).count());
  if (fraction != 0) {
    out.push_back('.');
    put_digits(out, fraction, 6);
  }
  return out;
}

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
