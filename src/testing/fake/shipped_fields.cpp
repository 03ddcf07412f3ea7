// The Odoo 18 fields_get dumps shipped with the library (see shipped_fields.inc).

#include <string>
#include <vector>

#include "testing/fake/schema.hpp"

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing::fake {
namespace {

struct embedded {
  std::string_view model;
  std::vector<std::string_view> chunks;  // literals are split to stay under compiler limits
};

const std::vector<embedded>& table() {
  static const std::vector<embedded> t = {
#include "testing/fake/shipped_fields.inc"
  };
  return t;
}

}  // namespace

const std::vector<std::pair<std::string_view, std::string_view>>& shipped_fields() {
  static const std::vector<std::string> joined = [] {
    std::vector<std::string> out;
    for (const auto& e : table()) {
      std::string text;
      for (auto c : e.chunks) text += c;
      out.push_back(std::move(text));
    }
    return out;
  }();
  static const std::vector<std::pair<std::string_view, std::string_view>> pairs = [] {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    for (std::size_t i = 0; i < table().size(); ++i) out.emplace_back(table()[i].model, joined[i]);
    return out;
  }();
  return pairs;
}

}  // namespace testing::fake
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
