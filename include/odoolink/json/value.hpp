#pragma once
/// @file
/// `json::value`: an owning JSON value used to build call arguments (domains,
/// vals, kwargs) and to compare documents in tests. Objects keep their key
/// order, and duplicate keys, exactly as written or received.
///
/// Hot paths (decoding large results) do not go through this type; they read
/// simdjson on-demand values directly (see odoolink/json/odoo.hpp).

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace json {

class value;
/// A JSON array.
using array = std::vector<value>;
/// One member of a JSON object: key and value.
using member = std::pair<std::string, value>;
/// A JSON object: members in document order, duplicates kept.
using object = std::vector<member>;

/// The kinds a `value` can hold.
enum class kind { null, boolean, integer, number, string, array, object };

namespace detail {
/// Integer types a `value` stores as `kind::integer`: every integral type but
/// `bool` and the character types (a `char` is text, not a number).
template <class I>
inline constexpr bool is_json_integer_v =
    std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char> &&
    !std::is_same_v<I, wchar_t> && !std::is_same_v<I, char8_t> && !std::is_same_v<I, char16_t> &&
    !std::is_same_v<I, char32_t>;
}  // namespace detail

/// An owning JSON value.
///
/// Integers are held as `std::int64_t`; an unsigned argument above INT64_MAX
/// wraps (Odoo has no such values: ids and integer fields are signed).
/// @par Thread Safety  A value type; distinct objects are independent.
class value {
 public:
  /// `null`.
  value() noexcept = default;
  value(std::nullptr_t) noexcept {}                                          // NOLINT
  value(bool b) noexcept : v_(b) {}                                          // NOLINT
  template <class I, std::enable_if_t<detail::is_json_integer_v<I>, int> = 0>
  value(I i) noexcept : v_(static_cast<std::int64_t>(i)) {}                  // NOLINT
  value(double d) noexcept : v_(d) {}                                        // NOLINT
  value(const char* s) : v_(std::string(s)) {}                               // NOLINT
  value(std::string s) noexcept : v_(std::move(s)) {}                        // NOLINT
  value(std::string_view s) : v_(std::string(s)) {}                          // NOLINT
  value(array a) noexcept : v_(std::move(a)) {}                              // NOLINT
  value(object o) noexcept : v_(std::move(o)) {}                             // NOLINT

  /// The kind of value held.
  [[nodiscard]] kind type() const noexcept { return static_cast<kind>(v_.index()); }
  /// Kind tests; `is_number()` is true for integers and doubles.
  [[nodiscard]] bool is_null() const noexcept { return type() == kind::null; }
  [[nodiscard]] bool is_bool() const noexcept { return type() == kind::boolean; }
  [[nodiscard]] bool is_int() const noexcept { return type() == kind::integer; }
  [[nodiscard]] bool is_double() const noexcept { return type() == kind::number; }
  [[nodiscard]] bool is_number() const noexcept { return is_int() || is_double(); }
  [[nodiscard]] bool is_string() const noexcept { return type() == kind::string; }
  [[nodiscard]] bool is_array() const noexcept { return type() == kind::array; }
  [[nodiscard]] bool is_object() const noexcept { return type() == kind::object; }

  /// Accessors; the precondition is the matching `is_*()` (else
  /// `std::bad_variant_access`), except that `as_double()` also converts an integer.
  [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
  [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  [[nodiscard]] double as_double() const { return is_int() ? static_cast<double>(as_int()) : std::get<double>(v_); }
  [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
  [[nodiscard]] std::string& as_string() { return std::get<std::string>(v_); }
  [[nodiscard]] const array& as_array() const { return std::get<array>(v_); }
  [[nodiscard]] array& as_array() { return std::get<array>(v_); }
  [[nodiscard]] const object& as_object() const { return std::get<object>(v_); }
  [[nodiscard]] object& as_object() { return std::get<object>(v_); }

  /// The member named `key` of an object, or nullptr (also when not an
  /// object). With duplicate keys this is the last one, the one Python (and
  /// so Odoo) keeps, and the one `operator==` compares.
  [[nodiscard]] const value* find(std::string_view key) const noexcept {
    if (!is_object()) return nullptr;
    const auto& o = std::get<object>(v_);
    for (auto it = o.rbegin(); it != o.rend(); ++it)
      if (it->first == key) return &it->second;
    return nullptr;
  }
  [[nodiscard]] value* find(std::string_view key) noexcept {
    return const_cast<value*>(static_cast<const value&>(*this).find(key));
  }

  /// Sets `key` on an object (replacing the member `find` returns, else
  /// appending) and returns the stored value. A null value becomes an empty
  /// object first. Precondition: `is_object() || is_null()`.
  value& set(std::string_view key, value v) {
    if (is_null()) v_ = object{};
    if (auto* existing = find(key)) {
      *existing = std::move(v);
      return *existing;
    }
    auto& o = as_object();
    o.emplace_back(std::string(key), std::move(v));
    return o.back().second;
  }

  /// Structural equality: objects compare as unordered maps (duplicate keys:
  /// last one wins, as in Python), integers and doubles compare by value only
  /// when both are integers or both doubles (Odoo distinguishes `1` from `1.0`).
  friend bool operator==(const value& a, const value& b) noexcept;

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, array, object> v_{nullptr};
};

namespace detail {
inline const value* last_member(const object& o, std::string_view key) noexcept {
  const value* found = nullptr;
  for (const auto& m : o)
    if (m.first == key) found = &m.second;
  return found;
}
}  // namespace detail

inline bool operator==(const value& a, const value& b) noexcept {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case kind::null: return true;
    case kind::boolean: return a.as_bool() == b.as_bool();
    case kind::integer: return a.as_int() == b.as_int();
    case kind::number: return a.as_double() == b.as_double();
    case kind::string: return a.as_string() == b.as_string();
    case kind::array: return a.as_array() == b.as_array();
    case kind::object: {
      const auto& x = a.as_object();
      const auto& y = b.as_object();
      for (const auto& m : x) {
        const value* other = detail::last_member(y, m.first);
        if (other == nullptr || !(*detail::last_member(x, m.first) == *other)) return false;
      }
      for (const auto& m : y)
        if (detail::last_member(x, m.first) == nullptr) return false;
      return true;
    }
  }
  return false;
}

}  // namespace json
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
