// Typed reads negotiated with the server: each client learns a model's fields
// once (fields_get), refuses a typed record naming a field the server lacks
// before any call, leaves out the fields a record marks optional, and reads
// the default full record of any series from a server of any series.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/model/proxy.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/models/v17/res_partner.hpp"
#include "odoolink/models/v19/res_partner.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace m = odoolink::model;

namespace {

struct served {
  std::shared_ptr<testing::fake_odoo> server;
  client::client connection;
  std::vector<json::value> asked;  // the `fields` of every search_read/read, in order
};

std::unique_ptr<served> serve(int series) {
  testing::fake_options o;
  o.major_version = series;
  auto server = std::make_shared<testing::fake_odoo>(o);
  const auto seeded = server->seed(R"({"res.partner": [{"name": "Deco Addict", "is_company": true, "email": "deco@example.com"},
                                                      {"name": "Azure Interior", "is_company": true}]})");
  REQUIRE_MESSAGE(seeded.has_value(), odoolink::test::error_of(seeded).describe());
  auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                    .password = "admin", .protocol = client::protocol_kind::jsonrpc, .transport = server});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  auto out = std::make_unique<served>(served{server, std::move(c).value(), {}});
  for (const char* method : {"search_read", "read"})
    server->on_call("res.partner", method, [seen = out.get()](const testing::fake_call& call, testing::fake_odoo&) {
      const json::value* f = call.params.find("fields");
      seen->asked.push_back(f != nullptr ? *f : json::value(nullptr));
      return std::optional<testing::fake_hook_outcome>{};
    });
  return out;
}

std::size_t calls_of(const testing::fake_odoo& s, const std::string& method) {
  const auto stats = s.stats();
  const auto it = stats.per_method.find(method);
  return it == stats.per_method.end() ? 0 : it->second;
}

bool asks_for(const json::value& fields, std::string_view name) {
  for (const auto& f : fields.as_array())
    if (f.is_string() && f.as_string() == name) return true;
  return false;
}

// A view of Odoo 18's res.partner with `mobile`, which Odoo 19 lacks.
struct contact_row {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> mobile;
  ODOOLINK_VIEW(contact_row, models::res_partner, id, name, mobile)
};
// The same, with `mobile` optional.
struct contact_row_any_series {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> mobile;
  std::optional<std::string> email;
  ODOOLINK_VIEW(contact_row_any_series, models::res_partner, id, name, mobile, email)
  ODOOLINK_OPTIONAL(mobile)
};

}  // namespace

TEST_CASE("a typed record naming a field the server lacks fails before the call") {
  auto s = serve(19);
  m::proxy<models::res_partner> partners(s->connection);
  auto rows = partners.search_read<contact_row>({});
  REQUIRE_FALSE(rows.has_value());
  CHECK(rows.error().code() == protocol_errc::unknown_field);
  const std::string msg = rows.error().message();
  CHECK(msg.find("res.partner") != std::string::npos);
  CHECK(msg.find("\"mobile\"") != std::string::npos);
  CHECK(msg.find("Odoo 19") != std::string::npos);
  CHECK(calls_of(*s->server, "search_read") == 0);  // refused before sending
  CHECK(calls_of(*s->server, "fields_get") == 1);
  // read and the host-driven forms check the same way.
  auto read = partners.read<contact_row>(1);
  REQUIRE_FALSE(read.has_value());
  CHECK(read.error().code() == protocol_errc::unknown_field);
  bool called = false;
  auto submitted = partners.submit_read<contact_row>({1}, [&](result<m::decoded<contact_row>>) { called = true; });
  REQUIRE_FALSE(submitted.has_value());
  CHECK(submitted.error().code() == protocol_errc::unknown_field);
  CHECK_FALSE(called);
  CHECK(calls_of(*s->server, "fields_get") == 1);  // learnt once per model and client
}

