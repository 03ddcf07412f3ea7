// The client against a real Odoo server (see live_env.hpp).
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "live/live_env.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/transport/curl_transport.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::client;

using test::options_for;
using test::protocols_offered;

namespace {

json::value parsed(const result<protocol::reply>& r) {
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  return json::parse(r.value().json()).value();
}

std::string unique_name(std::string_view what) {
  return "odoolink live " + std::string(what) + " " +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
}

}  // namespace

TEST_CASE("every protocol reads / creates / writes and unlinks the same way") {
  auto s = test::live_or_skip();
  if (!s) return;
  json::value first_read;
  for (auto p : protocols_offered(*s)) {
    INFO("protocol: " << to_string(p));
    auto c = client::client::connect(options_for(*s, p));
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    CHECK(c.value().info().protocol == p);
    CHECK(c.value().info().uid > 0);
    auto& odoo = c.value();

    // The same read gives the same answer on every protocol.
    const json::value rows = parsed(odoo.execute_kw("res.partner", "search_read", json::array{json::array{}},
                                                    json::object{{"fields", json::array{"name", "parent_id", "child_ids"}},
                                                                 {"limit", 5}, {"order", "id"}}));
    REQUIRE(rows.is_array());
    CHECK(rows.as_array().size() == 5);
    if (first_read.is_null()) first_read = rows;
    CHECK(rows == first_read);

    const std::string name = unique_name(to_string(p));
    const json::value created = parsed(odoo.execute_kw("res.partner", "create", json::array{json::object{{"name", name}}}));
    // JSON-2 answers a list of ids even for one record; the others the id.
    const std::int64_t id = created.is_array() ? created.as_array()[0].as_int() : created.as_int();
    CHECK(id > 0);
    CHECK(parsed(odoo.execute_kw("res.partner", "write", json::array{json::array{id}, json::object{{"ref", "LIVE-1"}}})) ==
          json::value(true));
    const json::value back = parsed(odoo.execute_kw("res.partner", "read", json::array{json::array{id}},
                                                    json::object{{"fields", json::array{"name", "ref"}}}));
    CHECK(*back.as_array()[0].find("name") == json::value(name));
    CHECK(*back.as_array()[0].find("ref") == json::value("LIVE-1"));

    // A recursive hierarchy is a ValidationError; a private method an AccessError.
    auto recursive = odoo.execute_kw("res.partner", "write", json::array{json::array{id}, json::object{{"parent_id", id}}});
    REQUIRE(recursive.has_error());
    CHECK(recursive.error() == odoo_errc::validation_error);
    CHECK(recursive.error() == condition::user_error);
    CHECK_FALSE(recursive.error().debug().empty());
    auto hidden = odoo.execute_kw("res.partner", "_compute_display_name", json::array{json::array{id}});
    REQUIRE(hidden.has_error());
    CHECK(hidden.error() == odoo_errc::access_error);

    CHECK(parsed(odoo.execute_kw("res.partner", "unlink", json::array{json::array{id}})) == json::value(true));
    // Odoo reads a deleted id as nothing rather than an error.
    CHECK(parsed(odoo.execute_kw("res.partner", "read", json::array{json::array{id}})) == json::value(json::array{}));
    auto gone = odoo.execute_kw("res.partner", "write", json::array{json::array{id}, json::object{{"ref", "x"}}});
    REQUIRE(gone.has_error());
    CHECK(gone.error() == odoo_errc::missing_error);
  }
}

TEST_CASE("a wrong password is access_denied and the password is not in the error") {
  auto s = test::live_or_skip();
  if (!s) return;
  for (auto p : {protocol_kind::jsonrpc, protocol_kind::web_session}) {
    auto o = options_for(*s, p);
    o.password = "definitely-not-the-password-42";
    auto c = client::client::connect(o);
    REQUIRE(c.has_error());
    CHECK(c.error() == odoo_errc::access_denied);
    CHECK(c.error().describe().find("definitely-not-the-password-42") == std::string::npos);
  }
}

namespace {
// Replaces the session cookie of the next call once, as if the server had
// forgotten the session.
class forgetful_server final : public transport::http_transport {
 public:
  explicit forgetful_server(std::shared_ptr<transport::http_transport> inner) : inner_(std::move(inner)) {}
  bool forget_next = false;
  int logins = 0;
  result<http_response> send(const http_request& r) override {
    if (r.target == "/web/session/authenticate") ++logins;
    if (forget_next && r.target.rfind("/web/dataset/call_kw", 0) == 0) {
      forget_next = false;
      http_request stale = r;
      for (auto& h : stale.headers)
        if (h.name == "Cookie") h.value = "session_id=0000000000000000000000000000000000000000";
      return inner_->send(stale);
    }
    return inner_->send(r);
  }
  transport::request_id submit(http_request r, transport::completion d) override { return inner_->submit(std::move(r), std::move(d)); }
  result<std::size_t> poll(std::chrono::milliseconds t) override { return inner_->poll(t); }
  std::optional<std::chrono::milliseconds> next_wakeup() const override { return inner_->next_wakeup(); }
  std::size_t pending() const noexcept override { return inner_->pending(); }
  bool cancel(transport::request_id id) override { return inner_->cancel(id); }

 private:
  std::shared_ptr<transport::http_transport> inner_;
};
}  // namespace

TEST_CASE("an expired web session is logged in again") {
  auto s = test::live_or_skip();
  if (!s) return;
  auto curl = transport::curl_transport::create({.base_url = s->url});
  REQUIRE(curl.has_value());
  auto t = std::make_shared<forgetful_server>(std::shared_ptr<transport::http_transport>(std::move(curl).value()));
  auto o = options_for(*s, protocol_kind::web_session);
  o.transport = t;
  auto c = client::client::connect(o);
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  CHECK(t->logins == 1);
  t->forget_next = true;
  auto n = c.value().execute_kw("res.partner", "search_count", json::array{json::array{}});
  const json::value count = parsed(n);
  CHECK(count.as_int() > 0);
  CHECK(t->logins == 2);
}

TEST_CASE("many calls in flight on one thread through the host-driven form") {
  auto s = test::live_or_skip();
  if (!s) return;
  auto c = client::client::connect(options_for(*s, protocol_kind::web_session));
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  int done = 0, failed = 0;
  for (int i = 0; i < 8; ++i) {
    auto id = c.value().submit({"res.partner", "search_count", json::array{json::array{json::array{"id", ">", i}}}},
                               [&](result<protocol::reply> r) { r ? ++done : ++failed; });
    REQUIRE(id.has_value());
  }
  for (int spins = 0; done + failed < 8 && spins < 2000; ++spins)
    REQUIRE(c.value().transport().poll(std::chrono::milliseconds(50)).has_value());
  CHECK(done == 8);
  CHECK(failed == 0);
}
