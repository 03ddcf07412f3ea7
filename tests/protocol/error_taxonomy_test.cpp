// One error taxonomy across protocols: each fault recorded from real Odoo
// servers on several protocols decodes to the same odoo_errc on all of them.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "odoolink/error.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/json2.hpp"
#include "odoolink/protocol/jsonrpc.hpp"
#include "odoolink/protocol/web.hpp"
#if defined(ODOOLINK_HAS_XMLRPC)
#include "odoolink/protocol/xmlrpc.hpp"
#endif
#include "support/fixtures.hpp"

using namespace odoolink;

namespace {

struct fault_case {
  const char* fault;
  odoo_errc code;
  std::vector<const char*> recordings;  // under tests/fixtures, without .json
};

// The same fault, recorded on every protocol and series where it was provoked.
const std::vector<fault_case>& fault_table() {
  static const std::vector<fault_case> table = {
      {"unknown model",
       odoo_errc::unknown_model,
       {"odoo18/jsonrpc/error_unknown_model", "odoo18/xmlrpc/fault_unknown_model", "odoo19/jsonrpc/error_unknown_model",
        "odoo19/xmlrpc/fault_unknown_model", "odoo19/json2/error_unknown_model"}},
      {"unknown method",
       odoo_errc::unknown_method,
       {"odoo18/jsonrpc/error_unknown_method", "odoo18/xmlrpc/fault_unknown_method",
        "odoo19/json2/error_unknown_method"}},
      {"credentials refused",
       odoo_errc::access_denied,
       {"odoo18/jsonrpc/error_access_denied", "odoo18/xmlrpc/fault_access_denied",
        "odoo18/web/session_authenticate_bad_password", "odoo19/jsonrpc/error_access_denied",
        "odoo19/xmlrpc/fault_access_denied", "odoo19/json2/error_bad_api_key"}},
      {"model not allowed for the user",
       odoo_errc::access_error,
       {"odoo18/jsonrpc/error_access_error_model", "odoo18/xmlrpc/fault_access_error",
        "odoo19/json2/error_access_model_clerk"}},
      {"private method",
       odoo_errc::access_error,
       {"odoo18/jsonrpc/error_private_method", "odoo18/web/dataset_call_kw_error_private",
        "odoo19/json2/error_private_method"}},
      {"write to a deleted record",
       odoo_errc::missing_error,
       {"odoo18/jsonrpc/error_missing_record_write", "odoo18/xmlrpc/fault_missing_error",
        "odoo19/json2/error_missing_record_write"}},
      {"business rule refusal",
       odoo_errc::user_error,
       {"odoo18/jsonrpc/error_user_error", "odoo18/xmlrpc/fault_user_error",
        "odoo18/xmlrpc/fault_legacy_endpoint_user_error", "odoo19/jsonrpc/error_user_error",
        "odoo19/xmlrpc/fault_user_error", "odoo19/json2/error_user_error_unlink_confirmed",
        "odoo19/json2/error_action_confirm_again"}},
      {"recursive hierarchy",
       odoo_errc::validation_error,
       {"odoo18/jsonrpc/error_validation_constraint", "odoo18/web/dataset_call_kw_error_validation",
        "odoo18/xmlrpc/fault_validation_error", "odoo19/json2/error_validation_recursion"}},
      {"unknown field",
       odoo_errc::invalid_value,
       {"odoo18/jsonrpc/error_invalid_field", "odoo19/json2/error_invalid_field"}},
      {"unknown field in a domain",
       odoo_errc::invalid_value,
       {"odoo18/jsonrpc/error_invalid_domain", "odoo19/json2/error_invalid_domain"}},
      {"unexpected keyword argument",
       odoo_errc::wrong_arguments,
       {"odoo18/jsonrpc/error_unexpected_kwarg", "odoo19/json2/error_wrong_kwarg"}},
      {"unknown database",
       odoo_errc::unknown_database,
       {"odoo18/jsonrpc/error_unknown_db", "odoo19/json2/error_unknown_database"}},
  };
  return table;
}

result<protocol::reply> decode(const test::exchange& e) {
  if (e.protocol == "jsonrpc") return protocol::jsonrpc::decode(e.response());
  if (e.protocol == "web") return protocol::web::decode(e.response());
  if (e.protocol == "json2") return protocol::json2::decode(e.response());
#if defined(ODOOLINK_HAS_XMLRPC)
  if (e.protocol == "xmlrpc") return protocol::xmlrpc::decode(e.response());
#endif
  return error(protocol_errc::unsupported_call, "no decoder for " + e.protocol);
}

bool decodable(const std::string& protocol) {
#if defined(ODOOLINK_HAS_XMLRPC)
  return protocol == "jsonrpc" || protocol == "web" || protocol == "json2" || protocol == "xmlrpc";
#else
  return protocol == "jsonrpc" || protocol == "web" || protocol == "json2";
#endif
}

http_response json_reply(int status, const json::value& body) {
  return {status, {{"Content-Type", "application/json; charset=utf-8"}}, json::to_string(body)};
}

}  // namespace

