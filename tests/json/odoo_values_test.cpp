#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "odoolink/json/odoo.hpp"
#include "odoolink/json/parse.hpp"

using namespace odoolink;
using namespace std::chrono;
using namespace std::string_literals;

namespace {

// One JSON value to read: the text is wrapped in an array so the value is an
// on-demand `value` (a document root is a different type).
class one {
 public:
  explicit one(std::string_view text) : text_("[" + std::string(text) + "]") {
    doc_ = parser_.iterate(text_).value();
  }
  json::ondemand_value get() {
    auto items = doc_.get_array();
    return *items.begin();
  }

 private:
  simdjson::padded_string text_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
};

std::string file_text(const std::string& relative) {
  std::ifstream in(std::string(ODOOLINK_FIXTURES_DIR) + "/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The exact body a recorded exchange received (or, for webhooks, the first post).
std::string response_body(const std::string& relative) {
  auto exchange = json::parse(file_text(relative));
  REQUIRE(exchange.has_value());
  if (const auto* body = exchange.value().find("response_body")) return body->as_string();
  return exchange.value().find("posts")->as_array().at(0).find("request_body")->as_string();
}

template <class T>
T ok(result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), r.error().message());
  return std::move(r).value();
}

std::string fails(const error& e) {
  CHECK(e == protocol_errc::unexpected_type);
  return e.message();
}

template <class R>
std::string fails(R r) {
  REQUIRE(r.has_error());
  return fails(r.error());
}

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("search_read res.partner decodes into owned values (Odoo 18 JSON-RPC)") {
  const std::string body = response_body("odoo18/jsonrpc/search_read_partner.json");
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  auto doc = parser.iterate(padded);

  struct partner {
    std::int64_t id = 0;
    std::optional<std::string> name, email, type;
    bool is_company = false;
    std::optional<json::many2one> country;
    std::vector<std::int64_t> categories, children;
    std::optional<sys_seconds> created;
    double credit_limit = -1;
  };
  std::vector<partner> partners;
  for (auto record : doc["result"].get_array()) {
    partner p;
    for (auto field : record.get_object()) {
      const std::string_view key = field.unescaped_key().value();
      auto v = field.value();
      if (key == "id") p.id = ok(json::read_int(std::move(v)));
      else if (key == "name") p.name = ok(json::read_text(std::move(v)));
      else if (key == "email") p.email = ok(json::read_text(std::move(v)));
      else if (key == "is_company") p.is_company = ok(json::read_bool(std::move(v)));
      else if (key == "country_id") p.country = ok(json::read_many2one(std::move(v)));
      else if (key == "category_id") { REQUIRE(json::read_ids(std::move(v), p.categories)); }
      else if (key == "child_ids") { REQUIRE(json::read_ids(std::move(v), p.children)); }
      else if (key == "type") p.type = ok(json::read_text(std::move(v)));
      else if (key == "create_date") p.created = ok(json::read_datetime(std::move(v)));
      else if (key == "credit_limit") p.credit_limit = ok(json::read_float(std::move(v)));
      else FAIL("unexpected field " << key);
    }
    partners.push_back(std::move(p));
  }
  REQUIRE(partners.size() == 3);
  const partner& first = partners[0];
  CHECK(first.id == 1);
  CHECK(first.name == "My Company (San Francisco)");
  CHECK(first.email == "info@yourcompany.com");
  CHECK(first.is_company);
  CHECK(first.country == json::many2one{233, "United States"});
  CHECK(first.categories.empty());
  CHECK(first.children == std::vector<std::int64_t>{40, 41});
  CHECK(first.type == "contact");
  REQUIRE(first.created.has_value());
  CHECK(first.created->time_since_epoch().count() == 1795327283);  // 2026-11-22 06:01:23 UTC
  CHECK(first.credit_limit == 0.0);
  CHECK(partners[1].name == "Wood Corner");
  CHECK(partners[1].categories == std::vector<std::int64_t>{7, 6});
  CHECK(partners[1].children == std::vector<std::int64_t>{18, 33, 17});
  CHECK(partners[2].id == 10);
  CHECK(partners[2].name == "Deco Addict");
  CHECK(partners[2].categories == std::vector<std::int64_t>{7});
}

TEST_CASE("search_read sale.order covers date, monetary, binary=false, html, many2one (Odoo 18)") {
  const std::string body = response_body("odoo18/jsonrpc/search_read_sale_order_types.json");
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  auto doc = parser.iterate(padded);
  auto order = doc["result"].at(0).get_object().value();
  // Fields in the order the server wrote them: on-demand lookups go forward.
  CHECK(ok(json::read_int(order["id"])) == 3);
  CHECK(ok(json::read_text_view(order["name"])) == "S00003");
  CHECK(ok(json::read_text_view(order["state"])) == "draft");
  CHECK(ok(json::read_many2one_view(order["partner_id"])) == json::many2one_view{12, "Ready Mat"});
  std::vector<std::int64_t> lines;
  REQUIRE(json::read_ids(order["order_line"], lines));
  CHECK(lines == std::vector<std::int64_t>{6, 7});
  std::vector<std::int64_t> tags{99};
  REQUIRE(json::read_ids(order["tag_ids"], tags));
  CHECK(tags == std::vector<std::int64_t>{99, 1, 2});  // appended
  CHECK(ok(json::read_date(order["validity_date"])) == year_month_day{2026y / December / 22});
  CHECK(ok(json::read_datetime(order["date_order"]))->time_since_epoch().count() == 1795327369);
  CHECK(ok(json::read_float(order["amount_total"])) == 377.5);
  CHECK(ok(json::read_many2one(order["currency_id"])) == json::many2one{1, "USD"});
  CHECK(ok(json::read_binary(order["signature"])) == std::nullopt);
  CHECK(ok(json::read_text(order["note"])) == "<p>Deliver <b>before</b> noon &amp; call ahead</p>");
  CHECK(ok(json::read_bool(order["require_signature"])) == true);
  CHECK(ok(json::read_many2one(order["user_id"])) == json::many2one{2, "Mitchell Admin"});
}

TEST_CASE("JSON-2 read: false is empty except for booleans (Odoo 19)") {
  const std::string body = response_body("odoo19/json2/read.json");
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  auto doc = parser.iterate(padded);
  int seen = 0;
  for (auto record : doc.get_array()) {
    auto o = record.get_object().value();
    const auto id = ok(json::read_int(o["id"]));
    const auto name = ok(json::read_text(o["name"]));
    const auto parent = ok(json::read_many2one(o["parent_id"]));
    std::vector<std::int64_t> children, categories;
    REQUIRE(json::read_ids(o["child_ids"], children));
    REQUIRE(json::read_ids(o["category_id"], categories));
    const auto type = ok(json::read_text(o["type"]));
    const bool is_company = ok(json::read_bool(o["is_company"]));
    const auto email = ok(json::read_text(o["email"]));
    const auto phone = ok(json::read_text(o["phone"]));
    const auto comment = ok(json::read_text(o["comment"]));
    CHECK(type == "contact");
    CHECK(categories.empty());
    if (id == 55) {
      CHECK(name == "OdooLink19 Fixture Co");
      CHECK(parent == std::nullopt);
      CHECK(children == std::vector<std::int64_t>{56, 57});
      CHECK(is_company);
      CHECK(email == "fixture@example.com");
      CHECK(phone == std::nullopt);
      CHECK(comment == std::nullopt);
    } else {
      CHECK(id == 56);
      CHECK(parent == json::many2one{55, "OdooLink19 Fixture Co"});
      CHECK(children.empty());
      CHECK_FALSE(is_company);  // a real false, not "empty"
      CHECK(email == std::nullopt);
      CHECK(phone == "+1 555 0100");
      CHECK(comment == "<p>Written via <b>JSON-2</b></p>");
    }
    ++seen;
  }
  CHECK(seen == 2);
}

TEST_CASE("web_read many2one objects read as many2one (Odoo 19)") {
  const std::string body = response_body("odoo19/json2/web_read_sale_order.json");
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  auto doc = parser.iterate(padded);
  auto order = doc.at(0).get_object().value();
  CHECK(ok(json::read_int(order["id"])) == 26);
  CHECK(ok(json::read_many2one(order["partner_id"])) == json::many2one{55, "OdooLink19 Fixture Co"});
}

TEST_CASE("webhook datetimes carry microseconds (Odoo 18 base_automation)") {
  const std::string body = response_body("odoo18/webhooks/partner_on_save.json");
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  auto doc = parser.iterate(padded);
  auto post = doc.get_object().value();
  CHECK(ok(json::read_int(post["_id"])) == 2571);
  const auto written = ok(json::read_datetime_us(post["write_date"]));
  REQUIRE(written.has_value());
  CHECK(ok(json::format_datetime_us(*written)) == "2026-11-22 06:20:04.480128");
  CHECK(floor<seconds>(*written) == sys_days{2026y / November / 22} + 6h + 20min + 4s);
  CHECK((*written - floor<seconds>(*written)).count() == 480128);
}

TEST_CASE("text fields: string, false, and anything else refused with a message") {
  CHECK(ok(json::read_text(one(R"("a\"b")").get())) == "a\"b");
  CHECK(ok(json::read_text(one(R"("")").get())) == "");  // empty string stays a value
  CHECK(ok(json::read_text(one("false").get())) == std::nullopt);
  CHECK(ok(json::read_text_view(one("false").get())) == std::nullopt);
  CHECK(fails(json::read_text(one("true").get())) == "expected a string or false, found true");
  CHECK(fails(json::read_text(one("null").get())) == "expected a string or false, found null");
  CHECK(fails(json::read_text(one("12").get())) == "expected a string or false, found 12");
  CHECK(fails(json::read_text(one("[1]").get())) == "expected a string or false, found an array");
  CHECK(fails(json::read_text(one(R"({"a": 1})").get())) == "expected a string or false, found an object");
}

TEST_CASE("booleans, integers and floats are strict") {
  CHECK(ok(json::read_bool(one("false").get())) == false);
  CHECK(ok(json::read_bool(one("true").get())) == true);
  CHECK(fails(json::read_bool(one("0").get())) == "expected a boolean, found 0");
  CHECK(fails(json::read_bool(one(R"("true")").get())) == R"(expected a boolean, found "true")");

  CHECK(ok(json::read_int(one("-9223372036854775808").get())) == INT64_MIN);
  CHECK(fails(json::read_int(one("false").get())) == "expected an integer, found false");
  CHECK(fails(json::read_int(one("1.0").get())) == "expected an integer, found 1.0");
  CHECK(fails(json::read_int(one("9223372036854775808").get())) == "expected an integer, found 9223372036854775808");

  CHECK(ok(json::read_float(one("3").get())) == 3.0);  // integers are floats too
  CHECK(ok(json::read_float(one("377.5").get())) == 377.5);
  CHECK(ok(json::read_float(one("-0.54").get())) == -0.54);
  CHECK(fails(json::read_float(one(R"("3")").get())) == R"(expected a number, found "3")");
  CHECK(fails(json::read_float(one("false").get())) == "expected a number, found false");
}

TEST_CASE("many2one forms") {
  CHECK(ok(json::read_many2one(one(R"([12, "Ready Mat"])").get())) == json::many2one{12, "Ready Mat"});
  CHECK(ok(json::read_many2one(one(R"([12, "Caf\u00e9"])").get())) == json::many2one{12, "Caf\xC3\xA9"});
  CHECK(ok(json::read_many2one(one("[12, false]").get())) == json::many2one{12, ""});
  CHECK(ok(json::read_many2one(one("false").get())) == std::nullopt);
  CHECK(ok(json::read_many2one(one(R"({"id": 5, "display_name": "X", "email": "e"})").get())) ==
        json::many2one{5, "X"});
  CHECK(ok(json::read_many2one(one(R"({"email": "e", "id": 5})").get())) == json::many2one{5, ""});

  CHECK(fails(json::read_many2one(one("[12]").get())) ==
        R"(expected a many2one ([id, "name"] or false), found an array of 1 element)");
  CHECK(fails(json::read_many2one(one(R"([12, "a", 3])").get())) ==
        R"(expected a many2one ([id, "name"] or false), found an array of 3 elements)");
  CHECK(fails(json::read_many2one(one("[]").get())).ends_with("found an array of 0 elements"));
  CHECK(fails(json::read_many2one(one(R"(["12", "a"])").get())) ==
        R"(expected a many2one id (integer), found "12")");
  CHECK(fails(json::read_many2one(one("[12, 13]").get())) == "expected a many2one name (string or false), found 13");
  CHECK(fails(json::read_many2one(one("12").get())) == R"(expected a many2one ([id, "name"] or false), found 12)");
  CHECK(fails(json::read_many2one(one("true").get())).ends_with("found true"));
  CHECK(fails(json::read_many2one(one(R"({"display_name": "X"})").get())).ends_with(R"(found an object without "id")"));
}

TEST_CASE("x2many id lists append") {
  std::vector<std::int64_t> ids{1};
  REQUIRE(json::read_ids(one("[]").get(), ids));
  CHECK(ids == std::vector<std::int64_t>{1});
  REQUIRE(json::read_ids(one("[2, 3]").get(), ids));
  CHECK(ids == std::vector<std::int64_t>{1, 2, 3});
  CHECK(fails(json::read_ids(one("false").get(), ids)) == "expected a list of ids, found false");
  CHECK(fails(json::read_ids(one(R"([4, "x"])").get(), ids)) == R"(expected an id (integer), found "x")");
  CHECK(fails(json::read_ids(one("[1.5]").get(), ids)) == "expected an id (integer), found 1.5");
  CHECK(fails(json::read_ids(one("[[1]]").get(), ids)) == "expected an id (integer), found an array");
}

TEST_CASE("a missing field is an unexpected_type naming what was expected") {
  one v(R"({"a": 1})");
  auto o = v.get().get_object().value();
  const std::string msg = fails(json::read_text(o["nope"]));
  CHECK(msg == "expected a string or false, found no value (missing field)");
  const error e = json::read_int(one("\"x\"").get()).error().with_context("res.partner(9).credit_limit");
  CHECK(e.message() == R"(res.partner(9).credit_limit: expected an integer, found "x")");
}

TEST_CASE("broken JSON met while reading is malformed_response") {
  simdjson::ondemand::parser parser;
  simdjson::padded_string text(std::string("[[1, 2"));
  auto doc = parser.iterate(text);
  std::vector<std::int64_t> ids;
  auto r = json::read_ids(doc.at(0), ids);
  REQUIRE(r.has_error());
  CHECK(r.error() == protocol_errc::malformed_response);
}

TEST_CASE("long values are cut in messages") {
  const std::string long_text = "\"" + std::string(200, 'x') + "\"";
  const std::string msg = fails(json::read_int(one(long_text).get()));
  CHECK(msg.size() < 120);
  CHECK(msg.ends_with("..."));
}

TEST_CASE("dates: calendar-checked YYYY-MM-DD") {
  CHECK(ok(json::parse_date("2026-11-22")) == 2026y / November / 22);
  CHECK(ok(json::parse_date("2024-02-29")) == 2024y / February / 29);
  CHECK(ok(json::parse_date("0001-01-01")) == year{1} / January / 1);
  CHECK(ok(json::parse_date("9999-12-31")) == year{9999} / December / 31);
  CHECK(fails(json::parse_date("2026-02-30")) == R"(expected a date "YYYY-MM-DD", found "2026-02-30" (not a calendar date))");
  for (const char* bad : {"2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "0000-01-01"}) {
    CAPTURE(bad);
    CHECK(fails(json::parse_date(bad)).ends_with("(not a calendar date)"));
  }
  for (const char* bad : {"", "garbage", "2026-1-01", "2026-11-22 ", "2026/11/22", "+026-11-22", "2026-11-2x",
                          "2026-11-22T00:00:00", "２０２６-11-22"}) {
    CAPTURE(bad);
    const std::string msg = fails(json::parse_date(bad));
    CHECK(msg.starts_with(R"(expected a date "YYYY-MM-DD", found ")"));
    CHECK_FALSE(msg.ends_with(")"));
  }
  CHECK(fails(json::parse_date("a\"b\nc")) == R"(expected a date "YYYY-MM-DD", found "a\"b\nc")");
  CHECK(ok(json::read_date(one("false").get())) == std::nullopt);
  CHECK(ok(json::read_date(one(R"("2026-12-22")").get())) == 2026y / December / 22);
  CHECK(fails(json::read_date(one(R"("2026-02-30")").get())).ends_with("(not a calendar date)"));
  CHECK(fails(json::read_date(one("20261222").get())) == R"(expected a date "YYYY-MM-DD" or false, found 20261222)");
}

TEST_CASE("datetimes: UTC YYYY-MM-DD HH:MM:SS") {
  CHECK(ok(json::parse_datetime("2026-11-22 06:01:23")).time_since_epoch().count() == 1795327283);
  CHECK(ok(json::parse_datetime("1970-01-01 00:00:00")).time_since_epoch().count() == 0);
  CHECK(ok(json::parse_datetime("9999-12-31 23:59:59")).time_since_epoch().count() == 253402300799);
  CHECK(ok(json::parse_datetime("0001-01-01 00:00:00")).time_since_epoch().count() == -62135596800);
  CHECK(ok(json::parse_datetime("2024-02-29 12:00:00")).time_since_epoch().count() == 1709208000);
  for (const char* bad : {"2026-11-22 24:00:00", "2026-11-22 23:60:00", "2026-11-22 23:59:60"}) {
    CAPTURE(bad);
    CHECK(fails(json::parse_datetime(bad)).ends_with("(time of day out of range)"));
  }
  CHECK(fails(json::parse_datetime("2026-02-30 10:00:00")).ends_with("(not a calendar date)"));
  for (const char* bad : {"2026-11-22T06:01:23", "2026-11-22 06:01:23Z", "2026-11-22 06:01:23.480128",
                          "2026-11-22 6:01:23", "2026-11-22", "garbage", "2026-11-22 06:01:2x"}) {
    CAPTURE(bad);
    CHECK(fails(json::parse_datetime(bad)).starts_with(R"(expected a datetime "YYYY-MM-DD HH:MM:SS", found ")"));
  }
  CHECK(ok(json::read_datetime(one("false").get())) == std::nullopt);
  CHECK(fails(json::read_datetime(one("0").get())) ==
        R"(expected a datetime "YYYY-MM-DD HH:MM:SS" or false, found 0)");
}

TEST_CASE("webhook datetimes: with six fraction digits or none") {
  const auto base = sys_days{2026y / November / 22} + 6h + 20min + 4s;
  CHECK(ok(json::parse_datetime_us("2026-11-22 06:20:04.480128")) == base + 480128us);
  CHECK(ok(json::parse_datetime_us("2026-11-22 06:20:04.000001")) == base + 1us);
  CHECK(ok(json::parse_datetime_us("2026-11-22 06:20:04")) == base);
  for (const char* bad : {"2026-11-22 06:20:04.48", "2026-11-22 06:20:04.4801289", "2026-11-22 06:20:04,480128",
                          "2026-11-22 06:20:04.48012x", "2026-11-22 06:20:04."}) {
    CAPTURE(bad);
    CHECK(json::parse_datetime_us(bad).has_error());
  }
  CHECK(fails(json::parse_datetime_us("2026-11-22 24:20:04.480128")).ends_with("(time of day out of range)"));
  CHECK(ok(json::read_datetime_us(one(R"("2026-11-22 06:20:04.480128")").get())) == base + 480128us);
  CHECK(ok(json::read_datetime_us(one("false").get())) == std::nullopt);
}

TEST_CASE("formatting gives back Odoo's exact text") {
  CHECK(ok(json::format_date(2026y / November / 22)) == "2026-11-22");
  CHECK(ok(json::format_date(year{1} / January / 1)) == "0001-01-01");
  CHECK(json::format_date(2026y / February / 30).has_error());
  CHECK(json::format_date(year{10000} / January / 1).has_error());
  CHECK(json::format_date(year{0} / January / 1).has_error());
  CHECK(json::format_date(year{-5} / January / 1).has_error());

  CHECK(ok(json::format_datetime(sys_seconds{1795327283s})) == "2026-11-22 06:01:23");
  CHECK(ok(json::format_datetime(sys_seconds{})) == "1970-01-01 00:00:00");
  CHECK(ok(json::format_datetime(sys_seconds{-62135596800s})) == "0001-01-01 00:00:00");
  CHECK(ok(json::format_datetime(sys_seconds{253402300799s})) == "9999-12-31 23:59:59");
  CHECK(json::format_datetime(sys_seconds{253402300800s}).has_error());
  CHECK(json::format_datetime(sys_seconds{-62135596801s}).has_error());
  CHECK(json::format_datetime(sys_seconds{seconds::max()}).has_error());
  CHECK(json::format_datetime(sys_seconds{seconds::min()}).has_error());
  CHECK(ok(json::format_datetime(sys_seconds{-1s})) == "1969-12-31 23:59:59");

  const auto t = sys_days{2026y / November / 22} + 6h + 20min + 4s;
  CHECK(ok(json::format_datetime_us(t + 480128us)) == "2026-11-22 06:20:04.480128");
  CHECK(ok(json::format_datetime_us(t + 5us)) == "2026-11-22 06:20:04.000005");
  CHECK(ok(json::format_datetime_us(t)) == "2026-11-22 06:20:04");  // like Python's str(datetime)
  CHECK(ok(json::format_datetime_us(json::sys_microseconds{} - 1us)) == "1969-12-31 23:59:59.999999");
  CHECK(json::format_datetime_us(json::sys_microseconds{microseconds::max()}).has_error());

  // Every day of a leap year and a few centuries round-trips through the text.
  for (auto d = sys_days{1999y / December / 25}; d < sys_days{2001y / March / 5}; d += days{1}) {
    const std::string text = ok(json::format_date(year_month_day{d}));
    CHECK(sys_days{ok(json::parse_date(text))} == d);
    const auto at = d + 23h + 59min + 58s;
    CHECK(ok(json::parse_datetime(ok(json::format_datetime(at)))) == at);
  }
}

TEST_CASE("base64: RFC 4648 test vectors both ways") {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CAPTURE(plain);
    CHECK(json::base64_encode(plain) == encoded);
    CHECK(ok(json::base64_decode(encoded)) == bytes(plain));
  }
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  const std::string encoded = json::base64_encode(all);
  CHECK(encoded.starts_with("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"));
  CHECK(encoded.size() == 344);
  CHECK(ok(json::base64_decode(encoded)) == all);
  CHECK(json::base64_encode(std::vector<std::uint8_t>{0xFB, 0xFF}) == "+/8=");
}

TEST_CASE("base64 decoding is strict") {
  CHECK(fails(json::base64_decode("Zg=")) == "expected base64 text, found a length of 3 (not a multiple of 4)");
  CHECK(fails(json::base64_decode("Zm9v!A==")) == "expected base64 text, found byte 0x21 '!' at offset 4");
  CHECK(fails(json::base64_decode("Zm9v\nZg=")).find("byte 0x0a at offset 4") != std::string::npos);
  CHECK(fails(json::base64_decode("Zg==Zg==")) ==
        "expected base64 text, found '=' at offset 2 (padding only ends the text)");
  CHECK(json::base64_decode("Z===").has_error());
  CHECK(json::base64_decode("Zg=a").has_error());
  CHECK(json::base64_decode("====").has_error());
  CHECK(json::base64_decode("-_8=").has_error());  // URL-safe alphabet
  CHECK(json::base64_decode("Zm9v Zg=").has_error());
  CHECK(json::base64_decode("Zm9v\xC3\xA9Zg=").has_error());
  CHECK(fails(json::base64_decode("Zh==")) == "expected base64 text, found non-zero padding bits at offset 1");
  CHECK(fails(json::base64_decode("Zm9=")) == "expected base64 text, found non-zero padding bits at offset 2");
}

TEST_CASE("binary fields decode base64 or read false as empty") {
  CHECK(ok(json::read_binary(one(R"("Zm9vYmFy")").get())) == bytes("foobar"));
  CHECK(ok(json::read_binary(one("false").get())) == std::nullopt);
  CHECK(ok(json::read_binary(one(R"("")").get())) == std::vector<std::uint8_t>{});
  CHECK(fails(json::read_binary(one(R"("1.23 Kb")").get())).starts_with("expected base64 text, found "));
  CHECK(fails(json::read_binary(one("[1]").get())) == "expected base64 text or false, found an array");
}

TEST_CASE("readers take plain on-demand values too") {
  simdjson::ondemand::parser parser;
  simdjson::padded_string text(std::string(R"({"a": [1, "One"], "b": "2026-01-31"})"));
  auto doc = parser.iterate(text);
  for (auto field_result : doc.get_object()) {
    simdjson::ondemand::field field;
    REQUIRE(std::move(field_result).get(field) == simdjson::SUCCESS);
    if (field.key() == "a") {
      CHECK(ok(json::read_many2one_view(field.value())) == json::many2one_view{1, "One"});
    } else {
      CHECK(ok(json::read_date(field.value())) == 2026y / January / 31);
    }
  }
}