TEST_CASE("an optional field the server lacks is left out and decodes as empty") {
  auto s = serve(19);
  m::proxy<models::res_partner> partners(s->connection);
  auto rows = partners.search_read<contact_row_any_series>({}, {.order = "id"});
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(s->asked.size() == 1);
  CHECK_FALSE(asks_for(s->asked[0], "mobile"));
  CHECK(asks_for(s->asked[0], "email"));
  bool deco = false;
  for (const auto& r : rows.value()) {
    CHECK_FALSE(r.mobile.has_value());
    if (r.name == "Deco Addict") deco = r.email == std::optional<std::string>("deco@example.com");
  }
  CHECK(deco);
  // On a server that has it, the same record asks for it.
  auto s18 = serve(18);
  m::proxy<models::res_partner> partners18(s18->connection);
  REQUIRE(partners18.search_read<contact_row_any_series>({}).has_value());
  REQUIRE(s18->asked.size() == 1);
  CHECK(asks_for(s18->asked[0], "mobile"));
}

TEST_CASE("the default full record of every series reads from a server of every series") {
  for (const int series : {17, 18, 19}) {
    CAPTURE(series);
    auto s = serve(series);
    const auto server_fields = s->connection.server_fields().get(s->connection, "res.partner");
    REQUIRE(server_fields.has_value());
    m::proxy<models::v17::res_partner> p17(s->connection);
    m::proxy<models::res_partner> p18(s->connection);
    m::proxy<models::v19::res_partner> p19(s->connection);
    auto r17 = p17.search_read({});
    REQUIRE_MESSAGE(r17.has_value(), odoolink::test::error_of(r17).describe());
    auto r18 = p18.search_read({});
    REQUIRE_MESSAGE(r18.has_value(), odoolink::test::error_of(r18).describe());
    auto r19 = p19.read({1, 2});
    REQUIRE_MESSAGE(r19.has_value(), odoolink::test::error_of(r19).describe());
    CHECK(r17.value().size() == r18.value().size());
    CHECK(r19.value().size() == 2);
    // Each asked only for fields the server has.
    REQUIRE(s->asked.size() == 3);
    for (const auto& asked : s->asked)
      for (const auto& f : asked.as_array()) CHECK_MESSAGE(server_fields.value()->has(f.as_string()), f.as_string());
    CHECK(asks_for(s->asked[1], "mobile") == (series < 19));
  }
}

TEST_CASE("the fields cache is per client and refreshable / trust mode sends views unchecked") {
  auto s = serve(18);
  m::proxy<models::res_partner> partners(s->connection);
  REQUIRE(partners.search_read<contact_row>({}).has_value());
  REQUIRE(partners.read<contact_row>(1).has_value());
  CHECK(calls_of(*s->server, "fields_get") == 1);
  auto cached = s->connection.server_fields().find("res.partner");
  REQUIRE(cached != nullptr);
  CHECK(cached->has("mobile"));
  CHECK(cached->type_of("parent_id") != nullptr);
  CHECK(*cached->type_of("parent_id") == "many2one");
  CHECK_FALSE(cached->has("no_such_field"));
  s->connection.server_fields().refresh("res.partner");
  CHECK(s->connection.server_fields().find("res.partner") == nullptr);
  REQUIRE(partners.search_read<contact_row>({}).has_value());
  CHECK(calls_of(*s->server, "fields_get") == 2);

  // A cache seeded by hand is used as is, and trust mode never asks.
  auto s19 = serve(19);
  s19->connection.server_fields().set_mode(client::field_check::trust);
  m::proxy<models::res_partner> trusting(s19->connection);
  auto rows = trusting.search_read<contact_row>({});
  REQUIRE_FALSE(rows.has_value());  // Odoo 19 itself refuses the unknown field
  CHECK(rows.error().code() != protocol_errc::unknown_field);
  CHECK(calls_of(*s19->server, "fields_get") == 0);
  CHECK(calls_of(*s19->server, "search_read") == 1);
}

TEST_CASE("parse_model_fields reads the names and types of a fields_get answer") {
  auto f = client::parse_model_fields("x.demo", R"({"name": {"type": "char"}, "a_id": {"type": "many2one"}, "odd": {}})");
  REQUIRE(f.has_value());
  REQUIRE(f.value().fields.size() == 3);
  CHECK(f.value().fields[0].first == "a_id");  // sorted
  CHECK(*f.value().type_of("name") == "char");
  CHECK(f.value().type_of("odd")->empty());
  CHECK(f.value().type_of("zzz") == nullptr);
  auto bad = client::parse_model_fields("x.demo", "[1, 2]");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code() == protocol_errc::unexpected_type);
}
