#pragma once
/// @file
/// Typed records ("views"): a struct declares the fields it needs, and the
/// decoder reads exactly those, straight from the response text.
///
/// The quickest form names members after Odoo fields and checks each one
/// against the model's generated descriptor (existence and type):
///
/// ```cpp
/// struct partner_row {
///   std::int64_t id = 0;
///   std::string name;
///   std::optional<std::string> email;
///   model::many2one<models::res_country> country_id;
///   ODOOLINK_VIEW(partner_row, models::res_partner, id, name, email, country_id)
/// };
/// ```
///
/// Without a generated model, `ODOOLINK_FIELDS(partner_row, id, name, email)`
/// binds by name only. Members named differently from their field, or more
/// than 64 members, use the explicit form, which the macros expand to:
///
/// ```cpp
/// struct order_row {
///   std::string reference;
///   model::many2one<models::res_partner> customer;
///   using odoolink_model = models::sale_order;  // optional: ties the view to its model
///   static constexpr auto odoolink_fields() {
///     return model::fields(model::bind<&order_row::reference>(models::sale_order::name),
///                          model::bind<&order_row::customer>(models::sale_order::partner_id));
///   }
/// };
/// ```
///
/// Fields that some servers lack (another Odoo series, a module not
/// installed) can be marked optional: typed reads then leave them out where
/// the server does not have them, and the members stay empty:
///
/// ```cpp
/// struct contact_row {
///   std::int64_t id = 0;
///   std::string name;
///   std::optional<std::string> mobile;  // gone in Odoo 19
///   ODOOLINK_VIEW(contact_row, models::res_partner, id, name, mobile)
///   ODOOLINK_OPTIONAL(mobile)
/// };
/// ```
///
/// (In the explicit form: `model::bind<&row::mobile>(f).optional_field()`.)
/// Every other bound field must exist on the server: see `model::proxy`.
///
/// Member types: see types.hpp. Members of view types (`std::string_view`,
/// `many2one_view`, `ids_view`) borrow from the response; such records are
/// decoded into `records<V>`, which keeps that storage alive.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/model/decode_context.hpp"
#include "odoolink/model/detail/json_cursor.hpp"
#include "odoolink/model/detail/member_types.hpp"
#include "odoolink/model/detail/read_member.hpp"
#include "odoolink/model/detail/write_member.hpp"
#include "odoolink/model/detail/xml_rows.hpp"
#include "odoolink/model/field.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// One member of a typed record bound to one Odoo field: its name and the
/// functions that read it from a response and write it into vals.
/// @par Thread Safety  A literal value type.
template <class R>
struct slot {
  /// Reads the value into the record; on failure records the error in the context and returns false.
  using decode_fn = bool (*)(R&, detail::json_cursor&, decode_context&);
  /// The value as Odoo takes it in `create`/`write` vals; nullopt leaves the
  /// field out (an enum member holding `unknown`, an empty id list).
  using encode_fn = std::optional<json::value> (*)(const R&);
  /// Reads the value of an XML-RPC `<member>` (after its `<value>`) into
  /// the record; false gives up without an error (see detail/xml_rows.hpp).
  using decode_xml_fn = bool (*)(R&, detail::xml_cursor&, decode_context&);

  std::string_view name;   ///< the Odoo field name
  decode_fn decode;        ///< reader
  encode_fn encode;        ///< writer
  bool borrows = false;    ///< the member is a view into the records' storage
  /// The field may be missing on the server (another Odoo series, a module
  /// not installed): typed calls then leave it out and the member stays empty.
  bool optional = false;
  /// Reader of XML-RPC values; null: XML-RPC answers take the general path.
  decode_xml_fn decode_xml = nullptr;

  /// This binding, marked optional (see `optional`).
  [[nodiscard]] constexpr slot optional_field() const noexcept {
    slot s = *this;
    s.optional = true;
    return s;
  }
};

namespace detail {
template <class P>
struct member_pointer;
template <class C, class T>
struct member_pointer<T C::*> {
  using record = C;
  using type = T;
};

template <auto Member, class K>
bool decode_slot(typename member_pointer<decltype(Member)>::record& r, json_cursor& c, decode_context& ctx) {
  return read_member(c, r.*Member, ctx);
}
template <auto Member, class K>
bool decode_xml_slot(typename member_pointer<decltype(Member)>::record& r, xml_cursor& c, decode_context& ctx) {
  return read_xml_member(c, r.*Member, ctx);
}
template <auto Member, class K>
std::optional<json::value> encode_slot(const typename member_pointer<decltype(Member)>::record& r) {
  return member_json<K>(r.*Member);
}
}  // namespace detail

