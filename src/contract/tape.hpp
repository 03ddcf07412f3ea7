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

#include <cstdint>
#include <cstring>
#include <string_view>

#include <simdjson.h>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace detail {

/// Reads the values of one parsed document. A value is the pointer to its
/// first word: one register, where a (document, index) pair took two and
/// was too often assembled on the stack.
class tape_reader {
 public:
  using word = const std::uint64_t*;

  explicit tape_reader(const simdjson::dom::document& doc) noexcept : tape_(doc.tape.get()), strings_(doc.string_buf.get()) {}

  /// The root value (word 0 is the root marker).
  [[nodiscard]] word root() const noexcept { return tape_ + 1; }

  [[nodiscard]] static char type(word w) noexcept { return static_cast<char>(*w >> 56U); }
  /// The word after `w`, as the type `T` (numbers).
  template <class T>
  [[nodiscard]] static T next(word w) noexcept {
    T out;
    std::memcpy(&out, w + 1, sizeof out);
    return out;
  }
  /// The string of a string word.
  [[nodiscard]] std::string_view string(word w) const noexcept {
    const std::uint8_t* at = strings_ + static_cast<std::size_t>(*w & 0x00FFFFFFFFFFFFFFULL);
    std::uint32_t length = 0;
    std::memcpy(&length, at, sizeof length);
    return {reinterpret_cast<const char*>(at + sizeof length), length};
  }
  /// For '{' and '[': the closing word.
  [[nodiscard]] word close(word w) const noexcept { return tape_ + static_cast<std::uint32_t>(*w) - 1; }
  /// For '{' and '[': the element count, if below the saturation value.
  [[nodiscard]] static std::uint32_t count(word w) noexcept { return static_cast<std::uint32_t>(*w >> 32U) & 0xFFFFFFU; }
  /// The word of the value after the one at `w`. Branches on the type
  /// rather than looking it up: predicted, they keep the walk off a chain
  /// of loads.
  [[nodiscard]] word after(word w) const noexcept {
    switch (type(w)) {
      case '{':
      case '[': return close(w) + 1;
      case 'l':
      case 'u':
      case 'd': return w + 2;
      default: return w + 1;
    }
  }

 private:
  const std::uint64_t* tape_;
  const std::uint8_t* strings_;
};

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
