// Decoding read/search_read results into typed records: recorded Odoo 18/19
// responses, view records, Odoo's false-as-empty, and errors that name the
// model, the record and the field.
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "model/model_fixtures.hpp"
#include "odoolink/model/decode.hpp"
#include "odoolink/models/res_partner.hpp"
#include "odoolink/models/sale_order.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::models;
using namespace std::chrono_literals;
namespace m = odoolink::model;

namespace {

struct partner_row {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  bool is_company = false;
  m::many2one<res_country> country_id;
  m::many2many<res_partner_category> category_id;
  m::one2many<res_partner> child_ids;
  std::optional<res_partner::type_value> type;
  std::optional<m::datetime> create_date;
  double credit_limit = -1;
  ODOOLINK_VIEW(partner_row, res_partner, id, name, email, is_company, country_id, category_id, child_ids, type, create_date,
                credit_limit)
};

struct order_row {
  std::int64_t id = 0;
  std::string name;
  std::optional<sale_order::state_value> state;
  m::many2one<res_partner> partner_id;
  m::one2many<sale_order_line> order_line;
  m::many2many<crm_tag> tag_ids;
  std::optional<m::date> validity_date;
  m::datetime date_order{};
  m::monetary amount_total = 0;
  m::many2one<res_currency> currency_id;
  std::optional<m::binary> signature;
  std::optional<std::string> note;
  bool require_signature = false;
  m::many2one<res_users> user_id;
  ODOOLINK_VIEW(order_row, sale_order, id, name, state, partner_id, order_line, tag_ids, validity_date, date_order,
                amount_total, currency_id, signature, note, require_signature, user_id)
};

// Views: borrow from the response instead of copying.
struct partner_view {
  std::int64_t id = 0;
  std::string_view name;
  std::optional<std::string_view> email;
  m::many2one_view<res_partner> parent_id;
  m::ids_view child_ids;
  ODOOLINK_VIEW(partner_view, res_partner, id, name, email, parent_id, child_ids)
};

// Bound by name only, members in another order than the response.
struct loose_row {
  std::optional<std::string> phone;
  std::int64_t parent = -1;             // a many2one read as its id
  std::vector<std::int64_t> child_ids;
  json::value category_id;              // anything, as JSON
  static constexpr auto odoolink_fields() {
    return m::fields(m::bind<&loose_row::phone>("phone"), m::bind<&loose_row::parent>("parent_id"),
                     m::bind<&loose_row::child_ids>("child_ids"), m::bind<&loose_row::category_id>("category_id"));
  }
};

struct parent_only {
  std::optional<std::int64_t> parent_id;  // false reads as nullopt
  ODOOLINK_VIEW(parent_only, res_partner, parent_id)
};

protocol::reply reply_of(std::string text) { return protocol::reply(std::move(text)); }

template <class V>
error decode_error(std::string text) {
  auto r = m::decode<V>(reply_of(std::move(text)), "res.partner");
  REQUIRE(r.has_error());
  return r.error();
}

const std::string one_partner =
    R"([{"id": 10, "name": "Deco Addict", "email": "info@agrolait.com", "is_company": true, "country_id": [233, "United States"], "category_id": [7], "child_ids": [36, 19, 20], "type": "contact", "create_date": "2026-11-22 06:01:23", "credit_limit": 0.0}])";

}  // namespace

TEST_CASE("recorded Odoo 18 search_read of res.partner decodes into a typed record") {
  auto rows = m::decode<partner_row>(test::recorded_reply("odoo18/jsonrpc/search_read_partner.json"), "res.partner");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(rows.value().size() == 3);
  const partner_row& p = rows.value()[2];
  CHECK(p.id == 10);
  CHECK(p.name == "Deco Addict");
  CHECK(p.email == "info@agrolait.com");
  CHECK(p.is_company);
  CHECK(p.country_id == m::many2one<res_country>(233, "United States"));
  CHECK(p.category_id == m::many2many<res_partner_category>{7});
  CHECK(p.child_ids == m::one2many<res_partner>{36, 19, 20});
  CHECK(p.type == res_partner::type_value::contact);
  CHECK(p.create_date == std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 6h + 1min + 23s);
  CHECK(p.credit_limit == 0.0);
  CHECK(rows.value()[0].category_id.empty());
  CHECK(rows.value()[1].category_id == m::many2many<res_partner_category>{7, 6});
}

