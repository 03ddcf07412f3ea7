// Connects to an Odoo server and prints a few companies.
//
//   ODOOLINK_URL=https://erp.example.com ODOOLINK_DB=prod ODOOLINK_USER=sync \
//   ODOOLINK_PASSWORD=... ./odoolink_read_partners
//
// (or ODOOLINK_API_KEY instead of the password). The README shows this file.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}
}  // namespace

int main() {
  using namespace odoolink;
  // [connect]
  auto odoo = client::client::connect({.url = env("ODOOLINK_URL"),
                                       .database = env("ODOOLINK_DB"),
                                       .login = env("ODOOLINK_USER"),
                                       .password = env("ODOOLINK_PASSWORD"),
                                       .api_key = env("ODOOLINK_API_KEY"),
                                       .context = json::object{{"lang", "en_US"}}});
  if (!odoo) {
    std::fprintf(stderr, "connect: %s\n", odoo.error().describe().c_str());
    return 1;
  }
  auto rows = odoo.value().execute_kw(
      "res.partner", "search_read",
      json::array{json::array{json::array{"is_company", "=", true}}},
      json::object{{"fields", json::array{"name", "country_id"}}, {"limit", 5}});
  if (!rows) {  // a typed error: rows.error() == odoo_errc::access_error, condition::retryable, ...
    std::fprintf(stderr, "%s\n", rows.error().describe().c_str());
    return 1;
  }
  std::printf("%.*s\n", static_cast<int>(rows.value().json().size()), rows.value().json().data());
  // [connect]
  std::printf("protocol: %s, Odoo %d, uid %lld\n", std::string(client::to_string(odoo.value().info().protocol)).c_str(),
              odoo.value().info().version.major, static_cast<long long>(odoo.value().info().uid));
  return 0;
}
