// README "Connecting and reading": connects with settings read through
// env(), here served by a fake Odoo on a loopback port, so the snippet runs
// its real path (version probe, login, libcurl), and reads the companies.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"

namespace {

std::map<std::string, std::string> settings;

std::string env(const char* name) {
  auto it = settings.find(name);
  return it == settings.end() ? std::string() : it->second;
}

}  // namespace

int main() {
  using namespace odoolink;
  auto fake = std::make_shared<testing::fake_odoo>();
  readme::expect_value(fake->seed(R"({"res.partner": [{"name": "Acme", "is_company": true},
                                                      {"name": "Ada Lovelace", "is_company": false}]})"),
                       "seed");
  auto listener = fake->listen();
  if (!readme::expect_value(listener, "listen")) return 1;
  settings = {{"ODOOLINK_URL", listener.value()->url()}, {"ODOOLINK_DB", "odoolink"},
              {"ODOOLINK_USER", "admin"}, {"ODOOLINK_PASSWORD", "admin"}};

#include "snippet.inc"

  if (!readme::expect_value(odoo, "connect") || !readme::expect_value(rows, "search_read")) return 1;
  // The companies: the seeded one and the fake's own company, not the person.
  auto doc = json::parse(rows.value().json());
  std::vector<std::string> names;
  if (doc && doc.value().is_array())
    for (const json::value& row : doc.value().as_array()) names.push_back(row.find("name")->as_string());
  readme::expect(names == std::vector<std::string>{"YourCompany", "Acme"},
                 "search_read returns the companies: " + std::string(rows.value().json()));
  readme::expect(fake->stats().requests >= 2, "the calls went over HTTP");
  return readme::finish("connect");
}