TEST_CASE("recorded sale.order: selection / dates / monetary / binary false / html / many2one") {
  auto rows = m::decode<order_row>(test::recorded_reply("odoo18/jsonrpc/search_read_sale_order_types.json"), "sale.order");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(rows.value().size() == 1);
  const order_row& o = rows.value()[0];
  CHECK(o.id == 3);
  CHECK(o.name == "S00003");
  CHECK(o.state == sale_order::state_value::draft);
  CHECK(o.partner_id.id == 12);
  CHECK(o.partner_id.name == "Ready Mat");
  CHECK(o.order_line == m::one2many<sale_order_line>{6, 7});
  CHECK(o.tag_ids == m::many2many<crm_tag>{1, 2});
  CHECK(o.validity_date == m::date{std::chrono::year{2026} / 12 / 22});
  CHECK(o.date_order == std::chrono::sys_days{std::chrono::year{2026} / 11 / 22} + 6h + 2min + 49s);
  CHECK(o.amount_total == 377.5);
  CHECK(o.currency_id.name == "USD");
  CHECK_FALSE(o.signature.has_value());  // false: no signature
  CHECK(o.note == "<p>Deliver <b>before</b> noon &amp; call ahead</p>");
  CHECK(o.require_signature);
  CHECK(o.user_id == m::many2one<res_users>(2, "Mitchell Admin"));
}

TEST_CASE("recorded Odoo 19 JSON-2 answers decode the same way") {
  struct row19 {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> client_order_ref;
    std::optional<m::datetime> commitment_date;
    bool locked = true;
    m::monetary amount_total = 0;
    std::optional<std::string> note;
    ODOOLINK_VIEW(row19, sale_order, id, name, client_order_ref, commitment_date, locked, amount_total, note)
  };
  auto rows = m::decode<row19>(test::recorded_reply("odoo19/json2/search_read_sale_order_types.json"), "sale.order");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(rows.value().size() == 2);
  CHECK(rows.value()[1].id == 26);
  CHECK_FALSE(rows.value()[1].client_order_ref.has_value());
  CHECK_FALSE(rows.value()[1].commitment_date.has_value());
  CHECK_FALSE(rows.value()[1].locked);
  CHECK(rows.value()[1].amount_total == doctest::Approx(4.14));
  CHECK(rows.value()[1].note == "<p>Deliver <b>before</b> noon</p>");

  // web_read sends many2one as {"id", "display_name", ...}.
  struct web_row {
    std::int64_t id = 0;
    m::many2one<res_partner> partner_id;
    ODOOLINK_VIEW(web_row, sale_order, id, partner_id)
  };
  auto web = m::decode<web_row>(test::recorded_reply("odoo19/json2/web_read_sale_order.json"), "sale.order");
  REQUIRE_MESSAGE(web.has_value(), odoolink::test::error_of(web).describe());
  CHECK(web.value()[0].partner_id == m::many2one<res_partner>(55, "OdooLink19 Fixture Co"));
}

TEST_CASE("view records borrow from the response and keep it alive") {
  const std::string text =
      R"([{"id": 56, "name": "Caf\u00e9 \"Zo\u00e9\"", "email": false, "parent_id": [55, "Od\u00f6oLink"], "child_ids": [1, 2, 3]},
          {"id": 57, "name": "Plain", "email": "a@b.c", "parent_id": false, "child_ids": []}])";
  m::records<partner_view> rows;
  {
    auto r = m::decode<partner_view>(reply_of(text), "res.partner");
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    rows = std::move(r).value();  // the reply now lives only inside `rows`
  }
  static_assert(std::is_same_v<m::decoded<partner_view>, m::records<partner_view>>);
  static_assert(std::is_same_v<m::decoded<partner_row>, std::vector<partner_row>>);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].name == "Caf\xC3\xA9 \"Zo\xC3\xA9\"");  // unescaped into the records' arena
  CHECK_FALSE(rows[0].email.has_value());
  CHECK(rows[0].parent_id.id == 55);
  CHECK(rows[0].parent_id.name == "Od\xC3\xB6oLink");
  CHECK(std::vector<std::int64_t>(rows[0].child_ids.begin(), rows[0].child_ids.end()) == std::vector<std::int64_t>{1, 2, 3});
  CHECK(rows[1].name == "Plain");
  CHECK(rows[1].email == "a@b.c");
  CHECK(rows[1].parent_id.empty());
  CHECK(rows[1].child_ids.empty());
  const auto copy = rows;  // copies share the storage
  rows = {};
  CHECK(copy[0].name == "Caf\xC3\xA9 \"Zo\xC3\xA9\"");
  CHECK(copy[1].email == "a@b.c");
}

