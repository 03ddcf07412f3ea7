// The typed API: a model proxy, values checked against the generated model,
// a domain in C++ and a view that decodes only the fields it names.
//
//   ./odoolink_typed_partners            against a fake Odoo on a loopback port
//   ODOOLINK_URL=https://erp.example.com ODOOLINK_DB=prod ODOOLINK_USER=sync \
//   ODOOLINK_PASSWORD=... ./odoolink_typed_partners
//
// Creates three companies (on a real server too: run it on a test database),
// then lists the Belgian ones.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/model/proxy.hpp"
#include "odoolink/model/values.hpp"
#include "odoolink/model/view.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/testing/fake_odoo.hpp"

namespace {

using odoolink::models::res_partner;

// A view: the fields this program reads, each checked against res.partner.
struct company_row {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> country_code;
  ODOOLINK_VIEW(company_row, res_partner, id, name, country_code)
};

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

int failed(const char* what, const odoolink::error& e) {
  std::fprintf(stderr, "%s: %s\n", what, e.describe().c_str());
  return 1;
}

}  // namespace

int main() {
  using namespace odoolink;
  client::client_options options{.url = env("ODOOLINK_URL"), .database = env("ODOOLINK_DB"),
                                 .login = env("ODOOLINK_USER"), .password = env("ODOOLINK_PASSWORD"),
                                 .api_key = env("ODOOLINK_API_KEY")};
  std::shared_ptr<testing::fake_odoo> fake;
  std::unique_ptr<testing::fake_listener> listener;
  if (options.url.empty()) {
    fake = std::make_shared<testing::fake_odoo>();
    auto listening = fake->listen();
    if (!listening) return failed("fake Odoo", listening.error());
    listener = std::move(listening).value();
    options = {.url = listener->url(), .database = "odoolink", .login = "admin", .password = "admin"};
    std::printf("against the fake Odoo at %s\n", options.url.c_str());
  }
  auto odoo = client::client::connect(options);
  if (!odoo) return failed("connect", odoo.error());

  model::proxy<res_partner> partners(odoo.value());
  for (const auto& [name, country] : {std::pair{"Deco Addict", "BE"}, {"Azure Interior", "US"}, {"Lumber Inc", "BE"}}) {
    auto id = partners.create(model::values<res_partner>()
                                  .set(res_partner::name, name)
                                  .set(res_partner::is_company, true)
                                  .set(res_partner::country_code, country));
    if (!id) return failed("create", id.error());
  }

  auto rows = partners.search_read<company_row>(
      res_partner::is_company == true && res_partner::country_code == "BE", {.limit = 80, .order = "name"});
  if (!rows) return failed("search_read", rows.error());
  for (const company_row& row : rows.value())
    std::printf("%lld %s (%s)\n", static_cast<long long>(row.id), row.name.c_str(), row.country_code.value_or("-").c_str());
  return 0;
}
