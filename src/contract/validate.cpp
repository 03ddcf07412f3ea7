// Payload validation: one walker, instantiated for the validator's own
// simdjson tape (the fast path) and for owned json::value trees. The walker follows the contract,
// so its recursion is bounded by the contract's nesting; JSON pointers are
// built only when a violation is reported.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "engine.hpp"
#include "formats.hpp"
#include "model.hpp"
#include "odoolink/contract/validate.hpp"
#include "odoolink/json/detail/object_keys.hpp"
#include "odoolink/json/writer.hpp"
#include "tape.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace {

using detail::node;

enum class jk { null, boolean, integer, uinteger, number, string, array, object };

// The fast path: the validator's own parser's tape, read in place (see
// tape.hpp). Unlike the other traits it has state: the document.
struct tape_traits : detail::tape_reader {
  using value_type = detail::tape_reader::word;
  using arg_type = value_type;
  using tape_reader::tape_reader;

  // A table: small enough to inline everywhere (a switch was outlined).
  static constexpr std::array<jk, 256> kinds = [] {
    std::array<jk, 256> t{};  // jk::null; no other word starts a value
    t['t'] = t['f'] = jk::boolean;
    t['l'] = jk::integer;
    t['u'] = jk::uinteger;
    t['d'] = jk::number;
    t['"'] = jk::string;
    t['['] = jk::array;
    t['{'] = jk::object;
    return t;
  }();
  static jk kind(value_type v) noexcept { return kinds[static_cast<unsigned char>(type(v))]; }
  static bool boolean(value_type v) noexcept { return type(v) == 't'; }
  static std::int64_t integer(value_type v) noexcept { return next<std::int64_t>(v); }
  static double number(value_type v) noexcept {
    switch (type(v)) {
      case 'l': return static_cast<double>(next<std::int64_t>(v));
      case 'u': return static_cast<double>(next<std::uint64_t>(v));
      default: return next<double>(v);
    }
  }
  bool try_string(value_type v, std::string_view& out) const noexcept {
    if (type(v) != '"') return false;
    out = string(v);
    return true;
  }
  static constexpr bool checks_utf8 = false;  // simdjson validated the whole document
  static constexpr bool padded_strings = true;  // keys live in simdjson's padded string buffer
  std::size_t size(value_type v) const noexcept {
    if (count(v) < 0xFFFFFFU) return count(v);
    std::size_t n = 0;  // the count saturated: walk the elements
    for (value_type w = v + 1; w < close(v); w = after(w)) ++n;
    return n;
  }
  // The next position is taken before the callback, so it does not wait on
  // the callback's return.
  template <class F>
  void members(value_type v, F&& f) const {
    const value_type end = close(v);
    for (value_type w = v + 1; w < end;) {
      const value_type next = after(w + 1);
      if (!f(string(w), w + 1)) return;
      w = next;
    }
  }
  template <class F>
  void elements(value_type v, F&& f) const {
    const value_type end = close(v);
    std::size_t n = 0;
    for (value_type w = v + 1; w < end;) {
      const value_type next = after(w);
      if (!f(n++, w)) return;
      w = next;
    }
  }
};

struct value_traits {
  using value_type = json::value;
  using arg_type = const value_type&;
  static jk kind(const value_type& v) noexcept {
    switch (v.type()) {
      case json::kind::null: return jk::null;
      case json::kind::boolean: return jk::boolean;
      case json::kind::integer: return jk::integer;
      case json::kind::number: return jk::number;
      case json::kind::string: return jk::string;
      case json::kind::array: return jk::array;
      case json::kind::object: return jk::object;
    }
    return jk::null;
  }
  static bool boolean(const value_type& v) noexcept { return v.as_bool(); }
  static std::int64_t integer(const value_type& v) noexcept { return v.as_int(); }
  static double number(const value_type& v) noexcept { return v.as_double(); }
  static std::string_view string(const value_type& v) noexcept { return v.as_string(); }
  static bool try_string(const value_type& v, std::string_view& out) noexcept {
    if (!v.is_string()) return false;
    out = v.as_string();
    return true;
  }
  static constexpr bool checks_utf8 = true;
  static constexpr bool padded_strings = false;
  static std::size_t size(const value_type& v) noexcept { return v.as_array().size(); }
  template <class F>
  static void members(const value_type& v, F&& f) {
    for (const auto& [k, e] : v.as_object())
      if (!f(std::string_view(k), e)) return;
  }
  template <class F>
  static void elements(const value_type& v, F&& f) {
    std::size_t i = 0;
    for (const auto& e : v.as_array())
      if (!f(i++, e)) return;
  }
};

