// Report PDFs over the web session, from the fake Odoo.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include "odoolink/client/reports.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using testing::fake_odoo;

namespace {

// The fake server, with `rewrite` given a chance to replace its answers.
class rewriting_transport final : public transport::sync_transport {
 public:
  explicit rewriting_transport(std::shared_ptr<fake_odoo> s) : server_(std::move(s)) {}
  std::function<void(const http_request&, http_response&)> rewrite;
  int logins = 0;
  result<http_response> send(const http_request& request) override {
    if (request.target == "/web/session/authenticate") ++logins;
    auto answer = server_->send(request);
    if (answer && rewrite) rewrite(request, answer.value());
    return answer;
  }

 private:
  std::shared_ptr<fake_odoo> server_;
};

struct fixture {
  std::shared_ptr<fake_odoo> server = std::make_shared<fake_odoo>();
  std::shared_ptr<rewriting_transport> wire = std::make_shared<rewriting_transport>(server);
  std::vector<std::int64_t> orders;

  fixture() {
    const auto partner = server->call("res.partner", "create", json::array{json::object{{"name", "Acme"}}});
    REQUIRE(partner.has_value());
    for (int i = 0; i < 2; ++i) {
      auto id = server->call("sale.order", "create", json::array{json::object{{"partner_id", partner.value()}}});
      REQUIRE_MESSAGE(id.has_value(), odoolink::test::error_of(id).describe());
      orders.push_back(id.value().as_int());
    }
  }

  client::client connect(client::protocol_kind p = client::protocol_kind::web_session) const {
    auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                      .password = "admin", .protocol = p, .transport = wire});
    if (!c) FAIL(c.error().describe());
    return std::move(c).value();
  }
};

std::string text_of(const std::vector<std::byte>& b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

}  // namespace

TEST_CASE("a report PDF downloads over the web session") {
  fixture f;
  auto c = f.connect();
  auto pdf = client::download_report(c, "sale.report_saleorder", f.orders);
  REQUIRE_MESSAGE(pdf.has_value(), odoolink::test::error_of(pdf).describe());
  const std::string text = text_of(pdf.value());
  CHECK(text.starts_with("%PDF-"));
  CHECK(text.find("sale.report_saleorder " + std::to_string(f.orders[0]) + "," + std::to_string(f.orders[1])) !=
        std::string::npos);

  const auto file = std::filesystem::temp_directory_path() / ("odoolink-report-" + std::to_string(::getpid()) + ".pdf");
  auto written = client::download_report(c, "sale.report_saleorder", std::span(f.orders).first(1), file);
  REQUIRE_MESSAGE(written.has_value(), odoolink::test::error_of(written).describe());
  CHECK(written.value() == std::filesystem::file_size(file));
  std::ifstream in(file, std::ios::binary);
  std::string head(5, '\0');
  in.read(head.data(), 5);
  CHECK(head == "%PDF-");
  std::filesystem::remove(file);
}

TEST_CASE("an expired session is logged in again once for a report") {
  fixture f;
  auto c = f.connect();
  CHECK(f.wire->logins == 1);
  f.server->expire_sessions();
  auto pdf = client::download_report(c, "sale.report_saleorder", f.orders);
  REQUIRE_MESSAGE(pdf.has_value(), odoolink::test::error_of(pdf).describe());
  CHECK(text_of(pdf.value()).starts_with("%PDF-"));
  CHECK(f.wire->logins == 2);

  // The login form itself (a redirect that was followed) counts as an expired session too.
  bool once = true;
  f.wire->rewrite = [&once](const http_request& r, http_response& a) {
    if (!r.target.starts_with("/report/") || !once) return;
    once = false;
    a = http_response{200, {{"Content-Type", "text/html; charset=utf-8"}},
                      R"(<form class="oe_login_form" role="form" action="/web/login" method="post">)"};
  };
  auto after_form = client::download_report(c, "sale.report_saleorder", f.orders);
  REQUIRE_MESSAGE(after_form.has_value(), odoolink::test::error_of(after_form).describe());
  CHECK(f.wire->logins == 3);

  // A server that keeps asking for a login: one more login, then a clear error.
  f.wire->rewrite = [](const http_request& r, http_response& a) {
    if (!r.target.starts_with("/report/")) return;
    a = http_response{303, {{"Location", "/web/login?redirect=" + r.target}}, "Redirecting..."};
  };
  auto refused = client::download_report(c, "sale.report_saleorder", f.orders);
  REQUIRE(refused.has_error());
  CHECK(refused.error() == odoo_errc::session_expired);
  CHECK(refused.error() == condition::auth);
  CHECK(f.wire->logins == 4);
}

TEST_CASE("reports need the web session and say why") {
  fixture f;
  auto c = f.connect(client::protocol_kind::jsonrpc);
  auto r = client::download_report(c, "sale.report_saleorder", f.orders);
  REQUIRE(r.has_error());
  CHECK(r.error() == protocol_errc::unsupported_call);
  CHECK(r.error().message().find("web_session") != std::string::npos);
  CHECK(r.error().message().find("jsonrpc") != std::string::npos);
  CHECK(r.error().message().find("admin") == std::string::npos);  // the password is not quoted
}

TEST_CASE("answers that are not a PDF are refused with the status and type") {
  fixture f;
  auto c = f.connect();
  auto unknown = client::download_report(c, "nope.report_nothing", f.orders);
  REQUIRE(unknown.has_error());
  CHECK(unknown.error() == protocol_errc::unexpected_content_type);
  CHECK(unknown.error().http_status() == 500);
  CHECK(unknown.error().message().find("HTTP 500 text/html") != std::string::npos);

  const std::vector<std::int64_t> gone{9999};
  CHECK(client::download_report(c, "sale.report_saleorder", gone).error() == protocol_errc::unexpected_content_type);

  CHECK(client::download_report(c, "../web/login", f.orders).error() == protocol_errc::unsupported_call);
  CHECK(client::download_report(c, "sale.report_saleorder", std::span<const std::int64_t>{}).error() ==
        protocol_errc::unsupported_call);

  // Said to be a PDF, but not one.
  f.wire->rewrite = [](const http_request& r, http_response& a) {
    if (r.target.starts_with("/report/")) a.body = "<html>oops</html>";
  };
  auto fake_pdf = client::download_report(c, "sale.report_saleorder", f.orders);
  REQUIRE(fake_pdf.has_error());
  CHECK(fake_pdf.error().message().find("%PDF-") != std::string::npos);

  // Odoo's JSON error shape: the Odoo fault comes back.
  f.wire->rewrite = [](const http_request& r, http_response& a) {
    if (!r.target.starts_with("/report/")) return;
    a = http_response{200, {{"Content-Type", "application/json"}},
                      R"({"jsonrpc":"2.0","id":null,"error":{"code":200,"message":"Odoo Server Error","data":)"
                      R"({"name":"odoo.exceptions.AccessError","message":"You are not allowed to print this",)"
                      R"("arguments":[],"context":{},"debug":""}}})"};
  };
  auto denied = client::download_report(c, "sale.report_saleorder", f.orders);
  REQUIRE(denied.has_error());
  CHECK(denied.error() == odoo_errc::access_error);
}
