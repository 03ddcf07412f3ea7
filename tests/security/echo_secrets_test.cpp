// A server that echoes the request in its error pages (as many proxies and
// misconfigured gateways do) must not get the client's password, API key or
// session id into any text the library hands out or stores: errors of the
// client and of a typed proxy, `last_error`, audit rows, metrics, and the
// store's file on disk. Every protocol; the relay too.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "odoolink/client/client.hpp"
#include "odoolink/contract/registry.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/model/proxy.hpp"
#include "odoolink/outbox/odoo_sink.hpp"
#include "odoolink/outbox/outbox.hpp"
#include "odoolink/outbox/relay.hpp"
#include "support/error_of.hpp"
#if defined(ODOOLINK_HAS_SQLITE)
#include "odoolink/outbox/sqlite_store.hpp"
#endif
#include "odoolink/outbox/memory_store.hpp"
#include "security/support/odoo_double.hpp"

using namespace odoolink;
using namespace odoolink_test;

namespace {

std::string json_string(std::string_view s) {
  std::string out;
  json::write_string(out, s);
  return out;
}

std::string xml_text(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '&') out += "&amp;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

std::string percent(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4U];
      out += hex[u & 0xFU];
    }
  }
  return out;
}

// The echo starting a few bytes into the first secret it holds: excerpts
// then begin with a partial run of it.
std::string cut_into_secret(const std::string& echo) {
  std::size_t first = std::string::npos;
  for (const auto& s : test_secrets())
    for (const std::string& form : {s, json_string(s).substr(1, json_string(s).size() - 2), xml_text(s)})
      first = std::min(first, echo.find(form.substr(0, 8)));
  return first == std::string::npos ? echo : echo.substr(first + 3);
}

struct echo_case {
  const char* name;
  std::function<reply(const received_request&, const protocol_case&)> make;
};

reply odoo_error_echo(const received_request& r, const protocol_case& p) {
  const std::string echo = echo_of(r);
  if (p.kind == client::protocol_kind::json2)
    return answer(422, "application/json",
                  R"({"name": "odoo.exceptions.ValidationError", "message": )" + json_string(echo) +
                      R"(, "arguments": [)" + json_string(echo) + R"(], "context": {}, "debug": )" + json_string(echo) + "}");
  if (p.kind == client::protocol_kind::xmlrpc)
    return answer(200, "text/xml",
                  "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value>"
                  "<int>2</int></value></member><member><name>faultString</name><value><string>" +
                      xml_text(echo) + "</string></value></member></struct></value></fault></methodResponse>");
  return answer(200, "application/json",
                R"({"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error", "data": {"name": )" +
                    json_string("odoo.exceptions.UserError " + echo.substr(0, 120)) + R"(, "message": )" + json_string(echo) +
                    R"(, "arguments": [)" + json_string(echo) + R"(], "context": {}, "debug": )" + json_string(echo) + "}}}");
}

reply success_echo(const received_request& r, const protocol_case& p) {
  const std::string echo = echo_of(r);
  if (p.kind == client::protocol_kind::json2) return answer(200, "application/json", json_string(echo));
  if (p.kind == client::protocol_kind::xmlrpc)
    return answer(200, "text/xml",
                  "<?xml version='1.0'?><methodResponse><params><param><value><string>" + xml_text(echo) +
                      "</string></value></param></params></methodResponse>");
  return answer(200, "application/json", R"({"jsonrpc": "2.0", "id": 1, "result": )" + json_string(echo) + "}");
}

const std::vector<echo_case>& echo_cases() {
  static const std::vector<echo_case> cases{
      {"HTML 400 page quoting the request",
       [](const received_request& r, const protocol_case&) {
         return answer(400, "text/html", "<html><body><h1>Bad Request</h1><pre>" + echo_of(r) + "</pre></body></html>");
       }},
      {"HTML 400 page quoting the request escaped",
       [](const received_request& r, const protocol_case&) {
         return answer(400, "text/html", "<html><body><pre>" + xml_text(echo_of(r)) + "</pre></body></html>");
       }},
      {"text 500 quoting the request",
       [](const received_request& r, const protocol_case&) { return answer(500, "text/plain", echo_of(r)); }},
      {"502 gateway page quoting the request",
       [](const received_request& r, const protocol_case&) { return answer(502, "text/html", echo_of(r)); }},
      {"404 quoting the request",
       [](const received_request& r, const protocol_case&) { return answer(404, "text/plain", echo_of(r)); }},
      {"200 garbage quoting the request",
       [](const received_request& r, const protocol_case&) { return answer(200, "application/json", echo_of(r)); }},
      {"200 truncated JSON quoting the request",
       [](const received_request& r, const protocol_case&) {
         const std::string quoted = json_string(echo_of(r));
         return answer(200, "application/json", R"({"jsonrpc": "2.0", "id": 1, "result": )" + quoted.substr(0, quoted.size() - 5));
       }},
      {"200 HTML login page quoting the request",
       [](const received_request& r, const protocol_case&) {
         return answer(200, "text/html", "<!DOCTYPE html><html><form>" + echo_of(r) + "</form></html>");
       }},
      {"400 quoting from inside a secret",
       [](const received_request& r, const protocol_case&) { return answer(400, "text/plain", cut_into_secret(echo_of(r))); }},
      {"400 quoting the request URL-encoded",
       [](const received_request& r, const protocol_case&) { return answer(400, "text/plain", percent(echo_of(r))); }},
      {"Odoo error quoting the request in message class and traceback", odoo_error_echo},
      {"success whose result is the request", success_echo},
  };
  return cases;
}

struct tally {
  std::size_t texts = 0;      // error texts examined
  std::size_t sent_runs = 0;  // 8-byte secret runs in what the server answered
  std::size_t leaks = 0;      // 8-byte secret runs in the texts examined

