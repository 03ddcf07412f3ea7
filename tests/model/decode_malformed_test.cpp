// The record decoder reads the response text in one pass with its own JSON
// reader: these tests hold it to JSON's grammar. Broken text is refused as
// protocol_errc::malformed_response, invalid_utf8 or nesting_too_deep
// (never read half-way, never a crash),
// and whatever it accepts, simdjson's validating DOM parser accepts too.
#include <doctest/doctest.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "odoolink/model/decode.hpp"
#include "odoolink/models/res_partner.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace odoolink::models;
namespace m = odoolink::model;

namespace {

struct row {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  bool is_company = false;
  m::many2one<res_country> country_id;
  m::many2many<res_partner_category> category_id;
  std::optional<m::datetime> write_date;
  double credit_limit = 0;
  ODOOLINK_VIEW(row, res_partner, id, name, email, is_company, country_id, category_id, write_date, credit_limit)
};

struct view_row {
  std::int64_t id = 0;
  std::string_view name;
  m::many2one_view<res_country> country_id;
  m::ids_view category_id;
  ODOOLINK_VIEW(view_row, res_partner, id, name, country_id, category_id)
};

// Two records with every value kind, escapes and an unknown nested field.
const std::string valid = R"([{"id": 7, "name": "Caf\u00e9 \"Zo\"", "email": false, "is_company": true,
  "country_id": [21, "Belgium"], "category_id": [1, 2], "write_date": "2026-11-22 06:01:23", "credit_limit": -1.5e2,
  "extra": {"a": [null, true, {"b": "\\"}], "c": -0}},
 {"id": 8, "name": "B", "email": "b@example.com", "is_company": false, "country_id": false, "category_id": [],
  "write_date": false, "credit_limit": 0, "extra": []}])";

result<std::vector<row>> decode(std::string text) { return m::decode<row>(protocol::reply(std::move(text)), "res.partner"); }

// The codes that say "this text is not JSON".
bool not_json(const error& e) {
  return e == protocol_errc::malformed_response || e == protocol_errc::invalid_utf8 || e == protocol_errc::nesting_too_deep;
}

bool dom_accepts(const std::string& text) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  return parser.parse(simdjson::padded_string(text)).get(root) == simdjson::SUCCESS;
}

}  // namespace

TEST_CASE("the reference response decodes") {
  auto rows = decode(valid);
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  REQUIRE(rows.value().size() == 2);
  CHECK(rows.value()[0].name == "Caf\xC3\xA9 \"Zo\"");
  CHECK(rows.value()[0].credit_limit == -150.0);
  CHECK(rows.value()[0].country_id.id == 21);
  CHECK(rows.value()[1].category_id.empty());
  CHECK(!rows.value()[1].write_date.has_value());
}

TEST_CASE("every proper prefix of a response is refused as malformed") {
  for (std::size_t cut = 0; cut < valid.size(); ++cut) {
    auto r = decode(valid.substr(0, cut));
    REQUIRE_MESSAGE(r.has_error(), "prefix of " << cut << " bytes accepted");
    CHECK_MESSAGE(r.error() == protocol_errc::malformed_response, cut << ": " << r.error().describe());
  }
}

TEST_CASE("broken JSON anywhere is refused with the byte it broke at") {
  const std::vector<std::string> broken = {
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 01}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 1.}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 2e}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": truex, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0}])",
      R"([{"id": 1, "name": "a	tab", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [1 2], "write_date": false, "credit_limit": 0}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0,}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0}] x)",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0}],)",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "x": [1,]}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "x": {"k" 1}}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "x": +1}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "x": nul}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "x": "\q"}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0} {"id": 2}])",
      R"([{"id": 1 "name": "a"}])",
      R"([{"id": 1, "name" "a"}])",
      R"([{id: 1}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": [3, "x",], "category_id": [], "write_date": false, "credit_limit": 0}])",
      "[{\"id\": 1, \"name\": \"\xC3\x28\", \"email\": false}]",  // invalid UTF-8
      "[\xEF\xBB\xBF]",  // a byte-order mark is not JSON whitespace
      "",
      "   ",
      "]",
      std::string("[]\0", 3),  // a NUL byte is text, not the end
      std::string("[{\"id\": 1,\0 \"name\": \"a\"}]", 25),
  };
  for (const auto& text : broken) {
    auto r = decode(text);
    REQUIRE_MESSAGE(r.has_error(), text);
    CHECK_MESSAGE(not_json(r.error()), text << " -> " << r.error().describe());
    CHECK_MESSAGE(!dom_accepts(text), text);
    const std::string message(r.error().message());
    CHECK_MESSAGE((message.find("malformed JSON at byte ") != std::string::npos || message.find("UTF-8") != std::string::npos),
                  message);
  }
}

