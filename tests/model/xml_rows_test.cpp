// Typed records read straight from XML-RPC bodies (model/detail/xml_rows.hpp)
// against the general path (XML-RPC to JSON text, then the JSON decoder):
// on Odoo's recorded answers the direct reader takes the body and gives the
// same records; on anything else it gives up and the answer, records or
// error, is the general path's, word for word.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/client/client.hpp"
#include "odoolink/model/decode.hpp"
#include "odoolink/model/proxy.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/models/sale_order.hpp"
#include "odoolink/protocol/xmlrpc.hpp"
#include "odoolink/testing/fake_odoo.hpp"
#include "support/error_of.hpp"
#include "transport/support/recorded_exchange.hpp"

using namespace odoolink;
namespace m = odoolink::model;
using models::res_partner;
using models::sale_order;

namespace {

struct partner_row {
  std::int64_t id = 0;
  std::string name;
  m::many2one<res_partner> parent_id;
  m::one2many<res_partner> child_ids;
  std::optional<std::string> phone;
  ODOOLINK_VIEW(partner_row, res_partner, id, name, parent_id, child_ids, phone)
  bool operator==(const partner_row&) const = default;
};

struct partner_country {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> country_id;
  std::optional<std::string> comment;
  ODOOLINK_FIELDS(partner_country, id, name, country_id, comment)
  bool operator==(const partner_country&) const = default;
};

struct order_row {
  std::int64_t id = 0;
  std::string name;
  std::optional<sale_order::state_value> state;
  m::many2one<res_partner> partner_id;
  std::vector<std::int64_t> order_line;
  std::vector<std::int64_t> tag_ids;
  std::optional<m::date> validity_date;
  m::datetime date_order{};
  double amount_total = 0;
  std::int32_t currency_id = 0;
  std::optional<std::string> signature;
  std::string note;
  bool require_signature = false;
  ODOOLINK_FIELDS(order_row, id, name, state, partner_id, order_line, tag_ids, validity_date, date_order, amount_total,
                  currency_id, signature, note, require_signature)
  bool operator==(const order_row&) const = default;
};

// One record with every scalar form, for hand-made bodies.
struct sample {
  std::int64_t id = 0;
  std::string text;
  std::optional<std::string> maybe_text;
  double amount = 0;
  std::optional<std::int64_t> count;
  bool flag = false;
  std::optional<m::datetime> at;
  ODOOLINK_FIELDS(sample, id, text, maybe_text, amount, count, flag, at)
  bool operator==(const sample&) const = default;
};

http_response answer(std::string body) {
  http_response r;
  r.status = 200;
  r.headers.push_back({"Content-Type", "text/xml; charset=utf-8"});
  r.body = std::move(body);
  return r;
}

// The general path: the body as JSON, then the JSON decoder.
template <class V>
result<std::vector<V>> general(const std::string& body) {
  ODOOLINK_TRY(auto reply, protocol::xmlrpc::decode(answer(body)));
  return m::decode<V>(std::move(reply), "res.partner");
}

// The path typed calls take: the codec offers the body to the records
// reader first (as proxy::execute_into does); `direct` says whether it took it.
template <class V>
result<std::vector<V>> through_reader(const std::string& body, bool& direct) {
  std::vector<V> rows;
  auto ctx = m::detail::context_access::make("res.partner", nullptr);
  const m::decode_extras extras{};
  m::detail::rows_reader<V> reader{&rows, &ctx, &extras, std::nullopt, false};
  const auto hook = reader.hook();
  auto reply = protocol::xmlrpc::decode(answer(body), {}, &hook);
  direct = reader.called;
  if (!reply) return reply.error();
  if (!reader.called) ODOOLINK_TRYV(m::detail::decode_rows(reply.value(), rows, ctx, extras));
  return rows;
}

// Both paths agree (records or error); returns whether the direct one took the body.
template <class V>
bool agree(const std::string& body) {
  bool direct = false;
  const auto a = general<V>(body);
  const auto b = through_reader<V>(body, direct);
  REQUIRE_MESSAGE(a.has_value() == b.has_value(), body);
  if (a) {
    CHECK_MESSAGE(a.value() == b.value(), body);
  } else {
    CHECK_MESSAGE(a.error().code() == b.error().code(), body);
    CHECK_MESSAGE(a.error().message() == b.error().message(), body);
  }
  return direct;
}

std::string response_of(const std::string& fixture) {
  return odoolink_test::recorded_exchange::load(fixture).response_body;
}

// A one-record answer whose members are `members` (each `<member>...</member>`).
std::string one_record(std::string_view members) {
  return "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><struct>\n" +
         std::string(members) + "</struct></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n";
}

std::string member(std::string_view name, std::string_view value) {
  return "<member>\n<name>" + std::string(name) + "</name>\n<value>" + std::string(value) + "</value>\n</member>\n";
}

// A `sample` record, with `value` for the member named `name` (the others plain).
std::string sample_with(std::string_view name, std::string_view value) {
  const std::pair<std::string_view, std::string_view> plain[] = {
      {"id", "<int>7</int>"},         {"text", "<string>Deco</string>"}, {"maybe_text", "<boolean>0</boolean>"},
      {"amount", "<double>1.5</double>"}, {"count", "<int>3</int>"},     {"flag", "<boolean>1</boolean>"},
      {"at", "<string>2026-12-06 05:40:01</string>"}};
  std::string members;
  for (const auto& [n, v] : plain) members += member(n, n == name ? value : v);
  return one_record(members);
}

// The fake Odoo, keeping the last answer's body.
struct answer_recorder final : transport::sync_transport {
  explicit answer_recorder(std::shared_ptr<testing::fake_odoo> s) : server(std::move(s)) {}
  result<http_response> send(const http_request& request) override {
    auto r = server->send(request);
    if (r) last_answer = r.value().body;
    return r;
  }
  std::shared_ptr<testing::fake_odoo> server;
  std::string last_answer;
};

}  // namespace

