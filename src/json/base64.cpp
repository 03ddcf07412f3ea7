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

void base64_append(std::string& out, std::span<const std::uint8_t> bytes) {
  const std::size_t start = out.size();
  out.resize(start + base64_encoded_size(bytes.size()));
  char* o = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3, o += 4) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16U) | (std::uint32_t{bytes[i + 1]} << 8U) | bytes[i + 2];
    o[0] = alphabet[v >> 18U];
    o[1] = alphabet[(v >> 12U) & 63U];
    o[2] = alphabet[(v >> 6U) & 63U];
    o[3] = alphabet[v & 63U];
  }
  if (const std::size_t rest = bytes.size() - i; rest != 0) {
    std::uint32_t v = std::uint32_t{bytes[i]} << 16U;
    if (rest == 2) v |= std::uint32_t{bytes[i + 1]} << 8U;
    o[0] = alphabet[v >> 18U];
    o[1] = alphabet[(v >> 12U) & 63U];
    o[2] = rest == 2 ? alphabet[(v >> 6U) & 63U] : '=';
    o[3] = '=';
  }
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  base64_append(out, bytes);
  return out;
}

std::string base64_encode(std::string_view bytes) {
  return base64_encode(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::size_t base64_decoded_size(std::string_view text) noexcept {
  if (text.size() % 4 != 0) return 0;
  std::size_t n = text.size() / 4 * 3;
  if (!text.empty() && text.back() == '=') --n;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --n;
  return n;
}

result<std::size_t> base64_decode_into(std::string_view text, std::span<std::uint8_t> out, bool final) {
  if (text.size() % 4 != 0)
    return bad_base64("a length of " + std::to_string(text.size()) + " (not a multiple of 4)");
  if (out.size() < base64_decoded_size(text))
    return bad_base64("more bytes than the " + std::to_string(out.size()) + " room was made for");
  std::uint8_t* o = out.data();
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = final && i + 4 == text.size();
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
    *o++ = static_cast<std::uint8_t>(bits >> 16U);
    if (padding < 2) *o++ = static_cast<std::uint8_t>(bits >> 8U);
    if (padding < 1) *o++ = static_cast<std::uint8_t>(bits);
  }
  return static_cast<std::size_t>(o - out.data());
}

result<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0)
    return bad_base64("a length of " + std::to_string(text.size()) + " (not a multiple of 4)");
  std::vector<std::uint8_t> out(base64_decoded_size(text));
  ODOOLINK_TRY(auto n, base64_decode_into(text, out));
  out.resize(n);
  return out;
}

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
