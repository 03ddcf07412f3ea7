// API keys made, listed, revoked and expired through the fake Odoo.

#include <doctest/doctest.h>

#include <chrono>

#include "odoolink/client/api_keys.hpp"
#include "odoolink/testing/fake_clock.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using testing::fake_odoo;

namespace {

// 2026-12-04 12:00:00 UTC.
constexpr std::chrono::system_clock::time_point start{std::chrono::seconds(1796385600)};

struct fixture {
  std::shared_ptr<testing::fake_clock> clock = std::make_shared<testing::fake_clock>(start);
  std::shared_ptr<fake_odoo> server;

  explicit fixture(int version = 19) {
    testing::fake_options o;
    o.major_version = version;
    o.users.front().api_key = "test-key";
    o.clock = clock;
    server = std::make_shared<fake_odoo>(o);
  }

  result<client::client> connect(client::protocol_kind p, std::string key = {}) const {
    client::client_options o{.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin"};
    if (p == client::protocol_kind::json2) o.api_key = key.empty() ? "test-key" : key;
    else o.password = key.empty() ? "admin" : key;
    o.protocol = p;
    o.transport = server;
    return client::client::connect(std::move(o));
  }
  client::client must_connect(client::protocol_kind p) const {
    auto c = connect(p);
    if (!c) FAIL(c.error().describe());
    return std::move(c).value();
  }
};

std::vector<client::protocol_kind> all_protocols() {
  return {client::protocol_kind::jsonrpc, client::protocol_kind::web_session, client::protocol_kind::json2
#if defined(ODOOLINK_HAS_XMLRPC)
          , client::protocol_kind::xmlrpc
#endif
  };
}

template <class T>
T ok(result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  return std::move(r).value();
}

}  // namespace

TEST_CASE("an API key is made listed used and revoked on every protocol") {
  for (auto p : all_protocols()) {
    CAPTURE(client::to_string(p));
    fixture f;
    auto c = f.must_connect(p);
    const std::string key = ok(client::generate_api_key(c, {.name = "sync robot", .password = "admin"}));
    CHECK(key.size() == 40);
    const auto keys = ok(client::list_api_keys(c));
    REQUIRE(keys.size() == 1);
    CHECK(keys[0].name == "sync robot");
    CHECK(keys[0].expiration.empty());
    CHECK(!keys[0].created.empty());
    CHECK(f.server->count("res.users.apikeys.description") == 0);  // the wizard is gone

    // The key works on its own: JSON-2, and as a password on JSON-RPC.
    auto by_key = f.connect(client::protocol_kind::json2, key);
    REQUIRE_MESSAGE(by_key.has_value(), odoolink::test::error_of(by_key).describe());
    CHECK(by_key.value().execute_kw("res.partner", "search_count", json::array{json::array{}}).has_value());
    CHECK(f.connect(client::protocol_kind::jsonrpc, key).has_value());

    ok(client::revoke_api_key(c, keys[0].id, "admin"));
    CHECK(ok(client::list_api_keys(c)).empty());
    ok(client::revoke_api_key(c, keys[0].id, "admin"));  // already gone: done

    // A revoked key: refused at connect, and on the next call of a client that used it.
    auto refused = f.connect(client::protocol_kind::json2, key);
    REQUIRE(refused.has_error());
    CHECK(refused.error() == odoo_errc::access_denied);
    CHECK(refused.error() == condition::auth);
    CHECK(refused.error().message().find("revoked") != std::string::npos);
    auto late = by_key.value().execute_kw("res.partner", "search_count", json::array{json::array{}});
    REQUIRE(late.has_error());
    CHECK(late.error() == condition::auth);
  }
}

TEST_CASE("on Odoo 16 and 17 a key without expiry is made listed used and revoked and an expiry is refused before any call") {
  for (int series : {16, 17}) {
    CAPTURE(series);
    fixture f(series);
    auto c = f.must_connect(client::protocol_kind::jsonrpc);
    const auto calls = f.server->stats().calls;
    auto expiring = client::generate_api_key(c, {.name = "robot", .expiration = "2026-12-05 12:00:00", .password = "admin"});
    REQUIRE(expiring.has_error());
    CHECK(expiring.error() == protocol_errc::unsupported_call);
    CHECK(f.server->stats().calls == calls);
    const std::string key = ok(client::generate_api_key(c, {.name = "robot", .password = "admin"}));
    // The list asks for no expiry: these series have no such field (a real 16 or 17 refuses the read).
    const auto keys = ok(client::list_api_keys(c));
    REQUIRE(keys.size() == 1);
    CHECK(keys[0].expiration.empty());
    CHECK(f.connect(client::protocol_kind::jsonrpc, key).has_value());
    ok(client::revoke_api_key(c, keys[0].id, "admin"));
    CHECK(f.connect(client::protocol_kind::jsonrpc, key).has_error());
  }
}

TEST_CASE("an expired API key is an auth error on JSON-2 and JSON-RPC") {
  fixture f;
  auto c = f.must_connect(client::protocol_kind::web_session);
  const std::string key =
      ok(client::generate_api_key(c, {.name = "one hour", .expiration = "2026-12-04 13:00:00", .password = "admin"}));
  CHECK(ok(client::list_api_keys(c)).front().expiration == "2026-12-04 13:00:00");

  auto json2 = f.connect(client::protocol_kind::json2, key);
  auto jsonrpc = f.connect(client::protocol_kind::jsonrpc, key);
  REQUIRE_MESSAGE(json2.has_value(), odoolink::test::error_of(json2).describe());
  REQUIRE_MESSAGE(jsonrpc.has_value(), odoolink::test::error_of(jsonrpc).describe());

  f.clock->advance(std::chrono::hours(2));
  for (auto* expired : {&json2.value(), &jsonrpc.value()}) {
    CAPTURE(client::to_string(expired->info().protocol));
    auto r = expired->execute_kw("res.partner", "search_count", json::array{json::array{}});
    REQUIRE(r.has_error());
    CHECK(r.error() == odoo_errc::access_denied);
    CHECK(r.error() == condition::auth);
    CHECK(r.error().message().find(key) == std::string::npos);
  }
  auto again = f.connect(client::protocol_kind::json2, key);
  REQUIRE(again.has_error());
  CHECK(again.error() == condition::auth);
  CHECK(again.error().message().find("expired") != std::string::npos);
}

TEST_CASE("API key errors are clear and never quote the key or the password") {
  fixture f(18);  // the password goes through the identity check wizard's field
  auto c = f.must_connect(client::protocol_kind::jsonrpc);
  auto wrong = client::generate_api_key(c, {.name = "x", .password = "not-the-password"});
  REQUIRE(wrong.has_error());
  CHECK(wrong.error() == odoo_errc::user_error);
  CHECK(wrong.error().message().find("Incorrect Password") != std::string::npos);
  CHECK(wrong.error().describe().find("not-the-password") == std::string::npos);
  CHECK(client::generate_api_key(c, {.name = "x"}).error() == protocol_errc::unsupported_call);
  CHECK(client::generate_api_key(c, {.password = "admin"}).error() == protocol_errc::unsupported_call);
  CHECK(client::revoke_api_key(c, 1, "").error() == protocol_errc::unsupported_call);

  // A server that echoes the new key in a later error: the client masks it.
  const std::string key = ok(client::generate_api_key(c, {.name = "echo", .password = "admin"}));
  f.server->on_call("res.partner", "search",
                    [key](const testing::fake_call&, fake_odoo&) -> std::optional<testing::fake_hook_outcome> {
                      return testing::fake_hook_outcome{std::nullopt,
                                                        testing::fake_exception{"odoo.exceptions.UserError",
                                                                                "bad key " + key}};
                    });
  auto echoed = c.execute_kw("res.partner", "search", json::array{json::array{}});
  REQUIRE(echoed.has_error());
  CHECK(echoed.error().message().find("bad key") != std::string::npos);
  CHECK(echoed.error().describe().find(key) == std::string::npos);
}
