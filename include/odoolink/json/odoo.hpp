#pragma once
/// @file
/// Odoo's value conventions as text: dates, datetimes (and the microsecond
/// datetimes of webhook payloads) in both directions, plus the messages the
/// typed reader (model/decode.hpp) gives when a value breaks them. Binary
/// fields are base64 (json/base64.hpp, included here).
///
/// What Odoo sends (`read`, `search_read`, webhooks) and how typed records
/// hold it is tabled in model/types.hpp: `false` means "empty" for every
/// type but boolean, where it is a real value.
///
/// @par Thread Safety  All functions are pure.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/base64.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {

/// A datetime with the microseconds of webhook payloads.
using sys_microseconds = std::chrono::sys_time<std::chrono::microseconds>;

// ---------------------------------------------------------------------------
// Text forms (no JSON involved)

/// Parses Odoo's date text `YYYY-MM-DD` (a real calendar day, year 0001-9999).
/// Errors: protocol_errc::unexpected_type.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline result<std::chrono::year_month_day> parse_date(std::string_view text);

/// Parses Odoo's UTC datetime text `YYYY-MM-DD HH:MM:SS` (exactly; hours
/// 00-23, no leap second). Errors: protocol_errc::unexpected_type.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline result<std::chrono::sys_seconds> parse_datetime(std::string_view text);

/// Parses a UTC datetime with microseconds, `YYYY-MM-DD HH:MM:SS.ffffff`
/// (exactly six digits), or without them `YYYY-MM-DD HH:MM:SS` (Python's
/// `str(datetime)` drops a zero fraction, so webhooks send both forms).
/// Errors: protocol_errc::unexpected_type.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline result<sys_microseconds> parse_datetime_us(std::string_view text);

/// Formats `YYYY-MM-DD`. Errors: protocol_errc::unexpected_type when the date
/// is not a calendar day of years 0001-9999.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::string> format_date(std::chrono::year_month_day date);

/// Formats `YYYY-MM-DD HH:MM:SS` (UTC), the form Odoo stores and reads.
/// Errors: protocol_errc::unexpected_type outside years 0001-9999.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::string> format_datetime(std::chrono::sys_seconds time);

/// Formats as Python's `str(datetime)`: `YYYY-MM-DD HH:MM:SS.ffffff`, without
/// the fraction when it is zero. (Odoo's own datetime fields keep whole
/// seconds; write those with `format_datetime`.)
/// Errors: protocol_errc::unexpected_type outside years 0001-9999.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::string> format_datetime_us(sys_microseconds time);

class value;

namespace detail {

// Cold paths, compiled in the library: the messages of refused values.
// A message names what was found without quoting a response's text: a
// string found where something else belongs is as likely a name or an
// e-mail address as anything (numbers and true/false/null are shown).
[[nodiscard]] std::string describe_token(std::string_view raw_token);
[[nodiscard]] std::string describe_found(const value& v);
// The shape of a refused text, quoted (digits as #, letters as x, one ? per
// other character beyond ASCII): enough to see what is wrong with a date or
// a number without showing the value, which may be a birth date.
[[nodiscard]] std::string text_shape(std::string_view text);
[[nodiscard]] error odoo_type_mismatch(std::string_view expected, std::string_view found_raw);
[[nodiscard]] error odoo_found_text(std::string_view expected, std::string_view found);
[[nodiscard]] error odoo_bad_time_text(std::string_view expected, std::string_view text, int reason);

inline constexpr std::string_view expect_bool = "a boolean";
inline constexpr std::string_view expect_int = "an integer";
inline constexpr std::string_view expect_float = "a number";
inline constexpr std::string_view expect_text = "a string or false";
inline constexpr std::string_view expect_many2one = "a many2one ([id, \"name\"] or false)";
inline constexpr std::string_view expect_many2one_id = "a many2one id (integer)";
inline constexpr std::string_view expect_many2one_name = "a many2one name (string or false)";
inline constexpr std::string_view expect_ids = "a list of ids";
inline constexpr std::string_view expect_id = "an id (integer)";
inline constexpr std::string_view expect_date = "a date \"YYYY-MM-DD\" or false";
inline constexpr std::string_view expect_datetime = "a datetime \"YYYY-MM-DD HH:MM:SS\" or false";
inline constexpr std::string_view expect_binary = "base64 text or false";
inline constexpr std::string_view expect_date_text = "a date \"YYYY-MM-DD\"";
inline constexpr std::string_view expect_datetime_text = "a datetime \"YYYY-MM-DD HH:MM:SS\"";
inline constexpr std::string_view expect_datetime_us_text = "a datetime \"YYYY-MM-DD HH:MM:SS[.ffffff]\"";

/// Whether a date/time text parsed, and if not why (refusals are >= 0).
enum time_text_reason : int { text_ok = -1, bad_format = 0, no_such_day = 1, bad_time = 2 };

inline bool two_digits(const char* p, int& out) noexcept {
  const auto a = static_cast<unsigned>(p[0] - '0');
  const auto b = static_cast<unsigned>(p[1] - '0');
  if (a > 9U || b > 9U) return false;
  out = static_cast<int>(a * 10U + b);
  return true;
}

/// Parses `YYYY-MM-DD` at the start of `text` (which has at least 10 bytes).
inline time_text_reason parse_ymd(std::string_view text, std::chrono::year_month_day& out) noexcept {
  int y1 = 0;
  int y2 = 0;
  int m = 0;
  int d = 0;
  if (!two_digits(text.data(), y1) || !two_digits(text.data() + 2, y2) || text[4] != '-' ||
      !two_digits(text.data() + 5, m) || text[7] != '-' || !two_digits(text.data() + 8, d))
    return bad_format;
  const int y = y1 * 100 + y2;
  out = std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                    std::chrono::day{static_cast<unsigned>(d)}};
  // Python's datetime (and so Odoo) has no year 0.
  return y != 0 && out.ok() ? text_ok : no_such_day;
}

