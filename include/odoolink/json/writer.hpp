#pragma once
/// @file
/// Exact JSON output. Appends to a caller-owned `std::string` and allocates
/// nothing else.
///
/// - Strings: `"` `\` and control characters are escaped (`\n`, `\t`, ... or
///   `\u00XX`); valid UTF-8 passes through unchanged; each invalid UTF-8
///   sequence (bad lead byte, truncated or overlong sequence, surrogate, code
///   point above U+10FFFF) is replaced by U+FFFD, as Python's
///   `errors="replace"` would. Use `is_valid_utf8` first to refuse instead.
/// - Integers: full `int64` range, exact.
/// - Doubles: the shortest text that parses back to the same double, always
///   with a `.` or exponent so Odoo receives a float (`1.0`, not `1`).
///   NaN and infinities have no JSON form and are written as `null`.

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {

namespace detail {

/// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const std::size_t n = s.size() - i;
  auto cont = [&](std::size_t k) { return k < n && (static_cast<unsigned char>(s[i + k]) & 0xC0U) == 0x80U; };
  if (b0 < 0x80U) return 1;
  if (b0 >= 0xC2U && b0 <= 0xDFU) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0U && b0 <= 0xEFU) {
    if (!cont(1) || !cont(2)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0U && b1 < 0xA0U) return 0;  // overlong
    if (b0 == 0xEDU && b1 > 0x9FU) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (b0 >= 0xF0U && b0 <= 0xF4U) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xF0U && b1 < 0x90U) return 0;  // overlong
    if (b0 == 0xF4U && b1 > 0x8FU) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace detail

/// True when `s` is well-formed UTF-8.
[[nodiscard]] inline bool is_valid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = detail::utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

/// Appends `s` as a quoted, escaped JSON string.
inline void write_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of bytes copied verbatim
  std::size_t i = 0;
  auto flush = [&](std::size_t end) { out.append(s.data() + run, end - run); };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20U && c != '"' && c != '\\' && c < 0x80U) {
      ++i;
      continue;
    }
    if (c >= 0x80U) {
      const std::size_t n = detail::utf8_sequence_length(s, i);
      if (n != 0) {
        i += n;
        continue;
      }
      flush(i);
      out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
      run = ++i;
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

/// Appends an integer.
inline void write_int(std::string& out, std::int64_t v) {
  std::array<char, 24> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), r.ptr);
}

/// Appends a double in its shortest round-trip form (see file comment).
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
[[nodiscard]] inline std::string to_string(const value& v) {
  std::string out;
  write(out, v);
  return out;
}

/// A streaming writer for large documents built without a `value` tree.
/// Commas are inserted automatically. Nesting is tracked in a fixed bit set
/// (`max_depth` levels), so the writer allocates nothing but its output.
/// @par Thread Safety  Not shared; one writer per thread.
class writer {
 public:
  static constexpr std::size_t max_depth = 256;

  explicit writer(std::string& out) noexcept : out_(out) {}

  writer& begin_object() { return open('{'); }
  writer& end_object() { return close('}'); }
  writer& begin_array() { return open('['); }
  writer& end_array() { return close(']'); }
  /// Writes an object key; the next call writes its value.
  writer& key(std::string_view k) {
    separate();
    write_string(out_, k);
    out_.append(": ");
    after_key_ = true;
    return *this;
  }
  writer& null() { separate(); out_.append("null"); return *this; }
  writer& boolean(bool b) { separate(); out_.append(b ? "true" : "false"); return *this; }
  writer& integer(std::int64_t i) { separate(); write_int(out_, i); return *this; }
  writer& number(double d) { separate(); write_double(out_, d); return *this; }
  writer& string(std::string_view s) { separate(); write_string(out_, s); return *this; }
  writer& raw(std::string_view json) { separate(); out_.append(json); return *this; }
  writer& val(const value& v) { separate(); write(out_, v); return *this; }

  /// False when the document is incomplete or nesting overflowed.
  [[nodiscard]] bool ok() const noexcept { return depth_ == 0 && !overflow_; }

 private:
  writer& open(char c) {
    separate();
    out_.push_back(c);
    if (depth_ >= max_depth) {
      overflow_ = true;
      return *this;
    }
    has_items_[depth_++] = false;
    return *this;
  }
  writer& close(char c) {
    if (depth_ > 0) --depth_;
    out_.push_back(c);
    return *this;
  }
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    if (has_items_[depth_ - 1]) out_.append(", ");
    has_items_[depth_ - 1] = true;
  }

  std::string& out_;
  std::array<bool, max_depth> has_items_{};
  std::size_t depth_ = 0;
  bool after_key_ = false;
  bool overflow_ = false;
};

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