std::string_view expected(const node& n) noexcept {
  switch (n.type) {
    case field_type::string: return "a string";
    case field_type::integer: return "an integer";
    case field_type::number: return "a number";
    case field_type::decimal: return "a decimal (number or string such as \"12.50\")";
    case field_type::boolean: return "true or false";
    case field_type::date: return "a date \"YYYY-MM-DD\"";
    case field_type::datetime: return "an RFC 3339 date-time such as \"2026-11-22T06:02:49Z\"";
    case field_type::enumeration: return "one of the enum values";
    case field_type::array: return "an array";
    case field_type::object: return "an object";
    case field_type::reference:
      switch (n.by()) {
        case reference_by::id: return "a record id (positive integer)";
        case reference_by::name: return "a record name (string)";
        default: return "an external id such as \"module.name\"";
      }
  }
  return "a value";
}

std::string quote(std::string_view s) {
  std::string out;
  const bool cut = s.size() > 40;
  // Cut at a code point boundary so the message stays valid UTF-8.
  std::size_t end = std::min<std::size_t>(s.size(), 40);
  while (cut && end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0U) == 0x80U) --end;
  json::write_string(out, s.substr(0, end));
  if (cut) out.insert(out.size() - 1, "...");
  return out;
}

// Text of a double in fixed notation on the stack (no allocation).
bool double_digits(double d, std::int64_t& integer_digits, std::int64_t& scale) noexcept {
  std::array<char, 400> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::fixed);
  if (r.ec != std::errc()) return false;
  return detail::decimal_digits(std::string_view(buf.data(), static_cast<std::size_t>(r.ptr - buf.data())), integer_digits, scale);
}

// Per-type checks stay out of line (see walker::scalar).
#if defined(__GNUC__)
#define ODOOLINK_OUT_OF_LINE [[gnu::noinline]]
#define ODOOLINK_COLD [[gnu::cold, gnu::noinline]]
#else
#define ODOOLINK_OUT_OF_LINE
#define ODOOLINK_COLD
#endif

template <class Traits>
class walker {
  using value_type = typename Traits::value_type;
  // Small values (tape positions) go in registers, trees by reference.
  using arg = typename Traits::arg_type;

 public:
  walker(std::vector<violation>& out, const validate_options& options, std::string_view prefix, Traits traits = {}) noexcept
      : t_(traits), out_(out), options_(options), prefix_(prefix) {}

  void value(const node& n, arg v) {
    if (n.type != field_type::array && n.type != field_type::object) return scalar(n, v);
    const jk kind = t_.kind(v);
    if (kind == jk::null) return not_a(n, v);
    if (n.type == field_type::array) return array(n, v, kind);
    if (kind != jk::object) return mismatch(n, v);
    object(n, v);
  }

  [[nodiscard]] bool stopped() const noexcept { return stopped_; }

 private:
  // Trivial, so the path stack costs nothing until used.
  struct segment {
    const char* key;
    std::size_t size;  // key length, or the index
    bool is_index;
  };

  // Everything but arrays and objects: a dispatch to one small function per
  // type. One function for all types saved and restored every callee-saved
  // register per field, which cost as much as the checks. Strings are asked
  // for directly; the value's kind is only read when that fails (or for
  // other types), saving a tape read per field.
  void scalar(const node& n, arg v) {
    // Strings, most fields, by a plain branch before the jump table
    // (measured faster than the table alone).
    if (n.type == field_type::string) {
      // A string without constraints (ids, names) needs no call, when the
      // parser has checked its UTF-8.
      if constexpr (!Traits::checks_utf8) {
        if (t_.kind(v) == jk::string && !n.min_length && !n.max_length && n.format == string_format::none && !n.regex &&
            !n.external_id)
          return;
      }
      return string_field(n, v);
    }
    switch (n.type) {
      case field_type::string: return string_field(n, v);
      case field_type::date: return date_field(n, v);
      case field_type::datetime: return datetime_field(n, v);
      case field_type::enumeration: return enum_field(n, v);
      case field_type::reference: return reference_field(n, v);
      case field_type::decimal: return decimal_field(n, v);
      case field_type::integer: return integer_field(n, v);
      case field_type::number: return number_field(n, v);
      case field_type::boolean: return boolean_field(n, v);
      case field_type::array:
      case field_type::object: return;  // handled by value()
    }
  }

