// Record ids beyond 32 bits through the typed layer over XML-RPC, where they
// travel as `<i8>` both ways (Python's xmlrpc.client refuses `<int>` beyond
// int32), and typed members too narrow for them.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "odoolink/client/client.hpp"
#include "odoolink/model/proxy.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/protocol/xmlrpc.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
namespace m = odoolink::model;
using models::res_partner;

namespace {

struct partner_link {
  std::int64_t id = 0;
  std::string name;
  m::many2one<res_partner> parent_id;
  ODOOLINK_VIEW(partner_link, res_partner, id, name, parent_id)
};

// The same record read into a 32-bit id.
struct partner_link32 {
  std::int32_t id = 0;
  std::string name;
  ODOOLINK_VIEW(partner_link32, res_partner, id, name)
};

constexpr std::int64_t beyond32 = std::int64_t{1} << 32U;  // 4294967296

// Every XML-RPC request body the server received, with the server behind it.
struct recording_transport final : transport::sync_transport {
  explicit recording_transport(std::shared_ptr<testing::fake_odoo> s) : server(std::move(s)) {}
  result<http_response> send(const http_request& request) override {
    bodies.push_back(request.body);
    auto r = server->send(request);
    if (r) answers.push_back(r.value().body);
    return r;
  }
  std::shared_ptr<testing::fake_odoo> server;
  std::vector<std::string> bodies;
  std::vector<std::string> answers;
};

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("ids beyond 32 bits round-trip through the typed layer over XML-RPC") {
  auto server = std::make_shared<testing::fake_odoo>();
  // A database whose partner ids have passed 2^32 (a seeded record moves the sequence on).
  REQUIRE(server->seed(R"({"res.partner": [{"id": 4294967296, "name": "Big Holding", "is_company": true}]})"));
  auto wire = std::make_shared<recording_transport>(server);
  auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                    .password = "admin", .protocol = client::protocol_kind::xmlrpc, .transport = wire});
  REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
  m::proxy<res_partner> partners(c.value());

  // create answers an id beyond 32 bits: the server writes it as <i8>.
  auto id = partners.create(m::values<res_partner>{}.set(res_partner::name, "Branch").set(res_partner::parent_id, beyond32));
  REQUIRE_MESSAGE(id.has_value(), odoolink::test::error_of(id).describe());
  CHECK(id.value() == beyond32 + 1);
  CHECK(contains(wire->answers.back(), "<i8>4294967297</i8>"));
  // The request carried the parent id as <i8> too.
  CHECK(contains(wire->bodies.back(), "<i8>4294967296</i8>"));

  // Read back: the id and the many2one id decode to 64 bits.
  auto rows = partners.read<partner_link>({id.value()});
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(rows.value().size() == 1);
  CHECK(rows.value()[0].id == beyond32 + 1);
  CHECK(rows.value()[0].parent_id.id == beyond32);
  CHECK(rows.value()[0].parent_id.name == "Big Holding");
  CHECK(contains(wire->bodies.back(), "<i8>4294967297</i8>"));

  // Write to it, and find it by an <i8> domain value.
  auto written = partners.write({id.value()}, m::values<res_partner>{}.set(res_partner::name, "Branch North"));
  REQUIRE_MESSAGE(written.has_value(), odoolink::test::error_of(written).describe());
  CHECK(server->record("res.partner", beyond32 + 1)->find("name")->as_string() == "Branch North");
  auto found = partners.search(res_partner::parent_id == beyond32);
  REQUIRE_MESSAGE(found.has_value(), odoolink::test::error_of(found).describe());
  REQUIRE(found.value().size() == 1);
  CHECK(found.value()[0] == beyond32 + 1);

  // A member too narrow for the id is a typed error, not a truncated id.
  auto narrow = partners.read<partner_link32>({id.value()});
  REQUIRE_FALSE(narrow.has_value());
  CHECK(narrow.error() == protocol_errc::unexpected_type);
  CHECK(contains(narrow.error().message(), "4294967297"));
}

TEST_CASE("xmlrpc integers: every integer tag reads to 64 bits and values beyond int64 are refused") {
  auto answer = [](std::string_view value) {
    http_response r;
    r.status = 200;
    r.headers.push_back({"Content-Type", "text/xml"});
    r.body = "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n" + std::string(value) +
             "</param>\n</params>\n</methodResponse>\n";
    return protocol::xmlrpc::decode(std::move(r));
  };
  for (const char* tag : {"int", "i4", "i8"}) {
    CAPTURE(tag);
    const std::string t(tag);
    auto small = answer("<value><" + t + ">-7</" + t + "></value>");
    REQUIRE_MESSAGE(small.has_value(), odoolink::test::error_of(small).describe());
    CHECK(small.value().json() == "-7");
  }
  auto big = answer("<value><i8>9223372036854775807</i8></value>");
  REQUIRE(big.has_value());
  CHECK(big.value().json() == "9223372036854775807");
  auto too_big = answer("<value><i8>9223372036854775808</i8></value>");
  REQUIRE_FALSE(too_big.has_value());
  CHECK(too_big.error() == protocol_errc::unexpected_type);
  // Written back: int32 as <int>, beyond as <i8>, the limits exact.
  std::string out;
  protocol::xmlrpc::write_value(out, json::value(std::numeric_limits<std::int32_t>::max()));
  protocol::xmlrpc::write_value(out, json::value(std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1));
  protocol::xmlrpc::write_value(out, json::value(std::numeric_limits<std::int64_t>::min()));
  CHECK(out == "<value><int>2147483647</int></value>\n<value><i8>2147483648</i8></value>\n"
               "<value><i8>-9223372036854775808</i8></value>\n");
}
