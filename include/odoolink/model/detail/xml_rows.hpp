#pragma once
// Decoding an XML-RPC `read` / `search_read` answer straight into typed
// records: one pass over the body, no JSON text in between, strings without
// entities taken as views of the body itself.
//
// It reads the layout Odoo's marshaller writes (Python's xmlrpc.client):
// `<value><int>`, `<double>`, `<boolean>`, `<string>` (or bare text),
// `<array><data>` and `<struct>`, the five predefined entities, blanks
// between tags. It gives up ("not handled", nothing kept) on anything else
// and on any value the member cannot take: a fault, `<nil/>`, character
// references, a CR, an unknown or repeated member, a bound field missing, a
// number Python would read but not in its plain form ("+5", " 5"), a date
// the fast parser refuses. The caller then decodes the body the general way
// (XML-RPC to JSON text, then model/decode.hpp), which gives the same
// records or the error the user sees, worded as for every protocol: this
// path only ever agrees with that one, faster (tests/model/xml_rows_test.cpp
// and fuzz/fuzz_xmlrpc.cpp compare them).

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/json/odoo.hpp"
#include "odoolink/model/decode_context.hpp"
#include "odoolink/model/detail/json_cursor.hpp"
#include "odoolink/model/detail/member_types.hpp"
#include "odoolink/model/detail/read_member.hpp"
#include "odoolink/protocol/detail/xml_text.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model::detail {

/// A reader of the XML-RPC Odoo writes; every call returns false where the
/// text leaves that layout (the decoder then gives up).
class xml_cursor {
 public:
  xml_cursor(const char* text, std::size_t size) noexcept : begin_(text), p_(text), end_(text + size) {}

  [[nodiscard]] std::size_t offset() const noexcept { return static_cast<std::size_t>(p_ - begin_); }
  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(end_ - begin_); }

  /// Blanks (space, tab, line feed), then `tag` (a literal: its length is
  /// known, so the comparison is a few word loads, not a call).
  template <std::size_t N>
  [[nodiscard]] ODOOLINK_DETAIL_HOT_INLINE bool next(const char (&tag)[N]) noexcept {
    blanks();
    return take(tag);
  }
  template <std::size_t N>
  [[nodiscard]] ODOOLINK_DETAIL_HOT_INLINE bool take(const char (&tag)[N]) noexcept {
    constexpr std::size_t n = N - 1;
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, tag, n) != 0) return false;
    p_ += n;
    return true;
  }
  /// The byte at the cursor, or 0 at the end.
  [[nodiscard]] char peek(std::size_t ahead = 0) const noexcept {
    return static_cast<std::size_t>(end_ - p_) > ahead ? p_[ahead] : '\0';
  }
  ODOOLINK_DETAIL_HOT_INLINE void blanks() noexcept {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t')) ++p_;
  }
  [[nodiscard]] bool at_end() noexcept {
    blanks();
    return p_ == end_;
  }

  /// Character data up to the next '<': `out` views the body, or `scratch`
  /// when it held entities (`in_scratch`).
  [[nodiscard]] bool text(std::string_view& out, bool& in_scratch, std::string& scratch) {
    bool entity = false;
    in_scratch = false;
    // Any '>' too: what the plain reader accepts beyond this is left to it.
    if (!protocol::detail::scan_text<true>(p_, end_, out, entity)) return false;
    if (!entity) return true;
    in_scratch = true;
    return protocol::detail::xml_unescape(out, scratch);
  }

  /// Character data that must be a plain integer: `-`? digits, nothing else.
  [[nodiscard]] bool integer(std::int64_t& out) noexcept {
    const char* start = p_;
    while (p_ != end_ && *p_ != '<') ++p_;
    if (p_ == start || (*start == '-' && p_ == start + 1)) return false;
    for (const char* q = start + (*start == '-' ? 1 : 0); q != p_; ++q)
      if (static_cast<unsigned char>(*q - '0') > 9U) return false;
    const auto r = std::from_chars(start, p_, out);
    return r.ec == std::errc() && r.ptr == p_;
  }

  /// Character data that must be a plain decimal number (as Python's repr
  /// writes a finite float), converted as the JSON reader converts it.
  [[nodiscard]] bool decimal(double& out) noexcept {
    const char* start = p_;
    while (p_ != end_ && *p_ != '<') ++p_;
    const char* q = start + (start != p_ && *start == '-' ? 1 : 0);
    const auto digits = [&] {
      const char* from = q;
      while (q != p_ && static_cast<unsigned char>(*q - '0') <= 9U) ++q;
      return q != from;
    };
    if (!digits()) return false;
    if (q != p_ && *q == '.') {
      ++q;
      if (!digits()) return false;
    }
    if (q != p_ && (*q == 'e' || *q == 'E')) {
      ++q;
      if (q != p_ && (*q == '-' || *q == '+')) ++q;
      if (!digits()) return false;
    }
    if (q != p_) return false;
    if (exact_double(start, p_, out)) return true;
    const auto r = std::from_chars(start, p_, out);
    return r.ec == std::errc() && r.ptr == p_;
  }

 private:
  const char* begin_;
  const char* p_;
  const char* end_;
};

