// The fake Odoo raises each fault the way the real server does on each
// protocol, and the client reads the same odoo_errc from all of them.

#include <doctest/doctest.h>

#include "odoolink/client/client.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using testing::fake_odoo;

namespace {

std::shared_ptr<fake_odoo> server(int version) {
  testing::fake_options o;
  o.major_version = version;
  o.users.front().api_key = "test-key";
  auto s = std::make_shared<fake_odoo>(o);
  // A method that returns None, as many Odoo actions do.
  s->on_call("res.partner", "action_touch",
             [](const testing::fake_call&, fake_odoo&) { return testing::fake_hook_outcome{json::value(nullptr), {}}; });
  return s;
}

client::client_options options(std::shared_ptr<fake_odoo> s, client::protocol_kind p, std::string secret) {
  client::client_options o{.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin"};
  if (p == client::protocol_kind::json2) o.api_key = std::move(secret);
  else o.password = std::move(secret);
  o.protocol = p;
  o.transport = std::move(s);
  return o;
}

std::vector<client::protocol_kind> protocols_of(int version) {
  std::vector<client::protocol_kind> out{client::protocol_kind::jsonrpc, client::protocol_kind::web_session};
#if defined(ODOOLINK_HAS_XMLRPC)
  out.push_back(client::protocol_kind::xmlrpc);
#endif
  if (version >= 19) out.push_back(client::protocol_kind::json2);
  return out;
}

// Runs `check` with a client of a fresh fake server for each protocol of each series.
template <class Check>
void on_every_protocol(std::initializer_list<int> versions, Check check) {
  for (int version : versions) {
    for (auto p : protocols_of(version)) {
      CAPTURE(version);
      CAPTURE(client::to_string(p));
      auto s = server(version);
      auto c = client::client::connect(options(s, p, p == client::protocol_kind::json2 ? "test-key" : "admin"));
      REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
      check(s, p, c.value());
    }
  }
}

struct fault_call {
  const char* fault;
  const char* model;
  const char* method;
  json::value args;
  json::value kwargs;
  odoo_errc code;
};

}  // namespace

TEST_CASE("the fake raises each fault with the same odoo_errc on every protocol and series") {
  const std::vector<fault_call> faults = {
      {"unknown model", "no.such.model", "search_count", json::array{}, json::object{{"domain", json::array{}}},
       odoo_errc::unknown_model},
      {"unknown method", "res.partner", "no_such_method", json::array{}, json::object{}, odoo_errc::unknown_method},
      {"write to a deleted record", "res.partner", "write",
       json::array{json::array{999999}, json::object{{"name", "x"}}}, json::object{}, odoo_errc::missing_error},
      {"unknown field", "res.partner", "search_read", json::array{},
       json::object{{"domain", json::array{}}, {"fields", json::array{"no_such_field"}}}, odoo_errc::invalid_value},
      {"unknown field in a domain", "res.partner", "search_count", json::array{},
       json::object{{"domain", json::array{json::array{"no_such_field", "=", 1}}}}, odoo_errc::invalid_value},
  };
  on_every_protocol({17, 18, 19}, [&](const std::shared_ptr<fake_odoo>& s, client::protocol_kind p, client::client& c) {
    for (const auto& f : faults) {
      CAPTURE(f.fault);
      auto r = c.execute_kw(f.model, f.method, f.args, f.kwargs);
      REQUIRE_FALSE(r.has_value());
      CHECK_MESSAGE(r.error() == f.code, r.error().describe());
    }
    auto refused = client::client::connect(options(s, p, "wrong-secret"));
    REQUIRE_FALSE(refused.has_value());
    CHECK_MESSAGE(refused.error() == odoo_errc::access_denied, refused.error().describe());
    CHECK(refused.error().describe().find("wrong-secret") == std::string::npos);
  });
}

TEST_CASE("a load column the model lacks is invalid_value naming the field on every protocol and series") {
  // Odoo 17 fails on a bare KeyError ('no_such_col'), 18 and 19 say "Invalid field name".
  on_every_protocol({17, 18, 19}, [](const std::shared_ptr<fake_odoo>&, client::protocol_kind, client::client& c) {
    auto r = c.execute_kw("res.partner", "load",
                          json::array{json::array{"id", "name", "no_such_col"}, json::array{json::array{"x.p_1", "A", "1"}}},
                          json::object{});
    REQUIRE_FALSE(r.has_value());
    CHECK_MESSAGE(r.error() == odoo_errc::invalid_value, r.error().describe());
    CHECK(r.error().message().find("Invalid field name 'no_such_col'") != std::string::npos);
  });
}

TEST_CASE("a None result is null on the JSON protocols and unmarshallable_result on XML-RPC") {
  on_every_protocol({18, 19}, [](const std::shared_ptr<fake_odoo>&, client::protocol_kind p, client::client& c) {
    auto r = c.execute_kw("res.partner", "action_touch", json::array{}, json::object{});
    if (p == client::protocol_kind::xmlrpc) {
      REQUIRE_FALSE(r.has_value());
      CHECK_MESSAGE(r.error() == odoo_errc::unmarshallable_result, r.error().describe());
      CHECK(r.error().message().find("returned None") != std::string::npos);
    } else {
      REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
      CHECK(r.value().json() == "null");
    }
  });
}
