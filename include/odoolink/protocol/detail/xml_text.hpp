#pragma once
// Character data of XML-RPC as Odoo (Python's xmlrpc.client) writes it,
// shared by the plain XML-RPC reader (src/protocol/xmlrpc_plain.cpp) and the
// typed records reader (model/detail/xml_rows.hpp).

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace protocol::detail {

/// The 8 bytes at `p` with the high bit set in each byte a text scanner must
/// look at: a control byte (tab and line feed included), a non-ASCII one,
/// '<', '&' or '>'. Exact up to the first such byte (later bytes may be
/// marked too), so the lowest mark finds it on a little-endian machine.
inline std::uint64_t xml_special_bytes(const char* p) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  std::uint64_t x = 0;
  std::memcpy(&x, p, sizeof x);
  const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & high; };
  const std::uint64_t control = (x - ones * 0x20U) & ~x & high;
  return (x & high) | control | has_zero(x ^ (ones * '<')) | has_zero(x ^ (ones * '&')) | has_zero(x ^ (ones * '>'));
}

/// Replaces the five predefined entities of `t`, writing the text into
/// `scratch` and pointing `t` at it; false for any other entity or a
/// character reference (left to expat).
inline bool xml_unescape(std::string_view& t, std::string& scratch) {
  scratch.clear();
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '&') {
      scratch.push_back(t[i]);
      continue;
    }
    const std::size_t semi = t.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 5) return false;
    const std::string_view name = t.substr(i + 1, semi - i - 1);
    if (name == "amp") scratch.push_back('&');
    else if (name == "lt") scratch.push_back('<');
    else if (name == "gt") scratch.push_back('>');
    else if (name == "quot") scratch.push_back('"');
    else if (name == "apos") scratch.push_back('\'');
    else return false;
    i = semi;
  }
  t = scratch;
  return true;
}

}  // namespace protocol::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
