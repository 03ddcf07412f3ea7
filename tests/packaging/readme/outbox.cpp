// README "Outbox": the snippet enqueues a customer into a SQLite outbox in
// the working directory (with the shipped contracts next to it) and pumps
// the relay into a fake Odoo; the partner must exist afterwards, once.
#include <filesystem>
#include <memory>
#include <string>

#include "harness.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "odoolink/outbox/sqlite_store.hpp"
#include "odoolink/testing/fake_odoo.hpp"

int main() {
  using namespace odoolink;
  for (const char* f : {"pos.outbox", "pos.outbox-wal", "pos.outbox-shm"}) std::filesystem::remove(f);
  auto fake = std::make_shared<testing::fake_odoo>();
  auto connected = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink",
                                            .login = "admin", .password = "admin", .transport = fake});
  if (!readme::expect_value(connected, "connect")) return 1;
  client::client odoo = connected.value();

  {
#include "snippet.inc"

    readme::expect_value(queued, "enqueue");
    readme::expect_value(report, "pump");
    readme::expect(report && report.value().delivered == 1, "the relay delivered the event");
    readme::expect(wake && wake.value().is_idle(), "nothing left to do: no wakeup");
  }
  auto ada = fake->xml_id("pos.customer_17");
  readme::expect(ada && ada->first == "res.partner", "the customer reached Odoo under its external id");
  readme::expect(fake->count("res.partner") >= 1, "a partner exists");
  return readme::finish("outbox");
}