TEST_CASE("values of the wrong type are type errors and name the field") {
  auto r = decode(R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 1e999}])");
  REQUIRE(r.has_error());
  CHECK(r.error() == protocol_errc::unexpected_type);
  CHECK(r.error().message().find("field \"credit_limit\": expected a number, found 1e999") != std::string::npos);
  r = decode(R"([{"id": 99999999999999999999, "name": "a"}])");
  REQUIRE(r.has_error());
  CHECK(r.error() == protocol_errc::unexpected_type);
  CHECK(r.error().message().find("field \"id\": expected an integer, found 99999999999999999999") != std::string::npos);
}

TEST_CASE("integers at the edges of int64 and JSON number forms read exactly") {
  auto r = decode(R"([{"id": -9223372036854775808, "name": "", "email": false, "is_company": false, "country_id": [9223372036854775807, false],
      "category_id": [0, 123456789012345678], "write_date": false, "credit_limit": 12.5E-1}])");
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).describe());
  CHECK(r.value()[0].id == INT64_MIN);
  CHECK(r.value()[0].country_id.id == INT64_MAX);
  CHECK(r.value()[0].category_id == std::vector<std::int64_t>{0, 123456789012345678});
  CHECK(r.value()[0].credit_limit == 1.25);
  CHECK(decode(R"([{"id": 9223372036854775808}])").error() == protocol_errc::unexpected_type);
}

TEST_CASE("hostile nesting in a skipped field is bounded and never overflows the stack") {
  const auto nested = [](std::size_t depth) {
    return R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "x": )" +
           std::string(depth, '[') + std::string(depth, ']') + "}]";
  };
  auto ok = decode(nested(1000));
  CHECK_MESSAGE(ok.has_value(), odoolink::test::error_of(ok).describe());
  auto deep = decode(nested(100000));
  REQUIRE(deep.has_error());
  CHECK(deep.error() == protocol_errc::nesting_too_deep);
  CHECK(deep.error().message().find("nesting too deep") != std::string::npos);
}

TEST_CASE("view records read the same text and keep escapes in their storage") {
  auto rows = m::decode<view_row>(protocol::reply(valid), "res.partner");
  REQUIRE_MESSAGE(rows.has_value(), odoolink::test::error_of(rows).describe());
  CHECK(rows.value()[0].name == "Caf\xC3\xA9 \"Zo\"");
  CHECK(rows.value()[0].country_id.name == "Belgium");
  CHECK(rows.value()[0].category_id.size() == 2);
  auto cut = m::decode<view_row>(protocol::reply(valid.substr(0, 40)), "res.partner");
  REQUIRE(cut.has_error());
  CHECK(cut.error() == protocol_errc::malformed_response);
}

TEST_CASE("single-byte corruptions: what the decoder accepts a validating parser accepts") {
  // Every position, a handful of replacement bytes that break JSON in
  // different ways: the decoder must never accept what is not JSON.
  const char replacements[] = {'"', '\\', '[', ']', '{', '}', ',', ':', '0', '-', 'e', '.', 't', ' ', '\x01', '\xC3'};
  std::size_t accepted = 0;
  std::size_t refused = 0;
  for (std::size_t i = 0; i < valid.size(); ++i) {
    for (const char b : replacements) {
      if (valid[i] == b) continue;
      std::string text = valid;
      text[i] = b;
      auto r = decode(text);
      if (r.has_value()) {
        ++accepted;
        CHECK_MESSAGE(dom_accepts(text), "accepted broken JSON: " << text);
      } else {
        ++refused;
        if (not_json(r.error())) CHECK_MESSAGE(!dom_accepts(text), "refused valid JSON: " << text);
      }
    }
  }
  CHECK(accepted > 0);
  CHECK(refused > accepted);
}

