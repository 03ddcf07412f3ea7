#pragma once
// Reading one field value from the response text into a member, with the
// strict single-pass reader of json_cursor.hpp.
//
// Strings are read without copying where possible: a string without escapes
// is taken as a view of the response text itself (the decoder keeps that text
// alive for view records, and owning members copy once, straight from it).
// Only strings with escapes are unescaped, into the context's scratch buffer.
//
// Every reader starts with the cursor before the value (whitespace allowed)
// and, on success, leaves it just past the value. On failure it records the
// error in the context and returns false: a value of another type names what
// was expected and what came; broken JSON is protocol_errc::malformed_response.

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/odoo.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/decode_context.hpp"
#include "odoolink/model/detail/json_cursor.hpp"
#include "odoolink/model/detail/member_types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model::detail {

// The error for broken JSON at the cursor's fault, prefixed by `what`
// (codes as json::parse gives them).
inline error malformed_json(const json_cursor& c, std::string_view what = {}) {
  std::string msg(what);
  if (!msg.empty()) msg += ": ";
  if (c.fault() == json_fault::invalid_utf8) {
    msg += describe_fault(c);
    msg += " at byte ";
    msg += std::to_string(c.fault_offset());
  } else {
    msg += "malformed JSON at byte ";
    msg += std::to_string(c.fault_offset());
    msg += ": ";
    msg += describe_fault(c);
  }
  const auto code = c.fault() == json_fault::too_deep       ? protocol_errc::nesting_too_deep
                    : c.fault() == json_fault::invalid_utf8 ? protocol_errc::invalid_utf8
                                                            : protocol_errc::malformed_response;
  return error(code, std::move(msg));
}

// The same for a byte that cannot come where the cursor stands.
inline error unexpected_here(json_cursor& c, std::string_view what = {}) {
  c.unexpected();
  return malformed_json(c, what);
}

// A reader failed at the cursor: broken JSON when the cursor says so or the
// value there is not JSON at all (a cut-off literal, an unclosed string),
// else a value of the wrong type.
inline bool refuse(json_cursor& c, decode_context& ctx, std::string_view expected) {
  if (c.fault() != json_fault::none) return ctx.fail(malformed_json(c));
  json_cursor probe = c;
  if (!probe.skip_value(context_access::keys(ctx))) return ctx.fail(malformed_json(probe));
  return ctx.fail(json::detail::odoo_type_mismatch(expected, c.token()));
}

inline bool starts_number(char k) noexcept { return k == '-' || static_cast<unsigned char>(k - '0') <= 9U; }

enum class text_read { text, empty, failed };

// Reads a string (or `false` as empty): `out` views the response text, or
// the context's scratch buffer when the string had escapes (`in_scratch`;
// valid until the next string read).
ODOOLINK_DETAIL_HOT_INLINE text_read read_text(json_cursor& c, std::string_view& out, bool& in_scratch, decode_context& ctx,
                                               std::string_view expected) {
  const char k = c.peek();
  if (k == '"') {
    if (c.read_string(out, in_scratch, ctx.scratch())) return text_read::text;
    ctx.fail(malformed_json(c));
    return text_read::failed;
  }
  if (k == 'f' && c.take_literal("false")) return text_read::empty;
  refuse(c, ctx, expected);
  return text_read::failed;
}

inline bool needs_storage(decode_context& ctx) {
  return ctx.fail(error(protocol_errc::unsupported_call, "view members need records storage (decode into model::records)"));
}

template <class T>
constexpr std::string_view expected_for() {
  using U = typename optional_of<T>::type;
  if constexpr (std::same_as<U, model::date>) return json::detail::expect_date;
  else if constexpr (std::same_as<U, model::datetime>) return json::detail::expect_datetime;
  else if constexpr (std::same_as<U, model::binary>) return json::detail::expect_binary;
  else if constexpr (enum_member<U>) return "a selection value (string) or false";
  else return json::detail::expect_text;
}

