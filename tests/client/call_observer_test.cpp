// The client's call records: one per HTTP exchange, blocking and host-driven,
// with the attempt number of a call sent again after a web-session login, the
// host's current trace as parent, and no secret anywhere.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/observe/log_line.hpp"
#include "odoolink/testing/fake_odoo.hpp"

using namespace odoolink;

namespace {

struct exchange {
  std::string model, method, protocol, trace_id, parent_span_id, line;
  int attempt = 0, status = 0;
  std::size_t request_bytes = 0, response_bytes = 0;
  std::error_code error;
};

struct recorder final : observe::observer {
  std::vector<exchange> seen;
  void on_call(const observe::call_record& r) override {
    seen.push_back({std::string(r.model), std::string(r.method), std::string(r.protocol), std::string(r.trace_id),
                    std::string(r.parent_span_id), observe::log_line(r), r.attempt, r.status, r.request_bytes,
                    r.response_bytes, r.error});
  }
  void on_transition(const observe::transition_record&) override {}
};

client::client connect(const std::shared_ptr<testing::fake_odoo>& s, recorder& rec) {
  auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                    .password = "s3cret-pw", .protocol = client::protocol_kind::web_session,
                                    .transport = s, .observer = &rec});
  if (!c) FAIL(c.error().describe());
  return std::move(c).value();
}

}  // namespace

TEST_CASE("call records: an expired session gives the failed attempt the login and attempt 2") {
  testing::fake_options options;
  options.users.front().password = "s3cret-pw";
  auto server = std::make_shared<testing::fake_odoo>(options);
  recorder rec;
  auto c = connect(server, rec);
  REQUIRE(rec.seen.size() >= 2);  // the version probe(s) and the login
  CHECK(rec.seen.back().method == "authenticate");
  CHECK(rec.seen.back().model.empty());
  const std::size_t connecting = rec.seen.size();

  const auto host = observe::new_trace();
  rec.set_current(host);
  REQUIRE(c.execute_kw("res.partner", "search_count", json::array{json::array{}}));
  server->expire_sessions();
  REQUIRE(c.execute_kw("res.partner", "search_count", json::array{json::array{}}));
  rec.set_current({});
  REQUIRE(rec.seen.size() == connecting + 4);
  const exchange& first = rec.seen[connecting];
  CHECK(first.model == "res.partner");
  CHECK(first.method == "search_count");
  CHECK(first.protocol == "web_session");
  CHECK(first.attempt == 1);
  CHECK(first.status == 200);
  CHECK_FALSE(first.error);
  CHECK(first.request_bytes > 0);
  CHECK(first.response_bytes > 0);
  const exchange& expired = rec.seen[connecting + 1];
  CHECK(expired.attempt == 1);
  CHECK(expired.error == odoo_errc::session_expired);
  CHECK(rec.seen[connecting + 2].method == "authenticate");
  const exchange& again = rec.seen[connecting + 3];
  CHECK(again.attempt == 2);
  CHECK_FALSE(again.error);
  for (std::size_t i = connecting; i < rec.seen.size(); ++i) {
    CHECK(rec.seen[i].trace_id == host.trace_id);  // children of the host's current span
    CHECK(rec.seen[i].parent_span_id == host.span_id);
  }
  for (const auto& e : rec.seen) {
    CHECK(e.line.find("s3cret-pw") == std::string::npos);
    CHECK(c.scrubber().scrub(e.line) == e.line);  // nothing to mask: no password, no session id
  }
}

TEST_CASE("call records: a host-driven call is recorded when its completion runs") {
  auto server = std::make_shared<testing::fake_odoo>();
  recorder rec;
  auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                    .password = "admin", .protocol = client::protocol_kind::jsonrpc,
                                    .transport = server, .observer = &rec});
  REQUIRE(c);
  const std::size_t connecting = rec.seen.size();
  bool done = false;
  auto id = c.value().submit({"res.partner", "search_read", json::array{json::array{}}, json::object{{"limit", 1}}},
                             [&](result<protocol::reply> r) { done = static_cast<bool>(r); });
  REQUIRE(id);
  CHECK(rec.seen.size() == connecting);  // not before the outcome is known
  while (!done && c.value().transport().pending() > 0) REQUIRE(c.value().transport().poll(std::chrono::milliseconds(10)));
  CHECK(done);
  REQUIRE(rec.seen.size() == connecting + 1);
  CHECK(rec.seen.back().method == "search_read");
  CHECK(rec.seen.back().protocol == "jsonrpc");
  CHECK(rec.seen.back().parent_span_id.empty());  // no current context: a root span of a new trace
  CHECK(rec.seen.back().trace_id.size() == 32);
}
