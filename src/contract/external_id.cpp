#include "odoolink/contract/external_id.hpp"

#include "model.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace contract {

std::optional<std::string> payload_external_id(const contract& c, const json::value& payload) {
  for (const auto& f : c.internals().root.fields)
    if (f.odoo.is_external_id())
      if (const auto* v = payload.find(f.name); v != nullptr && v->is_string() && !v->as_string().empty())
        return std::string(v->as_string());
  return std::nullopt;
}

}  // namespace contract
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