// Odoo's date and datetime texts, parsed without building a result (the slow
// path in json/odoo.hpp builds the error message when these refuse a text).
inline bool digits2(const char* p, unsigned& out) noexcept {
  const auto a = static_cast<unsigned>(p[0] - '0');
  const auto b = static_cast<unsigned>(p[1] - '0');
  out = a * 10U + b;
  return a <= 9U && b <= 9U;
}
inline bool fast_days(const char* p, std::int64_t& days) noexcept {
  unsigned y1 = 0, y2 = 0, m = 0, d = 0;
  if (!(digits2(p, y1) && digits2(p + 2, y2) && digits2(p + 5, m) && digits2(p + 8, d)) || p[4] != '-' || p[7] != '-') return false;
  const unsigned y = y1 * 100U + y2;
  if (y == 0 || m == 0 || m > 12 || d == 0) return false;
  constexpr unsigned char month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4U == 0 && y % 100U != 0) || y % 400U == 0;
  if (d > month_days[m - 1] + static_cast<unsigned>(m == 2 && leap)) return false;
  // Days since 1970-01-01 (H. Hinnant's days_from_civil, years >= 1).
  const unsigned yy = y - static_cast<unsigned>(m <= 2);
  const unsigned era = yy / 400U;
  const unsigned yoe = yy - era * 400U;
  const unsigned doy = (153U * (m > 2 ? m - 3 : m + 9) + 2U) / 5U + d - 1U;
  const unsigned doe = yoe * 365U + yoe / 4U - yoe / 100U + doy;
  days = static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
  return true;
}
inline bool fast_date(std::string_view t, model::date& out) noexcept {
  std::int64_t days = 0;
  if (t.size() != 10 || !fast_days(t.data(), days)) return false;
  out = model::date(std::chrono::sys_days(std::chrono::days(days)));
  return true;
}
inline bool fast_datetime(std::string_view t, model::datetime& out) noexcept {
  std::int64_t days = 0;
  unsigned h = 0, mi = 0, sec = 0;
  if (t.size() != 19 || !fast_days(t.data(), days) || t[10] != ' ' || t[13] != ':' || t[16] != ':' ||
      !(digits2(t.data() + 11, h) && digits2(t.data() + 14, mi) && digits2(t.data() + 17, sec)) || h > 23 || mi > 59 || sec > 59)
    return false;
  out = model::datetime(std::chrono::seconds(days * 86400 + h * 3600 + mi * 60 + sec));
  return true;
}

// A relation's id: an integer, or (Odoo 19's `account.root`, whose ids are
// computed) the same integer as a JSON string of digits.
inline bool read_relation_id(json_cursor& c, std::int64_t& id) {
  if (starts_number(c.peek())) return c.read_int64(id);
  if (c.peek() != '"') return false;
  const char* p = c.position() + 1;
  const char* end = c.end();
  std::int64_t v = 0;
  const char* q = p;
  for (; q < end && static_cast<unsigned>(*q - '0') <= 9U && q - p < 18; ++q) v = v * 10 + (*q - '0');
  if (q == p || q >= end || *q != '"') return false;
  id = v;
  c.advance(static_cast<std::size_t>(q - p) + 2);
  return true;
}

