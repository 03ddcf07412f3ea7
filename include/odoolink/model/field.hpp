#pragma once
/// @file
/// Field descriptors and the typed domain DSL.
///
/// A field descriptor `field<M, K>` names a field of model `M` whose Odoo type
/// is the kind `K` (`kind::char_`, `kind::many2one<res_country>`, ...).
/// Generated model headers declare one per field
/// (`models::res_partner::name`); application code can declare its own:
/// `constexpr model::field<my_model, model::kind::integer> x_rank{"x_rank"};`.
///
/// Operators on descriptors build `expr<M>` domains, and only accept values of
/// the field's type, so a wrong type is a compile error:
///
/// | operation                                 | Odoo leaf                        | kinds |
/// |-------------------------------------------|----------------------------------|-------|
/// | `f == v`, `f != v`                        | `[f, "=", v]`, `[f, "!=", v]`    | all but binary, raw |
/// | `f < v`, `<=`, `>`, `>=`                  | `[f, "<", v]` ...                | integer, float, monetary, char, text, html, date, datetime |
/// | `f == model::unset`, `f.is_unset()`       | `[f, "=", false]`                | all but boolean |
/// | `f.in({...})`, `f.not_in({...})`          | `[f, "in", [...]]`               | all with values |
/// | `f.like(s)`, `ilike`, `not_like`, `not_ilike` | `[f, "like", s]` ...         | text kinds, many2one, x2many (display name) |
/// | `f.like_pattern(p)`, `f.ilike_pattern(p)` | `[f, "=like", p]`, `"=ilike"`    | text kinds |
/// | `f.child_of(id)`, `f.parent_of(id)`       | `[f, "child_of", id]` ...        | many2one, x2many, integer |
/// | `f.any(e)`, `f.not_any(e)`                | `[f, "any", e]` ...              | many2one, x2many (e on the related model) |
/// | `f.dot(g)`                                | the path `"f.g"`                 | many2one, x2many (g of the related model) |
///
/// Values: many2one and x2many compare with record ids; selections with their
/// enum; dates with `model::date`; datetimes with `std::chrono::sys_time`
/// (sent as UTC `YYYY-MM-DD HH:MM:SS`).

#include <chrono>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "odoolink/config.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/model/domain.hpp"
#include "odoolink/model/selection.hpp"
#include "odoolink/model/types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// Kinds of fields: one tag type per Odoo field type.
namespace kind {
struct boolean {};        ///< `boolean`
struct integer {};        ///< `integer` (and `id`)
struct float_ {};         ///< `float`
struct monetary {};       ///< `monetary`: see `model::monetary`
struct char_ {};          ///< `char`
struct text {};           ///< `text`
struct html {};           ///< `html`
struct selection_text {};  ///< `selection` kept as its string (large or non-identifier value sets)
template <class E>
struct selection {};      ///< `selection` read as the enum `E`
struct date {};           ///< `date`
struct datetime {};       ///< `datetime` (UTC)
struct binary {};         ///< `binary` (base64)
template <class T>
struct many2one {};       ///< `many2one` to model `T`
template <class T>
struct one2many {};       ///< `one2many` of model `T`
template <class T>
struct many2many {};      ///< `many2many` of model `T`
struct raw {};            ///< anything else (`json`, `properties`, `reference`, ...): a `json::value`
struct any {};            ///< untyped (a field bound by name only)
}  // namespace kind

