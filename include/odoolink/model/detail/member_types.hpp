#pragma once
// Classification of the member types a typed record may declare.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/model/field.hpp"
#include "odoolink/model/selection.hpp"
#include "odoolink/model/types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model::detail {

template <class T>
struct optional_of {
  static constexpr bool value = false;
  using type = T;
};
template <class T>
struct optional_of<std::optional<T>> {
  static constexpr bool value = true;
  using type = T;
};

template <class T>
struct many2one_of {
  static constexpr bool value = false, view = false;
  using target = void;
};
template <class T>
struct many2one_of<model::many2one<T>> {
  static constexpr bool value = true, view = false;
  using target = T;
};
template <class T>
struct many2one_of<model::many2one_view<T>> {
  static constexpr bool value = true, view = true;
  using target = T;
};

template <class T>
struct x2many_of {
  static constexpr bool value = false;
  using target = void;
};
template <class T>
struct x2many_of<model::one2many<T>> {
  static constexpr bool value = true;
  using target = T;
};
template <class T>
struct x2many_of<model::many2many<T>> {
  static constexpr bool value = true;
  using target = T;
};
template <>
struct x2many_of<std::vector<std::int64_t>> {
  static constexpr bool value = true;
  using target = any_model;
};

template <class T>
concept integer_member = integer_value<T>;
template <class T>
concept text_member = std::same_as<T, std::string> || std::same_as<T, std::string_view>;
template <class T>
concept enum_member = selection_enum<T>;

// A scalar that may also be wrapped in std::optional.
template <class T>
constexpr bool is_optional_scalar() {
  using U = typename optional_of<T>::type;
  return integer_member<U> || text_member<U> || enum_member<U> || std::same_as<U, model::date> ||
         std::same_as<U, model::datetime> || std::same_as<U, model::binary>;
}

// Every member type the decoder reads.
template <class T>
constexpr bool is_decodable() {
  return std::same_as<T, bool> || std::floating_point<T> || is_optional_scalar<T>() || many2one_of<T>::value ||
         x2many_of<T>::value || std::same_as<T, model::ids_view> || std::same_as<T, json::value>;
}

// Members that point into the storage of the records they were decoded into.
template <class T>
constexpr bool is_view_member() {
  using U = typename optional_of<T>::type;
  return std::same_as<U, std::string_view> || many2one_of<T>::view || std::same_as<T, model::ids_view>;
}

template <class T, class Target>
constexpr bool same_target() {
  return std::same_as<T, any_model> || std::same_as<Target, any_model> || std::same_as<T, Target>;
}

template <class K>
struct x2many_kind : std::false_type {};
template <class T>
struct x2many_kind<kind::one2many<T>> : std::true_type {};
template <class T>
struct x2many_kind<kind::many2many<T>> : std::true_type {};

template <class K, class T>
struct selection_accepts : std::false_type {};
template <class E, class T>
struct selection_accepts<kind::selection<E>, T>
    : std::bool_constant<std::same_as<typename optional_of<T>::type, E> || text_member<typename optional_of<T>::type>> {};

// Which member types a field of kind K may be bound to.
template <class K, class T>
constexpr bool member_accepts() {
  using U = typename optional_of<T>::type;
  constexpr bool texty = text_member<U>;
  if constexpr (std::same_as<K, kind::any>) return is_decodable<T>();
  else if constexpr (std::same_as<K, kind::boolean>) return std::same_as<T, bool>;
  else if constexpr (std::same_as<K, kind::integer>) return integer_member<U>;
  else if constexpr (std::same_as<K, kind::float_> || std::same_as<K, kind::monetary>) return std::floating_point<T>;
  else if constexpr (kind_traits<K>::textual) return texty;
  else if constexpr (std::same_as<K, kind::date>) return std::same_as<U, model::date> || texty;
  else if constexpr (std::same_as<K, kind::datetime>) return std::same_as<U, model::datetime> || texty;
  else if constexpr (std::same_as<K, kind::binary>) return std::same_as<U, model::binary> || texty;
  else if constexpr (std::same_as<K, kind::raw>) return std::same_as<T, json::value>;
  else if constexpr (kind_traits<K>::relational) {
    using target = typename kind_traits<K>::target;
    if constexpr (x2many_kind<K>::value) {
      if constexpr (x2many_of<T>::value) return same_target<typename x2many_of<T>::target, target>();
      else return std::same_as<T, model::ids_view>;
    } else {
      if constexpr (many2one_of<T>::value) return same_target<typename many2one_of<T>::target, target>();
      else return integer_member<U>;
    }
  } else {
    return selection_accepts<K, T>::value;
  }
}

}  // namespace model::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
