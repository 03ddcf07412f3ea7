// README "Testing your integration": the snippet's fake (`odoo`) and client
// (`c`); the seeded partner, the hook and the fault must all take effect.
#include <memory>
#include <optional>

#include "harness.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"

int main() {
  using namespace odoolink;

#include "snippet.inc"

  readme::expect_value(seeded, "seed");
  if (!readme::expect_value(c, "connect")) return 1;
  readme::expect(odoo->xml_id("test.acme").has_value(), "the seeded partner has its external id");

  auto confirmed = c.value().execute_kw("sale.order", "action_confirm", json::array{json::array{1}});
  readme::expect(!confirmed && confirmed.error() == condition::user_error &&
                     confirmed.error().describe().find("Credit limit") != std::string::npos,
                 "the hook raises UserError");
  auto loaded = c.value().execute_kw("sale.order", "load",
                                     json::array{json::array{"name"}, json::array{json::array{"S1"}}});
  readme::expect(!loaded && loaded.error() == transport_errc::outcome_unknown,
                 "the injected lost response makes the load's outcome unknown");
  return readme::finish("fake");
}
