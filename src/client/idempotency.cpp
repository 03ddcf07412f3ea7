#include <array>
#include <string_view>

#include "odoolink/client/client.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace client {
namespace {

constexpr std::array<std::string_view, 17> read_methods = {
    "search", "search_read", "search_count", "search_fetch", "read", "name_search", "fields_get", "read_group",
    "formatted_read_group", "default_get", "context_get", "web_read", "web_search_read", "check_access_rights",
    "has_group", "name_get", "export_data"};

const json::value* positional_or_named(const protocol::call& c, std::size_t index, std::string_view name) {
  if (c.args.is_array() && index < c.args.as_array().size()) return &c.args.as_array()[index];
  return c.kwargs.find(name);
}

// x2many commands that are not idempotent: 0 create, 2 delete, 3 unlink (a
// replay creates again or fails with MissingError).
bool has_unsafe_command(const json::value& vals) {
  if (!vals.is_object()) return true;
  for (const auto& [field, v] : vals.as_object()) {
    if (!v.is_array()) continue;
    for (const auto& cmd : v.as_array()) {
      if (!cmd.is_array() || cmd.as_array().empty() || !cmd.as_array()[0].is_int()) continue;
      const auto op = cmd.as_array()[0].as_int();
      if (op == 0 || op == 2 || op == 3) return true;
    }
  }
  return false;
}

}  // namespace

bool is_idempotent(const protocol::call& c) noexcept {
  for (auto m : read_methods)
    if (c.method == m) return true;
  if (c.method == "load") {
    // An upsert only when rows carry an external id column.
    const json::value* fields = positional_or_named(c, 0, "fields");
    if (fields == nullptr || !fields->is_array()) return false;
    for (const auto& f : fields->as_array())
      if (f.is_string() && f.as_string() == "id") return true;
    return false;
  }
  if (c.method == "write") {
    const json::value* vals = positional_or_named(c, 1, "vals");
    return vals != nullptr && !has_unsafe_command(*vals);
  }
  return false;
}

}  // namespace client
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