  // Like every check called from scalar(): out of line, so that scalar()
  // needs no stack frame and only jumps.
  ODOOLINK_OUT_OF_LINE void integer_field(const node& n, arg v) { integer(n, v, t_.kind(v)); }

  ODOOLINK_OUT_OF_LINE void boolean_field(const node& n, arg v) {
    if (t_.kind(v) != jk::boolean) not_a(n, v);
  }

  ODOOLINK_OUT_OF_LINE void string_field(const node& n, arg v) {
    std::string_view s;
    if (!t_.try_string(v, s)) return not_a(n, v);
    string(n, s);
  }

  ODOOLINK_OUT_OF_LINE void date_field(const node& n, arg v) {
    std::string_view s;
    if (!t_.try_string(v, s)) return not_a(n, v);
    std::chrono::year_month_day d;
    if (!utf8(s)) return;
    if (!detail::parse_date(s, d)) fail(violation_kind::invalid_date, [this, s] { return std::string("expected a date \"YYYY-MM-DD\" (a real day), found " + shown(s)); });
  }

  ODOOLINK_OUT_OF_LINE void datetime_field(const node& n, arg v) {
    std::string_view s;
    if (!t_.try_string(v, s)) return not_a(n, v);
    std::chrono::sys_time<std::chrono::microseconds> t;
    if (!utf8(s)) return;
    if (!detail::parse_datetime(s, t)) fail(violation_kind::invalid_datetime, [this, &n, s] { return std::string("expected " + std::string(expected(n)) + ", found " + shown(s)); });
  }

  ODOOLINK_OUT_OF_LINE void enum_field(const node& n, arg v) {
    std::string_view s;
    if (!t_.try_string(v, s)) return not_a(n, v);
    if (!utf8(s)) return;
    if (std::find(n.values.begin(), n.values.end(), s) == n.values.end())
      fail(violation_kind::not_in_enum, [this, s] { return std::string(shown(s) + " is not one of the values of the enum"); });
  }

  ODOOLINK_OUT_OF_LINE void reference_field(const node& n, arg v) {
    if (n.by() == reference_by::id) return reference_id(n, v, t_.kind(v));
    std::string_view s;
    if (!t_.try_string(v, s)) return not_a(n, v);
    reference_text(n, s);
  }

  ODOOLINK_OUT_OF_LINE void decimal_field(const node& n, arg v) {
    std::string_view s;
    if (t_.try_string(v, s)) return decimal_text(n, v, s);
    decimal_number(n, v, t_.kind(v));
  }

  ODOOLINK_OUT_OF_LINE void number_field(const node& n, arg v) {
    const jk kind = t_.kind(v);
    if (kind != jk::integer && kind != jk::uinteger && kind != jk::number) return not_a(n, v);
    bounds(n, v, t_.number(v));
  }

  // The value has the wrong type: null (allowed only where nullable) or a mismatch.
#if defined(__GNUC__)
  [[gnu::cold, gnu::noinline]]
#endif
  void not_a(const node& n, arg v) {
    if (t_.kind(v) != jk::null) return mismatch(n, v);
    if (!n.nullable) report(violation_kind::null_not_allowed, "null is not allowed: expected " + std::string(expected(n)));
  }

