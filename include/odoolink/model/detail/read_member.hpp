#pragma once
// Reading one field value from a simdjson on-demand value into a member.
//
// Strings are read without copying where possible: a string without escapes
// is taken as a view of the response text itself (the decoder keeps that text
// alive for view records, and owning members copy once, straight from it).
// Only strings with escapes go through simdjson's unescaping.

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <simdjson.h>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/odoo.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/model/decode_context.hpp"
#include "odoolink/model/detail/member_types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model::detail {

namespace od = simdjson::ondemand;

inline bool fail_code(decode_context& ctx, simdjson::error_code err, od::value& v, std::string_view expected) {
  return ctx.fail(json::detail::failed(err, v, expected));
}

enum class text_read { text, empty, failed };

// The first `"` or `\\` at or after p, eight bytes at a time (the buffer is
// padded and the string is closed, so reading ahead is safe).
inline const char* quote_or_backslash(const char* p) noexcept {
  if constexpr (std::endian::native != std::endian::little) {
    while (*p != '"' && *p != '\\') ++p;
    return p;
  } else {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    for (;; p += 8) {
      std::uint64_t x = 0;
      std::memcpy(&x, p, 8);
      const std::uint64_t q = x ^ 0x2222222222222222ULL;  // a quote becomes a zero byte
      const std::uint64_t b = x ^ 0x5C5C5C5C5C5C5C5CULL;  // so does a backslash
      const std::uint64_t hit = ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs);
      if (hit != 0) return p + (std::countr_zero(hit) / 8);
    }
  }
}

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

// Unescapes the JSON string starting at p (after its opening quote) into
// `out`, up to its closing quote. False on a bad escape or lone surrogate.
inline bool unescape(const char* p, std::string& out) {
  out.clear();
  for (;;) {
    const char* stop = quote_or_backslash(p);
    out.append(p, stop);
    if (*stop == '"') return true;
    p = stop + 1;
    switch (*p++) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        std::uint32_t cp = 0;
        if (!hex4(p, cp)) return false;
        p += 4;
        if (cp >= 0xD800U && cp <= 0xDBFFU) {
          std::uint32_t low = 0;
          if (p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, low) || low < 0xDC00U || low > 0xDFFFU) return false;
          p += 6;
          cp = 0x10000U + ((cp - 0xD800U) << 10U) + (low - 0xDC00U);
        } else if (cp >= 0xDC00U && cp <= 0xDFFFU) {
          return false;
        }
        put_utf8(out, cp);
        break;
      }
      default: return false;
    }
  }
}

// Reads a string (or `false` as empty) without copying: `out` views the
// response text itself, unless the string has escapes, in which case it is
// unescaped into the context's scratch buffer and `in_parser` is set (the
// view is then valid only until the next string read).
inline text_read read_text(od::value& v, std::string_view& out, bool& in_parser, decode_context& ctx,
                           std::string_view expected) {
  od::raw_json_string raw;
  const auto err = v.get_raw_json_string().get(raw);
  if (err == simdjson::SUCCESS) {
    const char* begin = raw.raw();
    const char* stop = quote_or_backslash(begin);
    if (*stop == '"') {
      out = std::string_view(begin, static_cast<std::size_t>(stop - begin));
      in_parser = false;
      return text_read::text;
    }
    std::string& scratch = ctx.scratch();
    if (!unescape(begin, scratch)) {
      ctx.fail(error(protocol_errc::malformed_response, "invalid escape in a string"));
      return text_read::failed;
    }
    out = scratch;
    in_parser = true;
    return text_read::text;
  }
  if (err == simdjson::INCORRECT_TYPE && json::detail::is_false(v)) return text_read::empty;
  fail_code(ctx, err, v, expected);
  return text_read::failed;
}

