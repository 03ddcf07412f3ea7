#pragma once
/// @file
/// Building the values of `create` and `write`: `values<M>` sets fields of
/// model `M` through their descriptors, so a value of the wrong type does not
/// compile; x2many fields take typed command lists:
///
/// ```cpp
/// auto order = model::values<sale_order>()
///     .set(sale_order::partner_id, 55)
///     .set(sale_order::tag_ids, {model::command::set({1, 2})})
///     .set(sale_order::order_line, {model::command::create(model::values<sale_order_line>()
///                                                          .set(sale_order_line::product_id, 62)
///                                                          .set(sale_order_line::product_uom_qty, 3.0))});
/// ```
///
/// Values by type: boolean `bool`; integer any integer; float and monetary
/// any number; char/text/html text; selection its enum; date `model::date`;
/// datetime `std::chrono::sys_time` (sent as UTC `YYYY-MM-DD HH:MM:SS`);
/// binary `model::binary`; many2one an id or `many2one<T>`; `model::unset`
/// empties any non-boolean field. `set(name, json)` sets anything unchecked.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/model/field.hpp"
#include "odoolink/model/types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

template <class M>
class values;

/// One x2many command (Odoo's `Command`) on a relation to model `T`, as the
/// literal triple Odoo reads. Made by the functions of `model::command`.
/// Commands that carry no values (`link`, `set`, ...) are untyped and convert
/// to a command on any model.
/// @par Thread Safety  A value type.
template <class T = any_model>
class x2many_command {
 public:
  /// An untyped command on a typed relation.
  x2many_command(const x2many_command<any_model>& untyped)  // NOLINT(google-explicit-constructor)
    requires(!std::is_same_v<T, any_model>)
      : json_(untyped.to_json()) {}

  /// The triple, e.g. `[0, 0, {...}]`.
  [[nodiscard]] const json::value& to_json() const noexcept { return json_; }
  friend bool operator==(const x2many_command& a, const x2many_command& b) { return a.json_ == b.json_; }

  /// @private Made by `model::command`.
  explicit x2many_command(json::value triple) : json_(std::move(triple)) {}

 private:
  json::value json_;
};

/// The fields and values of one `create` or `write` on model `M`.
/// @par Thread Safety  A value type.
template <class M = any_model>
class values {
 public:
  values() = default;

  /// Sets field `f` to `v` (replacing an earlier value of the same field).
  template <class K, class V>
    requires(detail::value_for<K, V> || (std::same_as<K, kind::binary> && std::same_as<detail::plain_t<V>, binary>) ||
             (std::same_as<K, kind::raw> && std::same_as<detail::plain_t<V>, json::value>))
  values& set(const field<M, K>& f, const V& v) {
    if constexpr (std::same_as<detail::plain_t<V>, binary>) return put(f.name(), v.empty() ? json::value(false) : json::value(v.base64()));
    else if constexpr (std::same_as<detail::plain_t<V>, json::value>) return put(f.name(), v);
    else return put(f.name(), detail::value_json<K>(v));
  }
  /// Empties field `f` (writes `false`).
  template <class K>
    requires(!std::same_as<K, kind::boolean>)
  values& set(const field<M, K>& f, unset_t /*unused*/) {
    return put(f.name(), false);
  }
  /// Applies x2many commands to a one2many field.
  template <class T>
  values& set(const field<M, kind::one2many<T>>& f, std::initializer_list<x2many_command<T>> commands) {
    return put(f.name(), command_list(commands));
  }
  /// @overload
  template <class T>
  values& set(const field<M, kind::one2many<T>>& f, const std::vector<x2many_command<T>>& commands) {
    return put(f.name(), command_list(commands));
  }
  /// Applies x2many commands to a many2many field.
  template <class T>
  values& set(const field<M, kind::many2many<T>>& f, std::initializer_list<x2many_command<T>> commands) {
    return put(f.name(), command_list(commands));
  }
  /// @overload
  template <class T>
  values& set(const field<M, kind::many2many<T>>& f, const std::vector<x2many_command<T>>& commands) {
    return put(f.name(), command_list(commands));
  }
  /// Sets the field named `name` to a JSON value, unchecked (custom fields,
  /// values the typed setters do not cover).
  values& set(std::string_view name, json::value v) { return put(name, std::move(v)); }

  /// The fields set so far, in order.
  [[nodiscard]] const json::object& members() const noexcept { return members_; }
  /// True when nothing was set.
  [[nodiscard]] bool empty() const noexcept { return members_.empty(); }
  /// The vals object.
  [[nodiscard]] json::value to_json() const { return json::value(members_); }

  /// An untyped copy.
  [[nodiscard]] values<any_model> untyped() const {
    values<any_model> out;
    for (const auto& [k, v] : members_) out.set(k, v);
    return out;
  }

 private:
  template <class Commands>
  static json::value command_list(const Commands& commands) {
    json::array list;
    list.reserve(commands.size());
    for (const auto& c : commands) list.push_back(c.to_json());
    return list;
  }
  values& put(std::string_view name, json::value v) {
    for (auto& [k, existing] : members_)
      if (k == name) {
        existing = std::move(v);
        return *this;
      }
    members_.emplace_back(std::string(name), std::move(v));
    return *this;
  }

  json::object members_;
};

/// The x2many commands (Odoo's `Command` class), each the literal triple
/// Odoo reads.
namespace command {
/// `[0, 0, vals]`: create a related record and link it.
template <class T>
[[nodiscard]] x2many_command<T> create(const values<T>& vals) {
  return x2many_command<T>(json::array{0, 0, vals.to_json()});
}
/// `[1, id, vals]`: update the related record `id`.
template <class T>
[[nodiscard]] x2many_command<T> update(std::int64_t id, const values<T>& vals) {
  return x2many_command<T>(json::array{1, id, vals.to_json()});
}
/// `[2, id, 0]`: remove the related record `id` from the relation and delete it
/// (Odoo's `Command.delete`; `delete` is a C++ keyword).
[[nodiscard]] inline x2many_command<> delete_(std::int64_t id) { return x2many_command<>(json::array{2, id, 0}); }
/// `[3, id, 0]`: remove `id` from the relation (deleted too when the inverse
/// many2one is `ondelete='cascade'`).
[[nodiscard]] inline x2many_command<> unlink(std::int64_t id) { return x2many_command<>(json::array{3, id, 0}); }
/// `[4, id, 0]`: add the existing record `id` to the relation.
[[nodiscard]] inline x2many_command<> link(std::int64_t id) { return x2many_command<>(json::array{4, id, 0}); }
/// `[5, 0, 0]`: remove every record from the relation.
[[nodiscard]] inline x2many_command<> clear() { return x2many_command<>(json::array{5, 0, 0}); }
/// `[6, 0, ids]`: make the relation exactly `ids`.
[[nodiscard]] inline x2many_command<> set(std::vector<std::int64_t> ids) {
  json::array list;
  list.reserve(ids.size());
  for (const auto id : ids) list.emplace_back(id);
  return x2many_command<>(json::array{6, 0, std::move(list)});
}
/// @overload
[[nodiscard]] inline x2many_command<> set(std::initializer_list<std::int64_t> ids) {
  return set(std::vector<std::int64_t>(ids));
}
}  // namespace command

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
