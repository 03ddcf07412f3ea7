// README "Typed models": the view and the query function of the snippet, at
// namespace scope as a host would write them, called on a fake Odoo.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/model/proxy.hpp"
#include "odoolink/model/view.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/testing/fake_odoo.hpp"

namespace host {
using namespace odoolink;
#include "snippet.inc"
}  // namespace host

int main() {
  using namespace odoolink;
  auto fake = std::make_shared<testing::fake_odoo>();
  readme::expect_value(fake->seed(R"({"res.partner": [
      {"name": "Lumber Inc", "is_company": true, "country_code": "BE"},
      {"name": "Azure Interior", "is_company": true, "country_code": "US"},
      {"name": "Deco Addict", "is_company": true, "country_code": "BE"},
      {"name": "Ada Lovelace", "is_company": false, "country_code": "BE"}]})"),
                       "seed");
  auto odoo = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                       .password = "admin", .transport = fake});
  if (!readme::expect_value(odoo, "connect")) return 1;

  auto rows = host::belgian_companies(odoo.value());
  if (!readme::expect_value(rows, "belgian_companies")) return 1;
  std::vector<std::string> names;
  for (const auto& row : rows.value()) names.push_back(row.name);
  readme::expect(names == std::vector<std::string>{"Deco Addict", "Lumber Inc"},
                 "the Belgian companies, by name (" + std::to_string(names.size()) + " rows)");
  return readme::finish("typed");
}
