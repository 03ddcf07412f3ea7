#pragma once
/// @file
/// Odoo's value conventions, read straight from simdjson on-demand values
/// (no intermediate tree), plus the text forms of dates, datetimes and
/// binary fields in both directions.
///
/// What Odoo sends (`read`, `search_read`, webhooks):
///
/// | field type                         | JSON                        | reader               |
/// |------------------------------------|-----------------------------|----------------------|
/// | boolean                            | `true` / `false`            | `read_bool`          |
/// | integer, id                        | integer                     | `read_int`           |
/// | float, monetary                    | number (`0.0`, maybe `3`)   | `read_float`         |
/// | char, text, html, selection        | string, `false` when empty  | `read_text[_view]`   |
/// | many2one                           | `[id, "name"]` or `false`   | `read_many2one[_view]` |
/// | one2many, many2many                | `[id, ...]`                 | `read_ids`           |
/// | date                               | `"YYYY-MM-DD"` or `false`   | `read_date`          |
/// | datetime (UTC)                     | `"YYYY-MM-DD HH:MM:SS"` or `false` | `read_datetime` |
/// | datetime in webhook payloads       | `"YYYY-MM-DD HH:MM:SS.ffffff"` | `read_datetime_us` |
/// | binary                             | base64 string or `false`    | `read_binary`        |
///
/// `false` means "empty" for every type but boolean, where it is a real value.
///
/// Each reader takes either an `ondemand::value&` or the
/// `simdjson_result<ondemand::value>` that a field lookup, `field.value()` or
/// an array iteration hands out, and consumes that value. A failure is
/// `protocol_errc::unexpected_type` with a message naming what was expected and
/// what was found (`expected a date "YYYY-MM-DD" or false, found 42`); callers
/// add the model, field and record with `error::with_context`. Syntax errors
/// that on-demand parsing only meets while reading are
/// `protocol_errc::malformed_response`. After a failure the document must not
/// be read further.
///
/// Views (`std::string_view`, `many2one_view`) point into the parser's string
/// buffer: valid until that parser parses another document.
///
/// @par Thread Safety  All functions are reentrant; a simdjson document and
/// its values belong to one thread at a time.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {

/// A value handed out by simdjson on-demand (a field lookup, `field.value()`
/// of a `simdjson_result<field>`, an array element), possibly an error.
using ondemand_value = simdjson::simdjson_result<simdjson::ondemand::value>;

/// A datetime with the microseconds of webhook payloads.
using sys_microseconds = std::chrono::sys_time<std::chrono::microseconds>;

/// A many2one that owns its display name.
/// @par Thread Safety  A value type.
struct many2one {
  std::int64_t id = 0;  ///< the record id
  std::string name;     ///< display name; empty when Odoo sent none (`[id, false]`)
  friend bool operator==(const many2one&, const many2one&) = default;
};

/// A many2one whose display name is a view into the parser's buffer.
/// @par Thread Safety  A value type; valid as long as the parser's buffer.
struct many2one_view {
  std::int64_t id = 0;     ///< the record id
  std::string_view name;   ///< display name; empty when Odoo sent none (`[id, false]`)
  friend bool operator==(const many2one_view&, const many2one_view&) = default;
};

// ---------------------------------------------------------------------------
// Text forms (no JSON involved)

/// Parses Odoo's date text `YYYY-MM-DD` (a real calendar day, year 0001-9999).
/// Errors: protocol_errc::unexpected_type.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline result<std::chrono::year_month_day> parse_date(std::string_view text);

/// Parses Odoo's UTC datetime text `YYYY-MM-DD HH:MM:SS` (exactly; hours
/// 00-23, no leap second). Errors: protocol_errc::unexpected_type.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline result<std::chrono::sys_seconds> parse_datetime(std::string_view text);

/// Parses a UTC datetime with microseconds, `YYYY-MM-DD HH:MM:SS.ffffff`
/// (exactly six digits), or without them `YYYY-MM-DD HH:MM:SS` (Python's
/// `str(datetime)` drops a zero fraction, so webhooks send both forms).
/// Errors: protocol_errc::unexpected_type.
/// @par Thread Safety  Pure function.
[[nodiscard]] inline result<sys_microseconds> parse_datetime_us(std::string_view text);

