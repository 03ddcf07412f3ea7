#include "series_features.hpp"

#include <string>
#include <string_view>

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client::detail {
namespace {

// The first `any` / `not any` operator in `domain`, nested ones included; null when none.
const std::string* relational_operator(const json::value& domain) {
  if (!domain.is_array()) return nullptr;
  const auto& items = domain.as_array();
  if (items.size() == 3 && items[1].is_string() && (items[0].is_string() || items[0].is_int())) {
    const std::string& op = items[1].as_string();
    if (op == "any" || op == "not any") return &op;
  }
  for (const auto& item : items)
    if (const std::string* op = relational_operator(item)) return op;
  return nullptr;
}

// Where the ORM methods the SDK sends take their domain: first positional
// argument or the `domain` keyword.
const json::value* domain_of(const protocol::call& c) {
  if (const json::value* d = c.kwargs.find("domain")) return d;
  static constexpr std::string_view domain_first[] = {"search", "search_read", "search_count", "read_group",
                                                     "formatted_read_group", "web_search_read", "web_read_group"};
  for (const auto m : domain_first)
    if (c.method == m) return c.args.is_array() && !c.args.as_array().empty() ? &c.args.as_array()[0] : nullptr;
  return nullptr;
}

}  // namespace

result<void> check_series(const protocol::call& c, const server_version& v) {
  if (!v.known() || v.has_web_read()) return success();
  const json::value* domain = domain_of(c);
  if (domain == nullptr) return success();
  if (const std::string* op = relational_operator(*domain))
    return error(protocol_errc::unsupported_call,
                 c.model + "." + c.method + ": the domain operator '" + *op + "' needs Odoo 17 or later (the server runs " +
                     v.text + "); a dotted path (\"child_ids.type\") reaches related records on every series");
  return success();
}

}  // namespace client::detail
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
