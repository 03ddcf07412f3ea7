// The client against recorded exchanges of real Odoo 18 and 19 servers:
// version probe, protocol choice, authentication, calls, errors, re-login.
#include <doctest/doctest.h>

#include <memory>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/replay_transport.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::client;
using odoolink::testing::replay_transport;

namespace {

std::shared_ptr<replay_transport> recordings(const std::string& version) {
  return std::make_shared<replay_transport>(testing::load_exchanges(std::string(ODOOLINK_FIXTURES_DIR) + "/" + version));
}

json::value parsed(const protocol::reply& r) { return json::parse(r.json()).value(); }

json::value recorded_result(const std::string& file) {
  const auto e = testing::parse_exchange(testing::detail::read_text(std::string(ODOOLINK_FIXTURES_DIR) + "/" + file)).value();
  const json::value body = json::parse(e.response_body).value();
  const json::value* r = body.find("result");
  return r != nullptr ? *r : body;
}

client_options odoo18(protocol_kind p, std::shared_ptr<replay_transport> t) {
  return client_options{.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                        .password = "admin", .protocol = p, .transport = std::move(t)};
}

}  // namespace

TEST_CASE("Odoo 18 / password / automatic: probes 18.0+e / opens a web session and reads") {
  auto t = recordings("odoo18");
  auto c = client::client::connect(odoo18(protocol_kind::automatic, t));
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  CHECK(c.value().info().version.major == 18);
  CHECK(c.value().info().version.text == "18.0+e-20241005");
  CHECK(c.value().info().protocol == protocol_kind::web_session);
  CHECK(c.value().info().uid == 2);
  // /web/version does not exist on 18; the probe fell back to version_info.
  REQUIRE(t->unmatched().size() == 1);
  CHECK(t->unmatched()[0].target == "/web/version");

  auto r = c.value().execute_kw(
      {"res.partner", "search_read", json::array{json::array{json::array{"is_company", "=", true}}},
       json::object{{"fields", json::array{"name", "country_id"}}, {"limit", 2}}, json::object{{"lang", "en_US"}}});
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(parsed(r.value()) == recorded_result("odoo18/web/dataset_call_kw_search_read.json"));
  CHECK(t->sent().back().header("Cookie") == "session_id=<redacted>");
}

TEST_CASE("Odoo 18 over JSON-RPC and XML-RPC: same call / same result") {
  auto t = recordings("odoo18");
  auto rpc = client::client::connect(odoo18(protocol_kind::jsonrpc, t));
  REQUIRE_MESSAGE(rpc.has_value(), odoolink::test::error_of(rpc).describe());
  CHECK(rpc.value().info().protocol == protocol_kind::jsonrpc);
  auto a = rpc.value().execute_kw("res.partner", "read", json::array{json::array{10}},
                                  json::object{{"fields", json::array{"name", "parent_id", "child_ids", "phone", "lang", "tz", "active"}}});
  REQUIRE_MESSAGE(a.has_value(), odoolink::test::error_of(a).describe());
  CHECK(parsed(a.value()) == recorded_result("odoo18/jsonrpc/read.json"));

#if defined(ODOOLINK_HAS_XMLRPC)
  auto xml = client::client::connect(odoo18(protocol_kind::xmlrpc, t));
  REQUIRE_MESSAGE(xml.has_value(), odoolink::test::error_of(xml).describe());
  auto b = xml.value().execute_kw("res.partner", "read", json::array{json::array{10}},
                                  json::object{{"fields", json::array{"name", "parent_id", "child_ids", "phone"}}});
  REQUIRE_MESSAGE(b.has_value(), odoolink::test::error_of(b).describe());
  // The XML-RPC recording asked for fewer fields; the shared ones agree.
  const json::value all_a = parsed(a.value());
  const json::value all_b = parsed(b.value());
  const json::value& xa = all_a.as_array()[0];
  const json::value& xb = all_b.as_array()[0];
  for (const auto& [k, v] : xb.as_object()) CHECK(*xa.find(k) == v);
#endif
}

TEST_CASE("Odoo 19: JSON-RPC and XML-RPC with an API key give the same search_read result") {
  auto t = recordings("odoo19");
  const auto opts = [&](protocol_kind p) {
    return client_options{.url = "http://127.0.0.1:8069", .database = "odoolink19", .login = "admin",
                          .api_key = "<API_KEY>", .protocol = p, .transport = t};
  };
  const protocol::call call{"res.partner", "search_read", json::array{json::array{json::array{"is_company", "=", true}}},
                            json::object{{"fields", json::array{"name", "country_id"}}, {"limit", 2}, {"order", "id"}}};
  auto rpc = client::client::connect(opts(protocol_kind::jsonrpc));
  REQUIRE_MESSAGE(rpc.has_value(), odoolink::test::error_of(rpc).describe());
  CHECK(rpc.value().info().version.major == 19);
  auto a = rpc.value().execute_kw(call);
  REQUIRE_MESSAGE(a.has_value(), odoolink::test::error_of(a).describe());
  CHECK(parsed(a.value()) == recorded_result("odoo19/jsonrpc/execute_kw_search_read.json"));
#if defined(ODOOLINK_HAS_XMLRPC)
  auto xml = client::client::connect(opts(protocol_kind::xmlrpc));
  REQUIRE_MESSAGE(xml.has_value(), odoolink::test::error_of(xml).describe());
  // The XML-RPC recording also asked for `comment`; every shared field agrees.
  protocol::call with_comment = call;
  with_comment.kwargs.set("fields", json::array{"name", "country_id", "comment"});
  auto b = xml.value().execute_kw(with_comment);
  REQUIRE_MESSAGE(b.has_value(), odoolink::test::error_of(b).describe());
  const json::value va = parsed(a.value());
  const json::value vb = parsed(b.value());
  const auto& rows_a = va.as_array();
  const auto& rows_b = vb.as_array();
  REQUIRE(rows_a.size() == rows_b.size());
  for (std::size_t i = 0; i < rows_a.size(); ++i)
    for (const auto& [k, v] : rows_a[i].as_object()) CHECK(*rows_b[i].find(k) == v);
#endif
}

