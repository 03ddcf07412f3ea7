// `odoolink codegen --url ... --model ...` against a live server: the fake
// Odoo listening on loopback, playing Odoo 19. The headers it writes are the
// committed ones of that series, byte for byte.
#if defined(ODOOLINK_CLI)
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

namespace fs = std::filesystem;

namespace {
std::string text_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("codegen from a live server writes the headers of the server's series") {
  odoolink::testing::fake_odoo server(odoolink::testing::fake_options{.major_version = 19});
  auto listener = server.listen();
  REQUIRE_MESSAGE(listener.has_value(), odoolink::test::error_of(listener).describe());
  const fs::path out = fs::path(ODOOLINK_TEST_BINARY_DIR) / "codegen_cli_v19";
  fs::remove_all(out);
  fs::create_directories(out);
  const std::string log = (out / "log.txt").string();
  const std::string command = std::string("CODEGEN_PW=admin '") + ODOOLINK_CLI + "' codegen --series 19 --out '" + out.string() +
                              "' --url " + listener.value()->url() +
                              " --db odoolink --user admin --password-env CODEGEN_PW --model res.partner --model sale.order.line > '" +
                              log + "' 2>&1";
  const int status = std::system(command.c_str());
  INFO(text_of(log));
  REQUIRE(status == 0);
  const fs::path committed = fs::path(ODOOLINK_TEST_SOURCE_DIR).parent_path() / "include" / "odoolink" / "models" / "v19";
  for (const char* header : {"res_partner.hpp", "sale_order_line.hpp"}) {
    CAPTURE(header);
    REQUIRE(fs::exists(out / header));
    CHECK(text_of(out / header) == text_of(committed / header));
  }
  CHECK(server.stats().per_method.at("fields_get") == 2);

  // A model the server lacks: a clear error and exit status 1.
  const std::string missing = std::string("CODEGEN_PW=admin '") + ODOOLINK_CLI + "' codegen --out '" + out.string() + "' --url " +
                              listener.value()->url() + " --db odoolink --user admin --password-env CODEGEN_PW --model x.nothing > '" +
                              log + "' 2>&1";
  CHECK(std::system(missing.c_str()) != 0);
  CHECK(text_of(log).find("x.nothing") != std::string::npos);

  // A secret on the command line is refused (ps and shell history keep it), before any call.
  const auto calls = server.stats().calls;
  const std::string on_argv = std::string("'") + ODOOLINK_CLI + "' codegen --out '" + out.string() + "' --url " +
                              listener.value()->url() + " --db odoolink --user admin --password admin --model res.partner > '" +
                              log + "' 2>&1";
  CHECK(std::system(on_argv.c_str()) != 0);
  CHECK(text_of(log).find("--password-env") != std::string::npos);
  CHECK(server.stats().calls == calls);
}
#endif