  // A member or element. Containers push a path segment; scalars only note
  // their key as the pending leaf, which report() appends when needed.
  void member(const node& f, arg e, segment where) {
    // Everything inside a PII field is PII, and so is whatever stands where
    // PII fields are expected (a string in place of an address): messages
    // never quote it.
    const bool outer_inherited = pii_inherited_;
    const bool outer_pii = pii_;
    pii_inherited_ = pii_inherited_ || f.pii;
    pii_ = pii_inherited_ || f.subtree_has_pii;
    if (f.type == field_type::array || f.type == field_type::object) {
      path_[depth_++] = where;
      value(f, e);
      --depth_;
    } else {
      leaf_ = where;
      has_leaf_ = true;
      scalar(f, e);
      has_leaf_ = false;
    }
    pii_ = outer_pii;
    pii_inherited_ = outer_inherited;
  }

  // Violations are rare: building their messages stays out of the hot
  // functions, which keeps those small.
  template <class Message>
#if defined(__GNUC__)
  [[gnu::cold, gnu::noinline]]
#endif
  void fail(violation_kind kind, Message&& message) {
    report(kind, message());
  }

  // The same for messages quoting the value: it goes as an argument, as a
  // capture would take its address and keep a tape position off registers.
  template <class Message>
#if defined(__GNUC__)
  [[gnu::cold, gnu::noinline]]
#endif
  void fail_with(violation_kind kind, arg v, Message&& message) {
    report(kind, message(v));
  }

  void report(violation_kind kind, std::string message) {
    if (stopped_) return;
    if (out_.size() >= options_.max_violations) {
      out_.push_back({std::string(prefix_), violation_kind::too_many_violations,
                      "more than " + std::to_string(options_.max_violations) + " violations; the rest of the payload was not checked"});
      stopped_ = true;
      return;
    }
    std::string path(prefix_);
    for (std::size_t i = 0; i < depth_; ++i) {
      if (path_[i].is_index) {
        path.push_back('/');
        path += std::to_string(path_[i].size);
      } else {
        detail::append_pointer(path, std::string_view(path_[i].key, path_[i].size));
      }
    }
    if (has_leaf_) {
      if (leaf_.is_index) {
        path.push_back('/');
        path += std::to_string(leaf_.size);
      } else {
        detail::append_pointer(path, std::string_view(leaf_.key, leaf_.size));
      }
    }
    out_.push_back({std::move(path), kind, std::move(message)});
  }

  void push(std::string_view key) noexcept { path_[depth_++] = segment{key.data(), key.size(), false}; }
  void push(std::size_t index) noexcept { path_[depth_++] = segment{nullptr, index, true}; }
  void pop() noexcept { --depth_; }

  bool utf8(std::string_view s) {
    if constexpr (Traits::checks_utf8) {
      if (!json::is_valid_utf8(s)) {
        fail(violation_kind::invalid_utf8, [&] { return std::string("the string is not valid UTF-8"); });
        return false;
      }
    }
    return true;
  }

  // A value for a message: quoted, unless it is PII (then only its kind).
  std::string shown(std::string_view s) const { return pii_ ? std::string("a string (PII, not shown)") : quote(s); }
  std::string shown(std::int64_t i) const { return pii_ ? std::string("the value (PII, not shown)") : std::to_string(i); }

  std::string found(arg v) const {
    if (pii_) return found_kind(v);
    switch (t_.kind(v)) {
      case jk::null: return "null";
      case jk::boolean: return t_.boolean(v) ? "true" : "false";
      case jk::integer: return std::to_string(t_.integer(v));
      case jk::uinteger: return "an integer beyond the int64 range";
      case jk::number: return detail::shortest(t_.number(v));
      case jk::string: return json::is_valid_utf8(t_.string(v)) ? quote(t_.string(v)) : "a string";
      case jk::array: return "an array";
      case jk::object: return "an object";
    }
    return "a value";
  }

  // What a PII value is, without the value.
  std::string found_kind(arg v) const {
    switch (t_.kind(v)) {
      case jk::null: return "null";
      case jk::boolean: return "a boolean (PII, not shown)";
      case jk::integer:
      case jk::uinteger:
      case jk::number: return "a number (PII, not shown)";
      case jk::string: return "a string (PII, not shown)";
      case jk::array: return "an array";
      case jk::object: return "an object";
    }
    return "a value";
  }

