// The fake Odoo's ORM, faults, hooks and loopback listener.

#include <doctest/doctest.h>

#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_clock.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "odoolink/transport/curl_transport.hpp"

using namespace odoolink;
using testing::fake_odoo;

namespace {

json::value ok(result<json::value> r) {
  if (!r) FAIL(r.error().describe());
  return std::move(r).value();
}

json::array ids(const json::value& v) { return v.as_array(); }

void seed(fake_odoo& f) {
  auto r = f.seed(R"({
    "res.partner": [
      {"id": 100, "name": "Acme", "is_company": true, "xml_id": "t.acme", "email": "info@acme.test"},
      {"id": 101, "name": "Wile", "parent_id": "ref:t.acme", "email": "wile@acme.test"},
      {"id": 102, "name": "Road Runner", "email": "beep@desert.test", "active": false},
      {"id": 103, "name": "Bugs", "parent_id": 101}
    ]})");
  if (!r) FAIL(r.error().describe());
}

}  // namespace

TEST_CASE("domains: every operator the DSL emits") {
  fake_odoo f;
  seed(f);
  auto search = [&](json::value domain) {
    return ok(f.call("res.partner", "search", json::array{std::move(domain)}, json::object{{"order", "id"}}));
  };
  using A = json::array;
  CHECK(search(A{A{"id", ">=", 100}}) == json::value(A{100, 101, 103}));  // archived 102 hidden
  CHECK(search(A{A{"id", ">=", 100}, A{"active", "in", A{true, false}}}) == json::value(A{100, 101, 102, 103}));
  CHECK(search(A{A{"name", "=like", "W%"}}) == json::value(A{101}));
  CHECK(search(A{A{"name", "ilike", "bug"}}) == json::value(A{103}));
  CHECK(search(A{A{"email", "=ilike", "%@ACME.test"}}) == json::value(A{100, 101}));
  CHECK(search(A{A{"email", "not ilike", "acme"}, A{"id", ">=", 100}}) == json::value(A{103}));
  CHECK(search(A{"|", A{"name", "=", "Acme"}, A{"name", "=", "Bugs"}}) == json::value(A{100, 103}));
  CHECK(search(A{"!", A{"id", "<", 101}, A{"id", ">=", 100}}) == json::value(A{101, 103}));
  CHECK(search(A{A{"parent_id.name", "=", "Acme"}}) == json::value(A{101}));
  CHECK(search(A{A{"id", "child_of", 100}}) == json::value(A{100, 101, 103}));
  CHECK(search(A{A{"id", "parent_of", 103}}) == json::value(A{100, 101, 103}));
  CHECK(search(A{A{"child_ids", "any", A{A{"name", "=", "Bugs"}}}}) == json::value(A{101}));
  CHECK(search(A{A{"parent_id", "=", false}, A{"id", ">=", 100}}) == json::value(A{100}));
  CHECK(search(A{A{"parent_id", "!=", false}, A{"id", ">=", 100}}) == json::value(A{101, 103}));
  CHECK(search(A{A{"id", "not in", A{100, 101}}, A{"id", ">=", 100}}) == json::value(A{103}));
}

TEST_CASE("x2many commands and many2one formatting") {
  fake_odoo f;
  seed(f);
  const json::value tag = ok(f.call("res.partner.category", "name_create", json::array{"VIP"}));
  const std::int64_t tag_id = tag.as_array()[0].as_int();
  ok(f.call("res.partner", "write", json::array{json::array{100}, json::object{{"category_id", json::array{json::array{4, tag_id}}}}}));
  auto rows = ok(f.call("res.partner", "read", json::array{json::array{100, 101}},
                        json::object{{"fields", json::array{"category_id", "child_ids", "parent_id", "display_name"}}}));
  CHECK(*rows.as_array()[0].find("category_id") == json::value(json::array{tag_id}));
  CHECK(*rows.as_array()[0].find("child_ids") == json::value(json::array{101}));
  CHECK(*rows.as_array()[1].find("parent_id") == json::value(json::array{100, "Acme"}));
  CHECK(*rows.as_array()[1].find("display_name") == json::value("Acme, Wile"));
  ok(f.call("res.partner", "write", json::array{json::array{100}, json::object{{"category_id", json::array{json::array{5}}}}}));
  CHECK(*f.record("res.partner", 100)->find("category_id") == json::value(json::array{}));
  // A one2many create command makes the child with its inverse set.
  ok(f.call("res.partner", "write",
            json::array{json::array{100}, json::object{{"child_ids", json::array{json::array{0, 0, json::object{{"name", "Coyote"}}}}}}}));
  CHECK(ids(*f.record("res.partner", 100)->find("child_ids")).size() == 2);
}

