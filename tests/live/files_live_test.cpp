// Attachments and report PDFs against a real Odoo server (see live_env.hpp).
#include <doctest/doctest.h>

#include <vector>

#include "live/live_env.hpp"
#include "odoolink/client/attachments.hpp"
#include "odoolink/client/reports.hpp"
#include "odoolink/json/parse.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::client;
using test::options_for;
using test::protocols_offered;

namespace {

std::vector<std::byte> content_of(std::size_t n) {
  std::vector<std::byte> out(n);
  std::uint32_t x = 88172645U;
  for (auto& b : out) {
    x ^= x << 13U;
    x ^= x >> 17U;
    x ^= x << 5U;
    b = static_cast<std::byte>(x & 0xFFU);
  }
  return out;
}

}  // namespace

TEST_CASE("a 5 MB attachment round-trips byte-exact on a real Odoo over every protocol") {
  auto s = test::live_or_skip();
  if (!s) return;
  const auto content = content_of(5U << 20U);
  for (auto p : protocols_offered(*s)) {
    INFO("protocol: " << to_string(p));
    auto c = odoolink::client::client::connect(options_for(*s, p));
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    auto id = upload_attachment(c.value(), {.name = "odoolink-live.bin", .mimetype = "application/octet-stream"},
                                content);
    REQUIRE_MESSAGE(id.has_value(), odoolink::test::error_of(id).describe());
    auto back = download_attachment(c.value(), id.value());
    REQUIRE_MESSAGE(back.has_value(), odoolink::test::error_of(back).describe());
    CHECK(back.value().size() == content.size());
    CHECK(back.value() == content);
    auto info = read_attachment_info(c.value(), id.value());
    REQUIRE_MESSAGE(info.has_value(), odoolink::test::error_of(info).describe());
    CHECK(info.value().file_size == static_cast<std::int64_t>(content.size()));
    CHECK(info.value().size_text == "5.00 Mb");
    auto removed = c.value().execute_kw("ir.attachment", "unlink", json::array{json::array{id.value()}});
    CHECK_MESSAGE(removed.has_value(), odoolink::test::error_of(removed).describe());
  }
}

TEST_CASE("a report PDF downloads from a real Odoo over the web session") {
  auto s = test::live_or_skip();
  if (!s) return;
  auto c = odoolink::client::client::connect(options_for(*s, protocol_kind::web_session));
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  // The module reference report of `base` exists on every database.
  auto ids = c.value().execute_kw("ir.module.module", "search",
                                  json::array{json::array{json::array{"name", "=", "base"}}});
  REQUIRE_MESSAGE(ids.has_value(), odoolink::test::error_of(ids).describe());
  const auto parsed = json::parse(ids.value().json()).value();
  REQUIRE(parsed.as_array().size() == 1);
  const std::vector<std::int64_t> base{parsed.as_array()[0].as_int()};
  auto pdf = download_report(c.value(), "base.report_irmodulereference", base);
  REQUIRE_MESSAGE(pdf.has_value(), odoolink::test::error_of(pdf).describe());
  CHECK(pdf.value().size() > 100);
  CHECK(std::string_view(reinterpret_cast<const char*>(pdf.value().data()), 5) == "%PDF-");

  auto jsonrpc = odoolink::client::client::connect(options_for(*s, protocol_kind::jsonrpc));
  REQUIRE_MESSAGE(jsonrpc.has_value(), odoolink::test::error_of(jsonrpc).describe());
  CHECK(download_report(jsonrpc.value(), "base.report_irmodulereference", base).error() ==
        protocol_errc::unsupported_call);
}
