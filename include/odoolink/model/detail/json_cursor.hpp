#pragma once
// A strict, single-pass JSON reader for decoding record lists straight from
// the response text: no structural index, no document tree, no copies of
// strings without escapes.
//
// Why not simdjson On Demand, which the decoder used before: On Demand first
// indexes the whole text, then its value-level code (compiled for the
// portable kernel unless the includer targets AVX2) walks the index. For
// flat Odoo records, where the decoder knows each field's type before
// reading it, one pass over the text that reads each value as it comes was
// ~2x faster (benchmarks/model_bench.cpp). Validation is complete and in
// the same pass: this reader checks the JSON grammar of everything it
// passes, skipped values included (so no byte outside a string can be
// non-ASCII), and the string scan that finds where a string ends also tells
// whether it holds non-ASCII bytes: those strings alone are checked as
// UTF-8 (simdjson's runtime-dispatched kernel, `json::validate_utf8`). A
// malformed response is refused, never read half-way.
//
// Input contract: the text is followed by at least 64 readable bytes
// (simdjson's padding); they are read ahead, never trusted.
//
// Which reader does what (one reader per job):
// - this cursor: every response body of the JSON protocols, in one pass
//   (protocol/detail/json_body.hpp: the JSON-RPC / web-session envelope, the
//   JSON-2 body and error objects) and, inside
//   that same pass, typed records (model/decode.hpp through
//   protocol::result_reader). A key given twice in one object is refused
//   (json/detail/object_keys.hpp) in envelopes, fault objects, records and
//   every value skipped on the way.
// - simdjson DOM (json/parse.hpp, `json::parse`): untyped `json::value`s
//   the caller asks for from a reply (ids, counts, groups, `execute_kw`
//   results read as values); refuses repeated keys the same way.
// - simdjson DOM tape (src/contract/tape.hpp): contract validation of
//   outgoing payloads.
// - typed records over XML-RPC: read straight from the body
//   (model/detail/xml_rows.hpp) when it is in Odoo's layout; otherwise the
//   XML-RPC reader (src/protocol/xmlrpc_reader.cpp) turns it into the same
//   JSON text, which this cursor then reads (untyped calls always).

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"
#include "odoolink/json/detail/object_keys.hpp"
#include "odoolink/json/detail/validate_utf8.hpp"
#include "odoolink/model/detail/string_scan.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model::detail {

inline void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80U) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800U) {
    out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else if (cp < 0x10000U) {
    out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (cp >> 18U)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  }
}

inline bool hex4(const char* p, std::uint32_t& out) noexcept {
  out = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    std::uint32_t d = 0;
    if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
    else return false;
    out = out * 16U + d;
  }
  return true;
}

/// What went wrong in the text (protocol_errc::malformed_response).
enum class json_fault : std::uint8_t {
  none,
  unexpected,       ///< a byte that cannot come here
  truncated,        ///< the text ends inside a value
  bad_escape,       ///< a bad escape or lone surrogate in a string
  control,          ///< an unescaped control character in a string
  bad_number,       ///< a number that breaks JSON's grammar
  too_deep,         ///< nesting deeper than `json_cursor::max_depth`
  trailing,         ///< text after the value
  duplicate_key,    ///< a key given twice in one object (the fault is on its second occurrence)
  invalid_utf8,     ///< a string that is not valid UTF-8 (the fault is on its first byte)
};

inline std::string_view describe(json_fault f) noexcept {
  switch (f) {
    case json_fault::none: return "no fault";
    case json_fault::unexpected: return "unexpected character";
    case json_fault::truncated: return "the text ends too early";
    case json_fault::bad_escape: return "invalid escape in a string";
    case json_fault::control: return "unescaped control character in a string";
    case json_fault::bad_number: return "invalid number";
    case json_fault::too_deep: return "nesting too deep";
    case json_fault::trailing: return "text after the end of the value";
    case json_fault::duplicate_key: return "a key comes twice in an object";
    case json_fault::invalid_utf8: return "a string that is not valid UTF-8";
  }
  return "malformed JSON";
}