  void look_at(std::string_view text) {
    ++texts;
    leaks += leaks_in(text);
  }
  void look_at(const error& e) {
    look_at(e.describe());
    look_at(e.message());
    look_at(e.odoo_class());
    look_at(e.debug());
  }
};

// The server's answers are recorded so the test shows they did carry secrets.
struct recording_double {
  std::function<reply(const received_request&)> current;
  std::mutex mutex;
  std::size_t sent_runs = 0;
  odoo_double server{[this](const received_request& r) {
    reply out = current(r);
    std::lock_guard<std::mutex> lock(mutex);
    sent_runs += leaks_in(out.body);
    return out;
  }};
};

}  // namespace

TEST_CASE("an echoing server gets no secret into any error of the client or a typed proxy") {
  tally total;
  for (const auto& p : all_protocols) {
    const std::string protocol = p.name;
    CAPTURE(protocol);
    recording_double server;
    server.current = [](const received_request&) { return answer(500, "text/plain", "not yet"); };
    auto c = client::client::connect(server.server.options(p));
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    model::any_proxy partners(c.value(), "res.partner");
    for (const auto& ec : echo_cases()) {
      const std::string name = ec.name;
      CAPTURE(name);
      server.current = [&](const received_request& r) { return ec.make(r, p); };
      const std::size_t before = server.sent_runs;
      auto raw = c.value().execute_kw("res.partner", "search_read", json::array{json::array{}},
                                      json::object{{"fields", json::array{"name"}}});
      auto ids = partners.search(model::domain{});
      auto count = partners.search_count(model::domain{});
      CHECK(server.sent_runs > before);  // the answers did quote a secret
      // A success answer is data for execute_kw; everything else must fail typed.
      if (std::string_view(ec.name) != "success whose result is the request") {
        REQUIRE_FALSE(raw.has_value());
        total.look_at(raw.error());
      }
      REQUIRE_FALSE(ids.has_value());
      REQUIRE_FALSE(count.has_value());
      total.look_at(ids.error());
      total.look_at(count.error());
    }
    total.sent_runs += server.sent_runs;
  }
  MESSAGE("error texts examined: " << total.texts << ", secret runs sent by the server: " << total.sent_runs
                                   << ", secret runs in the texts: " << total.leaks);
  CHECK(total.sent_runs > 0);
  CHECK(total.leaks == 0);
}

TEST_CASE("an echoing server gets no secret into last_error audit rows metrics or the stored file") {
  auto registry = contract::registry::load_directory(std::string(ODOOLINK_TEST_SOURCE_DIR) + "/../contracts");
  REQUIRE(registry.has_value());
  tally total;
  std::size_t stored_bytes_scanned = 0;
  for (const auto& p : all_protocols) {
    const std::string protocol = p.name;
    CAPTURE(protocol);
    recording_double server;
    server.current = [](const received_request&) { return answer(500, "text/plain", "not yet"); };
    auto c = client::client::connect(server.server.options(p));
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
#if defined(ODOOLINK_HAS_SQLITE)
    const auto dir = std::filesystem::path(ODOOLINK_TEST_BINARY_DIR) / ("echo_outbox_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / (std::string(p.name) + ".sqlite");
    std::filesystem::remove(path);
    auto opened = outbox::sqlite_store::open({.path = path.string()});
    REQUIRE(opened.has_value());
    outbox::store& store = *opened.value();
#else
    outbox::memory_store memory;
    outbox::store& store = memory;
#endif
    outbox::outbox box(store, registry.value());
    for (int i = 0; i < 3; ++i) {
      const std::string key = "c" + std::to_string(i);
      const std::string payload = R"({"customer_id": "pos.customer_)" + std::to_string(i) + R"(", "name": "Ada"})";
      REQUIRE(box.enqueue({.subject = "customer", .payload = payload, .idempotency_key = key}).has_value());
    }
    outbox::odoo_sink sink(c.value(), registry.value());
    outbox::relay relay(store, sink, {.max_attempts = 1, .retry_for = {}});  // every failure dead-letters
    for (const auto& ec : echo_cases()) {
      const std::string name = ec.name;
      CAPTURE(name);
      server.current = [&](const received_request& r) { return ec.make(r, p); };
      const std::size_t before = server.sent_runs;
      REQUIRE(box.replay_dead().has_value());
      auto report = relay.deliver_due(16);  // the sink's calls go over HTTP: wait for them
      REQUIRE(report.has_value());
      CHECK(report.value().dead == 3);  // every event failed, with an error text stored
      CHECK(server.sent_runs > before);
      auto events = box.list({});
      REQUIRE(events.has_value());
      for (const auto& e : events.value()) {
        CHECK_FALSE(e.last_error.empty());
        total.look_at(e.last_error);
      }
    }
    auto audit = store.audit(0, std::numeric_limits<std::size_t>::max());
    REQUIRE(audit.has_value());
    for (const auto& row : audit.value()) total.look_at(row.detail);
    auto metrics = box.metrics(&relay.counters());
    REQUIRE(metrics.has_value());
    total.look_at(outbox::to_prometheus(metrics.value()));
#if defined(ODOOLINK_HAS_SQLITE)
    opened.value().reset();
    for (const auto& file : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(file.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      stored_bytes_scanned += bytes.size();
      total.look_at(bytes);
    }
    std::filesystem::remove_all(dir);
#endif
    total.sent_runs += server.sent_runs;
  }
  MESSAGE("texts examined: " << total.texts << " (store files: " << stored_bytes_scanned
                             << " bytes), secret runs sent by the server: " << total.sent_runs
                             << ", secret runs stored or shown: " << total.leaks);
  CHECK(total.sent_runs > 0);
  CHECK(total.leaks == 0);
}