// Converts a text to the (non-optional) type U; false on failure (error in ctx).
template <class U>
bool from_text(std::string_view text, bool in_scratch, U& out, decode_context& ctx) {
  if constexpr (std::same_as<U, std::string>) {
    out.assign(text.data(), text.size());
  } else if constexpr (std::same_as<U, std::string_view>) {
    if (in_scratch) {
      if (!ctx.keeps_storage())
        return ctx.fail(error(protocol_errc::unsupported_call, "view members need records storage (decode into model::records)"));
      text = ctx.keep(text);
    }
    out = text;
  } else if constexpr (enum_member<U>) {
    out = from_string<U>(text);
  } else if constexpr (std::same_as<U, model::date>) {
    if (!fast_date(text, out)) {
      auto slow = json::parse_date(text);  // a short year, or a typed error
      if (!slow) return ctx.fail(slow.error());
      out = slow.value();
    }
  } else if constexpr (std::same_as<U, model::datetime>) {
    if (!fast_datetime(text, out)) {
      auto slow = json::parse_datetime(text);
      if (!slow) return ctx.fail(slow.error());
      out = slow.value();
    }
  } else {
    static_assert(std::same_as<U, model::binary>);
    out = model::binary(std::string(text));
  }
  return true;
}


template <class I>
bool store_integer(std::int64_t v, I& out, decode_context& ctx) {
  if constexpr (!std::same_as<I, std::int64_t>) {
    if (v < static_cast<std::int64_t>(std::numeric_limits<I>::min()) ||
        (v > 0 && static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<I>::max())))
      return ctx.fail(error(protocol_errc::unexpected_type, "integer " + std::to_string(v) + " out of range of the member type"));
  }
  out = static_cast<I>(v);
  return true;
}

// A many2one name the caller does not keep (an integer member reading `[id, name]`).
struct no_name {};

// A many2one's name: a string, or false (empty).
template <class Name>
bool read_many2one_name(json_cursor& c, Name& name, decode_context& ctx) {
  std::string_view text;
  bool in_scratch = false;
  const text_read r = read_text(c, text, in_scratch, ctx, json::detail::expect_many2one_name);
  if (r == text_read::failed) return false;
  if constexpr (std::same_as<Name, no_name>) return true;
  else if (r == text_read::empty) {
    name = Name();
    return true;
  } else {
    return from_text(text, in_scratch, name, ctx);
  }
}

// The members of web_read's `{"id": .., "display_name": ..}` form (the
// cursor after the brace; `keys` has the object open).
template <class Name>
bool read_many2one_members(json_cursor& c, std::int64_t& id, Name& name, decode_context& ctx, json::detail::object_keys& keys) {
  namespace jd = json::detail;
  bool has_id = false;
  if (!c.take('}')) {
    for (bool more = true; more;) {
      std::string_view key;
      bool in_scratch = false;
      if (c.peek() != '"') return ctx.fail(unexpected_here(c));
      const char* quote = c.position();
      if (!c.read_string(key, in_scratch, keys.scratch())) return ctx.fail(malformed_json(c));
      if (!keys.add(key, in_scratch)) {
        c.repeated_key_at(quote);
        return ctx.fail(malformed_json(c));
      }
      if (!c.take(':')) return ctx.fail(unexpected_here(c));
      if (key == "id") {
        if (!read_relation_id(c, id)) return refuse(c, ctx, jd::expect_many2one_id);
        has_id = true;
      } else if (key == "display_name") {
        if (!read_many2one_name(c, name, ctx)) return false;
      } else if (!c.skip_value(keys)) {
        return ctx.fail(malformed_json(c));
      }
      if (!c.next_or_close('}', more)) return ctx.fail(malformed_json(c));
    }
  }
  if (!has_id) return ctx.fail(jd::odoo_found_text(jd::expect_many2one, "an object without \"id\""));
  return true;
}

// The object form (the cursor on its brace), out of the common `[id, name]` path.
template <class Name>
bool read_many2one_object(json_cursor& c, std::int64_t& id, Name& name, decode_context& ctx) {
  c.advance(1);
  auto& keys = context_access::keys(ctx);
  const std::size_t outer = keys.depth();
  keys.open();
  const bool ok = read_many2one_members(c, id, name, ctx, keys);
  keys.close_to(outer);
  return ok;
}