TEST_CASE("text without padding is refused before any byte is read") {
  const std::string text = R"([{"id": 1}])";
  struct id_row {
    std::int64_t id = 0;
    ODOOLINK_FIELDS(id_row, id)
  };
  std::vector<id_row> out;
  auto ctx = m::detail::context_access::make("res.partner", nullptr);
  auto r = m::detail::decode_rows(text, text.size() + json::padding - 1, out, ctx);
  REQUIRE(r.has_error());
  CHECK(r.error() == error(std::make_error_code(std::errc::invalid_argument)));
  CHECK(out.empty());
}

TEST_CASE("long id lists and many number forms read exactly") {
  // More ids than the reader gathers on the stack at once.
  std::string ids;
  std::vector<std::int64_t> expected;
  for (std::int64_t i = 1; i <= 100; ++i) {
    ids += (i == 1 ? "" : ", ") + std::to_string(i * 1000003);
    expected.push_back(i * 1000003);
  }
  // Numbers on the exact fast path and past it (more than 19 digits, large exponents).
  const std::vector<std::string> numbers = {"0.1", "-0.0", "123456.789", "9007199254740993", "1e22", "1e23", "4.9e-324",
                                            "0.30000000000000004", "12345678901234567890.5", "1.7976931348623157e308"};
  for (const auto& number : numbers) {
    auto r = decode(R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [)" + ids +
                    R"(], "write_date": false, "credit_limit": )" + number + "}]");
    REQUIRE_MESSAGE(r.has_value(), number << ": " << odoolink::test::error_of(r).describe());
    CHECK(r.value()[0].category_id == expected);
    double reference = 0;
    std::from_chars(number.data(), number.data() + number.size(), reference);
    CHECK_MESSAGE(r.value()[0].credit_limit == reference, number);
  }
}

TEST_CASE("a skipped field is held to the same escapes as a read one") {
  for (const char* skipped : {R"("\ud800 alone")", R"("\udc00")", R"("\u12G4")", R"("\x41")"}) {
    auto r = decode(std::string(R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "x": )") +
                    skipped + "}]");
    REQUIRE_MESSAGE(r.has_error(), skipped);
    CHECK_MESSAGE(r.error() == protocol_errc::malformed_response, skipped << " -> " << r.error().describe());
    CHECK(r.error().message().find("invalid escape in a string") != std::string::npos);
  }
}

TEST_CASE("a field given twice in a record is refused") {
  const auto twice = decode(R"([{"id": 7, "name": "A", "email": false, "is_company": true, "country_id": false,
    "category_id": [], "write_date": false, "credit_limit": 0, "email": "x@example.com"}])");
  REQUIRE_FALSE(twice);
  CHECK(twice.error() == protocol_errc::malformed_response);
  CHECK(twice.error().message().find("\"email\"") != std::string::npos);
  // Out of the predicted order too.
  CHECK(decode(R"([{"name": "A", "id": 7, "id": 8, "email": false, "is_company": true, "country_id": false,
    "category_id": [], "write_date": false, "credit_limit": 0}])").error() == protocol_errc::malformed_response);
}