TEST_CASE("escapes: every JSON escape / surrogate pairs / and refusal of broken ones") {
  struct text_row {
    std::string name;
    std::optional<std::string_view> email;
    ODOOLINK_FIELDS(text_row, name, email)
  };
  auto rows = m::decode<text_row>(reply_of(R"([{"name": "a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00 end", "email": "x\u0000y"},
      {"name": "0123456789abcdef0123456789\"quoted\"0123456789abcdef", "email": "long string without any escape at all, 64 bytes and more...."}])"));
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  CHECK(rows.value()[0].name == "a\"b\\c/d\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 end");
  CHECK(rows.value()[0].email == std::string_view("x\0y", 3));
  CHECK(rows.value()[1].name == "0123456789abcdef0123456789\"quoted\"0123456789abcdef");
  CHECK(rows.value()[1].email == "long string without any escape at all, 64 bytes and more....");
  for (const char* bad : {R"([{"name": "\ud83d alone", "email": false}])", R"([{"name": "\x41", "email": false}])",
                          R"([{"name": "\u12G4", "email": false}])", R"([{"name": "\ude00", "email": false}])"}) {
    auto e = m::decode<text_row>(reply_of(bad));
    REQUIRE_MESSAGE(e.has_error(), bad);
    CHECK(e.error() == protocol_errc::malformed_response);
    CHECK(e.error().message().find("field \"name\": malformed JSON at byte ") != std::string::npos);
    CHECK(e.error().message().find("invalid escape in a string") != std::string::npos);
  }
}

TEST_CASE("unknown fields are skipped / order does not matter / many2one may be read as an id") {
  auto rows = m::decode<loose_row>(reply_of(R"([{"id": 1, "extra": {"nested": [1, {"x": 2}]}, "category_id": [7, 6],
      "child_ids": [4], "parent_id": [15, "Azure Interior"], "phone": false, "later": "x"},
      {"id": 2, "phone": "+1", "parent_id": false, "child_ids": [], "category_id": {"a": [true, null]}}])"),
                                   "res.partner");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(rows.value().size() == 2);
  CHECK(rows.value()[0].parent == 15);
  CHECK_FALSE(rows.value()[0].phone.has_value());
  CHECK(rows.value()[0].child_ids == std::vector<std::int64_t>{4});
  CHECK(rows.value()[0].category_id == json::parse("[7, 6]").value());
  CHECK(rows.value()[1].parent == 0);
  auto parents = m::decode<parent_only>(reply_of(R"([{"id": 1, "parent_id": [15, "Azure"]}, {"id": 2, "parent_id": false}])"));
  REQUIRE(parents.has_value());
  CHECK(parents.value()[0].parent_id == std::optional<std::int64_t>(15));
  CHECK_FALSE(parents.value()[1].parent_id.has_value());
  CHECK(rows.value()[1].phone == "+1");
  CHECK(rows.value()[1].category_id == json::parse(R"({"a": [true, null]})").value());
}

TEST_CASE("type mismatches name the model / the record and the field") {
  std::string text = one_partner;
  text.replace(text.find("\"info@agrolait.com\""), 19, "42");
  auto e = decode_error<partner_row>(text);
  CHECK(e == protocol_errc::unexpected_type);
  CHECK(e.message() == "res.partner record 10, field \"email\": expected a string or false, found 42");

  text = one_partner;
  text.replace(text.find("[233, \"United States\"]"), 22, "\"United States\"");
  e = decode_error<partner_row>(text);
  CHECK(e.message().find("res.partner record 10, field \"country_id\": expected a many2one") == 0);

  text = one_partner;
  text.replace(text.find("\"2026-11-22 06:01:23\""), 21, "\"2026-02-30 06:01:23\"");
  e = decode_error<partner_row>(text);
  CHECK(e.message().find("field \"create_date\"") != std::string::npos);
  CHECK(e.message().find("not a calendar date") != std::string::npos);

  text = one_partner;
  text.replace(text.find("[36, 19, 20]"), 12, "[36, \"x\"]");
  e = decode_error<partner_row>(text);
  CHECK(e.message().find("field \"child_ids\": expected an id (integer), found a string (not shown)") != std::string::npos);

  text = one_partner;
  text.replace(text.find("true"), 4, "1");
  e = decode_error<partner_row>(text);
  CHECK(e.message() == "res.partner record 10, field \"is_company\": expected a boolean, found 1");
}

