// Consumes the Conan package the way a host application's tests would: a
// fake Odoo (odoolink::testing) serving on a loopback port, the client
// talking to it over HTTP (libcurl when the package has the transport), one
// record created and read back through a typed view. With the PostgreSQL
// store built in, opening a store against a closed port must fail cleanly
// (libpq linked and answering). Exits non-zero on any mismatch.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <odoolink/client/client.hpp>
#include <odoolink/json/parse.hpp>
#include <odoolink/model/proxy.hpp>
#include <odoolink/model/view.hpp>
#include <odoolink/models/res_partner.hpp>
#include <odoolink/testing/fake_odoo.hpp>
#include <odoolink/version.hpp>
#ifdef ODOOLINK_HAS_POSTGRES
#include <odoolink/outbox/postgres_store.hpp>
#endif

namespace {

struct partner_row {
  std::int64_t id = 0;
  std::string name;
  bool is_company = false;
  ODOOLINK_VIEW(partner_row, odoolink::models::res_partner, id, name, is_company)
};

int fail(const char* what, const odoolink::error& e) {
  std::fprintf(stderr, "test_package: FAILED: %s: %s\n", what, e.describe().c_str());
  return 1;
}

}  // namespace

int main() {
  using namespace odoolink;
  using models::res_partner;

  auto fake = std::make_shared<testing::fake_odoo>();
  client::client_options options{.database = "odoolink", .login = "admin", .password = "admin"};
#ifdef ODOOLINK_HAS_CURL
  auto listener = fake->listen();
  if (!listener) return fail("listen", listener.error());
  options.url = listener.value()->url();
  const char* path = "libcurl over loopback";
#else
  options.url = "http://127.0.0.1:8069";
  options.transport = fake;
  const char* path = "in-process transport";
#endif
  auto odoo = client::client::connect(options);
  if (!odoo) return fail("connect", odoo.error());

  auto created = odoo.value().execute_kw("res.partner", "create",
                                         json::array{json::object{{"name", "Conan Co"}, {"is_company", true}}});
  if (!created) return fail("create", created.error());
  const auto id = json::parse(created.value().json()).value().as_int();

  model::proxy<res_partner> partners(odoo.value());
  auto rows = partners.search_read<partner_row>(res_partner::is_company == true && res_partner::name == "Conan Co");
  if (!rows) return fail("search_read", rows.error());
  if (rows.value().size() != 1 || rows.value()[0].id != id || rows.value()[0].name != "Conan Co") {
    std::fprintf(stderr, "test_package: FAILED: read back %zu rows, not the created partner %lld\n",
                 rows.value().size(), static_cast<long long>(id));
    return 1;
  }

#ifdef ODOOLINK_HAS_POSTGRES
  auto store = outbox::postgres_store::open({.conninfo = "host=127.0.0.1 port=1 connect_timeout=2"});
  if (store) {
    std::fprintf(stderr, "test_package: FAILED: a PostgreSQL store opened on a closed port\n");
    return 1;
  }
  std::printf("odoolink %s: postgres store refused a closed port: %s\n", ODOOLINK_VERSION_STRING,
              store.error().describe().c_str());
#endif
  std::printf("odoolink %s: created res.partner %lld on the fake Odoo and read it back (%s)\n",
              ODOOLINK_VERSION_STRING, static_cast<long long>(id), path);
  return 0;
}
