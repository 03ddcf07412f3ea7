#pragma once
// A scripted Odoo on a loopback port: it answers the version probe and the
// login of every protocol as Odoo 19 does, then hands every other request
// (the calls under test) to the test's own answer, which may be hostile.

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "odoolink/client/client.hpp"
#include "security/support/secrets.hpp"
#include "transport/support/http_server.hpp"

namespace odoolink_test {

/// The client's protocol in a test, with the credentials it needs.
struct protocol_case {
  const char* name;
  odoolink::client::protocol_kind kind;
  bool api_key;  // the API key, else the password
};

inline const protocol_case all_protocols[] = {
    {"jsonrpc", odoolink::client::protocol_kind::jsonrpc, false},
    {"jsonrpc with an API key", odoolink::client::protocol_kind::jsonrpc, true},
    {"web_session", odoolink::client::protocol_kind::web_session, false},
    {"json2", odoolink::client::protocol_kind::json2, true},
#if defined(ODOOLINK_HAS_XMLRPC)
    {"xmlrpc", odoolink::client::protocol_kind::xmlrpc, false},
#endif
};

/// The request as it came, for servers that echo it: request line, headers, body.
inline std::string echo_of(const received_request& r) {
  std::string out = r.method + " " + r.target + " " + r.version + "\r\n";
  for (const auto& h : r.headers) out += h.name + ": " + h.value + "\r\n";
  out += "\r\n";
  out += r.body;
  return out;
}

inline reply answer(int status, std::string content_type, std::string body) {
  reply r;
  r.status = status;
  if (!content_type.empty()) r.headers.push_back({"Content-Type", std::move(content_type)});
  r.body = std::move(body);
  return r;
}

class odoo_double {
 public:
  using misbehaviour = std::function<reply(const received_request&)>;

  explicit odoo_double(misbehaviour calls, server_options options = {})
      : calls_(std::move(calls)), server_([this](const received_request& r) { return route(r); }, std::move(options)) {}

  [[nodiscard]] std::string url() const { return server_.url(); }
  /// Requests that reached the test's answer (not the probe or the login).
  [[nodiscard]] std::size_t calls() const { return calls_seen_.load(); }
  [[nodiscard]] std::vector<received_request> requests() const { return server_.requests(); }

  /// Options for a client of this server speaking `p`.
  [[nodiscard]] odoolink::client::client_options options(const protocol_case& p) const {
    odoolink::client::client_options o;
    o.url = url();
    o.database = "odoolink";
    o.login = "admin";
    if (p.api_key) {
      o.api_key = test_api_key;
    } else {
      o.password = test_password;
    }
    o.protocol = p.kind;
    o.timeout = std::chrono::milliseconds(5000);
    return o;
  }

 private:
  reply route(const received_request& r) {
    if (r.target == "/web/version")
      return answer(200, "application/json", R"({"version": "19.0", "version_info": [19, 0, 0, "final", 0, ""]})");
    if (r.target == "/web/session/authenticate") {
      reply ok = answer(200, "application/json", R"({"jsonrpc": "2.0", "id": 1, "result": {"uid": 2, "db": "odoolink"}})");
      ok.headers.push_back({"Set-Cookie", "session_id=" + test_session_id + "; Path=/; HttpOnly"});
      return ok;
    }
    if (r.target == "/jsonrpc" && r.body.find("\"common\"") != std::string::npos)
      return answer(200, "application/json", R"({"jsonrpc": "2.0", "id": 1, "result": 2})");
    if (r.target == "/xmlrpc/2/common")
      return answer(200, "text/xml",
                    "<?xml version='1.0'?><methodResponse><params><param><value><int>2</int></value></param>"
                    "</params></methodResponse>");
    if (r.target == "/json/2/res.users/context_get")
      return answer(200, "application/json", R"({"uid": 2, "lang": "en_US", "tz": "UTC"})");
    ++calls_seen_;
    return calls_(r);
  }

  misbehaviour calls_;
  std::atomic<std::size_t> calls_seen_{0};
  http_server server_;
};

}  // namespace odoolink_test
