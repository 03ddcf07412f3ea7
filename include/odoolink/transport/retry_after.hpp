#pragma once
/// @file
/// Reading `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date,
/// and the HTTP-date formats themselves (§5.6.7).

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/http.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace transport {

namespace detail {

inline std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline bool parse_uint(std::string_view s, std::int64_t& out, std::size_t max_digits = 18) noexcept {
  if (s.empty() || s.size() > max_digits) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

inline int month_number(std::string_view s) noexcept {
  constexpr std::array<std::string_view, 12> names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (s == names[i]) return static_cast<int>(i) + 1;
  return 0;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

inline std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    s = trim_spaces(s);
    if (s.empty()) return out;
    const std::size_t end = s.find(' ');
    out.push_back(s.substr(0, end));
    if (end == std::string_view::npos) return out;
    s.remove_prefix(end);
  }
}

inline std::optional<std::chrono::system_clock::time_point> make_date(std::int64_t year, int month,
                                                                      std::int64_t day, std::string_view hms) {
  std::int64_t h = 0, m = 0, s = 0;
  if (hms.size() != 8 || hms[2] != ':' || hms[5] != ':' || !parse_uint(hms.substr(0, 2), h) ||
      !parse_uint(hms.substr(3, 2), m) || !parse_uint(hms.substr(6, 2), s))
    return std::nullopt;
  if (month < 1 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60 || year < 1970 || year > 9999)
    return std::nullopt;
  if (s == 60) s = 59;  // a leap second
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::seconds(days * 86400 + h * 3600 + m * 60 + s)));
}

}  // namespace detail

/// Parses an HTTP-date in any of the three forms a recipient must accept:
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
/// The weekday is not checked. Returns `nullopt` for anything else.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  text = detail::trim_spaces(text);
  const std::size_t comma = text.find(',');
  if (comma != std::string_view::npos) {
    const auto t = detail::split_spaces(text.substr(comma + 1));
    std::int64_t day = 0, year = 0;
    if (t.size() == 5 && t[4] == "GMT") {  // IMF-fixdate
      if (!detail::parse_uint(t[0], day, 2) || !detail::parse_uint(t[2], year, 4)) return std::nullopt;
      return detail::make_date(year, detail::month_number(t[1]), day, t[3]);
    }
    if (t.size() == 3 && t[2] == "GMT" && t[0].size() == 9 && t[0][2] == '-' && t[0][6] == '-') {  // RFC 850
      if (!detail::parse_uint(t[0].substr(0, 2), day, 2) || !detail::parse_uint(t[0].substr(7, 2), year, 2))
        return std::nullopt;
      year += year < 70 ? 2000 : 1900;
      return detail::make_date(year, detail::month_number(t[0].substr(3, 3)), day, t[1]);
    }
    return std::nullopt;
  }
  const auto t = detail::split_spaces(text);  // asctime
  std::int64_t day = 0, year = 0;
  if (t.size() != 5 || !detail::parse_uint(t[2], day, 2) || !detail::parse_uint(t[4], year, 4)) return std::nullopt;
  return detail::make_date(year, detail::month_number(t[1]), day, t[3]);
}

/// The wait a `Retry-After` value asks for. `value` is delta-seconds or an
/// HTTP-date; a date is measured from `reference` (the response's `Date`, or
/// the local calendar time) and a date in the past gives zero. Returns
/// `nullopt` when the value is malformed.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline std::optional<std::chrono::seconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point reference) {
  value = detail::trim_spaces(value);
  std::int64_t seconds = 0;
  if (detail::parse_uint(value, seconds, 9)) return std::chrono::seconds(seconds);
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  if (*date <= reference) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(*date - reference);
}

/// The `Retry-After` of a response, or `nullopt` when it has none (or a
/// malformed one). A date is measured from the response's own `Date` header
/// when it has a valid one, which cancels any skew between the two clocks,
/// else from `wall_now`.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline std::optional<std::chrono::seconds> retry_after(const http_response& response,
                                                                      std::chrono::system_clock::time_point wall_now) {
  const std::string_view value = response.header("Retry-After");
  if (value.empty()) return std::nullopt;
  const auto date = parse_http_date(response.header("Date"));
  return parse_retry_after(value, date ? *date : wall_now);
}

}  // namespace transport
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
