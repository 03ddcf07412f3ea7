// Building a client without a server: `create` does no I/O, the first call
// connects (blocking for execute_kw, host-driven for submit), and a failed
// connection is tried again by the next call.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>

#include "odoolink/client/client.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace std::chrono_literals;

namespace {

client::client_options on(std::shared_ptr<transport::http_transport> t) {
  return {.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin", .password = "admin",
          .transport = std::move(t)};
}

// Fails every request as an unreachable server would, while `down`.
class switchable final : public transport::sync_transport {
 public:
  explicit switchable(std::shared_ptr<testing::fake_odoo> odoo) : odoo_(std::move(odoo)) {}
  bool down = true;
  std::size_t refused = 0;
  [[nodiscard]] result<http_response> send(const http_request& request) override {
    if (down) {
      ++refused;
      return error(transport_errc::connect_failed, "127.0.0.1:8069: connection refused");
    }
    return odoo_->send(request);
  }

 private:
  std::shared_ptr<testing::fake_odoo> odoo_;
};

}  // namespace

TEST_CASE("client create: no request until the first call - which connects") {
  auto odoo = std::make_shared<testing::fake_odoo>();
  auto c = client::client::create(on(odoo));
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  CHECK_FALSE(c.value().connected());
  CHECK(odoo->stats().requests == 0);
  auto r = c.value().execute_kw("res.partner", "search_count", json::array{json::array{}});
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(c.value().connected());
  CHECK(c.value().info().uid > 0);
  CHECK(odoo->stats().requests >= 3);  // probe, login, call
}

TEST_CASE("client create: a call while the server is down fails retryably and the next one connects") {
  auto odoo = std::make_shared<testing::fake_odoo>();
  auto t = std::make_shared<switchable>(odoo);
  auto c = client::client::create(on(t));
  REQUIRE(c.has_value());
  auto down = c.value().execute_kw("res.partner", "search_count", json::array{json::array{}});
  REQUIRE_FALSE(down.has_value());
  CHECK(down.error() == condition::retryable);
  CHECK_FALSE(c.value().connected());
  CHECK(t->refused == 1);  // the probe reached nothing: no other probe tried
  t->down = false;
  auto up = c.value().execute_kw("res.partner", "search_count", json::array{json::array{}});
  REQUIRE_MESSAGE(up.has_value(), odoolink::test::error_of(up).describe());
  CHECK(c.value().connected());
}

TEST_CASE("client create: submit connects host-driven and calls made meanwhile wait for it") {
  auto odoo = std::make_shared<testing::fake_odoo>();
  auto t = std::make_shared<switchable>(odoo);
  auto c = client::client::create(on(t));
  REQUIRE(c.has_value());
  std::optional<result<protocol::reply>> first, second;
  REQUIRE(c.value().submit({"res.partner", "search_count", json::array{json::array{}}},
                           [&](result<protocol::reply> r) { first = std::move(r); }));
  REQUIRE(c.value().submit({"res.partner", "search_count", json::array{json::array{}}},
                           [&](result<protocol::reply> r) { second = std::move(r); }));
  CHECK_FALSE(c.value().next_wakeup().is_idle());
  for (int i = 0; i < 10 && !(first && second); ++i) REQUIRE(c.value().poll(0ms));
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  CHECK_FALSE(first->has_value());  // the connection failed: both calls report it
  CHECK_FALSE(second->has_value());
  CHECK(first->error() == transport_errc::connect_failed);
  CHECK(t->refused == 1);  // one connection attempt served both calls

  t->down = false;
  std::optional<result<protocol::reply>> third;
  REQUIRE(c.value().submit({"res.partner", "search_count", json::array{json::array{}}},
                           [&](result<protocol::reply> r) { third = std::move(r); }));
  for (int i = 0; i < 10 && !third; ++i) REQUIRE(c.value().poll(0ms));
  REQUIRE(third.has_value());
  REQUIRE_MESSAGE(third->has_value(), odoolink::test::error_of(*third).describe());
  CHECK(c.value().connected());
  CHECK(c.value().next_wakeup().is_idle());
}