namespace detail {
template <class K>
struct kind_traits {
  static constexpr bool ordered = false, textual = false, relational = false, hierarchical = false, has_values = true;
  using target = void;
};
template <>
struct kind_traits<kind::integer> {
  static constexpr bool ordered = true, textual = false, relational = false, hierarchical = true, has_values = true;
  using target = void;
};
template <class K>
struct ordered_kind_traits {
  static constexpr bool ordered = true, textual = false, relational = false, hierarchical = false, has_values = true;
  using target = void;
};
template <> struct kind_traits<kind::float_> : ordered_kind_traits<kind::float_> {};
template <> struct kind_traits<kind::monetary> : ordered_kind_traits<kind::monetary> {};
template <> struct kind_traits<kind::date> : ordered_kind_traits<kind::date> {};
template <> struct kind_traits<kind::datetime> : ordered_kind_traits<kind::datetime> {};
template <class K>
struct text_kind_traits {
  static constexpr bool ordered = true, textual = true, relational = false, hierarchical = false, has_values = true;
  using target = void;
};
template <> struct kind_traits<kind::char_> : text_kind_traits<kind::char_> {};
template <> struct kind_traits<kind::text> : text_kind_traits<kind::text> {};
template <> struct kind_traits<kind::html> : text_kind_traits<kind::html> {};
template <> struct kind_traits<kind::selection_text> : text_kind_traits<kind::selection_text> {};
template <>
struct kind_traits<kind::binary> {
  static constexpr bool ordered = false, textual = false, relational = false, hierarchical = false, has_values = false;
  using target = void;
};
template <>
struct kind_traits<kind::raw> : kind_traits<kind::binary> {};
template <class T>
struct relational_kind_traits {
  static constexpr bool ordered = false, textual = false, relational = true, hierarchical = true, has_values = true;
  using target = T;
};
template <class T> struct kind_traits<kind::many2one<T>> : relational_kind_traits<T> {};
template <class T> struct kind_traits<kind::one2many<T>> : relational_kind_traits<T> {};
template <class T> struct kind_traits<kind::many2many<T>> : relational_kind_traits<T> {};

template <class V>
using plain_t = std::remove_cvref_t<V>;

template <class V>
concept integer_value = std::integral<plain_t<V>> && !std::same_as<plain_t<V>, bool> &&
                        !std::same_as<plain_t<V>, char> && !std::same_as<plain_t<V>, char8_t> &&
                        !std::same_as<plain_t<V>, char16_t> && !std::same_as<plain_t<V>, char32_t> &&
                        !std::same_as<plain_t<V>, wchar_t>;
template <class V>
concept number_value = integer_value<V> || std::floating_point<plain_t<V>>;
template <class V>
concept text_value = std::convertible_to<const V&, std::string_view> && !std::is_null_pointer_v<plain_t<V>>;

template <class V>
struct is_sys_time : std::false_type {};
template <class D>
struct is_sys_time<std::chrono::sys_time<D>> : std::true_type {};

template <class T>
struct is_many2one_value : std::false_type {};
template <class T>
struct is_many2one_value<model::many2one<T>> : std::true_type {};
template <class T>
struct is_many2one_value<model::many2one_view<T>> : std::true_type {};

// A many2one value's model must be the relation's (either side may be
// untyped): `many2one<res_company>` is no value for `res_partner::parent_id`.
template <class V, class Target>
struct many2one_value_for : std::false_type {};
template <template <class> class R, class T, class Target>
  requires is_many2one_value<R<T>>::value
struct many2one_value_for<R<T>, Target>
    : std::bool_constant<std::same_as<T, any_model> || std::same_as<Target, any_model> || std::same_as<T, Target>> {};

/// Whether `V` is a value of a field of kind `K` (in domains and writes).
template <class K, class V>
constexpr bool is_value_for() {
  using P = plain_t<V>;
  if constexpr (std::same_as<K, kind::boolean>) return std::same_as<P, bool>;
  else if constexpr (std::same_as<K, kind::integer>) return integer_value<V>;
  else if constexpr (std::same_as<K, kind::float_> || std::same_as<K, kind::monetary>) return number_value<V>;
  else if constexpr (kind_traits<K>::textual) return text_value<V>;
  else if constexpr (std::same_as<K, kind::date>) return std::same_as<P, model::date> || std::same_as<P, std::chrono::sys_days>;
  else if constexpr (std::same_as<K, kind::datetime>) return is_sys_time<P>::value;
  else if constexpr (kind_traits<K>::relational) return integer_value<V> || many2one_value_for<P, typename kind_traits<K>::target>::value;
  else return false;
}
template <class K, class V>
struct selection_value : std::false_type {};
template <class E, class V>
struct selection_value<kind::selection<E>, V> : std::bool_constant<std::same_as<plain_t<V>, E>> {};
template <class K, class V>
concept value_for = is_value_for<K, V>() || selection_value<K, V>::value;

inline void put_digits(std::string& out, long long value, int width) {
  char buf[24];
  int n = 0;
  const bool negative = value < 0;
  unsigned long long u = negative ? 0ULL - static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value);
  do {
    buf[n++] = static_cast<char>('0' + u % 10U);
    u /= 10U;
  } while (u != 0 || n < width);
  if (negative) out.push_back('-');
  while (n > 0) out.push_back(buf[--n]);
}

