#pragma once
// Read-only view of a simdjson DOM document's tape, for the validator's hot
// loop. dom::element's accessors are out-of-line functions returning a
// simdjson_result through memory; per value that cost more than the checks
// themselves. The tape is simdjson's documented format (doc/tape.md), stable
// since 0.3:
//  - one 64-bit word per value, its type character in the top byte;
//  - numbers ('l' int64, 'u' uint64, 'd' double) keep their value in the next word;
//  - strings ('"') hold an offset into the string buffer, where a 32-bit
//    length precedes the bytes (the buffer is padded past each string);
//  - '{' and '[' hold the index just past their closing word (low 32 bits)
//    and their element count (next 24 bits, saturating at 0xFFFFFF);
//  - an object's contents alternate key string, value.

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <simdjson.h>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

/// Tape words taken by a value, by type character; 0 for containers, whose
/// word says where they end.
inline constexpr std::array<std::uint8_t, 256> word_counts = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& w : t) w = 1;
  t['{'] = t['['] = 0;
  t['l'] = t['u'] = t['d'] = 2;
  return t;
}();

struct tape_value {
  const std::uint64_t* tape;    ///< the document's tape
  const std::uint8_t* strings;  ///< the document's string buffer
  std::size_t index;            ///< this value's word

  /// The root of a document parsed by `parser` (word 0 is the root marker).
  static tape_value root(const simdjson::dom::document& doc) noexcept { return {doc.tape.get(), doc.string_buf.get(), 1}; }

  [[nodiscard]] char type() const noexcept { return static_cast<char>(tape[index] >> 56U); }
  /// The word after this one, as the type `T` (numbers).
  template <class T>
  [[nodiscard]] T next() const noexcept {
    T out;
    std::memcpy(&out, &tape[index + 1], sizeof out);
    return out;
  }
  [[nodiscard]] std::string_view string() const noexcept { return string_at(index); }
  /// The string whose word is at `i`.
  [[nodiscard]] std::string_view string_at(std::size_t i) const noexcept {
    const std::size_t offset = static_cast<std::size_t>(tape[i] & 0x00FFFFFFFFFFFFFFULL);
    std::uint32_t length = 0;
    std::memcpy(&length, strings + offset, sizeof length);
    return {reinterpret_cast<const char*>(strings + offset + sizeof length), length};
  }
  /// For '{' and '[': the index just past the closing word.
  [[nodiscard]] std::size_t end() const noexcept { return static_cast<std::uint32_t>(tape[index]); }
  /// For '{' and '[': the element count, if below the saturation value.
  [[nodiscard]] std::uint32_t count() const noexcept { return static_cast<std::uint32_t>(tape[index] >> 32U) & 0xFFFFFFU; }
  /// The index of the value after this one (a table, not a branch per type:
  /// this runs once per value).
  [[nodiscard]] std::size_t after() const noexcept {
    const std::uint8_t words = word_counts[static_cast<unsigned char>(type())];
    return words != 0 ? index + words : end();
  }
  [[nodiscard]] tape_value at(std::size_t i) const noexcept { return {tape, strings, i}; }
};

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
