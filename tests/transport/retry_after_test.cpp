// Parsing Retry-After and HTTP dates.
#include <doctest/doctest.h>

#include "odoolink/transport/retry_after.hpp"
#include "transport/support/loopback.hpp"

using namespace std::chrono_literals;
using odoolink::transport::parse_http_date;
using odoolink::transport::parse_retry_after;
using odoolink::transport::retry_after;

namespace {
std::int64_t epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
}  // namespace

TEST_CASE("the three HTTP-date forms parse to the same instant") {
  // RFC 9110's example: 784111777 = 1994-11-06T08:49:37Z.
  for (const char* text : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                           "Sun Nov  6 08:49:37 1994", "  Sun, 06 Nov 1994 08:49:37 GMT  "}) {
    CAPTURE(text);
    auto t = parse_http_date(text);
    REQUIRE(t.has_value());
    CHECK(epoch_seconds(*t) == 784111777);
  }
  auto leap_day = parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT");
  REQUIRE(leap_day.has_value());
  CHECK(epoch_seconds(*leap_day) == 1709251199);
  auto y2k = parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT");
  REQUIRE(y2k.has_value());
  CHECK(epoch_seconds(*y2k) == 946684800);
}

TEST_CASE("malformed HTTP dates are rejected") {
  for (const char* text : {"", "yesterday", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC",
                           "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
                           "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 8:49:37 GMT", "Sun Nov 6 08:49:37",
                           "Sun, 06 Nov 94 08:49:37 GMT"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_http_date(text).has_value());
  }
}

TEST_CASE("Retry-After: delta-seconds and dates and the past and garbage") {
  const auto now = *parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(parse_retry_after("120", now) == 120s);
  CHECK(parse_retry_after(" 0 ", now) == 0s);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now) == 30s);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now) == 0s);
  CHECK_FALSE(parse_retry_after("-5", now).has_value());
  CHECK_FALSE(parse_retry_after("1.5", now).has_value());
  CHECK_FALSE(parse_retry_after("soon", now).has_value());
  CHECK_FALSE(parse_retry_after("99999999999999", now).has_value());
}

TEST_CASE("retry_after(response) measures a date from the response's Date header") {
  const auto local = *parse_http_date("Sun, 06 Nov 1994 09:49:37 GMT");  // an hour of skew
  auto r = odoolink_test::response(503, "", {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                             {"Retry-After", "Sun, 06 Nov 1994 08:49:47 GMT"}});
  CHECK(retry_after(r, local) == 10s);
  auto no_date = odoolink_test::response(503, "", {{"Retry-After", "Sun, 06 Nov 1994 09:50:07 GMT"}});
  CHECK(retry_after(no_date, local) == 30s);
  CHECK_FALSE(retry_after(odoolink_test::response(503), local).has_value());
}