/// `YYYY-MM-DD` (never fails; days outside Odoo's range give text Odoo refuses).
inline std::string date_text(model::date d) {
  std::string out;
  out.reserve(10);
  put_digits(out, static_cast<int>(d.year()), 4);
  out.push_back('-');
  put_digits(out, static_cast<unsigned>(d.month()), 2);
  out.push_back('-');
  put_digits(out, static_cast<unsigned>(d.day()), 2);
  return out;
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, truncated to the second.
template <class D>
std::string datetime_text(std::chrono::sys_time<D> t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  std::string out = date_text(model::date(day));
  const auto s = (seconds - day).count();
  out.push_back(' ');
  put_digits(out, s / 3600, 2);
  out.push_back(':');
  put_digits(out, s / 60 % 60, 2);
  out.push_back(':');
  put_digits(out, s % 60, 2);
  return out;
}

/// The JSON form of a value of kind `K` (precondition: `value_for<K, V>`).
template <class K, class V>
json::value value_json(const V& v) {
  using P = plain_t<V>;
  if constexpr (std::same_as<P, unset_t>) return false;
  else if constexpr (std::same_as<P, bool>) return v;
  else if constexpr (std::floating_point<P>) return static_cast<double>(v);  // integers stay integers, as written
  else if constexpr (std::same_as<K, kind::date>) return date_text(model::date(v));
  else if constexpr (std::same_as<K, kind::datetime>) return datetime_text(v);
  else if constexpr (integer_value<V>) return static_cast<std::int64_t>(v);
  else if constexpr (is_many2one_value<P>::value) return v.id == 0 ? json::value(false) : json::value(v.id);
  else if constexpr (std::is_enum_v<P>) return std::string(to_string(v));
  else return std::string(std::string_view(v));
}
}  // namespace detail

template <class M, class K>
class field;
template <class M, class K>
class path;

/// The operations every field reference (descriptor or dotted path) offers.
/// `Derived` provides `name()`.
/// @par Thread Safety  A value type.
template <class Derived, class M, class K>
class field_ops {
 private:
  // The value type of an initializer list for `in` / `not in`.
  template <class Kind>
  struct value_of {
    using type = std::int64_t;
  };
  template <class E>
  struct value_of<kind::selection<E>> {
    using type = E;
  };
  static constexpr bool matchable = detail::kind_traits<K>::textual || detail::kind_traits<K>::relational ||
                                    std::same_as<K, kind::any>;

 public:
  /// The element type of `in({...})` for this kind.
  using default_value = std::conditional_t<
      std::same_as<K, kind::boolean>, bool,
      std::conditional_t<std::same_as<K, kind::float_> || std::same_as<K, kind::monetary>, double,
                         std::conditional_t<detail::kind_traits<K>::textual, std::string_view,
                                            std::conditional_t<std::same_as<K, kind::date>, model::date,
                                                               std::conditional_t<std::same_as<K, kind::datetime>, model::datetime,
                                                                                  typename value_of<K>::type>>>>>;

 public:
  using model_type = M;  ///< the model the field belongs to
  using kind_type = K;   ///< the field's kind

  /// `[f, "in", [values...]]`.
  [[nodiscard]] expr<M> in(std::initializer_list<default_value> values) const
    requires detail::kind_traits<K>::has_values
  {
    return list_leaf("in", values);
  }
  /// `[f, "in", [values...]]` from any range of values.
  template <std::ranges::input_range R>
  [[nodiscard]] expr<M> in(const R& values) const
    requires detail::value_for<K, std::ranges::range_value_t<R>>
  {
    return list_leaf("in", values);
  }
  /// `[f, "not in", [values...]]`.
  [[nodiscard]] expr<M> not_in(std::initializer_list<default_value> values) const
    requires detail::kind_traits<K>::has_values
  {
    return list_leaf("not in", values);
  }
  /// `[f, "not in", [values...]]` from any range of values.
  template <std::ranges::input_range R>
  [[nodiscard]] expr<M> not_in(const R& values) const
    requires detail::value_for<K, std::ranges::range_value_t<R>>
  {
    return list_leaf("not in", values);
  }

