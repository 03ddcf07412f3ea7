// README "Files, reports and API keys": a web-session client (`odoo`) on a
// fake Odoo; the snippet's attachment must come back byte-exact with its
// size, the report must be a PDF and the new key must log in on JSON-2.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "harness.hpp"
#include "odoolink/odoolink.hpp"
#include "odoolink/testing/fake_odoo.hpp"

int main() {
  using namespace odoolink;
  testing::fake_options options;
  options.major_version = 19;
  auto fake = std::make_shared<testing::fake_odoo>(options);
  const std::string password = "admin";
  auto partner = fake->call("res.partner", "create", json::array{json::object{{"name", "Acme"}}});
  if (!readme::expect_value(partner, "partner")) return 1;
  auto order = fake->call("sale.order", "create", json::array{json::object{{"partner_id", partner.value()}}});
  if (!readme::expect_value(order, "order")) return 1;
  const std::string scan(300'000, 's');
  std::ofstream("scan.pdf", std::ios::binary) << scan;
  auto connected = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                            .password = password, .protocol = client::protocol_kind::web_session,
                                            .transport = fake});
  if (!readme::expect_value(connected, "connect")) return 1;
  client::client odoo = connected.value();

#include "snippet.inc"

  if (!readme::expect_value(id, "upload") || !readme::expect_value(bytes, "download") ||
      !readme::expect_value(info, "info") || !readme::expect_value(pdf, "report") ||
      !readme::expect_value(key, "api key"))
    return 1;
  readme::expect(bytes.value().size() == scan.size() &&
                     std::equal(scan.begin(), scan.end(), reinterpret_cast<const char*>(bytes.value().data())),
                 "the attachment comes back byte-exact");
  readme::expect(info.value().size_text == "292.97 Kb", "bin_size gives the size: " + info.value().size_text);
  readme::expect(pdf.value().size() > 5 && static_cast<char>(pdf.value()[0]) == '%', "the report is a PDF");
  auto by_key = client::client::connect({.url = "http://127.0.0.1:8069", .api_key = key.value(), .transport = fake});
  readme::expect_value(by_key, "the new key logs in");
  return readme::finish("files");
}
