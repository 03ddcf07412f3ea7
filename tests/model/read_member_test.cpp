// Odoo's value conventions as the typed reader applies them, one member at a
// time: what each member type accepts (false as empty, the many2one forms,
// id lists) and the message for what it refuses.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "odoolink/json/odoo.hpp"
#include "odoolink/model/decode.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace std::chrono;
namespace m = odoolink::model;

namespace {

// A record with one field `v` of type T.
template <class T>
struct one_field {
  T v{};
  static constexpr auto odoolink_fields() { return m::fields(m::bind<&one_field::v>("v")); }
};

template <class T>
result<m::decoded<one_field<T>>> decode_one(std::string_view value) {
  return m::decode<one_field<T>>(protocol::reply("[{\"id\": 7, \"v\": " + std::string(value) + "}]"), "res.partner");
}

// The value read into an owning member.
template <class T>
T ok(std::string_view value) {
  auto r = decode_one<T>(value);
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).message());
  return r.value()[0].v;
}

// The message for a refused value, without the record and field prefix
// (checked here once).
template <class T>
std::string fails(std::string_view value) {
  auto r = decode_one<T>(value);
  REQUIRE_MESSAGE(r.has_error(), value);
  CHECK(r.error() == protocol_errc::unexpected_type);
  const std::string& msg = r.error().message();
  const std::string_view prefix = "res.partner record 7, field \"v\": ";
  REQUIRE_MESSAGE(msg.starts_with(prefix), msg);
  return msg.substr(prefix.size());
}

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("text members: string / false / and anything else refused with a message") {
  using text = std::optional<std::string>;
  CHECK(ok<text>(R"("a\"b")") == "a\"b");
  CHECK(ok<text>(R"("")") == "");  // the empty string stays a value
  CHECK(ok<text>("false") == std::nullopt);
  CHECK(fails<text>("true") == "expected a string or false, found true");
  CHECK(fails<text>("null") == "expected a string or false, found null");
  CHECK(fails<text>("12") == "expected a string or false, found 12");
  CHECK(fails<text>("[1]") == "expected a string or false, found an array");
  CHECK(fails<text>(R"({"a": 1})") == "expected a string or false, found an object");

  auto views = decode_one<std::optional<std::string_view>>(R"("Caf\u00e9")");
  REQUIRE(views.has_value());
  CHECK(views.value()[0].v == "Caf\xC3\xA9");
  views = decode_one<std::optional<std::string_view>>("false");
  REQUIRE(views.has_value());
  CHECK(views.value()[0].v == std::nullopt);
}

TEST_CASE("booleans / integers and floats are strict") {
  CHECK(ok<bool>("false") == false);
  CHECK(ok<bool>("true") == true);
  CHECK(fails<bool>("0") == "expected a boolean, found 0");
  CHECK(fails<bool>(R"("true")") == "expected a boolean, found a string (not shown)");

  CHECK(ok<std::int64_t>("-9223372036854775808") == INT64_MIN);
  CHECK(ok<std::int64_t>("false") == 0);  // an empty many2one read as its id
  CHECK(ok<std::int64_t>(R"([15, "Azure"])") == 15);
  CHECK(fails<std::int64_t>("true") == "expected an integer, found true");
  CHECK(fails<std::int64_t>("1.0") == "expected an integer, found 1.0");
  CHECK(fails<std::int64_t>("9223372036854775808") == "expected an integer, found 9223372036854775808");

  CHECK(ok<double>("3") == 3.0);  // integers are floats too
  CHECK(ok<double>("377.5") == 377.5);
  CHECK(ok<double>("-0.54") == -0.54);
  CHECK(fails<double>(R"("3")") == "expected a number, found a string (not shown)");
  CHECK(fails<double>("false").starts_with("expected a number"));
}

