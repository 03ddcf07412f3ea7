// The JSON-2 codec's signature mapping: positional arguments named by the
// signatures a server publishes at `/doc-bearer/<model>.json`, and the
// decoding of that document (served here by the fake Odoo 19).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/json2.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace json2 = protocol::json2;

namespace {

bool names(const error& e, std::string_view model, std::string_view method) {
  return e.message().find(std::string(model) + "." + std::string(method)) != std::string::npos;
}

std::shared_ptr<testing::fake_odoo> server19() {
  testing::fake_options o;
  o.major_version = 19;
  o.users.front().api_key = "test-key";
  return std::make_shared<testing::fake_odoo>(o);
}

}  // namespace

TEST_CASE("json2 encode names positional arguments by published signatures") {
  json2::model_signatures published{"res.partner",
                                    {{"has_access", {true, {"operation"}}},
                                     {"get_views", {false, {"views", "options"}}}}};
  const json2::auth who{"key", "db"};
  auto record = json2::encode({"res.partner", "has_access", json::array{json::array{7}, "write"}}, who, &published);
  REQUIRE_MESSAGE(record.has_value(), odoolink::test::error_of(record).describe());
  CHECK(json::parse(record.value().body).value() == json::value(json::object{{"ids", json::array{7}}, {"operation", "write"}}));
  auto model = json2::encode({"res.partner", "get_views", json::array{json::array{json::array{false, "form"}}}}, who, &published);
  REQUIRE_MESSAGE(model.has_value(), odoolink::test::error_of(model).describe());
  CHECK(json::parse(model.value().body).value() ==
        json::value(json::object{{"views", json::array{json::array{false, "form"}}}}));

  auto too_many = json2::encode({"res.partner", "has_access", json::array{json::array{7}, "write", true}}, who, &published);
  REQUIRE_FALSE(too_many.has_value());
  CHECK(too_many.error() == protocol_errc::unsupported_call);
  CHECK(names(too_many.error(), "res.partner", "has_access"));
  CHECK(too_many.error().message().find("(ids, operation)") != std::string::npos);
  // Unpublished with only ids (a private method, say): sent, for the server
  // to answer as on the other protocols (AccessError).
  auto ids_only = json2::encode({"res.partner", "_compute_display_name", json::array{json::array{7}}}, who, &published);
  REQUIRE_MESSAGE(ids_only.has_value(), odoolink::test::error_of(ids_only).describe());
  CHECK(json::parse(ids_only.value().body).value() == json::value(json::object{{"ids", json::array{7}}}));
  // Unpublished with more to name: nothing to name it by.
  auto unknown = json2::encode({"res.partner", "frobnicate", json::array{json::array{7}, "x"}}, who, &published);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error() == protocol_errc::unsupported_call);
  CHECK(names(unknown.error(), "res.partner", "frobnicate"));
  // The built-in table still decides for the methods it knows.
  auto search = json2::encode({"res.partner", "search", json::array{json::array{}, 0, 5}}, who, &published);
  REQUIRE(search.has_value());
  CHECK(json::parse(search.value().body).value() ==
        json::value(json::object{{"domain", json::array{}}, {"offset", 0}, {"limit", 5}}));
  CHECK(json2::needs_signatures({"res.partner", "has_access", json::array{json::array{1}}}));
  CHECK_FALSE(json2::needs_signatures({"res.partner", "has_access", json::array{}}));
  CHECK_FALSE(json2::needs_signatures({"res.partner", "read", json::array{json::array{1}}}));
}

TEST_CASE("json2 decode_signatures reads the published document and maps its errors") {
  auto server = server19();
  const json2::auth who{"test-key", "odoolink"};
  auto doc = server->send(json2::encode_signatures_request("res.partner", who));
  REQUIRE(doc.has_value());
  auto published = json2::decode_signatures(std::move(doc).value(), "res.partner");
  REQUIRE_MESSAGE(published.has_value(), odoolink::test::error_of(published).describe());
  const auto& m = published.value().methods;
  REQUIRE(m.count("has_access") == 1);
  CHECK(m.at("has_access").on_records);
  CHECK(m.at("has_access").params == std::vector<std::string>{"operation"});
  REQUIRE(m.count("search") == 1);
  CHECK_FALSE(m.at("search").on_records);
  CHECK(m.at("search").params == std::vector<std::string>{"domain", "offset", "limit", "order"});

  auto missing = json2::decode_signatures(server->send(json2::encode_signatures_request("no.such.model", who)).value(), "no.such.model");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error() == odoo_errc::unknown_model);
  auto refused = json2::decode_signatures(server->send(json2::encode_signatures_request("res.partner", {"wrong", ""})).value(),
                                          "res.partner");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == odoo_errc::access_denied);
  auto garbled = json2::decode_signatures(http_response{200, {{"Content-Type", "application/json"}}, R"({"model": "x"})"}, "x");
  REQUIRE_FALSE(garbled.has_value());
  CHECK(garbled.error() == protocol_errc::malformed_response);
}
