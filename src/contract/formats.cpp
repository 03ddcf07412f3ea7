#include "formats.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <cstdio>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {
namespace {

#include "iso_tables.inc"

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) noexcept { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_high(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80U; }

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool atext(char c) noexcept {
  if (is_alpha(c) || is_digit(c) || is_high(c)) return true;
  return std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

bool sorted_contains(const std::string_view* first, const std::string_view* last, std::string_view s) noexcept {
  return std::binary_search(first, last, s);
}

}  // namespace

bool is_email(std::string_view s) noexcept {
  if (s.size() > 254) return false;
  const auto at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const std::string_view local = s.substr(0, at);
  const std::string_view domain = s.substr(at + 1);
  if (local.front() == '.' || local.back() == '.') return false;
  char prev = 0;
  for (const char c : local) {
    if (c == '.' ? prev == '.' : !atext(c)) return false;
    prev = c;
  }
  // Domain: at least two labels; the top-level one is not all digits.
  std::size_t labels = 0;
  std::size_t start = 0;
  bool last_all_digits = false;
  while (start <= domain.size()) {
    auto dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    last_all_digits = true;
    for (const char c : label) {
      if (!(is_alpha(c) || is_digit(c) || c == '-' || is_high(c))) return false;
      if (!is_digit(c)) last_all_digits = false;
    }
    ++labels;
    start = dot + 1;
  }
  return labels >= 2 && !last_all_digits;
}

bool is_country_code(std::string_view s) noexcept {
  return s.size() == 2 && sorted_contains(std::begin(iso_countries), std::end(iso_countries), s);
}

bool is_currency_code(std::string_view s) noexcept {
  return s.size() == 3 && sorted_contains(std::begin(iso_currencies), std::end(iso_currencies), s);
}

bool is_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

bool is_uri(std::string_view s) noexcept {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size() || !is_alpha(s[0])) return false;
  for (std::size_t i = 1; i < colon; ++i)
    if (!(is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) return false;
  for (const char c : s.substr(colon + 1))
    if (static_cast<unsigned char>(c) <= 0x20U || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  return true;
}

bool matches_format(string_format f, std::string_view s) noexcept {
  switch (f) {
    case string_format::none: return true;
    case string_format::email: return is_email(s);
    case string_format::country: return is_country_code(s);
    case string_format::currency: return is_currency_code(s);
    case string_format::uuid: return is_uuid(s);
    case string_format::uri: return is_uri(s);
  }
  return false;
}

std::string_view describe_format(string_format f) noexcept {
  switch (f) {
    case string_format::none: return "a string";
    case string_format::email: return "an email address";
    case string_format::country: return "an ISO 3166-1 alpha-2 country code";
    case string_format::currency: return "an ISO 4217 currency code";
    case string_format::uuid: return "a UUID";
    case string_format::uri: return "a URI";
  }
  return "a string";
}

bool parse_date(std::string_view s, std::chrono::year_month_day& out) noexcept {
  int y = 0;
  int m = 0;
  int d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d))
    return false;
  out = std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                    std::chrono::day{static_cast<unsigned>(d)}};
  // What year_month_day::ok() answers, by a table: this runs for every date
  // of every payload.
  static constexpr std::array<int, 12> month_days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y == 0 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= month_days[static_cast<std::size_t>(m - 1)] + (m == 2 && leap ? 1 : 0);
}

bool parse_datetime(std::string_view s, std::chrono::sys_time<std::chrono::microseconds>& utc) noexcept {
  using namespace std::chrono;
  year_month_day date;
  if (s.size() < 20 || !parse_date(s.substr(0, 10), date)) return false;
  int h = 0;
  int mi = 0;
  int sec = 0;
  if ((s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' || !digits(s, 11, 2, h) || !digits(s, 14, 2, mi) ||
      !digits(s, 17, 2, sec) || h > 23 || mi > 59 || sec > 59)
    return false;
  std::size_t i = 19;
  std::int64_t micros = 0;
  if (s[i] == '.') {
    ++i;
    const std::size_t first = i;
    std::int64_t scale = 100000;
    while (i < s.size() && is_digit(s[i])) {
      micros += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == first) return false;
  }
  if (i >= s.size()) return false;
  minutes offset{0};
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh = 0;
    int om = 0;
    if (s.size() != i + 6 || s[i + 3] != ':' || !digits(s, i + 1, 2, oh) || !digits(s, i + 4, 2, om) || oh > 23 || om > 59)
      return false;
    offset = hours(oh) + minutes(om);
    if (s[i] == '-') offset = -offset;
    i += 6;
  } else {
    return false;
  }
  if (i != s.size()) return false;
  utc = sys_days(date) + hours(h) + minutes(mi) + seconds(sec) + microseconds(micros) - offset;
  return true;
}

std::string format_date(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

namespace {
struct civil {
  std::chrono::year_month_day date;
  std::chrono::hh_mm_ss<std::chrono::microseconds> time{std::chrono::microseconds(0)};
};
civil split(std::chrono::sys_time<std::chrono::microseconds> t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  return {std::chrono::year_month_day(day), std::chrono::hh_mm_ss<std::chrono::microseconds>(t - day)};
}
}  // namespace

std::string format_odoo_datetime(std::chrono::sys_time<std::chrono::microseconds> t) {
  const civil c = split(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", format_date(c.date).c_str(), static_cast<int>(c.time.hours().count()),
                static_cast<int>(c.time.minutes().count()), static_cast<int>(c.time.seconds().count()));
  return buf;
}

std::string format_rfc3339(std::chrono::sys_time<std::chrono::microseconds> t) {
  const civil c = split(t);
  char buf[48];
  const auto micros = c.time.subseconds().count();
  if (micros != 0) {
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%06lldZ", format_date(c.date).c_str(),
                  static_cast<int>(c.time.hours().count()), static_cast<int>(c.time.minutes().count()),
                  static_cast<int>(c.time.seconds().count()), static_cast<long long>(micros));
  } else {
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", format_date(c.date).c_str(), static_cast<int>(c.time.hours().count()),
                  static_cast<int>(c.time.minutes().count()), static_cast<int>(c.time.seconds().count()));
  }
  return buf;
}

std::string shortest(double d) {
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  return {buf.data(), r.ptr};
}

std::string shortest_fixed(double d) {
  std::array<char, 400> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::fixed);
  if (r.ec != std::errc()) return shortest(d);
  return {buf.data(), r.ptr};
}

void append_pointer(std::string& out, std::string_view token) {
  out.push_back('/');
  for (const char c : token) {
    if (c == '~') {
      out.append("~0");
    } else if (c == '/') {
      out.append("~1");
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

json::array iso_country_codes() {
  json::array out;
  for (const auto code : iso_countries) out.emplace_back(code);
  return out;
}

json::array iso_currency_codes() {
  json::array out;
  for (const auto code : iso_currencies) out.emplace_back(code);
  return out;
}

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