  void mismatch(const node& n, arg v) {
    fail_with(violation_kind::type_mismatch, v, [this, &n](arg x) { return std::string("expected " + std::string(expected(n)) + ", found " + found(x)); });
  }
  std::string below(double bound, arg v) const { return found(v) + " is below the minimum " + detail::shortest(bound); }
  std::string above(double bound, arg v) const { return found(v) + " is above the maximum " + detail::shortest(bound); }

  void string(const node& n, std::string_view s) {
    if (!utf8(s)) return;
    // A string has between bytes/4 and bytes code points: count them only
    // when the byte length does not settle the limits.
    const auto bytes = static_cast<std::int64_t>(s.size());
    if ((n.min_length && (bytes + 3) / 4 < *n.min_length) || (n.max_length && bytes > *n.max_length)) {
      const std::int64_t len = detail::code_points(s);
      if (n.min_length && len < *n.min_length)
        fail(violation_kind::too_short, [&] { return std::string("must have at least " + std::to_string(*n.min_length) + " characters, has " + std::to_string(len)); });
      if (n.max_length && len > *n.max_length)
        fail(violation_kind::too_long, [&] { return std::string("must have at most " + std::to_string(*n.max_length) + " characters, has " + std::to_string(len)); });
    }
    if (n.external_id && !detail::is_external_id(s))
      not_external_id(s);
    if (n.format != string_format::none && !detail::matches_format(n.format, s))
      fail(violation_kind::format_mismatch, [&, s] { return std::string("expected " + std::string(detail::describe_format(n.format)) + ", found " + shown(s)); });
    if (n.regex) {
      if (s.size() > options_.max_pattern_input) {
        fail(violation_kind::pattern_mismatch, [&, s] { return std::string("too long (" + std::to_string(s.size()) + " bytes) to be matched against the pattern"); });
        return;
      }
      bool matched = false;
      try {
        matched = std::regex_search(s.begin(), s.end(), *n.regex);
      } catch (const std::exception&) {
        matched = false;
      }
      if (!matched) fail(violation_kind::pattern_mismatch, [&, s] { return std::string(shown(s) + " does not match the pattern " + n.pattern); });
    }
  }

