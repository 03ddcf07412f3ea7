// Hostile and edge-case bodies for the JSON decoders, and the JSON-2
// positional-to-named argument mapping.
#include <doctest/doctest.h>

#include <simdjson.h>

#include "odoolink/json/parse.hpp"
#include "odoolink/protocol/json2.hpp"
#include "odoolink/protocol/jsonrpc.hpp"
#include "odoolink/protocol/web.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::protocol;

namespace {
http_response ok_json(std::string body) {
  return {200, {{"Content-Type", "application/json; charset=utf-8"}}, std::move(body)};
}
result<reply> rpc(std::string body) { return jsonrpc::decode(ok_json(std::move(body))); }
}  // namespace

TEST_CASE("JSON-RPC decode: result slices / odd envelopes") {
  auto r = rpc(R"({"jsonrpc": "2.0", "id": 1, "result": [1, 2, {"a": "}"}]   })");
  REQUIRE(r);
  CHECK(r.value().json() == R"([1, 2, {"a": "}"}])");
  // result before other members, string ids that contain the word result
  r = rpc(R"({"result": {"x": [1]}, "id": "result", "jsonrpc": "2.0"})");
  REQUIRE(r);
  CHECK(r.value().json() == R"({"x": [1]})");
  r = rpc(R"({"jsonrpc":"2.0","id":"\"result\"","result":false})");
  REQUIRE(r);
  CHECK(r.value().json() == "false");
  r = rpc(R"({"jsonrpc": "2.0", "id": 71})");
  REQUIRE(r);
  CHECK(r.value().json() == "null");
  // the padded view parses without copying
  r = rpc(R"({"jsonrpc": "2.0", "id": 1, "result": 42})");
  simdjson::ondemand::parser p;
  const std::string_view result = r.value().json();
  auto doc = p.iterate(simdjson::padded_string_view(result.data(), result.size(), r.value().readable()));
  CHECK(doc.get_int64().value() == 42);
}

TEST_CASE("JSON-RPC decode: hostile bodies end in clear protocol errors") {
  CHECK(rpc("").error() == protocol_errc::malformed_response);
  CHECK(rpc(R"({"jsonrpc": "2.0", "id": 1, "result": [1, 2)").error() == protocol_errc::malformed_response);
  CHECK(rpc(R"({"jsonrpc": "2.0", "id": 1, "result": [1, 2}})").error() == protocol_errc::malformed_response);
  CHECK(rpc(R"([1, 2])").error() == protocol_errc::malformed_response);
  CHECK(rpc(R"({"id": 1})").error() == protocol_errc::malformed_response);
  CHECK(rpc("{\"result\": \"\xff\xfe\"}").error() == protocol_errc::invalid_utf8);
  // Checked in the one pass, wherever the string stands: a key, a skipped
  // member, the error's message, after an escape.
  CHECK(rpc("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"caf\xC3\": 1}}").error() == protocol_errc::invalid_utf8);
  CHECK(rpc("{\"jsonrpc\": \"2.0\", \"x\": [\"\xED\xA0\x80\"], \"id\": 1, \"result\": 1}").error() == protocol_errc::invalid_utf8);
  CHECK(rpc("{\"jsonrpc\": \"2.0\", \"id\": 1, \"error\": {\"code\": 200, \"message\": \"a\\n\xFF\", \"data\": {}}}").error() ==
        protocol_errc::invalid_utf8);
  CHECK(rpc("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": \"Zo\xC3\xAB\\n\xE2\x82\xAC\"}"));
  CHECK(rpc("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": 1}\xC3\xA9").error() == protocol_errc::malformed_response);
  CHECK(rpc(std::string(100000, '[') + std::string(100000, ']')).error() == protocol_errc::nesting_too_deep);
  CHECK(rpc(R"({"error": "boom"})").error() == protocol_errc::malformed_response);
  decode_options small;
  small.max_bytes = 10;
  CHECK(jsonrpc::decode(ok_json(R"({"result": "0123456789"})"), small).error() == protocol_errc::response_too_large);
  decode_options shallow;
  shallow.max_depth = 4;
  CHECK(jsonrpc::decode(ok_json(R"({"result": [[[[[1]]]]]})"), shallow).error() == protocol_errc::nesting_too_deep);
  auto html = jsonrpc::decode({200, {{"Content-Type", "text/html"}}, "<!doctype html><p>proxy</p>"});
  CHECK(html.error() == protocol_errc::unexpected_content_type);
}

TEST_CASE("JSON-RPC decode: a member given twice is refused") {
  auto twice = rpc(R"({"jsonrpc": "2.0", "id": 1, "result": [1], "result": [2]})");
  REQUIRE_FALSE(twice);
  CHECK(twice.error() == protocol_errc::malformed_response);
  CHECK(twice.error().message().find("\"result\" comes twice") != std::string::npos);
  CHECK(rpc(R"({"jsonrpc": "2.0", "id": 1, "error": {"message": "a", "message": "b"}})").error() ==
        protocol_errc::malformed_response);
  CHECK(rpc(R"({"jsonrpc": "2.0", "id": 1, "error": {"data": {"name": "a", "name": "b"}}})").error() ==
        protocol_errc::malformed_response);
  // Escaped keys compare as what they spell.
  CHECK(rpc(R"({"jsonrpc": "2.0", "id": 1, "result": 1, "res\u0075lt": 2})").error() == protocol_errc::malformed_response);
  CHECK(json2::decode({422, {}, R"({"name": "odoo.exceptions.UserError", "name": "x", "message": "m"})"}).error() ==
        transport_errc::http_status);
}

TEST_CASE("JSON-RPC decode: a key given twice inside a skipped or sliced value is refused") {
  // In the result (sliced for the caller, checked on the way).
  auto in_result = rpc(R"({"jsonrpc": "2.0", "id": 1, "result": [{"a": 1, "b": {"c": 1, "c": 2}}]})");
  REQUIRE_FALSE(in_result);
  CHECK(in_result.error() == protocol_errc::malformed_response);
  CHECK(in_result.error().message().find("\"c\" comes twice") != std::string::npos);
  // In a fault's context, which the decoder skips.
  auto in_fault = rpc(R"({"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "m",
    "data": {"name": "odoo.exceptions.UserError", "message": "m", "context": {"lang": "en_US", "l\u0061ng": "fr_FR"}}}})");
  REQUIRE_FALSE(in_fault);
  CHECK(in_fault.error() == protocol_errc::malformed_response);
  CHECK(in_fault.error().message().find("\"lang\"") != std::string::npos);
  CHECK(json2::decode({200, {}, R"([{"id": 1, "id": 1}])"}).error() == protocol_errc::malformed_response);
  // Distinct keys, and the same key in sibling objects, are fine.
  auto fine = rpc(R"({"jsonrpc": "2.0", "id": 1, "result": [{"a": 1, "b": 2}, {"a": 1, "b": [{"a": 2}]}]})");
  REQUIRE_MESSAGE(fine, odoolink::test::error_of(fine).message());
}

