// Conformance of the JSON codecs (JSON-RPC, web session, JSON-2) with every
// recorded exchange under tests/fixtures. Files are discovered, so a new
// recording becomes a new check without code changes.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <set>

#include "odoolink/json/parse.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/json2.hpp"
#include "odoolink/protocol/jsonrpc.hpp"
#include "odoolink/protocol/web.hpp"
#include "support/error_of.hpp"
#include "support/fixtures.hpp"

using namespace odoolink;
using odoolink::test::exchange;

namespace {

// What each recorded error demonstrates, read off the recordings' notes and bodies.
const std::map<std::string, std::error_code>& expected_errors() {
  static const std::map<std::string, std::error_code> table = {
      {"odoo18/jsonrpc/common_login_unknown_db", odoo_errc::unknown_database},
      {"odoo18/jsonrpc/error_access_denied", odoo_errc::access_denied},
      {"odoo18/jsonrpc/error_access_denied_bad_uid", odoo_errc::missing_error},
      {"odoo18/jsonrpc/error_access_error_model", odoo_errc::access_error},
      {"odoo18/jsonrpc/error_access_error_portal", odoo_errc::access_error},
      {"odoo18/jsonrpc/error_access_error_record_rule", odoo_errc::access_error},
      {"odoo18/jsonrpc/error_get_method", protocol_errc::bad_request},
      {"odoo18/jsonrpc/error_invalid_domain", odoo_errc::invalid_value},
      {"odoo18/jsonrpc/error_invalid_field", odoo_errc::invalid_value},
      {"odoo18/jsonrpc/error_malformed_json", protocol_errc::bad_request},
      {"odoo18/jsonrpc/error_missing_record_write", odoo_errc::missing_error},
      {"odoo18/jsonrpc/error_no_params", odoo_errc::wrong_arguments},
      {"odoo18/jsonrpc/error_private_method", odoo_errc::access_error},
      {"odoo18/jsonrpc/error_serialization_failure", odoo_errc::concurrency_failure},
      {"odoo18/jsonrpc/error_unexpected_kwarg", odoo_errc::wrong_arguments},
      {"odoo18/jsonrpc/error_unknown_common_method", odoo_errc::unknown_method},
      {"odoo18/jsonrpc/error_unknown_db", odoo_errc::unknown_database},
      {"odoo18/jsonrpc/error_unknown_method", odoo_errc::unknown_method},
      {"odoo18/jsonrpc/error_unknown_model", odoo_errc::unknown_model},
      {"odoo18/jsonrpc/error_unknown_service", odoo_errc::unknown_method},
      {"odoo18/jsonrpc/error_user_error", odoo_errc::user_error},
      {"odoo18/jsonrpc/error_validation_constraint", odoo_errc::validation_error},
      {"odoo18/jsonrpc/error_validation_not_null", odoo_errc::validation_error},
      {"odoo18/jsonrpc/error_validation_unique", odoo_errc::validation_error},
      {"odoo18/jsonrpc/error_wrong_arg_count", odoo_errc::wrong_arguments},
      {"odoo18/jsonrpc/error_wrong_content_type", protocol_errc::bad_request},
      {"odoo18/web/dataset_call_kw_after_destroy", odoo_errc::session_expired},
      {"odoo18/web/dataset_call_kw_bad_session", odoo_errc::session_expired},
      {"odoo18/web/dataset_call_kw_error_private", odoo_errc::access_error},
      {"odoo18/web/dataset_call_kw_error_validation", odoo_errc::validation_error},
      {"odoo18/web/dataset_call_kw_no_session", odoo_errc::session_expired},
      {"odoo18/web/session_authenticate_bad_password", odoo_errc::access_denied},
      {"odoo19/json2/error_access_model_clerk", odoo_errc::access_error},
      {"odoo19/json2/error_access_record_rule_clerk", odoo_errc::access_error},
      {"odoo19/json2/error_action_confirm_again", odoo_errc::user_error},
      {"odoo19/json2/error_bad_api_key", odoo_errc::access_denied},
      {"odoo19/json2/error_get_method", odoo_errc::unknown_method},
      {"odoo19/json2/error_ids_on_model_method", odoo_errc::wrong_arguments},
      {"odoo19/json2/error_invalid_domain", odoo_errc::invalid_value},
      {"odoo19/json2/error_invalid_field", odoo_errc::invalid_value},
      {"odoo19/json2/error_invalid_json", protocol_errc::bad_request},
      {"odoo19/json2/error_missing_kwarg", odoo_errc::wrong_arguments},
      {"odoo19/json2/error_missing_record_action", odoo_errc::missing_error},
      {"odoo19/json2/error_missing_record_write", odoo_errc::missing_error},
      {"odoo19/json2/error_no_authorization", odoo_errc::access_denied},
      {"odoo19/json2/error_private_method", odoo_errc::access_error},
      {"odoo19/json2/error_unknown_database", odoo_errc::unknown_database},
      {"odoo19/json2/error_unknown_method", odoo_errc::unknown_method},
      {"odoo19/json2/error_unknown_model", odoo_errc::unknown_model},
      {"odoo19/json2/error_user_error_unlink_confirmed", odoo_errc::user_error},
      {"odoo19/json2/error_validation_create_rollback", odoo_errc::validation_error},
      {"odoo19/json2/error_validation_recursion", odoo_errc::validation_error},
      {"odoo19/json2/error_wrong_content_type", protocol_errc::bad_request},
      {"odoo19/json2/error_wrong_kwarg", odoo_errc::wrong_arguments},
      {"odoo19/jsonrpc/error_access_denied", odoo_errc::access_denied},
      {"odoo19/jsonrpc/error_unknown_model", odoo_errc::unknown_model},
      {"odoo19/jsonrpc/error_user_error", odoo_errc::user_error},
  };
  return table;
}

std::string key_of(const exchange& e) { return e.file.substr(0, e.file.size() - 5); }

json::value parse_or_null(std::string_view text) {
  auto v = json::parse(text);
  return v ? std::move(v).value() : json::value();
}

// The fault object a response carries, if any: JSON-RPC `error.data` (or
// `error`), JSON-2's whole error body.
const json::value* fault_of(const json::value& body, bool json2) {
  if (json2) return body.find("name") != nullptr && body.find("debug") != nullptr ? &body : nullptr;
  const json::value* err = body.find("error");
  if (err == nullptr) return nullptr;
  const json::value* data = err->find("data");
  return data != nullptr ? data : err;
}

// Checks one recorded response against what the decoder makes of it.
void check_response(const exchange& e, const result<protocol::reply>& decoded, bool json2) {
  INFO("fixture: " << e.file);
  const json::value body = parse_or_null(e.response_body);
  const json::value* fault = fault_of(body, json2);
  const bool success = e.status == 200 && (json2 ? fault == nullptr && !body.is_null() || e.response_body == "null"
                                                 : body.find("error") == nullptr && body.is_object());
  if (success) {
    REQUIRE_MESSAGE(decoded.has_value(), odoolink::test::error_of(decoded).describe());
    const json::value* expected = json2 ? &body : body.find("result");
    const json::value null_value;
    if (expected == nullptr) expected = &null_value;  // e.g. /web/session/destroy: no result key
    const json::value got = parse_or_null(decoded.value().json());
    CHECK(got == *expected);
    return;
  }
  REQUIRE(decoded.has_error());
  const error& err = decoded.error();
  const auto it = expected_errors().find(key_of(e));
  if (it != expected_errors().end()) {
    CHECK_MESSAGE(err.code() == it->second, err.describe());
  } else {
    // A recording this table does not know yet: the error must still be typed.
    CHECK(err.code());
  }
  if (fault != nullptr && fault->find("name") != nullptr) {
    CHECK(err.odoo_class() == fault->find("name")->as_string());
    if (const auto* msg = fault->find("message"); msg && msg->is_string() && !msg->as_string().empty())
      CHECK(err.message() == msg->as_string());
    if (const auto* dbg = fault->find("debug"); dbg && dbg->is_string()) CHECK(err.debug() == dbg->as_string());
  }
  CHECK((err.http_status() == e.status || err.http_status() == 0));
}

json::value arg(const json::value& args, std::size_t i) {
  return args.is_array() && i < args.as_array().size() ? args.as_array()[i] : json::value();
}

// Encoding into a request kept from call to call (as the client does) must
// give exactly the bytes of a fresh request, whatever the request held before.
void check_same_request(const http_request& fresh, const http_request& reused) {
  CHECK(reused.body == fresh.body);
  CHECK(reused.target == fresh.target);
  CHECK(reused.method == fresh.method);
  REQUIRE(reused.headers.size() == fresh.headers.size());
  for (std::size_t i = 0; i < fresh.headers.size(); ++i) {
    CHECK(reused.headers[i].name == fresh.headers[i].name);
    CHECK(reused.headers[i].value == fresh.headers[i].value);
  }
  CHECK(reused.idempotent == fresh.idempotent);
  CHECK(reused.timeout == fresh.timeout);
}

// One request reused by every fixture; each starts out as a leftover of another kind.
http_request& reused_request() {
  static http_request r;
  r.idempotent = true;
  r.timeout = std::chrono::milliseconds(5);
  r.headers.push_back({"X-Left", "over"});
  return r;
}

// The request our encoder makes for the same call must equal the recorded one as JSON.
void check_jsonrpc_request(const exchange& e) {
  INFO("fixture: " << e.file);
  if (!e.request_body) return;
  auto parsed = json::parse(*e.request_body);
  if (!parsed) return;  // the malformed-JSON recording
  json::value recorded = std::move(parsed).value();
  const json::value* params = recorded.find("params");
  if (params == nullptr || !params->is_object()) return;  // the no-params recording
  const json::value* id = recorded.find("id");
  const std::int64_t our_id = id != nullptr && id->is_int() ? id->as_int() : 7;
  const json::value& args = *params->find("args");
  http_request req;
  if (params->find("service")->as_string() == "object" && params->find("method")->as_string() == "execute_kw") {
    protocol::call c{arg(args, 3).as_string(), arg(args, 4).as_string(), arg(args, 5),
                     args.as_array().size() > 6 ? arg(args, 6) : json::value(json::object{})};
    protocol::credentials who{arg(args, 0).as_string(), arg(args, 1).as_int(), arg(args, 2).as_string()};
    req = protocol::jsonrpc::encode(c, who, our_id);
    http_request& reused = reused_request();
    protocol::jsonrpc::execute_kw_encoder(who).encode(c, our_id, reused);
    check_same_request(req, reused);
  } else {
    req = protocol::jsonrpc::encode(
        protocol::service_call{params->find("service")->as_string(), params->find("method")->as_string(), args},
        our_id);
  }
  json::value ours = parse_or_null(req.body);
  if (id == nullptr || !id->is_int()) {
    // Recordings with a string id or none: compare everything else.
    recorded.set("id", 0);
    ours.set("id", 0);
  }
  CHECK(ours == recorded);
  CHECK(req.target == e.path);
  CHECK(req.method == e.method);
  CHECK(req.header("Content-Type") == "application/json");
}

void check_web_request(const exchange& e) {
  INFO("fixture: " << e.file);
  if (!e.request_body) return;
  const json::value recorded = parse_or_null(*e.request_body);
  const json::value& params = *recorded.find("params");
  const std::int64_t id = recorded.find("id")->as_int();
  std::string session;
  if (const auto cookie = find_header(e.request_headers, "Cookie"); !cookie.empty())
    session = std::string(cookie.substr(cookie.find('=') + 1));
  http_request req;
  if (e.path == "/web/session/authenticate") {
    req = protocol::web::encode_authenticate(params.find("db")->as_string(), params.find("login")->as_string(),
                                             params.find("password")->as_string(), id);
  } else if (e.path.rfind("/web/dataset/call_kw", 0) == 0) {
    protocol::call c{params.find("model")->as_string(), params.find("method")->as_string(), *params.find("args"),
                     *params.find("kwargs")};
    req = protocol::web::encode_call_kw(c, session, id);
    http_request& reused = reused_request();
    protocol::web::encode_call_kw(c, session, id, reused);
    check_same_request(req, reused);
  } else if (e.path == "/web/session/get_session_info") {
    req = protocol::web::encode_get_session_info(session, id);
  } else if (e.path == "/web/session/destroy") {
    req = protocol::web::encode_destroy(session, id);
  } else if (e.path == "/web/webclient/version_info") {
    req = protocol::web::encode_version_info(id);
  } else {
    return;  // routes the client does not use (/web/database/list)
  }
  CHECK(parse_or_null(req.body) == recorded);
  // The plain /web/dataset/call_kw path is equivalent; ours names model and method.
  if (e.path != "/web/dataset/call_kw") CHECK(req.target == e.path);
  CHECK(req.header("Cookie") == find_header(e.request_headers, "Cookie"));
}

bool is_model_method(std::string_view m) {
  static const std::set<std::string_view> model_methods = {
      "search", "search_read", "search_count", "name_search", "name_create", "create", "fields_get",
      "load", "default_get", "read_group", "formatted_read_group", "web_search_read", "context_get"};
  return model_methods.count(m) != 0;
}

void check_json2_request(const exchange& e) {
  INFO("fixture: " << e.file);
  if (!e.request_body || e.method != "POST" || e.path.rfind("/json/2/", 0) != 0) return;
  if (find_header(e.request_headers, "Content-Type") != "application/json") return;
  auto parsed = json::parse(*e.request_body);
  if (!parsed) return;  // the invalid-JSON recording
  const json::value recorded = std::move(parsed).value();
  const std::string rest = e.path.substr(8);
  protocol::call c;
  c.model = rest.substr(0, rest.find('/'));
  c.method = rest.substr(rest.find('/') + 1);
  c.kwargs = json::object{};
  for (const auto& [k, v] : recorded.as_object()) {
    if (k == "context") {
      c.context = v;
    } else if (k == "ids" && !is_model_method(c.method)) {
      c.args = json::array{v};
    } else {
      c.kwargs.set(k, v);
    }
  }
  std::string auth(find_header(e.request_headers, "Authorization"));
  protocol::json2::auth who{auth.empty() ? std::string() : auth.substr(auth.find(' ') + 1),
                            std::string(find_header(e.request_headers, "X-Odoo-Database"))};
  auto req = protocol::json2::encode(c, who);
  REQUIRE_MESSAGE(req.has_value(), odoolink::test::error_of(req).describe());
  CHECK(parse_or_null(req.value().body) == recorded);
  CHECK(req.value().target == e.path);
  CHECK(req.value().header("Authorization") == auth);
  CHECK(req.value().header("X-Odoo-Database") == find_header(e.request_headers, "X-Odoo-Database"));
}

}  // namespace