/// The scalar kinds `next_kind` reports.
enum class json_kind : std::uint8_t { string, number, true_, false_, null, array, object, none };

class json_cursor {
 public:
  static constexpr std::size_t max_depth = 1024;

  json_cursor(const char* text, std::size_t size) noexcept : begin_(text), p_(text), end_(text + size) {}

  [[nodiscard]] const char* begin() const noexcept { return begin_; }
  [[nodiscard]] const char* position() const noexcept { return p_; }
  [[nodiscard]] const char* end() const noexcept { return end_; }
  [[nodiscard]] std::size_t offset() const noexcept { return static_cast<std::size_t>(p_ - begin_); }
  [[nodiscard]] json_fault fault() const noexcept { return fault_; }
  void advance(std::size_t n) noexcept { p_ += n; }

  /// Records a fault (the first wins) and returns false.
  bool fail(json_fault f) noexcept {
    if (fault_ == json_fault::none) {
      fault_ = f;
      fault_at_ = static_cast<std::size_t>(p_ - begin_);
    }
    return false;
  }
  [[nodiscard]] std::size_t fault_offset() const noexcept { return fault_at_; }

  /// True when only whitespace is left.
  [[nodiscard]] bool at_end() noexcept {
    peek();
    return p_ >= end_;
  }

  /// Skips whitespace and returns the next byte, '\0' at the end (a NUL
  /// byte in the text reads the same: use `at_end` to tell them apart).
  ODOOLINK_DETAIL_HOT_INLINE char peek() noexcept {
    while (p_ < end_ && is_space(*p_)) ++p_;
    return p_ < end_ ? *p_ : '\0';
  }
  /// Consumes `c` (after whitespace) when it comes next.
  ODOOLINK_DETAIL_HOT_INLINE bool take(char c) noexcept {
    if (peek() != c) return false;
    ++p_;
    return true;
  }

  /// The kind of the value that comes next (after whitespace).
  [[nodiscard]] json_kind next_kind() noexcept {
    switch (peek()) {
      case '"': return json_kind::string;
      case '[': return json_kind::array;
      case '{': return json_kind::object;
      case 't': return json_kind::true_;
      case 'f': return json_kind::false_;
      case 'n': return json_kind::null;
      case '-':
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        return json_kind::number;
      default: return json_kind::none;
    }
  }

