#pragma once
/// @file
/// User types as contract payloads, in the style of nlohmann's
/// `adl_serializer`: declare two functions next to your type and it maps
/// to Odoo through its contract.
///
/// ```cpp
/// namespace shop {
/// struct customer { std::string name; std::optional<std::string> email; };
/// inline void to_odoo(odoolink::json::value& out, const customer& c) {
///   odoolink::contract::put_field(out, "name", c.name);
///   odoolink::contract::put_field(out, "email", c.email);   // nullopt: left out
/// }
/// inline odoolink::result<void> from_odoo(const odoolink::json::value& in, customer& c) {
///   ODOOLINK_TRYV(odoolink::contract::get_field(in, "name", c.name));
///   return odoolink::contract::get_field(in, "email", c.email);  // absent: nullopt
/// }
/// }  // namespace shop
///
/// auto vals = odoolink::contract::to_odoo_vals(customer_contract, shop::customer{"Ada", {}});
/// ```
///
/// `to_odoo` writes the type's canonical payload (the JSON the contract
/// describes, not Odoo's own value forms: the contract layer converts);
/// `from_odoo` reads it back and never throws. Types you do not own can be
/// plugged in by specializing `odoo_serializer<T>`. Built in: `bool`,
/// integers, floating point, `std::string`, `std::string_view` (write
/// only), `const char*` (write only), `json::value`, `std::optional<T>`
/// (nullopt is `null` as a value, left out by `put_field`),
/// `std::vector<T>`, `std::chrono::year_month_day` (a date) and
/// `std::chrono::sys_seconds` (an RFC 3339 UTC date-time).

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/contract/mapping.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/value.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// Built-in conversions; user overloads are found by argument-dependent lookup.
namespace serialization {

inline error type_error(std::string_view expected) {
  return error(contract_errc::violation, "payload value is not " + std::string(expected));
}

// Declarations first, so the templates below see every overload.
inline void to_odoo(json::value& out, bool v) { out = v; }
template <class I, std::enable_if_t<json::detail::is_json_integer_v<I>, int> = 0>
void to_odoo(json::value& out, I v) { out = static_cast<std::int64_t>(v); }
template <class F, std::enable_if_t<std::is_floating_point_v<F>, int> = 0>
void to_odoo(json::value& out, F v) { out = static_cast<double>(v); }
inline void to_odoo(json::value& out, const std::string& v) { out = v; }
inline void to_odoo(json::value& out, std::string_view v) { out = v; }
inline void to_odoo(json::value& out, const char* v) { out = v; }
inline void to_odoo(json::value& out, const json::value& v) { out = v; }
void to_odoo(json::value& out, std::chrono::year_month_day v);
void to_odoo(json::value& out, std::chrono::sys_seconds v);
template <class T> void to_odoo(json::value& out, const std::optional<T>& v);
template <class T> void to_odoo(json::value& out, const std::vector<T>& v);

[[nodiscard]] inline result<void> from_odoo(const json::value& in, bool& v) {
  if (!in.is_bool()) return type_error("a boolean");
  v = in.as_bool();
  return success();
}
template <class I, std::enable_if_t<json::detail::is_json_integer_v<I>, int> = 0>
[[nodiscard]] result<void> from_odoo(const json::value& in, I& v) {
  if (!in.is_int()) return type_error("an integer");
  const std::int64_t i = in.as_int();
  if constexpr (std::is_unsigned_v<I>) {
    if (i < 0 || static_cast<std::uint64_t>(i) > static_cast<std::uint64_t>(std::numeric_limits<I>::max()))
      return type_error("an integer in range");
  } else {
    if (i < std::numeric_limits<I>::min() || i > std::numeric_limits<I>::max()) return type_error("an integer in range");
  }
  v = static_cast<I>(i);
  return success();
}
template <class F, std::enable_if_t<std::is_floating_point_v<F>, int> = 0>
[[nodiscard]] result<void> from_odoo(const json::value& in, F& v) {
  if (!in.is_number()) return type_error("a number");
  v = static_cast<F>(in.as_double());
  return success();
}
[[nodiscard]] inline result<void> from_odoo(const json::value& in, std::string& v) {
  if (!in.is_string()) return type_error("a string");
  v = in.as_string();
  return success();
}
[[nodiscard]] inline result<void> from_odoo(const json::value& in, json::value& v) {
  v = in;
  return success();
}
[[nodiscard]] result<void> from_odoo(const json::value& in, std::chrono::year_month_day& v);
[[nodiscard]] result<void> from_odoo(const json::value& in, std::chrono::sys_seconds& v);
template <class T> [[nodiscard]] result<void> from_odoo(const json::value& in, std::optional<T>& v);
template <class T> [[nodiscard]] result<void> from_odoo(const json::value& in, std::vector<T>& v);

/// Calls the `to_odoo` that ordinary and argument-dependent lookup find.
struct to_odoo_fn {
  template <class T>
  void operator()(json::value& out, const T& v) const {
    to_odoo(out, v);
  }
};
/// Calls the `from_odoo` that ordinary and argument-dependent lookup find.
struct from_odoo_fn {
  template <class T>
  [[nodiscard]] result<void> operator()(const json::value& in, T& v) const {
    return from_odoo(in, v);
  }
};

template <class T>
void to_odoo(json::value& out, const std::optional<T>& v) {
  if (v) {
    to_odoo_fn{}(out, *v);
  } else {
    out = nullptr;
  }
}
template <class T>
void to_odoo(json::value& out, const std::vector<T>& v) {
  json::array a;
  a.reserve(v.size());
  for (const auto& e : v) {
    json::value x;
    to_odoo_fn{}(x, e);
    a.push_back(std::move(x));
  }
  out = std::move(a);
}
template <class T>
result<void> from_odoo(const json::value& in, std::optional<T>& v) {
  if (in.is_null()) {
    v.reset();
    return success();
  }
  T inner{};
  ODOOLINK_TRYV(from_odoo_fn{}(in, inner));
  v = std::move(inner);
  return success();
}
template <class T>
result<void> from_odoo(const json::value& in, std::vector<T>& v) {
  if (!in.is_array()) return type_error("an array");
  v.clear();
  v.reserve(in.as_array().size());
  for (const auto& e : in.as_array()) {
    T item{};
    ODOOLINK_TRYV(from_odoo_fn{}(e, item));
    v.push_back(std::move(item));
  }
  return success();
}

}  // namespace serialization

