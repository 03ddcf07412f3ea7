// A hostile server on a loopback port, driven through the client and a typed
// proxy: every misbehaviour ends in its typed error within the client's
// timeout, and no error text carries a secret.

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/model/model.hpp"
#include "odoolink/models/res_partner.hpp"
#include "security/support/odoo_double.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::models;
using namespace odoolink_test;
namespace m = odoolink::model;

namespace {

struct partner_name {
  std::int64_t id = 0;
  std::string name;
  ODOOLINK_VIEW(partner_name, res_partner, id, name)
};

constexpr auto client_timeout = std::chrono::milliseconds(1500);
constexpr std::size_t body_limit = std::size_t{1} << 20U;  // client_options::limits.max_bytes in this test

// A JSON result in the protocol's envelope.
std::string wrapped(const protocol_case& p, const std::string& result) {
  if (p.kind == client::protocol_kind::json2) return result;
  return R"({"jsonrpc": "2.0", "id": 1, "result": )" + result + "}";
}

reply json_reply(const protocol_case& p, const std::string& result) {
  return answer(200, "application/json", wrapped(p, result));
}

reply raw(std::string bytes) {
  reply r;
  r.mode = reply_mode::raw;
  r.body = std::move(bytes);
  return r;
}

struct hostile_case {
  const char* name;
  std::function<reply(const received_request&, const protocol_case&)> make;
  std::error_code call;   // what execute_kw ends in (none: it succeeds, the data is JSON)
  std::error_code typed;  // what the typed proxy's search_read ends in
  bool json_only = false; // a JSON structure: XML-RPC gets its own cases
  bool xml_only = false;
};

std::string repeated(std::string_view part, std::size_t times) {
  std::string out;
  out.reserve(part.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += part;
  return out;
}

const std::vector<hostile_case>& hostile_cases() {
  static const std::vector<hostile_case> cases{
      {"garbage", [](auto&, auto&) { return answer(200, "application/json", "<<garbage>> {[ 1 2"); },
       make_error_code(protocol_errc::malformed_response), make_error_code(protocol_errc::malformed_response)},
      {"HTML 400", [](auto&, auto&) { return answer(400, "text/html", "<html><body><h1>Bad Request</h1></body></html>"); },
       make_error_code(protocol_errc::bad_request), make_error_code(protocol_errc::bad_request)},
      {"truncated body",
       [](auto&, const protocol_case& p) {
         reply r = json_reply(p, R"([{"id": 1, "name": "Acme"}])");
         r.mode = reply_mode::close_mid_body;
         return r;
       },
       make_error_code(transport_errc::connection_lost), make_error_code(transport_errc::connection_lost)},
      {"huge string",
       [](auto&, const protocol_case& p) { return json_reply(p, "[{\"id\": 1, \"name\": \"" + std::string(4 * body_limit, 'a') + "\"}]"); },
       make_error_code(transport_errc::response_too_large), make_error_code(transport_errc::response_too_large)},
      // Inside a field the view does not read, so the typed reader meets the depth while skipping it.
      {"deep nesting",
       [](auto&, const protocol_case& p) {
         return json_reply(p, "[{\"id\": 1, \"name\": \"x\", \"extra\": " + repeated("[", 100000) + repeated("]", 100000) + "}]");
       },
       make_error_code(protocol_errc::nesting_too_deep), make_error_code(protocol_errc::nesting_too_deep), true},
      {"wrong types", [](auto&, const protocol_case& p) { return json_reply(p, R"([{"id": "one", "name": 5}])"); },
       {}, make_error_code(protocol_errc::unexpected_type), true},
      {"slowloris",
       [](auto&, auto&) {
         reply r;
         r.mode = reply_mode::drip;
         r.drip = std::chrono::milliseconds(100);
         r.body = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n" + std::string(1000, ' ');
         return r;
       },
       make_error_code(transport_errc::timeout), make_error_code(transport_errc::timeout)},
      {"connection reset",
       [](auto&, auto&) {
         reply r;
         r.mode = reply_mode::reset;
         return r;
       },
       make_error_code(transport_errc::connection_lost), make_error_code(transport_errc::connection_lost)},
      {"empty body", [](auto&, auto&) { return answer(200, "application/json", ""); },
       make_error_code(protocol_errc::malformed_response), make_error_code(protocol_errc::malformed_response)},
      {"invalid UTF-8", [](auto&, const protocol_case& p) { return json_reply(p, "[{\"id\": 1, \"name\": \"\xff\xfe\"}]"); },
       make_error_code(protocol_errc::invalid_utf8), make_error_code(protocol_errc::invalid_utf8), true},
      // Valid JSON: the untyped reply carries it (json::parse refuses it later); the typed reader refuses it as an id.
      {"giant number",
       [](auto&, const protocol_case& p) { return json_reply(p, "[{\"id\": 1" + std::string(400, '0') + ", \"name\": \"x\"}]"); },
       {}, make_error_code(protocol_errc::unexpected_type), true},
      // Refused by the untyped call too: every reader refuses a repeated key.
      {"duplicate keys",
       [](auto&, const protocol_case& p) { return json_reply(p, R"([{"id": 1, "name": "a", "name": "b"}])"); },
       make_error_code(protocol_errc::malformed_response), make_error_code(protocol_errc::malformed_response), true},
      {"duplicate keys the view does not read",
       [](auto&, const protocol_case& p) { return json_reply(p, R"([{"id": 1, "name": "a", "x": {"y": 1}, "x": 2}])"); },
       make_error_code(protocol_errc::malformed_response), make_error_code(protocol_errc::malformed_response), true},
      {"redirect page",
       [](auto&, auto&) {
         reply r = answer(302, "text/html", "<html><a href=\"https://login.example.com/\">moved</a></html>");
         r.headers.push_back({"Location", "https://login.example.com/"});
         return r;
       },
       make_error_code(transport_errc::http_status), make_error_code(transport_errc::http_status)},
      {"chunked lies",
       [](auto&, auto&) {
         return raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "400\r\n[{\"id\": 1}]\r\nzz\r\n");
       },
       make_error_code(transport_errc::connection_lost), make_error_code(transport_errc::connection_lost)},
      {"XML nesting",
       [](auto&, auto&) {
         return answer(200, "text/xml",
                       "<?xml version='1.0'?><methodResponse><params><param>" +
                           repeated("<value><array><data>", 20000) + repeated("</data></array></value>", 20000) +
                           "</param></params></methodResponse>");
       },
       make_error_code(protocol_errc::nesting_too_deep), make_error_code(protocol_errc::nesting_too_deep), false, true},
      {"XML wrong types",
       [](auto&, auto&) {
         return answer(200, "text/xml",
                       "<?xml version='1.0'?><methodResponse><params><param><value><array><data><value><struct>"
                       "<member><name>id</name><value><string>one</string></value></member>"
                       "<member><name>name</name><value><int>5</int></value></member>"
                       "</struct></value></data></array></value></param></params></methodResponse>");
       },
       {}, make_error_code(protocol_errc::unexpected_type), false, true},
      {"XML member named twice",
       [](auto&, auto&) {
         return answer(200, "text/xml",
                       "<?xml version='1.0'?><methodResponse><params><param><value><array><data><value><struct>"
                       "<member><name>id</name><value><int>1</int></value></member>"
                       "<member><name>name</name><value><string>a</string></value></member>"
                       "<member><name>name</name><value><string>b</string></value></member>"
                       "</struct></value></data></array></value></param></params></methodResponse>");
       },
       make_error_code(protocol_errc::malformed_response), make_error_code(protocol_errc::malformed_response), false, true},
      {"XML invalid UTF-8",
       [](auto&, auto&) {
         return answer(200, "text/xml",
                       "<?xml version='1.0'?><methodResponse><params><param><value><string>\xff\xfe</string></value>"
                       "</param></params></methodResponse>");
       },
       make_error_code(protocol_errc::invalid_utf8), make_error_code(protocol_errc::invalid_utf8), false, true},
      {"echoing error page", [](const received_request& r, auto&) { return answer(500, "text/plain", echo_of(r)); },
       make_error_code(transport_errc::http_status), make_error_code(transport_errc::http_status)},
  };
  return cases;
}

}  // namespace