// A string read for a member that outlives the parser: views into the parser's
// buffer are copied into the records' storage.
inline text_read read_kept_text(od::value& v, std::string_view& out, decode_context& ctx, std::string_view expected) {
  bool in_parser = false;
  const text_read r = read_text(v, out, in_parser, ctx, expected);
  if (r == text_read::text && in_parser) {
    if (!ctx.keeps_storage()) {
      ctx.fail(error(protocol_errc::unsupported_call, "view members need records storage (decode into model::records)"));
      return text_read::failed;
    }
    out = ctx.keep(out);
  }
  return r;
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

// An integer, the id of a many2one (`[id, name]`), or false (0 / nullopt).
template <class I>
bool read_integer(od::value& v, I& out, bool& empty, decode_context& ctx) {
  std::int64_t i = 0;
  const auto err = v.get_int64().get(i);
  empty = false;
  if (err == simdjson::SUCCESS) return store_integer(i, out, ctx);
  if (err != simdjson::INCORRECT_TYPE) return fail_code(ctx, err, v, json::detail::expect_int);
  const std::string_view token = v.raw_json_token();
  if (!token.empty() && token.front() != '[' && token.front() != '{') {
    if (json::detail::is_false(v)) {
      empty = true;
      out = 0;
      return true;
    }
    return ctx.fail(json::detail::odoo_type_mismatch(json::detail::expect_int, token));
  }
  auto m2o = json::read_many2one_view(v);
  if (!m2o) return ctx.fail(m2o.error());
  if (!m2o.value()) {
    empty = true;
    out = 0;
    return true;
  }
  return store_integer(m2o.value()->id, out, ctx);
}

template <class Name>
bool read_many2one(od::value& v, std::int64_t& id, Name& name, decode_context& ctx) {
  const std::string_view token = v.raw_json_token();
  if (!token.empty() && token.front() == '[') {
    od::array items;
    if (const auto err = v.get_array().get(items)) return fail_code(ctx, err, v, json::detail::expect_many2one);
    std::size_t count = 0;
    for (auto item : items) {
      od::value element;
      if (const auto err = std::move(item).get(element)) return ctx.fail(json::detail::odoo_access_failed(err, json::detail::expect_many2one));
      if (count == 0) {
        if (const auto err = element.get_int64().get(id)) return fail_code(ctx, err, element, json::detail::expect_many2one_id);
      } else if (count == 1) {
        std::string_view text;
        const text_read r = [&] {
          if constexpr (std::same_as<Name, std::string_view>) return read_kept_text(element, text, ctx, json::detail::expect_many2one_name);
          else {
            bool in_parser = false;
            return read_text(element, text, in_parser, ctx, json::detail::expect_many2one_name);
          }
        }();
        if (r == text_read::failed) return false;
        name = Name(r == text_read::text ? text : std::string_view());
      }
      ++count;
    }
    if (count != 2)
      return ctx.fail(json::detail::odoo_found_text(json::detail::expect_many2one,
                                                    "an array of " + std::to_string(count) + (count == 1 ? " element" : " elements")));
    return true;
  }
  // `false`, or the `{"id": .., "display_name": ..}` form of web_read.
  auto m2o = json::read_many2one_view(v);
  if (!m2o) return ctx.fail(m2o.error());
  if (!m2o.value()) {
    id = 0;
    name = Name();
    return true;
  }
  id = m2o.value()->id;
  if constexpr (std::same_as<Name, std::string_view>) name = ctx.keeps_storage() ? ctx.keep(m2o.value()->name) : std::string_view();
  else name = Name(m2o.value()->name);
  return true;
}

template <class Ids>
bool read_id_list(od::value& v, Ids& out, decode_context& ctx) {
  od::array items;
  if (const auto err = v.get_array().get(items)) return fail_code(ctx, err, v, json::detail::expect_ids);
  out.clear();
  for (auto item : items) {
    std::int64_t id = 0;
    if (const auto err = item.get_int64().get(id)) {
      od::value element;
      if (std::move(item).get(element) != simdjson::SUCCESS) return ctx.fail(json::detail::odoo_access_failed(err, json::detail::expect_ids));
      return fail_code(ctx, err, element, json::detail::expect_id);
    }
    out.push_back(id);
  }
  return true;
}

inline bool read_id_view(od::value& v, model::ids_view& out, decode_context& ctx) {
  if (!ctx.keeps_storage())
    return ctx.fail(error(protocol_errc::unsupported_call, "view members need records storage (decode into model::records)"));
  od::array items;
  if (const auto err = v.get_array().get(items)) return fail_code(ctx, err, v, json::detail::expect_ids);
  for (auto item : items) {
    std::int64_t id = 0;
    if (const auto err = item.get_int64().get(id)) {
      od::value element;
      if (std::move(item).get(element) != simdjson::SUCCESS) return ctx.fail(json::detail::odoo_access_failed(err, json::detail::expect_ids));
      return fail_code(ctx, err, element, json::detail::expect_id);
    }
    ctx.push_id(id);
  }
  out = ctx.close_ids();
  return true;
}

inline bool read_raw(od::value& v, json::value& out, decode_context& ctx) {
  std::string_view text = v.raw_json_token();
  if (!text.empty() && (text.front() == '[' || text.front() == '{')) {
    simdjson::error_code err = simdjson::SUCCESS;
    if (text.front() == '[') {
      od::array a;
      err = v.get_array().get(a);
      if (err == simdjson::SUCCESS) err = a.raw_json().get(text);
    } else {
      od::object o;
      err = v.get_object().get(o);
      if (err == simdjson::SUCCESS) err = o.raw_json().get(text);
    }
    if (err != simdjson::SUCCESS) return ctx.fail(json::detail::odoo_access_failed(err, "a JSON value"));
  }
  // A scalar is its token (the decoder skips the unconsumed value).
  auto parsed = json::parse(text);
  if (!parsed) return ctx.fail(parsed.error());
  out = std::move(parsed).value();
  return true;
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

// Converts a text to the (non-optional) type U; false on failure (error in ctx).
template <class U>
bool from_text(std::string_view text, bool in_parser, U& out, decode_context& ctx) {
  if constexpr (std::same_as<U, std::string>) {
    out.assign(text.data(), text.size());
  } else if constexpr (std::same_as<U, std::string_view>) {
    if (in_parser) {
      if (!ctx.keeps_storage())
        return ctx.fail(error(protocol_errc::unsupported_call, "view members need records storage (decode into model::records)"));
      text = ctx.keep(text);
    }
    out = text;
  } else if constexpr (enum_member<U>) {
    out = from_string<U>(text);
  } else if constexpr (std::same_as<U, model::date>) {
    if (!fast_date(text, out)) return ctx.fail(json::parse_date(text).error());
  } else if constexpr (std::same_as<U, model::datetime>) {
    if (!fast_datetime(text, out)) return ctx.fail(json::parse_datetime(text).error());
  } else {
    static_assert(std::same_as<U, model::binary>);
    out = model::binary(std::string(text));
  }
  return true;
}

// Reads any decodable member type.
template <class T>
bool read_member(od::value& v, T& out, decode_context& ctx) {
  if constexpr (std::same_as<T, bool>) {
    if (const auto err = v.get_bool().get(out)) return fail_code(ctx, err, v, json::detail::expect_bool);
    return true;
  } else if constexpr (std::floating_point<T>) {
    double d = 0;
    if (const auto err = v.get_double().get(d)) return fail_code(ctx, err, v, json::detail::expect_float);
    out = static_cast<T>(d);
    return true;
  } else if constexpr (integer_member<T>) {
    bool empty = false;
    return read_integer(v, out, empty, ctx);
  } else if constexpr (optional_of<T>::value && integer_member<typename optional_of<T>::type>) {
    typename optional_of<T>::type i{};
    bool empty = false;
    if (!read_integer(v, i, empty, ctx)) return false;
    if (empty) out.reset();
    else out = i;
    return true;
  } else if constexpr (many2one_of<T>::value) {
    return read_many2one(v, out.id, out.name, ctx);
  } else if constexpr (x2many_of<T>::value) {
    return read_id_list(v, out, ctx);
  } else if constexpr (std::same_as<T, model::ids_view>) {
    return read_id_view(v, out, ctx);
  } else if constexpr (std::same_as<T, json::value>) {
    return read_raw(v, out, ctx);
  } else if constexpr (std::same_as<typename optional_of<T>::type, model::datetime> ||
                       std::same_as<typename optional_of<T>::type, model::date>) {
    // Dates have a fixed length: no need to look for the closing quote.
    using U = typename optional_of<T>::type;
    constexpr std::size_t length = std::same_as<U, model::date> ? 10 : 19;
    od::raw_json_string raw;
    if (v.get_raw_json_string().get(raw) == simdjson::SUCCESS) {
      const char* p = raw.raw();
      U value{};
      const bool parsed = p[length] == '"' && [&] {
        if constexpr (std::same_as<U, model::date>) return fast_date(std::string_view(p, length), value);
        else return fast_datetime(std::string_view(p, length), value);
      }();
      if (parsed) {
        out = value;
        return true;
      }
      const std::string_view text(p, static_cast<std::size_t>(quote_or_backslash(p) - p));
      if constexpr (std::same_as<U, model::date>) return ctx.fail(json::parse_date(text).error());
      else return ctx.fail(json::parse_datetime(text).error());
    }
    if (json::detail::is_false(v)) {
      if constexpr (optional_of<T>::value) {
        out.reset();
        return true;
      } else {
        return ctx.fail(json::detail::odoo_found_text(expected_for<T>(), "false (declare the member std::optional to accept empty values)"));
      }
    }
    return ctx.fail(json::detail::odoo_type_mismatch(expected_for<T>(), v.raw_json_token()));
  } else {
    using U = typename optional_of<T>::type;
    std::string_view text;
    bool in_parser = false;
    const text_read r = read_text(v, text, in_parser, ctx, expected_for<T>());
    if (r == text_read::failed) return false;
    if (r == text_read::empty) {
      if constexpr (optional_of<T>::value) {
        out.reset();
        return true;
      } else if constexpr (text_member<U> || std::same_as<U, model::binary>) {
        out = U();
        return true;
      } else {
        return ctx.fail(json::detail::odoo_found_text(expected_for<T>(), "false (declare the member std::optional to accept empty values)"));
      }
    }
    if constexpr (optional_of<T>::value) {
      U value{};
      if (!from_text(text, in_parser, value, ctx)) return false;
      out = std::move(value);
      return true;
    } else {
      return from_text(text, in_parser, out, ctx);
    }
  }
}

// The value of `id` or `write_date` read from the raw token without consuming
// it (the member's own decoder may still read it).
inline bool peek_int(od::value& v, std::int64_t& out) noexcept {
  const std::string_view token = v.raw_json_token();
  const auto r = std::from_chars(token.data(), token.data() + token.size(), out);
  return r.ec == std::errc();
}
inline bool peek_datetime(od::value& v, model::datetime& out) noexcept {
  const std::string_view token = v.raw_json_token();
  if (token.size() < 21 || token.front() != '"') return false;
  return json::detail::parse_ymd_hms(token.substr(1, 19), out) == json::detail::text_ok && token[20] == '"';
}

}  // namespace model::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