/// The customization point: specialize for types whose namespace you do not
/// own; the default forwards to `to_odoo`/`from_odoo` found by lookup.
/// @par Thread Safety  Stateless.
template <class T, class = void>
struct odoo_serializer {
  /// Writes the payload of `v` into `out`.
  static void to_odoo(json::value& out, const T& v) { serialization::to_odoo_fn{}(out, v); }
  /// Reads `v` from the payload `in`. Errors: contract_errc::violation.
  [[nodiscard]] static result<void> from_odoo(const json::value& in, T& v) { return serialization::from_odoo_fn{}(in, v); }
};

/// The canonical payload of `v`.
/// @par Thread Safety  As the user's `to_odoo`.
template <class T>
[[nodiscard]] json::value to_payload(const T& v) {
  json::value out;
  odoo_serializer<T>::to_odoo(out, v);
  return out;
}

/// A `T` read from a canonical payload. Errors: contract_errc::violation.
/// @par Thread Safety  As the user's `from_odoo`.
template <class T>
[[nodiscard]] result<T> from_payload(const json::value& payload) {
  T v{};
  ODOOLINK_TRYV(odoo_serializer<T>::from_odoo(payload, v));
  return v;
}

/// In a user's `to_odoo`: sets `key` of the object `out` to `v`; an empty
/// `std::optional` leaves the key out (absent, not null).
template <class T>
void put_field(json::value& out, std::string_view key, const T& v) {
  if (!out.is_object()) out = json::object{};
  json::value x;
  odoo_serializer<T>::to_odoo(x, v);
  out.set(key, std::move(x));
}
/// @overload
template <class T>
void put_field(json::value& out, std::string_view key, const std::optional<T>& v) {
  if (!out.is_object()) out = json::object{};
  if (!v) return;
  json::value x;
  odoo_serializer<T>::to_odoo(x, *v);
  out.set(key, std::move(x));
}

/// In a user's `from_odoo`: reads `key` of `in` into `out`. A missing key
/// is an error, except for `std::optional` members (then nullopt).
/// Errors: contract_errc::violation naming the key.
template <class T>
[[nodiscard]] result<void> get_field(const json::value& in, std::string_view key, T& out) {
  const json::value* v = in.find(key);
  if (v == nullptr) return error(contract_errc::violation, "payload has no field " + std::string(key));
  auto r = odoo_serializer<T>::from_odoo(*v, out);
  if (!r) return r.error().with_context(std::string(key));
  return success();
}
/// @overload
template <class T>
[[nodiscard]] result<void> get_field(const json::value& in, std::string_view key, std::optional<T>& out) {
  const json::value* v = in.find(key);
  if (v == nullptr || v->is_null()) {
    out.reset();
    return success();
  }
  T inner{};
  auto r = odoo_serializer<T>::from_odoo(*v, inner);
  if (!r) return r.error().with_context(std::string(key));
  out = std::move(inner);
  return success();
}

/// A user type (anything but a JSON value) with a serializer.
template <class T>
concept payload_type = !std::is_same_v<std::remove_cvref_t<T>, json::value> &&
                       requires(json::value& out, const T& v) { odoo_serializer<T>::to_odoo(out, v); };

/// `to_odoo_vals` for a user type (validated through its payload).
template <payload_type T>
[[nodiscard]] result<json::value> to_odoo_vals(const contract& c, const T& v, const vals_options& options = {}) {
  return to_odoo_vals(c, to_payload(v), options);
}

/// `to_load_row` for a user type.
template <payload_type T>
[[nodiscard]] result<load_rows> to_load_row(const contract& c, const T& v, std::string_view external_id,
                                            const load_options& options = {}) {
  return to_load_row(c, to_payload(v), external_id, options);
}

/// A user type from an Odoo record: `from_odoo_record`, then the type's `from_odoo`.
template <class T>
[[nodiscard]] result<T> from_odoo_record_as(const contract& c, const json::value& record, const from_odoo_options& options = {}) {
  ODOOLINK_TRY(auto payload, from_odoo_record(c, record, options));
  return from_payload<T>(payload);
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