/// Formats `YYYY-MM-DD`. Errors: protocol_errc::unexpected_type when the date
/// is not a calendar day of years 0001-9999.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::string> format_date(std::chrono::year_month_day date);

/// Formats `YYYY-MM-DD HH:MM:SS` (UTC), the form Odoo stores and reads.
/// Errors: protocol_errc::unexpected_type outside years 0001-9999.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::string> format_datetime(std::chrono::sys_seconds time);

/// Formats as Python's `str(datetime)`: `YYYY-MM-DD HH:MM:SS.ffffff`, without
/// the fraction when it is zero. (Odoo's own datetime fields keep whole
/// seconds; write those with `format_datetime`.)
/// Errors: protocol_errc::unexpected_type outside years 0001-9999.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::string> format_datetime_us(sys_microseconds time);

/// Encodes bytes as standard base64 (RFC 4648 section 4, `=` padding, no line
/// breaks), the form Odoo's binary fields take.
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string base64_encode(std::span<const std::uint8_t> bytes);
/// @overload
[[nodiscard]] std::string base64_encode(std::string_view bytes);

/// Decodes standard base64 strictly: the length is a multiple of 4, only the
/// RFC 4648 alphabet, `=` only as one or two final padding characters, the
/// unused bits of the last group zero, no whitespace. The empty text decodes
/// to no bytes. Errors: protocol_errc::unexpected_type, naming the offset and
/// the problem.
/// @par Thread Safety  Pure function.
[[nodiscard]] result<std::vector<std::uint8_t>> base64_decode(std::string_view text);

namespace detail {

// Cold paths, compiled in the library. They take no on-demand type: the
// on-demand namespace depends on the SIMD kernel the includer compiles for.
[[nodiscard]] error odoo_type_mismatch(std::string_view expected, std::string_view found_raw);
[[nodiscard]] error odoo_found_text(std::string_view expected, std::string_view found);
[[nodiscard]] error odoo_access_failed(simdjson::error_code code, std::string_view expected);
[[nodiscard]] error odoo_bad_time_text(std::string_view expected, std::string_view text, int reason);

inline constexpr std::string_view expect_bool = "a boolean";
inline constexpr std::string_view expect_int = "an integer";
inline constexpr std::string_view expect_float = "a number";
inline constexpr std::string_view expect_text = "a string or false";
inline constexpr std::string_view expect_many2one = "a many2one ([id, \"name\"] or false)";
inline constexpr std::string_view expect_many2one_id = "a many2one id (integer)";
inline constexpr std::string_view expect_many2one_name = "a many2one name (string or false)";
inline constexpr std::string_view expect_ids = "a list of ids";
inline constexpr std::string_view expect_id = "an id (integer)";
inline constexpr std::string_view expect_date = "a date \"YYYY-MM-DD\" or false";
inline constexpr std::string_view expect_datetime = "a datetime \"YYYY-MM-DD HH:MM:SS\" or false";
inline constexpr std::string_view expect_datetime_us = "a datetime \"YYYY-MM-DD HH:MM:SS[.ffffff]\" or false";
inline constexpr std::string_view expect_binary = "base64 text or false";
inline constexpr std::string_view expect_date_text = "a date \"YYYY-MM-DD\"";
inline constexpr std::string_view expect_datetime_text = "a datetime \"YYYY-MM-DD HH:MM:SS\"";
inline constexpr std::string_view expect_datetime_us_text = "a datetime \"YYYY-MM-DD HH:MM:SS[.ffffff]\"";

/// Whether a date/time text parsed, and if not why (refusals are >= 0).
enum time_text_reason : int { text_ok = -1, bad_format = 0, no_such_day = 1, bad_time = 2 };

/// Errors that mean "this value is not of the type asked for" (numbers out of
/// range included) rather than broken JSON.
inline bool is_type_error(simdjson::error_code code) noexcept {
  return code == simdjson::INCORRECT_TYPE || code == simdjson::NUMBER_ERROR ||
         code == simdjson::NUMBER_OUT_OF_RANGE;
}

inline error failed(simdjson::error_code code, simdjson::ondemand::value& v, std::string_view expected) {
  if (is_type_error(code)) return odoo_type_mismatch(expected, v.raw_json_token());
  return odoo_access_failed(code, expected);
}

/// True (and consumed) when `v` is the literal `false`.
inline bool is_false(simdjson::ondemand::value& v) noexcept {
  bool b = true;
  return v.get_bool().get(b) == simdjson::SUCCESS && !b;
}

inline bool two_digits(const char* p, int& out) noexcept {
  const auto a = static_cast<unsigned>(p[0] - '0');
  const auto b = static_cast<unsigned>(p[1] - '0');
  if (a > 9U || b > 9U) return false;
  out = static_cast<int>(a * 10U + b);
  return true;
}

/// Parses `YYYY-MM-DD` at the start of `text` (which has at least 10 bytes).
inline time_text_reason parse_ymd(std::string_view text, std::chrono::year_month_day& out) noexcept {
  int y1 = 0;
  int y2 = 0;
  int m = 0;
  int d = 0;
  if (!two_digits(text.data(), y1) || !two_digits(text.data() + 2, y2) || text[4] != '-' ||
      !two_digits(text.data() + 5, m) || text[7] != '-' || !two_digits(text.data() + 8, d))
    return bad_format;
  const int y = y1 * 100 + y2;
  out = std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                    std::chrono::day{static_cast<unsigned>(d)}};
  // Python's datetime (and so Odoo) has no year 0.
  return y != 0 && out.ok() ? text_ok : no_such_day;
}