TEST_CASE("Odoo 19 / API key / automatic: JSON-2 with positional arguments mapped to names") {
  auto t = recordings("odoo19");
  auto c = client::client::connect(client_options{.url = "http://127.0.0.1:8069", .database = "odoolink19",
                                                  .api_key = "<API_KEY>", .transport = t});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  CHECK(c.value().info().protocol == protocol_kind::json2);
  CHECK(c.value().info().uid == 2);
  auto r = c.value().execute_kw("res.partner", "read", json::array{json::array{55, 56}},
                                json::object{{"fields", json::array{"name", "parent_id", "child_ids", "category_id", "type",
                                                                    "is_company", "email", "phone", "comment"}}});
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(parsed(r.value()) == recorded_result("odoo19/json2/read.json"));
  // Errors come back typed, named after the call.
  auto e = c.value().execute_kw("sale.order", "action_confirm", json::array{json::array{999999}});
  REQUIRE(e.has_error());
  CHECK(e.error() == odoo_errc::missing_error);
  CHECK(e.error().message().rfind("sale.order.action_confirm: ", 0) == 0);
}

TEST_CASE("refused credentials: a clear access_denied that never shows the secret") {
  auto t18 = recordings("odoo18");
  auto opts = odoo18(protocol_kind::jsonrpc, t18);
  opts.password = "wrong";
  auto c = client::client::connect(opts);
  REQUIRE(c.has_error());
  CHECK(c.error() == odoo_errc::access_denied);
  CHECK(c.error() == condition::auth);
  CHECK(c.error().message().find("admin") != std::string::npos);
  CHECK(c.error().message().find("wrong") == std::string::npos);

  opts = odoo18(protocol_kind::web_session, t18);
  opts.password = "wrong";
  c = client::client::connect(opts);
  REQUIRE(c.has_error());
  CHECK(c.error() == odoo_errc::access_denied);
  CHECK(c.error().describe().find("wrong") == std::string::npos);

  auto t19 = recordings("odoo19");
  c = client::client::connect(client_options{.url = "http://127.0.0.1:8069", .database = "odoolink19",
                                             .api_key = "0123456789abcdef0123456789abcdef01234567", .transport = t19});
  REQUIRE(c.has_error());
  CHECK(c.error() == odoo_errc::access_denied);
  CHECK(c.error().describe().find("0123456789abcdef") == std::string::npos);
}

TEST_CASE("protocol choice refuses what the credentials or server cannot do") {
  auto t18 = recordings("odoo18");
  auto opts = odoo18(protocol_kind::json2, t18);
  opts.api_key = "k";
  auto c = client::client::connect(opts);
  REQUIRE(c.has_error());
  CHECK(c.error() == protocol_errc::unsupported_call);
  CHECK(c.error().message().find("Odoo 19") != std::string::npos);

  opts = odoo18(protocol_kind::web_session, t18);
  opts.password.clear();
  opts.api_key = "k";
  c = client::client::connect(opts);
  REQUIRE(c.has_error());
  CHECK(c.error().message().find("web session needs a password") != std::string::npos);

  opts = odoo18(protocol_kind::automatic, t18);
  opts.url = "http://user:pw@127.0.0.1:8069";
  c = client::client::connect(opts);
  REQUIRE(c.has_error());
  CHECK(c.error() == transport_errc::invalid_request);
  CHECK(c.error().message().find("pw") == std::string::npos);
}

namespace {
// Answers the first call_kw with the recorded "session expired", then replays.
class expiring_session final : public transport::sync_transport {
 public:
  explicit expiring_session(std::shared_ptr<replay_transport> inner) : inner_(std::move(inner)) {}
  result<http_response> send(const http_request& r) override {
    if (r.target.rfind("/web/dataset/call_kw", 0) == 0 && !expired_once_) {
      expired_once_ = true;
      return testing::parse_exchange(testing::detail::read_text(std::string(ODOOLINK_FIXTURES_DIR) +
                                                                "/odoo18/web/dataset_call_kw_bad_session.json"))
          .value()
          .response();
    }
    if (r.target == "/web/session/authenticate") ++logins;
    return inner_->send(r);
  }
  int logins = 0;

