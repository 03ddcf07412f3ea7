// The fields_get dumps of each Odoo series shipped with the library: the
// tables are in shipped_fields_<NN>.cpp (one translation unit each: they are large).

#include <string>
#include <vector>

#include "testing/fake/schema.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
const std::vector<std::pair<std::string_view, std::string_view>>& shipped_fields(int series) {
  switch (series) {
    case 16: return shipped_fields_16();
    case 17: return shipped_fields_17();
    case 19: return shipped_fields_19();
    default: return shipped_fields_18();
  }
}

std::vector<std::pair<std::string_view, std::string_view>> join_embedded(const std::vector<embedded_fields>& table,
                                                                         std::vector<std::string>& storage) {
  storage.reserve(table.size());
  for (const auto& e : table) {
    std::string text;
    for (auto c : e.chunks) text += c;
    storage.push_back(std::move(text));
  }
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (std::size_t i = 0; i < table.size(); ++i) out.emplace_back(table[i].model, storage[i]);
  return out;
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