/// Binds the member `Member` (`&S::m`) to the field `f`. Compiles only when
/// the member's type can hold the field's values (see types.hpp).
template <auto Member, class M, class K>
[[nodiscard]] constexpr slot<typename detail::member_pointer<decltype(Member)>::record> bind(const field<M, K>& f) noexcept {
  using T = typename detail::member_pointer<decltype(Member)>::type;
  static_assert(detail::member_accepts<K, T>(),
                "this member type cannot hold the values of this field (see odoolink/model/types.hpp)");
  return {f.name(), &detail::decode_slot<Member, K>, &detail::encode_slot<Member, K>, detail::is_view_member<T>(), false,
          &detail::decode_xml_slot<Member, K>};
}

/// Binds the member `Member` to the field named `odoo_name`, by name only.
template <auto Member>
[[nodiscard]] constexpr slot<typename detail::member_pointer<decltype(Member)>::record> bind(std::string_view odoo_name) noexcept {
  using T = typename detail::member_pointer<decltype(Member)>::type;
  static_assert(detail::is_decodable<T>(), "unsupported member type for an Odoo field (see odoolink/model/types.hpp)");
  return {odoo_name, &detail::decode_slot<Member, kind::any>, &detail::encode_slot<Member, kind::any>,
          detail::is_view_member<T>(), false, &detail::decode_xml_slot<Member, kind::any>};
}

/// The bindings of a typed record, in declaration order.
template <class R, class... More>
[[nodiscard]] constexpr std::array<slot<R>, 1 + sizeof...(More)> fields(slot<R> first, More... more) noexcept {
  static_assert((std::is_same_v<More, slot<R>> && ...), "all bindings must be members of the same struct");
  return {first, more...};
}

/// A struct usable as a typed record: it declares `odoolink_fields()`.
template <class V>
concept view = requires {
  { V::odoolink_fields() };
  { V::odoolink_fields().size() } -> std::convertible_to<std::size_t>;
} && std::is_default_constructible_v<V>;

namespace detail {
// A field name and its closing quote as two masked little-endian words, so a
// key in the response compares in two loads instead of a memcmp call (the
// response buffer is padded, so reading 16 bytes past a key start is safe).
struct key_pattern {
  std::uint64_t word[2] = {0, 0};
  std::uint64_t mask[2] = {0, 0};
  bool fast = false;
  std::string_view name;
};

constexpr key_pattern make_key_pattern(std::string_view name) {
  key_pattern p;
  p.name = name;
  p.fast = std::endian::native == std::endian::little && name.size() + 1 <= 16;
  if (!p.fast) return p;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    const auto byte = static_cast<std::uint64_t>(static_cast<unsigned char>(i < name.size() ? name[i] : '"'));
    p.word[i / 8] |= byte << (8 * (i % 8));
    p.mask[i / 8] |= std::uint64_t{0xFF} << (8 * (i % 8));
  }
  return p;
}

// `raw` points just after the opening quote of a key in a padded buffer.
ODOOLINK_DETAIL_HOT_INLINE bool key_equals(const char* raw, const key_pattern& p) noexcept {
  if (p.fast) {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::memcpy(&a, raw, 8);
    std::memcpy(&b, raw + 8, 8);
    return ((a & p.mask[0]) == p.word[0]) & ((b & p.mask[1]) == p.word[1]);
  }
  return raw[p.name.size()] == '"' && std::memcmp(raw, p.name.data(), p.name.size()) == 0;
}

// A key expected at some position of a record, and the binding it fills.
struct wire_key {
  key_pattern pattern;
  std::size_t slot = 0;
};

template <class V>
struct model_of_view {
  using type = any_model;
};
template <class V>
  requires requires { typename V::odoolink_model; }
struct model_of_view<V> {
  using type = typename V::odoolink_model;
};

template <class V>
constexpr bool all_optional() {
  if constexpr (requires { V::odoolink_all_optional; }) return V::odoolink_all_optional;
  else return false;
}
template <class V>
constexpr auto optional_names() {
  if constexpr (requires { V::odoolink_optional_fields(); }) return V::odoolink_optional_fields();
  else return std::array<std::string_view, 0>{};
}