// A many2one: `[id, "name"]`, `[id, false]`, the `{"id": .., "display_name": ..}`
// form of web_read (other keys skipped), or `false` (id 0, empty name).
template <class Name>
bool read_many2one(json_cursor& c, std::int64_t& id, Name& name, decode_context& ctx) {
  namespace jd = json::detail;
  const char k = c.peek();
  if (k == '[') {
    c.advance(1);
    std::size_t count = 0;
    if (!c.take(']')) {
      for (bool more = true; more;) {
        if (count == 0) {
          if (!read_relation_id(c, id)) return refuse(c, ctx, jd::expect_many2one_id);
        } else if (count == 1) {
          if (!read_many2one_name(c, name, ctx)) return false;
        } else if (!c.skip_value(context_access::keys(ctx))) {
          return ctx.fail(malformed_json(c));
        }
        ++count;
        if (!c.next_or_close(']', more)) return ctx.fail(malformed_json(c));
      }
    }
    if (count != 2)
      return ctx.fail(jd::odoo_found_text(jd::expect_many2one,
                                          "an array of " + std::to_string(count) + (count == 1 ? " element" : " elements")));
    return true;
  }
  if (k == '{') return read_many2one_object(c, id, name, ctx);
  if (k == 'f' && c.take_literal("false")) {
    id = 0;
    if constexpr (!std::same_as<Name, no_name>) name = Name();
    return true;
  }
  return refuse(c, ctx, jd::expect_many2one);
}

// An integer, the id of a many2one (`[id, name]`), or false (0, `empty` set).
template <class I>
bool read_integer(json_cursor& c, I& out, bool& empty, decode_context& ctx) {
  empty = false;
  const char k = c.peek();
  if (starts_number(k)) {
    std::int64_t i = 0;
    if (!c.read_int64(i)) return refuse(c, ctx, json::detail::expect_int);
    return store_integer(i, out, ctx);
  }
  if (k == 'f' && c.take_literal("false")) {
    empty = true;
    out = 0;
    return true;
  }
  if (k == '[' || k == '{') {
    std::int64_t id = 0;
    no_name ignored;
    if (!read_many2one(c, id, ignored, ctx)) return false;
    empty = id == 0;
    return store_integer(id, out, ctx);
  }
  return refuse(c, ctx, json::detail::expect_int);
}

// A JSON list of ids, each handed to `put`.
template <class Put>
bool read_ids(json_cursor& c, decode_context& ctx, Put&& put) {
  if (c.peek() != '[') return refuse(c, ctx, json::detail::expect_ids);
  c.advance(1);
  if (c.take(']')) return true;
  for (bool more = true; more;) {
    std::int64_t id = 0;
    if (!starts_number(c.peek()) || !c.read_int64(id)) return refuse(c, ctx, json::detail::expect_id);
    put(id);
    if (!c.next_or_close(']', more)) return ctx.fail(malformed_json(c));
  }
  return true;
}

// Ids are gathered in a small local buffer first, so a typical list costs
// one allocation of its exact size, not one per doubling.
template <class Ids>
bool read_id_list(json_cursor& c, Ids& out, decode_context& ctx) {
  out.clear();
  std::int64_t buffer[32];
  std::size_t held = 0;
  const bool ok = read_ids(c, ctx, [&](std::int64_t id) {
    if (held == std::size(buffer)) {
      out.insert(out.end(), buffer, buffer + held);
      held = 0;
    }
    buffer[held++] = id;
  });
  if (ok) out.insert(out.end(), buffer, buffer + held);
  return ok;
}

inline bool read_id_view(json_cursor& c, model::ids_view& out, decode_context& ctx) {
  if (!ctx.keeps_storage()) return needs_storage(ctx);
  if (!read_ids(c, ctx, [&](std::int64_t id) { ctx.push_id(id); })) return false;
  out = ctx.close_ids();
  return true;
}