/// Parses `YYYY-MM-DD HH:MM:SS` at the start of `text` (at least 19 bytes).
inline time_text_reason parse_ymd_hms(std::string_view text, std::chrono::sys_seconds& out) noexcept {
  std::chrono::year_month_day date;
  const time_text_reason r = parse_ymd(text, date);
  if (r == bad_format) return r;
  int h = 0;
  int mi = 0;
  int s = 0;
  if (text[10] != ' ' || !two_digits(text.data() + 11, h) || text[13] != ':' || !two_digits(text.data() + 14, mi) ||
      text[16] != ':' || !two_digits(text.data() + 17, s))
    return bad_format;
  if (r == no_such_day) return r;
  if (h > 23 || mi > 59 || s > 59) return bad_time;
  out = std::chrono::sys_days(date) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s);
  return text_ok;
}

}  // namespace detail

inline result<std::chrono::year_month_day> parse_date(std::string_view text) {
  std::chrono::year_month_day d;
  const auto r = text.size() == 10 ? detail::parse_ymd(text, d) : detail::bad_format;
  if (r != detail::text_ok) return detail::odoo_bad_time_text(detail::expect_date_text, text, r);
  return d;
}

inline result<std::chrono::sys_seconds> parse_datetime(std::string_view text) {
  std::chrono::sys_seconds t;
  const auto r = text.size() == 19 ? detail::parse_ymd_hms(text, t) : detail::bad_format;
  if (r != detail::text_ok) return detail::odoo_bad_time_text(detail::expect_datetime_text, text, r);
  return t;
}

inline result<sys_microseconds> parse_datetime_us(std::string_view text) {
  std::chrono::sys_seconds t;
  auto r = text.size() == 19 || text.size() == 26 ? detail::parse_ymd_hms(text, t) : detail::bad_format;
  std::int64_t fraction = 0;
  if (r == detail::text_ok && text.size() == 26) {
    if (text[19] != '.') r = detail::bad_format;
    for (std::size_t i = 20; i < 26 && r == detail::text_ok; ++i) {
      const auto digit = static_cast<unsigned>(text[i] - '0');
      if (digit > 9U) r = detail::bad_format;
      fraction = fraction * 10 + digit;
    }
  }
  if (r != detail::text_ok) return detail::odoo_bad_time_text(detail::expect_datetime_us_text, text, r);
  return sys_microseconds(t) + std::chrono::microseconds(fraction);
}