TEST_CASE("xml-rpc records: Odoo's recorded answers are read straight from the body, as the general path reads them") {
  const std::string read = response_of("odoo18/xmlrpc/read.json");
  CHECK(agree<partner_row>(read));
  const std::string orders = response_of("odoo18/xmlrpc/search_read_sale_order_types.json");
  CHECK(agree<order_row>(orders));
  const std::string countries = response_of("odoo19/xmlrpc/execute_kw_search_read.json");
  CHECK(agree<partner_country>(countries));

  // What the records hold (the general path agrees, above).
  bool direct = false;
  auto o = through_reader<order_row>(orders, direct);
  REQUIRE(o.has_value());
  REQUIRE(o.value().size() == 1);
  const order_row& so = o.value()[0];
  CHECK(so.state == sale_order::state_value::draft);
  CHECK(so.partner_id.name == "Ready Mat");
  CHECK(so.order_line == std::vector<std::int64_t>{6, 7});
  CHECK(so.amount_total == 377.5);
  CHECK(so.currency_id == 1);
  CHECK_FALSE(so.signature.has_value());
  CHECK(so.note == "<p>Deliver <b>before</b> noon &amp; call ahead</p>");  // entities read once
  CHECK(so.require_signature);
}

TEST_CASE("xml-rpc records: the forms Python writes for each value are read directly") {
  // Each body is taken by the direct reader and agrees with the general path.
  const std::string bodies[] = {
      sample_with("text", "Bare text"),                                   // a string without <string>
      sample_with("text", ""),                                            // an empty bare string
      sample_with("text", "<string></string>"),
      sample_with("text", "<string>&lt;b&gt; &amp; &quot;q&quot; &apos;a&apos;</string>"),
      sample_with("text", "<string>Zürich – 東京 😀</string>"),
      sample_with("text", "<string>tab\there\nnew line</string>"),
      sample_with("maybe_text", "<string>set</string>"),
      sample_with("amount", "<double>-0.0</double>"),
      sample_with("amount", "<double>1e+16</double>"),
      sample_with("amount", "<double>0.1</double>"),
      sample_with("amount", "<double>123456789012345678901234567890.5</double>"),  // past the exact fast path
      sample_with("amount", "<double>2.2250738585072014e-308</double>"),
      sample_with("count", "<i4>-12</i4>"),
      sample_with("count", "<i8>9223372036854775807</i8>"),
      sample_with("count", "<boolean>0</boolean>"),
      sample_with("count", "<array><data>\n<value><int>5</int></value>\n<value><string>Five</string></value>\n</data></array>"),
      sample_with("flag", "<boolean>0</boolean>"),
      sample_with("at", "<boolean>0</boolean>"),
      // No declaration, no line breaks between tags.
      "<methodResponse><params><param><value><array><data><value><struct><member><name>id</name><value><int>1</int>"
      "</value></member><member><name>text</name><value><string>x</string></value></member><member><name>maybe_text"
      "</name><value><boolean>0</boolean></value></member><member><name>amount</name><value><double>2.0</double></value>"
      "</member><member><name>count</name><value><int>0</int></value></member><member><name>flag</name><value>"
      "<boolean>1</boolean></value></member><member><name>at</name><value><boolean>0</boolean></value></member>"
      "</struct></value></data></array></value></param></params></methodResponse>",
      // Members in another order.
      one_record(member("flag", "<boolean>1</boolean>") + member("at", "<boolean>0</boolean>") +
                 member("count", "<int>1</int>") + member("amount", "<double>1.0</double>") +
                 member("maybe_text", "<boolean>0</boolean>") + member("text", "<string>t</string>") +
                 member("id", "<int>9</int>")),
      // No records.
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n</data></array></value>\n"
      "</param>\n</params>\n</methodResponse>\n",
  };
  for (const auto& body : bodies) CHECK_MESSAGE(agree<sample>(body), body);
}

