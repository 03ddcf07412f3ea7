// backoff_policy: the one backoff schedule of the transport retries and the relay.
#include <chrono>
#include <cmath>
#include <limits>

#include <doctest/doctest.h>

#include "odoolink/backoff.hpp"

using namespace std::chrono_literals;
using odoolink::backoff_policy;

TEST_CASE("backoff: the bound grows by the multiplier from the first retry and stops at the maximum") {
  const backoff_policy p{.initial = 100ms, .max = 1000ms, .multiplier = 3.0};
  CHECK(p.cap(0) == 100ms);  // before the first retry counts as the first
  CHECK(p.cap(1) == 100ms);
  CHECK(p.cap(2) == 300ms);
  CHECK(p.cap(3) == 900ms);
  CHECK(p.cap(4) == 1000ms);
  CHECK(p.cap(10'000) == 1000ms);  // overflow to infinity still gives the maximum
}

TEST_CASE("backoff: a wait is the draw times the bound and the draw is clamped") {
  const backoff_policy p{.initial = 1000ms, .max = 8000ms};
  CHECK(p.wait(1, 0.0) == 0ms);
  CHECK(p.wait(1, 0.5) == 500ms);
  CHECK(p.wait(2, 0.25) == 500ms);
  CHECK(p.wait(4, 1.0) == 8000ms);
  CHECK(p.wait(4, 7.0) == 8000ms);
  CHECK(p.wait(4, -1.0) == 0ms);
  CHECK(p.wait(4, std::numeric_limits<double>::quiet_NaN()) == 0ms);
}

TEST_CASE("backoff: a maximum below the first bound wins and negative settings give no wait") {
  CHECK(backoff_policy{.initial = 5s, .max = 2s}.cap(1) == 2s);
  CHECK(backoff_policy{.initial = -5ms, .max = 2s}.cap(3) == 0ms);
  CHECK(backoff_policy{.initial = 5ms, .max = -2s}.wait(3, 0.9) == 0ms);
}