namespace {

// A record with every bound field of `row` (and `view_row`), then `tail`.
std::string record_with(std::string_view tail) {
  return std::string(R"([{"id": 7, "name": "A", "email": false, "is_company": true, "country_id": [21, "Belgium"],
    "category_id": [], "write_date": false, "credit_limit": 0)") +
         std::string(tail) + "}]";
}

result<m::records<view_row>> decode_view(std::string text) {
  return m::decode<view_row>(protocol::reply(std::move(text)), "res.partner");
}

// Refused as malformed, naming `key`, by owning and view records alike.
void refused_naming(const std::string& text, std::string_view key) {
  CAPTURE(text);
  const auto owned = decode(text);
  REQUIRE_FALSE(owned);
  CHECK(owned.error() == protocol_errc::malformed_response);
  CHECK_MESSAGE(owned.error().message().find("\"" + std::string(key) + "\"") != std::string::npos, owned.error().message());
  const auto views = decode_view(text);
  REQUIRE_FALSE(views);
  CHECK(views.error() == protocol_errc::malformed_response);
  CHECK_MESSAGE(views.error().message().find("\"" + std::string(key) + "\"") != std::string::npos, views.error().message());
}

struct dict_row {
  std::int64_t id = 0;
  json::value extra;
  ODOOLINK_FIELDS(dict_row, id, extra)
};

}  // namespace

TEST_CASE("a key the record does not read given twice is refused and named") {
  refused_naming(record_with(R"(, "other": 1, "other": 2)"), "other");
  // The message names the key, never its values.
  const auto owned = decode(record_with(R"(, "other": "secret-1", "other": "secret-2")"));
  REQUIRE_FALSE(owned);
  CHECK(owned.error().message().find("secret") == std::string::npos);
  // Apart, and around bound fields.
  refused_naming(R"([{"other": [1], "id": 7, "name": "A", "email": false, "is_company": true, "country_id": false,
    "category_id": [], "write_date": false, "credit_limit": 0, "other": {}}])", "other");
}

TEST_CASE("keys compare by their decoded text") {
  refused_naming(record_with(R"(, "other": 1, "\u006fther": 2)"), "other");
  refused_naming(record_with(R"(, "caf\u00e9": 1, "café": 2)"), "café");
  // A bound key spelt with an escape is the same field.
  CHECK(decode(record_with(R"(, "\u0069d": 8)")).error() == protocol_errc::malformed_response);
  CHECK(decode_view(record_with(R"(, "n\u0061me": "B")")).error() == protocol_errc::malformed_response);
  // Distinct after decoding: accepted.
  CHECK(decode(record_with(R"(, "a\u0062": 1, "ab\\": 2, "ab\"": 3)")));
}

TEST_CASE("records with distinct unread keys still decode") {
  const std::string text = record_with(R"(, "a": 1, "b": {"x": 1, "y": [{"x": 2}, {"x": 3}]}, "c": [{"k": 1}, {"k": 2}])");
  const auto owned = decode(text);
  REQUIRE_MESSAGE(owned, odoolink::test::error_of(owned).message());
  CHECK(owned.value()[0].country_id.id == 21);
  const auto views = decode_view(text);
  REQUIRE_MESSAGE(views, odoolink::test::error_of(views).message());
  CHECK(views.value()[0].name == "A");
  // The same unread key in every record is no repeat.
  const std::string two = R"([{"id": 1, "name": "A", "country_id": false, "category_id": [], "x": 1},
                              {"id": 2, "name": "B", "country_id": false, "category_id": [], "x": 2}])";
  const auto both = decode_view(two);
  REQUIRE_MESSAGE(both, odoolink::test::error_of(both).message());
  CHECK(both.value().size() == 2);
}

TEST_CASE("many unread keys: distinct ones decode and a repeat among them is refused") {
  // Past the linear table: the keys go to a hash table.
  std::string tail;
  for (int i = 0; i < 200; ++i) tail += ", \"k" + std::to_string(i) + "\": " + std::to_string(i);
  const auto owned = decode(record_with(tail));
  REQUIRE_MESSAGE(owned, odoolink::test::error_of(owned).message());
  CHECK(owned.value()[0].id == 7);
  refused_naming(record_with(tail + R"(, "k117": 0)"), "k117");
  refused_naming(record_with(tail + R"(, "k\u0031": 0)"), "k1");
  std::string nested = ", \"o\": {";
  for (int i = 0; i < 100; ++i) nested += (i == 0 ? "\"k" : ", \"k") + std::to_string(i) + "\": " + std::to_string(i);
  CHECK(decode(record_with(nested + "}")));
  refused_naming(record_with(nested + R"(, "k99": 1})"), "k99");
}

