#pragma once
/// @file
/// The vocabulary of contract documents: field types, string formats,
/// compatibility modes, how a field maps onto Odoo, and semantic versions.
/// Each enum has a `to_string` giving its spelling in contract documents and
/// a `parse_*` giving it back.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "odoolink/config.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

/// The type of a contract field, as a payload carries it.
enum class field_type {
  string,       ///< JSON string
  integer,      ///< JSON number without fraction, int64 range
  number,       ///< any JSON number (a double)
  decimal,      ///< exact decimal: a JSON number or a string such as "12.50" (no exponent)
  boolean,      ///< `true` / `false`
  date,         ///< RFC 3339 full-date `YYYY-MM-DD`
  datetime,     ///< RFC 3339 date-time `YYYY-MM-DDTHH:MM:SS[.f](Z|±HH:MM)`
  enumeration,  ///< a string from a closed list (`values`); spelled `enum`
  array,        ///< JSON array of `items`
  object,       ///< JSON object with its own `fields`
  reference,    ///< a key of a record described by another contract (`contract`)
};

/// Extra syntax checks of string fields.
enum class string_format {
  none,
  email,     ///< `local@domain.tld` (pragmatic RFC 5321 subset)
  country,   ///< ISO 3166-1 alpha-2 code, upper case (`BE`)
  currency,  ///< ISO 4217 code, upper case (`EUR`)
  uuid,      ///< `8-4-4-4-12` hexadecimal digits
  uri,       ///< `scheme:rest` (RFC 3986 scheme, no spaces)
};

/// Which versions a new version must stay compatible with, as in schema registries.
///
/// - `backward`: consumers on the new version read data written with the
///   previous one (every payload valid under the old version is valid under the new).
/// - `forward`: consumers on the previous version read data written with the new one.
/// - `full`: both.
/// - `*_transitive`: the same against every earlier version, not only the latest.
/// - `none`: no check.
enum class compatibility_mode { none, backward, backward_transitive, forward, forward_transitive, full, full_transitive };

/// What a payload object may do with keys its contract does not declare.
enum class unknown_fields {
  reject,  ///< a violation (the default: typos are caught at the boundary)
  ignore,  ///< skipped by validation and mapping
};

/// How a payload value designates an Odoo record in a relational field.
enum class reference_by {
  value,        ///< not a reference: the value is written as it is
  external_id,  ///< an external id (`module.name`), resolved by Odoo in `load` (`field/id`)
  id,           ///< a database id (an integer; `field/.id` in `load`)
  name,         ///< a display name (Odoo's name_search in `load`)
};

/// Which way data flows through a field mapping.
enum class mapping_direction {
  both,   ///< written to Odoo and read back
  read,   ///< only read from Odoo (computed or server-assigned values)
  write,  ///< only written to Odoo
};

/// The spelling used in contract documents (`"enum"` for `enumeration`).
/// @par Thread Safety  Pure function.
[[nodiscard]] std::string_view to_string(field_type t) noexcept;
/// `""` for `none`, else the spelling used in documents (`"email"` ...).
[[nodiscard]] std::string_view to_string(string_format f) noexcept;
/// `"BACKWARD"`, `"FORWARD_TRANSITIVE"`, `"NONE"` ...
[[nodiscard]] std::string_view to_string(compatibility_mode m) noexcept;
/// `"reject"` or `"ignore"`.
[[nodiscard]] std::string_view to_string(unknown_fields u) noexcept;
/// `"value"`, `"external_id"`, `"id"` or `"name"`.
[[nodiscard]] std::string_view to_string(reference_by b) noexcept;
/// `"both"`, `"read"` or `"write"`.
[[nodiscard]] std::string_view to_string(mapping_direction d) noexcept;

/// The inverse of `to_string`; nullopt for an unknown spelling.
/// @par Thread Safety  Pure functions.
[[nodiscard]] std::optional<field_type> parse_field_type(std::string_view s) noexcept;
[[nodiscard]] std::optional<string_format> parse_string_format(std::string_view s) noexcept;
/// Accepts the upper-case names only (`BACKWARD_TRANSITIVE`), as schema registries spell them.
[[nodiscard]] std::optional<compatibility_mode> parse_compatibility_mode(std::string_view s) noexcept;
[[nodiscard]] std::optional<unknown_fields> parse_unknown_fields(std::string_view s) noexcept;
[[nodiscard]] std::optional<reference_by> parse_reference_by(std::string_view s) noexcept;
[[nodiscard]] std::optional<mapping_direction> parse_mapping_direction(std::string_view s) noexcept;

/// True for the `*_transitive` modes.
[[nodiscard]] constexpr bool is_transitive(compatibility_mode m) noexcept {
  return m == compatibility_mode::backward_transitive || m == compatibility_mode::forward_transitive ||
         m == compatibility_mode::full_transitive;
}
/// True when the mode asks that new versions read old data (backward or full).
[[nodiscard]] constexpr bool checks_backward(compatibility_mode m) noexcept {
  return m == compatibility_mode::backward || m == compatibility_mode::backward_transitive ||
         m == compatibility_mode::full || m == compatibility_mode::full_transitive;
}
/// True when the mode asks that old versions read new data (forward or full).
[[nodiscard]] constexpr bool checks_forward(compatibility_mode m) noexcept {
  return m == compatibility_mode::forward || m == compatibility_mode::forward_transitive ||
         m == compatibility_mode::full || m == compatibility_mode::full_transitive;
}

/// A semantic version `MAJOR.MINOR.PATCH` (numbers without leading zeros;
/// no pre-release or build suffix). Ordered numerically.
/// @par Thread Safety  A value type.
struct semantic_version {
  std::uint32_t major = 0;
  std::uint32_t minor = 0;
  std::uint32_t patch = 0;

  /// Parses `1.2.3`; nullopt for anything else.
  [[nodiscard]] static std::optional<semantic_version> parse(std::string_view text) noexcept;
  /// `1.2.3`.
  [[nodiscard]] std::string to_string() const;
  friend auto operator<=>(const semantic_version&, const semantic_version&) = default;
};

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
