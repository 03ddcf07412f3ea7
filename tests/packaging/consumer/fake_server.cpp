// Uses the installed odoolink::testing component the way a host
// application's own tests do: a fake Odoo in process, one call through the
// real client, and the record it created read back. Exits non-zero on any
// mismatch.
#include <cstdio>
#include <memory>

#include <odoolink/client/client.hpp>
#include <odoolink/json/parse.hpp>
#include <odoolink/testing/fake_odoo.hpp>

int main() {
  using namespace odoolink;
  auto fake = std::make_shared<testing::fake_odoo>();
  auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                    .password = "admin", .protocol = client::protocol_kind::jsonrpc, .transport = fake});
  if (!c) {
    std::fprintf(stderr, "fake_server: FAILED: connect: %s\n", c.error().describe().c_str());
    return 1;
  }
  auto created = c.value().execute_kw("res.partner", "create", json::array{json::object{{"name", "Consumer Co"}}});
  if (!created) {
    std::fprintf(stderr, "fake_server: FAILED: create: %s\n", created.error().describe().c_str());
    return 1;
  }
  const auto id = json::parse(created.value().json()).value().as_int();
  auto record = fake->record("res.partner", id);
  if (!record || !(*record->find("name") == json::value("Consumer Co"))) {
    std::fprintf(stderr, "fake_server: FAILED: the record was not stored\n");
    return 1;
  }
  std::printf("fake_server: created res.partner %lld through the fake\n", static_cast<long long>(id));
  return 0;
}
