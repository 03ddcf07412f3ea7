#include "odoolink/client/context.hpp"

#include <string>
#include <vector>
#include <utility>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {

context::context(json::value base) {
  if (base.is_object()) value_ = std::move(base);
}

context& context::lang(std::string_view code) { return set("lang", code); }

context& context::tz(std::string_view zone) { return set("tz", json::value(zone)); }

context& context::companies(std::span<const std::int64_t> ids) {
  if (ids.empty()) {
    std::erase_if(value_.as_object(), [](const json::member& m) { return m.first == "allowed_company_ids"; });
    return *this;
  }
  json::array list;
  list.reserve(ids.size());
  for (const auto id : ids) list.emplace_back(id);
  return set("allowed_company_ids", std::move(list));
}

context& context::active_test(bool enabled) { return set("active_test", enabled); }

context& context::set(std::string_view key, json::value v) {
  value_.set(std::string(key), std::move(v));
  return *this;
}

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
