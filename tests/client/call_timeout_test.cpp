// A per-call timeout replaces the client's per-request one, for that call
// only, through the default libcurl transport and a real loopback server
// (the fake Odoo's listener, made slow by an injected latency).
#include <doctest/doctest.h>

#include "support/error_of.hpp"

#if defined(ODOOLINK_HAS_CURL)

#include <chrono>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/time_scale.hpp"

using namespace odoolink;
using namespace std::chrono_literals;
using odoolink::test::scaled;

namespace {

// Every wait and limit here is scaled together (support/time_scale.hpp):
// under an emulator a fast call takes longer, and the slow calls must stay
// slower than the short limits and faster than the long ones.
const auto slow = scaled(700ms);  // how long the server takes for the slow calls

client::client connect(const std::string& url, client::protocol_kind p, std::chrono::milliseconds timeout) {
  auto c = client::client::connect({.url = url, .database = "odoolink", .login = "admin", .password = "admin",
                                    .protocol = p, .timeout = timeout});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  return std::move(c).value();
}

json::value domain_all() { return json::array{json::array{}}; }

}  // namespace

TEST_CASE("a longer per-call timeout lets one slow call finish where the client's would time out") {
  testing::fake_odoo server;
  auto listener = server.listen();
  REQUIRE_MESSAGE(listener.has_value(), odoolink::test::error_of(listener).describe());
  for (auto p : {client::protocol_kind::jsonrpc, client::protocol_kind::xmlrpc}) {
    CAPTURE(client::to_string(p));
    auto c = connect(listener.value()->url(), p, scaled(300ms));
    server.inject({.kind = testing::fake_fault_kind::latency, .model = "res.partner", .method = "search_count",
                   .count = 2, .latency = slow});
    auto short_one = c.execute_kw("res.partner", "search_count", domain_all());
    REQUIRE_FALSE(short_one.has_value());
    CHECK(short_one.error() == transport_errc::timeout);
    CHECK(short_one.error().message().find("res.partner.search_count") != std::string::npos);

    auto patient =
        c.execute_kw("res.partner", "search_count", domain_all(), json::object{}, {.timeout = scaled(5000ms)});
    REQUIRE_MESSAGE(patient.has_value(), odoolink::test::error_of(patient).describe());
    CHECK(json::parse(patient.value().json()).value().as_int() >= 1);
    // The next call has the client's limit again (and is fast).
    CHECK(c.execute_kw("res.partner", "search_count", domain_all()).has_value());
    server.clear_faults();
  }
}

TEST_CASE("a shorter per-call timeout cuts one call short and a create then has an unknown outcome") {
  testing::fake_odoo server;
  auto listener = server.listen();
  REQUIRE_MESSAGE(listener.has_value(), odoolink::test::error_of(listener).describe());
  auto c = connect(listener.value()->url(), client::protocol_kind::web_session, scaled(10000ms));
  server.inject({.kind = testing::fake_fault_kind::latency, .model = "res.partner", .method = "create",
                 .count = 1, .latency = slow});
  const auto started = std::chrono::steady_clock::now();
  auto cut = c.execute_kw("res.partner", "create", json::array{json::object{{"name", "Late"}}}, json::object{},
                          {.timeout = scaled(200ms)});
  CHECK(std::chrono::steady_clock::now() - started < scaled(5000ms));
  REQUIRE_FALSE(cut.has_value());
  // The server may still apply a create whose answer never came.
  CHECK(cut.error() == transport_errc::outcome_unknown);

  // Host-driven: the same per-call limit applies to submitted calls.
  server.inject({.kind = testing::fake_fault_kind::latency, .model = "res.partner", .method = "search_count",
                 .count = 1, .latency = slow});
  std::optional<result<protocol::reply>> outcome;
  auto id = c.submit({"res.partner", "search_count", domain_all()}, [&](result<protocol::reply> r) { outcome = std::move(r); },
                     {.timeout = scaled(200ms)});
  REQUIRE_MESSAGE(id.has_value(), odoolink::test::error_of(id).describe());
  const auto limit = std::chrono::steady_clock::now() + scaled(10s);
  while (!outcome && std::chrono::steady_clock::now() < limit) REQUIRE(c.poll(50ms).has_value());
  REQUIRE(outcome.has_value());
  REQUIRE_FALSE(outcome->has_value());
  CHECK(outcome->error() == transport_errc::timeout);
}

#endif  // ODOOLINK_HAS_CURL