  /// `[f, "like", s]`: case-sensitive substring match.
  [[nodiscard]] expr<M> like(std::string_view s) const requires(matchable) { return leaf("like", std::string(s)); }
  /// `[f, "ilike", s]`: case-insensitive substring match.
  [[nodiscard]] expr<M> ilike(std::string_view s) const requires(matchable) { return leaf("ilike", std::string(s)); }
  /// `[f, "not like", s]`.
  [[nodiscard]] expr<M> not_like(std::string_view s) const requires(matchable) { return leaf("not like", std::string(s)); }
  /// `[f, "not ilike", s]`.
  [[nodiscard]] expr<M> not_ilike(std::string_view s) const requires(matchable) { return leaf("not ilike", std::string(s)); }
  /// `[f, "=like", p]`: the SQL pattern `p` (`_` one character, `%` any), case-sensitive.
  [[nodiscard]] expr<M> like_pattern(std::string_view p) const requires(detail::kind_traits<K>::textual || std::same_as<K, kind::any>) {
    return leaf("=like", std::string(p));
  }
  /// `[f, "=ilike", p]`: the SQL pattern `p`, case-insensitive.
  [[nodiscard]] expr<M> ilike_pattern(std::string_view p) const requires(detail::kind_traits<K>::textual || std::same_as<K, kind::any>) {
    return leaf("=ilike", std::string(p));
  }

  /// `[f, "child_of", id]`: records below `id` in the hierarchy (itself included).
  [[nodiscard]] expr<M> child_of(std::int64_t id) const requires(detail::kind_traits<K>::hierarchical) { return leaf("child_of", id); }
  /// `[f, "child_of", [ids]]`.
  [[nodiscard]] expr<M> child_of(std::initializer_list<std::int64_t> ids) const requires(detail::kind_traits<K>::hierarchical) {
    return list_leaf("child_of", ids);
  }
  /// `[f, "parent_of", id]`: records above `id` in the hierarchy (itself included).
  [[nodiscard]] expr<M> parent_of(std::int64_t id) const requires(detail::kind_traits<K>::hierarchical) { return leaf("parent_of", id); }
  /// `[f, "parent_of", [ids]]`.
  [[nodiscard]] expr<M> parent_of(std::initializer_list<std::int64_t> ids) const requires(detail::kind_traits<K>::hierarchical) {
    return list_leaf("parent_of", ids);
  }

  /// `[f, "any", domain]`: some related record matches `e` (Odoo 17+).
  template <class T>
  [[nodiscard]] expr<M> any(const expr<T>& e) const
    requires(detail::kind_traits<K>::relational && std::same_as<T, typename detail::kind_traits<K>::target>)
  {
    return leaf("any", e.to_json());
  }
  /// `[f, "not any", domain]`: no related record matches `e` (Odoo 17+).
  template <class T>
  [[nodiscard]] expr<M> not_any(const expr<T>& e) const
    requires(detail::kind_traits<K>::relational && std::same_as<T, typename detail::kind_traits<K>::target>)
  {
    return leaf("not any", e.to_json());
  }

  /// `[f, "!=", false]`: the field holds a value.
  [[nodiscard]] expr<M> is_set() const requires(!std::same_as<K, kind::boolean>) { return leaf("!=", false); }
  /// `[f, "=", false]`: the field is empty.
  [[nodiscard]] expr<M> is_unset() const requires(!std::same_as<K, kind::boolean>) { return leaf("=", false); }

  /// The dotted path `f.g` through the relation, typed as `g`.
  template <class Next>
  [[nodiscard]] path<M, typename Next::kind_type> dot(const Next& next) const
    requires(detail::kind_traits<K>::relational &&
             std::same_as<typename Next::model_type, typename detail::kind_traits<K>::target>)
  {
    std::string p(self().name());
    p.push_back('.');
    p.append(next.name());
    return path<M, typename Next::kind_type>(std::move(p));
  }

  /// A leaf with this field's path and any operator and value, unchecked.
  [[nodiscard]] expr<M> leaf(std::string_view op, json::value value) const {
    return expr<M>::leaf(std::string(self().name()), std::string(op), std::move(value));
  }

 private:
  const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }

  template <class Range>
  expr<M> list_leaf(const char* op, const Range& values) const {
    json::array items;
    for (const auto& v : values) {
      if constexpr (std::same_as<K, kind::any>) items.emplace_back(json::value(v));
      else items.push_back(detail::value_json<K>(v));
    }
    return leaf(op, std::move(items));
  }
};