template <std::size_t N, class R>
constexpr bool names_unique(const std::array<slot<R>, N>& s) {
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = i + 1; j < N; ++j)
      if (s[i].name == s[j].name) return false;
  return true;
}
}  // namespace detail

/// What the decoder and the proxies know about a typed record `V`.
template <view V>
struct view_traits {
  /// The bindings.
  static constexpr auto slots = V::odoolink_fields();
  /// Number of bound fields.
  static constexpr std::size_t size = slots.size();
  /// The model the view belongs to (`any_model` when it was bound by name only).
  using model_type = typename detail::model_of_view<V>::type;
  static_assert(detail::names_unique(slots), "a typed record binds the same Odoo field twice");

  /// Per binding: true when the field may be missing on the server (the
  /// binding's `optional`, a name listed by `ODOOLINK_OPTIONAL`, or every
  /// field of a generated full record, whose `odoolink_all_optional` is true).
  static constexpr std::array<bool, size> optional = [] {
    std::array<bool, size> out{};
    constexpr auto listed = detail::optional_names<V>();
    for (std::size_t i = 0; i < size; ++i) {
      out[i] = slots[i].optional || (detail::all_optional<V>() && slots[i].name != "id");
      for (const auto& n : listed)
        if (n == slots[i].name) out[i] = true;
    }
    return out;
  }();
  static_assert([] {
    for (const auto& n : detail::optional_names<V>()) {
      bool bound = false;
      for (const auto& s : slots) bound = bound || s.name == n;
      if (!bound) return false;
    }
    return true;
  }(), "ODOOLINK_OPTIONAL names a field the typed record does not bind");
  /// The bound field names, in declaration order.
  static constexpr std::array<std::string_view, size> names = [] {
    std::array<std::string_view, size> out{};
    for (std::size_t i = 0; i < size; ++i) out[i] = slots[i].name;
    return out;
  }();

  /// Index of the `id` binding, or `size` when there is none.
  static constexpr std::size_t id_index = [] {
    for (std::size_t i = 0; i < size; ++i)
      if (slots[i].name == "id") return i;
    return size;
  }();
  /// True when some member borrows from the response (decoded into `records<V>`).
  static constexpr bool borrows = [] {
    for (const auto& s : slots)
      if (s.borrows) return true;
    return false;
  }();
  /// The order Odoo sends the fields in: `id` first, then as requested.
  static constexpr std::array<std::size_t, size> wire_order = [] {
    std::array<std::size_t, size> order{};
    std::size_t n = 0;
    if (id_index != size) order[n++] = id_index;
    for (std::size_t i = 0; i < size; ++i)
      if (i != id_index) order[n++] = i;
    return order;
  }();
  /// The binding names in wire order, as patterns for fast key comparison
  /// (the pattern and its slot in one table: one load per predicted key).
  static constexpr std::array<detail::wire_key, size> wire_keys = [] {
    std::array<detail::wire_key, size> keys{};
    for (std::size_t p = 0; p < size; ++p) keys[p] = {detail::make_key_pattern(slots[wire_order[p]].name), wire_order[p]};
    return keys;
  }();
  /// Position of each binding in `wire_order`.
  static constexpr std::array<std::size_t, size> wire_position = [] {
    std::array<std::size_t, size> pos{};
    for (std::size_t p = 0; p < size; ++p) pos[wire_order[p]] = p;
    return pos;
  }();

  /// The `fields` argument of `read`/`search_read`: every bound field but `id`
  /// (which Odoo always sends), in declaration order.
  [[nodiscard]] static json::array field_names() {
    json::array names;
    names.reserve(size);
    for (const auto& s : slots)
      if (s.name != "id") names.emplace_back(s.name);
    return names;
  }
  /// True when `V` binds the field `name`.
  [[nodiscard]] static constexpr bool binds(std::string_view name) noexcept {
    for (const auto& s : slots)
      if (s.name == name) return true;
    return false;
  }
};

