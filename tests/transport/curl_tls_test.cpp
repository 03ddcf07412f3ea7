// The libcurl transport against a loopback TLS server whose certificates are
// made at test time: verification on by default, custom CA (file and PEM),
// refusal of self-signed and wrong-host certificates, public-key pinning.
#include <doctest/doctest.h>

#include <string>

#include "odoolink/transport/curl_transport.hpp"
#include "support/error_of.hpp"
#include "transport/support/http_server.hpp"
#include "transport/support/loopback.hpp"
#include "transport/support/recorded_exchange.hpp"
#include "transport/support/test_pki.hpp"

using namespace odoolink_test;
using odoolink::transport_errc;
using odoolink::transport::may_have_reached_server;

namespace {

const recorded_exchange& search_read() {
  static const recorded_exchange x = recorded_exchange::load("odoo18/jsonrpc/search_read_partner.json");
  return x;
}

server_options tls_with(const key_and_cert& kc) {
  server_options o;
  o.tls = test_pki::server_context(kc);
  return o;
}

ot::curl_options trusting_test_ca(const std::string& url) {
  auto o = loopback_options(url);
  o.tls.ca_pem = test_pki::get().ca_pem;
  return o;
}

void check_refused(const ot::curl_options& opts, const http_server& server) {
  auto t = make_curl(opts);
  auto r = t->send(search_read().request());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == transport_errc::certificate_invalid);
  CHECK_FALSE(may_have_reached_server(r.error().code()));
  CHECK(r.error().message().find("127.0.0.1:" + std::to_string(server.port())) != std::string::npos);

  outcomes out;
  t->submit(search_read().request(), out.slot(0));
  REQUIRE(drive(*t));
  REQUIRE_FALSE(out.at(0).has_value());
  CHECK(out.at(0).error() == transport_errc::certificate_invalid);
  CHECK(server.request_count() == 0);
}

}  // namespace

TEST_CASE("TLS works when the test CA is given as a PEM blob") {
  const auto& pki = test_pki::get();
  http_server server(search_read().replay(), tls_with(pki.leaf));
  auto t = make_curl(trusting_test_ca(server.url()));
  auto r = t->send(search_read().request());
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(r.value().status == 200);
  CHECK(r.value().body == search_read().response_body);
  REQUIRE(server.request_count() == 1);
  CHECK(search_read().matches(server.requests()[0]));
}

TEST_CASE("TLS works when the test CA is given as a file") {
  const auto& pki = test_pki::get();
  http_server server(search_read().replay(), tls_with(pki.leaf));
  auto opts = loopback_options(server.url());
  opts.tls.ca_file = pki.write_ca_file(std::string(ODOOLINK_TEST_BINARY_DIR) + "/transport_test_ca.pem");
  auto t = make_curl(opts);
  auto r = t->send(search_read().request());
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(r.value().body == search_read().response_body);
}

TEST_CASE("the test CA alone (system store off) is enough and keep-alive works over TLS") {
  const auto& pki = test_pki::get();
  http_server server(search_read().replay(), tls_with(pki.leaf));
  auto opts = trusting_test_ca(server.url());
  opts.tls.system_ca = false;
  auto t = make_curl(opts);
  for (int i = 0; i < 5; ++i) {
    auto r = t->send(search_read().request());
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  }
  outcomes out;
  for (std::size_t i = 0; i < 16; ++i) t->submit(search_read().request(), out.slot(i));
  REQUIRE(drive(*t));
  for (std::size_t i = 0; i < 16; ++i) {
    REQUIRE(out.at(i).has_value());
    CHECK(out.at(i).value().body == search_read().response_body);
  }
  CHECK(server.request_count() == 21);
  CHECK(server.connections() <= 17);  // one for the blocking handle, at most one per concurrent request
}

TEST_CASE("an unknown CA is refused by default") {
  http_server server(search_read().replay(), tls_with(test_pki::get().leaf));
  check_refused(loopback_options(server.url()), server);  // the test CA is not trusted
}

TEST_CASE("a self-signed certificate is refused even with the test CA trusted") {
  http_server server(search_read().replay(), tls_with(test_pki::get().self_signed));
  check_refused(loopback_options(server.url()), server);
  check_refused(trusting_test_ca(server.url()), server);
}

TEST_CASE("a certificate for another host is refused") {
  http_server server(search_read().replay(), tls_with(test_pki::get().wrong_host));
  check_refused(trusting_test_ca(server.url()), server);
}

TEST_CASE("verify = false is the explicit way to accept any certificate") {
  http_server server(search_read().replay(), tls_with(test_pki::get().self_signed));
  auto opts = loopback_options(server.url());
  opts.tls.verify = false;
  auto r = make_curl(opts)->send(search_read().request());
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(r.value().status == 200);
}

TEST_CASE("public-key pinning: the right key passes and a wrong key is refused") {
  const auto& pki = test_pki::get();
  http_server server(search_read().replay(), tls_with(pki.leaf));

  auto right = trusting_test_ca(server.url());
  right.tls.pinned_public_key = pin_of(pki.leaf.key.get());
  auto ok = make_curl(right)->send(search_read().request());
  REQUIRE_MESSAGE(ok.has_value(), odoolink::test::error_of(ok).describe());
  CHECK(ok.value().status == 200);

  auto several = trusting_test_ca(server.url());
  several.tls.pinned_public_key = pin_of(pki.ca.key.get()) + ";" + pin_of(pki.leaf.key.get());
  CHECK(make_curl(several)->send(search_read().request()).has_value());

  auto wrong = trusting_test_ca(server.url());
  wrong.tls.pinned_public_key = pin_of(pki.wrong_host.key.get());
  const std::size_t before = server.request_count();
  auto t = make_curl(wrong);
  auto r = t->send(search_read().request());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == transport_errc::certificate_invalid);
  CHECK(server.request_count() == before);
}

TEST_CASE("a stalled TLS handshake times out as tls_failed: nothing was sent") {
  server_options silent = tls_with(test_pki::get().leaf);
  silent.silent = true;
  http_server server(search_read().replay(), silent);
  auto opts = trusting_test_ca(server.url());
  opts.connect_timeout = std::chrono::milliseconds(300);
  auto t = make_curl(opts);
  auto r = t->send(search_read().request());
  REQUIRE_FALSE(r.has_value());
  INFO(r.error().describe());
  CHECK(r.error() == transport_errc::tls_failed);
  CHECK_FALSE(may_have_reached_server(r.error().code()));
  CHECK(r.error().message().find("TLS handshake") != std::string::npos);
}

TEST_CASE("an unusable CA file is a configuration error and not a certificate problem") {
  http_server server(search_read().replay(), tls_with(test_pki::get().leaf));
  auto opts = loopback_options(server.url());
  opts.tls.ca_file = std::string(ODOOLINK_TEST_BINARY_DIR) + "/no-such-ca.pem";
  auto r = make_curl(opts)->send(search_read().request());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == transport_errc::invalid_request);
}
