#pragma once
// The JSON value that writes a member back to Odoo (`create` / `write` vals).

#include <optional>
#include <string>
#include <utility>

#include "odoolink/config.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/model/detail/member_types.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace model::detail {

// `[[6, 0, ids]]`: replace the relation by exactly these ids.
template <class Ids>
json::value set_command(const Ids& ids) {
  json::array list;
  list.reserve(ids.size());
  for (const std::int64_t id : ids) list.emplace_back(id);
  return json::array{json::array{6, 0, std::move(list)}};
}

// The vals entry for a member bound to a field of kind K; nullopt leaves the
// field out of the vals.
template <class K, class T>
std::optional<json::value> member_json(const T& v) {
  if constexpr (optional_of<T>::value) {
    if (!v) return json::value(false);
    return member_json<K>(*v);
  } else if constexpr (std::same_as<T, bool>) {
    return json::value(v);
  } else if constexpr (std::floating_point<T>) {
    return json::value(static_cast<double>(v));
  } else if constexpr (integer_member<T>) {
    // An integer bound to a many2one is an id: 0 means no record.
    if constexpr (kind_traits<K>::relational) {
      if (v == 0) return json::value(false);
    }
    return json::value(static_cast<std::int64_t>(v));
  } else if constexpr (many2one_of<T>::value) {
    return v.id == 0 ? json::value(false) : json::value(v.id);
  } else if constexpr (x2many_of<T>::value || std::same_as<T, model::ids_view>) {
    if (v.empty()) return std::nullopt;
    return set_command(v);
  } else if constexpr (std::same_as<T, json::value>) {
    return json::value(v);
  } else if constexpr (std::same_as<T, std::string> || std::same_as<T, std::string_view>) {
    // Odoo stores an empty char as NULL either way; send false to say so.
    if (v.empty()) return json::value(false);
    return json::value(std::string(v));
  } else if constexpr (enum_member<T>) {
    const std::string_view text = to_string(v);
    if (text.empty()) return std::nullopt;
    return json::value(std::string(text));
  } else if constexpr (std::same_as<T, model::date>) {
    return json::value(date_text(v));
  } else if constexpr (std::same_as<T, model::datetime>) {
    return json::value(datetime_text(v));
  } else {
    static_assert(std::same_as<T, model::binary>);
    if (v.empty()) return json::value(false);
    return json::value(v.base64());
  }
}

}  // namespace model::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