TEST_CASE("every recording of the same fault decodes to the same odoo_errc on every protocol") {
  std::size_t checked = 0;
  for (const auto& f : fault_table()) {
    CAPTURE(f.fault);
    std::set<std::string> protocols;
    for (const char* name : f.recordings) {
      CAPTURE(name);
      const auto path = std::filesystem::path(test::fixtures_dir()) / (std::string(name) + ".json");
      REQUIRE_MESSAGE(std::filesystem::exists(path), "the table names a recording that is missing");
      const auto e = test::load_exchange(path);
      REQUIRE(e.has_value());
      if (!decodable(e->protocol)) continue;
      protocols.insert(e->protocol);
      const auto decoded = decode(*e);
      REQUIRE_FALSE(decoded.has_value());
      CHECK_MESSAGE(decoded.error() == f.code, decoded.error().describe());
      ++checked;
    }
    // A fault in this table is one seen on more than one protocol.
    CHECK(protocols.size() >= 2);
  }
  CHECK(checked >= 40);
}

TEST_CASE("an unknown model on the web session is unknown_model as on the other protocols") {
  // /web/dataset/call_kw looks the model up in the registry: Odoo 16-19
  // answer KeyError with the model name as its argument.
  const json::value data = json::object{
      {"name", "builtins.KeyError"},
      {"debug", "Traceback (most recent call last):\n  File \"odoo/orm/registry.py\", line 335, in __getitem__\n"
                "    return self.models[model_name]\nKeyError: 'no.such.model'\n"},
      {"message", "no.such.model"},
      {"arguments", json::array{"no.such.model"}},
      {"context", json::object{}}};
  const json::value envelope = json::object{
      {"jsonrpc", "2.0"},
      {"id", 7},
      {"error", json::object{{"code", 200}, {"message", "Odoo Server Error"}, {"data", data}}}};
  auto r = protocol::web::decode(json_reply(200, envelope));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == odoo_errc::unknown_model);
  CHECK(r.error().odoo_class() == "builtins.KeyError");
  CHECK(r.error().message() == "the model 'no.such.model' does not exist");

  // The same class for an unknown JSON-RPC service stays an unknown method.
  CHECK(classify_odoo_fault("builtins.KeyError", "nosuchservice", 200) == odoo_errc::unknown_method);
  CHECK(classify_odoo_fault("builtins.KeyError", "'res.partner'", 200) == odoo_errc::unknown_model);
}