inline bool read_raw(json_cursor& c, json::value& out, decode_context& ctx) {
  c.peek();
  const char* start = c.position();
  if (!c.skip_value(context_access::keys(ctx))) return ctx.fail(malformed_json(c));
  auto parsed = json::parse(std::string_view(start, static_cast<std::size_t>(c.position() - start)));
  if (!parsed) return ctx.fail(parsed.error());
  out = std::move(parsed).value();
  return true;
}

// A checked JSON number with at most 19 significant digits and a power of
// ten within 10^±22, converted exactly: the digits fit a double's 53-bit
// mantissa, and one multiplication or division by an exact power of ten
// rounds correctly (Clinger's fast path). False when the text needs the
// general conversion.
inline bool exact_double(const char* p, const char* stop, double& out) noexcept {
  static constexpr double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const bool negative = *p == '-';
  p += static_cast<std::size_t>(negative);
  std::uint64_t mantissa = 0;
  int digits = 0;
  int exponent = 0;
  for (; p < stop && starts_number(*p) && *p != '-'; ++p, ++digits) mantissa = mantissa * 10U + static_cast<unsigned>(*p - '0');
  if (p < stop && *p == '.') {
    for (++p; p < stop && starts_number(*p) && *p != '-'; ++p, ++digits, --exponent)
      mantissa = mantissa * 10U + static_cast<unsigned>(*p - '0');
  }
  if (digits > 19) return false;
  if (p < stop) {  // an exponent: e[+-]digits
    ++p;
    const bool down = *p == '-';
    p += static_cast<std::size_t>(*p == '-' || *p == '+');
    int e = 0;
    for (; p < stop; ++p) {
      if (e > 1000) return false;
      e = e * 10 + (*p - '0');
    }
    exponent += down ? -e : e;
  }
  if (mantissa > (std::uint64_t{1} << 53U) || exponent < -22 || exponent > 22) return false;
  double d = static_cast<double>(mantissa);
  d = exponent < 0 ? d / powers[-exponent] : d * powers[exponent];
  out = negative ? -d : d;
  return true;
}

inline bool read_double(json_cursor& c, double& out, decode_context& ctx) {
  if (!starts_number(c.peek())) return refuse(c, ctx, json::detail::expect_float);
  const char* stop = nullptr;
  bool integral = false;
  if (!c.scan_number(stop, integral)) return ctx.fail(malformed_json(c));
  if (exact_double(c.position(), stop, out)) {
    c.advance(static_cast<std::size_t>(stop - c.position()));
    return true;
  }
  const auto r = std::from_chars(c.position(), stop, out);
  if (r.ec != std::errc() || r.ptr != stop) return refuse(c, ctx, json::detail::expect_float);  // out of double's range
  c.advance(static_cast<std::size_t>(stop - c.position()));
  return true;
}

// A date or datetime member (optional or not): fixed-length texts, so the
// common case needs no search for the closing quote.
template <class T>
bool read_time(json_cursor& c, T& out, decode_context& ctx) {
  using U = typename optional_of<T>::type;
  constexpr std::size_t length = std::same_as<U, model::date> ? 10 : 19;
  const char k = c.peek();
  if (k == '"') {
    const char* p = c.position() + 1;
    U value{};
    const bool parsed = static_cast<std::size_t>(c.end() - p) > length && p[length] == '"' && [&] {
      if constexpr (std::same_as<U, model::date>) return fast_date(std::string_view(p, length), value);
      else return fast_datetime(std::string_view(p, length), value);
    }();
    if (parsed) {
      out = value;
      c.advance(length + 2);
      return true;
    }
    std::string_view text;
    bool in_scratch = false;
    if (!c.read_string(text, in_scratch, ctx.scratch())) return ctx.fail(malformed_json(c));
    auto slow = [&] {
      if constexpr (std::same_as<U, model::date>) return json::parse_date(text);
      else return json::parse_datetime(text);
    }();
    if (!slow) return ctx.fail(slow.error());
    out = slow.value();
    return true;
  }
  if (k == 'f' && c.take_literal("false")) {
    if constexpr (optional_of<T>::value) {
      out.reset();
      return true;
    } else {
      return ctx.fail(json::detail::odoo_found_text(expected_for<T>(), "false (declare the member std::optional to accept empty values)"));
    }
  }
  return refuse(c, ctx, expected_for<T>());
}