// ---------------------------------------------------------------------------
// Readers of on-demand values

/// Reads a boolean field: `true` or `false` (here `false` is a value, not "empty").
/// Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<bool> read_bool(simdjson::ondemand::value& v) {
  bool b = false;
  if (const auto err = v.get_bool().get(b)) return detail::failed(err, v, detail::expect_bool);
  return b;
}

/// Reads an integer (integer fields, ids) in the int64 range; `1.0` is refused.
/// Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::int64_t> read_int(simdjson::ondemand::value& v) {
  std::int64_t i = 0;
  if (const auto err = v.get_int64().get(i)) return detail::failed(err, v, detail::expect_int);
  return i;
}

/// Reads a float or monetary field: any JSON number, integers included
/// (`amount_total` may come as `1740.0` or `1740`). A monetary amount has no
/// currency of its own: it is in the currency of the record's currency field
/// (`currency_id` on most models; the field's `currency_field` attribute in
/// `fields_get` names it). Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<double> read_float(simdjson::ondemand::value& v) {
  double d = 0;
  if (const auto err = v.get_double().get(d)) return detail::failed(err, v, detail::expect_float);
  return d;
}

/// Reads a char, text, html or selection field as a view: the unescaped
/// string, or nullopt for `false`. Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::optional<std::string_view>> read_text_view(simdjson::ondemand::value& v) {
  std::string_view s;
  const auto err = v.get_string().get(s);
  if (err == simdjson::SUCCESS) return std::optional<std::string_view>(s);
  if (err == simdjson::INCORRECT_TYPE && detail::is_false(v)) return std::optional<std::string_view>();
  return detail::failed(err, v, detail::expect_text);
}

/// Reads a char, text, html or selection field into an owned string, or
/// nullopt for `false`. Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::optional<std::string>> read_text(simdjson::ondemand::value& v) {
  ODOOLINK_TRY(const auto view, read_text_view(v));
  if (!view) return std::optional<std::string>();
  return std::optional<std::string>(std::in_place, *view);
}

/// Reads a many2one as a view: `[id, "name"]`, `[id, false]` (a record whose
/// display name is empty), the `{"id": id, "display_name": "name", ...}` form
/// of `web_read` (other keys skipped), or nullopt for `false`.
/// Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::optional<many2one_view>> read_many2one_view(simdjson::ondemand::value& v) {
  simdjson::ondemand::json_type type{};
  if (const auto err = v.type().get(type)) return detail::failed(err, v, detail::expect_many2one);
  many2one_view out;
  if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array items;
    if (const auto err = v.get_array().get(items)) return detail::failed(err, v, detail::expect_many2one);
    std::size_t count = 0;
    for (auto item : items) {
      simdjson::ondemand::value element;
      if (const auto err = std::move(item).get(element)) return detail::odoo_access_failed(err, detail::expect_many2one);
      if (count == 0) {
        if (const auto err = element.get_int64().get(out.id))
          return detail::failed(err, element, detail::expect_many2one_id);
      } else if (count == 1) {
        const auto err = element.get_string().get(out.name);
        if (err != simdjson::SUCCESS && !(err == simdjson::INCORRECT_TYPE && detail::is_false(element)))
          return detail::failed(err, element, detail::expect_many2one_name);
      }
      ++count;
    }
    if (count != 2)
      return detail::odoo_found_text(detail::expect_many2one,
                                     "an array of " + std::to_string(count) + (count == 1 ? " element" : " elements"));
    return std::optional<many2one_view>(out);
  }
  if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object members;
    if (const auto err = v.get_object().get(members)) return detail::failed(err, v, detail::expect_many2one);
    bool has_id = false;
    for (auto member : members) {
      std::string_view key;
      if (const auto err = member.unescaped_key().get(key)) return detail::odoo_access_failed(err, detail::expect_many2one);
      if (key != "id" && key != "display_name") continue;
      simdjson::ondemand::value field;
      if (const auto err = member.value().get(field)) return detail::odoo_access_failed(err, detail::expect_many2one);
      if (key == "id") {
        if (const auto err = field.get_int64().get(out.id)) return detail::failed(err, field, detail::expect_many2one_id);
        has_id = true;
      } else {
        const auto err = field.get_string().get(out.name);
        if (err != simdjson::SUCCESS && !(err == simdjson::INCORRECT_TYPE && detail::is_false(field)))
          return detail::failed(err, field, detail::expect_many2one_name);
      }
    }
    if (!has_id) return detail::odoo_found_text(detail::expect_many2one, "an object without \"id\"");
    return std::optional<many2one_view>(out);
  }
  if (detail::is_false(v)) return std::optional<many2one_view>();
  return detail::odoo_type_mismatch(detail::expect_many2one, v.raw_json_token());
}

