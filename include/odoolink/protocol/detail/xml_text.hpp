#pragma once
// Character data of XML-RPC as Odoo (Python's xmlrpc.client) writes it,
// shared by the plain XML-RPC reader (src/protocol/xmlrpc_plain.cpp) and the
// typed records reader (model/detail/xml_rows.hpp).

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/json/detail/validate_utf8.hpp"

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

/// UTF-8 that XML allows: U+FFFE and U+FFFF are not characters to it.
inline bool xml_utf8(std::string_view s) noexcept {
  return json::validate_utf8(s) && s.find("\xEF\xBF\xBE") == std::string_view::npos &&
         s.find("\xEF\xBF\xBF") == std::string_view::npos;
}

/// What a byte of character data asks of `scan_text` ('<', which ends it,
/// is tested before the table).
enum class xml_byte : std::uint8_t { plain, entity, close_angle, wide, refused };

inline constexpr std::array<xml_byte, 256> xml_byte_classes = [] {
  std::array<xml_byte, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = xml_byte::refused;  // XML allows none but tab, LF and CR
  t['\t'] = xml_byte::plain;
  t['\n'] = xml_byte::plain;
  // CR is allowed, but XML turns CR LF and a lone CR into LF: the expat reader does that.
  t['\r'] = xml_byte::refused;
  t['&'] = xml_byte::entity;
  t['>'] = xml_byte::close_angle;  // "]]>" may not appear in character data
  for (int c = 0x80; c < 0x100; ++c) t[c] = xml_byte::wide;
  return t;
}();

/// Character data from `p` to the next '<' (where `p` stops): `text` views
/// it, `entity` says it holds a '&' (see `xml_unescape`). False, for the
/// expat reader to judge, at a byte XML refuses there (a control but tab and
/// LF, CR, "]]>"), at `end` before a '<', or on UTF-8 XML does not allow.
/// With `any_close_angle_refused` any '>' ends it so.
template <bool any_close_angle_refused>
bool scan_text(const char*& p, const char* end, std::string_view& text, bool& entity) noexcept {
  const char* start = p;
  bool wide = false;
  entity = false;
  for (;;) {
    // Eight bytes at a time to the first one to look at.
    if (end - p >= 8) {
      const std::uint64_t marks = xml_special_bytes(p);
      if (marks == 0) {
        p += 8;
        continue;
      }
      if constexpr (std::endian::native == std::endian::little) p += std::countr_zero(marks) / 8;
    } else if (p == end) {
      return false;
    }
    if (*p == '<') {  // the usual end, tested before the table
      text = {start, static_cast<std::size_t>(p - start)};
      return !wide || xml_utf8(text);
    }
    switch (xml_byte_classes[static_cast<unsigned char>(*p)]) {
      case xml_byte::entity: entity = true; break;
      case xml_byte::wide: wide = true; break;
      case xml_byte::close_angle:
        if (any_close_angle_refused || (p - start >= 2 && p[-1] == ']' && p[-2] == ']')) return false;
        break;
      case xml_byte::refused: return false;
      case xml_byte::plain: break;
    }
    ++p;
  }
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