/// The vals object that writes the members of `row`: for `create` and
/// `write` from a typed record. Left out: `id`, x2many members with no ids,
/// and selection members holding `unknown` (writing them back would lose the
/// server's value). Non-empty x2many members become a `[6, 0, ids]` (replace)
/// command; empty optionals and many2ones become `false`.
template <view V>
[[nodiscard]] json::value to_vals(const V& row) {
  json::object vals;
  vals.reserve(view_traits<V>::size);
  for (const auto& s : view_traits<V>::slots) {
    if (s.name == "id") continue;
    if (auto v = s.encode(row)) vals.emplace_back(std::string(s.name), std::move(*v));
  }
  return vals;
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink

/// Declares the Odoo fields of a typed record: each listed member is bound to
/// the field of the same name of `Model` (a generated model type), checked at
/// compile time. Place it inside the struct, after the members.
#define ODOOLINK_VIEW(Type, Model, ...)                                                       \
  using odoolink_model = Model;                                                               \
  static constexpr auto odoolink_fields() {                                                   \
    return ::odoolink::model::fields(ODOOLINK_DETAIL_MAP(ODOOLINK_DETAIL_BIND_FIELD, Type, __VA_ARGS__)); \
  }

/// Declares the Odoo fields of a typed record by name only: each listed
/// member is bound to the Odoo field of the same name. Place it inside the
/// struct, after the members.
#define ODOOLINK_FIELDS(Type, ...)                                                            \
  static constexpr auto odoolink_fields() {                                                   \
    return ::odoolink::model::fields(ODOOLINK_DETAIL_MAP(ODOOLINK_DETAIL_BIND_NAME, Type, __VA_ARGS__)); \
  }

/// Marks fields of a typed record as optional on the server: where the
/// server's model lacks one (another Odoo series, a module not installed),
/// typed calls leave it out and the member stays empty instead of failing.
/// Place it inside the struct, after `ODOOLINK_VIEW`/`ODOOLINK_FIELDS`.
#define ODOOLINK_OPTIONAL(...)                                                                 \
  static constexpr auto odoolink_optional_fields() {                                          \
    return ::std::array{ODOOLINK_DETAIL_MAP(ODOOLINK_DETAIL_NAME_OF, _, __VA_ARGS__)};         \
  }

#define ODOOLINK_DETAIL_NAME_OF(ignored, member) ::std::string_view(#member)
#define ODOOLINK_DETAIL_BIND_FIELD(Type, member) ::odoolink::model::bind<&Type::member>(odoolink_model::member)
#define ODOOLINK_DETAIL_BIND_NAME(Type, member) ::odoolink::model::bind<&Type::member>(#member)
#define ODOOLINK_DETAIL_NARGS(...) ODOOLINK_DETAIL_NARGS_(__VA_ARGS__, 64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
#define ODOOLINK_DETAIL_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, _33, _34, _35, _36, _37, _38, _39, _40, _41, _42, _43, _44, _45, _46, _47, _48, _49, _50, _51, _52, _53, _54, _55, _56, _57, _58, _59, _60, _61, _62, _63, _64, N, ...) N
#define ODOOLINK_DETAIL_MAP(f, ctx, ...) ODOOLINK_DETAIL_CAT(ODOOLINK_DETAIL_MAP_, ODOOLINK_DETAIL_NARGS(__VA_ARGS__))(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_1(f, ctx, x) f(ctx, x)
#define ODOOLINK_DETAIL_MAP_2(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_1(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_3(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_2(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_4(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_3(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_5(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_4(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_6(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_5(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_7(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_6(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_8(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_7(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_9(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_8(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_10(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_9(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_11(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_10(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_12(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_11(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_13(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_12(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_14(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_13(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_15(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_14(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_16(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_15(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_17(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_16(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_18(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_17(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_19(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_18(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_20(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_19(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_21(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_20(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_22(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_21(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_23(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_22(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_24(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_23(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_25(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_24(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_26(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_25(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_27(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_26(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_28(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_27(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_29(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_28(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_30(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_29(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_31(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_30(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_32(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_31(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_33(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_32(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_34(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_33(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_35(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_34(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_36(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_35(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_37(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_36(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_38(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_37(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_39(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_38(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_40(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_39(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_41(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_40(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_42(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_41(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_43(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_42(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_44(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_43(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_45(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_44(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_46(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_45(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_47(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_46(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_48(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_47(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_49(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_48(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_50(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_49(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_51(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_50(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_52(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_51(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_53(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_52(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_54(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_53(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_55(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_54(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_56(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_55(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_57(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_56(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_58(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_57(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_59(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_58(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_60(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_59(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_61(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_60(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_62(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_61(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_63(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_62(f, ctx, __VA_ARGS__)
#define ODOOLINK_DETAIL_MAP_64(f, ctx, x, ...) f(ctx, x), ODOOLINK_DETAIL_MAP_63(f, ctx, __VA_ARGS__)
