#pragma once
/// @file
/// C++ types for Odoo field values, as they appear in typed records.
///
/// | Odoo field type            | member type (owning)         | member type (view, see `records`) |
/// |----------------------------|------------------------------|-----------------------------------|
/// | boolean                    | `bool`                       |                                   |
/// | integer                    | `std::int64_t` (any integer) |                                   |
/// | float                      | `double`                     |                                   |
/// | monetary                   | `model::monetary` (`double`) |                                   |
/// | char, text, html           | `std::optional<std::string>` | `std::optional<std::string_view>` |
/// | selection                  | `std::optional<Enum>`        |                                   |
/// | date                       | `std::optional<model::date>` |                                   |
/// | datetime (UTC)             | `std::optional<model::datetime>` |                               |
/// | binary                     | `std::optional<model::binary>` |                                 |
/// | many2one                   | `many2one<T>`                | `many2one_view<T>`                |
/// | one2many / many2many       | `one2many<T>` / `many2many<T>` | `ids_view`                      |
/// | anything else (json, properties, reference, ...) | `json::value` |                           |
///
/// Odoo sends `false` for an empty value of every type but boolean; the
/// `std::optional` members read it as `std::nullopt`. Plain `std::string`
/// members read it as the empty string, and `many2one<T>` has its own empty
/// state (id 0). `T` in `many2one<T>` and the x2many types names the related
/// model (a generated model type such as `models::res_partner`, or
/// `any_model`); it is a tag only and may be an incomplete type.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/json/base64.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model {

/// A model tag that stands for "any model" where no generated type is at hand.
struct any_model {};

/// A date field: a calendar day (Odoo dates have no time zone).
using date = std::chrono::year_month_day;

/// A datetime field: UTC, whole seconds (Odoo stores and sends `YYYY-MM-DD HH:MM:SS` in UTC).
using datetime = std::chrono::sys_seconds;

/// A monetary field: a `double` in the currency named by the field's
/// `currency_field` (`currency_id` on most models). Odoo itself computes and
/// rounds monetary values in binary floating point and sends them as JSON
/// numbers, so a decimal type here would promise more precision than the wire
/// carries; round with the currency's `rounding` when presenting or comparing.
using monetary = double;

/// A many2one value: the related record's id and display name; empty (id 0)
/// when Odoo sends `false`.
/// @par Thread Safety  A value type.
template <class T = any_model>
struct many2one {
  std::int64_t id = 0;  ///< related record id; 0 when empty
  std::string name;     ///< its display name (empty when Odoo sent none)

  many2one() = default;
  /// A reference to record `id` (the name is informative; writes send the id only).
  explicit many2one(std::int64_t record_id, std::string display_name = {})
      : id(record_id), name(std::move(display_name)) {}

  /// True when no record is referenced.
  [[nodiscard]] bool empty() const noexcept { return id == 0; }
  /// True when a record is referenced.
  explicit operator bool() const noexcept { return id != 0; }
  friend bool operator==(const many2one&, const many2one&) = default;
};

/// A many2one whose display name is a view into the storage of the `records`
/// it was decoded into (valid while that storage lives).
/// @par Thread Safety  A value type.
template <class T = any_model>
struct many2one_view {
  std::int64_t id = 0;    ///< related record id; 0 when empty
  std::string_view name;  ///< its display name (empty when Odoo sent none)

  /// True when no record is referenced.
  [[nodiscard]] bool empty() const noexcept { return id == 0; }
  /// True when a record is referenced.
  explicit operator bool() const noexcept { return id != 0; }
  /// An owning copy.
  [[nodiscard]] many2one<T> to_owned() const { return many2one<T>(id, std::string(name)); }
  friend bool operator==(const many2one_view&, const many2one_view&) = default;
};

/// The ids of a one2many field, in Odoo's order (a `std::vector<std::int64_t>`
/// tagged with the related model). Written back through `x2many_command`s.
/// @par Thread Safety  A value type.
template <class T = any_model>
class one2many : public std::vector<std::int64_t> {
 public:
  using std::vector<std::int64_t>::vector;
  one2many() = default;
  /// Takes a plain id list.
  explicit one2many(std::vector<std::int64_t> ids) : std::vector<std::int64_t>(std::move(ids)) {}
};

/// The ids of a many2many field, in Odoo's order (a `std::vector<std::int64_t>`
/// tagged with the related model). Written back through `x2many_command`s.
/// @par Thread Safety  A value type.
template <class T = any_model>
class many2many : public std::vector<std::int64_t> {
 public:
  using std::vector<std::int64_t>::vector;
  many2many() = default;
  /// Takes a plain id list.
  explicit many2many(std::vector<std::int64_t> ids) : std::vector<std::int64_t>(std::move(ids)) {}
};

/// The ids of an x2many field as a view into the storage of the `records` it
/// was decoded into.
using ids_view = std::span<const std::int64_t>;

/// A binary field as Odoo sends it: standard base64 text. Decoding is
/// explicit (`decode()`), since most code passes the text on unchanged.
/// @par Thread Safety  A value type.
class binary {
 public:
  binary() = default;
  /// Wraps base64 text as received (not validated until `decode()`).
  explicit binary(std::string base64_text) : base64_(std::move(base64_text)) {}

  /// Encodes raw bytes.
  [[nodiscard]] static binary from_bytes(std::span<const std::uint8_t> bytes) { return binary(json::base64_encode(bytes)); }
  /// @overload
  [[nodiscard]] static binary from_bytes(std::string_view bytes) { return binary(json::base64_encode(bytes)); }

  /// The base64 text.
  [[nodiscard]] const std::string& base64() const noexcept { return base64_; }
  /// The decoded bytes. Errors: protocol_errc::unexpected_type when the text is
  /// not strict base64 (e.g. a size like "1.2 Kb", which Odoo sends instead of
  /// the content when the context has `bin_size`).
  [[nodiscard]] result<std::vector<std::uint8_t>> decode() const { return json::base64_decode(base64_); }
  /// True when there is no content.
  [[nodiscard]] bool empty() const noexcept { return base64_.empty(); }
  friend bool operator==(const binary&, const binary&) = default;

 private:
  std::string base64_;
};

/// Writes "no value" (`false`) into any non-boolean field, e.g.
/// `vals.set(res_partner::parent_id, model::unset)` or a domain
/// `res_partner::email == model::unset`.
struct unset_t {
  explicit constexpr unset_t(int /*unused*/) noexcept {}
};
/// @copydoc unset_t
inline constexpr unset_t unset{0};

}  // namespace model
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