TEST_CASE("load upserts by external id and refuses a bad batch as a whole") {
  fake_odoo f;
  auto load = [&](json::value rows) {
    return ok(f.call("res.partner", "load", json::array{json::array{"id", "name", "parent_id/id"}, std::move(rows)}));
  };
  const json::value first = load(json::array{json::array{"pos.a", "A", ""}, json::array{"pos.b", "B", "pos.a"}});
  REQUIRE(first.find("ids")->is_array());
  const auto a = first.find("ids")->as_array()[0].as_int();
  const json::value again = load(json::array{json::array{"pos.a", "A2", ""}});
  CHECK(again.find("ids")->as_array()[0].as_int() == a);
  CHECK(*f.record("res.partner", a)->find("name") == json::value("A2"));
  const std::size_t before = f.count("res.partner");
  const json::value bad = load(json::array{json::array{"pos.c", "C", ""}, json::array{"pos.d", "D", "pos.missing"}});
  CHECK(*bad.find("ids") == json::value(false));
  REQUIRE(bad.find("messages")->as_array().size() == 1);
  CHECK(*bad.find("messages")->as_array()[0].find("field") == json::value("parent_id"));
  CHECK(f.count("res.partner") == before);
  CHECK_FALSE(f.xml_id("pos.c").has_value());
}

TEST_CASE("hooks raise user errors and define methods and writes keep write_date") {
  fake_odoo f;
  seed(f);
  f.on_call("res.partner", "unlink", [](const testing::fake_call& c, fake_odoo&) -> std::optional<testing::fake_hook_outcome> {
    if (c.ids == json::value(json::array{100})) return testing::fake_hook_outcome{{}, testing::fake_exception{"odoo.exceptions.UserError", "Acme is protected"}};
    return std::nullopt;
  });
  f.on_call("res.partner", "ping", [](const testing::fake_call&, fake_odoo&) -> std::optional<testing::fake_hook_outcome> {
    return testing::fake_hook_outcome{json::value("pong"), {}};
  });
  auto refused = f.call("res.partner", "unlink", json::array{json::array{100}});
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == odoo_errc::user_error);
  CHECK(refused.error().message() == "Acme is protected");
  CHECK(ok(f.call("res.partner", "unlink", json::array{json::array{103}})) == json::value(true));
  CHECK(ok(f.call("res.partner", "ping", json::array{json::array{101}})) == json::value("pong"));
  const std::string before = f.record("res.partner", 101)->find("write_date")->as_string();
  ok(f.call("res.partner", "write", json::array{json::array{101}, json::object{{"name", "Wile E."}}}));
  CHECK(f.record("res.partner", 101)->find("write_date")->as_string() >= before);
}

TEST_CASE("faults: lost response after applying, 429, 503 and a serialization failure") {
  auto f = std::make_shared<fake_odoo>();
  auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                    .password = "admin", .protocol = client::protocol_kind::jsonrpc, .transport = f});
  if (!c) FAIL(c.error().describe());
  const std::size_t before = f->count("res.partner");
  f->inject({.kind = testing::fake_fault_kind::lost_response, .model = "res.partner", .method = "create"});
  auto lost = c.value().execute_kw("res.partner", "create", json::array{json::object{{"name", "Lost"}}});
  REQUIRE_FALSE(lost);
  CHECK(lost.error() == transport_errc::outcome_unknown);  // create is not idempotent: the caller must know
  CHECK(f->count("res.partner") == before + 1);            // ... because the server did apply it
  f->inject({.kind = testing::fake_fault_kind::status_429, .method = "search_count"});
  auto limited = c.value().execute_kw("res.partner", "search_count", json::array{json::array{}});
  REQUIRE_FALSE(limited);
  CHECK(limited.error() == transport_errc::rate_limited);
  f->inject({.kind = testing::fake_fault_kind::status_503, .method = "search_count"});
  auto down = c.value().execute_kw("res.partner", "search_count", json::array{json::array{}});
  REQUIRE_FALSE(down);
  CHECK(down.error() == transport_errc::server_unavailable);
  f->inject({.kind = testing::fake_fault_kind::concurrency_failure, .model = "res.partner", .method = "write"});
  auto busy = c.value().execute_kw("res.partner", "write", json::array{json::array{1}, json::object{{"name", "X"}}});
  REQUIRE_FALSE(busy);
  CHECK(busy.error() == odoo_errc::concurrency_failure);
  CHECK(busy.error().retryable());
  CHECK(f->stats().faults == 4);
}

