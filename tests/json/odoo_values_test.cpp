// Odoo's date and datetime texts, both directions.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "odoolink/json/odoo.hpp"
#include "odoolink/json/parse.hpp"
#include "support/error_of.hpp"

using namespace odoolink;
using namespace std::chrono;
using namespace std::string_literals;

namespace {

template <class T>
T ok(result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), odoolink::test::error_of(r).message());
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

// The first post of a recorded webhook.
std::string webhook_body(const std::string& relative) {
  std::ifstream in(std::string(ODOOLINK_FIXTURES_DIR) + "/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), relative);
  std::stringstream ss;
  ss << in.rdbuf();
  auto exchange = json::parse(ss.str());
  REQUIRE(exchange.has_value());
  return exchange.value().find("posts")->as_array().at(0).find("request_body")->as_string();
}

}  // namespace

TEST_CASE("webhook datetimes carry microseconds (Odoo 18 base_automation)") {
  auto post = json::parse(webhook_body("odoo18/webhooks/partner_on_save.json"));
  REQUIRE(post.has_value());
  CHECK(post.value().find("_id")->as_int() == 2571);
  const auto written = ok(json::parse_datetime_us(post.value().find("write_date")->as_string()));
  CHECK(ok(json::format_datetime_us(written)) == "2026-11-22 06:20:04.480128");
  CHECK(floor<seconds>(written) == sys_days{2026y / November / 22} + 6h + 20min + 4s);
  CHECK((written - floor<seconds>(written)).count() == 480128);
}

TEST_CASE("dates: calendar-checked YYYY-MM-DD") {
  CHECK(ok(json::parse_date("2026-11-22")) == 2026y / November / 22);
  CHECK(ok(json::parse_date("2024-02-29")) == 2024y / February / 29);
  CHECK(ok(json::parse_date("0001-01-01")) == year{1} / January / 1);
  CHECK(ok(json::parse_date("9999-12-31")) == year{9999} / December / 31);
  CHECK(fails(json::parse_date("2026-02-30")) == R"(expected a date "YYYY-MM-DD", found "####-##-##" (not a calendar date))");
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
  // The text's shape is shown, never its digits or letters (a refused date
  // may still be someone's birth date).
  CHECK(fails(json::parse_date("a\"b\nc")) == R"(expected a date "YYYY-MM-DD", found "x\"x\nx")");
  CHECK(fails(json::parse_date("22/11/1984")) == R"(expected a date "YYYY-MM-DD", found "##/##/####")");
  CHECK(fails(json::parse_date("２０２６-11-22")) == R"(expected a date "YYYY-MM-DD", found "????-##-##")");
  CHECK(fails(json::parse_date(std::string(100, '7'))) == "expected a date \"YYYY-MM-DD\", found \"" + std::string(60, '#') + "...\"");
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

