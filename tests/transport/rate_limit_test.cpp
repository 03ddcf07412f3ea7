// The token-bucket rate limiter over a scripted transport, with a fake clock.
#include <doctest/doctest.h>

#include <memory>

#include "odoolink/testing/fake_clock.hpp"
#include "odoolink/transport/rate_limit.hpp"
#include "transport/support/loopback.hpp"

using namespace odoolink_test;
using namespace std::chrono_literals;
using odoolink::testing::fake_clock;
using odoolink::transport::rate_limit_options;
using odoolink::transport::rate_limit_transport;

namespace {
struct rig {
  std::shared_ptr<fake_clock> clock = std::make_shared<fake_clock>();
  std::shared_ptr<scripted_transport> inner = std::make_shared<scripted_transport>(clock);
  std::unique_ptr<rate_limit_transport> limit;

  rig(double rate, double burst) {
    rate_limit_options o;
    o.rate = rate;
    o.burst = burst;
    o.clock = clock;
    o.sleeper = clock;
    limit = std::make_unique<rate_limit_transport>(inner, o);
  }
  std::chrono::milliseconds at(std::size_t i) const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(inner->times.at(i) - inner->times.at(0));
  }
};
}  // namespace

TEST_CASE("blocking: a burst goes at once then one request per 1/rate") {
  rig r(10.0, 3.0);
  for (int i = 0; i < 7; ++i) REQUIRE(r.limit->send(post()).has_value());
  REQUIRE(r.inner->times.size() == 7);
  CHECK(r.at(1) == 0ms);
  CHECK(r.at(2) == 0ms);
  CHECK(r.at(3) == 100ms);
  CHECK(r.at(4) == 200ms);
  CHECK(r.at(6) == 400ms);
  CHECK(r.clock->total_slept() == 400ms);

  // A quiet spell refills the bucket up to the burst, not beyond.
  r.clock->advance(10s);
  r.clock->clear_sleeps();
  for (int i = 0; i < 4; ++i) REQUIRE(r.limit->send(post()).has_value());
  CHECK(r.clock->total_slept() == 100ms);
}

TEST_CASE("host-driven: queued requests leave in order as tokens come") {
  rig r(10.0, 2.0);
  outcomes out;
  for (std::size_t i = 0; i < 6; ++i) r.limit->submit(post("/r" + std::to_string(i)), out.slot(i));
  CHECK(r.limit->pending() == 6);
  CHECK(r.inner->pending() == 2);  // the burst was forwarded by submit itself
  CHECK(out.completed == 0);
  CHECK(r.limit->next_wakeup() == 0ms);  // the inner transport has work

  REQUIRE(r.limit->poll(0ms).has_value());
  CHECK(out.completed == 2);
  CHECK(r.limit->next_wakeup() == 100ms);

  REQUIRE(drive(*r.limit));
  REQUIRE(out.completed == 6);
  REQUIRE(r.inner->requests.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) CHECK(r.inner->requests[i].target == "/r" + std::to_string(i));
  CHECK(r.at(2) == 100ms);
  CHECK(r.at(5) == 400ms);
  CHECK_FALSE(r.limit->next_wakeup().has_value());
}

TEST_CASE("a 429 with Retry-After holds every following request") {
  rig r(100.0, 10.0);
  r.inner->then(response(429, "", {{"Retry-After", "5"}}));
  auto first = r.limit->send(post());
  REQUIRE(first.has_value());
  CHECK(first.value().status == 429);  // the limiter does not retry, it only paces
  REQUIRE(r.limit->send(post()).has_value());
  CHECK(r.at(1) == 5000ms);
}

TEST_CASE("cancel removes a queued request") {
  rig r(1.0, 1.0);
  outcomes out;
  r.limit->submit(post(), out.slot(0));
  const auto queued = r.limit->submit(post(), out.slot(1));
  CHECK(r.limit->cancel(queued));
  REQUIRE(r.limit->poll(0ms).has_value());
  REQUIRE(out.completed == 2);
  CHECK(out.at(0).has_value());
  CHECK(out.at(1).error() == odoolink::transport_errc::cancelled);
  CHECK(r.inner->requests.size() == 1);
}