TEST_CASE("the fake listens on a loopback port for real HTTP clients") {
  fake_odoo f(testing::fake_options{.major_version = 19, .users = {testing::fake_user{.api_key = "k"}}});
  auto listener = f.listen();
  if (!listener) FAIL(listener.error().describe());
  const std::string url = listener.value()->url();
  for (auto p : {client::protocol_kind::json2, client::protocol_kind::xmlrpc, client::protocol_kind::web_session}) {
    CAPTURE(client::to_string(p));
    client::client_options o{.url = url, .database = "odoolink", .login = "admin", .protocol = p};
    if (p == client::protocol_kind::json2) o.api_key = "k";
    else o.password = "admin";
    auto c = client::client::connect(std::move(o));
    if (!c) FAIL(c.error().describe());
    auto n = c.value().execute_kw("res.partner", "search_count", json::array{json::array{}});
    if (!n) FAIL(n.error().describe());
    CHECK(json::parse(n.value().json()).value().as_int() >= 2);
  }
  // A lost response closes the connection after the call was applied: a
  // create cannot be retried blindly, so the client reports an unknown outcome.
  f.inject({.kind = testing::fake_fault_kind::lost_response, .method = "create"});
  auto c = client::client::connect({.url = url, .api_key = "k", .protocol = client::protocol_kind::json2});
  if (!c) FAIL(c.error().describe());
  const std::size_t before = f.count("res.partner");
  auto lost = c.value().execute_kw("res.partner", "create", json::array{json::object{{"name", "Over the wire"}}});
  CHECK(f.count("res.partner") == before + 1);
  REQUIRE_FALSE(lost);
  CHECK(lost.error() == transport_errc::outcome_unknown);
}

TEST_CASE("malformed requests get the server's error answers, never a crash") {
  fake_odoo f;
  for (const char* body : {"", "{", "[]", "{\"params\": 5}", "{\"params\": {\"service\": \"object\", \"method\": \"execute_kw\", \"args\": 7}}",
                           "{\"params\": {\"service\": \"object\", \"method\": \"execute_kw\", \"args\": [\"odoolink\", 2, \"admin\", \"res.partner\", \"write\", [[\"x\"], 5]]}}",
                           "{\"params\": {\"service\": \"object\", \"method\": \"execute_kw\", \"args\": [\"odoolink\", 2, \"admin\", \"res.partner\", \"search\", [[[1, 2]]]]}}"}) {
    CAPTURE(body);
    http_request r;
    r.target = "/jsonrpc";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = body;
    auto res = f.send(r);
    REQUIRE(res.has_value());
    CHECK((res.value().status == 400 || res.value().body.find("\"error\"") != std::string::npos));
  }
}

TEST_CASE("latency faults wait on the given sleeper and the call still runs") {
  auto clock = std::make_shared<testing::fake_clock>();
  testing::fake_options o;
  o.clock = clock;
  o.sleeper = clock;
  fake_odoo f(o);
  f.inject({.kind = testing::fake_fault_kind::latency, .model = "res.partner", .method = "create", .skip = 1,
            .count = 2, .latency = std::chrono::milliseconds(750)});
  auto c = client::client::connect({.url = "http://fake", .database = "odoolink", .login = "admin", .password = "admin",
                                    .protocol = client::protocol_kind::jsonrpc,
                                    .transport = std::shared_ptr<transport::http_transport>(&f, [](auto*) {})});
  if (!c) FAIL(c.error().describe());
  for (int i = 0; i < 4; ++i) {
    auto r = c.value().execute_kw("res.partner", "create", json::array{json::object{{"name", "Slow " + std::to_string(i)}}});
    if (!r) FAIL(r.error().describe());
  }
  // The first create passes (skip = 1), the next two wait, the last passes.
  CHECK(clock->total_slept() == std::chrono::milliseconds(1500));
  CHECK(f.stats().faults == 2);
  CHECK(f.stats().per_method.at("create") == 4);
  // The record's dates come from the fake clock.
  CHECK(f.record("res.partner", f.count("res.partner"))->find("create_date")->is_string());
}

