#pragma once
// Loads a recorded Odoo exchange (tests/fixtures/odooNN/<protocol>/<name>.json,
// format in tests/fixtures/odoo18/README.md) and turns it into a server
// handler that answers it, and into the request that reproduces it.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "odoolink/http.hpp"
#include "odoolink/json/parse.hpp"
#include "http_server.hpp"

namespace odoolink_test {

struct recorded_exchange {
  std::string method;
  std::string path;
  std::vector<odoolink::http_header> request_headers;
  std::string request_body;
  int status = 0;
  std::vector<odoolink::http_header> response_headers;
  std::string response_body;

  /// Loads `relative` (e.g. "odoo18/jsonrpc/search_read_partner.json") from the fixtures.
  static recorded_exchange load(const std::string& relative) {
    std::ifstream in(std::string(ODOOLINK_FIXTURES_DIR) + "/" + relative, std::ios::binary);
    if (!in) throw std::runtime_error("missing fixture " + relative);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = odoolink::json::parse(text.str());
    if (!doc) throw std::runtime_error("unreadable fixture " + relative);
    const auto& root = doc.value();
    const auto& http = *root.find("http");
    recorded_exchange x;
    x.method = http.find("method")->as_string();
    x.path = http.find("path")->as_string();
    x.status = static_cast<int>(http.find("status")->as_int());
    for (const auto& [name, value] : http.find("request_headers")->as_object())
      x.request_headers.push_back({name, value.as_string()});
    for (const auto& [name, value] : http.find("response_headers")->as_object())
      x.response_headers.push_back({name, value.as_string()});
    if (const auto* b = root.find("request_body"); b != nullptr && b->is_string()) x.request_body = b->as_string();
    x.response_body = root.find("response_body")->as_string();
    return x;
  }

  /// The request that reproduces the recording byte for byte.
  [[nodiscard]] odoolink::http_request request() const {
    odoolink::http_request r;
    r.method = method;
    r.target = path;
    r.headers = request_headers;
    r.body = request_body;
    return r;
  }

  /// A reply with the recorded status, headers and body.
  [[nodiscard]] reply recorded_reply() const {
    reply r;
    r.status = status;
    r.headers = response_headers;
    r.body = response_body;
    return r;
  }

  /// Whether `req` is what the recording says was sent: method, path,
  /// Content-Type and the exact body bytes.
  [[nodiscard]] bool matches(const received_request& req) const {
    return req.method == method && req.target == path &&
           req.header("Content-Type") == odoolink::find_header(request_headers, "Content-Type") &&
           req.body == request_body;
  }

  /// A handler that answers the recording when the request matches it and
  /// 400 (naming the mismatch) otherwise.
  [[nodiscard]] handler replay() const {
    return [x = *this](const received_request& req) {
      if (x.matches(req)) return x.recorded_reply();
      reply r;
      r.status = 400;
      r.body = "request does not match the recording";
      return r;
    };
  }
};

}  // namespace odoolink_test