// What a `<value>` holds, its opening tag read.
enum class xml_kind : std::uint8_t { string, integer, double_, boolean, array, other };

// Reads through the opening of the value after `<value>`: a bare string is
// read whole (`text` set, `</value>` taken), a typed scalar up to its text.
ODOOLINK_DETAIL_HOT_INLINE xml_kind xml_value_start(xml_cursor& c, std::string_view& text, bool& in_scratch,
                                                    std::string& scratch) {
  if (c.peek() == '<') {
    text = {};
    in_scratch = false;
  } else {
    if (!c.text(text, in_scratch, scratch)) return xml_kind::other;
    for (const char ch : text)
      if (ch != ' ' && ch != '\n' && ch != '\t') return c.take("</value>") ? xml_kind::string : xml_kind::other;
  }
  // Dispatched on the tag's first letter: one comparison per value, not one per tag tried.
  switch (c.peek(1)) {
    case '/':
      return c.take("</value>") ? xml_kind::string : xml_kind::other;  // blank or empty: a string
    case 's':
      if (!c.take("<string>") || !c.text(text, in_scratch, scratch) || !c.take("</string>") || !c.next("</value>"))
        return xml_kind::other;
      return xml_kind::string;
    case 'i':
      return c.take("<int>") || c.take("<i4>") || c.take("<i8>") ? xml_kind::integer : xml_kind::other;
    case 'd':
      return c.take("<double>") ? xml_kind::double_ : xml_kind::other;
    case 'b':
      return c.take("<boolean>") ? xml_kind::boolean : xml_kind::other;
    case 'a':
      return c.take("<array>") && c.next("<data>") ? xml_kind::array : xml_kind::other;
    default:
      return xml_kind::other;
  }
}

// The closing tags after a typed scalar's text.
inline bool xml_close_integer(xml_cursor& c) noexcept {
  return (c.take("</int>") || c.take("</i4>") || c.take("</i8>")) && c.next("</value>");
}
template <std::size_t N>
bool xml_close(xml_cursor& c, const char (&tag)[N]) noexcept {
  return c.take(tag) && c.next("</value>");
}

// `<boolean>` text through `</value>`: 0 or 1 (Odoo's false and true).
inline bool xml_boolean(xml_cursor& c, bool& out) noexcept {
  if (c.take("0")) out = false;
  else if (c.take("1")) out = true;
  else return false;
  return xml_close(c, "</boolean>");
}

// An integer value through `</value>`, its `<int>` read.
inline bool xml_int_value(xml_cursor& c, std::int64_t& out) noexcept { return c.integer(out) && xml_close_integer(c); }

// A many2one's `[id, name]` after its `<array><data>`; `Name` as in read_many2one.
template <class Name>
bool xml_many2one_pair(xml_cursor& c, std::int64_t& id, Name& name, decode_context& ctx) {
  std::string_view text;
  bool in_scratch = false;
  if (!c.next("<value>") || xml_value_start(c, text, in_scratch, ctx.scratch()) != xml_kind::integer ||
      !xml_int_value(c, id) || !c.next("<value>"))
    return false;
  const xml_kind k = xml_value_start(c, text, in_scratch, ctx.scratch());
  if (k == xml_kind::boolean) {
    bool b = true;
    if (!xml_boolean(c, b) || b) return false;
    if constexpr (!std::same_as<Name, no_name>) name = Name();
  } else if (k == xml_kind::string) {
    if constexpr (std::same_as<Name, std::string_view>) {
      if (in_scratch && !ctx.keeps_storage()) return false;
    }
    if constexpr (!std::same_as<Name, no_name>) {
      if (!from_text(text, in_scratch, name, ctx)) return false;
    }
  } else {
    return false;
  }
  return c.next("</data>") && c.next("</array>") && c.next("</value>");
}

