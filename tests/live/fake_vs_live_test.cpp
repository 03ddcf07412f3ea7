// The fake Odoo against a real one: the same calls, through the same
// client, must answer with the same shapes and the same error classes.
// Skipped without ODOOLINK_TEST_* (see live_env.hpp).

#include <doctest/doctest.h>

#include <chrono>

#include "live/live_env.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/json_shape.hpp"

using namespace odoolink;

namespace {

struct side {
  client::client c;
  std::int64_t partner = 0;  // a company created for the comparison
};

struct outcome {
  std::optional<json::value> value;
  std::string odoo_class;
};

outcome call(client::client& c, const std::string& model, const std::string& method, json::value args,
             json::value kwargs = json::object{}) {
  auto r = c.execute_kw(model, method, std::move(args), std::move(kwargs));
  if (!r) return {std::nullopt, std::string(r.error().odoo_class())};
  return {json::parse(r.value().json()).value(), {}};
}

}  // namespace

TEST_CASE("the fake answers like a real Odoo for the calls the SDK makes") {
  auto live = test::live_or_skip();
  if (!live) return;
  auto real = client::client::connect({.url = live->url, .database = live->database, .login = live->user,
                                       .password = live->password, .protocol = client::protocol_kind::jsonrpc});
  if (!real) FAIL(real.error().describe());
  // The fake plays the series the real server runs.
  auto fake_server = std::make_shared<testing::fake_odoo>(testing::fake_options{
      .major_version = real.value().info().version.major, .database = live->database, .users = {testing::fake_user{.login = live->user, .password = live->password}}});
  auto fake = client::client::connect({.url = "http://fake", .database = live->database, .login = live->user,
                                       .password = live->password, .protocol = client::protocol_kind::jsonrpc,
                                       .transport = fake_server});
  if (!fake) FAIL(fake.error().describe());

  const std::string tag = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  using A = json::array;
  using O = json::object;
  struct step {
    const char* what;
    std::string model, method;
    std::function<json::value(std::int64_t)> args;  // given the partner id each side created
    json::value kwargs = O{};
  };
  const std::vector<step> steps = {
      {"search_read partners", "res.partner", "search_read", [](std::int64_t) { return A{A{A{"is_company", "=", true}}}; },
       O{{"fields", A{"name", "email", "country_id", "category_id", "child_ids", "create_date", "credit_limit", "active"}},
         {"limit", 3}}},
      {"read the new partner", "res.partner", "read", [](std::int64_t id) { return A{A{id}}; },
       O{{"fields", A{"name", "parent_id", "child_ids", "type", "is_company", "write_date", "comment"}}}},
      {"write", "res.partner", "write", [](std::int64_t id) { return A{A{id}, O{{"phone", "+1 555 0100"}}}; }},
      {"name_search", "res.partner", "name_search", [](std::int64_t) { return A{}; }, O{{"name", "Live"}, {"limit", 3}}},
      {"search_count", "res.partner", "search_count", [](std::int64_t) { return A{A{}}; }},
      {"fields_get", "res.partner", "fields_get", [](std::int64_t) { return A{A{"name", "parent_id", "type"}}; },
       O{{"attributes", A{"string", "type", "relation", "selection", "required"}}}},
      {"default_get", "sale.order", "default_get", [](std::int64_t) { return A{A{"state", "date_order", "company_id"}}; }},
      {"load", "res.partner", "load",
       [&](std::int64_t) { return A{A{"id", "name"}, A{A{"odoolink_fake_vs_live.p" + tag, "Loaded " + tag}}}; }},
      {"load with a bad reference", "res.partner", "load",
       [&](std::int64_t) { return A{A{"name", "parent_id/id"}, A{A{"Bad", "odoolink_fake_vs_live.none"}}}; }},
      {"read_group", "res.partner", "read_group",
       [](std::int64_t) { return A{A{A{"is_company", "=", true}}, A{"id:count"}, A{"country_id"}}; }, O{{"limit", 2}}},
      {"write a missing record", "res.partner", "write", [](std::int64_t) { return A{A{999999999}, O{{"name", "x"}}}; }},
      {"unknown field", "res.partner", "search_read", [](std::int64_t) { return A{A{}}; }, O{{"fields", A{"no_such_field"}}}},
      {"bad domain", "res.partner", "search", [](std::int64_t) { return A{A{A{"no_such_field", "=", 1}}}; }},
      {"unknown method", "res.partner", "no_such_method", [](std::int64_t id) { return A{A{id}}; }},
      {"private method", "res.partner", "_compute_display_name", [](std::int64_t id) { return A{A{id}}; }},
      {"mandatory field", "product.template", "create", [](std::int64_t) { return A{O{{"list_price", 1.0}}}; }},
      {"recursion", "res.partner", "write", [](std::int64_t id) { return A{A{id}, O{{"parent_id", id}}}; }},
      {"unlink", "res.partner", "unlink", [](std::int64_t id) { return A{A{id}}; }},
      {"read after unlink", "res.partner", "read", [](std::int64_t id) { return A{A{id}}; }, O{{"fields", A{"name"}}}},
  };
  std::int64_t real_id = 0, fake_id = 0;
  {
    const json::value vals = A{O{{"name", "Live Compare " + tag}, {"is_company", true}, {"email", "cmp@example.com"}}};
    auto r = call(real.value(), "res.partner", "create", vals);
    auto f = call(fake.value(), "res.partner", "create", vals);
    REQUIRE(r.value.has_value());
    REQUIRE(f.value.has_value());
    CHECK(r.value->type() == f.value->type());
    real_id = r.value->as_int();
    fake_id = f.value->as_int();
  }
  for (const auto& s : steps) {
    CAPTURE(std::string(s.what));
    const outcome r = call(real.value(), s.model, s.method, s.args(real_id), s.kwargs);
    const outcome f = call(fake.value(), s.model, s.method, s.args(fake_id), s.kwargs);
    CHECK(r.odoo_class == f.odoo_class);
    REQUIRE(r.value.has_value() == f.value.has_value());
    if (r.value) {
      const std::string diff = test::shape_diff(*r.value, *f.value, "");
      CHECK_MESSAGE(diff.empty(), diff);
    }
  }
}