TEST_CASE("a key repeated in an object nested in a record is refused") {
  // In a value the record skips.
  refused_naming(record_with(R"(, "extra": {"a": 1, "b": {"c": [1, {"d": 1, "d": 2}]}})"), "d");
  refused_naming(record_with(R"(, "extra": [{"a": 1}, {"a": 2, "\u0061": 3}])"), "a");
  // In a dict-valued field the record reads (as a json::value).
  const auto dict = m::decode<dict_row>(protocol::reply(std::string(R"([{"id": 1, "extra": {"12": 100.0, "12": 50.0}}])")));
  REQUIRE_FALSE(dict);
  CHECK(dict.error() == protocol_errc::malformed_response);
  CHECK(dict.error().message().find("\"12\"") != std::string::npos);
  const auto fine = m::decode<dict_row>(protocol::reply(std::string(R"([{"id": 1, "extra": {"12": 100.0, "13": {"12": 1}}}])")));
  REQUIRE_MESSAGE(fine, odoolink::test::error_of(fine).message());
  CHECK(fine.value()[0].extra.find("13") != nullptr);
  // In the {"id", "display_name"} form of a many2one.
  refused_naming(R"([{"id": 7, "name": "A", "email": false, "is_company": true,
    "country_id": {"id": 21, "display_name": "Belgium", "id": 22}, "category_id": [], "write_date": false, "credit_limit": 0}])",
                 "id");
  // In an element past a many2one's pair.
  const auto extra_element = decode(R"([{"id": 7, "name": "A", "email": false, "is_company": true,
    "country_id": [21, "Belgium", {"x": 1, "x": 1}], "category_id": [], "write_date": false, "credit_limit": 0}])");
  REQUIRE_FALSE(extra_element);
  CHECK(extra_element.error() == protocol_errc::malformed_response);
}

TEST_CASE("UTF-8 is checked in the one pass: every string a record holds, read or skipped") {
  // The decoder does not check the text up front: the string scan flags
  // non-ASCII runs and only those are checked. Each place a string can
  // stand is tried with a bad sequence, a truncated one and a surrogate.
  const std::string bad_sequences[] = {"\xFF", "caf\xC3", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80"};
  const std::string places[] = {
      R"([{"id": 1, "name": "<>", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0}])",
      R"([{"id": 1, "name": "a\n<>", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0}])",
      R"([{"id": 1, "name": "a", "email": "<>", "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": [2, "<>"], "category_id": [], "write_date": false, "credit_limit": 0}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "extra": ["<>"]}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "<>": 1}])",
      R"([{"id": 1, "name": "a", "email": false, "is_company": true, "country_id": false, "category_id": [], "write_date": false, "credit_limit": 0, "x": {"\t<>": 1}}])",
  };
  for (const auto& place : places) {
    for (const auto& seq : bad_sequences) {
      std::string text = place;
      text.replace(text.find("<>"), 2, seq);
      CAPTURE(text);
      const auto r = decode(text);
      REQUIRE_FALSE(r);
      CHECK(r.error() == protocol_errc::invalid_utf8);
      CHECK(r.error().message().find("not valid UTF-8") != std::string::npos);
      CHECK_FALSE(dom_accepts(text));
    }
    // Valid multi-byte text in the same place reads.
    std::string text = place;
    text.replace(text.find("<>"), 2, "Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80");
    CAPTURE(text);
    CHECK(decode(text));
  }
  // Outside strings no non-ASCII byte is JSON at all.
  CHECK(decode("[\xC3\xA9]").error() == protocol_errc::malformed_response);
}

TEST_CASE("a record view of non-ASCII text keeps it, escaped or not") {
  auto rows = m::decode<view_row>(
      protocol::reply(R"([{"id": 1, "name": "Zo\u00eb \u20ac Zoë €", "country_id": [2, "España"], "category_id": []}])"),
      "res.partner");
  REQUIRE(rows);
  CHECK(rows.value()[0].name == "Zo\xC3\xAB \xE2\x82\xAC Zo\xC3\xAB \xE2\x82\xAC");
  CHECK(rows.value()[0].country_id.name == "Espa\xC3\xB1" "a");
}
