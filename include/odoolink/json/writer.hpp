#pragma once
/// @file
/// Exact JSON output. Appends to a caller-owned `std::string` and allocates
/// nothing else.
///
/// - Strings: `"` `\` and control characters are escaped (`\n`, `\t`, ... or
///   `\u00XX`); valid UTF-8 passes through unchanged; each invalid UTF-8
///   sequence (bad lead byte, truncated or overlong sequence, surrogate, code
///   point above U+10FFFF) is replaced by U+FFFD, one per maximal subpart, as
///   Python's `errors="replace"` would. U+2028/U+2029 pass through (valid
///   JSON). Use `is_valid_utf8` first to refuse instead.
/// - Integers: full `int64` range, exact.
/// - Doubles: the shortest text that parses back to the same double, always
///   with a `.` or exponent so Odoo receives a float (`1.0`, not `1`).
///   NaN and infinities have no JSON form and are written as `null`.

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {

namespace detail {

/// One step of UTF-8 decoding: how many bytes the next sequence spans and
/// whether it is well formed. For an ill-formed sequence `length` is its
/// maximal subpart (the longest prefix that could start a valid sequence, at
/// least 1 byte), which is what gets one U+FFFD under the Unicode
/// "substitution of maximal subparts" practice that Python follows.
struct utf8_step {
  std::size_t length;
  bool valid;
};

/// Decodes the sequence starting at `s[i]` (precondition: `i < s.size()`).
inline utf8_step utf8_next(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80U) return {1, true};
  std::size_t trailing = 0;
  // The second byte's range narrows to exclude overlong forms, UTF-16
  // surrogates and code points above U+10FFFF (RFC 3629 table, section 4).
  unsigned char lo = 0x80U;
  unsigned char hi = 0xBFU;
  if (b0 >= 0xC2U && b0 <= 0xDFU) {
    trailing = 1;
  } else if (b0 >= 0xE0U && b0 <= 0xEFU) {
    trailing = 2;
    if (b0 == 0xE0U) lo = 0xA0U;
    if (b0 == 0xEDU) hi = 0x9FU;
  } else if (b0 >= 0xF0U && b0 <= 0xF4U) {
    trailing = 3;
    if (b0 == 0xF0U) lo = 0x90U;
    if (b0 == 0xF4U) hi = 0x8FU;
  } else {
    return {1, false};  // continuation byte, C0/C1 or F5..FF as a lead byte
  }
  for (std::size_t k = 1; k <= trailing; ++k) {
    if (i + k >= s.size()) return {k, false};
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < (k == 1 ? lo : 0x80U) || b > (k == 1 ? hi : 0xBFU)) return {k, false};
  }
  return {trailing + 1, true};
}

/// True when one of the 8 bytes at `p` is not plain printable ASCII for a
/// JSON string (a control character, `"`, `\\` or a byte >= 0x80). Exact:
/// each test below is the classic "has a zero / smaller byte" word trick.
inline bool has_special_byte(const char* p) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t high = 0x8080808080808080ULL;
  std::uint64_t x = 0;
  std::memcpy(&x, p, sizeof x);
  const auto has_zero = [&](std::uint64_t v) { return (v - ones) & ~v & high; };
  const std::uint64_t control = (x - ones * 0x20U) & ~x & high;
  return ((x & high) | control | has_zero(x ^ (ones * '"')) | has_zero(x ^ (ones * '\\'))) != 0;
}


/// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const utf8_step step = utf8_next(s, i);
  return step.valid ? step.length : 0;
}

}  // namespace detail

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF).
/// @par Thread Safety  Pure function.
[[nodiscard]] inline bool is_valid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const detail::utf8_step step = detail::utf8_next(s, i);
    if (!step.valid) return false;
    i += step.length;
  }
  return true;
}

namespace detail {

/// True when `s` is plain printable ASCII other than `"` and `\\` (nothing
/// to escape), checked eight bytes at a time; a short tail is padded with a
/// plain byte.
inline bool is_plain_ascii(std::string_view s) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8)
    if (has_special_byte(s.data() + i)) return false;
  if (i == s.size()) return true;
  char tail[8];
  std::memset(tail, 'a', sizeof tail);
  std::memcpy(tail, s.data() + i, s.size() - i);
  return !has_special_byte(tail);
}

}  // namespace detail

/// Appends `s` as a quoted, escaped JSON string (see the file comment).
/// @par Thread Safety  Reentrant; `out` belongs to the caller.
inline void write_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  // Names, field lists, most values: copied in one piece.
  if (detail::is_plain_ascii(s)) {
    out.append(s);
    out.push_back('"');
    return;
  }
  std::size_t run = 0;  // start of the pending run of bytes copied verbatim
  std::size_t i = 0;
  auto flush = [&](std::size_t end) { out.append(s.data() + run, end - run); };
  while (i < s.size()) {
    // Plain ASCII is copied as is: skip it eight bytes at a time.
    while (i + 8 <= s.size() && !detail::has_special_byte(s.data() + i)) i += 8;
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20U && c != '"' && c != '\\' && c < 0x80U) {
      ++i;
      continue;
    }
    if (c >= 0x80U) {
      const detail::utf8_step step = detail::utf8_next(s, i);
      if (!step.valid) {
        flush(i);
        out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        run = i + step.length;
      }
      i += step.length;
      continue;
    }
    flush(i);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4U], hex[c & 0xFU]};
        out.append(esc, sizeof esc);
      }
    }
    run = ++i;
  }
  flush(i);
  out.push_back('"');
}

/// Appends an integer, exactly.
/// @par Thread Safety  Reentrant.
inline void write_int(std::string& out, std::int64_t v) {
  std::array<char, 24> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), r.ptr);
}