TEST_CASE("a seed that fails part way leaves nothing behind") {
  fake_odoo f;
  const std::size_t before = f.count("res.partner");
  auto r = f.seed(R"({"res.partner": [{"name": "First", "xml_id": "t.first"}, {"name": "Second", "parent_id": "ref:t.none"}]})");
  REQUIRE_FALSE(r);
  CHECK(r.error().message().find("t.none") != std::string::npos);
  CHECK(f.count("res.partner") == before);
  CHECK_FALSE(f.xml_id("t.first").has_value());
  // A hook may seed inside a call; a failure of that call undoes the seed too.
  f.on_call("res.partner", "write", [](const testing::fake_call&, fake_odoo& odoo) -> std::optional<testing::fake_hook_outcome> {
    if (!odoo.seed(R"({"res.partner": [{"name": "From a hook"}]})")) return std::nullopt;
    return testing::fake_hook_outcome{{}, testing::fake_exception{"odoo.exceptions.UserError", "refused after seeding"}};
  });
  auto w = f.call("res.partner", "write", json::array{json::array{1}, json::object{{"name", "x"}}});
  REQUIRE_FALSE(w);
  CHECK(f.count("res.partner") == before);
}

TEST_CASE("two clients with kept-alive connections share one listener") {
  fake_odoo f;
  auto listener = f.listen();
  if (!listener) FAIL(listener.error().describe());
  auto open = [&] {
    auto c = client::client::connect({.url = listener.value()->url(), .database = "odoolink", .login = "admin",
                                      .password = "admin", .protocol = client::protocol_kind::jsonrpc,
                                      .timeout = std::chrono::milliseconds(5000)});
    if (!c) FAIL(c.error().describe());
    return std::move(c).value();
  };
  auto a = open();
  auto b = open();
  for (int i = 0; i < 3; ++i)
    for (auto* c : {&a, &b}) {
      auto n = c->execute_kw("res.partner", "search_count", json::array{json::array{}});
      if (!n) FAIL(n.error().describe());
    }
  CHECK(f.stats().per_method.at("search_count") == 6);
}

TEST_CASE("the fake serves the models of the Odoo series it plays") {
  const auto has = [](fake_odoo& f, const char* model, const char* field) {
    const json::value fields = ok(f.call(model, "fields_get", json::array{}, json::object{{"attributes", json::array{"type"}}}));
    return fields.find(field) != nullptr;
  };
  fake_odoo odoo17(testing::fake_options{.major_version = 17});
  fake_odoo odoo18(testing::fake_options{.major_version = 18});
  fake_odoo odoo19(testing::fake_options{.major_version = 19});
  CHECK(has(odoo17, "product.product", "detailed_type"));
  CHECK_FALSE(has(odoo17, "product.product", "is_storable"));
  CHECK(has(odoo18, "product.product", "is_storable"));
  CHECK(has(odoo18, "res.partner", "mobile"));
  CHECK_FALSE(has(odoo19, "res.partner", "mobile"));
  CHECK_FALSE(has(odoo19, "stock.move", "name"));
  CHECK(has(odoo19, "sale.order.line", "product_uom_id"));
  CHECK_FALSE(has(odoo18, "sale.order.line", "product_uom_id"));
  // The series' own fields are writable and unknown ones refused, as on the real servers.
  CHECK(odoo17.call("product.product", "create", json::array{json::object{{"name", "Tea"}, {"detailed_type", "product"}}}).has_value());
  auto refused = odoo19.call("res.partner", "create", json::array{json::object{{"name", "Ada"}, {"mobile", "+32 2 555 01 01"}}});
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message().find("mobile") != std::string::npos);
}