TEST_CASE("JSON-RPC decode: every member of a wide envelope is checked") {
  // Past the keys compared in place: a repeat still counts.
  std::string wide = R"({"jsonrpc": "2.0", "id": 1, "result": 1)";
  for (int i = 0; i < 40; ++i) wide += ", \"m" + std::to_string(i) + "\": " + std::to_string(i);
  auto fine = rpc(wide + "}");
  REQUIRE_MESSAGE(fine, odoolink::test::error_of(fine).message());
  CHECK(fine.value().json() == "1");
  auto twice = rpc(wide + R"(, "m3": 0})");
  REQUIRE_FALSE(twice);
  CHECK(twice.error() == protocol_errc::malformed_response);
  CHECK(twice.error().message().find("\"m3\" comes twice") != std::string::npos);
  CHECK(rpc(wide + R"(, "id": 2})").error() == protocol_errc::malformed_response);
}

TEST_CASE("JSON-RPC decode: a result reader reads the result in place") {
  struct counter {
    int calls = 0;
    std::string seen;
  } state;
  result_reader reader{&state, [](void* self, const char* text, std::size_t size, std::size_t offset) -> result<std::size_t> {
                         auto& s = *static_cast<counter*>(self);
                         ++s.calls;
                         const std::string_view rest(text + offset, size - offset);
                         const std::size_t end = rest.find(']') + 1;
                         s.seen = std::string(rest.substr(0, end));
                         return offset + end;
                       }};
  auto r = jsonrpc::decode(ok_json(R"({"jsonrpc": "2.0", "id": 1, "result": [1, 2]})"), {}, &reader);
  REQUIRE(r);
  CHECK(state.calls == 1);
  CHECK(state.seen == "[1, 2]");
  CHECK(r.value().json() == "[1, 2]");
  // Its failure is the call's failure; an error envelope never calls it.
  result_reader refusing{nullptr, [](void*, const char*, std::size_t, std::size_t) -> result<std::size_t> {
                           return error(protocol_errc::unexpected_type, "not records");
                         }};
  CHECK(jsonrpc::decode(ok_json(R"({"result": 1})"), {}, &refusing).error() == protocol_errc::unexpected_type);
  CHECK(json2::decode(ok_json("[1]"), {}, &refusing).error() == protocol_errc::unexpected_type);
  CHECK(jsonrpc::decode(ok_json(R"({"jsonrpc": "2.0", "id": 1, "error": {"code": 100, "message": "x"}})"), {}, &refusing)
            .error() == odoo_errc::session_expired);
}

TEST_CASE("JSON-RPC decode: HTTP statuses map to retryable and permanent errors") {
  auto at = [](int status, std::string body = "x") { return jsonrpc::decode({status, {}, std::move(body)}).error(); };
  CHECK(at(429) == transport_errc::rate_limited);
  CHECK(at(429) == condition::retryable);
  CHECK(at(502) == transport_errc::server_unavailable);
  CHECK(at(503) == condition::retryable);
  CHECK(at(504) == transport_errc::server_unavailable);
  CHECK(at(400) == protocol_errc::bad_request);
  CHECK(at(500) == transport_errc::http_status);
  CHECK(at(500).http_status() == 500);
  const auto long_body = at(500, std::string(10000, 'a'));
  CHECK(long_body.message().size() < 200);  // an excerpt, not the whole body
}