/// Reads a many2one with an owned name (see `read_many2one_view` for the
/// forms accepted). Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::optional<many2one>> read_many2one(simdjson::ondemand::value& v) {
  ODOOLINK_TRY(const auto view, read_many2one_view(v));
  if (!view) return std::optional<many2one>();
  return std::optional<many2one>(many2one{view->id, std::string(view->name)});
}

/// Appends the ids of a one2many/many2many value (`[id, ...]`) to `out`.
/// On failure `out` may hold some of the ids.
/// Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<void> read_ids(simdjson::ondemand::value& v, std::vector<std::int64_t>& out) {
  simdjson::ondemand::array items;
  if (const auto err = v.get_array().get(items)) return detail::failed(err, v, detail::expect_ids);
  for (auto item : items) {
    std::int64_t id = 0;
    if (const auto err = item.get_int64().get(id)) {
      simdjson::ondemand::value element;
      if (std::move(item).get(element) != simdjson::SUCCESS) return detail::odoo_access_failed(err, detail::expect_ids);
      return detail::failed(err, element, detail::expect_id);
    }
    out.push_back(id);
  }
  return success();
}

/// Reads a date field: `"YYYY-MM-DD"` (validated) or nullopt for `false`.
/// Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::optional<std::chrono::year_month_day>> read_date(simdjson::ondemand::value& v) {
  std::string_view s;
  const auto err = v.get_string().get(s);
  if (err == simdjson::SUCCESS) {
    // Parsed in place rather than through parse_date: one result object, not two.
    std::chrono::year_month_day d;
    const auto r = s.size() == 10 ? detail::parse_ymd(s, d) : detail::bad_format;
    if (r != detail::text_ok) return detail::odoo_bad_time_text(detail::expect_date_text, s, r);
    return std::optional<std::chrono::year_month_day>(d);
  }
  if (err == simdjson::INCORRECT_TYPE && detail::is_false(v)) return std::optional<std::chrono::year_month_day>();
  return detail::failed(err, v, detail::expect_date);
}

/// Reads a datetime field: `"YYYY-MM-DD HH:MM:SS"` in UTC, or nullopt for
/// `false`. Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::optional<std::chrono::sys_seconds>> read_datetime(simdjson::ondemand::value& v) {
  std::string_view s;
  const auto err = v.get_string().get(s);
  if (err == simdjson::SUCCESS) {
    std::chrono::sys_seconds t;
    const auto r = s.size() == 19 ? detail::parse_ymd_hms(s, t) : detail::bad_format;
    if (r != detail::text_ok) return detail::odoo_bad_time_text(detail::expect_datetime_text, s, r);
    return std::optional<std::chrono::sys_seconds>(t);
  }
  if (err == simdjson::INCORRECT_TYPE && detail::is_false(v)) return std::optional<std::chrono::sys_seconds>();
  return detail::failed(err, v, detail::expect_datetime);
}

/// Reads a datetime as webhook payloads carry it: `"YYYY-MM-DD HH:MM:SS.ffffff"`
/// or `"YYYY-MM-DD HH:MM:SS"` in UTC, or nullopt for `false`.
/// Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::optional<sys_microseconds>> read_datetime_us(simdjson::ondemand::value& v) {
  std::string_view s;
  const auto err = v.get_string().get(s);
  if (err == simdjson::SUCCESS) {
    ODOOLINK_TRY(const auto t, parse_datetime_us(s));
    return std::optional<sys_microseconds>(t);
  }
  if (err == simdjson::INCORRECT_TYPE && detail::is_false(v)) return std::optional<sys_microseconds>();
  return detail::failed(err, v, detail::expect_datetime_us);
}