TEST_CASE("JSON-RPC: every recorded response decodes to its result or its typed error") {
  const auto all = test::exchanges("jsonrpc");
  REQUIRE(all.size() >= 72);  // 64 from Odoo 18, 8 from Odoo 19
  for (const auto& e : all) check_response(e, protocol::jsonrpc::decode(e.response()), false);
}

TEST_CASE("JSON-RPC: the encoder reproduces every recorded request") {
  for (const auto& e : test::exchanges("jsonrpc")) check_jsonrpc_request(e);
}

TEST_CASE("web session: every recorded response decodes / requests are reproduced") {
  const auto all = test::exchanges("web");
  REQUIRE(all.size() >= 13);
  for (const auto& e : all) {
    if (e.path.rfind("/web/version", 0) == 0 || e.path == "/json/version") {
      // Odoo 19's GET /web/version answers bare JSON, as JSON-2 does.
      check_response(e, protocol::json2::decode(e.response()), true);
      continue;
    }
    check_response(e, protocol::web::decode(e.response()), false);
    check_web_request(e);
  }
}

TEST_CASE("JSON-2: every recorded response decodes / requests are reproduced") {
  const auto all = test::exchanges("json2");
  REQUIRE(all.size() >= 51);
  for (const auto& e : all) {
    check_response(e, protocol::json2::decode(e.response()), true);
    check_json2_request(e);
  }
}

TEST_CASE("web session cookie is read from Set-Cookie") {
  for (const auto& e : test::exchanges("web")) {
    INFO(e.file);
    const auto cookie = protocol::web::session_cookie(e.response());
    if (find_header(e.response_headers, "Set-Cookie").empty()) {
      CHECK_FALSE(cookie.has_value());
    } else {
      REQUIRE(cookie.has_value());
      CHECK(*cookie == "<redacted>");
    }
  }
}