TEST_CASE("every hostile answer ends in its typed error within the timeout and quotes no secret") {
  std::size_t checked = 0;
  std::size_t leaks = 0;
  std::chrono::milliseconds slowest{0};
  for (const auto& p : all_protocols) {
    const std::string protocol = p.name;
    CAPTURE(protocol);
    const hostile_case* current = nullptr;
    odoo_double server([&](const received_request& r) { return current->make(r, p); });
    auto options = server.options(p);
    options.timeout = client_timeout;
    options.limits.max_bytes = body_limit;
    auto c = client::client::connect(options);
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    // The typed read goes straight to the hostile answers (no fields_get first).
    c.value().server_fields().set_mode(client::field_check::trust);
    m::proxy<res_partner> partners(c.value());
    for (const auto& hc : hostile_cases()) {
      if ((p.kind == client::protocol_kind::xmlrpc ? hc.json_only : hc.xml_only)) continue;
      const std::string name = hc.name;
      CAPTURE(name);
      current = &hc;
      const auto start = std::chrono::steady_clock::now();
      auto raw_call = c.value().execute_kw("res.partner", "search_read", json::array{json::array{}},
                                           json::object{{"fields", json::array{"id", "name"}}});
      const auto middle = std::chrono::steady_clock::now();
      auto typed = partners.search_read<partner_name>(m::expr<res_partner>{});
      const auto end = std::chrono::steady_clock::now();
      for (const auto took : {middle - start, end - middle}) {
        slowest = std::max(slowest, std::chrono::duration_cast<std::chrono::milliseconds>(took));
        CHECK(took < client_timeout + std::chrono::milliseconds(500));
      }
      if (hc.call) {
        CHECK_FALSE(raw_call.has_value());
        if (!raw_call) {
          CHECK_MESSAGE(raw_call.error().code() == hc.call, raw_call.error().describe());
          leaks += leaks_in(raw_call.error().describe()) + leaks_in(raw_call.error().debug());
        }
      } else {
        CHECK_MESSAGE(raw_call.has_value(), odoolink::test::error_of(raw_call).describe());
      }
      CHECK_FALSE(typed.has_value());
      if (!typed) {
        CHECK_MESSAGE(typed.error().code() == hc.typed, typed.error().describe());
        leaks += leaks_in(typed.error().describe()) + leaks_in(typed.error().debug());
      }
      ++checked;
    }
  }
  MESSAGE(checked << " hostile answers checked, slowest " << slowest.count() << " ms (timeout "
                  << client_timeout.count() << " ms), secret runs in errors: " << leaks);
  CHECK(leaks == 0);
}
