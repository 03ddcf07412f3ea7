#include "odoolink/contract/types.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {
namespace {

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) noexcept {
  for (const auto& [v, s] : table)
    if (v == e) return s;
  return {};
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view s) noexcept {
  for (const auto& [v, name] : table)
    if (name == s) return v;
  return std::nullopt;
}

constexpr std::array<std::pair<field_type, std::string_view>, 11> field_types{{
    {field_type::string, "string"},
    {field_type::integer, "integer"},
    {field_type::number, "number"},
    {field_type::decimal, "decimal"},
    {field_type::boolean, "boolean"},
    {field_type::date, "date"},
    {field_type::datetime, "datetime"},
    {field_type::enumeration, "enum"},
    {field_type::array, "array"},
    {field_type::object, "object"},
    {field_type::reference, "reference"},
}};

constexpr std::array<std::pair<string_format, std::string_view>, 5> formats{{
    {string_format::email, "email"},
    {string_format::country, "country"},
    {string_format::currency, "currency"},
    {string_format::uuid, "uuid"},
    {string_format::uri, "uri"},
}};

constexpr std::array<std::pair<compatibility_mode, std::string_view>, 7> modes{{
    {compatibility_mode::none, "NONE"},
    {compatibility_mode::backward, "BACKWARD"},
    {compatibility_mode::backward_transitive, "BACKWARD_TRANSITIVE"},
    {compatibility_mode::forward, "FORWARD"},
    {compatibility_mode::forward_transitive, "FORWARD_TRANSITIVE"},
    {compatibility_mode::full, "FULL"},
    {compatibility_mode::full_transitive, "FULL_TRANSITIVE"},
}};

constexpr std::array<std::pair<unknown_fields, std::string_view>, 2> unknowns{{
    {unknown_fields::reject, "reject"},
    {unknown_fields::ignore, "ignore"},
}};

constexpr std::array<std::pair<reference_by, std::string_view>, 4> bys{{
    {reference_by::value, "value"},
    {reference_by::external_id, "external_id"},
    {reference_by::id, "id"},
    {reference_by::name, "name"},
}};

constexpr std::array<std::pair<mapping_direction, std::string_view>, 3> directions{{
    {mapping_direction::both, "both"},
    {mapping_direction::read, "read"},
    {mapping_direction::write, "write"},
}};

}  // namespace

std::string_view to_string(field_type t) noexcept { return name_of(field_types, t); }
std::string_view to_string(string_format f) noexcept { return name_of(formats, f); }
std::string_view to_string(compatibility_mode m) noexcept { return name_of(modes, m); }
std::string_view to_string(unknown_fields u) noexcept { return name_of(unknowns, u); }
std::string_view to_string(reference_by b) noexcept { return name_of(bys, b); }
std::string_view to_string(mapping_direction d) noexcept { return name_of(directions, d); }

std::optional<field_type> parse_field_type(std::string_view s) noexcept { return value_of(field_types, s); }
std::optional<string_format> parse_string_format(std::string_view s) noexcept { return value_of(formats, s); }
std::optional<compatibility_mode> parse_compatibility_mode(std::string_view s) noexcept { return value_of(modes, s); }
std::optional<unknown_fields> parse_unknown_fields(std::string_view s) noexcept { return value_of(unknowns, s); }
std::optional<reference_by> parse_reference_by(std::string_view s) noexcept { return value_of(bys, s); }
std::optional<mapping_direction> parse_mapping_direction(std::string_view s) noexcept { return value_of(directions, s); }

std::optional<semantic_version> semantic_version::parse(std::string_view text) noexcept {
  semantic_version v;
  std::uint32_t* parts[3] = {&v.major, &v.minor, &v.patch};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    if (p == end || *p < '0' || *p > '9') return std::nullopt;
    if (*p == '0' && p + 1 != end && p[1] >= '0' && p[1] <= '9') return std::nullopt;  // leading zero
    const auto r = std::from_chars(p, end, *parts[i]);
    if (r.ec != std::errc()) return std::nullopt;
    p = r.ptr;
    if (i < 2) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
  }
  if (p != end) return std::nullopt;
  return v;
}

std::string semantic_version::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