/// Appends a double in its shortest round-trip form (see file comment).
/// @par Thread Safety  Reentrant.
inline void write_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  const std::string_view text(buf.data(), static_cast<std::size_t>(r.ptr - buf.data()));
  out.append(text);
  if (text.find_first_of(".e") == std::string_view::npos) out.append(".0");
}

/// Appends any `value`.
/// @par Thread Safety  Reentrant.
inline void write(std::string& out, const value& v) {
  switch (v.type()) {
    case kind::null: out.append("null"); return;
    case kind::boolean: out.append(v.as_bool() ? "true" : "false"); return;
    case kind::integer: write_int(out, v.as_int()); return;
    case kind::number: write_double(out, v.as_double()); return;
    case kind::string: write_string(out, v.as_string()); return;
    case kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v.as_array()) {
        if (!first) out.append(", ");
        first = false;
        write(out, e);
      }
      out.push_back(']');
      return;
    }
    case kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, e] : v.as_object()) {
        if (!first) out.append(", ");
        first = false;
        write_string(out, k);
        out.append(": ");
        write(out, e);
      }
      out.push_back('}');
      return;
    }
  }
}

/// Serialises a value to a new string (Python's `json.dumps` spacing: `", "` and `": "`).
/// @par Thread Safety  Reentrant.
[[nodiscard]] inline std::string to_string(const value& v) {
  std::string out;
  write(out, v);
  return out;
}

/// A streaming writer for large documents built without a `value` tree.
/// Commas are inserted automatically. Nesting is tracked in a fixed array
/// (`max_depth` levels), so the writer allocates nothing but its output.
///
/// Misuse (a value in an object without a key, a key outside an object, a
/// close that does not match its open, a second root value, nesting deeper
/// than `max_depth`) still writes something but makes `ok()` false; callers
/// that build documents from code they control check `ok()` in tests.
/// @par Thread Safety  Not shared; one writer per thread.
class writer {
 public:
  /// Deepest nesting tracked; deeper levels are written without commas and fail `ok()`.
  static constexpr std::size_t max_depth = 256;

  /// Appends to `out`, which must outlive the writer.
  explicit writer(std::string& out) noexcept : out_(out) {}

  /// Opens an object (`{`).
  writer& begin_object() { return open('{', true); }
  /// Closes the innermost object (`}`).
  writer& end_object() { return close('}', true); }
  /// Opens an array (`[`).
  writer& begin_array() { return open('[', false); }
  /// Closes the innermost array (`]`).
  writer& end_array() { return close(']', false); }
  /// Writes an object key; the next call writes its value.
  writer& key(std::string_view k) {
    if (depth_ == 0 || excess_ != 0 || !is_object_[depth_ - 1] || after_key_) {
      failed_ = true;
    } else if (has_items_[depth_ - 1]) {
      out_.append(", ");
    }
    if (depth_ != 0 && excess_ == 0) has_items_[depth_ - 1] = true;
    write_string(out_, k);
    out_.append(": ");
    after_key_ = true;
    return *this;
  }
  /// Writes `null`.
  writer& null() { separate(); out_.append("null"); return *this; }
  /// Writes `true` or `false`.
  writer& boolean(bool b) { separate(); out_.append(b ? "true" : "false"); return *this; }
  /// Writes an integer, exactly.
  writer& integer(std::int64_t i) { separate(); write_int(out_, i); return *this; }
  /// Writes a double (shortest round-trip form; NaN/inf as `null`).
  writer& number(double d) { separate(); write_double(out_, d); return *this; }
  /// Writes a string (escaped; invalid UTF-8 replaced by U+FFFD).
  writer& string(std::string_view s) { separate(); write_string(out_, s); return *this; }
  /// Writes `json` verbatim as one value; the caller vouches that it is valid JSON.
  writer& raw(std::string_view json) { separate(); out_.append(json); return *this; }
  /// Writes a whole `value`.
  writer& val(const value& v) { separate(); write(out_, v); return *this; }

  /// True when exactly one complete root value was written and no misuse happened.
  [[nodiscard]] bool ok() const noexcept {
    return depth_ == 0 && excess_ == 0 && root_written_ && !after_key_ && !failed_ && !overflow_;
  }

 private:
  writer& open(char c, bool is_object) {
    separate();
    out_.push_back(c);
    if (depth_ >= max_depth || excess_ != 0) {
      overflow_ = true;
      ++excess_;
      return *this;
    }
    is_object_[depth_] = is_object;
    has_items_[depth_] = false;
    ++depth_;
    return *this;
  }
  writer& close(char c, bool is_object) {
    if (after_key_) failed_ = true;  // a key without its value
    after_key_ = false;
    if (excess_ != 0) {
      --excess_;
    } else if (depth_ == 0 || is_object_[depth_ - 1] != is_object) {
      failed_ = true;
    } else {
      --depth_;
    }
    out_.push_back(c);
    return *this;
  }
  // Called before every value: writes the comma and checks the value is allowed here.
  void separate() {
    if (excess_ != 0) return;
    if (depth_ == 0) {
      if (root_written_) failed_ = true;
      root_written_ = true;
      return;
    }
    if (is_object_[depth_ - 1]) {
      if (!after_key_) failed_ = true;
      after_key_ = false;
      return;
    }
    if (has_items_[depth_ - 1]) out_.append(", ");
    has_items_[depth_ - 1] = true;
  }

  std::string& out_;
  std::array<bool, max_depth> has_items_{};
  std::array<bool, max_depth> is_object_{};
  std::size_t depth_ = 0;
  std::size_t excess_ = 0;  // levels opened beyond max_depth and not yet closed
  bool after_key_ = false;
  bool root_written_ = false;
  bool failed_ = false;
  bool overflow_ = false;
};

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