 private:
  std::shared_ptr<replay_transport> inner_;
  bool expired_once_ = false;
};
}  // namespace

TEST_CASE("an expired web session is logged in again once / blocking and host-driven") {
  const protocol::call call{"res.partner", "search_read", json::array{json::array{json::array{"is_company", "=", true}}},
                            json::object{{"fields", json::array{"name", "country_id"}}, {"limit", 2}},
                            json::object{{"lang", "en_US"}}};
  {
    auto t = std::make_shared<expiring_session>(recordings("odoo18"));
    auto c = client::client::connect(client_options{.url = "http://x", .database = "odoolink", .login = "admin",
                                                    .password = "admin", .transport = t});
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    CHECK(t->logins == 1);
    auto r = c.value().execute_kw(call);
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    CHECK(t->logins == 2);
    CHECK(parsed(r.value()) == recorded_result("odoo18/web/dataset_call_kw_search_read.json"));
  }
  {
    auto t = std::make_shared<expiring_session>(recordings("odoo18"));
    auto c = client::client::connect(client_options{.url = "http://x", .database = "odoolink", .login = "admin",
                                                    .password = "admin", .transport = t});
    REQUIRE(c.has_value());
    std::optional<result<protocol::reply>> got;
    auto id = c.value().submit(call, [&](result<protocol::reply> r) { got = std::move(r); });
    REQUIRE(id.has_value());
    for (int i = 0; i < 10 && !got; ++i) REQUIRE(c.value().transport().poll(std::chrono::milliseconds(0)).has_value());
    REQUIRE(got.has_value());
    REQUIRE_MESSAGE(got->has_value(), odoolink::test::error_of(*got).describe());
    CHECK(t->logins == 2);
  }
}

namespace {
// Fails every call after sending it, as a connection that drops mid-response.
class dropping final : public transport::sync_transport {
 public:
  explicit dropping(std::shared_ptr<replay_transport> inner) : inner_(std::move(inner)) {}
  bool armed = false;
  result<http_response> send(const http_request& r) override {
    if (armed) return error(transport_errc::connection_lost, "connection lost");
    return inner_->send(r);
  }

 private:
  std::shared_ptr<replay_transport> inner_;
};
}  // namespace

TEST_CASE("a lost response is outcome_unknown for creates and retryable for reads") {
  auto t = std::make_shared<dropping>(recordings("odoo18"));
  auto c = client::client::connect(odoo18(protocol_kind::jsonrpc, nullptr));
  auto opts = odoo18(protocol_kind::jsonrpc, nullptr);
  opts.transport = t;
  auto cl = client::client::connect(opts);
  REQUIRE(cl.has_value());
  t->armed = true;
  auto create = cl.value().execute_kw("res.partner", "create", json::array{json::object{{"name", "x"}}});
  CHECK(create.error() == transport_errc::outcome_unknown);
  CHECK_FALSE(create.error().retryable());
  auto read = cl.value().execute_kw("res.partner", "read", json::array{json::array{10}});
  CHECK(read.error() == transport_errc::connection_lost);
  CHECK(read.error().retryable());
  auto forced = cl.value().execute_kw("res.partner", "create", json::array{json::object{{"name", "x"}}},
                                      json::object{}, call_options{.retry = idempotency::idempotent});
  CHECK(forced.error() == transport_errc::connection_lost);
}

TEST_CASE("idempotency is decided from the call") {
  CHECK(is_idempotent({"res.partner", "search_read"}));
  CHECK(is_idempotent({"res.partner", "read", json::array{json::array{1}}}));
  CHECK_FALSE(is_idempotent({"res.partner", "create", json::array{json::object{}}}));
  CHECK(is_idempotent({"res.partner", "load", json::array{json::array{"id", "name"}, json::array{}}}));
  CHECK_FALSE(is_idempotent({"res.partner", "load", json::array{json::array{"name"}, json::array{}}}));
  CHECK(is_idempotent({"res.partner", "write", json::array{json::array{1}, json::object{{"name", "a"}}}}));
  CHECK(is_idempotent({"sale.order", "write", json::array{json::array{1}, json::object{{"tag_ids", json::array{json::array{6, 0, json::array{1}}}}}}}));
  CHECK_FALSE(is_idempotent({"sale.order", "write", json::array{json::array{1}, json::object{{"order_line", json::array{json::array{0, 0, json::object{}}}}}}}));
  CHECK_FALSE(is_idempotent({"sale.order", "action_confirm", json::array{json::array{1}}}));
}

TEST_CASE("server versions parse leniently") {
  CHECK(parse_server_version("18.0+e-20241005").value().major == 18);
  CHECK(parse_server_version("19.0").value().major == 19);
  CHECK(parse_server_version("saas~17.4").value().minor == 4);
  CHECK(parse_server_version("18.0-20241005").value().minor == 0);
  CHECK(parse_server_version("17").value().major == 17);
  CHECK(parse_server_version("").has_error());
  CHECK(parse_server_version("unknown").has_error());
  CHECK(server_version_from(json::parse(R"({"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"})").value())
            .value()
            .has_json2());
}