TEST_CASE("many2one forms") {
  using m2o = m::many2one<>;
  CHECK(ok<m2o>(R"([12, "Ready Mat"])") == m2o(12, "Ready Mat"));
  CHECK(ok<m2o>(R"([12, "Caf\u00e9"])") == m2o(12, "Caf\xC3\xA9"));
  CHECK(ok<m2o>("[12, false]") == m2o(12, ""));
  CHECK(ok<m2o>("false").empty());
  CHECK(ok<m2o>(R"({"id": 5, "display_name": "X", "email": "e"})") == m2o(5, "X"));  // web_read
  CHECK(ok<m2o>(R"({"email": "e", "id": 5})") == m2o(5, ""));

  CHECK(fails<m2o>("[12]") == R"(expected a many2one ([id, "name"] or false), found an array of 1 element)");
  CHECK(fails<m2o>(R"([12, "a", 3])") == R"(expected a many2one ([id, "name"] or false), found an array of 3 elements)");
  CHECK(fails<m2o>("[]").ends_with("found an array of 0 elements"));
  // Odoo 19 sends the computed ids of `account.root` as strings of digits.
  CHECK(ok<m2o>(R"(["12", "a"])") == m2o(12, "a"));
  CHECK(ok<m2o>(R"({"id": "5", "display_name": "X"})") == m2o(5, "X"));
  CHECK(fails<m2o>(R"(["x12", "a"])") == "expected a many2one id (integer), found a string (not shown)");
  CHECK(fails<m2o>(R"(["", "a"])") == "expected a many2one id (integer), found a string (not shown)");
  CHECK(fails<m2o>("[12, 13]") == "expected a many2one name (string or false), found 13");
  CHECK(fails<m2o>("12") == R"(expected a many2one ([id, "name"] or false), found 12)");
  CHECK(fails<m2o>("true").ends_with("found true"));
  CHECK(fails<m2o>(R"({"display_name": "X"})").ends_with(R"(found an object without "id")"));

  auto views = decode_one<m::many2one_view<>>(R"({"id": 1, "display_name": "One"})");
  REQUIRE(views.has_value());
  CHECK(views.value()[0].v.id == 1);
  CHECK(views.value()[0].v.name == "One");
}

TEST_CASE("x2many id lists") {
  using ids = std::vector<std::int64_t>;
  CHECK(ok<ids>("[]").empty());
  CHECK(ok<ids>("[2, 3]") == ids{2, 3});
  CHECK(fails<ids>("false") == "expected a list of ids, found false");
  CHECK(fails<ids>(R"([4, "x"])") == "expected an id (integer), found a string (not shown)");
  CHECK(fails<ids>("[1.5]") == "expected an id (integer), found 1.5");
  CHECK(fails<ids>("[[1]]") == "expected an id (integer), found an array");
}

TEST_CASE("long values are cut in messages, strings never shown") {
  CHECK(odoolink::json::detail::describe_token("Jane") == "\"xxxx\"");  // not JSON: its shape
  CHECK(odoolink::json::detail::describe_token(" -1.5 ") == "-1.5");
  CHECK(fails<std::int64_t>("\"" + std::string(200, 'x') + "\"") == "expected an integer, found a string (not shown)");
  const std::string msg = fails<std::int64_t>("1" + std::string(200, '0') + ".5");
  CHECK(msg.size() < 120);
  CHECK(msg.ends_with("..."));
}

TEST_CASE("dates and datetimes read as Odoo writes them") {
  using date = std::optional<m::date>;
  using datetime = std::optional<m::datetime>;
  CHECK(ok<date>("false") == std::nullopt);
  CHECK(ok<date>(R"("2026-12-22")") == 2026y / December / 22);
  CHECK(fails<date>(R"("2026-02-30")").ends_with("(not a calendar date)"));
  CHECK(fails<date>("20261222") == R"(expected a date "YYYY-MM-DD" or false, found 20261222)");
  // Python writes years below 1000 unpadded: Odoo 17 sends date.min as "1-01-01".
  CHECK(ok<date>(R"("1-01-01")") == 1y / January / 1);
  CHECK(ok<date>(R"("999-12-31")") == 999y / December / 31);
  CHECK(ok<m::date>(R"("1-01-01")") == 1y / January / 1);
  CHECK(ok<datetime>(R"("1-01-01 00:00:00")").has_value());
  CHECK(fails<date>(R"("-01-01")").starts_with("expected a date"));
  CHECK(ok<datetime>("false") == std::nullopt);
  CHECK(ok<datetime>(R"("2026-11-22 06:01:23")")->time_since_epoch().count() == 1795327283);
  CHECK(fails<datetime>("0") == R"(expected a datetime "YYYY-MM-DD HH:MM:SS" or false, found 0)");
  CHECK(fails<datetime>(R"("2026-11-22 24:00:00")").ends_with("(time of day out of range)"));
}

TEST_CASE("binary members keep base64 text or read false as empty") {
  using bin = std::optional<m::binary>;
  const auto foobar = ok<bin>(R"("Zm9vYmFy")");
  REQUIRE(foobar.has_value());
  auto raw = foobar->decode();
  REQUIRE(raw.has_value());
  CHECK(raw.value() == bytes("foobar"));
  CHECK(ok<bin>("false") == std::nullopt);
  CHECK(fails<bin>("[1]") == "expected base64 text or false, found an array");
}
