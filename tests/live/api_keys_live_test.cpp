// API keys made and revoked against a real Odoo server (see live_env.hpp).
#include <doctest/doctest.h>

#include <chrono>
#include <ctime>

#include "live/live_env.hpp"
#include "odoolink/client/api_keys.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::client;

namespace {

// Tomorrow, as a UTC datetime.
std::string tomorrow() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours(24));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace

TEST_CASE("an API key is made used and revoked on a real Odoo") {
  auto s = test::live_or_skip();
  if (!s) return;
  auto c = odoolink::client::client::connect(
      {.url = s->url, .database = s->database, .login = s->user, .password = s->password,
       .protocol = protocol_kind::web_session});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  const bool expiring = c.value().info().version.major >= 18;
  if (!expiring) {
    // Odoo 16 and 17 keys never expire: asking for an expiry is refused before any call.
    auto refused = generate_api_key(c.value(), {.name = "odoolink live", .expiration = tomorrow(), .password = s->password});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == protocol_errc::unsupported_call);
  }
  auto key = generate_api_key(c.value(), {.name = "odoolink live", .expiration = expiring ? tomorrow() : std::string(),
                                          .password = s->password});
  REQUIRE_MESSAGE(key.has_value(), odoolink::test::error_of(key).describe());
  auto keys = list_api_keys(c.value());
  REQUIRE_MESSAGE(keys.has_value(), odoolink::test::error_of(keys).describe());
  std::int64_t id = 0;
  for (const auto& k : keys.value())
    if (k.name == "odoolink live") id = k.id;
  REQUIRE(id > 0);

  // The key logs in: JSON-2 on 19, as a password on JSON-RPC everywhere.
  const bool json2 = c.value().info().version.has_json2();
  client_options by_key{.url = s->url, .database = s->database, .login = s->user,
                        .protocol = json2 ? protocol_kind::json2 : protocol_kind::jsonrpc};
  if (json2) by_key.api_key = key.value();
  else by_key.password = key.value();
  auto used = odoolink::client::client::connect(by_key);
  REQUIRE_MESSAGE(used.has_value(), odoolink::test::error_of(used).describe());

  auto revoked = revoke_api_key(c.value(), id, s->password);
  REQUIRE_MESSAGE(revoked.has_value(), odoolink::test::error_of(revoked).describe());
  auto refused = odoolink::client::client::connect(by_key);
  REQUIRE(refused.has_error());
  CHECK(refused.error() == condition::auth);
  CHECK(refused.error().describe().find(key.value()) == std::string::npos);
}
