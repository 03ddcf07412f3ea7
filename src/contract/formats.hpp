#pragma once
// Syntax checks and conversions of the contract layer: string formats,
// RFC 3339 dates and date-times, decimals, external ids, JSON pointers.

#include <chrono>
#include <cstring>
#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/contract/types.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

[[nodiscard]] bool is_email(std::string_view s) noexcept;
[[nodiscard]] bool is_country_code(std::string_view s) noexcept;
[[nodiscard]] bool is_currency_code(std::string_view s) noexcept;
[[nodiscard]] bool is_uuid(std::string_view s) noexcept;
[[nodiscard]] bool is_uri(std::string_view s) noexcept;
[[nodiscard]] bool matches_format(string_format f, std::string_view s) noexcept;
/// What a format expects, for messages ("an email address").
[[nodiscard]] std::string_view describe_format(string_format f) noexcept;

/// Odoo external id: `name` or `module.name`, each of [A-Za-z0-9_-] and dots
/// inside the name, at most 256 bytes, no surrounding dots.
[[nodiscard]] bool is_external_id(std::string_view s) noexcept;

/// RFC 3339 full-date `YYYY-MM-DD` (a real calendar day, year 0001-9999).
[[nodiscard]] bool parse_date(std::string_view s, std::chrono::year_month_day& out) noexcept;
/// RFC 3339 date-time; converts to UTC. Fractions beyond microseconds are
/// truncated; `T`/`t` and `Z`/`z` accepted as RFC 3339 allows.
[[nodiscard]] bool parse_datetime(std::string_view s, std::chrono::sys_time<std::chrono::microseconds>& utc) noexcept;
/// `YYYY-MM-DD`.
[[nodiscard]] std::string format_date(std::chrono::year_month_day d);
/// `YYYY-MM-DD HH:MM:SS` (Odoo's stored form; sub-seconds dropped).
[[nodiscard]] std::string format_odoo_datetime(std::chrono::sys_time<std::chrono::microseconds> t);
/// `YYYY-MM-DDTHH:MM:SSZ` (with `.ffffff` when the fraction is not zero).
[[nodiscard]] std::string format_rfc3339(std::chrono::sys_time<std::chrono::microseconds> t);

/// Digits of a decimal literal `-?D+(.D+)?` (no exponent, no leading `+`):
/// false when `s` is not one. Leading zeros of the integer part and trailing
/// zeros of the fraction do not count.
#if defined(__GNUC__)
[[gnu::always_inline]]  // its results stay in registers
#endif
[[nodiscard]] inline bool decimal_digits(std::string_view s, std::int64_t& integer_digits, std::int64_t& scale) noexcept {
  // One pass (this runs for every decimal of every payload).
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const char* p = s.data();
  const char* const end = p + s.size();
  if (p != end && *p == '-') ++p;
  const char* const int_start = p;
  while (p != end && *p == '0') ++p;
  const char* const significant = p;
  while (p != end && digit(*p)) ++p;
  if (p == int_start) return false;
  integer_digits = p - significant;
  if (p == end) {
    scale = 0;
    return true;
  }
  if (*p != '.') return false;
  const char* const frac_start = ++p;
  const char* frac_end = p;  // past the last non-zero fraction digit
  for (; p != end && digit(*p); ++p)
    if (*p != '0') frac_end = p + 1;
  if (p == frac_start || p != end) return false;
  scale = frac_end - frac_start;
  return true;
}
/// The shortest round-trip text of a double (no forced `.0`: `3`, `9.5`, `1e+300`).
[[nodiscard]] std::string shortest(double d);
/// The shortest round-trip text of a finite double in fixed notation (`0.0000001`).
[[nodiscard]] std::string shortest_fixed(double d);

/// Number of code points of valid UTF-8: the bytes minus the continuation
/// bytes (`10xxxxxx`), counted eight at a time.
[[nodiscard]] inline std::int64_t code_points(std::string_view s) noexcept {
  std::size_t continuation = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    // A continuation byte has bit 7 set and bit 6 clear.
    const std::uint64_t high = w & 0x8080808080808080ULL;
    const std::uint64_t not_bit6 = ~(w << 1U) & 0x8080808080808080ULL;
    // One bit per continuation byte, moved to bit 0 of its byte, then summed bytewise.
    const std::uint64_t ones = (high & not_bit6) >> 7U;
    continuation += static_cast<std::size_t>((ones * 0x0101010101010101ULL) >> 56U);
  }
  for (; i < s.size(); ++i) continuation += (static_cast<unsigned char>(s[i]) & 0xC0U) == 0x80U ? 1 : 0;
  return static_cast<std::int64_t>(s.size() - continuation);
}

/// The ISO 3166-1 alpha-2 and ISO 4217 code lists as JSON arrays.
[[nodiscard]] json::array iso_country_codes();
[[nodiscard]] json::array iso_currency_codes();

/// Appends `/token` with `~` and `/` escaped as JSON pointers require.
void append_pointer(std::string& out, std::string_view token);

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