TEST_CASE("xml-rpc records: anything else is left to the general path, which gives the same records or error") {
  // Each body is refused by the direct reader; both paths then give the same answer.
  const std::string bodies[] = {
      sample_with("text", "<nil/>"),
      sample_with("text", "<string>&#65;</string>"),                // a character reference
      sample_with("text", "<string>line\r\nbreak</string>"),       // XML turns CR LF into LF
      sample_with("text", "<string>bad \xC3\x28 byte</string>"),    // not UTF-8
      sample_with("text", "<boolean>1</boolean>"),                 // true for a text: a type error
      sample_with("text", "<int>5</int>"),
      sample_with("amount", "<double>inf</double>"),
      sample_with("amount", "<double>1e400</double>"),             // Python reads inf
      sample_with("amount", "<double> 1.5</double>"),
      sample_with("amount", "<int>2</int>"),
      sample_with("count", "<int>+5</int>"),
      sample_with("count", "<int>99999999999999999999</int>"),     // beyond int64
      sample_with("count", "<string>5</string>"),
      sample_with("count", "<array><data>\n<value><int>5</int></value>\n</data></array>"),  // not a pair
      sample_with("flag", "<boolean>2</boolean>"),
      sample_with("at", "<string>2026-12-06T05:40:01</string>"),   // another datetime form
      sample_with("at", "<dateTime.iso8601>20261206T05:40:01</dateTime.iso8601>"),
      sample_with("id", "<struct></struct>"),
      one_record(member("id", "<int>1</int>")),                    // bound fields missing
      one_record(member("id", "<int>1</int>") + member("id", "<int>2</int>")),  // a member twice
      sample_with("text", "<string>x</string>") + "trailing",
      sample_with("text", "<string>x</string>").substr(0, 200),  // cut short
      response_of("odoo18/xmlrpc/fault_validation_error.json"),
      response_of("odoo18/xmlrpc/fault_access_denied.json"),
      "<?xml version=\"1.0\"?><methodResponse><params><param><value><int>5</int></value></param></params></methodResponse>",
  };
  for (const auto& body : bodies) CHECK_FALSE_MESSAGE(agree<sample>(body), body);

  // A member the record does not bind: the direct reader gives up, the general path skips it.
  std::string extra = sample_with("text", "<string>x</string>");
  extra.insert(extra.find("</struct>"), member("website", "<string>https://example.com</string>"));
  CHECK_FALSE(agree<sample>(extra));
  bool direct = true;
  auto rows = through_reader<sample>(extra, direct);
  REQUIRE(rows.has_value());
  CHECK(rows.value()[0].text == "x");
}

TEST_CASE("xml-rpc records: view records of a typed call point into the body and the kept storage") {
  auto server = std::make_shared<testing::fake_odoo>();
  REQUIRE(server->seed(R"({"res.partner": [
      {"id": 3, "name": "Café <Zürich> & Söhne", "phone": "+41 44"},
      {"id": 5, "name": "Plain", "parent_id": 3},
      {"id": 6, "name": "Line\nbreak", "parent_id": 3}]})"));
  struct partner_view {
    std::int64_t id = 0;
    std::string_view name;
    m::many2one_view<res_partner> parent_id;
    m::ids_view child_ids;
    std::optional<std::string_view> phone;
    ODOOLINK_VIEW(partner_view, res_partner, id, name, parent_id, child_ids, phone)
  };
  auto wire = std::make_shared<answer_recorder>(server);
  auto read_with = [&](client::protocol_kind protocol) {
    auto c = client::client::connect({.url = "http://127.0.0.1:8069", .database = "odoolink", .login = "admin",
                                      .password = "admin", .protocol = protocol, .transport = wire});
    REQUIRE_MESSAGE(c.has_value(), odoolink::test::error_of(c).describe());
    auto rows = m::proxy<res_partner>(c.value()).read<partner_view>({3, 5, 6});
    REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
    return std::move(rows).value();
  };
  const auto xml = read_with(client::protocol_kind::xmlrpc);
  // The answer was one the direct reader takes.
  {
    m::detail::arena kept;
    auto ctx = m::detail::context_access::make("res.partner", &kept);
    std::vector<partner_view> rows;
    CHECK(m::detail::decode_rows_xml(wire->last_answer, rows, ctx));
    CHECK(rows.size() == 3);
  }
  const auto json = read_with(client::protocol_kind::jsonrpc);
  REQUIRE(xml.size() == 3);
  REQUIRE(json.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(xml[i].id == json[i].id);
    CHECK(xml[i].name == json[i].name);
    CHECK(xml[i].parent_id.id == json[i].parent_id.id);
    CHECK(xml[i].parent_id.name == json[i].parent_id.name);
    CHECK(std::vector<std::int64_t>(xml[i].child_ids.begin(), xml[i].child_ids.end()) ==
          std::vector<std::int64_t>(json[i].child_ids.begin(), json[i].child_ids.end()));
    CHECK(xml[i].phone == json[i].phone);
  }
  CHECK(xml[0].name == "Café <Zürich> & Söhne");
  CHECK(xml[0].child_ids.size() == 2);
  CHECK(xml[2].name == "Line\nbreak");
  CHECK(xml[1].parent_id.name == "Café <Zürich> & Söhne");
}