/// Parses `YYYY-MM-DD HH:MM:SS` at the start of `text` (at least 19 bytes).
inline time_text_reason parse_ymd_hms(std::string_view text, std::chrono::sys_seconds& out) noexcept {
  std::chrono::year_month_day date;
  const time_text_reason r = parse_ymd(text, date);
  if (r == bad_format) return r;
  int h = 0;
  int mi = 0;
  int s = 0;
  if (text[10] != ' ' || !two_digits(text.data() + 11, h) || text[13] != ':' || !two_digits(text.data() + 14, mi) ||
      text[16] != ':' || !two_digits(text.data() + 17, s))
    return bad_format;
  if (r == no_such_day) return r;
  if (h > 23 || mi > 59 || s > 59) return bad_time;
  out = std::chrono::sys_days(date) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s);
  return text_ok;
}

/// Python's strftime writes years below 1000 unpadded ("1-01-01" for
/// `date.min`, which Odoo 17 sends for unset lock dates): `text` with its
/// year padded to 4 digits in `buf`, else `text` itself.
inline std::string_view padded_year(std::string_view text, std::array<char, 32>& buf) noexcept {
  const std::size_t dash = text.find('-');
  if (dash == 0 || dash >= 4 || dash == std::string_view::npos || text.size() + 4 - dash > buf.size()) return text;
  for (std::size_t i = 0; i < dash; ++i)
    if (static_cast<unsigned>(text[i] - '0') > 9U) return text;
  const std::size_t pad = 4 - dash;
  std::fill_n(buf.begin(), pad, '0');
  std::copy(text.begin(), text.end(), buf.begin() + static_cast<std::ptrdiff_t>(pad));
  return {buf.data(), text.size() + pad};
}

}  // namespace detail

inline result<std::chrono::year_month_day> parse_date(std::string_view text) {
  std::array<char, 32> buf;
  text = detail::padded_year(text, buf);
  std::chrono::year_month_day d;
  const auto r = text.size() == 10 ? detail::parse_ymd(text, d) : detail::bad_format;
  if (r != detail::text_ok) return detail::odoo_bad_time_text(detail::expect_date_text, text, r);
  return d;
}

inline result<std::chrono::sys_seconds> parse_datetime(std::string_view text) {
  std::array<char, 32> buf;
  text = detail::padded_year(text, buf);
  std::chrono::sys_seconds t;
  const auto r = text.size() == 19 ? detail::parse_ymd_hms(text, t) : detail::bad_format;
  if (r != detail::text_ok) return detail::odoo_bad_time_text(detail::expect_datetime_text, text, r);
  return t;
}

inline result<sys_microseconds> parse_datetime_us(std::string_view text) {
  std::array<char, 32> buf;
  text = detail::padded_year(text, buf);
  std::chrono::sys_seconds t;
  auto r = text.size() == 19 || text.size() == 26 ? detail::parse_ymd_hms(text, t) : detail::bad_format;
  std::int64_t fraction = 0;
  if (r == detail::text_ok && text.size() == 26) {
    if (text[19] != '.') r = detail::bad_format;
    for (std::size_t i = 20; i < 26 && r == detail::text_ok; ++i) {
      const auto digit = static_cast<unsigned>(text[i] - '0');
      if (digit > 9U) r = detail::bad_format;
      fraction = fraction * 10 + digit;
    }
  }
  if (r != detail::text_ok) return detail::odoo_bad_time_text(detail::expect_datetime_us_text, text, r);
  return sys_microseconds(t) + std::chrono::microseconds(fraction);
}

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