TEST_CASE("a refused value's text never reaches the message (schema drift meets personal data)") {
  // A field whose type changed on the server now carries what another one
  // held: the message names the kind found, not the value.
  std::string text = one_partner;
  text.replace(text.find("true"), 4, "\"info@agrolait.com\"");
  auto e = decode_error<partner_row>(text);
  CHECK(e.message() == "res.partner record 10, field \"is_company\": expected a boolean, found a string (not shown)");

  text = one_partner;
  text.replace(text.find("[233, \"United States\"]"), 22, "\"Jane Doe, 12 Elm Street\"");
  e = decode_error<partner_row>(text);
  CHECK(e.message().find("found a string (not shown)") != std::string::npos);
  CHECK(e.message().find("Jane") == std::string::npos);

  text = one_partner;
  text.replace(text.find("\"2026-11-22 06:01:23\""), 21, "\"22/11/1984 06:01\"");
  e = decode_error<partner_row>(text);
  CHECK(e.message().find("1984") == std::string::npos);
  CHECK(e.message().find("\"##/##/#### ##:##\"") != std::string::npos);
}

TEST_CASE("missing requested fields and empty values in non-optional members are clear errors") {
  std::string text = one_partner;
  const std::string_view cut = ", \"credit_limit\": 0.0";
  text.replace(text.find(cut), cut.size(), "");
  auto e = decode_error<partner_row>(text);
  CHECK(e == protocol_errc::unexpected_type);
  CHECK(e.message() == "res.partner record 10, field \"credit_limit\": missing from the response (every bound field must be returned)");

  struct strict_row {
    std::int64_t id = 0;
    res_partner::type_value type{};
    ODOOLINK_VIEW(strict_row, res_partner, id, type)
  };
  e = decode_error<strict_row>(R"([{"id": 3, "type": false}])");
  CHECK(e.message().find("res.partner record 3, field \"type\": expected a selection value") == 0);
  CHECK(e.message().find("declare the member std::optional") != std::string::npos);

  // An unlisted selection value is `unknown`, not an error.
  auto ok = m::decode<strict_row>(reply_of(R"([{"id": 3, "type": "followup"}])"), "res.partner");
  REQUIRE(ok.has_value());
  CHECK(ok.value()[0].type == res_partner::type_value::unknown);
}

TEST_CASE("responses that are not record lists") {
  CHECK(decode_error<partner_row>(R"({"id": 1})").message() == "res.partner: expected a list of records, found an object");
  CHECK(decode_error<partner_row>(R"([1, 2])").message().find("res.partner record #0: expected a record (object)") == 0);
  CHECK(decode_error<partner_row>(R"([{"id": 1, "name": "x)") == protocol_errc::malformed_response);
  auto empty = m::decode<partner_row>(reply_of("[]"));
  REQUIRE(empty.has_value());
  CHECK(empty.value().empty());
  // Without an id the record is named by its position.
  CHECK(decode_error<loose_row>(R"([{"phone": 3}])").message().find("res.partner record #0, field \"phone\"") == 0);
}

TEST_CASE("a reused decoder collects ids and write dates for pagers and feeds") {
  m::decoder d;
  std::vector<std::int64_t> ids;
  std::vector<m::datetime> dates;
  struct name_only {
    std::string name;
    ODOOLINK_FIELDS(name_only, name)
  };
  for (int round = 0; round < 2; ++round) {
    ids.clear();
    dates.clear();
    auto r = d.decode_with<name_only>(
        reply_of(R"([{"id": 4, "name": "a", "write_date": "2026-11-22 06:01:23"}, {"id": 2, "name": "b", "write_date": "2026-11-22 06:01:24"}])"),
        "res.partner", m::decode_extras{.ids = &ids, .write_dates = &dates});
    REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
    CHECK(r.value().size() == 2);
    CHECK(ids == std::vector<std::int64_t>{4, 2});
    REQUIRE(dates.size() == 2);
    CHECK(dates[1] - dates[0] == 1s);
  }
  auto missing = d.decode_with<name_only>(reply_of(R"([{"id": 4, "name": "a"}])"), "res.partner",
                                          m::decode_extras{.write_dates = &dates});
  REQUIRE(missing.has_error());
  CHECK(missing.error().message().find("field \"write_date\": missing or not a datetime") != std::string::npos);
}

TEST_CASE("typed records write back as vals") {
  auto rows = m::decode<order_row>(test::recorded_reply("odoo18/jsonrpc/search_read_sale_order_types.json"), "sale.order");
  REQUIRE(rows.has_value());
  order_row o = rows.value()[0];
  o.state = sale_order::state_value::unknown;  // never written back
  const json::value vals = m::to_vals(o);
  CHECK(vals == json::parse(R"({"name": "S00003", "partner_id": 12, "order_line": [[6, 0, [6, 7]]], "tag_ids": [[6, 0, [1, 2]]],
      "validity_date": "2026-12-22", "date_order": "2026-11-22 06:02:49", "amount_total": 377.5, "currency_id": 1,
      "signature": false, "note": "<p>Deliver <b>before</b> noon &amp; call ahead</p>", "require_signature": true, "user_id": 2})")
                    .value());
}

