// One error taxonomy on a real Odoo: each fault gets the same odoo_errc on
// every protocol the server offers (see live_env.hpp).
#include <doctest/doctest.h>

#include <string>

#include "live/live_env.hpp"
#include "odoolink/client/client.hpp"
#include "support/error_of.hpp"

using namespace odoolink;

TEST_CASE("a real Odoo gives each fault the same odoo_errc on every protocol") {
  const auto live = test::live_or_skip();
  if (!live) return;
  struct fault_call {
    const char* fault;
    const char* model;
    const char* method;
    json::value args;
    json::value kwargs;
    odoo_errc code;
  };
  const std::vector<fault_call> faults = {
      {"unknown model", "no.such.model", "search_count", json::array{}, json::object{{"domain", json::array{}}},
       odoo_errc::unknown_model},
      {"unknown method", "res.partner", "no_such_method", json::array{}, json::object{}, odoo_errc::unknown_method},
      {"write to a deleted record", "res.partner", "write",
       json::array{json::array{2147483000}, json::object{{"comment", "x"}}}, json::object{}, odoo_errc::missing_error},
      {"unknown field", "res.partner", "search_read", json::array{},
       json::object{{"domain", json::array{}}, {"fields", json::array{"no_such_field"}}, {"limit", 1}},
       odoo_errc::invalid_value},
      {"unknown field in a domain", "res.partner", "search_count", json::array{},
       json::object{{"domain", json::array{json::array{"no_such_field", "=", 1}}}}, odoo_errc::invalid_value},
      {"unknown load column", "res.partner", "load",
       json::array{json::array{"id", "name", "no_such_col"}, json::array{json::array{"odoolink_live.none_1", "A", "1"}}},
       json::object{}, odoo_errc::invalid_value},
  };
  for (auto p : test::protocols_offered(*live)) {
    CAPTURE(std::string(client::to_string(p)));
    auto c = client::client::connect(test::options_for(*live, p));
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    for (const auto& f : faults) {
      CAPTURE(f.fault);
      auto r = c.value().execute_kw(f.model, f.method, f.args, f.kwargs);
      REQUIRE_FALSE(r.has_value());
      CHECK_MESSAGE(r.error() == f.code, r.error().describe());
    }
  }
}
