#include "odoolink/json/base64.hpp"

#include <array>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, 64 for '=', 255 for anything else.
constexpr std::array<std::uint8_t, 256> decode_table = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& x : t) x = 255;
  for (std::uint8_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = i;
  t[static_cast<unsigned char>('=')] = 64;
  return t;
}();

error bad_base64(std::string problem) {
  return {protocol_errc::unexpected_type, "expected base64 text, found " + std::move(problem)};
}

std::string describe_byte(unsigned char c) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "byte 0x";
  out.push_back(hex[c >> 4U]);
  out.push_back(hex[c & 0xFU]);
  if (c >= 0x21U && c < 0x7FU) {
    out += " '";
    out.push_back(static_cast<char>(c));
    out += "'";
  }
  return out;
}

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16U) | (std::uint32_t{bytes[i + 1]} << 8U) | bytes[i + 2];
    out.push_back(alphabet[v >> 18U]);
    out.push_back(alphabet[(v >> 12U) & 63U]);
    out.push_back(alphabet[(v >> 6U) & 63U]);
    out.push_back(alphabet[v & 63U]);
  }
  if (const std::size_t rest = bytes.size() - i; rest != 0) {
    std::uint32_t v = std::uint32_t{bytes[i]} << 16U;
    if (rest == 2) v |= std::uint32_t{bytes[i + 1]} << 8U;
    out.push_back(alphabet[v >> 18U]);
    out.push_back(alphabet[(v >> 12U) & 63U]);
    out.push_back(rest == 2 ? alphabet[(v >> 6U) & 63U] : '=');
    out.push_back('=');
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  return base64_encode(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

result<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0)
    return bad_base64("a length of " + std::to_string(text.size()) + " (not a multiple of 4)");
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::uint8_t v[4];
    std::size_t padding = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      v[k] = decode_table[c];
      if (v[k] == 255) return bad_base64(describe_byte(c) + " at offset " + std::to_string(i + k));
      if (v[k] == 64) {
        // '=' may only fill the last one or two places of the final group.
        if (!last || k < 2 || (k == 2 && static_cast<unsigned char>(text[i + 3]) != '='))
          return bad_base64("'=' at offset " + std::to_string(i + k) + " (padding only ends the text)");
        ++padding;
        v[k] = 0;
      }
    }
    const std::uint32_t bits = (std::uint32_t{v[0]} << 18U) | (std::uint32_t{v[1]} << 12U) |
                               (std::uint32_t{v[2]} << 6U) | v[3];
    // Canonical form (RFC 4648 section 3.5): the bits past the last byte are zero.
    if ((padding == 2 && (bits & 0xFFFFU) != 0) || (padding == 1 && (bits & 0xFFU) != 0))
      return bad_base64("non-zero padding bits at offset " + std::to_string(i + 3 - padding));
    out.push_back(static_cast<std::uint8_t>(bits >> 16U));
    if (padding < 2) out.push_back(static_cast<std::uint8_t>(bits >> 8U));
    if (padding < 1) out.push_back(static_cast<std::uint8_t>(bits));
  }
  return out;
}

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