  /// Consumes the literal `word` (true/false/null) when it comes next.
  ODOOLINK_DETAIL_HOT_INLINE bool take_literal(std::string_view word) noexcept {
    if (peek() != word.front()) return false;
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0) return false;
    p_ += word.size();
    return true;
  }

  /// Reads a string (the cursor on its opening quote). `out` views the text
  /// itself when the string has no escapes (`in_scratch` false), else the
  /// unescaped copy in `scratch`. False on a malformed string (fault set).
  ODOOLINK_DETAIL_HOT_INLINE bool read_string(std::string_view& out, bool& in_scratch, std::string& scratch) {
    const char* start = p_ + 1;
    bool high = false;
    const char* stop = find_string_special(start, end_, high);
    if (high && !utf8_run(start, stop)) return false;
    if (stop < end_ && *stop == '"') {
      out = std::string_view(start, static_cast<std::size_t>(stop - start));
      in_scratch = false;
      p_ = stop + 1;
      return true;
    }
    in_scratch = true;
    return read_escaped(start, stop, out, scratch);
  }

  /// Skips a string (the cursor on its opening quote), checking it.
  bool skip_string() noexcept {
    const char* p = p_ + 1;
    for (;;) {
      const char* run = p;
      bool high = false;
      p = find_string_special(p, end_, high);
      if (high && !utf8_run(run, p)) return false;
      if (p >= end_) return truncated();
      if (*p == '"') {
        p_ = p + 1;
        return true;
      }
      if (*p != '\\') return fail_at(p, json_fault::control);
      std::uint32_t cp = 0;
      const char* next = decode_escape(p, end_, cp);
      if (next == nullptr) return fail_at(p, json_fault::bad_escape);
      p = next;
    }
  }

  /// The extent of the number that starts at the cursor, checked against
  /// JSON's grammar; `integral` tells whether it has no fraction or exponent.
  /// Does not move the cursor. False on a malformed number (fault set).
  ODOOLINK_DETAIL_HOT_INLINE bool scan_number(const char*& stop, bool& integral) noexcept {
    const char* p = p_;
    if (p < end_ && *p == '-') ++p;
    if (p >= end_ || !is_digit(*p)) return fail_at(p, json_fault::bad_number);
    if (*p == '0') {
      ++p;
    } else {
      while (p < end_ && is_digit(*p)) ++p;
    }
    integral = true;
    if (p < end_ && *p == '.') {
      integral = false;
      ++p;
      if (p >= end_ || !is_digit(*p)) return fail_at(p, json_fault::bad_number);
      while (p < end_ && is_digit(*p)) ++p;
    }
    if (p < end_ && (*p == 'e' || *p == 'E')) {
      integral = false;
      ++p;
      if (p < end_ && (*p == '+' || *p == '-')) ++p;
      if (p >= end_ || !is_digit(*p)) return fail_at(p, json_fault::bad_number);
      while (p < end_ && is_digit(*p)) ++p;
    }
    stop = p;
    return true;
  }

  /// Reads an integer that fits int64 (the cursor on its first byte).
  /// Returns false without a fault when the value is a valid JSON number
  /// that is not such an integer (a fraction, an exponent, out of range):
  /// a type mismatch for the caller to report.
  ODOOLINK_DETAIL_HOT_INLINE bool read_int64(std::int64_t& out) noexcept {
    const char* p = p_;
    const bool negative = *p == '-';
    p += static_cast<std::size_t>(negative);
    // Fast path: up to 18 digits cannot overflow.
    std::uint64_t value = 0;
    const char* digits = p;
    while (p < end_ && is_digit(*p) && p - digits < 18) value = value * 10U + static_cast<unsigned>(*p++ - '0');
    if (p - digits >= 1 && (p >= end_ || !is_number_char(*p)) && !(*digits == '0' && p - digits > 1)) {
      out = negative ? -static_cast<std::int64_t>(value) : static_cast<std::int64_t>(value);
      p_ = p;
      return true;
    }
    return read_int64_slow(out);
  }

  /// Faults on a key given twice: `quote` is the opening quote of its
  /// second occurrence. Returns false.
  bool repeated_key_at(const char* quote) noexcept { return fail_at(quote, json_fault::duplicate_key); }

  /// Skips any value (the cursor on its first byte), checking its grammar
  /// and that no object in it repeats a key (`keys` holds the keys of the
  /// objects open meanwhile; it is left as it was). Containers may nest
  /// `limit` deep (at most `max_depth`).
  bool skip_value(json::detail::object_keys& keys, std::size_t limit = max_depth) {
    if (limit > max_depth) limit = max_depth;
    const json_kind k = next_kind();
    if (k != json_kind::array && k != json_kind::object) return skip_scalar(k);
    const std::size_t outer = keys.depth();
    const bool ok = skip_container(keys, limit);
    keys.close_to(outer);
    return ok;
  }

  /// The raw text of the value at the cursor, for error messages: a scalar's
  /// whole token (bounded), or the opening bracket of a container.
  [[nodiscard]] std::string_view token() noexcept {
    const char c = peek();
    if (c == '\0') return {};
    if (c == '[' || c == '{') return {p_, 1};
    const char* p = p_ + 1;
    if (c == '"') {
      while (p < end_ && *p != '"') p += (*p == '\\' && p + 1 < end_) ? 2 : 1;
      if (p < end_) ++p;
    } else {
      while (p < end_ && !is_space(*p) && *p != ',' && *p != ']' && *p != '}') ++p;
    }
    return {p_, static_cast<std::size_t>(p - p_)};
  }

  /// Expects a comma or `close` after a member or element: true and `more`
  /// set accordingly; false (fault set) on anything else.
  ODOOLINK_DETAIL_HOT_INLINE bool next_or_close(char close, bool& more) noexcept {
    const char c = peek();
    if (c == ',') {
      ++p_;
      more = true;
      return true;
    }
    if (c == close) {
      ++p_;
      more = false;
      return true;
    }
    return unexpected();
  }

  bool truncated() noexcept { return fail(json_fault::truncated); }
  /// Faults on the byte at the cursor (or on the end of the text).
  bool unexpected() noexcept { return p_ >= end_ ? truncated() : fail(json_fault::unexpected); }

 private:
  // The container at the cursor.
  bool skip_container(json::detail::object_keys& keys, std::size_t limit) {
    // Iterative, so hostile nesting cannot overflow the stack: one bit per
    // open container (1 = object).
    std::uint64_t objects[max_depth / 64] = {};
    std::size_t depth = 0;
    for (;;) {
      // A value is expected here.
      const char c = peek();
      if (c == '[' || c == '{') {
        if (depth >= limit) return fail(json_fault::too_deep);
        const bool object = c == '{';
        if (object) objects[depth / 64] |= std::uint64_t{1} << (depth % 64);
        else objects[depth / 64] &= ~(std::uint64_t{1} << (depth % 64));
        ++depth;
        ++p_;
        if (take(object ? '}' : ']')) {
          --depth;
        } else {
          if (object) {
            keys.open();
            if (!skip_key_colon(keys)) return false;
          }
          continue;
        }
      } else if (!skip_scalar(next_kind())) {
        return false;
      }
      // After a value: a comma, or the end of containers.
      for (;;) {
        if (depth == 0) return true;
        const bool object = (objects[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1U;
        const char n = peek();
        if (n == ',') {
          ++p_;
          if (object && !skip_key_colon(keys)) return false;
          break;
        }
        if (n != (object ? '}' : ']')) return unexpected();
        ++p_;
        --depth;
        if (object) keys.close_to(keys.depth() - 1);
      }
    }
  }

  static bool is_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
  static bool is_digit(char c) noexcept { return static_cast<unsigned char>(c - '0') <= 9U; }
  static bool is_number_char(char c) noexcept { return is_digit(c) || c == '.' || c == 'e' || c == 'E'; }

  bool fail_at(const char* where, json_fault f) noexcept {
    p_ = where < end_ ? where : end_;
    return fail(f);
  }

  // A run of string content with non-ASCII bytes: true when it is UTF-8.
  // Runs end at ASCII bytes, which no UTF-8 sequence contains, so checking
  // each run checks the whole string.
  bool utf8_run(const char* from, const char* to) noexcept {
    if (json::validate_utf8(std::string_view(from, static_cast<std::size_t>(to - from)))) return true;
    return fail_at(from, json_fault::invalid_utf8);
  }

  bool read_int64_slow(std::int64_t& out) noexcept {
    const char* stop = nullptr;
    bool integral = false;
    if (!scan_number(stop, integral)) return false;
    if (!integral) return false;
    const char* p = p_;
    const bool negative = *p == '-';
    p += static_cast<std::size_t>(negative);
    std::uint64_t value = 0;
    for (; p < stop; ++p) {
      const auto d = static_cast<unsigned>(*p - '0');
      if (value > (UINT64_MAX - d) / 10U) return false;
      value = value * 10U + d;
    }
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63U : (std::uint64_t{1} << 63U) - 1U;
    if (value > limit) return false;
    out = negative ? static_cast<std::int64_t>(0U - value) : static_cast<std::int64_t>(value);
    p_ = stop;
    return true;
  }

  bool skip_scalar(json_kind k) noexcept {
    switch (k) {
      case json_kind::string: return skip_string();
      case json_kind::number: {
        const char* stop = nullptr;
        bool integral = false;
        if (!scan_number(stop, integral)) return false;
        p_ = stop;
        return true;
      }
      case json_kind::true_: return take_literal("true") || fail(json_fault::unexpected);
      case json_kind::false_: return take_literal("false") || fail(json_fault::unexpected);
      case json_kind::null: return take_literal("null") || fail(json_fault::unexpected);
      default: return unexpected();
    }
  }

  // A key (decoded, so "a" and "\u0061" are one key) and its colon.
  bool skip_key_colon(json::detail::object_keys& keys) {
    if (peek() != '"') return unexpected();
    const char* quote = p_;
    std::string_view key;
    bool in_scratch = false;
    if (!read_string(key, in_scratch, keys.scratch())) return false;
    if (!keys.add(key, in_scratch)) return repeated_key_at(quote);
    return take(':') || unexpected();
  }

  // The escape at `p` (a backslash) as a code point: a one-letter escape,
  // \uXXXX, or a surrogate pair. Returns the byte after it, or nullptr for a
  // bad escape or a lone surrogate (reading and skipping refuse the same).
  static const char* decode_escape(const char* p, const char* end, std::uint32_t& cp) noexcept {
    const char e = p + 1 < end ? p[1] : '\0';
    p += 2;
    switch (e) {
      case '"': cp = '"'; return p;
      case '\\': cp = '\\'; return p;
      case '/': cp = '/'; return p;
      case 'b': cp = '\b'; return p;
      case 'f': cp = '\f'; return p;
      case 'n': cp = '\n'; return p;
      case 'r': cp = '\r'; return p;
      case 't': cp = '\t'; return p;
      case 'u': break;
      default: return nullptr;
    }
    if (end - p < 4 || !hex4(p, cp)) return nullptr;
    p += 4;
    if (cp >= 0xDC00U && cp <= 0xDFFFU) return nullptr;
    if (cp < 0xD800U || cp > 0xDBFFU) return p;
    std::uint32_t low = 0;
    if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, low) || low < 0xDC00U || low > 0xDFFFU) return nullptr;
    cp = 0x10000U + ((cp - 0xD800U) << 10U) + (low - 0xDC00U);
    return p + 6;
  }

  // The slow part of read_string: `stop` is the first special byte after `start`.
  bool read_escaped(const char* start, const char* stop, std::string_view& out, std::string& scratch) {
    scratch.clear();
    const char* p = start;
    for (;;) {
      scratch.append(p, stop);
      if (stop >= end_) return fail_at(end_, json_fault::truncated);
      if (*stop == '"') break;
      if (*stop != '\\') return fail_at(stop, json_fault::control);
      std::uint32_t cp = 0;
      p = decode_escape(stop, end_, cp);
      if (p == nullptr) return fail_at(stop, json_fault::bad_escape);
      put_utf8(scratch, cp);
      bool high = false;
      stop = find_string_special(p, end_, high);
      if (high && !utf8_run(p, stop)) return false;
    }
    out = scratch;
    p_ = stop + 1;
    return true;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  json_fault fault_ = json_fault::none;
  std::size_t fault_at_ = 0;
};

/// What went wrong at the cursor's fault, for messages; a repeated key is
/// named.
inline std::string describe_fault(const json_cursor& c) {
  if (c.fault() == json_fault::duplicate_key) {
    json_cursor at(c.begin() + c.fault_offset(), static_cast<std::size_t>(c.end() - c.begin()) - c.fault_offset());
    std::string scratch;
    std::string_view key;
    bool in_scratch = false;
    if (at.read_string(key, in_scratch, scratch)) return json::detail::repeated_key(key);
  }
  return std::string(describe(c.fault()));
}

}  // namespace model::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
