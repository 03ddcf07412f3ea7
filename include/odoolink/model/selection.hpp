#pragma once
/// @file
/// Selection fields as C++ enums, with the round trip to Odoo's strings.
///
/// An enum takes part when it has an `unknown` enumerator (for values the
/// server sends that the enum does not list — a module installed later, a
/// customisation) and an `odoo_selection(E)` function found by argument
/// dependent lookup that lists its values:
///
/// ```cpp
/// enum class order_state { unknown, draft, sale, cancel };
/// constexpr auto odoo_selection(order_state) noexcept {
///   using model::selection_entry;
///   return std::array{selection_entry{order_state::draft, "draft"},
///                     selection_entry{order_state::sale, "sale"},
///                     selection_entry{order_state::cancel, "cancel"}};
/// }
/// ```
///
/// Generated model headers declare one such enum per selection field.

#include <array>
#include <concepts>
#include <string_view>
#include <type_traits>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// One value of a selection: the enumerator and Odoo's string for it.
template <class E>
struct selection_entry {
  E value;                ///< the enumerator
  std::string_view text;  ///< Odoo's value (not the label)
};
template <class E>
selection_entry(E, const char*) -> selection_entry<E>;

/// An enum usable as a selection (see the file comment).
template <class E>
concept selection_enum = std::is_enum_v<E> && requires(E e) {
  { E::unknown };
  { odoo_selection(e) };
  { odoo_selection(e).size() } -> std::convertible_to<std::size_t>;
};

/// Odoo's string for `v`; the empty string for `E::unknown`.
/// @par Thread Safety  Pure function.
template <selection_enum E>
[[nodiscard]] constexpr std::string_view to_string(E v) noexcept {
  for (const auto& entry : odoo_selection(E{}))
    if (entry.value == v) return entry.text;
  return {};
}

/// The enumerator for Odoo's string `text`; `E::unknown` when the enum does
/// not list it.
/// @par Thread Safety  Pure function.
template <selection_enum E>
[[nodiscard]] constexpr E from_string(std::string_view text) noexcept {
  for (const auto& entry : odoo_selection(E{}))
    if (entry.text == text) return entry.value;
  return E::unknown;
}

/// True when `text` is one of the values `E` lists.
/// @par Thread Safety  Pure function.
template <selection_enum E>
[[nodiscard]] constexpr bool is_listed(std::string_view text) noexcept {
  for (const auto& entry : odoo_selection(E{}))
    if (entry.text == text) return true;
  return false;
}

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