// Ids after an `<array><data>`, each handed to `put`, through `</value>`.
template <class Put>
bool xml_ids(xml_cursor& c, decode_context& ctx, Put&& put) {
  std::string_view text;
  bool in_scratch = false;
  while (c.next("<value>")) {
    std::int64_t id = 0;
    if (xml_value_start(c, text, in_scratch, ctx.scratch()) != xml_kind::integer || !xml_int_value(c, id)) return false;
    put(id);
  }
  return c.take("</data>") && c.next("</array>") && c.next("</value>");
}

template <class I>
bool xml_fits(std::int64_t v) noexcept {
  if constexpr (std::same_as<I, std::int64_t>) return true;
  else
    return v >= static_cast<std::int64_t>(std::numeric_limits<I>::min()) &&
           (v <= 0 || static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(std::numeric_limits<I>::max()));
}

// Reads the value after `<value>` into a member, through `</value>`, as
// read_member would read the JSON the general path makes of it; false
// gives up (never an error in `ctx`).
template <class T>
bool read_xml_member(xml_cursor& c, T& out, decode_context& ctx) {
  using U = typename optional_of<T>::type;
  std::string_view text;
  bool in_scratch = false;
  const xml_kind k = xml_value_start(c, text, in_scratch, ctx.scratch());
  if constexpr (std::same_as<T, bool>) {
    return k == xml_kind::boolean && xml_boolean(c, out);
  } else if constexpr (std::floating_point<T>) {
    double d = 0;
    if (k != xml_kind::double_ || !c.decimal(d) || !xml_close(c, "</double>")) return false;
    out = static_cast<T>(d);
    return true;
  } else if constexpr (integer_member<U>) {
    std::int64_t v = 0;
    bool empty = false;
    if (k == xml_kind::integer) {
      if (!xml_int_value(c, v)) return false;
    } else if (k == xml_kind::boolean) {
      bool b = true;
      if (!xml_boolean(c, b) || b) return false;
      empty = true;
    } else if (k == xml_kind::array) {
      no_name ignored;
      if (!xml_many2one_pair(c, v, ignored, ctx)) return false;
      empty = v == 0;
    } else {
      return false;
    }
    if (!xml_fits<U>(v)) return false;
    if constexpr (optional_of<T>::value) {
      if (empty) out.reset();
      else out = static_cast<U>(v);
    } else {
      out = static_cast<U>(v);
    }
    return true;
  } else if constexpr (many2one_of<T>::value) {
    if (k == xml_kind::array) return xml_many2one_pair(c, out.id, out.name, ctx);
    bool b = true;
    if (k != xml_kind::boolean || !xml_boolean(c, b) || b) return false;
    out.id = 0;
    out.name = {};
    return true;
  } else if constexpr (x2many_of<T>::value) {
    if (k != xml_kind::array) return false;
    out.clear();
    return xml_ids(c, ctx, [&](std::int64_t id) { out.push_back(id); });
  } else if constexpr (std::same_as<T, model::ids_view>) {
    if (k != xml_kind::array || !ctx.keeps_storage()) return false;
    if (!xml_ids(c, ctx, [&](std::int64_t id) { ctx.push_id(id); })) return false;
    out = ctx.close_ids();
    return true;
  } else if constexpr (std::same_as<T, json::value>) {
    return false;  // any JSON value: the general path builds it
  } else {
    if (k == xml_kind::boolean) {
      bool b = true;
      return xml_boolean(c, b) && !b && store_false(out);
    }
    if (k != xml_kind::string) return false;
    if constexpr (std::same_as<U, std::string_view>) {
      if (in_scratch && !ctx.keeps_storage()) return false;
    }
    U value{};
    if constexpr (std::same_as<U, model::date>) {
      if (!fast_date(text, value)) return false;
    } else if constexpr (std::same_as<U, model::datetime>) {
      if (!fast_datetime(text, value)) return false;
    } else {
      if (!from_text(text, in_scratch, value, ctx)) return false;
    }
    out = std::move(value);
    return true;
  }
}

}  // namespace model::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
