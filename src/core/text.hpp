#pragma once
// Small text helpers the readers of responses share.

#include <string_view>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace detail {

/// Space, tab, carriage return or line feed: the whitespace of JSON, of
/// XML's element content and of HTTP header lines alike.
[[nodiscard]] constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// `s` without leading and trailing `is_blank` characters.
[[nodiscard]] constexpr std::string_view trim_blanks(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