#if defined(ODOOLINK_HAS_XMLRPC)
TEST_CASE("a method returning None over XML-RPC is unmarshallable_result with a message that says so") {
  // What Odoo's xmlrpc_handle_exception_int sends when xmlrpc.client refuses
  // to marshal a None result (allow_none=False): fault code 1 and the traceback.
  const std::string traceback =
      "Traceback (most recent call last):\n  File \"odoo/addons/base/controllers/rpc.py\", line 161, in xmlrpc_2\n"
      "    response = self._xmlrpc(service)\n  File \"/usr/lib/python3.12/xmlrpc/client.py\", line 566, in dump_nil\n"
      "    raise TypeError(\"cannot marshal None unless allow_none is enabled\")\n"
      "TypeError: cannot marshal None unless allow_none is enabled\n";
  http_response fault{200, {{"Content-Type", "text/xml; charset=utf-8"}}, protocol::xmlrpc::encode_fault(1, traceback)};
  auto r = protocol::xmlrpc::decode(std::move(fault));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == odoo_errc::unmarshallable_result);
  CHECK(r.error() != odoo_errc::wrong_arguments);
  CHECK(r.error() == condition::permanent);
  CHECK(r.error().odoo_class() == "builtins.TypeError");
  const std::string message = r.error().message();
  CHECK(message.find("returned None") != std::string::npos);
  CHECK(message.find("XML-RPC cannot carry") != std::string::npos);
  CHECK(message.find("JSON-RPC") != std::string::npos);
  CHECK(r.error().debug() == traceback);
  CHECK(odoo_errc_name(odoo_errc::unmarshallable_result) == "unmarshallable_result");

  // The legacy /xmlrpc/object endpoint puts the message in a string faultCode.
  std::string legacy = "<?xml version=\"1.0\"?>\n<methodResponse>\n<fault>\n";
  protocol::xmlrpc::write_value(legacy, json::object{{"faultCode", "cannot marshal None unless allow_none is enabled"},
                                                     {"faultString", traceback}});
  legacy += "\n</fault>\n</methodResponse>\n";
  auto old_endpoint =
      protocol::xmlrpc::decode(http_response{200, {{"Content-Type", "text/xml; charset=utf-8"}}, std::move(legacy)});
  REQUIRE_FALSE(old_endpoint.has_value());
  CHECK(old_endpoint.error() == odoo_errc::unmarshallable_result);
}

TEST_CASE("an id beyond 32 bits in an XML-RPC result is unmarshallable_result and says which protocols carry it") {
  // Odoo's XML-RPC keeps Python's int writer: a result past 2^31-1 fails on
  // the server with OverflowError (the request side takes <i8>).
  const std::string traceback =
      "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/xmlrpc/client.py\", line 539, in dump_long\n"
      "    raise OverflowError(\"int exceeds XML-RPC limits\")\nOverflowError: int exceeds XML-RPC limits\n";
  auto r = protocol::xmlrpc::decode(
      http_response{200, {{"Content-Type", "text/xml; charset=utf-8"}}, protocol::xmlrpc::encode_fault(1, traceback)});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == odoo_errc::unmarshallable_result);
  CHECK(r.error().odoo_class() == "builtins.OverflowError");
  CHECK(r.error().message().find("beyond 32 bits") != std::string::npos);
  CHECK(r.error().message().find("JSON-RPC") != std::string::npos);
}
#endif

TEST_CASE("the shared classification reads the HTTP status only where the class is generic") {
  CHECK(classify_odoo_fault("werkzeug.exceptions.Conflict", "conflict", 409) == odoo_errc::concurrency_failure);
  CHECK(classify_odoo_fault("odoo.exceptions.UserError", "no", 409) == odoo_errc::user_error);
  CHECK(classify_odoo_fault("werkzeug.exceptions.Conflict", "conflict", 200) == odoo_errc::server_error);
  CHECK(classify_odoo_fault("builtins.TypeError", "read() takes 2 arguments", 0) == odoo_errc::wrong_arguments);
  CHECK(odoo_errc_from_class("odoo.exceptions.UserError", "Object x.y doesn't exist") ==
        classify_odoo_fault("werkzeug.exceptions.NotFound", "the model 'x.y' does not exist", 404));
  // A JSON-2 409 body decodes through the same function.
  const json::value body = json::object{{"name", "werkzeug.exceptions.Conflict"},
                                        {"message", "could not serialize access"},
                                        {"arguments", json::array{}},
                                        {"context", json::object{}},
                                        {"debug", ""}};
  auto r = protocol::json2::decode(json_reply(409, body));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == odoo_errc::concurrency_failure);
}
