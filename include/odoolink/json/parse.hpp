#pragma once
/// @file
/// Parsing JSON text into an owning `json::value`, with limits, and the
/// owned padded buffer type that results travel in.

#include <cstddef>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {

/// Limits applied to untrusted input.
struct parse_options {
  std::size_t max_bytes = std::size_t{256} << 20U;  ///< larger input: protocol_errc::response_too_large
  /// Most arrays/objects nested in one another (`[]` is 1, `[[]]` is 2);
  /// deeper: protocol_errc::nesting_too_deep. 0 admits scalars only. Values
  /// above `depth_ceiling` count as `depth_ceiling`.
  std::size_t max_depth = 256;
  /// A key given twice in one object is refused (protocol_errc::malformed_response,
  /// naming the key), as by every reader of the library; true keeps both,
  /// in order, for callers that report repeated keys themselves.
  bool keep_duplicate_keys = false;

  /// The deepest nesting ever accepted: building, comparing, writing and
  /// destroying a `value` recurse once per level (up to ~1.5 KB of stack per
  /// level in an unoptimised build), and this many levels fit a 2 MB stack.
  static constexpr std::size_t depth_ceiling = 1024;
};

/// Parses `text` (one JSON value, surrounding whitespace allowed) into a
/// `value`. Integers become `kind::integer`, numbers with a fraction or an
/// exponent `kind::number`; object members keep their order. A key given
/// twice in one object is refused unless `opts.keep_duplicate_keys`.
///
/// Errors: protocol_errc::response_too_large (over `max_bytes`),
/// ::nesting_too_deep (over `max_depth`), ::invalid_utf8, ::unexpected_type
/// (an integer in [2^63, 2^64), which `std::int64_t` cannot hold),
/// ::malformed_response (anything else: syntax, lone surrogate escapes,
/// numbers beyond the int64/double range, empty text, a repeated key).
/// @par Thread Safety  Reentrant.
[[nodiscard]] result<value> parse(std::string_view text, const parse_options& opts = {});

/// Bytes of spare capacity a `buffer` needs behind its text (what the
/// readers may read ahead; simdjson's padding): a transport that reserves
/// them when it receives a body lets the buffer take the body without
/// copying it.
inline constexpr std::size_t padding = 64;

/// Whether `text` is valid UTF-8 (RFC 3629), checked with the widest SIMD
/// kernel the machine has (chosen at run time): for whole bodies.
/// `is_valid_utf8` (json/writer.hpp) suits short strings.
/// @par Thread Safety  Pure function.
[[nodiscard]] bool validate_utf8(std::string_view text) noexcept;

/// An owned JSON document in a padded buffer (`padding` zero bytes behind the
/// text), with a view of one JSON value inside it (for example the `result`
/// of a JSON-RPC envelope). Readers that read ahead (the typed decoder,
/// simdjson) read the view in place: `readable()` bytes from `json().data()`
/// may be read. Moving keeps views valid (the heap buffer moves with it).
/// @par Thread Safety  Immutable after construction; share read-only.
class buffer {
 public:
  buffer() = default;
  /// Takes `text` and views all of it.
  explicit buffer(std::string text);
  /// Takes `text` and views `[offset, offset + length)` of it.
  buffer(std::string text, std::size_t offset, std::size_t length);

  /// The viewed JSON text.
  [[nodiscard]] std::string_view json() const noexcept {
    return {storage_.data() + offset_, length_};
  }
  /// Bytes that may be read from `json().data()`: the view, the rest of the
  /// body and the padding (at least `json().size() + padding`), e.g. for
  /// `simdjson::padded_string_view(j.data(), j.size(), readable())`.
  [[nodiscard]] std::size_t readable() const noexcept { return storage_.size() - offset_; }
  /// The same storage viewing `inside`, which must lie within `whole()`
  /// (anything else views an empty range at the end).
  [[nodiscard]] buffer slice(std::string_view inside) && noexcept {
    buffer out = std::move(*this);
    const char* base = out.storage_.data();
    if (inside.data() >= base && inside.data() + inside.size() <= base + out.text_size_) {
      out.offset_ = static_cast<std::size_t>(inside.data() - base);
      out.length_ = inside.size();
    } else {
      out.offset_ = out.text_size_;
      out.length_ = 0;
    }
    return out;
  }
  /// The whole body the view was cut from.
  [[nodiscard]] std::string_view whole() const noexcept { return {storage_.data(), text_size_}; }

 private:
  std::string storage_;  // text followed by `padding` zero bytes
  std::size_t text_size_ = 0;
  std::size_t offset_ = 0;
  std::size_t length_ = 0;
};

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