/// Reads a binary field: base64 text decoded (see `base64_decode`), or
/// nullopt for `false`. Read without `bin_size` in the context: with it Odoo
/// sends a human size ("1.23 Kb") that is not base64 and fails here.
/// Errors: protocol_errc::unexpected_type.
[[nodiscard]] inline result<std::optional<std::vector<std::uint8_t>>> read_binary(simdjson::ondemand::value& v) {
  std::string_view s;
  const auto err = v.get_string().get(s);
  if (err == simdjson::SUCCESS) {
    ODOOLINK_TRY(auto bytes, base64_decode(s));
    return std::optional<std::vector<std::uint8_t>>(std::move(bytes));
  }
  if (err == simdjson::INCORRECT_TYPE && detail::is_false(v)) return std::optional<std::vector<std::uint8_t>>();
  return detail::failed(err, v, detail::expect_binary);
}

// The same readers for a `simdjson_result<value>`: a lookup error (a missing
// field: NO_SUCH_FIELD) is protocol_errc::unexpected_type, found "no value".

namespace detail {
template <class Read>
inline auto read_result(ondemand_value&& r, std::string_view expected, Read read)
    -> decltype(read(std::declval<simdjson::ondemand::value&>())) {
  simdjson::ondemand::value v;
  if (const auto err = std::move(r).get(v)) return odoo_access_failed(err, expected);
  return read(v);
}
}  // namespace detail

/// @copydoc read_bool(simdjson::ondemand::value&)
[[nodiscard]] inline result<bool> read_bool(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_bool, [](simdjson::ondemand::value& x) { return read_bool(x); });
}
/// @copydoc read_int(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::int64_t> read_int(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_int, [](simdjson::ondemand::value& x) { return read_int(x); });
}
/// @copydoc read_float(simdjson::ondemand::value&)
[[nodiscard]] inline result<double> read_float(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_float, [](simdjson::ondemand::value& x) { return read_float(x); });
}
/// @copydoc read_text_view(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::optional<std::string_view>> read_text_view(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_text,
                             [](simdjson::ondemand::value& x) { return read_text_view(x); });
}
/// @copydoc read_text(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::optional<std::string>> read_text(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_text, [](simdjson::ondemand::value& x) { return read_text(x); });
}
/// @copydoc read_many2one_view(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::optional<many2one_view>> read_many2one_view(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_many2one,
                             [](simdjson::ondemand::value& x) { return read_many2one_view(x); });
}
/// @copydoc read_many2one(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::optional<many2one>> read_many2one(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_many2one,
                             [](simdjson::ondemand::value& x) { return read_many2one(x); });
}
/// @copydoc read_ids(simdjson::ondemand::value&, std::vector<std::int64_t>&)
[[nodiscard]] inline result<void> read_ids(ondemand_value v, std::vector<std::int64_t>& out) {
  return detail::read_result(std::move(v), detail::expect_ids,
                             [&out](simdjson::ondemand::value& x) { return read_ids(x, out); });
}
/// @copydoc read_date(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::optional<std::chrono::year_month_day>> read_date(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_date, [](simdjson::ondemand::value& x) { return read_date(x); });
}
/// @copydoc read_datetime(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::optional<std::chrono::sys_seconds>> read_datetime(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_datetime,
                             [](simdjson::ondemand::value& x) { return read_datetime(x); });
}
/// @copydoc read_datetime_us(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::optional<sys_microseconds>> read_datetime_us(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_datetime_us,
                             [](simdjson::ondemand::value& x) { return read_datetime_us(x); });
}
/// @copydoc read_binary(simdjson::ondemand::value&)
[[nodiscard]] inline result<std::optional<std::vector<std::uint8_t>>> read_binary(ondemand_value v) {
  return detail::read_result(std::move(v), detail::expect_binary,
                             [](simdjson::ondemand::value& x) { return read_binary(x); });
}

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
