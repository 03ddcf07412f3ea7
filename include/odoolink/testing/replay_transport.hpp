#pragma once
/// @file
/// `replay_transport`: a transport that answers from recorded exchanges, so
/// code above the transport (the client, typed models, the outbox sink) is
/// tested against real Odoo bytes without a server.

#include <string>
#include <utility>
#include <vector>

#include "odoolink/json/parse.hpp"
#include "odoolink/testing/recorded_exchange.hpp"
#include "odoolink/transport/sync_transport.hpp"
#if defined(ODOOLINK_HAS_XMLRPC)
#include "odoolink/protocol/xmlrpc.hpp"
#endif

namespace odoolink {
ODOOLINK_BEGIN_NAMESPACE
namespace testing {

/// Answers each request with the response of the first recorded exchange
/// whose method, path and body match: JSON bodies compare as JSON values
/// (the JSON-RPC `id` is ignored), XML-RPC bodies as decoded calls, and the
/// `Authorization`, `X-Odoo-Database` and `Cookie` headers must be equal.
/// A request nothing matches gets a 404 HTML page, as from a server without
/// that route, and is listed in `unmatched()`.
/// @par Thread Safety  One object, one thread at a time.
class replay_transport final : public transport::sync_transport {
 public:
  explicit replay_transport(std::vector<recorded_exchange> exchanges) : exchanges_(std::move(exchanges)) {}

  /// Adds a recording (later ones are tried after earlier ones).
  void add(recorded_exchange e) { exchanges_.push_back(std::move(e)); }

  [[nodiscard]] result<http_response> send(const http_request& request) override {
    sent_.push_back(request);
    for (const auto& e : exchanges_)
      if (matches(e, request)) {
        used_.push_back(e.name);
        return e.response();
      }
    // Like a server without that route: clients probing for routes move on.
    unmatched_.push_back(request);
    return http_response{404, {{"Content-Type", "text/html; charset=utf-8"}},
                         "<!doctype html><title>404 Not Found</title><p>no recorded exchange matches " +
                             request.method + " " + request.target + "</p>"};
  }

  /// Every request sent, in order.
  [[nodiscard]] const std::vector<http_request>& sent() const noexcept { return sent_; }
  /// Names of the exchanges that answered, in order.
  [[nodiscard]] const std::vector<std::string>& used() const noexcept { return used_; }
  /// Requests no recording matched.
  [[nodiscard]] const std::vector<http_request>& unmatched() const noexcept { return unmatched_; }

 private:
  static bool same_json(std::string_view a, std::string_view b) {
    auto x = json::parse(a);
    auto y = json::parse(b);
    if (!x || !y) return a == b;
    json::value& xv = x.value();
    json::value& yv = y.value();
    if (xv.is_object() && yv.is_object() && xv.find("jsonrpc") != nullptr) {
      xv.set("id", 0);
      yv.set("id", 0);
    }
    return xv == yv;
  }

  static bool same_body(const recorded_exchange& e, const http_request& r) {
    const std::string recorded = e.request_body.value_or("");
#if defined(ODOOLINK_HAS_XMLRPC)
    if (e.protocol == "xmlrpc") {
      auto x = protocol::xmlrpc::decode_request(escape_placeholders(recorded));
      auto y = protocol::xmlrpc::decode_request(r.body);
      return x && y && x.value().method == y.value().method && x.value().params == y.value().params;
    }
#endif
    if (recorded.empty() || r.body.empty()) return recorded == r.body;
    return same_json(recorded, r.body);
  }

  static bool matches(const recorded_exchange& e, const http_request& r) {
    if (e.method != r.method || e.path != r.target) return false;
    for (const char* h : {"Authorization", "X-Odoo-Database", "Cookie"})
      if (find_header(e.request_headers, h) != r.header(h)) return false;
    return same_body(e, r);
  }

  std::vector<recorded_exchange> exchanges_;
  std::vector<http_request> sent_;
  std::vector<std::string> used_;
  std::vector<http_request> unmatched_;
};

}  // namespace testing
ODOOLINK_END_NAMESPACE
}  // namespace odoolink