  void integer(const node& n, arg v, jk kind) {
    std::int64_t i = 0;
    if (kind == jk::integer) {
      i = t_.integer(v);
    } else if (kind == jk::uinteger) {
      fail(violation_kind::above_maximum, [&] { return std::string("the integer is beyond the int64 range"); });
      return;
    } else if (kind == jk::number) {
      const double d = t_.number(v);
      // JSON Schema counts 1.0 as an integer; 2^63 itself is out of range.
      if (d != std::floor(d) || !std::isfinite(d)) return mismatch(n, v);
      if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
        report(d < 0 ? violation_kind::below_minimum : violation_kind::above_maximum, "the integer is beyond the int64 range");
        return;
      }
      i = static_cast<std::int64_t>(d);
    } else {
      return not_a(n, v);
    }
    if (n.int_minimum && i < *n.int_minimum)
      fail(violation_kind::below_minimum, [&] { return std::string(shown(i) + " is below the minimum " + std::to_string(*n.int_minimum)); });
    if (n.int_maximum && i > *n.int_maximum)
      fail(violation_kind::above_maximum, [&] { return std::string(shown(i) + " is above the maximum " + std::to_string(*n.int_maximum)); });
  }

  void decimal_text(const node& n, arg v, std::string_view s) {
    std::int64_t digits = 0;
    std::int64_t scale = 0;
    if (!utf8(s)) return;
    if (!detail::decimal_digits(s, digits, scale)) return mismatch(n, v);
    digit_limits(n, digits, scale);
    // The sign often settles the bounds (minimum 0 is the usual one) without parsing.
    const bool negative = s.front() == '-';
    const bool min_ok = !n.minimum || (!negative && *n.minimum <= 0);
    const bool max_ok = !n.maximum || (negative && *n.maximum >= 0);
    if (!min_ok || !max_ok) decimal_bounds(n, v, s);
  }

  // Apart, so the common case above needs a smaller stack frame.
  ODOOLINK_OUT_OF_LINE void decimal_bounds(const node& n, arg v, std::string_view s) {
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec == std::errc::result_out_of_range) d = s.front() == '-' ? -HUGE_VAL : HUGE_VAL;
    bounds(n, v, d);
  }

  ODOOLINK_OUT_OF_LINE void decimal_number(const node& n, arg v, jk kind) {
    if (kind != jk::integer && kind != jk::uinteger && kind != jk::number) return not_a(n, v);
    const double d = t_.number(v);
    if (n.precision || n.scale) {
      std::int64_t digits = 0;
      std::int64_t scale = 0;
      if (!double_digits(d, digits, scale)) return mismatch(n, v);
      digit_limits(n, digits, scale);
    }
    bounds(n, v, d);
  }

  void digit_limits(const node& n, std::int64_t digits, std::int64_t scale) {
    if (n.scale && scale > *n.scale)
      fail(violation_kind::scale_exceeded, [&n, scale] { return std::string("has " + std::to_string(scale) + " fraction digits, at most " + std::to_string(*n.scale) + " allowed"); });
    if (n.precision && digits + scale > *n.precision)
      fail(violation_kind::precision_exceeded, [&n, digits, scale] { return std::string("has " + std::to_string(digits + scale) + " digits, at most " + std::to_string(*n.precision) + " allowed"); });
  }

  void bounds(const node& n, arg v, double d) {
    if (n.minimum && d < *n.minimum) fail_with(violation_kind::below_minimum, v, [this, &n](arg x) { return below(*n.minimum, x); });
    if (n.maximum && d > *n.maximum) fail_with(violation_kind::above_maximum, v, [this, &n](arg x) { return above(*n.maximum, x); });
  }

  void reference_id(const node& n, arg v, jk kind) {
    bool ok = kind == jk::integer && t_.integer(v) > 0;
    if (kind == jk::number) {
      const double d = t_.number(v);
      ok = d == std::floor(d) && d >= 1 && d < 9223372036854775808.0;
    }
    if (ok) return;
    if (kind == jk::integer || kind == jk::number) {
      fail_with(violation_kind::invalid_reference, v, [this](arg x) { return std::string("a record id is a positive integer, found " + found(x)); });
    } else {
      not_a(n, v);
    }
  }

  ODOOLINK_COLD void not_external_id(std::string_view s) {
    fail(violation_kind::invalid_reference, [&, s] { return std::string("expected an external id such as \"module.name\", found " + shown(s)); });
  }

  void reference_text(const node& n, std::string_view s) {
    if (!utf8(s)) return;
    if (n.by() == reference_by::name) {
      if (s.empty()) fail(violation_kind::invalid_reference, [&] { return std::string("a record name must not be empty"); });
    } else if (!detail::is_external_id(s)) {
      not_external_id(s);
    }
  }

  void array(const node& n, arg v, jk kind) {
    if (kind != jk::array) return mismatch(n, v);
    if (n.min_items || n.max_items) {
      const auto count = static_cast<std::int64_t>(t_.size(v));
      if (n.min_items && count < *n.min_items)
        fail(violation_kind::too_few_items, [&] { return std::string("must have at least " + std::to_string(*n.min_items) + " items, has " + std::to_string(count)); });
      if (n.max_items && count > *n.max_items)
        fail(violation_kind::too_many_items, [&] { return std::string("must have at most " + std::to_string(*n.max_items) + " items, has " + std::to_string(count)); });
    }
    t_.elements(v, [&](std::size_t i, arg e) {
      member(*n.items, e, segment{nullptr, i, true});
      return !stopped_;
    });
  }

  ODOOLINK_COLD bool unknown_key(const node& n, std::string_view key) {
    if (n.unknown == unknown_fields::reject) {
      push(key);
      if constexpr (Traits::checks_utf8) {
        if (!json::is_valid_utf8(key)) {
          report(violation_kind::invalid_utf8, "the key is not valid UTF-8");
          pop();
          return !stopped_;
        }
      }
      report(violation_kind::unknown_field, "unknown field");
      pop();
    }
    return !stopped_;
  }

  // A key the contract does not declare: repeated, or unknown. `open` says
  // whether the object's set of such keys (opened at the first) exists.
  ODOOLINK_COLD bool other_key(const node& n, std::string_view key, std::size_t outer, bool& open) {
    if (!open) {
      others_.close_to(outer);
      others_.open();
      open = true;
    }
    // Tape and tree keys stay put during the walk: no copy.
    if (!others_.add(key, false)) return duplicate_key(key);
    return unknown_key(n, key);
  }

  ODOOLINK_COLD bool duplicate_key(std::string_view key) {
    push(key);
    report(violation_kind::duplicate_key, "duplicate key");
    pop();
    return !stopped_;
  }

  ODOOLINK_OUT_OF_LINE static int find(const node& n, std::string_view key) noexcept {
    if constexpr (Traits::padded_strings) {
      return n.find_padded(key);
    } else {
      return n.find(key);
    }
  }

  static bool next_key_is(const node& n, std::size_t i, std::string_view key) noexcept {
    if constexpr (Traits::padded_strings) {
      return n.padded_key_is(i, key);  // past the last field, the sentinel
    } else {
      return i < n.keys.size() && n.keys[i] == key;
    }
  }

  void object(const node& n, arg v) {
    // All 64 bytes zeroed: a few vector stores, less than working out how
    // many words this object needs.
    std::array<std::uint64_t, detail::max_fields / 64> seen{};
    // Payloads usually list fields in contract order: try the next one first.
    std::size_t expected = 0;
    const std::size_t outer = others_.depth();
    bool others_open = false;
    // The rare cases (a key out of order, unknown or repeated) are calls, so
    // that the loop keeps its state in registers.
    t_.members(v, [&](std::string_view key, arg e) {
      std::size_t idx = expected;
      if (!next_key_is(n, idx, key)) {
        const int i = find(n, key);
        if (i < 0) return other_key(n, key, outer, others_open);
        idx = static_cast<std::size_t>(i);
      }
      expected = idx + 1;
      std::uint64_t& word = seen[idx / 64];
      const std::uint64_t bit = std::uint64_t{1} << (idx % 64);
      if ((word & bit) != 0) return duplicate_key(key);
      word |= bit;
      member(n.fields[idx], e, segment{key.data(), key.size(), false});
      return !stopped_;
    });
    if (others_open) others_.close_to(outer);
    for (const std::uint32_t idx : n.required_fields) {
      if ((seen[idx / 64] & (std::uint64_t{1} << (idx % 64))) != 0) continue;
      push(n.fields[idx].name);
      fail(violation_kind::missing_required, [&] { return std::string("missing required field"); });
      pop();
    }
  }

  Traits t_;  // how values are read
  std::vector<violation>& out_;
  const validate_options& options_;
  std::string_view prefix_;
  std::array<segment, 2 * detail::max_nesting + 4> path_;  // NOLINT: written before read
  std::size_t depth_ = 0;
  segment leaf_;  // NOLINT: read only while has_leaf_
  bool has_leaf_ = false;
  bool pii_ = false;            // the value at hand may be PII: not quoted
  bool pii_inherited_ = false;  // inside a field marked PII
  bool stopped_ = false;
  json::detail::object_keys others_;  // undeclared keys of the open objects, to refuse a repeated one
};