/// A field of model `M` of kind `K`, by its Odoo name. A literal type: model
/// headers declare descriptors as `static constexpr` members.
/// @par Thread Safety  A value type.
template <class M, class K>
class field : public field_ops<field<M, K>, M, K> {
 public:
  /// The field named `odoo_name` (the technical name, e.g. `partner_id`).
  constexpr explicit field(std::string_view odoo_name) noexcept : name_(odoo_name) {}
  /// The Odoo field name.
  [[nodiscard]] constexpr std::string_view name() const noexcept { return name_; }

 private:
  std::string_view name_;
};

/// A dotted path from model `M` through relations to a field of kind `K`,
/// made by `field::dot`.
/// @par Thread Safety  A value type.
template <class M, class K>
class path : public field_ops<path<M, K>, M, K> {
 public:
  /// The path `p` (dot-separated field names), unchecked.
  explicit path(std::string p) : name_(std::move(p)) {}
  /// The dotted path.
  [[nodiscard]] std::string_view name() const noexcept { return name_; }

 private:
  std::string name_;
};

/// A field descriptor or path.
template <class F>
concept field_ref = requires(const F& f) {
  typename F::model_type;
  typename F::kind_type;
  { f.name() } -> std::convertible_to<std::string_view>;
} && std::derived_from<F, field_ops<F, typename F::model_type, typename F::kind_type>>;

namespace detail {
template <class F, class V>
concept comparable_to = field_ref<F> && (value_for<typename F::kind_type, V> ||
                                         (std::same_as<typename F::kind_type, kind::any> && std::constructible_from<json::value, V>));
template <class F, class V>
concept ordered_against = comparable_to<F, V> && (kind_traits<typename F::kind_type>::ordered ||
                                                  std::same_as<typename F::kind_type, kind::any>);
template <class F, class V>
json::value leaf_value(const V& v) {
  if constexpr (std::same_as<typename F::kind_type, kind::any>) return json::value(v);
  else return value_json<typename F::kind_type>(v);
}
template <class F>
concept unsettable = field_ref<F> && !std::same_as<typename F::kind_type, kind::boolean>;
}  // namespace detail

/// `[f, "=", v]`.
template <class F, class V>
  requires detail::comparable_to<F, V>
[[nodiscard]] expr<typename F::model_type> operator==(const F& f, const V& v) {
  return f.leaf("=", detail::leaf_value<F>(v));
}
/// `[f, "!=", v]`.
template <class F, class V>
  requires detail::comparable_to<F, V>
[[nodiscard]] expr<typename F::model_type> operator!=(const F& f, const V& v) {
  return f.leaf("!=", detail::leaf_value<F>(v));
}
/// `[f, "=", false]`: the field is empty.
template <class F>
  requires detail::unsettable<F>
[[nodiscard]] expr<typename F::model_type> operator==(const F& f, unset_t /*unused*/) {
  return f.is_unset();
}
/// `[f, "!=", false]`: the field holds a value.
template <class F>
  requires detail::unsettable<F>
[[nodiscard]] expr<typename F::model_type> operator!=(const F& f, unset_t /*unused*/) {
  return f.is_set();
}
/// `[f, "<", v]`.
template <class F, class V>
  requires detail::ordered_against<F, V>
[[nodiscard]] expr<typename F::model_type> operator<(const F& f, const V& v) {
  return f.leaf("<", detail::leaf_value<F>(v));
}
/// `[f, "<=", v]`.
template <class F, class V>
  requires detail::ordered_against<F, V>
[[nodiscard]] expr<typename F::model_type> operator<=(const F& f, const V& v) {
  return f.leaf("<=", detail::leaf_value<F>(v));
}
/// `[f, ">", v]`.
template <class F, class V>
  requires detail::ordered_against<F, V>
[[nodiscard]] expr<typename F::model_type> operator>(const F& f, const V& v) {
  return f.leaf(">", detail::leaf_value<F>(v));
}
/// `[f, ">=", v]`.
template <class F, class V>
  requires detail::ordered_against<F, V>
[[nodiscard]] expr<typename F::model_type> operator>=(const F& f, const V& v) {
  return f.leaf(">=", detail::leaf_value<F>(v));
}

/// An untyped field of model `M` by name, for fields without a descriptor
/// (custom `x_` fields on a generated model): values are not checked.
template <class M = any_model>
[[nodiscard]] path<M, kind::any> field_named(std::string name) {
  return path<M, kind::any>(std::move(name));
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