TEST_CASE("JSON-RPC decode: errors without data") {
  auto r = rpc(R"({"jsonrpc": "2.0", "id": 1, "error": {"code": 100, "message": "Odoo Session Expired"}})");
  CHECK(r.error() == odoo_errc::session_expired);
  CHECK(r.error() == condition::auth);
  r = rpc(R"({"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error"}})");
  CHECK(r.error() == odoo_errc::server_error);
  CHECK(r.error().message() == "Odoo Server Error");
}

TEST_CASE("JSON-2 decode: bare results / statuses and HTML pages") {
  auto r = json2::decode(ok_json("[55]"));
  REQUIRE(r);
  CHECK(r.value().json() == "[55]");
  CHECK(json2::decode(ok_json("null")).value().json() == "null");
  CHECK(json2::decode(ok_json("[55")).error() == protocol_errc::malformed_response);
  CHECK(json2::decode({503, {}, ""}).error() == transport_errc::server_unavailable);
  CHECK(json2::decode({409, {}, R"({"name": "odoo.exceptions.ConcurrencyError", "message": "x", "debug": ""})"})
            .error() == odoo_errc::concurrency_failure);
  CHECK(json2::decode({500, {}, "not json"}).error() == transport_errc::http_status);
  CHECK(json2::decode({200, {{"Content-Type", "text/html"}}, "<html></html>"}).error() ==
        protocol_errc::unexpected_content_type);
}

TEST_CASE("JSON-2 encode: positional arguments become named ones") {
  json2::auth who{"k3y", "db1"};
  auto body_of = [&](call c) {
    auto r = json2::encode(c, who);
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    return json::parse(r.value().body).value();
  };
  CHECK(body_of({"res.partner", "search", json::array{json::array{}, 5, 10, "id desc"}}) ==
        json::parse(R"({"domain": [], "offset": 5, "limit": 10, "order": "id desc"})").value());
  CHECK(body_of({"res.partner", "read", json::array{json::array{1, 2}, json::array{"name"}}}) ==
        json::parse(R"({"ids": [1, 2], "fields": ["name"]})").value());
  CHECK(body_of({"res.partner", "write", json::array{7, json::object{{"name", "x"}}}}) ==
        json::parse(R"({"ids": [7], "vals": {"name": "x"}})").value());
  CHECK(body_of({"res.partner", "create", json::array{json::array{json::object{{"name", "a"}}}}}) ==
        json::parse(R"({"vals_list": [{"name": "a"}]})").value());
  CHECK(body_of({"res.partner", "load", json::array{json::array{"id", "name"}, json::array{}}}) ==
        json::parse(R"({"fields": ["id", "name"], "data": []})").value());
  CHECK(body_of({"sale.order", "action_confirm", json::array{json::array{26}}}) ==
        json::parse(R"({"ids": [26]})").value());
  call with_ctx{"res.partner", "search_count", json::array{json::array{}}, json::object{{"context", json::object{{"lang", "fr_FR"}, {"tz", "UTC"}}}},
                json::object{{"lang", "en_US"}}};
  CHECK(body_of(with_ctx) == json::parse(R"({"domain": [], "context": {"tz": "UTC", "lang": "en_US"}})").value());

  auto req = json2::encode({"res.partner", "search", json::array{json::array{}}}, who).value();
  CHECK(req.target == "/json/2/res.partner/search");
  CHECK(req.header("Authorization") == "bearer k3y");
  CHECK(req.header("X-Odoo-Database") == "db1");

  CHECK(json2::encode({"res.partner", "my_action", json::array{json::array{1}, 2}}, who).error() ==
        protocol_errc::unsupported_call);
  CHECK(json2::encode({"res.partner", "search", json::array{json::array{}}, json::object{{"domain", json::array{}}}}, who)
            .error() == protocol_errc::unsupported_call);
  CHECK(json2::encode({"res.partner", "write", json::array{"x"}}, who).error() == protocol_errc::unsupported_call);
}

TEST_CASE("encoders never put the secret anywhere but where the protocol needs it") {
  const call c{"res.partner", "search", json::array{json::array{}}};
  const auto rpc_req = jsonrpc::encode(c, credentials{"db", 2, "s3cret-pw"}, 1);
  CHECK(rpc_req.body.find("s3cret-pw") != std::string::npos);  // execute_kw needs it in the body
  for (const auto& h : rpc_req.headers) CHECK(h.value.find("s3cret-pw") == std::string::npos);
  const auto web_req = web::encode_call_kw(c, "sess", 1);
  CHECK(web_req.body.find("s3cret-pw") == std::string::npos);
  const auto j2 = json2::encode(c, {"s3cret-key", "db"}).value();
  CHECK(j2.body.find("s3cret-key") == std::string::npos);
}