// Odoo's false in a text-like member (text, selection, date, binary): an
// empty optional, an empty text or binary; false when the member cannot be
// empty.
template <class T>
bool store_false(T& out) {
  using U = typename optional_of<T>::type;
  if constexpr (optional_of<T>::value) {
    out.reset();
    return true;
  } else if constexpr (text_member<U> || std::same_as<U, model::binary>) {
    out = U();
    return true;
  } else {
    return false;
  }
}

// Reads any decodable member type.
template <class T>
bool read_member(json_cursor& c, T& out, decode_context& ctx) {
  if constexpr (std::same_as<T, bool>) {
    const char k = c.peek();
    if (k == 't' && c.take_literal("true")) out = true;
    else if (k == 'f' && c.take_literal("false")) out = false;
    else return refuse(c, ctx, json::detail::expect_bool);
    return true;
  } else if constexpr (std::floating_point<T>) {
    double d = 0;
    if (!read_double(c, d, ctx)) return false;
    out = static_cast<T>(d);
    return true;
  } else if constexpr (integer_member<T>) {
    bool empty = false;
    return read_integer(c, out, empty, ctx);
  } else if constexpr (optional_of<T>::value && integer_member<typename optional_of<T>::type>) {
    typename optional_of<T>::type i{};
    bool empty = false;
    if (!read_integer(c, i, empty, ctx)) return false;
    if (empty) out.reset();
    else out = i;
    return true;
  } else if constexpr (many2one_of<T>::value) {
    return read_many2one(c, out.id, out.name, ctx);
  } else if constexpr (x2many_of<T>::value) {
    return read_id_list(c, out, ctx);
  } else if constexpr (std::same_as<T, model::ids_view>) {
    return read_id_view(c, out, ctx);
  } else if constexpr (std::same_as<T, json::value>) {
    return read_raw(c, out, ctx);
  } else if constexpr (std::same_as<typename optional_of<T>::type, model::datetime> ||
                       std::same_as<typename optional_of<T>::type, model::date>) {
    return read_time(c, out, ctx);
  } else {
    using U = typename optional_of<T>::type;
    std::string_view text;
    bool in_scratch = false;
    const text_read r = read_text(c, text, in_scratch, ctx, expected_for<T>());
    if (r == text_read::failed) return false;
    if (r == text_read::empty) {
      if (store_false(out)) return true;
      return ctx.fail(json::detail::odoo_found_text(expected_for<T>(), "false (declare the member std::optional to accept empty values)"));
    }
    if constexpr (optional_of<T>::value && std::same_as<U, std::string>) {
      out.emplace(text.data(), text.size());  // one construction, no assign into a default string
      return true;
    } else if constexpr (optional_of<T>::value) {
      U value{};
      if (!from_text(text, in_scratch, value, ctx)) return false;
      out = std::move(value);
      return true;
    } else {
      return from_text(text, in_scratch, out, ctx);
    }
  }
}

// The value of `id` or `write_date` read at the cursor without moving it
// (the member's own reader may still read it).
ODOOLINK_DETAIL_HOT_INLINE bool peek_int(json_cursor& c, std::int64_t& out) noexcept {
  json_cursor probe = c;
  return starts_number(probe.peek()) && probe.read_int64(out);
}
inline bool peek_datetime(json_cursor& c, model::datetime& out) noexcept {
  c.peek();
  const char* p = c.position();
  if (c.end() - p < 21 || *p != '"' || p[20] != '"') return false;
  return json::detail::parse_ymd_hms(std::string_view(p + 1, 19), out) == json::detail::text_ok;
}

}  // namespace model::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