TEST_CASE("binary fields keep base64 text and decode on demand") {
  struct image_row {
    std::int64_t id = 0;
    std::optional<m::binary> image_128;
    ODOOLINK_VIEW(image_row, res_partner, id, image_128)
  };
  auto rows = m::decode<image_row>(reply_of(R"([{"id": 1, "image_128": "aGVsbG8="}, {"id": 2, "image_128": false}])"));
  REQUIRE(rows.has_value());
  REQUIRE(rows.value()[0].image_128.has_value());
  CHECK(rows.value()[0].image_128->base64() == "aGVsbG8=");
  const auto bytes = rows.value()[0].image_128->decode();
  REQUIRE(bytes.has_value());
  CHECK(std::string(bytes.value().begin(), bytes.value().end()) == "hello");
  CHECK_FALSE(rows.value()[1].image_128.has_value());
  CHECK(m::binary::from_bytes(std::string_view("hello")).base64() == "aGVsbG8=");
  CHECK(m::binary("1.2 Kb").decode().has_error());
}

namespace {
struct named_row {
  std::int64_t id = 0;
  std::string_view name;
  ODOOLINK_VIEW(named_row, res_partner, id, name)
};
}  // namespace

// The list is sized from the first record's share of the text: a first
// record far longer than the rest makes that estimate short, and the records
// already decoded (views into the reply) move when the list grows.
TEST_CASE("a first record far longer than the rest still decodes every record") {
  constexpr int count = 2000;
  std::string text = R"([{"id": 1, "name": ")" + std::string(4000, 'z') + "\"}";
  for (int i = 2; i <= count; ++i) text += R"(, {"id": )" + std::to_string(i) + R"(, "name": "Partner )" + std::to_string(i) + "\"}";
  text += "]";
  auto rows = m::decode<named_row>(reply_of(text), "res.partner");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(rows.value().size() == count);
  CHECK(rows.value()[0].name == std::string(4000, 'z'));
  CHECK(rows.value()[1].name == "Partner 2");
  CHECK(rows.value()[count - 1].id == count);
  CHECK(rows.value()[count - 1].name == "Partner " + std::to_string(count));
}

TEST_CASE("fields left out of the request may be missing, and the others read in any order") {
  // The binding order is id, name, phone, email; phone was not asked (the
  // server lacks it), so after name the decoder predicts email. A phone the
  // answer sends anyway is a key out of the predicted order, and must be
  // read, not refused as a repeat of a key skipped unseen.
  struct contact {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> phone;
    std::optional<std::string> email;
    ODOOLINK_VIEW(contact, res_partner, id, name, phone, email)
  };
  const std::array<bool, 4> left_out{false, false, true, false};
  const m::decode_extras extras{.left_out = left_out};
  auto decode = [&](std::string text) {
    return m::decoder{}.decode_with<contact>(protocol::reply(std::move(text)), "res.partner", extras);
  };
  auto out_of_order = decode(R"([{"id": 1, "name": "A", "phone": "12", "email": "a@b.c"}])");
  REQUIRE_MESSAGE(out_of_order.has_value(), odoolink::test::error_of(out_of_order).message());
  CHECK(out_of_order.value()[0].phone == "12");
  CHECK(out_of_order.value()[0].email == "a@b.c");
  auto without = decode(R"([{"id": 1, "name": "A", "email": false}])");
  REQUIRE_MESSAGE(without.has_value(), odoolink::test::error_of(without).message());
  CHECK_FALSE(without.value()[0].phone.has_value());
  // A field that was asked is still required.
  auto missing = decode(R"([{"id": 1, "email": false}])");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message().find("\"name\"") != std::string::npos);
}