#undef ODOOLINK_OUT_OF_LINE
#undef ODOOLINK_COLD

violation parse_failure(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR: return {"", violation_kind::invalid_utf8, "the payload is not valid UTF-8"};
    case simdjson::DEPTH_ERROR: return {"", violation_kind::too_deep, "the payload nests too deeply"};
    case simdjson::CAPACITY: return {"", violation_kind::too_large, "the payload exceeds the size limit"};
    default: return {"", violation_kind::malformed_json, std::string("the payload is not valid JSON: ") + simdjson::error_message(code)};
  }
}

}  // namespace

namespace detail {
void check_value(const node& n, const json::value& v, std::string_view prefix, std::vector<violation>& out) {
  const validate_options options;
  walker<value_traits> w(out, options, prefix);
  w.value(n, v);
}
}  // namespace detail

struct validator::parser_holder {
  // The limit goes to the constructor: simdjson 3.0's set_max_capacity()
  // clamps to 32 bytes instead of raising the limit.
  explicit parser_holder(const validate_options& o) : parser(std::max<std::size_t>(o.max_bytes, 64)) {
    const auto err = parser.allocate(4096, std::max<std::size_t>(o.max_depth, 1));
    static_cast<void>(err);  // a failed allocation resurfaces as a parse error on first use
  }
  simdjson::dom::parser parser;
};

