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

/// The two buffers of a parsed document.
struct tape_document {
  const std::uint64_t* tape;
  const std::uint8_t* strings;
  explicit tape_document(const simdjson::dom::document& doc) noexcept : tape(doc.tape.get()), strings(doc.string_buf.get()) {}
};

/// A value on the tape: two pointers, so it is passed in registers.
struct tape_value {
  const std::uint64_t* word;   ///< this value's first word
  const tape_document* doc;

  /// The root value (word 0 is the root marker).
  static tape_value root(const tape_document& doc) noexcept { return {doc.tape + 1, &doc}; }

  [[nodiscard]] char type() const noexcept { return static_cast<char>(*word >> 56U); }
  /// The word after this one, as the type `T` (numbers).
  template <class T>
  [[nodiscard]] T next() const noexcept {
    T out;
    std::memcpy(&out, word + 1, sizeof out);
    return out;
  }
  [[nodiscard]] std::string_view string() const noexcept { return string_at(word); }
  /// The string whose word is `w`.
  [[nodiscard]] std::string_view string_at(const std::uint64_t* w) const noexcept {
    const std::uint8_t* at = doc->strings + static_cast<std::size_t>(*w & 0x00FFFFFFFFFFFFFFULL);
    std::uint32_t length = 0;
    std::memcpy(&length, at, sizeof length);
    return {reinterpret_cast<const char*>(at + sizeof length), length};
  }
  /// For '{' and '[': the closing word.
  [[nodiscard]] const std::uint64_t* close() const noexcept { return doc->tape + static_cast<std::uint32_t>(*word) - 1; }
  /// For '{' and '[': the element count, if below the saturation value.
  [[nodiscard]] std::uint32_t count() const noexcept { return static_cast<std::uint32_t>(*word >> 32U) & 0xFFFFFFU; }
  /// The word of the value after this one. Branches on the type rather than
  /// looking it up: predicted, they keep the walk off a chain of loads.
  [[nodiscard]] const std::uint64_t* after() const noexcept {
    switch (type()) {
      case '{':
      case '[': return close() + 1;
      case 'l':
      case 'u':
      case 'd': return word + 2;
      default: return word + 1;
    }
  }
  [[nodiscard]] tape_value at(const std::uint64_t* w) const noexcept { return {w, doc}; }
};

}  // namespace detail
}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