validator::validator(validate_options options) : options_(options), parser_(std::make_unique<parser_holder>(options_)) {}
validator::~validator() = default;
validator::validator(validator&&) noexcept = default;
validator& validator::operator=(validator&&) noexcept = default;

bool validator::parse_and_walk(const contract& c, const char* text, std::size_t size, std::size_t readable) {
  violations_.clear();
  if (size > options_.max_bytes) {
    violations_.push_back({"", violation_kind::too_large, "the payload exceeds the size limit"});
    return false;
  }
  const bool padded = readable >= size && readable - size >= simdjson::SIMDJSON_PADDING;
  auto doc = padded ? parser_->parser.parse(simdjson::padded_string_view(text, size, readable))
                    : parser_->parser.parse(text, size, true);
  if (doc.error() != simdjson::SUCCESS) {
    violations_.push_back(parse_failure(doc.error()));
    return false;
  }
  // The document is the parser's own: its tape is read directly.
  const tape_traits tape(parser_->parser.doc);
  walker<tape_traits> w(violations_, options_, "", tape);
  w.value(c.internals().root, tape.root());
  return violations_.empty();
}

bool validator::validate(const contract& c, std::string_view json_text) {
  return parse_and_walk(c, json_text.data(), json_text.size(), json_text.size());
}

bool validator::validate(const contract& c, const json::buffer& json_text) {
  return parse_and_walk(c, json_text.json().data(), json_text.json().size(), json_text.readable());
}

bool validator::validate(const contract& c, const json::value& payload) {
  violations_.clear();
  walker<value_traits> w(violations_, options_, "");
  w.value(c.internals().root, payload);
  return violations_.empty();
}

std::vector<violation> validate(const contract& c, std::string_view json_text, const validate_options& options) {
  validator v(options);
  (void)v.validate(c, json_text);
  return v.violations();
}

std::vector<violation> validate(const contract& c, const json::value& payload, const validate_options& options) {
  std::vector<violation> out;
  walker<value_traits> w(out, options, "");
  w.value(c.internals().root, payload);
  return out;
}

error violation_error(const contract& c, std::span<const violation> violations) {
  std::string message = "payload violates " + std::string(c.subject()) + " " + std::string(c.version());
  for (const auto& v : violations) message += "\n  " + (v.path.empty() ? std::string("(payload)") : v.path) + ": " + v.message;
  return error(contract_errc::violation, std::move(message));
}

std::string_view to_string(violation_kind k) noexcept {
  switch (k) {
    case violation_kind::malformed_json: return "malformed_json";
    case violation_kind::invalid_utf8: return "invalid_utf8";
    case violation_kind::too_large: return "too_large";
    case violation_kind::too_deep: return "too_deep";
    case violation_kind::type_mismatch: return "type_mismatch";
    case violation_kind::null_not_allowed: return "null_not_allowed";
    case violation_kind::missing_required: return "missing_required";
    case violation_kind::unknown_field: return "unknown_field";
    case violation_kind::duplicate_key: return "duplicate_key";
    case violation_kind::too_short: return "too_short";
    case violation_kind::too_long: return "too_long";
    case violation_kind::pattern_mismatch: return "pattern_mismatch";
    case violation_kind::format_mismatch: return "format_mismatch";
    case violation_kind::below_minimum: return "below_minimum";
    case violation_kind::above_maximum: return "above_maximum";
    case violation_kind::not_in_enum: return "not_in_enum";
    case violation_kind::too_few_items: return "too_few_items";
    case violation_kind::too_many_items: return "too_many_items";
    case violation_kind::precision_exceeded: return "precision_exceeded";
    case violation_kind::scale_exceeded: return "scale_exceeded";
    case violation_kind::invalid_date: return "invalid_date";
    case violation_kind::invalid_datetime: return "invalid_datetime";
    case violation_kind::invalid_reference: return "invalid_reference";
    case violation_kind::too_many_violations: return "too_many_violations";
  }
  return "unknown";
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
